"""Parameter values that try to rewrite a stored query, and query files that try to reach out or write:
each is refused with an InputError that names what was wrong, or matched as a plain value, and the
store is left exactly as it was. Binding happens in `params` before any store sees the query, so one
store kind shows it (tests/cli/test_injection.py has the command line's exit codes for it)."""

from __future__ import annotations

from pathlib import Path

import pytest

import ssbkg
from ssbkg.namespaces import PREFIXES
from ssbkg.stores import Store

from .conftest import answer, state

# Values for an IRI parameter (alliance): none is an IRI, a prefixed name or a slug, so each is refused.
HOSTILE_IRIS = [
    "casip> . ?s ?p ?o . <x",
    "casip } ; DROP ALL ; {",
    "https://w3id.org/ssbkg/id/casip> } INSERT DATA { <a> <b> <c> } #",
    "casip # comment",
    "casip\nFILTER(true)",
    "casip> } UNION { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } <",
    "ssbid:casip\\u003E",
    "https://w3id.org/ssbkg/id/ca sip",
    "casip\u0000",
]

# Values for a text parameter (find's text): each must come back as one literal that matches nothing.
HOSTILE_TEXTS = [
    '" ) ) } ; DROP ALL ; #',
    "' . ?s ?p ?o . FILTER('",
    '"""} INSERT DATA { <a> <b> <c> } #',
    "line\nbreak \\u0022 SERVICE <http://127.0.0.1:9/> {}",
    '\\" ) } LOAD <http://127.0.0.1:9/x> #',
    "?_text",
    "# ",
]


@pytest.mark.parametrize("value", HOSTILE_IRIS)
def test_hostile_iri_values_are_refused(value: str, db: Store) -> None:
    before = state(db)
    with pytest.raises(ssbkg.InputError, match="alliance") as refused:
        ssbkg.query(db, "alliance-members", {"alliance": value})
    assert "Traceback" not in refused.value.message
    assert state(db) == before


@pytest.mark.parametrize("value", HOSTILE_TEXTS)
def test_hostile_text_is_one_plain_value(value: str, db: Store) -> None:
    before = state(db)
    assert answer(db, "find", text=value) == []  # matched as a plain value: no name contains it
    assert state(db) == before


def test_text_with_quotes_still_finds_what_it_names(db: Store) -> None:
    assert any(r["entity"] == "https://w3id.org/ssbkg/id/catl" for r in answer(db, "find", text="CATL"))


@pytest.mark.parametrize(
    "name", ["../pyproject", "rules/../../pyproject", "/etc/passwd", "..", "rules/top-ranked-candidates"]
)
def test_stored_query_names_cannot_leave_their_folder(name: str, db: Store) -> None:
    with pytest.raises(ssbkg.InputError, match="no stored query named"):
        ssbkg.query(db, name)


@pytest.mark.parametrize(
    "body",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "LOAD <http://127.0.0.1:9/x.ttl>",
        "INSERT DATA { <https://e/a> <https://e/b> <https://e/c> }",
        "DROP ALL",
    ],
)
def test_a_query_file_cannot_reach_out_or_write(body: str, db: Store, tmp_path: Path) -> None:
    evil = tmp_path / "evil.rq"
    evil.write_text(body + "\n", encoding="utf-8")
    before = state(db)
    with pytest.raises(ssbkg.InputError):
        ssbkg.query(db, str(evil))
    assert state(db) == before


@pytest.mark.parametrize(
    ("body", "variable", "expected"),
    [
        # The words SERVICE and LOAD where they are no operation: a variable, a string, an IRI, a comment.
        (
            "SELECT ?service WHERE { ?service a ssb:Report ; schema:headline ?h } ORDER BY ?h LIMIT 1",
            "service",
            "https:",
        ),
        ('SELECT ?l WHERE { ?s rdfs:label ?l FILTER CONTAINS(?l, "load") } ORDER BY ?l LIMIT 1', "l", "loaded from"),
        ("SELECT (COUNT(*) AS ?n) WHERE { <https://example.org/service/x> ?p ?o } # no SERVICE here", "n", "0"),
    ],
)
def test_service_and_load_as_words_are_not_refused(body: str, variable: str, expected: str, db: Store) -> None:
    prefixes = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    (row,) = answer(db, prefixes + body)
    assert row[variable].startswith(expected), row


def test_load_as_a_word_in_an_ask_is_not_refused(db: Store) -> None:
    prefixes = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    assert ssbkg.query(db, prefixes + "ASK { ssbid:casip ?p ?o } # LOAD nothing") is True


def test_a_malformed_query_names_its_line_and_column(db: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("PREFIX x: <http://x/>\nSELECT * WHERE {\n  ?s x:p ?o .\n  FILTER (?o > )\n}\n", encoding="utf-8")
    with pytest.raises(ssbkg.InputError) as refused:
        ssbkg.query(db, str(bad))
    assert refused.value.message == f"{bad}, line 4, column 3: the query does not parse, near 'FILTER (?o > )'"
