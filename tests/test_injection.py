"""Parameter values that try to rewrite a stored query, through the command line on every store kind:
each is refused with exit 2 or matched as a plain value, and the store is left exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ssbkg.namespaces import PREFIXES

from .conftest import dump_store, rows


@pytest.fixture(scope="module")
def store_spec(read_only_store_spec: str) -> str:
    return read_only_store_spec  # every test here only reads, or checks that nothing was written


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
def test_hostile_iri_values_are_refused(value: str, run: Callable[..., Result], store_spec: str) -> None:
    before = dump_store(store_spec)
    result = run("query", "alliance-members", "-p", f"alliance={value}")
    assert result.exit_code == 2, result.output
    assert "alliance" in result.stderr and "Traceback" not in result.output
    assert dump_store(store_spec) == before


@pytest.mark.parametrize("value", HOSTILE_TEXTS)
def test_hostile_text_is_one_plain_value(value: str, run: Callable[..., Result], store_spec: str) -> None:
    before = dump_store(store_spec)
    result = run("query", "find", "-p", f"text={value}", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert rows(result) == []  # matched as a plain value: no name contains it
    assert dump_store(store_spec) == before


def test_text_with_quotes_still_finds_what_it_names(run: Callable[..., Result]) -> None:
    result = run("query", "find", "-p", "text=CATL", "--format", "csv")
    assert any(r["entity"] == "https://w3id.org/ssbkg/id/catl" for r in rows(result))


@pytest.mark.parametrize(
    "name", ["../pyproject", "rules/../../pyproject", "/etc/passwd", "..", "rules/top-ranked-candidates"]
)
def test_stored_query_names_cannot_leave_their_folder(name: str, run: Callable[..., Result]) -> None:
    result = run("query", name)
    assert result.exit_code == 2, result.output
    assert "no stored query named" in result.stderr


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
def test_a_query_file_cannot_reach_out_or_write(
    body: str, run: Callable[..., Result], store_spec: str, tmp_path: Path
) -> None:
    evil = tmp_path / "evil.rq"
    evil.write_text(body + "\n", encoding="utf-8")
    before = dump_store(store_spec)
    result = run("query", str(evil))
    assert result.exit_code == 2, result.output
    assert dump_store(store_spec) == before


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The words SERVICE and LOAD where they are no operation: a variable, a string, an IRI, a comment.
        ("SELECT ?service WHERE { ?service a ssb:Report ; schema:headline ?h } ORDER BY ?h LIMIT 1", "service\nhttps:"),
        ('SELECT ?l WHERE { ?s rdfs:label ?l FILTER CONTAINS(?l, "load") } ORDER BY ?l LIMIT 1', "l\nloaded from\n"),
        ("SELECT (COUNT(*) AS ?n) WHERE { <https://example.org/service/x> ?p ?o } # no SERVICE here", "n\n0\n"),
        ("ASK { ssbid:casip ?p ?o } # LOAD nothing", "true"),
    ],
)
def test_service_and_load_as_words_are_not_refused(body: str, expected: str, run: Callable[..., Result]) -> None:
    prefixes = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    result = run("query", prefixes + body, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert expected in result.stdout


def test_a_malformed_query_is_exit_2_with_one_line_on_every_store(run: Callable[..., Result], tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("PREFIX x: <http://x/>\nSELECT * WHERE {\n  ?s x:p ?o .\n  FILTER (?o > )\n}\n", encoding="utf-8")
    result = run("query", str(bad))
    assert result.exit_code == 2, result.output
    assert (
        result.stderr.splitlines()[0]
        == f"Error: {bad}, line 4, column 3: the query does not parse, near 'FILTER (?o > )'"
    )
