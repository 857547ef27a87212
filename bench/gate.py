"""The SHACL gate at scale: validating a batch of 100 new assertions against stores of 10,000 and
1,000,000 assertions, `ssbkg load` with the gate against without it, and whole-graph pySHACL.

Usage: python bench/gate.py [SIZES...] [--runs N] [--whole-limit SECONDS]
       (default sizes 10000 1000000, 3 runs, whole-graph pySHACL only at sizes <= 10000)

Each figure is the median of cold commands (a new process each time), with the peak resident
memory of the process. Stores are built with `ssbkg load --skip-validation` of generated files.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import median, ssbkg_command  # noqa: E402
from generate import write_batch, write_store  # noqa: E402

WHOLE = """
import sys, time, pyshacl, rdflib, pyoxigraph as ox
from ssbkg import resources
from ssbkg.gate import _rdflib_cache
_rdflib_cache.install()
g = rdflib.Graph()
for path in sys.argv[1:]:
    g.parse(path, format="nt" if path.endswith(".nt") else "turtle")
g.parse(resources.ontology_file())
t = time.perf_counter()
conforms, _, _ = pyshacl.validate(g, shacl_graph=rdflib.Graph().parse(resources.shapes_file()), advanced=True)
print(time.perf_counter() - t, conforms)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--whole-max", type=int, default=10_000, help="largest size for whole-graph pySHACL")
    options = parser.parse_args()
    sizes, runs, whole_max = options.sizes, options.runs, options.whole_max
    ssbkg = ssbkg_command()
    tmp = Path(tempfile.mkdtemp())
    validate_times = {}
    try:
        for n in sizes:
            data, batch, store = tmp / f"store-{n}.nt", tmp / "batch.nt", tmp / f"store-{n}"
            write_store(n, data)
            write_batch(n, 100, batch)
            start = time.perf_counter()
            subprocess.run(
                [ssbkg, "--store", str(store), "load", "--skip-validation", str(data)], check=True, capture_output=True
            )
            built = time.perf_counter() - start
            base = [ssbkg, "--store", str(store)]
            v, v_mem = median([*base, "validate", str(batch)], runs)
            gated, g_mem = median([*base, "load", str(batch)], runs)
            plain, p_mem = median([*base, "load", "--skip-validation", str(batch)], runs)
            validate_times[n] = v
            print(f"\n{n:>9,} assertions ({n * 8 + n // 20 * 4 + n // 10 * 5:,} triples; built in {built:.0f} s)")
            print(f"  ssbkg validate of 100 new assertions     {v:7.2f} s   peak {v_mem:6.0f} MB")
            print(f"  ssbkg load with the gate                 {gated:7.2f} s   peak {g_mem:6.0f} MB")
            print(f"  ssbkg load --skip-validation             {plain:7.2f} s   peak {p_mem:6.0f} MB")
            print(f"  gate / no gate                           {gated / plain:7.1f} x  (goal <= 10)")
            if n <= whole_max:
                out = subprocess.run(
                    [sys.executable, "-c", WHOLE, str(data), str(batch)],
                    check=True,
                    capture_output=True,
                    text=True,
                    timeout=600,
                ).stdout.split()
                whole = float(out[0])
                print(f"  whole-graph pySHACL (store + batch)      {whole:7.2f} s   (validation only, no start-up)")
                print(f"  whole-graph / incremental                {whole / v:7.1f} x  (goal >= 100)")
            shutil.rmtree(store)
        if len(validate_times) > 1:
            small, large = min(validate_times), max(validate_times)
            ratio = validate_times[large] / validate_times[small]
            print(f"\nvalidate at {large:,} / at {small:,}: {ratio:.2f} (goal <= 1.5)")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
