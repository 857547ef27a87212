"""The stores' own SPARQL files (src/ssbkg/stores/sparql/): each parses as it stands, declares only the
prefixes it uses, names only the project's own graphs, and binds exactly the parameters it has."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from ssbkg import namespaces
from ssbkg.stores import sparql

from .test_query_text import unused_prefixes

FILES = sorted(p for p in sparql.HERE.iterdir() if p.suffix in {".rq", ".ru"})
# The graph IRIs a file may write out: the registry, and the bases of slots and history graphs.
OWN_GRAPHS = {namespaces.REGISTRY_GRAPH, namespaces.VERSION_BASE, namespaces.HISTORY_BASE, namespaces.ANSWERS_BASE}


def test_the_files_are_found() -> None:
    assert {"published.rq", "retire.ru", "history.rq"} <= {p.name for p in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_parses_and_runs_on_an_empty_store(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    store = ox.Store()
    if path.suffix == ".ru":
        store.update(text)
        assert len(store) == 0  # every update is guarded by a pattern an empty store does not match
    else:
        store.query(text)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_declares_only_what_it_uses(path: Path) -> None:
    assert unused_prefixes(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_names_only_the_projects_graphs(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    written = set(re.findall(r'<(https://w3id\.org/ssbkg/graph/[^>]*)>|"(https://w3id\.org/ssbkg/graph/[^"]*)"', text))
    assert {a or b for a, b in written} <= OWN_GRAPHS


def test_parameters_are_bound_as_terms() -> None:
    hostile = ox.Literal('x" } } ; DROP ALL ; #')
    text = sparql.text("has-current.rq", graph=ox.NamedNode("https://example.org/g"))
    assert "<https://example.org/g> ssb:currentVersion" in text
    retire = sparql.text(
        "retire.ru",
        graph=ox.NamedNode("https://example.org/g"),
        version=ox.NamedNode("https://example.org/v"),
        tomb=ox.NamedNode("https://example.org/t"),
        now=ox.Literal("2026-12-03T00:00:00Z", datatype=ox.NamedNode(namespaces.XSD + "dateTime")),
        source=hostile,
        agent=ox.NamedNode("https://example.org/a"),
        name=hostile,
        log=ox.NamedNode("https://example.org/l"),
    )
    store = ox.Store()
    store.add(
        ox.Quad(
            ox.NamedNode("https://example.org/g"),
            ox.NamedNode(namespaces.SSB + "currentVersion"),
            ox.NamedNode("https://example.org/v"),
            ox.NamedNode(namespaces.REGISTRY_GRAPH),
        )
    )
    store.update(retire)
    labels = {q.object.value for q in store if q.predicate.value == namespaces.RDFS_LABEL}
    assert labels == {hostile.value}  # the text went in as one literal, and nothing was dropped


def test_a_missing_or_unknown_parameter_is_a_mistake_in_the_code() -> None:
    with pytest.raises(TypeError, match="graph"):
        sparql.text("has-current.rq")
    with pytest.raises(TypeError, match="graf"):
        sparql.text("has-current.rq", graph=ox.NamedNode("https://example.org/g"), graf=ox.NamedNode("https://x"))
