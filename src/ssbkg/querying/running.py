"""Running a query: find it, bind its parameters, open the store to read, return rows, triples or a boolean."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from pyoxigraph import Triple

from ssbkg import interruptible
from ssbkg.errors import StoreError
from ssbkg.querying import dataset
from ssbkg.querying.catalogue import StoredQuery, find_query, query_form
from ssbkg.stores import QueryResult, Store, StoreConfig, open_store

R = TypeVar("R")


def run(
    config: StoreConfig,
    name: str,
    params: Mapping[str, str],
    *,
    timeout: float | None = None,
    allow_remote: bool = False,
    folders: Sequence[Path] = (),
    kept: bool = True,
) -> QueryResult | list[Triple] | bool:
    """Open the store to read, run the query there (see `query`) and close it."""
    stored = find_query(name, allow_remote=allow_remote, folders=folders)
    with open_store(config, write=False) as store:
        return _run(store, stored, params, timeout, name, kept=kept)


def query(
    store: Store,
    name: str | StoredQuery,
    params: Mapping[str, str] | None = None,
    *,
    timeout: float | None = None,
    allow_remote: bool = False,
    folders: Sequence[Path] = (),
    kept: bool = True,
) -> QueryResult | list[Triple] | bool:
    """Run a stored query (by name, a .rq file or a query's text) on an open store, its parameters
    given as a user types them (`{"alliance": "casip"}`): the rows of a SELECT, the triples of a
    CONSTRUCT or DESCRIBE, the answer of an ASK. `name` may be a query already found (the site's).
    A query whose answers the store keeps current (see ssbkg.stores.kept) is read from them, unless `kept`
    is False: then the query's text alone answers, the same rows more slowly."""
    if isinstance(name, StoredQuery):
        return _run(store, name, params or {}, timeout, name.name, kept=kept)
    stored = find_query(name, allow_remote=allow_remote, folders=folders)
    return _run(store, stored, params or {}, timeout, name, kept=kept)


def _run(
    store: Store, stored: StoredQuery, params: Mapping[str, str], timeout: float | None, name: str, *, kept: bool
) -> QueryResult | list[Triple] | bool:
    named = resolved(store, stored, params)
    sparql = stored.bind(named)
    form = query_form(sparql)
    graphs = None
    if kept and not stored.graphs:
        from ssbkg.querying import kept as reading

        answered = reading.answer(store, stored, named)
        if answered is not None:
            return answered._replace(roles=stored.roles)
    if stored.graphs:  # FROM <graph>: that graph's current versions, told to the store
        dataset.check_graphs(stored.graphs, [g.graph for g in store.published()])
        sparql, graphs = dataset.without_dataset(sparql), stored.graphs

    def method(text: str) -> QueryResult | list[Triple] | bool:
        if form == "SELECT":
            return store.select(text, graphs=graphs)
        if form == "ASK":
            return store.ask(text, graphs=graphs)
        return store.construct(text, graphs=graphs)

    answer = method(sparql) if timeout is None else _with_timeout(method, sparql, timeout, name)
    if isinstance(answer, QueryResult) and stored.roles is not None:
        return answer._replace(roles=stored.roles)
    return answer


def resolved(store: Store, stored: StoredQuery, params: Mapping[str, str]) -> dict[str, str]:
    """Each IRI parameter as the store knows it: a name or label becomes the IRI of what it names, and a
    slug the store does not hold is refused with the nearest ones, rather than answered with nothing."""
    from ssbkg.errors import InputError
    from ssbkg.querying.resolve import entity

    kinds = {p.name: p.kind for p in stored.parameters}
    out = dict(params)
    for key, text in params.items():
        if kinds.get(key) != "iri" or stored.enumerate.get(key) or not text.strip():
            continue  # an empty value is refused by bind, in its own words
        try:
            out[key] = entity(store, text, what="entity")
        except InputError as e:
            raise InputError(f"parameter {key}: {e.message}", hint=e.hint) from None
    return out


def _with_timeout(method: Callable[[str], R], sparql: str, timeout: float, name: str) -> R:
    """A thread left past its limit keeps running until the process exits at once after the error (the
    store was opened read-only, so nothing is lost)."""
    try:
        return interruptible.call(lambda: method(sparql), timeout=timeout)
    except interruptible.Overtime:
        raise StoreError(
            f"the query {name} was stopped after running {timeout:g} s",
            hint="narrow it with parameters, or raise --timeout (0 for no limit)",
        ) from None
