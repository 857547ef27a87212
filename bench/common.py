"""What the benchmarks share: timing a cold command with its peak memory, medians, the machine."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys

MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall time and the peak memory (MB) of one cold command, measured by a helper process of its own."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], check=True, capture_output=True, text=True).stdout
    elapsed, peak_kb = out.split()
    return float(elapsed), int(peak_kb) / 1024


def median(cmd: list[str], runs: int) -> tuple[float, float]:
    """The median wall time of `runs` cold runs, and the largest peak memory among them."""
    results = [run(cmd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def ssbkg_command() -> str:
    return shutil.which("ssbkg") or sys.exit("install the project first: python3 -m pip install .")


def machine() -> str:
    import pyoxigraph

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or platform.machine()
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}"
    )
