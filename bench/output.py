"""What printing a long answer costs, apart from the engine: `python bench/output.py [ROWS] [RUNS]`.

Takes alliance-members for CASIP on the bundled data and repeats its rows, each with a member of its
own, to ROWS rows (default 5,000: a large alliance at 1,000,000 assertions holds 4,902), then renders
them as every row format and as the terminal table at 80 columns, at 200 and unbounded; prints the
median of RUNS runs (default 5) of each beside the goal of issue 38 (well under 100 ms). The table's
figure includes making each term short (ssbid:catl), as `ssbkg query` does."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

import ssbkg
from ssbkg.io import render, terminal
from ssbkg.stores import QueryResult

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import machine  # noqa: E402

GOAL_MS = 100.0


def answer(rows: int) -> QueryResult:
    with ssbkg.open_store("memory:") as store:  # the bundled data
        casip = ssbkg.query(store, "alliance-members", {"alliance": "casip"})
    member = casip.variables.index("member")
    out = []
    for n in range(rows):
        row = list(casip.rows[n % len(casip.rows)])
        row[member] = ox.NamedNode(f"{row[member].value}-{n}")
        out.append(tuple(row))
    return QueryResult(casip.variables, out, roles=casip.roles)


def median_ms(make: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    result = answer(rows)
    print(machine())
    print(f"{rows:,} rows of alliance-members, median of {runs} runs; goal: under {GOAL_MS:.0f} ms each")

    def table(width: int | None) -> Callable[[], object]:
        def make() -> str:
            shown = [[render.short(t) for t in row] for row in result.rows]
            return terminal.render(result.variables, shown, width, result.roles)

        return make

    cases: list[tuple[str, Callable[[], object]]] = [
        (fmt, lambda fmt=fmt: render.render_rows(result, fmt)) for fmt in ("csv", "tsv", "json", "jsonl", "md", "xml")
    ]
    cases += [("table, 80 columns", table(80)), ("table, 200 columns", table(200)), ("table, unbounded", table(None))]
    for name, make in cases:
        took = median_ms(make, runs)
        verdict = "meets" if took < GOAL_MS else "misses"
        print(f"{name:20} {took:8.1f} ms  {verdict} the goal")


if __name__ == "__main__":
    main()
