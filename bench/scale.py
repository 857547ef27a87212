"""ssbkg at scale, side by side with the engine underneath, in one run.

Usage: python bench/scale.py [--sizes 10000 100000 1000000] [--runs 5] [--load-runs 3] [--rdflib-max 10000]
                             [--query-timeout 300] [--query-max 1000000] [--no-virtuoso]

Prints, each figure with its goal beside it:
  1. load of a 1-million-triple Turtle file: `ssbkg load --skip-validation` against
     `pyoxigraph.Store.bulk_load` into a named graph (and a naive rdflib Graph.parse): time, triples/s,
     peak memory;
  2. at each store size (assertions of bench/generate.py, 8.7 triples each): building the store with
     `ssbkg load --skip-validation` and with bulk_load (peak memory: flat is the goal), a 100-assertion
     batch loaded with the gate against without it, and every stored query and rule: median time and
     rows (and the same query on a naive rdflib graph up to --rdflib-max); beside each, the same query
     through ssbkg on a Virtuoso the benchmark starts on loopback (as the tests do) and loads with the
     same file, and the ratio (goal <= 1.0);
  3. `ssbkg query alliance-members` from the shell, cold, against the floor (click + pyoxigraph, on the
     bundled data) and against the Rust `oxigraph query` command (CASIP on the largest store);
  4. how each query's time per result row grows from the smallest store to the largest (goal <= 1.5).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import machine, median, run, ssbkg_command  # noqa: E402
from generate import write_batch, write_store  # noqa: E402

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "ssb": "https://w3id.org/ssbkg/ontology#",
    "ssbid": "https://w3id.org/ssbkg/id/",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
}

# Each stored query and rule with parameters that reach the generated part of the store.
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("alliance-members", {"alliance": "gen-alliance-0"}),
    ("candidates", {"alliance": "gen-alliance-0"}),
    ("claims-by-source", {"report": "gen-report-3"}),
    ("conflicts", {}),
    ("corroboration", {"alliance": "gen-alliance-0"}),
    ("find", {"text": "Maker 12"}),
    ("organization-profile", {"organization": "gen-org-3"}),
    ("reports", {}),
    ("retractions", {}),
    ("top-ranked-members", {"ranking": "ranking-sne-2023-full-year"}),
    ("weakly-sourced", {}),
    ("rules/accepted-members", {"minCertainty": "reported"}),
    ("rules/top-ranked-candidates", {}),
]

BULK_LOAD = """
import sys, pyoxigraph as ox
fmt = ox.RdfFormat.TURTLE if sys.argv[2].endswith(".ttl") else ox.RdfFormat.N_TRIPLES
store = ox.Store(sys.argv[1])
store.bulk_load(path=sys.argv[2], format=fmt, to_graph=ox.NamedNode("https://example.org/graph"))
store.flush()
"""

RDFLIB_LOAD = """
import sys, rdflib
rdflib.Graph().parse(sys.argv[1], format="turtle")
"""

# Runs in a child process, so that a runaway query can be stopped: the engine cannot be interrupted.
TIME_QUERY = """
import json, sys, time
from ssbkg.querying.catalogue import find_query, load_query
from ssbkg.resources import queries_dir
from ssbkg.stores import StoreConfig, open_store
from ssbkg.querying.catalogue import query_form
store_dir, name, params, runs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4])
kept = len(sys.argv) > 5 and sys.argv[5] == "kept"
query = load_query(queries_dir() / f"{name}.rq") if "/" in name else find_query(name)
times = []
import os
from ssbkg.querying import running
config = StoreConfig(store_dir, http_timeout=float(os.environ.get("SSBKG_HTTP_TIMEOUT", "30")))
with open_store(config, write=False) as store:
    sparql = query.bind(running.resolved(store, query, params))
    method = store.select if query_form(sparql) == "SELECT" else store.construct
    for _ in range(runs):
        start = time.perf_counter()
        # kept: as `ssbkg query` answers (from the answers kept at write time where the store keeps them)
        result = running.query(store, query, params) if kept else method(sparql)
        times.append(time.perf_counter() - start)
rows = len(result.rows) if hasattr(result, "rows") else len(result)
print(json.dumps({"times": times, "rows": rows}))
"""

# A claim written through the library, N times: its whole time, and the part that keeps the answers
# current (Store._keep_answers: the records it touches derived and written beside the publication).
CLAIM_TIME = """
import json, sys, time
from ssbkg.stores import open_store
from ssbkg.stores.versioned import Store
from ssbkg.writing import claims
from ssbkg.writing.claim_triples import Claim
store_dir, runs = sys.argv[1], int(sys.argv[2])
spent = [0.0]
keep = Store._keep_answers
def timed(self, *args, **kwargs):
    start = time.perf_counter()
    try:
        return keep(self, *args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - start
Store._keep_answers = timed
out = []
with open_store(store_dir, write=True) as store:
    for i in range(runs):
        spent[0] = 0.0
        claim = Claim(subject=f"gen-org-{i}", object="gen-alliance-0", certainty="reported", confidence="0.7",
                      headline=f"Bench claim {i}", date=f"2024-05-{1 + i:02d}", publisher="gen-pub-1",
                      url=f"https://example.org/bench/{i}")
        start = time.perf_counter()
        claims.record(store, [claim], agent="bench")
        out.append((time.perf_counter() - start, spent[0]))
print(json.dumps(out))
"""

# The same bound query on a naive rdflib graph holding the bundled data and the store's file.
RDFLIB_QUERY = """
import json, sys, time, rdflib
from ssbkg import resources
from ssbkg.querying.catalogue import find_query, load_query
g = rdflib.Graph()
for f in resources.bundled_files():
    g.parse(f.path, format="turtle")
start = time.perf_counter()
g.parse(sys.argv[1], format="nt")
parse = time.perf_counter() - start
name, params = sys.argv[2], json.loads(sys.argv[3])
query = load_query(resources.queries_dir() / f"{name}.rq") if "/" in name else find_query(name)
start = time.perf_counter()
rows = len(list(g.query(query.bind(params))))
print(json.dumps({"parse": parse, "time": time.perf_counter() - start, "rows": rows}))
"""


def triples_in(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f)


def bound_query(name: str, params: dict[str, str]) -> str:
    from ssbkg.querying.catalogue import find_query, load_query
    from ssbkg.resources import queries_dir

    query = load_query(queries_dir() / f"{name}.rq") if "/" in name else find_query(name)
    return query.bind(params)


def to_turtle(nt: Path, ttl: Path) -> None:
    import pyoxigraph as ox

    ox.serialize(ox.parse(path=str(nt)), str(ttl), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def fmt_rate(n: int, seconds: float) -> str:
    return f"{n / seconds / 1000:,.0f}k triples/s"


def line(label: str, value: str, goal: str = "") -> None:
    print(f"  {label:<52} {value:<34} {goal}")


class Bench:
    def __init__(self, options: argparse.Namespace, tmp: Path) -> None:
        self.o = options
        self.tmp = tmp
        self.ssbkg = ssbkg_command()
        self.query_times: dict[str, dict[int, tuple[float, int] | None]] = {}
        self.virtuoso: object | None = None  # the server of the current size, when --virtuoso
        self.runs = options.runs

    def store(self, name: str) -> Path:
        """A new, seeded store directory."""
        path = self.tmp / name
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run([self.ssbkg, "--store", str(path), "init"], check=True, capture_output=True)
        return path

    def ssbkg_load(self, data: Path, store: Path, *extra: str) -> tuple[float, float]:
        return run([self.ssbkg, "--store", str(store), "load", *extra, str(data)])

    def bulk_load(self, data: Path) -> tuple[float, float]:
        target = self.tmp / "bulk"
        shutil.rmtree(target, ignore_errors=True)
        try:
            return run([sys.executable, "-c", BULK_LOAD, str(target), str(data)])
        finally:
            shutil.rmtree(target, ignore_errors=True)

    # -------------------------------------------------------------- 1. the 1M-triple file

    def load_file(self) -> None:
        nt, ttl = self.tmp / "load.nt", self.tmp / "load.ttl"
        write_store(125_000, nt)
        to_turtle(nt, ttl)
        n = triples_in(nt)
        nt.unlink()
        size = ttl.stat().st_size / 2**20
        print(f"\n1. Load of a {n:,}-triple Turtle file ({size:.0f} MB), medians of {self.o.load_runs}")
        ours, bulk = [], []
        for _ in range(self.o.load_runs):  # interleaved, so that both see the same machine state
            ours.append(self.ssbkg_load(ttl, self.store("load-store"), "--skip-validation"))
            bulk.append(self.bulk_load(ttl))
        t_ours, m_ours = statistics.median(r[0] for r in ours), max(r[1] for r in ours)
        t_bulk, m_bulk = statistics.median(r[0] for r in bulk), max(r[1] for r in bulk)
        line(
            "ssbkg load --skip-validation (new version, published)",
            f"{t_ours:6.2f} s  {fmt_rate(n, t_ours)}",
            f"peak {m_ours:,.0f} MB",
        )
        line(
            "pyoxigraph Store.bulk_load into a named graph",
            f"{t_bulk:6.2f} s  {fmt_rate(n, t_bulk)}",
            f"peak {m_bulk:,.0f} MB",
        )
        line("ratio", f"{t_ours / t_bulk:6.2f}", "(goal <= 1.2)")
        if self.o.rdflib_load:
            t_rdf, m_rdf = run([sys.executable, "-c", RDFLIB_LOAD, str(ttl)])
            line(
                "naive: rdflib Graph().parse, in memory, one run",
                f"{t_rdf:6.2f} s  {fmt_rate(n, t_rdf)}",
                f"peak {m_rdf:,.0f} MB",
            )
            line("rdflib / ssbkg", f"{t_rdf / t_ours:6.1f} x slower", f"{m_rdf / m_ours:.1f} x the memory")
        ttl.unlink()

    # -------------------------------------------------------------- 2. each store size

    def size(self, n: int) -> Path:
        data, batch = self.tmp / f"store-{n}.nt", self.tmp / "batch.nt"
        write_store(n, data)
        write_batch(n, 100, batch)
        triples = triples_in(data)
        store = self.store(f"store-{n}")
        print(f"\n2. Store of {n:,} assertions ({triples:,} triples)")
        t_ours, m_ours = self.ssbkg_load(data, store, "--skip-validation")
        t_bulk, m_bulk = self.bulk_load(data)
        line(
            "build: ssbkg load --skip-validation",
            f"{t_ours:7.2f} s  {fmt_rate(triples, t_ours)}",
            f"peak {m_ours:,.0f} MB (goal flat, <= 1,536)",
        )
        line(
            "build: pyoxigraph bulk_load, named graph",
            f"{t_bulk:7.2f} s  {fmt_rate(triples, t_bulk)}",
            f"peak {m_bulk:,.0f} MB",
        )
        base = [self.ssbkg, "--store", str(store), "load"]
        gated, _ = median([*base, str(batch)], self.o.runs)
        plain, _ = median([*base, "--skip-validation", str(batch)], self.o.runs)
        line("100 new assertions: ssbkg load with the gate", f"{gated:7.2f} s")
        line("100 new assertions: ssbkg load --skip-validation", f"{plain:7.2f} s")
        line("gate / no gate", f"{gated / plain:7.1f} x", "(goal <= 10)")
        claimed = json.loads(
            subprocess.run(
                [sys.executable, "-c", CLAIM_TIME, str(store), str(self.o.runs)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        whole, keeping = statistics.median(c[0] for c in claimed), statistics.median(c[1] for c in claimed)
        line("a claim, written (in process)", f"{whole * 1000:7.1f} ms")
        line("  of which keeping the answers current", f"{keeping * 1000:7.1f} ms", "(goal <= 20 ms, flat)")
        # Out again, so that the queries below read what Virtuoso holds (the same file, no batch).
        subprocess.run([self.ssbkg, "--store", str(store), "drop", "batch"], check=True, capture_output=True)
        subprocess.run([self.ssbkg, "--store", str(store), "drop", "claims"], check=True, capture_output=True)
        if n > self.o.query_max:
            print(f"  queries not timed above --query-max {self.o.query_max:,}")
        elif self.o.virtuoso:
            with self.virtuoso_with(data, n) as url:
                self.queries(n, store, data, url)
        else:
            self.queries(n, store, data, None)
        data.unlink()
        return store

    @contextmanager
    def virtuoso_with(self, data: Path, n: int) -> Iterator[str]:
        """A new Virtuoso holding the bundled graphs and `data`, loaded through ssbkg, for one size."""
        sys.path.insert(0, str(HERE.parent))
        from tests.servers import start_virtuoso

        folder = self.tmp / f"virtuoso-{n}"
        folder.mkdir()
        # Uncapped, as the embedded store is: Debian's 10,000 rows would make ssbkg refuse (exit 3).
        server = start_virtuoso(folder, buffers=self.o.virtuoso_buffers, max_rows=10_000_000)
        try:
            subprocess.run([self.ssbkg, "--store", server.query_url, "init"], check=True, capture_output=True)
            took, _ = run([self.ssbkg, "--store", server.query_url, "load", "--skip-validation", str(data)])
            line("build: ssbkg load --skip-validation into Virtuoso", f"{took:7.2f} s")
            yield server.query_url
        finally:
            server.stop()
            shutil.rmtree(folder, ignore_errors=True)

    def queries(self, n: int, store: Path, data: Path, virtuoso: str | None) -> None:
        naive = n <= self.o.rdflib_max
        self.runs = self.o.runs if n <= 100_000 else 1  # a store of a million: one run of each
        title = f"query (median of {self.runs})"
        rust = f"{'rust cli':>10} {'ratio':>6} (goal <= 1.2)"
        beside = f"{'virtuoso':>10} {'kept/v':>6} (goal <= 0.5)" if virtuoso else ""
        print(f"  {title:<30} {'text':>10} {'kept':>10} {'rows':>9} {'ms/row':>9}  {rust}  {beside}   naive rdflib")
        opening = self.rust_query(store, "ASK {}")  # the Rust command's start-up and opening, taken off
        stopped = f"{'> ' + str(self.o.query_timeout) + ' s':>10}"
        for name, params in QUERIES:
            timing = self.time_query(str(store), name, params)
            self.query_times.setdefault(name, {})[n] = timing
            theirs = self.time_query(virtuoso, name, params) if virtuoso else None
            answered = self.time_query(str(store), name, params, kept=True)
            if timing is None:  # the text ran away: what ssbkg answers, and Virtuoso, are still worth a line
                kept_text = f"{answered[0]:9.3f}s {answered[1]:9,}" if answered else f"{stopped} {'':>9}"
                theirs_text = f"{theirs[0]:9.3f}s ({theirs[1]:,} rows)" if theirs else stopped
                print(f"  {name:<30} {stopped} {kept_text}   the text stopped: a runaway query; virtuoso {theirs_text}")
                continue
            seconds, rows = timing
            fast = answered[0] if answered is not None else seconds
            if answered is not None and answered[1] != rows:
                print(f"  {name:<30} the kept answers gave {answered[1]:,} rows, the text {rows:,}: a bug")
            raw = self.rust_query(store, bound_query(name, params))
            beside_rust = f"{stopped:>17}" if raw is None or opening is None else ""
            if raw is not None and opening is not None:
                engine = max(raw - opening, 1e-3)
                beside_rust = f"{engine:9.3f}s {seconds / engine:6.2f}"
            compared = ""
            if virtuoso and theirs is None:
                compared = stopped
            elif virtuoso and theirs is not None:
                differ = "" if theirs[1] == rows else f" ({theirs[1]:,} rows)"
                compared = f"{theirs[0]:9.3f}s {fast / theirs[0]:6.2f}{differ}"
            extra = self.rdflib_query(data, name, params, seconds) if naive else ""
            print(
                f"  {name:<30} {seconds:9.3f}s {fast:9.3f}s {rows:9,} {fast * 1000 / max(rows, 1):9.3f}  "
                f"{beside_rust}{'':14}  {compared}   {extra}"
            )

    def rust_query(self, store: Path, sparql: str) -> float | None:
        """The median wall time of the Rust `oxigraph query` on the same store directory, its default
        graph the union of the named graphs (which is what the store's content is), or None when stopped."""
        oxigraph = shutil.which("oxigraph") or sys.exit("the oxigraph command is missing: pip install oxigraph")
        path = self.tmp / "rust.rq"
        path.write_text(sparql, encoding="utf-8")
        form = "nt" if re.search(r"(?im)^\s*CONSTRUCT\b", sparql) else "csv"
        cmd = [oxigraph, "query", "--location", str(store), "--query-file", str(path), "--union-default-graph"]
        times = []
        for _ in range(self.runs):
            start = time.perf_counter()
            try:
                subprocess.run(
                    [*cmd, "--results-format", form],
                    check=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    timeout=self.o.query_timeout,
                )
            except subprocess.TimeoutExpired:
                return None
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    def rdflib_query(self, data: Path, name: str, params: dict[str, str], ours: float) -> str:
        cmd = [sys.executable, "-c", RDFLIB_QUERY, str(data), name, json.dumps(params)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=self.o.rdflib_timeout)
        except subprocess.TimeoutExpired:
            return f"> {self.o.rdflib_timeout} s (stopped)"
        if done.returncode != 0:
            return "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:60]
        r = json.loads(done.stdout)
        return f"{r['time']:8.3f} s ({r['time'] / ours:,.0f} x slower, {r['rows']:,} rows)"

    def time_query(
        self, store: str, name: str, params: dict[str, str], *, kept: bool = False
    ) -> tuple[float, int] | None:
        """The median time and the rows of a stored query on a store directory or a server's URL: its text
        alone (the engine), or as ssbkg answers it (`kept`: from the answers kept at write time)."""
        mode = ["kept"] if kept else []
        cmd = [sys.executable, "-c", TIME_QUERY, store, name, json.dumps(params), str(self.runs), *mode]
        # A server's answer is awaited as long as a run may take (ssbkg's default is 30 s).
        env = {**os.environ, "SSBKG_HTTP_TIMEOUT": str(self.o.query_timeout)}
        try:
            # --query-timeout is per run: the child runs the query --runs times.
            limit = self.o.query_timeout * self.runs
            out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=limit, env=env).stdout
        except subprocess.TimeoutExpired:
            return None
        except subprocess.CalledProcessError as e:  # the engine gave up (a server's own limit): said, not fatal
            print(f"  ({name} on {store}: {(e.stderr.strip().splitlines() or ['failed'])[-1][:100]})")
            return None
        result = json.loads(out)
        return statistics.median(result["times"]), result["rows"]

    # -------------------------------------------------------------- 3. start-up, from the shell

    def startup(self, largest: Path | None, largest_n: int) -> None:
        print(f"\n3. ssbkg query alliance-members from the shell, cold, medians of {self.o.cold_runs}")
        bundled = self.store("bundled")
        self.cold(bundled, "casip", floor=True)
        if largest is not None:
            # CASIP, a selective question: the Rust command runs the text, which for the largest generated
            # alliance runs for minutes (what ssbkg answers from its kept answers).
            print(f"  on the store of {largest_n:,} assertions, CASIP:")
            self.cold(largest, "casip", floor=False)

    def cold(self, store: Path, alliance: str, *, floor: bool) -> None:
        from ssbkg.querying.catalogue import find_query

        bound = self.tmp / "bound.rq"
        bound.write_text(find_query("alliance-members").bind({"alliance": alliance}), encoding="utf-8")
        ours = [
            self.ssbkg,
            "--store",
            str(store),
            "query",
            "alliance-members",
            "-p",
            f"alliance={alliance}",
            "--format",
            "csv",
        ]
        if floor:
            ref = [sys.executable, str(HERE / "floor.py"), str(store), str(bound)]
            label, goal = "the floor: click + pyoxigraph, read-only, CSV", "(goal <= 1.25)"
        else:
            with_from = self.tmp / "from.rq"
            with_from.write_text(
                with_dataset(bound.read_text(encoding="utf-8"), published_versions(store)), encoding="utf-8"
            )
            oxigraph = shutil.which("oxigraph") or sys.exit("the oxigraph command is missing: pip install oxigraph")
            ref = [
                oxigraph,
                "query",
                "--location",
                str(store),
                "--query-file",
                str(with_from),
                "--results-format",
                "csv",
            ]
            label, goal = "Rust: oxigraph query, FROM the same graphs", "(goal <= 1.1)"
        a, b = [], []
        for _ in range(self.o.cold_runs):
            a.append(run(ours)[0])
            b.append(run(ref)[0])
        ma, mb = statistics.median(a), statistics.median(b)
        line("ssbkg query alliance-members --format csv", f"{ma * 1000:8.1f} ms")
        line(label, f"{mb * 1000:8.1f} ms")
        line("ratio", f"{ma / mb:8.2f}", goal)

    # -------------------------------------------------------------- 4. growth

    def growth(self, sizes: list[int]) -> None:
        small, large = min(sizes), max(sizes)
        print(f"\n4. Time per result row, {large:,} assertions against {small:,} (goal <= 1.5)")
        for name, times in self.query_times.items():
            a, b = times.get(small), times.get(large)
            if a is None or b is None:
                print(f"  {name:<30} {'FLAG: stopped after ' + str(self.o.query_timeout) + ' s':>20}")
                continue
            growth = (b[0] / max(b[1], 1)) / (a[0] / max(a[1], 1))
            print(f"  {name:<30} {growth:8.2f}   {'over the goal' if growth > 1.5 else 'ok'}")


def published_versions(store: Path) -> list[str]:
    from ssbkg.stores import StoreConfig, open_store

    with open_store(StoreConfig(str(store)), write=False) as s:
        return [g.version for g in s.published()]


def with_dataset(sparql: str, graphs: list[str]) -> str:
    """The query with FROM and FROM NAMED for each graph, before its first top-level WHERE."""
    clauses = "".join(f"FROM <{g}>\nFROM NAMED <{g}>\n" for g in graphs)
    return re.sub(r"^WHERE\b", lambda m: clauses + m.group(0), sparql, count=1, flags=re.MULTILINE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", nargs="+", type=int, default=[10_000, 100_000, 1_000_000], help="store sizes in assertions"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per query and per batch load")
    parser.add_argument("--load-runs", type=int, default=3, help="runs of the 1M-triple load")
    parser.add_argument("--cold-runs", type=int, default=15, help="runs of each cold command")
    parser.add_argument("--rdflib-max", type=int, default=10_000, help="largest size queried with rdflib too")
    parser.add_argument("--no-rdflib-load", dest="rdflib_load", action="store_false", help="skip rdflib's 1M load")
    parser.add_argument("--query-timeout", type=int, default=300, help="seconds before a query is called runaway")
    parser.add_argument("--rdflib-timeout", type=int, default=60, help="seconds before an rdflib query is stopped")
    parser.add_argument("--query-max", type=int, default=1_000_000, help="largest size whose queries are timed")
    parser.add_argument("--no-virtuoso", dest="virtuoso", action="store_false", help="leave out the Virtuoso column")
    parser.add_argument("--virtuoso-buffers", type=int, default=340_000, help="Virtuoso's NumberOfBuffers (8 kB)")
    parser.add_argument(
        "--http-timeout", type=float, default=900, help="each request's deadline on Virtuoso (a large load's are slow)"
    )
    options = parser.parse_args()
    os.environ["SSBKG_HTTP_TIMEOUT"] = str(options.http_timeout)  # ssbkg's commands and the timed queries
    print(f"ssbkg benchmark, {time.strftime('%Y-%m-%d')}: {machine()}")
    tmp = Path(tempfile.mkdtemp(prefix="ssbkg-bench-"))
    bench = Bench(options, tmp)
    try:
        bench.load_file()
        sizes = sorted(options.sizes)
        queried = [n for n in sizes if n <= options.query_max]
        largest = None
        for n in sizes:
            store = bench.size(n)
            if n == max(queried, default=None):
                largest = store
            else:
                shutil.rmtree(store)
        bench.startup(largest, max(queried, default=0))
        if len(queried) > 1:
            bench.growth(queried)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
