"""What each kind of store supplies to the one algorithm of versioned.py, and what is read through it.

A backend (EmbeddedStore, RemoteStore) supplies the primitives: reading and writing the registry's
store, reading the content, writing and dropping slots. Made from them here: the published graphs,
and the history (every change, as `ssbkg changes` shows it; as an export carries it; imported from
another store's export).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

import pyoxigraph as ox

from ssbkg.namespaces import HIST
from ssbkg.stores import changelog
from ssbkg.stores import registry as reg
from ssbkg.stores.base import GraphInfo, Logged, QueryResult, Summary, text_of, triple_of


class Backend:
    location: str
    created = False  # made (and seeded) by this open
    _published: list[GraphInfo] | None = None

    # ----------------------------------------------------------------- primitives of a backend

    def _meta_select(self, sparql: str) -> QueryResult:
        raise NotImplementedError

    def _meta_ask(self, sparql: str) -> bool:
        raise NotImplementedError

    def _meta_update(self, sparql: str) -> None:
        raise NotImplementedError

    def _meta_write(self, graph: str, lines: Iterable[str]) -> None:
        """Add N-Triples lines to a graph of the registry's store."""
        raise NotImplementedError

    def _content_select(self, sparql: str, slots: Sequence[str] | None) -> QueryResult:
        """A SELECT over the content: the union of `slots`, or (None) with GRAPH patterns only."""
        raise NotImplementedError

    def _write_slot(self, slot: str, triples: Sequence[ox.Triple]) -> int:
        raise NotImplementedError

    def _stream_slot(self, slot: str, chunks: Iterable[Sequence[ox.Quad]]) -> int:
        raise NotImplementedError

    def _drop(self, slots: Collection[str], logs: Collection[str]) -> None:
        """Remove content slots and history graphs (best effort after a failure)."""
        raise NotImplementedError

    def _slot_triples(self, slots: Sequence[str]) -> list[ox.Triple]:
        raise NotImplementedError

    def _missing(self, slots: Sequence[str], triples: Sequence[ox.Triple]) -> list[ox.Triple]:
        """Those of `triples` that none of `slots` holds."""
        raise NotImplementedError

    def _begin(self, slots: Sequence[str], logs: Sequence[str]) -> None:
        """About to write these; a backend that can be killed mid-write notes them to undo."""

    def _end(self, replaced: Collection[str]) -> None:
        """Published: remove the slots no version reads any more (now, or once no reader can need them)."""
        self._drop(replaced, ())

    # ----------------------------------------------------------------- reading the registry

    def published(self) -> list[GraphInfo]:
        if self._published is None:
            rows = self._meta_select(reg.PUBLISHED).rows
            self._published = reg.infos([text_of(t) for t in row] for row in rows)
        return self._published

    def refresh(self) -> None:
        self._published = None

    def _slots(self, without: Collection[str] = ()) -> list[str]:
        return [s for g in self.published() if g.graph not in without for s in g.slots]

    def quads(self, graphs: Sequence[str] | None = None) -> list[ox.Quad]:
        out: list[ox.Quad] = []
        for info in self.published():
            if graphs is None or info.graph in graphs:
                target = ox.NamedNode(info.graph)
                out.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in self._slot_triples(info.slots))
        return out

    def change_log(self) -> list[Logged]:
        """Every change any version made."""
        out = []
        for row in self._meta_select(reg.HISTORY).rows:
            graph, _, kind, when, agent, log = (text_of(t) for t in row)
            if not log:
                continue
            for a, change, what in self._meta_select(changelog.changes_of(log)).rows:
                fields = (text_of(what).split(" ") + [""] * 7)[:7]
                summary = Summary(*fields)
                out.append(Logged(when, graph, kind, agent, text_of(a), text_of(change).removeprefix(HIST), summary))
        return out

    def history_quads(self, graph: str) -> list[ox.Quad]:
        """The history as an export carries it: the registry's versions, agents and graph kinds in
        `graph`, and each version's list of changes in a graph of its own."""
        where = ox.NamedNode(graph)
        rows = self._meta_select(reg.VERSION_TRIPLES).rows
        out = [ox.Quad(t.subject, t.predicate, t.object, where) for t in map(triple_of, rows)]
        logs = {text_of(o) for _, p, o in rows if text_of(p) == HIST + "changes"}
        for log in sorted(logs):
            node = ox.NamedNode(log)
            changes = map(triple_of, self._meta_select(changelog.changes_of(log)).rows)
            out += [ox.Quad(t.subject, t.predicate, t.object, node) for t in changes]
        return out

    def import_history(
        self, registry: Sequence[ox.Triple], logs: Mapping[str, Sequence[ox.Triple]]
    ) -> dict[str, dict[str, Summary]]:
        """Add another store's history (as `history_quads` gave it) to this one's, skipping versions it
        already knows; each graph's state at the end of that history, for a write that continues it."""
        known = {text_of(r[0]) for r in self._meta_select(reg.KNOWN_VERSIONS).rows}
        new, lines = reg.to_import(registry, known, {g.graph for g in self.published()})
        for version in sorted(new):
            log = reg.history_graph(version)
            self._meta_write(log, [f"{t.subject} {t.predicate} {t.object} ." for t in logs.get(log, ())])
        if lines:
            self._meta_update(reg.insert_data(lines))
        self.refresh()
        return changelog.state_after(registry, logs)
