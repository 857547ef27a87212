"""The library layer: behaviour through ssbkg's public face on a store in memory, seeded with the
bundled data for each test (about 40 ms), with no command line, no process and no server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import ssbkg
from ssbkg.stores import QueryResult, Store


@pytest.fixture
def db() -> Iterator[Store]:
    """A store of this test's own, in memory, holding the bundled ontology, shapes and data."""
    with ssbkg.open_store("memory:", write=True) as store:
        yield store


def answer(store: Store, name: str, **params: str) -> list[dict[str, str]]:
    """A stored query's rows as the CSV output shows them: each variable's value as text."""
    result = ssbkg.query(store, name, params)
    assert isinstance(result, QueryResult)
    return result.dicts()


def state(store: Store) -> tuple[list[str], list[str], int]:
    """What "nothing was written" compares: every quad a query reads, the registry's graphs and their
    versions, and the number of changes the history lists."""
    store.refresh()
    return (
        sorted(str(q) for q in store.quads()),
        sorted(f"{g.graph} {g.version} {g.triples}" for g in store.published()),
        len(store.change_log()),
    )


def exported(store: Store, graph: str) -> str:
    """A graph's triples in N-Triples, as `ssbkg export --graph G --format nt` writes them."""
    from ssbkg.io.render import render_rdf
    from ssbkg.writing.graphs import export_quads

    return render_rdf(export_quads(store, [graph], provenance=False), "nt").decode()


def loaded(store: Store, path: Path, **options: object) -> None:
    """Load one file as `ssbkg load` does (options as load_files takes them)."""
    ssbkg.load_files(store, [str(path)], **options)  # type: ignore[arg-type]
