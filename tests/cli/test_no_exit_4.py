"""Exit 4 is for a bug in ssbkg and nothing else: no argument, file, server answer or state of the file
system makes it. The corpus below feeds the commands what users, attackers and broken servers give them;
each case may be refused with any other code, and must never be taken for an internal error.

The cases that need an exact code and message have their own tests (test_bad_input, test_hostile_servers,
test_trust); this one sweeps wide and asks only that."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssbkg.cli import cli

from ..conftest import PREFIXES
from ..contract.test_hostile_servers import answer
from ..corpus import BAD, LAUGHS, RDFXML_HEAD
from ..faultproxy import FaultProxy, Rule

CLAIM = ["claim", "sunwoda", "casip", "--certainty", "speculative", "--confidence", "0.2"]
NOTE = "note-casip-fact-sheet-2026-11-25"


def not_a_bug(result: Result) -> None:
    assert result.exit_code != 4, result.output[-2000:]
    assert "internal error" not in result.output and "Traceback" not in result.output, result.output[-2000:]


# ------------------------------------------------------------------------------------------- arguments

ARGUMENTS: list[list[str]] = [
    # stored queries and their parameters
    ["query", "alliance-members", "-p", "alliance="],
    ["query", "alliance-members", "-p", "=casip"],
    ["query", "alliance-members", "-p", "alliance"],
    ["query", "alliance-members", "-p", "alliance=casip", "-p", "alliance=casip"],
    ["query", "alliance-members", "-p", "nosuch=1"],
    ["query", "alliance-members", "-p", "alliance=<>"],
    ["query", "alliance-members", "-p", "alliance=http://exa mple.org/"],
    ["query", "alliance-members", "-p", "alliance=\x1b]0;owned\x07\x1b[2J"],
    ["query", "alliance-members", "-p", "alliance=_:b0"],
    ["query", "alliance-members", "-p", "alliance=ssbid:"],
    ["query", "alliance-members", "-p", "alliance=casip", "-p", "asOf=2024-02-30"],
    ["query", "alliance-members", "-p", "alliance=casip", "-p", "asOf=0000-01-01"],
    ["query", "alliance-members", "-p", "alliance=casip", "-p", "asOf=-2024-01-01"],
    ["query", "alliance-members", "-p", "alliance=casip", "-p", "asOf=99999-12-31"],
    ["query", "alliance-members", "-p", "alliance=casip", "-p", "minCertainty=bogus"],
    ["query", "top-ranked-members", "-p", "ranking=ranking-sne-2023-full-year", "-p", "topN=-1"],
    ["query", "top-ranked-members", "-p", "ranking=ranking-sne-2023-full-year", "-p", "topN=1e999"],
    ["query", "top-ranked-members", "-p", "ranking=ranking-sne-2023-full-year", "-p", "topN=" + "9" * 400],
    ["query", "top-ranked-members", "-p", "ranking=ranking-sne-2023-full-year", "-p", "topN=0x10"],
    ["query", "nosuch"],
    ["query", "../../../../etc/passwd"],
    ["query", "rules/../../README"],
    ["query", "/dev/null"],
    ["query", "/"],
    ["query", "SELECT"],
    ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT -1"],
    ["query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"],
    ["query", "LOAD <file:///etc/passwd>"],
    ["query", "DELETE WHERE { ?s ?p ?o }"],
    ["query", "DESCRIBE <urn:x>", "--format", "csv"],
    ["query", "ASK { }", "--format", "turtle"],
    ["query", "SELECT (1/0 AS ?x) (xsd:integer('x') AS ?y) WHERE {}"],
    ["query", "SELECT (REGEX('a', '(') AS ?x) WHERE {}"],
    ["query", "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s", "--columns", "nosuch"],
    ["query", "reports", "--timeout", "-1"],
    ["query", "reports", "--timeout", "1e309"],
    ["query", "reports", "--format", "nosuch"],
    # the other readers
    ["find", ""],
    ["find", "("],
    ["find", "\\"],
    ["find", ".*+?[^$"],
    ["find", "x" * 100_000],
    ["explain", ""],
    ["explain", "nosuch"],
    ["explain", "catl", "nosuch"],
    ["explain", "catl", "casip", "--depth", "-1"],
    ["explain", "catl", "casip", "--depth", "99999999999999999999"],
    ["explain", "<javascript:alert(1)>"],
    ["explain", "_:b0"],
    ["explain", "urn:x"],
    ["changes", "--since", "2024-02-30"],
    ["changes", "--since", "yesterday"],
    ["changes", "--between", "2025-01-01", "2024-01-01"],
    ["graph", "nosuch", "-o", "{tmp}/g.svg"],
    ["graph", "casip", "--as-of", "2024-13-01", "-o", "{tmp}/g.svg"],
    ["graph", "casip", "-o", "{tmp}/no/such/folder/g.svg"],
    ["graph", "casip", "--dpi", "0", "-o", "{tmp}/g.png"],
    ["report", "nosuch", "-o", "{tmp}/r.html"],
    ["report", "casip", "-o", "/"],
    ["report", "casip", "-o", "/proc/version"],
    ["report", "casip", "-o", "/dev/full"],
    ["export", "--graph", "nosuch"],
    ["export", "-o", "{tmp}/no/such/folder/x.trig"],
    ["export", "-o", "/dev/full"],
    ["graphs", "--columns", ""],
    ["queries", "--queries", "/nonexistent"],
    ["queries", "--queries", "/dev/null"],
    # writers
    [*CLAIM],
    [*CLAIM, "--source", "nosuch"],
    [*CLAIM, "--source", NOTE, "--confidence", "2"],
    [*CLAIM, "--source", NOTE, "--confidence", "1e-400"],
    [*CLAIM, "--source", NOTE, "--confidence", "-0"],
    [*CLAIM, "--source", NOTE, "--certainty", "nosuch"],
    [*CLAIM, "--source", NOTE, "--predicate", "nosuch"],
    [*CLAIM, "--headline", "x", "--date", "2024-13-01", "--publisher", "cnevpost", "--url", "https://e.org"],
    [*CLAIM, "--headline", "x", "--date", "2024", "--publisher", "nosuch", "--url", "https://e.org"],
    [*CLAIM, "--headline", "x", "--date", "2024", "--publisher", "cnevpost", "--url", "javascript:alert(1)"],
    [*CLAIM, "--headline", "", "--date", "2024", "--publisher", "cnevpost", "--url", "not a url"],
    [*CLAIM, "--source", NOTE, "--quote", ""],
    [*CLAIM, "--source", NOTE, "--primary", "nosuch"],
    [*CLAIM, "--source", NOTE, "--quote", "\x00"],
    ["claim", "nosuch", "nosuch", "--certainty", "reported", "--confidence", "0.8", "--source", NOTE],
    ["claim", "--from-csv", "/dev/null"],
    ["claim", "--from-csv", "{tmp}/garbage.csv"],
    ["retract", "nosuch", "--reason", "x"],
    ["retract", "assertion-nio-member-casip-creative-marketing", "--reason", ""],
    ["drop", ""],
    ["drop", "nosuch"],
    ["drop", "https://w3id.org/ssbkg/graph/bundled/ontology"],
    ["load"],
    ["load", "{tmp}/nonexistent.ttl"],
    ["load", "{tmp}"],
    ["load", "/dev/null", "--syntax", "turtle"],
    ["load", "{tmp}/garbage.csv"],
    ["load", "{tmp}/good.ttl", "--syntax", "rdfxml"],
    ["load", "{tmp}/good.ttl", "--graph", ""],
    ["load", "{tmp}/good.ttl", "--graph", "not an iri"],
    ["load", "{tmp}/good.ttl", "--graph", "https://w3id.org/ssbkg/graph/bundled/ontology"],
    ["load", "-"],
    ["validate", "{tmp}/nonexistent.ttl"],
    ["validate", "/dev/null", "--syntax", "nt"],
    ["prune", "--orphan-age", "-1"],
    ["serve", "--port", "99999"],
    ["serve", "--port", "-1"],
    # the store's own options
    ["--store", "", "graphs"],
    ["--store", "/dev/null", "graphs"],
    ["--store", "/proc", "graphs"],
    ["--store", "{tmp}/good.ttl", "graphs"],
    ["--store", "http://[::1", "graphs"],
    ["--store", "ftp://127.0.0.1/x", "graphs"],
    ["--store", "http://127.0.0.1:0/sparql", "graphs"],
    ["--store", "http://127.0.0.1:9/sparql", "graphs"],
    ["--store", "http://127.0.0.1:9/sparql", "--http-timeout", "0", "graphs"],
    ["--wait", "-1", "graphs"],
    ["--queries", "{tmp}/good.ttl", "queries"],
]


@pytest.fixture(scope="module")
def shared_store(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One store for the whole corpus: the cases write nothing, or write what a user would keep."""
    folder = tmp_path_factory.mktemp("no-exit-4")
    shutil.copytree(seeded_template, folder / "store")
    (folder / "garbage.csv").write_bytes(b"subject,object\n\xff\xfe,\x00\n" + b"a," * 5000 + b"\n")
    (folder / "good.ttl").write_text(PREFIXES + "ssbid:catl rdfs:comment 'x' .\n", encoding="utf-8")
    return folder / "store", folder


@pytest.mark.parametrize("args", ARGUMENTS, ids=lambda a: " ".join(a)[:60])
def test_no_argument_is_taken_for_a_bug(args: list[str], shared_store: tuple[Path, Path]) -> None:
    store, tmp = shared_store
    given = [a.replace("{tmp}", str(tmp)) for a in args]
    if given[0] != "--store":
        given = ["--store", str(store), *given]
    not_a_bug(CliRunner().invoke(cli, given, input=b"not rdf"))


QUERIES = ["alliance-members", "corroboration", "organization-profile", "top-ranked-members", "claims-by-source"]
PARAMETERS = ["alliance", "asOf", "minCertainty", "topN", "ranking", "organization", "source"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40) | st.sampled_from(
    ["casip", "CASIP", "宁德时代", "ssbid:catl", "<https://w3id.org/ssbkg/id/catl>", "2024-02-05", "10", "reported"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    command=st.sampled_from(["query", "find", "explain"]),
    name=st.sampled_from(QUERIES),
    params=st.lists(st.tuples(st.sampled_from(PARAMETERS), TEXT), max_size=3),
    words=st.lists(TEXT, min_size=1, max_size=2),
)
def test_no_text_a_reader_is_given_is_taken_for_a_bug(
    shared_store: tuple[Path, Path], command: str, name: str, params: list[tuple[str, str]], words: list[str]
) -> None:
    if command == "query":
        args = [name, *(x for k, v in params for x in ("-p", f"{k}={v}"))]
    else:  # after "--", a word that starts with "-" is a word
        args = ["--", *(words[:1] if command == "find" else words)]
    result = CliRunner().invoke(cli, ["--store", str(shared_store[0]), command, *args])
    not_a_bug(result)
    assert "unexpected extra argument" not in result.output  # the case itself was well formed


# ------------------------------------------------------------------------------------------------ files


def _files(folder: Path) -> list[Path]:
    """tests/bad, and files built to hurt: entities, depth, binary, triple terms, a blank-node graph."""
    made = {
        "laughs.rdf": LAUGHS.encode(),
        "deep.rdf": (
            RDFXML_HEAD + "<rdf:Description><ex:p>" * 20_000 + "</ex:p></rdf:Description>" * 20_000 + "</rdf:RDF>"
        ).encode(),
        "deep.jsonld": ('{"@id": "http://e/s", "http://e/p": ' * 5000 + '"x"' + "}" * 5000).encode(),
        "deep.ttl": ("@prefix ex: <http://e/> .\nex:s ex:p " + "[ ex:p " * 20_000 + "ex:o" + " ]" * 20_000).encode(),
        "deep.trig": ("<http://e/g> { <http://e/s> <http://e/p> " + "( " * 20_000 + ")" * 20_000 + " . }").encode(),
        "binary.nt": bytes(range(256)) * 64,
        "binary.rdf": b"<?xml version='1.0'?>" + bytes(range(256)) * 64,
        "nul.ttl": PREFIXES.encode() + b"ssbid:catl rdfs:label 'a\x00b' .\n",
        "star.ttl": PREFIXES.encode() + b"<< ssbid:catl org:memberOf ssbid:casip >> ssb:confidence 0.9 .\n",
        "star.nt": b"<< <urn:a> <urn:b> <urn:c> >> <urn:d> <urn:e> .\n",
        "external-entity.rdf": (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&x;</rdf:RDF>'
        ),
        "remote-context.jsonld": b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:a", "p": "x"}',
        "huge-number.ttl": PREFIXES.encode() + b"ssbid:catl ssb:rank " + b"9" * 100_000 + b" .\n",
        "long-iri.nt": b"<urn:" + b"a" * 100_000 + b"> <urn:p> <urn:o> .\n",
        "blank-graph.nq": b"<urn:a> <urn:b> <urn:c> _:g .\n",
        "empty-graph.trig": b"<http://e/g> { }\n",
        "only-prefixes.ttl": PREFIXES.encode(),
        "wrong-syntax.jsonld": b"<urn:a> <urn:b> <urn:c> .\n",
    }
    for name, body in made.items():
        (folder / name).write_bytes(body)
    return sorted(BAD.iterdir()) + [folder / name for name in sorted(made)]


@pytest.mark.parametrize("mode", ["load", "load --skip-validation"])  # validate reads as a gated load does
def test_no_file_is_taken_for_a_bug(mode: str, store_path: Path, tmp_path: Path) -> None:
    for path in _files(tmp_path):
        result = CliRunner().invoke(cli, ["--store", str(store_path), *mode.split(), str(path)])
        assert result.exit_code != 4, (path.name, result.output[-2000:])
        assert "internal error" not in result.output, (path.name, result.output[-2000:])


# ---------------------------------------------------------------------------------------- server answers

RESULTS = "application/sparql-results+json"
ANSWERS: dict[str, Callable[..., object]] = {
    "a web page": lambda: answer(200, b"<html><body>Welcome</body></html>", "text/html"),
    "nothing": lambda: answer(200, b"", RESULTS),
    "half a document": lambda: answer(200, b'{"head": {"vars": ["graph"]}, "results": {"bindi', RESULTS),
    "no head": lambda: answer(200, b'{"results": {"bindings": []}}', RESULTS),
    "results of the wrong type": lambda: answer(200, b'{"head": {"vars": 5}, "results": 5}', RESULTS),
    "bindings of no known kind": lambda: answer(
        200,
        json.dumps(
            {"head": {"vars": ["graph", "n"]}, "results": {"bindings": [{"graph": {"type": "bogus"}, "n": 7}]}}
        ).encode(),
        RESULTS,
    ),
    "a boolean for rows": lambda: answer(200, b'{"head": {}, "boolean": "maybe"}', RESULTS),
    "bytes": lambda: answer(200, bytes(range(256)) * 16, RESULTS),
    "XML for JSON": lambda: answer(200, b"<sparql><results><result/></results></sparql>", "application/xml"),
    "a server error": lambda: answer(500, b"Internal Server Error", "text/plain"),
    "not found": lambda: answer(404, b"Not Found", "text/plain"),
    "a login": lambda: answer(401, b"", "text/plain", **{"WWW-Authenticate": 'Basic realm="x"'}),
    "a loop": lambda: answer(307, b"", "text/plain", Location="/query"),
    "a redirect elsewhere": lambda: answer(302, b"", "text/plain", Location="http://127.0.0.1:9/query"),
    "a bad status line": lambda: _raw(b"HTTP/1.1 two hundred\r\n\r\n"),
    "a lying length": lambda: _raw(b"HTTP/1.1 200 OK\r\nContent-Length: 99999\r\n\r\n{}"),
}


def _raw(data: bytes) -> object:
    def respond(handler: object) -> None:
        handler.wfile.write(data)  # type: ignore[attr-defined]

    return respond


COMMANDS: list[list[str]] = [
    ["graphs"],
    ["query", "alliance-members", "-p", "alliance=casip"],
    ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"],
    ["query", "ASK { ?s ?p ?o }"],
    ["query", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"],
    ["find", "catl"],
    ["explain", "catl", "casip"],
    ["changes"],
    ["export", "--format", "nt"],
    ["load", "{tmp}/claim.ttl"],
    ["load", "--skip-validation", "{tmp}/claim.ttl"],
    [*CLAIM, "--source", NOTE],
    ["retract", "assertion-nio-member-casip-creative-marketing", "--reason", "test"],
    ["drop", "{tmp}/claim.ttl"],
    ["infer"],
    ["report", "casip", "-o", "{tmp}/report.html"],
]


@pytest.mark.parametrize("what", sorted(ANSWERS))
def test_no_server_answer_is_taken_for_a_bug(
    what: str, proxy: FaultProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ssbkg.stores import protocol

    monkeypatch.setattr(protocol, "_READ_RETRIES", (0.0, 0.0, 0.0))  # each read is still tried four times
    (tmp_path / "claim.ttl").write_text(
        PREFIXES
        + "ssbid:a-x a ssb:Assertion ; rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; "
        + "rdf:object ssbid:casip ; ssb:certainty ssb:Speculative ; ssb:confidence 0.2 ; "
        + f"prov:wasDerivedFrom ssbid:{NOTE} .\n",
        encoding="utf-8",
    )
    # Every answer goes wrong; the first few requests of a command are answered well, in turn, so that
    # each command meets the broken answer at two different steps of its work.
    for good in (0, 2):
        for args in COMMANDS:
            proxy.rules[:] = [Rule(_after(good), respond=ANSWERS[what]())]
            given = [a.replace("{tmp}", str(tmp_path)) for a in args]
            result = CliRunner().invoke(cli, ["--store", proxy.url(), "--http-timeout", "60", *given])
            assert result.exit_code != 4, (what, good, args, result.output[-2000:])
            assert "internal error" not in result.output, (what, good, args, result.output[-2000:])


def _after(good: int) -> Callable[[object], bool]:
    """A rule's match: False for the first `good` requests (they reach the server), then True."""
    seen = 0

    def match(_: object) -> bool:
        nonlocal seen
        seen += 1
        return seen > good

    return match


# ------------------------------------------------------------------------------------ file-system states


def _break(store: Path, how: str) -> None:
    files = sorted(p for p in store.rglob("*") if p.is_file())
    if how == "CURRENT removed":
        for p in store.rglob("CURRENT"):
            p.unlink()
    elif how == "CURRENT garbage":
        for p in store.rglob("CURRENT"):
            p.write_bytes(b"\xff\x00garbage\n")
    elif how == "every file cut in half":
        for p in files:
            p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    elif how == "every file emptied":
        for p in files:
            p.write_bytes(b"")
    elif how == "OPTIONS garbage":
        for p in store.rglob("OPTIONS-*"):
            p.write_text("[garbage\n")
    elif how == "a folder of other files":
        shutil.rmtree(store)
        store.mkdir()
        (store / "notes.txt").write_text("mine\n")
    elif how == "the lock a folder":
        locks = [p for p in files if "lock" in p.name.lower() and p.parent == store]
        for p in locks:
            p.unlink()
            p.mkdir()
    elif how == "a symbolic link loop":
        shutil.rmtree(store)
        store.symlink_to(store)
    elif how == "a link to nowhere":
        shutil.rmtree(store)
        store.symlink_to(store.parent / "nowhere")


STATES = [
    "CURRENT removed",
    "CURRENT garbage",
    "every file cut in half",
    "every file emptied",
    "OPTIONS garbage",
    "a folder of other files",
    "the lock a folder",
    "a symbolic link loop",
    "a link to nowhere",
]


@pytest.mark.parametrize("how", STATES)
def test_no_state_of_the_store_is_taken_for_a_bug(how: str, store_path: Path, tmp_path: Path) -> None:
    (tmp_path / "claim.ttl").write_text(PREFIXES + "ssbid:catl rdfs:comment 'x' .\n", encoding="utf-8")
    _break(store_path, how)
    for args in (["graphs"], ["query", "reports"], ["load", str(tmp_path / "claim.ttl")], ["init"], ["prune"]):
        result = CliRunner().invoke(cli, ["--store", str(store_path), *args])
        assert result.exit_code != 4, (how, args, result.output[-2000:])
        assert "internal error" not in result.output, (how, args, result.output[-2000:])
