"""Parameters are parsed into RDF terms and substituted as terms, never as text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ssbkg.errors import InputError
from ssbkg.querying.params import Parameter, find_parameters, parse_value, substitute

IRI = Parameter("alliance", "?_alliance_iri", "iri", True)
TEXT = Parameter("name", "?_name", "literal", True)
LEVELS = ["https://w3id.org/ssbkg/ontology#Reported", "https://w3id.org/ssbkg/ontology#Refuted"]


def test_finds_grlc_parameters_but_not_in_strings_iris_or_comments() -> None:
    q = """# ?_commented_iri
SELECT ?x WHERE { ?x ?p ?_alliance_iri ; <http://e/?_notaparam> "?_instring" .
  FILTER(?d >= ?__asOf_date && ?n <= ?__topN_integer && ?l = ?_name_en) }"""
    got = [(p.name, p.kind, p.required) for p in find_parameters(q)]
    assert got == [("alliance", "iri", True), ("asOf", "date", False), ("topN", "integer", False), ("name", "en", True)]


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("casip", "https://w3id.org/ssbkg/id/casip"),
        ("ssbid:casip", "https://w3id.org/ssbkg/id/casip"),
        ("https://w3id.org/ssbkg/id/casip", "https://w3id.org/ssbkg/id/casip"),
        ("<https://w3id.org/ssbkg/id/casip>", "https://w3id.org/ssbkg/id/casip"),
    ],
)
def test_iri_spellings(text: str, iri: str) -> None:
    assert parse_value(IRI, text) == ox.NamedNode(iri)


def test_enumerated_values_by_local_name_case_insensitively() -> None:
    level = Parameter("minCertainty", "?_minCertainty_iri", "iri", True)
    assert parse_value(level, "REPORTED", choices=LEVELS) == ox.NamedNode(LEVELS[0])
    with pytest.raises(InputError, match="minCertainty"):
        parse_value(level, "likely", choices=LEVELS)


@pytest.mark.parametrize(
    "hostile",
    [
        "casip> . ?s ?p ?o . <x",
        "casip } ; DROP ALL ; {",
        "https://e/x> } INSERT DATA { <a> <b> <c> } #",
        "a b",
        "ssbid:casip\nFILTER(true)",
    ],
)
def test_hostile_iris_are_refused(hostile: str) -> None:
    with pytest.raises(InputError) as e:
        parse_value(IRI, hostile)
    assert "alliance" in e.value.message


@pytest.mark.parametrize(
    "hostile",
    [
        '" } ; DROP ALL ; #',
        '\'" . ?s ?p ?o . FILTER("',
        "line\nbreak \\u0022 SERVICE <http://evil/> {}",
    ],
)
def test_hostile_text_stays_one_literal(hostile: str) -> None:
    term = parse_value(TEXT, hostile)
    q = substitute("SELECT ?v WHERE { BIND(?_name AS ?v) }", {"?_name": term})
    rows = list(ox.Store().query(q))
    assert len(rows) == 1 and rows[0]["v"].value == hostile


@pytest.mark.parametrize(
    ("param", "text"),
    [
        (Parameter("topN", "?_topN_integer", "integer", True), "ten"),
        (Parameter("topN", "?_topN_integer", "integer", True), "1; DROP ALL"),
        (Parameter("asOf", "?_asOf_date", "date", True), "2024-02"),
        (Parameter("asOf", "?_asOf_date", "date", True), "yesterday"),
    ],
)
def test_typed_values_are_checked(param: Parameter, text: str) -> None:
    with pytest.raises(InputError, match=param.name):
        parse_value(param, text)


def test_substitution_only_touches_whole_variable_tokens() -> None:
    q = 'SELECT ?x WHERE { ?x ?p ?_a_iri . ?x ?q ?_a_iri2 . ?x ?r "?_a_iri" } # ?_a_iri'
    out = substitute(q, {"?_a_iri": ox.NamedNode("http://e/v")})
    assert out == 'SELECT ?x WHERE { ?x ?p <http://e/v> . ?x ?q ?_a_iri2 . ?x ?r "?_a_iri" } # ?_a_iri'
