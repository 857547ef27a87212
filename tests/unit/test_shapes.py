"""Every shape rejects a crafted bad input, and says so with its own message."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SH

import ssbkg
from ssbkg import resources
from ssbkg.gate.report import format_report
from ssbkg.gate.shacl import validate
from ssbkg.io.rdf import read_rdf
from ssbkg.stores import Store
from ssbkg.stores.embedded import memory_store
from ssbkg.writing.seed import seed

from ..conftest import PREFIXES
from .conftest import state

GOOD_ASSERTION = """
ssbid:assertion-t a ssb:Assertion ;
    rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainty ssb:Reported ; ssb:confidence 0.7 ;
    prov:wasDerivedFrom ssbid:report-electrive-2024-02-13 ;
    prov:hadPrimarySource ssbid:report-nikkei-asia-2024-02 .
"""

# (case, Turtle, the rule that must fire, words its message must contain)
BAD = [
    (
        "no subject",
        GOOD_ASSERTION.replace("rdf:subject ssbid:sunwoda ;", ""),
        "AssertionShape",
        "exactly one rdf:subject",
    ),
    (
        "two predicates",
        GOOD_ASSERTION.replace("rdf:predicate org:memberOf", "rdf:predicate org:memberOf, ssb:backs"),
        "AssertionShape",
        "exactly one rdf:predicate",
    ),
    ("no object", GOOD_ASSERTION.replace("rdf:object ssbid:casip ;", ""), "AssertionShape", "exactly one rdf:object"),
    (
        "no source",
        GOOD_ASSERTION.replace("prov:wasDerivedFrom ssbid:report-electrive-2024-02-13 ;", "").replace(
            "prov:hadPrimarySource ssbid:report-nikkei-asia-2024-02 .", "."
        ),
        "AssertionShape",
        "prov:wasDerivedFrom",
    ),
    ("unknown certainty", GOOD_ASSERTION.replace("ssb:Reported", "ssb:Likely"), "AssertionShape", "ssb:certainty"),
    ("confidence not a decimal", GOOD_ASSERTION.replace("0.7", '"high"'), "AssertionShape", "xsd:decimal"),
    ("confidence above one", GOOD_ASSERTION.replace("0.7", "1.5"), "AssertionShape", "between 0 and 1"),
    (
        "unquoted language",
        GOOD_ASSERTION.replace(" .\n", ' ; ssb:quote "six of the top ten" .\n', 1),
        "AssertionShape",
        "language-tagged",
    ),
    (
        "confidence outside level",
        GOOD_ASSERTION.replace("0.7", "0.3"),
        "ConfidenceWithinLevelShape",
        "outside the range of certainty",
    ),
    (
        "inferred without premises",
        GOOD_ASSERTION.replace("ssb:Reported", "ssb:Inferred"),
        "InferredAssertionShape",
        "ssb:inferredFrom",
    ),
    (
        "member of a company",
        GOOD_ASSERTION.replace("rdf:object ssbid:casip", "rdf:object ssbid:catl"),
        "MembershipAssertionShape",
        "ssb:Alliance",
    ),
    (
        "member unknown to the store",
        GOOD_ASSERTION.replace("ssbid:sunwoda", "ssbid:no-such-company"),
        "MembershipAssertionShape",
        "define the organization",
    ),
    (
        "aggregate without a share node",
        GOOD_ASSERTION.replace(
            "org:memberOf ; rdf:object ssbid:casip", "ssb:includesTopRanked ; rdf:object ssbid:catl"
        ),
        "AggregateAssertionShape",
        "ssb:TopRankedShare",
    ),
    (
        "primary source not cited",
        GOOD_ASSERTION.replace("report-nikkei-asia-2024-02", "report-cnevpost-2024-02-07"),
        "PrimarySourceCitedShape",
        "nor a report that source cites",
    ),
    (
        "primary source published later",
        """
ssbid:report-t a ssb:Report ; schema:headline "Relay"@en ; schema:publisher ssbid:electrive ;
    schema:datePublished "2024-01"^^xsd:gYearMonth ; ssb:cites ssbid:report-later .
ssbid:report-later a ssb:Report ; schema:headline "Original"@en ; schema:publisher ssbid:nikkei-asia ;
    schema:datePublished "2024-02"^^xsd:gYearMonth ; ssb:publishedNotBefore "2024-02-03"^^xsd:date .
ssbid:assertion-t a ssb:Assertion ;
    rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainty ssb:Reported ; ssb:confidence 0.7 ;
    prov:wasDerivedFrom ssbid:report-t ; prov:hadPrimarySource ssbid:report-later .
""",
        "PrimarySourceDateShape",
        "surely after its relay",
    ),
    (
        "reliability grade",
        """
ssbid:report-t a ssb:Report ; schema:headline "H"@en ; schema:publisher ssbid:electrive ;
    schema:datePublished "2024-02-01"^^xsd:date ; ssb:reliability "Z" .
""",
        "SourceShape",
        "Admiralty grade",
    ),
    (
        "report date of no known precision",
        """
ssbid:report-t a ssb:Report ; schema:headline "H"@en ; schema:publisher ssbid:electrive ;
    schema:datePublished "early June" .
""",
        "ReportShape",
        "datePublished",
    ),
    (
        "report with neither a date nor dateKnown false",
        """
ssbid:report-t a ssb:Report ; schema:headline "H"@en ; schema:publisher ssbid:electrive ;
    schema:url <https://example.org/t> .
""",
        "ReportDateShape",
        "ssb:dateKnown false",
    ),
    (
        "report both dated and marked undated",
        """
ssbid:report-t a ssb:Report ; schema:headline "H"@en ; schema:publisher ssbid:electrive ;
    schema:datePublished "2024-02-01"^^xsd:date ; ssb:dateKnown false ; schema:url <https://example.org/t> .
""",
        "ReportDateShape",
        "ssb:dateKnown false",
    ),
    (
        "testimony that no report cites",
        """
ssbid:testimony-t a ssb:Testimony ; rdfs:label "a person familiar with the matter"@en ; ssb:sourceAvailable false .
""",
        "TestimonyShape",
        "cited (ssb:cites) by the report that quotes it",
    ),
    (
        "report without publisher",
        """
ssbid:report-t a ssb:Report ; schema:headline "H"@en ; schema:datePublished "2024-02-01"^^xsd:date .
""",
        "ReportShape",
        "schema:publisher",
    ),
    (
        "report without headline",
        """
ssbid:report-t a ssb:Report ; schema:publisher ssbid:electrive ; schema:datePublished "2024-02-01"^^xsd:date .
""",
        "ReportShape",
        "needs a schema:headline",
    ),
    (
        "unavailable report that nobody cites",
        """
ssbid:report-t a ssb:Report ; rdfs:label "A report nobody relays"@en ; ssb:sourceAvailable false ;
    schema:publisher ssbid:electrive ; schema:datePublished "2024-02"^^xsd:gYearMonth .
""",
        "ReportShape",
        "ssb:cites",
    ),
    (
        "analyst note without author",
        """
ssbid:note-t a ssb:AnalystNote ; rdfs:label "A guess"@en ; schema:dateCreated "2026-11-25"^^xsd:date .
""",
        "AnalystNoteShape",
        "schema:author",
    ),
    (
        "organization without English label",
        """
ssbid:org-t a ssb:Company ; rdfs:label "某公司"@zh ; dct:source ssbid:report-electrive-2024-02-13 .
""",
        "OrganizationShape",
        "English rdfs:label",
    ),
    (
        "organization without source",
        """
ssbid:org-t a ssb:Company ; rdfs:label "T"@en .
""",
        "OrganizationShape",
        "dct:source",
    ),
    (
        "organization typed only by ORG",
        """
ssbid:org-t a <http://www.w3.org/ns/org#Organization> ; rdfs:label "T"@en ;
    dct:source ssbid:report-electrive-2024-02-13 .
""",
        "OrganizationShape",
        "type from the ontology",
    ),
    (
        "country not a code",
        """
ssbid:org-t a ssb:Company ; rdfs:label "T"@en ; ssb:country "China" ;
    dct:source ssbid:report-electrive-2024-02-13 .
""",
        "OrganizationShape",
        "ISO 3166-1",
    ),
    (
        "person without source",
        """
ssbid:person-t a ssb:Person ; rdfs:label "T"@en .
""",
        "PersonShape",
        "dct:source",
    ),
    (
        "event without date",
        """
ssbid:event-t a ssb:Event ; rdfs:label "T"@en ; dct:source ssbid:report-electrive-2024-02-13 .
""",
        "EventShape",
        "schema:startDate",
    ),
    (
        "programme without source",
        """
ssbid:programme-t a ssb:Programme ; rdfs:label "T"@en .
""",
        "ProgrammeShape",
        "dct:source",
    ),
    (
        "ranking without period",
        """
ssbid:ranking-t a ssb:Ranking ; rdfs:label "T"@en ; schema:publisher ssbid:sne-research ; ssb:scope "global" ;
    prov:wasDerivedFrom ssbid:report-cnevpost-2024-02-07 .
""",
        "RankingShape",
        "ssb:periodStart",
    ),
    (
        "ranking entry without organization",
        """
ssbid:entry-t a ssb:RankingEntry ; ssb:inRanking ssbid:ranking-sne-2023-full-year ; ssb:rank 11 .
""",
        "RankingEntryShape",
        "ssb:rankedOrganization",
    ),
    (
        "count above top N",
        """
ssbid:share-t a ssb:TopRankedShare ; ssb:count 11 ; ssb:topN 10 .
""",
        "TopRankedShareShape",
        "no larger than its ssb:topN",
    ),
    (
        "retraction without a reason",
        """
ssbid:assertion-catl-member-casip-electrive prov:wasInvalidatedBy ssbid:retraction-t .
ssbid:retraction-t a ssb:Retraction ; prov:atTime "2026-11-25T10:00:00Z"^^xsd:dateTime ;
    prov:wasAssociatedWith <urn:ssbkg:agent:jane> .
""",
        "RetractionShape",
        "why the assertion was retracted",
    ),
    (
        "certainty level without notation",
        """
ssb:Plausible a ssb:CertaintyLevel ; ssb:minConfidence 0.1 ; ssb:maxConfidence 0.4 .
""",
        "CertaintyLevelShape",
        "skos:notation",
    ),
    (
        "a report dated in the future",
        """
ssbid:report-t a ssb:Report ; schema:headline "H"@en ; schema:publisher ssbid:electrive ;
    schema:datePublished "2031-05-01"^^xsd:date ; schema:url <https://example.org/t> .
""",
        "NotInTheFutureShape",
        "later than today",
    ),
    (
        "a member reported before the alliance existed",
        """
ssbid:report-t a ssb:Report ; schema:headline "H"@en ; schema:publisher ssbid:electrive ;
    schema:datePublished "2023-12-01"^^xsd:date ; schema:url <https://example.org/t> .
"""
        + GOOD_ASSERTION.replace("report-electrive-2024-02-13", "report-t")
        .replace("prov:hadPrimarySource ssbid:report-nikkei-asia-2024-02 .", ".")
        .replace(
            "ssb:confidence 0.7 ;\n    prov:wasDerivedFrom ssbid:report-t ;",
            "ssb:confidence 0.7 ;\n    prov:wasDerivedFrom ssbid:report-t",
        ),
        "MemberAfterFoundingShape",
        "before https://w3id.org/ssbkg/id/casip was founded",
    ),
    (
        "an analyst's note as a report",
        GOOD_ASSERTION.replace("report-electrive-2024-02-13", "note-casip-fact-sheet-2026-11-25").replace(
            "    prov:hadPrimarySource ssbid:report-nikkei-asia-2024-02 .", '    ssb:quote "x"@en .'
        ),
        "NoteIsNotReportShape",
        "analyst's note",
    ),
    (
        "confirmed by a relay",
        GOOD_ASSERTION.replace("ssb:Reported ; ssb:confidence 0.7", "ssb:Confirmed ; ssb:confidence 0.95"),
        "ConfirmedNotByRelayShape",
        "relays",
    ),
    (
        "valid until before valid from",
        GOOD_ASSERTION.replace(
            "ssb:confidence 0.7 ;",
            'ssb:confidence 0.7 ; ssb:validFrom "2025-01-01"^^xsd:date ; ssb:validUntil "2024-06-01"^^xsd:date ;',
        ),
        "ValidityInOrderShape",
        "is after ssb:validUntil",
    ),
    (
        "a quote from a source not seen",
        GOOD_ASSERTION.replace("report-electrive-2024-02-13", "report-nikkei-asia-2024-02").replace(
            "    prov:hadPrimarySource ssbid:report-nikkei-asia-2024-02 .",
            '    ssb:quote "five specific battery companies"@en .',
        ),
        "UnseenSourceShape",
        "marked as not seen",
    ),
]


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    yield memory_store(on_create=seed)


def _validate(tmp_path: Path, body: str, store: Store):  # type: ignore[no-untyped-def]
    path = tmp_path / "case.ttl"
    path.write_text(PREFIXES + body, encoding="utf-8")
    return validate([read_rdf(path)], store)


@pytest.mark.parametrize(("case", "body", "rule", "words"), BAD, ids=[b[0] for b in BAD])
def test_shape_rejects_bad_input(tmp_path: Path, store: Store, case: str, body: str, rule: str, words: str) -> None:
    report = _validate(tmp_path, body, store)
    assert not report.conforms
    fired = [v for v in report.violations if v.rule == f"ssbsh:{rule}"]
    assert fired, [(v.rule, v.message) for v in report.violations]
    assert any(words in v.message for v in fired), [v.message for v in fired]
    assert all(v.file and v.file.endswith("case.ttl") for v in fired)


WARNINGS = [
    (
        "assertion without confidence",
        GOOD_ASSERTION.replace("ssb:confidence 0.7 ;", ""),
        "ConfidenceRecommendedShape",
        "ranks below every other",
    ),
    (
        "report without url",
        """
ssbid:report-t a ssb:Report ; schema:headline "H"@en ; schema:publisher ssbid:electrive ;
    schema:datePublished "2024-02-01"^^xsd:date .
""",
        "ReportUrlShape",
        "schema:url",
    ),
]


@pytest.mark.parametrize(("case", "body", "rule", "words"), WARNINGS, ids=[w[0] for w in WARNINGS])
def test_warnings_are_reported_but_do_not_block(
    tmp_path: Path, store: Store, case: str, body: str, rule: str, words: str
) -> None:
    report = _validate(tmp_path, body, store)
    assert report.conforms and report.passes() and not report.passes(strict=True)
    (warning,) = report.violations
    assert (warning.rule, warning.severity) == (f"ssbsh:{rule}", "Warning") and words in warning.message


def test_the_good_assertion_conforms(tmp_path: Path, store: Store) -> None:
    report = _validate(tmp_path, GOOD_ASSERTION, store)
    assert report.passes(strict=True), report.violations


def test_an_unavailable_report_cited_by_another_in_the_same_file_conforms(tmp_path: Path, store: Store) -> None:
    report = _validate(
        tmp_path,
        """
ssbid:report-orig a ssb:Report ; rdfs:label "An original not seen"@en ; ssb:sourceAvailable false ;
    schema:publisher ssbid:nikkei-asia ; schema:datePublished "2024"^^xsd:gYear .
ssbid:report-relay a ssb:Report ; schema:headline "A relay"@en ; schema:publisher ssbid:electrive ;
    schema:datePublished "2024-03-01"^^xsd:date ; ssb:cites ssbid:report-orig .
""",
        store,
    )
    assert report.conforms, report.violations


def test_same_month_primary_source_is_maybe_not_surely_later(tmp_path: Path, store: Store) -> None:
    # Nikkei's original is "2024-02"; a relay of 2024-02-13 may be later or earlier: no violation.
    report = _validate(tmp_path, GOOD_ASSERTION, store)
    assert not [v for v in report.violations if v.rule == "ssbsh:PrimarySourceDateShape"]


def test_every_named_shape_is_exercised_and_every_constraint_has_a_message() -> None:
    shapes = rdflib.Graph().parse(resources.shapes_file())
    named = {str(s).split("#")[1] for s in shapes.subjects(rdflib.RDF.type, SH.NodeShape)}
    assert named == {b[2] for b in BAD} | {w[2] for w in WARNINGS}
    for node_shape in shapes.subjects(rdflib.RDF.type, SH.NodeShape):
        has_own = shapes.value(node_shape, SH.message) is not None
        for prop in shapes.objects(node_shape, SH.property):
            assert shapes.value(prop, SH.message), (node_shape, shapes.value(prop, SH.path))
        for sparql in shapes.objects(node_shape, SH.sparql):
            assert shapes.value(sparql, SH.message), node_shape
        assert has_own or list(shapes.objects(node_shape, SH.property)) or list(shapes.objects(node_shape, SH.sparql))


@pytest.mark.parametrize(("case", "body", "rule", "words"), BAD, ids=[b[0] for b in BAD])
def test_every_rule_broken_through_load_is_refused_and_changes_nothing(
    case: str, body: str, rule: str, words: str, db: Store, tmp_path: Path
) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text(PREFIXES + body, encoding="utf-8")
    before = state(db)
    with pytest.raises(ssbkg.NotConformant) as refused:
        ssbkg.load_files(db, [str(path)])
    text = format_report(refused.value.report, "text")
    assert f"[rule ssbsh:{rule}]" in text and words in text
    assert state(db) == before


# Every value an enumerated property allows (sh:in, sh:hasValue), on a node that is otherwise good.
GOOD_REPORT = """
ssbid:report-t a ssb:Report ; schema:headline "H"@en ; schema:publisher ssbid:electrive ;
    schema:datePublished "2024-02-01"^^xsd:date ; schema:url <https://example.org/t> ; {extra} .
"""
LEVEL_CONFIDENCE = {"Confirmed": "0.95", "Reported": "0.7", "Speculative": "0.3", "Refuted": "0.05"}
ENUMERATED = [
    *((f"grade {g}", GOOD_REPORT.format(extra=f'ssb:reliability "{g}"'), f'"{g}"') for g in "ABCDEF"),
    *(
        (
            f"certainty {level}",
            GOOD_ASSERTION.replace("ssb:Reported ; ssb:confidence 0.7", f"ssb:{level} ; ssb:confidence {c}").replace(
                # confirmed at first hand: the source is the original, no relay
                ";\n    prov:hadPrimarySource ssbid:report-nikkei-asia-2024-02 .",
                " ." if level == "Confirmed" else ";\n    prov:hadPrimarySource ssbid:report-nikkei-asia-2024-02 .",
            ),
            f"ssb:{level}",
        )
        for level, c in LEVEL_CONFIDENCE.items()
    ),
    (
        "headline not known",
        GOOD_REPORT.format(extra='ssb:headlineKnown false ; rdfs:label "A report"@en').replace(
            'schema:headline "H"@en ;', ""
        ),
        "false",
    ),
]


@pytest.mark.parametrize(("case", "body", "value"), ENUMERATED, ids=[e[0] for e in ENUMERATED])
def test_every_allowed_value_of_an_enumerated_property_passes(
    tmp_path: Path, store: Store, case: str, body: str, value: str
) -> None:
    report = _validate(tmp_path, body, store)
    assert report.passes(strict=True), [(v.rule, v.message) for v in report.violations]


def test_the_enumerations_tested_are_all_the_shapes_allow() -> None:
    shapes = rdflib.Graph().parse(resources.shapes_file(), format="turtle")
    literals = {
        member.n3(shapes.namespace_manager)
        for listed in shapes.objects(None, SH["in"])
        for member in rdflib.collection.Collection(shapes, listed)
        if isinstance(member, rdflib.Literal)
    }
    tested = {e[2] for e in ENUMERATED}
    assert literals and literals <= tested, literals - tested


def test_restating_a_triple_the_store_holds_passes(tmp_path: Path, store: Store) -> None:
    report = _validate(tmp_path, 'ssbid:report-hardwarebee-2024-02 ssb:reliability "D" .', store)
    assert report.passes(), [(v.rule, v.message) for v in report.violations]
