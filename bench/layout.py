"""The store layout at scale: a query's cost against how many files were loaded, and against the
engine underneath reading the same triples as a plain union store, side by side in one run.

Usage: python bench/layout.py [--assertions 2000] [--files 1 8 32 100] [--runs 3] [--union-assertions 100000]

Prints, each figure beside its goal:
  1. the file-count sweep: the same generated assertions loaded with `ssbkg load --skip-validation` as
     1, 8, 32 and 100 files; every stored query's median time on each store, as a ratio to the 1-file
     store (goal: within 1.1);
  2. the union ratio: at --union-assertions, every stored query through ssbkg's embedded store against
     pyoxigraph on a plain store of the same current triples with `use_default_graph_as_union=True`
     (goal: within 1.2), and the Rust `oxigraph query --union-default-graph` on that plain store;
  3. the cost of appending one claim to a store of N claims: the triples written (goal: O(1 claim)).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
import pyoxigraph as ox  # noqa: E402
from common import machine  # noqa: E402
from generate import write_store  # noqa: E402
from scale import QUERIES  # noqa: E402

from ssbkg import resources  # noqa: E402
from ssbkg.namespaces import SSBID  # noqa: E402
from ssbkg.querying.catalogue import load_query  # noqa: E402
from ssbkg.stores import StoreConfig, open_store  # noqa: E402


def texts() -> dict[str, str]:
    out = {}
    for name, params in QUERIES:
        query = load_query(resources.queries_dir() / f"{name}.rq")
        bound = {
            k: (SSBID + v if k in ("alliance", "report", "organization", "ranking") else v) for k, v in params.items()
        }
        out[name] = query.bind(bound)
    return out


def timed(fn, runs: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    times, rows = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        rows = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def build(directory: Path, source: Path, files: int) -> Path:
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    parts = []
    for i in range(files):
        part = directory / f"part-{files}-{i}.nt"
        part.write_text("".join(lines[i::files]), encoding="utf-8")
        parts.append(str(part))
    store = directory / f"store-{files}"
    subprocess.run(
        [sys.executable, "-m", "ssbkg", "--store", str(store), "load", "--skip-validation", *parts],
        check=True,
        capture_output=True,
    )
    return store


def ssbkg_times(store: Path, queries: dict[str, str], runs: int) -> dict[str, tuple[float, int]]:
    out = {}
    with open_store(StoreConfig(str(store))) as s:
        for name, text in queries.items():
            if name.startswith("rules/"):  # the rules are CONSTRUCT queries
                out[name] = timed(lambda t=text: len(s.construct(t)), runs)
            else:
                out[name] = timed(lambda t=text: len(s.select(t).rows), runs)
    return out


def plain_union(store: Path, directory: Path) -> Path:
    """A plain pyoxigraph store of the same current triples, each graph as ssbkg publishes it."""
    plain = directory / "plain"
    with open_store(StoreConfig(str(store))) as s:
        quads = s.quads()
    target = ox.Store(str(plain))
    target.bulk_extend(quads)
    target.flush()
    del target
    return plain


def interleaved(
    store: Path, plain: Path, name: str, text: str, runs: int
) -> tuple[tuple[float, int], tuple[float, int]]:
    """One query's median time through ssbkg and on the plain union store, runs alternating."""
    construct = name.startswith("rules/")
    ours, theirs, rows = [], [], 0
    with open_store(StoreConfig(str(store))) as s:
        for _ in range(runs):
            start = time.perf_counter()
            rows = len(s.construct(text)) if construct else len(s.select(text).rows)
            ours.append(time.perf_counter() - start)
            other = ox.Store.read_only(str(plain))
            start = time.perf_counter()
            len(list(other.query(text, use_default_graph_as_union=True)))  # type: ignore[arg-type]
            theirs.append(time.perf_counter() - start)
            del other
    return (statistics.median(ours), rows), (statistics.median(theirs), rows)


def rust_time(plain: Path, name: str, text: str, directory: Path) -> float | None:
    """The Rust CLI's time for one query, cold (a process of its own); None if it failed."""
    binary = Path(sys.executable).with_name("oxigraph")
    query_file = directory / f"{name.replace('/', '-')}.rq"
    query_file.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    done = subprocess.run(
        [
            str(binary),
            "query",
            "--location",
            str(plain),
            "--query-file",
            str(query_file),
            "--results-format",
            "nt" if name.startswith("rules/") else "csv",
            "--union-default-graph",
        ],
        capture_output=True,
    )
    if done.returncode != 0:
        print(f"  (oxigraph query failed on {name}: {done.stderr.decode()[:200]})", flush=True)
        return None
    return time.perf_counter() - start


def append_cost(directory: Path, claims: int) -> tuple[int, int]:
    """Triples the store holds more after one more claim, on stores of 1 and of `claims` claims."""
    store = directory / "claims-store"
    base = [sys.executable, "-m", "ssbkg", "--store", str(store)]
    csv_file = directory / "claims.csv"
    csv_file.write_text(
        "subject,object,certainty,confidence,source\n"
        + "".join(f"sunwoda,casip,speculative,0.{1 + i % 8},report-electrive-2024-02-13\n" for i in range(1)),
        encoding="utf-8",
    )

    def total() -> int:
        n = 0
        for part in (store, store / "ssbkg-history"):
            s = ox.Store.read_only(str(part))
            n += len(s)
            del s
        return n

    subprocess.run([*base, "init"], check=True, capture_output=True)
    orgs = ["welion", "farasis", "qingtao", "ganfeng", "lg-energy-solution", "panasonic", "sk-on", "samsung-sdi"]
    costs = []
    for i in range(claims + 1):
        before = total()
        subprocess.run(
            [
                *base,
                "claim",
                orgs[i % len(orgs)],
                "casip",
                "--certainty",
                "speculative",
                "--confidence",
                f"0.{1 + i % 5}",
                "--headline",
                f"Bench report {i}",
                "--date",
                "2026-12-01",
                "--publisher",
                "electrive",
            ],
            check=True,
            capture_output=True,
        )
        costs.append(total() - before)
    return costs[0], costs[-1]


def sweep_section(directory: Path, queries: dict[str, str], args: argparse.Namespace) -> None:
    source = directory / "generated.nt"
    write_store(args.assertions, source)
    print(f"\n1. File-count sweep, {args.assertions:,} assertions (median of {args.runs}; goal: ratio <= 1.1)")
    sweep = {files: ssbkg_times(build(directory, source, files), queries, args.runs) for files in args.files}
    print(f"{'query':28}" + "".join(f"{f'{f} file(s)':>14}" for f in args.files) + f"{'worst ratio':>13}")
    for name in queries:
        first = sweep[args.files[0]][name][0]
        cells = "".join(f"{sweep[f][name][0]:>13.3f}s" for f in args.files)
        worst = max(sweep[f][name][0] for f in args.files) / max(first, 1e-9)
        print(f"{name:28}{cells}{worst:>12.2f}{' ' if worst <= 1.1 else '!'}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assertions", type=int, default=2000)
    parser.add_argument("--files", type=int, nargs="+", default=[1, 8, 32, 100])
    parser.add_argument("--union-assertions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--claims", type=int, default=30)
    parser.add_argument("--skip-sweep", action="store_true", help="Only the union ratio and the append cost.")
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    queries = texts()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        if not args.skip_sweep:
            sweep_section(directory, queries, args)
        source = directory / "union.nt"
        write_store(args.union_assertions, source)
        store = build(directory, source, 8)
        plain = plain_union(store, directory)
        print(
            f"\n2. Union ratio, {args.union_assertions:,} assertions loaded as 8 files (goal: ssbkg/pyoxigraph <= 1.2)"
        )
        print(
            f"{'query':28}{'ssbkg':>10}{'pyoxigraph':>12}{'ratio':>8}{'oxigraph (Rust, cold)':>24}{'rows':>8}",
            flush=True,
        )
        ratios = []
        for name, text in queries.items():
            # Interleaved, so that other work on the machine weighs on both sides alike.
            ours, theirs = interleaved(store, plain, name, text, args.runs)
            rust = rust_time(plain, name, text, directory)
            ratio = ours[0] / max(theirs[0], 1e-9)
            ratios.append(ratio)
            print(
                f"{name:28}{ours[0]:>9.3f}s{theirs[0]:>11.3f}s{ratio:>7.2f}{' ' if ratio <= 1.2 else '!'}"
                f"{'failed' if rust is None else f'{rust:.3f}s':>24}{ours[1]:>8}",
                flush=True,
            )
        print(f"{'median ratio':28}{statistics.median(ratios):>31.2f}", flush=True)

        first, last = append_cost(directory, args.claims)
        print(
            f"\n3. Appending a claim (each with a new report): {first} triples written into a store with no claims, "
            f"{last} into one with {args.claims} (goal: the same, O(1 claim))"
        )


if __name__ == "__main__":
    main()
