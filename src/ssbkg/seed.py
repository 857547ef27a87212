"""Loading the bundled ontology, shapes and data into their own graphs."""

from __future__ import annotations

from ssbkg import resources
from ssbkg.rdfio import read_rdf
from ssbkg.stores.base import Store


def bundled_graphs() -> dict[str, list]:  # type: ignore[type-arg]
    graphs = {}
    for f in resources.bundled_files():
        graphs[f.graph] = read_rdf(f.path, syntax="turtle").default_graph
    return graphs


def seed(store: Store, *, force: bool = False) -> bool:
    """Load the bundled graphs unless they are there already; True if anything was written."""
    present = {g.graph for g in store.published() if g.kind == "bundled"}
    graphs = bundled_graphs()
    if not force and set(graphs) <= present:
        return False
    from ssbkg.stores.versioned import with_retries

    with_retries(store, lambda: store.replace_graphs(graphs, kind="bundled", source="ssbkg bundled files"), what="init")
    return True
