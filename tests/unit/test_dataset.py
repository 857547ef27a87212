"""Dataset clauses mean what SPARQL says (issue 35, class 2): FROM <graph> reads that published graph
and no other; a graph the store does not publish, GRAPH and FROM NAMED are refused (exit 2), never
answered as if the query had named the whole store. Run on every store kind (contract/test_commands)."""

from __future__ import annotations

import pytest

import ssbkg
from ssbkg.stores import QueryResult, Store

CASIP = "https://w3id.org/ssbkg/graph/bundled/data/casip"
RANKINGS = "https://w3id.org/ssbkg/graph/bundled/data/rankings"
COUNT = "SELECT (COUNT(*) AS ?n) {clause} WHERE {{ ?s ?p ?o }}"


def _count(store: Store, text: str) -> int:
    result = ssbkg.query(store, text)
    assert isinstance(result, QueryResult)
    return int(result.dicts()[0]["n"])


def test_from_reads_the_graph_it_names(db: Store) -> None:
    triples = {g.graph: g.triples for g in db.published()}
    assert _count(db, COUNT.format(clause=f"FROM <{CASIP}>")) == triples[CASIP]  # 92 in `ssbkg graphs`
    both = "PREFIX g: <https://w3id.org/ssbkg/graph/bundled/data/>\n" + COUNT.format(
        clause="from g:casip FROM g:rankings"
    )
    assert _count(db, both) == triples[CASIP] + triples[RANKINGS]
    assert _count(db, COUNT.format(clause="")) == sum(triples.values())  # no FROM: the whole store
    # A FROM inside a string or a comment is no clause.
    quoted = f'SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o BIND("FROM <{CASIP}>" AS ?text) }} # FROM <{CASIP}>'
    assert _count(db, quoted) == sum(triples.values())


def test_construct_and_ask_read_the_graph_too(db: Store) -> None:
    built = ssbkg.query(db, f"CONSTRUCT {{ ?s ?p ?o }} FROM <{CASIP}> WHERE {{ ?s ?p ?o }}")
    assert isinstance(built, list) and len(built) == next(g.triples for g in db.published() if g.graph == CASIP)
    # The ranking's subject is in the rankings graph, not in casip's.
    ranking = "<https://w3id.org/ssbkg/id/ranking-sne-2023-full-year>"
    assert ssbkg.query(db, f"ASK FROM <{RANKINGS}> {{ {ranking} ?p ?o }}") is True
    assert ssbkg.query(db, f"ASK FROM <{CASIP}> {{ {ranking} ?p ?o }}") is False


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (COUNT.format(clause="FROM <https://example.org/no-such-graph>"), "the store has no published graph"),
        (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{CASIP}> {{ ?s ?p ?o }} }}", "GRAPH is refused"),
        ("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "GRAPH is refused"),
        (COUNT.format(clause=f"FROM NAMED <{CASIP}>"), "FROM NAMED is refused"),
    ],
)
def test_what_cannot_mean_what_it_says_is_refused(db: Store, text: str, words: str) -> None:
    with pytest.raises(ssbkg.InputError, match=words) as e:
        ssbkg.query(db, text)
    assert e.value.exit_code == 2 and "ssbkg graphs" in (e.value.hint or "")
