"""Loading into an Oxigraph server: `ssbkg load --skip-validation` (atomic: a new version, then one
publishing update) against a plain Graph Store Protocol POST of the same file into an empty graph
(not atomic), side by side in one run.

Usage: python bench/remote_load.py [TRIPLES] [RUNS]     (default 1,000,000 triples, 3 runs)
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.servers import start_oxigraph


def write_file(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n // 4):
            s = f"<https://w3id.org/ssbkg/id/bench-org-{i}>"
            f.write(
                f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/ssbkg/ontology#Company> .\n"
                f'{s} <http://www.w3.org/2000/01/rdf-schema#label> "Organization {i}"@en .\n'
                f'{s} <https://w3id.org/ssbkg/ontology#country> "CN" .\n'
                f"{s} <http://purl.org/dc/terms/source> <https://w3id.org/ssbkg/id/report-bench-{i % 97}> .\n"
            )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    ssbkg = shutil.which("ssbkg") or sys.exit("install the project first: pip install .")
    tmp = Path(tempfile.mkdtemp())
    server = start_oxigraph(tmp)
    try:
        data = tmp / "bench.nt"
        write_file(data, n)
        subprocess.run([ssbkg, "--store", server.query_url, "init"], check=True, capture_output=True)
        base = server.query_url.rsplit("/", 1)[0]
        ours, direct = [], []
        for i in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [
                    ssbkg,
                    "--store",
                    server.query_url,
                    "load",
                    "--skip-validation",
                    str(data),
                    "--graph",
                    f"https://example.org/bench/{i}",
                ],
                check=True,
                capture_output=True,
            )
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            request = urllib.request.Request(
                f"{base}/store?graph=https://example.org/direct/{i}",
                data=data.read_bytes(),
                method="POST",
                headers={"Content-Type": "application/n-triples"},
            )
            with urllib.request.urlopen(request, timeout=600) as r:
                r.read()
            direct.append(time.perf_counter() - start)
        a, b = statistics.median(ours), statistics.median(direct)
        version = subprocess.run(["oxigraph", "--version"], capture_output=True, text=True).stdout.strip()
        print(f"{n} triples into Oxigraph server ({version}), median of {runs}")
        print(f"ssbkg load --skip-validation (atomic)   {a:7.2f} s  {n / a:10.0f} triples/s")
        print(f"Graph Store POST (not atomic)           {b:7.2f} s  {n / b:10.0f} triples/s")
        print(f"ratio                                   {a / b:7.2f}  (goal <= 1.3)")
    finally:
        server.stop()
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
