"""Loading the bundled ontology, shapes and data into their own graphs."""

from __future__ import annotations

from typing import NamedTuple

from pyoxigraph import Triple

from ssbkg import resources
from ssbkg.io.rdf import read_rdf
from ssbkg.stores.versioned import Store


def bundled_graphs() -> dict[str, list[Triple]]:
    graphs: dict[str, list[Triple]] = {}
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


class Initialized(NamedTuple):
    seeded: bool  # the bundled graphs were written
    upgraded: int  # earlier versions whose changes were listed (0 unless asked to upgrade)


def init(store: Store, *, force: bool = False, upgrade: bool = False) -> Initialized:
    """Make a store ready: with `upgrade`, list the changes of a 0.2.0 store's versions first (its
    history); then seed the bundled graphs (`force`: again)."""
    upgraded = 0
    if upgrade:
        from ssbkg.stores.migration import upgrade_history

        upgraded = upgrade_history(store.backend)
    return Initialized(seed(store, force=force), upgraded)
