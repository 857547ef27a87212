"""Start-up and query time of `ssbkg query` from the shell against the floor for this stack.

Usage: python bench/startup.py [RUNS]

Builds a seeded store in a temporary directory, then times cold runs of
  ssbkg --store DIR query alliance-members -p alliance=casip --format csv
against bench/floor.py (click + pyoxigraph, the same store, graphs and bound query),
side by side in one run, and prints medians and the ratio.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(cmd: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    ssbkg = shutil.which("ssbkg") or sys.exit("install the project first: pip install .")
    from ssbkg.querying.catalogue import find_query

    tmp = Path(tempfile.mkdtemp())
    try:
        store = tmp / "store"
        subprocess.run([ssbkg, "--store", str(store), "init"], check=True, stderr=subprocess.DEVNULL)
        bound = tmp / "bound.rq"
        bound.write_text(find_query("alliance-members").bind({"alliance": "casip"}), encoding="utf-8")
        ours = [ssbkg, "--store", str(store), "query", "alliance-members", "-p", "alliance=casip", "--format", "csv"]
        floor = [sys.executable, str(HERE / "floor.py"), str(store), str(bound)]
        a, b = [], []
        for _ in range(runs):  # interleaved, so that both see the same machine state
            a += timed(ours, 1)
            b += timed(floor, 1)
        ma, mb = statistics.median(a), statistics.median(b)
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {runs} runs each")
        print(f"ssbkg query alliance-members   median {ma * 1000:7.1f} ms")
        print(f"floor (click + pyoxigraph)     median {mb * 1000:7.1f} ms")
        print(f"ratio                          {ma / mb:7.2f}  (goal <= 1.25)")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
