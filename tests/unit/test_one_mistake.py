"""The gate says one thing per mistake (issue 34, point 7): a value that is not of its datatype is
reported once, by the lexical check, and no shape reads a meaning into it (a date, a founding, the
future)."""

from __future__ import annotations

from pathlib import Path

import pytest

import ssbkg
from ssbkg.stores import Store

REPORT = """@prefix ssb: <https://w3id.org/ssbkg/ontology#> .
@prefix ssbid: <https://w3id.org/ssbkg/id/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
ssbid:report-x-2026 a ssb:Report ;
    schema:headline "X joins"@en ;
    schema:publisher ssbid:cnevpost ;
    schema:datePublished "DATE"^^xsd:date ;
    schema:url <https://example.org/x> .
ssbid:assertion-x a ssb:Assertion ;
    rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainty ssb:Reported ; ssb:confidence 0.7 ;
    prov:wasDerivedFrom ssbid:report-x-2026 .
"""


# "01/12/2026" read as a string sorts before CASIP's founding (2024-01-21); "31/12/2026" after today.
@pytest.mark.parametrize("day", ["01/12/2026", "31/12/2026", "2026-13-45x"])
def test_an_ill_typed_date_is_one_violation(db: Store, tmp_path: Path, day: str) -> None:
    path = tmp_path / "report.ttl"
    path.write_text(REPORT.replace("DATE", day), encoding="utf-8")
    report = ssbkg.validate_files(db, [str(path)])
    assert [(v.rule, v.path, v.value) for v in report.violations] == [
        ("ssbkg:WellTypedLiterals", "schema:datePublished", f'"{day}"')
    ]


def test_a_well_typed_date_before_the_founding_is_still_refused(db: Store, tmp_path: Path) -> None:
    # The guard keeps the rule: a real date before 2024-01-21 still cannot report a member.
    path = tmp_path / "report.ttl"
    path.write_text(REPORT.replace("DATE", "2023-12-01"), encoding="utf-8")
    rules = [v.rule for v in ssbkg.validate_files(db, [str(path)]).violations]
    assert rules == ["ssbsh:MemberAfterFoundingShape"]
