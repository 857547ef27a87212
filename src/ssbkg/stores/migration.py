"""Opening a store made by ssbkg 0.2.0 (layout 1), whose history was its retired versions.

`upgrade_history` computes, once, the changes each version made from the versions themselves, with
the times and agents the registry recorded, so that `ssbkg changes` says after the upgrade what it
said before; it runs on every kind of store. On the embedded store, the registry and the history
then move to the history store beside the content, and a sweep removes the registry and the retired
versions from the content. The content is changed only once the history store is whole and the
store is marked as layout 2, under the ``ssbkg.dirty`` mark: a migration killed at any moment is
done again, or finished by the sweep, at the next open.
"""

from __future__ import annotations

import pyoxigraph as ox

from ssbkg.io.terms import text_of
from ssbkg.stores import changelog, sparql
from ssbkg.stores import registry as reg
from ssbkg.stores.backend import Backend
from ssbkg.stores.base import Summary


def upgrade_history(backend: Backend) -> int:
    """List the changes of every version that has no list yet; how many versions were listed."""
    previous: dict[str, dict[str, Summary]] = {}
    done = 0
    for row in backend.meta_select(sparql.text("unlogged.rq")).rows:
        graph, version, logged = (text_of(t) for t in row)
        summary = dict(backend.summaries([version]))
        if logged != "true":
            log = reg.history_graph(version)
            backend.meta_write(log, changelog.change_triples(changelog.diff(previous.get(graph, {}), summary.items())))
            backend.meta_update(sparql.text("add-log.ru", version=ox.NamedNode(version), log=ox.NamedNode(log)))
            done += 1
        previous[graph] = summary
    return done
