"""A stored query's parameters as a user types them, through `ssbkg.query`: an entity by slug, prefixed
name, IRI or any of its names, in any script; every value checked against its declared type before the
query runs, and refused in words that name the parameter and say what to give (tests/unit/test_params.py
has the binding itself)."""

from __future__ import annotations

import pytest

import ssbkg
from ssbkg.stores import Store

from .conftest import answer


@pytest.mark.parametrize("alliance", ["casip", "CASIP", "ssbid:casip", "https://w3id.org/ssbkg/id/casip"])
def test_an_entity_is_named_as_a_user_types_it(db: Store, alliance: str) -> None:
    members = answer(db, "alliance-members", alliance=alliance)
    assert len(members) == 14 and members[0]["label"] == "CATL"


def test_an_organization_is_found_by_its_chinese_name(db: Store) -> None:
    profile = answer(db, "organization-profile", organization="宁德时代")
    assert {r["value"] for r in profile if r["property"].endswith("#label")} >= {"CATL"}


@pytest.mark.parametrize(
    ("name", "params", "message", "hint"),
    [
        ("alliance-members", {"alliance": "casp"}, "no entity is named 'casp'", "did you mean casip"),
        ("alliance-members", {}, "needs parameter alliance", "-p alliance=VALUE"),
        ("alliance-members", {"alliance": ""}, "parameter alliance of alliance-members is empty", "-p alliance="),
        (
            "alliance-members",
            {"alliance": "casip", "bogus": "1"},
            "has no parameter bogus",
            "alliance, minCertainty, asOf",
        ),
        ("alliance-members", {"alliance": "casip", "asOf": "2024-02-30"}, "no such day", "YYYY-MM-DD"),
        ("alliance-members", {"alliance": "casip", "minCertainty": "sure"}, "minCertainty", "Confirmed, Reported"),
        (
            "top-ranked-members",
            {"ranking": "ranking-sne-2023-full-year", "topN": "six"},
            "parameter topN: 'six'",
            "whole number",
        ),
        (
            "organization-profile",
            {"organization": "Contemporary Amperes"},
            "no entity is named 'Contemporary Amperes'",
            "ssbkg find",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_the_parameter_and_what_to_give(
    db: Store, name: str, params: dict[str, str], message: str, hint: str
) -> None:
    with pytest.raises(ssbkg.InputError) as refused:
        ssbkg.query(db, name, params)
    assert message in refused.value.message and hint in str(refused.value.hint), refused.value


def test_an_enumerated_value_is_read_in_any_case(db: Store) -> None:
    sure = answer(db, "alliance-members", alliance="casip", minCertainty="Reported")
    assert len(sure) == 12 and {r["certainty"] for r in sure} == {"reported"}
    assert answer(db, "alliance-members", alliance="casip", minCertainty="reported") == sure


def test_every_stored_query_is_listed_with_its_typed_parameters() -> None:
    catalogue = ssbkg.stored_queries()
    members = {p.name: p.kind for p in catalogue["alliance-members"].parameters}
    assert members == {"alliance": "iri", "minCertainty": "iri", "asOf": "date"}
    assert {"alliance-members", "candidates", "conflicts", "corroboration", "find", "reports"} <= set(catalogue)
