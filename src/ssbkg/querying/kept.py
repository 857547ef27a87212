"""The fast path of a read: a stored query answered from the answers the store keeps current at write
time (ssbkg.stores.kept), when they are current; otherwise None, and its text answers."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import pyoxigraph as ox

from ssbkg import resources
from ssbkg.querying.catalogue import StoredQuery, load_query
from ssbkg.stores import QueryResult, Store
from ssbkg.stores.kept import claims, members, upkeep

KEPT = ("alliance-members", "corroboration", "weakly-sourced")


@lru_cache(maxsize=len(KEPT))
def _bundled_text(name: str) -> str:
    """A kept query's text as bundled: a query of the user's by the same name is not the one kept."""
    return load_query(resources.queries_dir() / f"{name}.rq", bundled=True).text


def answer(store: Store, stored: StoredQuery, given: Mapping[str, str]) -> QueryResult | None:
    """The rows of `stored` with the parameters `given`, from the kept answers; None where they do not
    answer it (another query, one of the user's by the same name, a level without a whole notation,
    answers not current): then the definition does."""
    if stored.name not in KEPT or stored.text != _bundled_text(stored.name):
        return None
    terms = {p.name: v for p, v in stored.terms(given)}
    day = terms.get("asOf")
    as_of = day.value if isinstance(day, ox.Literal) else None
    alliance = terms.get("alliance")
    if stored.name == "alliance-members":
        return _members(store, alliance, terms.get("minCertainty"), as_of)
    if alliance is not None and not isinstance(alliance, ox.NamedNode):
        return None
    about = alliance.value if isinstance(alliance, ox.NamedNode) else None
    weak = stored.name == "weakly-sourced"
    variables = claims.WEAKLY_SOURCED if weak else claims.CORROBORATION
    if as_of is None or as_of >= members.BEFORE:  # kept ready, claim by claim
        packed = upkeep.packed_claims_of(store.backend, store.published(), about, as_of, weak=weak)
        if packed is None:
            return None
        rows = claims.weakly_sourced_rows(packed) if weak else claims.corroboration_rows(packed)
        return QueryResult(list(variables), rows)
    records = upkeep.claims_of(store.backend, store.published(), about, as_of, weak=weak)
    if records is None:
        return None
    found = claims.weakly_sourced(records, as_of) if weak else claims.corroboration(records, as_of)
    return None if found is None else QueryResult(list(variables), found)


def _members(store: Store, alliance: object, level: object, as_of: str | None) -> QueryResult | None:
    if not isinstance(alliance, ox.NamedNode) or not isinstance(level, ox.NamedNode):
        return None
    scheme = store.select(members.SCHEME)
    minimum = {members.level_number(row) for row in scheme.rows if row[0] == level}
    notation = minimum.pop() if len(minimum) == 1 else None
    if notation is None:
        return None
    lowest = min((n for n in map(members.level_number, scheme.rows) if n is not None), default=notation)
    if notation <= lowest and (as_of is None or as_of >= members.BEFORE):  # every level: kept ready
        summaries = upkeep.summaries_of(store.backend, store.published(), alliance.value, as_of)
        if summaries is None:
            return None
        return QueryResult(list(members.VARIABLES), members.summarized(summaries, scheme))
    records = upkeep.records_of(store.backend, store.published(), alliance.value)
    if records is None:
        return None
    rows = members.rows(sorted(records.items()), scheme, minimum=notation, as_of=as_of)
    return None if rows is None else QueryResult(list(members.VARIABLES), rows)
