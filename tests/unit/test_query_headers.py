"""What each stored query's header says of it (issue 36): its columns, each given one role, and an
example for each parameter that runs and answers."""

from __future__ import annotations

import pytest

import ssbkg
from ssbkg.querying.catalogue import stored_queries
from ssbkg.stores import QueryResult, Store

QUERIES = stored_queries()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_column_has_one_role_and_every_parameter_an_example(db: Store, name: str) -> None:
    stored = QUERIES[name]
    assert stored.roles is not None, f"{name} says nothing of its columns"
    assert stored.roles.identify, f"{name}: no column names the row"
    assert set(stored.examples) >= {p.name for p in stored.parameters if p.required}
    assert set(stored.examples) <= {p.name for p in stored.parameters}, "an example for no parameter"
    result = ssbkg.query(db, name, dict(stored.examples))
    assert isinstance(result, QueryResult)
    said = [*stored.roles.identify, *stored.roles.answer, *stored.roles.detail]
    assert sorted(said) == sorted(result.variables), f"{name}: roles {said} for columns {result.variables}"
    assert result.roles == stored.roles  # the answer carries them to the table


# The examples answer, checked by hand against the bundled data (../shared/reference/casip-facts.md).
ANSWERS = {
    "find": ("label", "CATL"),  # 宁德时代 is CATL's Chinese name
    "organization-profile": ("value", "Changzhou"),  # SVOLT's headquarters, as miningcomm.com says
    "top-ranked-members": ("label", "Panasonic"),  # fourth in SNE's 2023 list, not in CASIP
    "claims-by-source": ("objectLabel", "CASIP"),
}


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_the_examples_answer_what_the_facts_say(db: Store, name: str) -> None:
    column, value = ANSWERS[name]
    result = ssbkg.query(db, name, dict(QUERIES[name].examples))
    assert isinstance(result, QueryResult)
    assert value in {row[column] for row in result.dicts()}
