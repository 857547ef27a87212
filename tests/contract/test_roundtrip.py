"""Arbitrary RDF terms (Unicode, language tags, datatypes, blank nodes) survive load, export and load
again, on every store kind, as an isomorphic graph up to the canonical forms stores apply (numbers
and booleans canonical, language tags lowercased: docs/guide.md, "Known losses of servers")."""

from __future__ import annotations

import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import rdflib
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

EXAMPLES = int(os.environ.get("SSBKG_ROUNDTRIP_EXAMPLES", "12"))
XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "https://example.org/roundtrip/"

# One predicate per kind of object: Virtuoso merges equal values of different types on one predicate.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\t\n\"'\\<>"),
    max_size=40,
)
LANGUAGES = st.sampled_from(["en", "EN-gb", "zh-Hans", "zh-hant-TW", "de-CH-1996", "fr"])
NODES = st.sampled_from([ox.NamedNode(f"{EX}n{i}") for i in range(4)] + [ox.BlankNode(f"b{i}") for i in range(3)])
OBJECTS = st.one_of(
    st.tuples(st.just("iri"), NODES),
    st.tuples(st.just("text"), TEXT.map(ox.Literal)),
    st.tuples(st.just("lang"), st.tuples(TEXT, LANGUAGES).map(lambda t: ox.Literal(t[0], language=t[1]))),
    st.tuples(
        st.just("int"),
        st.integers(-(10**12), 10**12).map(lambda i: ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer"))),
    ),
    st.tuples(
        st.just("dec"),
        st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False, allow_infinity=False).map(
            lambda d: ox.Literal(str(d), datatype=ox.NamedNode(XSD + "decimal"))
        ),
    ),
    st.tuples(
        st.just("bool"),
        st.sampled_from(["true", "false", "1", "0"]).map(
            lambda b: ox.Literal(b, datatype=ox.NamedNode(XSD + "boolean"))
        ),
    ),
    st.tuples(
        st.just("date"), st.dates().map(lambda d: ox.Literal(d.isoformat(), datatype=ox.NamedNode(XSD + "date")))
    ),
    st.tuples(st.just("custom"), TEXT.map(lambda t: ox.Literal(t, datatype=ox.NamedNode(EX + "datatype")))),
)
GRAPHS = st.lists(st.tuples(NODES, OBJECTS), min_size=1, max_size=12)


def canonical(term: ox.NamedNode | ox.BlankNode | ox.Literal, *, virtuoso: bool = False) -> str:
    """The term in the form the store gives it back, as N-Triples."""
    if not isinstance(term, ox.Literal):
        return str(term)
    kind = term.datatype.value[len(XSD) :] if term.datatype.value.startswith(XSD) else ""
    value = term.value
    if term.language:
        return str(ox.Literal(value, language=term.language.lower()))
    if kind == "integer":
        value = str(int(value))
        if virtuoso and not -(2**31) <= int(value) < 2**31:  # docs/guide.md: Virtuoso keeps it as a decimal
            return str(ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal")))
    elif kind == "decimal":
        value = format(Decimal(value).normalize(), "f")
        value = value if value not in ("-0",) else "0"
    elif kind == "boolean":
        value = {"1": "true", "0": "false"}.get(value, value)
    return str(ox.Literal(value, datatype=term.datatype))


def graph_of(ntriples: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=ntriples, format="nt")


def exported(run: Callable[..., Result], graph: str) -> str:
    result = run("export", "--format", "nq", "--graph", graph, "--no-provenance")
    assert result.exit_code == 0, result.output
    quads = ox.parse(result.stdout_bytes, format=ox.RdfFormat.N_QUADS)
    return "".join(f"{q.subject} {q.predicate} {canonical(q.object)} .\n" for q in quads)  # type: ignore[arg-type]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(triples=GRAPHS)
def test_terms_survive_load_export_load(
    triples: list[tuple[ox.NamedNode | ox.BlankNode, tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal]]],
    run: Callable[..., Result],
    store_spec: str,
    tmp_path: Path,
) -> None:
    virtuoso = store_spec.endswith("/sparql")
    lines = [f"{s} <{EX}{kind}> {o} .\n" for s, (kind, o) in triples]
    expected = graph_of("".join(f"{s} <{EX}{kind}> {canonical(o, virtuoso=virtuoso)} .\n" for s, (kind, o) in triples))
    first = tmp_path / "roundtrip.nt"
    first.write_text("".join(lines), encoding="utf-8")
    assert run("load", "--skip-validation", str(first)).exit_code == 0
    once = exported(run, "roundtrip")
    assert isomorphic(graph_of(once), expected), (once, lines)
    again = tmp_path / "again.nt"
    again.write_text(once, encoding="utf-8")
    assert run("load", "--skip-validation", str(again)).exit_code == 0
    assert isomorphic(graph_of(exported(run, "again")), expected)


def test_export_follows_a_link_and_writes_through_a_pipe(run_embedded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import stat
    import threading

    real = tmp_path / "real.ttl"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    assert run_embedded("export", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and link.resolve() == real  # the link stays a link ...
    assert real.read_text(encoding="utf-8").startswith("@prefix")  # ... and its file holds the export
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # with the file's own permissions
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert run_embedded("export", "-o", str(fifo)).exit_code == 0
    reader.join(timeout=120)
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still a pipe, not a file put in its place
    assert received and received[0].startswith(b"@prefix")
    folder = run_embedded("export", "-o", str(tmp_path))
    assert folder.exit_code == 2 and "is a directory" in folder.stderr
