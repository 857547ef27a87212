from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from ssbkg.cli import cli

from . import corpus as corpus_files
from . import servers
from .faultproxy import FaultProxy

PREFIXES = """\
@prefix ssb:    <https://w3id.org/ssbkg/ontology#> .
@prefix ssbid:  <https://w3id.org/ssbkg/id/> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded store, copied for each test that needs a store of its own (seeding costs a parse)."""
    path = tmp_path_factory.mktemp("template") / "store"
    result = CliRunner().invoke(cli, ["--store", str(path), "init"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def store_path(seeded_template: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "store"
    shutil.copytree(seeded_template, target)
    return target


GENEROUS_HTTP = "600"  # seconds a request to a test server may take on a busy machine; a test of deadlines sets its own
# Every ssbkg the tests run, in process or as a subprocess, waits that long for a server unless told
# otherwise (--http-timeout on the command line wins over the environment).
os.environ["SSBKG_HTTP_TIMEOUT"] = GENEROUS_HTTP
STORE_KINDS = ["embedded", "oxigraph-server", "virtuoso"]
_STARTERS = {
    "oxigraph-server": (servers.start_oxigraph, servers.oxigraph_available, "pip install oxigraph"),
    "virtuoso": (servers.start_virtuoso, servers.virtuoso_available, "apt-get install virtuoso-opensource"),
}


# The slow kinds, for running the suite in parts (docs/testing.md); CI runs them all.
_SERVER_MODULES = {
    "test_faults",
    "test_grlc",
    "test_hostile_servers",
    "test_remote_crash",
    "test_row_cap",
    "test_serve",
}
_CRASH_MODULES = {"test_crash", "test_remote_crash"}


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: half again as many test processes as cores (at most 12). Much of a test's time is
    spent waiting on a server or a subprocess, so a core is rarely busy with one test alone."""
    return min(12, max(2, (os.cpu_count() or 1) * 3 // 2))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if isinstance(item, pytest.Function) else ""
        params = getattr(getattr(item, "callspec", None), "params", {})
        if module in _SERVER_MODULES or set(map(str, params.values())) & set(_STARTERS):
            item.add_marker(pytest.mark.servers)
        if module in _CRASH_MODULES:
            item.add_marker(pytest.mark.crash)
        if module == "test_lint":
            item.add_marker(pytest.mark.lint)
    # The longest tests first, so that in parallel (-n auto) no worker is left with one at the end
    # while the others wait; the order within each kind stays the collection's.
    items.sort(key=_weight)


_HEAVY = ("crash", "slow", "lint", "browser", "site")


def _weight(item: pytest.Item) -> int:
    if any(item.get_closest_marker(name) for name in _HEAVY):
        return 0
    return 1 if item.get_closest_marker("servers") else 2


@pytest.fixture(scope="session")
def server_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Real servers, started the first time a test asks for one and stopped at the end of the run."""
    started: dict[str, servers.Server] = {}
    urls: dict[str, str] = {}

    class Lazy(dict[str, str]):
        def __missing__(self, kind: str) -> str:
            start, available, install = _STARTERS[kind]
            if available() is None:
                message = f"{kind} is not installed here ({install}); .ci/run installs it"
                if servers.required_in_ci():
                    pytest.fail(message + " -- and CI requires it")
                pytest.skip(message)
            server = start(tmp_path_factory.mktemp(kind))
            started[kind] = server
            self[kind] = server.query_url
            return server.query_url

    lazy = Lazy(urls)
    yield lazy
    for server in started.values():
        server.stop()


def reset_server(url: str) -> None:
    """Drop every graph of ssbkg's on a server (never the server's own system graphs)."""
    from ssbkg.stores.remote import open_remote

    store = open_remote(url, timeout=float(GENEROUS_HTTP))
    rows = store.backend.content_select(
        'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), "https://w3id.org/ssbkg/")'
        ' || STRSTARTS(STR(?g), "https://example.org/")) }',
        None,
    ).rows
    drops = [f"DROP SILENT GRAPH <{row[0].value}>" for row in rows if row[0] is not None]
    if drops:
        store.backend.meta_update(" ;\n".join(drops))


def seeded_store(kind: str, directory: Path, seeded_template: Path, server_urls: dict[str, str]) -> str:
    """A freshly seeded store of one kind: embedded on disk (in `directory`), Oxigraph server, Virtuoso."""
    if kind == "embedded":
        import shutil

        target = directory / "store"
        shutil.copytree(seeded_template, target)
        return str(target)
    url = server_urls[kind]
    reset_server(url)
    result = CliRunner().invoke(cli, ["--store", url, "init"])
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture(autouse=True)
def no_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """No $COLUMNS unless a test sets it: pytest-xdist's workers have COLUMNS=80, a plain run none, and
    ssbkg fits what it prints to $COLUMNS when piped; every test sees the same either way."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def run(store_spec: str) -> Callable[..., Result]:
    """Run the CLI against this test's own store: `store_spec`, which each layer's conftest gives
    (embedded in tests/cli, each store kind in tests/contract, none in tests/unit)."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, ["--store", store_spec, *args], input=input)

    return invoke


@pytest.fixture
def run_embedded(store_path: Path) -> Callable[..., Result]:
    """Run the CLI against an embedded store of this test's own."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, ["--store", str(store_path), *args], input=input)

    return invoke


@pytest.fixture
def write_ttl(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(name: str, body: str) -> Path:
        path = tmp_path / name
        path.write_text(PREFIXES + body, encoding="utf-8")
        return path

    return write


def rows(result: Result) -> list[dict[str, str]]:
    """The CSV rows a successful command printed."""
    import csv
    import io

    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def dump_store(spec: str | Path) -> list[str]:
    """Every quad of a store, the registry and the history included, sorted."""
    spec = str(spec)
    if spec.startswith("http"):
        from ssbkg.stores.remote import open_remote

        rows = (
            open_remote(spec, timeout=float(GENEROUS_HTTP))
            .backend.content_select(
                "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                'FILTER (STRSTARTS(STR(?g), "https://w3id.org/ssbkg/")) }',
                None,
            )
            .rows
        )
        return sorted(" ".join(str(t) for t in row) for row in rows)
    quads = []
    for part in (Path(spec), Path(spec) / "ssbkg-history"):  # the content, then the registry and history
        if part.exists():
            store = ox.Store.read_only(str(part))
            quads += sorted(str(q) for q in store)
            del store
    return quads


@pytest.fixture
def oxigraph(server_urls: dict[str, str]) -> str:
    """The session's Oxigraph server, emptied and seeded for this test."""
    url = server_urls["oxigraph-server"]
    reset_server(url)
    assert CliRunner().invoke(cli, ["--store", url, "init"]).exit_code == 0
    return url


@pytest.fixture
def proxy(oxigraph: str) -> Iterator[FaultProxy]:
    """A fault-injecting proxy in front of that server (tests/faultproxy.py)."""
    p = FaultProxy(oxigraph.rsplit("/", 1)[0]).start()
    yield p
    p.stop()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/bad, plus the files too big or too binary to keep in the repository."""
    folder = tmp_path_factory.mktemp("bad")
    for f in corpus_files.BAD.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "binary.ttl").write_bytes(bytes(range(256)) * 8)
    literal = "a" * 17_000_000  # over the parser's 16 MB token buffer
    (folder / "huge.nt").write_text(
        f'<https://w3id.org/ssbkg/id/x> <http://www.w3.org/2000/01/rdf-schema#comment> "{literal}" .\n'
    )
    return folder
