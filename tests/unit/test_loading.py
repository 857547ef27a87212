"""The gate and the parsers behind `load` and `validate`, through the library on a store in memory:
every broken file is refused in words that name the file, its line and column or its rule, before
anything is written; what is merely unusual loads. tests/cli/test_bad_input.py has the command line's
side: exit codes, options and pipes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ssbkg
from ssbkg.gate.report import Report, format_report
from ssbkg.stores import Store

from ..conftest import PREFIXES
from ..corpus import BAD, CORPUS, LAUGHS, RDFXML_HEAD
from .conftest import state


def refusal(store: Store, files: list[Path], **options: object) -> str:
    """What loading `files` is refused with: an InputError's words (the CLI's exit 2) or the gate's
    report (exit 1); the store must be as it was."""
    before = state(store)
    with pytest.raises((ssbkg.InputError, ssbkg.NotConformant)) as refused:
        ssbkg.load_files(store, [str(f) for f in files], **options)  # type: ignore[arg-type]
    assert state(store) == before
    error = refused.value
    if isinstance(error, ssbkg.NotConformant):
        return "1 " + format_report(error.report, "text")
    return f"2 {error.message}\nHint: {error.hint}"


def refused_clearly(name: str, corpus: Path, store: Store) -> None:
    """Loading one corpus file is refused as CORPUS says, in its words, and writes nothing (also run on
    each server kind: tests/contract/test_commands.py)."""
    code, words = CORPUS[name]
    path = corpus / name
    said = refusal(store, [path])
    assert said.startswith(f"{code} "), said
    pattern = re.escape(words.replace("{file}", str(path))).replace("L:C", r"\d+:\d+")
    assert re.search(pattern, said), said
    assert "--graph" not in said  # nobody gave --graph


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_input_is_refused_clearly_and_writes_nothing(name: str, corpus: Path, db: Store) -> None:
    refused_clearly(name, corpus, db)


@pytest.mark.parametrize("name", sorted(n for n, (code, _) in CORPUS.items() if code == 2 and n != "truncated.rdf"))
def test_broken_syntax_is_refused_when_streamed_too(name: str, corpus: Path, db: Store) -> None:
    said = refusal(db, [corpus / name], validate=False)
    assert said.startswith("2 ") and str(corpus / name) in said


def test_a_byte_order_mark_is_not_part_of_the_rdf(db: Store) -> None:
    for validate in (True, False):
        (loaded,) = ssbkg.load_files(db, [str(BAD / "bom.ttl")], validate=validate, replace=True)
        assert loaded.triples > 0


def test_valid_rdf_outside_the_vocabulary_warns_and_blocks_with_strict(db: Store) -> None:
    said = refusal(db, [BAD / "foreign.nt"], strict=True)
    assert said.startswith("1 ") and "no triple uses the ssbkg, ORG, PROV" in said
    warnings: list[Report] = []
    ssbkg.load_files(db, [str(BAD / "foreign.nt")], warn=warnings.append)
    assert "[warning] no triple uses the ssbkg" in format_report(warnings[0], "text")


def test_deeply_nested_collections_load(db: Store, tmp_path: Path) -> None:
    deep = tmp_path / "deep.ttl"
    deep.write_text(
        "<https://w3id.org/ssbkg/id/x> <http://www.w3.org/2000/01/rdf-schema#comment> "
        + "(" * 3000
        + ")" * 3000
        + " .\n",
        encoding="utf-8",
    )
    (loaded,) = ssbkg.load_files(db, [str(deep)])
    # 2,999 non-empty lists of one element each (rdf:first, rdf:rest), the innermost () is rdf:nil, plus the comment.
    assert loaded.triples == 5999


def _validated(store: Store, tmp_path: Path, body: str) -> str:
    path = tmp_path / "data.ttl"
    path.write_text(PREFIXES + body, encoding="utf-8")
    report = ssbkg.validate_files(store, [str(path)])
    assert not report.conforms
    return format_report(report, "text")


def test_a_misspelled_iri_in_data_is_named_with_the_nearest_defined_one(db: Store, tmp_path: Path) -> None:
    out = _validated(
        db,
        tmp_path,
        """
ssbid:assertion-typo a ssb:Assertion ;
    rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; rdf:object ssbid:casipp ;
    ssb:certainty ssb:Reported ; ssb:confidence 0.8 ; prov:wasDerivedFrom ssbid:report-electrive-2024-02-13 .
""",
    )
    assert "ssbid:casipp is not defined in the store or in this file; did you mean ssbid:casip?" in out


def test_a_report_says_each_finding_once_under_its_node(db: Store, tmp_path: Path) -> None:
    # Three mistakes on one node: a misspelled IRI, a confidence outside its level, a property that is
    # no term (with no source, which that property was meant to give). Each is said once, the IRI's note
    # beside the rule about the property that points at it, every finding under one heading.
    out = _validated(
        db,
        tmp_path,
        """
ssbid:assertion-three a ssb:Assertion ;
    rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; rdf:object ssbid:casipp ;
    ssb:certainty ssb:Reported ; ssb:confidence 0.3 ; ssb:source ssbid:report-electrive-2024-02-13 .
""",
    )
    assert out.startswith("Does not conform: 4 violations, 0 warnings on 1 node.\n")
    assert out.count("ssbid:assertion-three") == 1
    assert out.count("ssbid:casipp is not defined") == 1
    (membership,) = [line for line in out.splitlines() if "MembershipAssertionShape" in line]
    assert "did you mean ssbid:casip?" in membership
    assert "ssb:source is not a term of the ssbkg ontology; did you mean prov:wasDerivedFrom?" in out


def test_a_misspelled_certainty_is_not_taken_for_an_inference(db: Store, tmp_path: Path) -> None:
    # ssb:Reportd is not in the scheme: that is the finding; the data never says ssb:Inferred, so the
    # report does not ask for what an inferred assertion needs.
    out = _validated(
        db,
        tmp_path,
        """
ssbid:assertion-certainty a ssb:Assertion ;
    rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainty ssb:Reportd ; ssb:confidence 0.8 ; prov:wasDerivedFrom ssbid:report-electrive-2024-02-13 .
""",
    )
    assert "ssb:certainty = ssb:Reportd" in out
    assert "Inferred must name" not in out
    assert out.startswith("Does not conform: 1 violation, 0 warnings on 1 node.")


@pytest.mark.parametrize("streamed", [False, True], ids=["gated", "streamed"])
@pytest.mark.parametrize(
    ("name", "body", "words"),
    [
        ("laughs.rdf", LAUGHS, "laughs.rdf:3: the file declares XML entities"),
        (
            "deep.rdf",
            RDFXML_HEAD + "<rdf:Description><ex:p>" * 6000 + "</ex:p></rdf:Description>" * 6000 + "</rdf:RDF>",
            "past the limit of 10,000 for RDF/XML",
        ),
        ("deep.jsonld", '{"@id": "http://e/s", "http://e/p": ' * 3000 + '"x"' + "}" * 3000, "1,000 for JSON-LD"),
    ],
)
def test_files_built_to_hurt_the_parser_are_refused_before_it_reads_them(
    db: Store, tmp_path: Path, name: str, body: str, words: str, streamed: bool
) -> None:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    said = refusal(db, [path], validate=not streamed)
    assert said.startswith("2 ") and words in said, said[-500:]


def test_deep_but_bounded_nesting_still_loads(db: Store, tmp_path: Path) -> None:
    # Under the limits: 4,000 levels of Turtle, 4,000 of RDF/XML, 500 of JSON-LD.
    files = {
        "ok.ttl": "@prefix ex: <http://e/> .\nex:s ex:p " + "[ ex:p " * 4000 + "ex:o" + " ]" * 4000 + " .\n",
        "ok-xml.rdf": RDFXML_HEAD
        + "<rdf:Description><ex:p>" * 2000
        + "</ex:p></rdf:Description>" * 2000
        + "</rdf:RDF>",
        "ok-json.jsonld": '{"@id": "http://e/s", "http://e/p": ' * 500 + '"x"' + "}" * 500,
    }
    for name, body in files.items():
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        (loaded,) = ssbkg.load_files(db, [str(path)], validate=False)
        assert loaded.triples > 0, name


@pytest.mark.parametrize("streamed", [False, True], ids=["gated", "streamed"])
def test_triple_terms_are_refused_at_load_naming_the_line(db: Store, tmp_path: Path, streamed: bool) -> None:
    path = tmp_path / "star.ttl"
    path.write_text(PREFIXES + "\nssbid:catl ssb:note << ssbid:catl org:memberOf ssbid:casip >> .\n", encoding="utf-8")
    said = refusal(db, [path], validate=not streamed)
    where = f"{path}:{PREFIXES.count(chr(10)) + 2}" if not streamed else str(path)
    assert said.startswith(f"2 {where}: an RDF 1.2 triple term (<< ... >>), which ssbkg does not store"), said
