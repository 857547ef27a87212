"""How every kind of store writes: the one algorithm behind load, claim, retract, infer and drop.

Content lives in *slots*, graphs that queries read; the registry and the history live apart (see
registry.py). A write puts new triples in a new slot that no query reads yet, lists in the history
what it changes, then publishes with one compare-and-swap update: only if every graph it replaces
is still at the version the writer read. A writer that loses the race removes what it wrote and
raises Contention; `with_retries` runs the whole command again (re-reading, re-validating), a
bounded number of times. Appending (claims, retractions) writes a slot of the new triples only, so
it costs space in proportion to what is appended.

Backends supply the primitives: EmbeddedStore (content and history in two pyoxigraph stores under
one lock) and RemoteStore (graphs on any SPARQL 1.1 server).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

import pyoxigraph as ox

from ssbkg.errors import StoreError
from ssbkg.stores import changelog
from ssbkg.stores import registry as reg
from ssbkg.stores.backend import Backend
from ssbkg.stores.base import Contention, Store, Summary

T = TypeVar("T")
MAX_SLOTS = 16  # an appended graph with more slots than this is merged into one at its next write
ATTEMPTS = 8


def with_retries(store: Store, attempt: Callable[[], T], *, what: str) -> T:
    """Run `attempt` until it publishes without losing a race, at most ATTEMPTS times."""
    for n in range(ATTEMPTS):
        try:
            return attempt()
        except Contention:
            store.refresh()
            if n == ATTEMPTS - 1:
                break
            time.sleep(random.uniform(0.05, 0.2) * (n + 1))  # noqa: S311 (jitter, not secrecy)
    raise StoreError(
        f"{what} lost the race to other writers of {store.location} {ATTEMPTS} times; nothing was written",
        hint="the store is being written by others right now; run the command again",
    )


class VersionedStore(Backend):
    # ----------------------------------------------------------------- writing

    def _each_summary(self, slots: Sequence[str]) -> Iterator[tuple[str, Summary]]:
        """Each assertion of the slots with its summary, once (a backend may stream them)."""
        if slots:
            rows = self._content_select(changelog.assertion_triples(slots), None).rows
            yield from changelog.summaries((str(a), str(p), str(o)) for a, p, o in rows).items()

    def _summaries(self, slots: Sequence[str]) -> dict[str, Summary]:
        return dict(self._each_summary(slots))

    def _publish(
        self,
        written: Mapping[str, tuple[tuple[str, ...], int]],
        *,
        kind: str | Mapping[str, str],
        source: str | Mapping[str, str],
        agent: str | None,
        appended: Sequence[str] | None = None,
        baseline: Mapping[str, Mapping[str, Summary]] | None = None,
    ) -> None:
        """Publish slots already written: graph -> (every slot of its new version, triples it holds).

        The changes listed compare the new slots with the old version's slots, or, for an append, with
        the `appended` slots it merged (none: all it adds is new), or with a `baseline` (a restored
        history's last state)."""
        from ssbkg.stores import checkpoint  # only a write reaches it: the query path does not import it

        current = {g.graph: g for g in self.published()}
        versions: dict[str, reg.NewVersion] = {}
        logs: list[str] = []
        new_slots = [s for slots, _ in written.values() for s in slots]
        try:
            for graph, (slots, count) in written.items():
                old = current.get(graph)
                version = slots[-1] if appended is None else reg.new_version_iri()
                fresh = [s for s in slots if old is None or s not in old.slots]
                compared = appended if appended is not None else old.slots if old is not None else ()
                before = baseline[graph] if baseline and graph in baseline else self._summaries(compared)
                changes = changelog.diff(before, self._each_summary(fresh))
                log = reg.history_graph(version)
                logs.append(log)
                self._meta_write(log, changelog.change_triples(changes))
                versions[graph] = reg.NewVersion(version, slots, count, old.version if old else reg.NONE)
            checkpoint.reached("written")
            self._meta_update(reg.publish(versions, kind=kind, source=source, agent=agent))
            graph, new = next(iter(versions.items()))
            if not self._meta_ask(reg.is_current(graph, new.version)):
                self._lost_or_ignored(graph, current[graph].version if graph in current else None)
        except BaseException:
            self._drop([s for s in new_slots if all(s not in g.slots for g in current.values())], logs)
            self.refresh()
            raise
        replaced = {s for g in versions if g in current for s in current[g].slots} - {
            s for v in versions.values() for s in v.slots
        }
        self.refresh()
        checkpoint.reached("published")
        self._end(replaced)

    def _lost_or_ignored(self, graph: str, read: str | None) -> None:
        """The publication did not take: another writer published the graph first (Contention, tried
        again), or nobody did and the server said yes to a write it never made (an update endpoint
        that is no SPARQL Update endpoint): that is a broken store, not a race."""
        unchanged = self._meta_ask(reg.is_current(graph, read)) if read else not self._meta_ask(reg.has_current(graph))
        if not unchanged:
            raise Contention(f"another writer replaced <{graph}> first")
        raise StoreError(
            f"{self.location} answered the write but did not make it: the registry is as it was",
            hint="check that --update-endpoint is the server's SPARQL Update endpoint; nothing was changed",
        )

    def replace_graphs(
        self,
        graphs: Mapping[str, Sequence[ox.Triple]],
        *,
        kind: str | Mapping[str, str],
        source: str | Mapping[str, str],
        agent: str | None = None,
        baseline: Mapping[str, Mapping[str, Summary]] | None = None,
    ) -> dict[str, int]:
        """Write each graph as a new version and publish them all in one step, or none; the triples each
        now holds (fewer than given where the input repeats a triple or the server merges values).
        `source` says where the triples came from: one text for all, or one per graph; `baseline`, what
        the history says a graph held before (see import_history)."""
        self.published()  # what the new versions replace is what this writer read
        slots = {g: reg.new_version_iri() for g in graphs}
        self._begin(list(slots.values()), [reg.history_graph(v) for v in slots.values()])
        written: dict[str, tuple[tuple[str, ...], int]] = {}
        try:
            for graph, triples in graphs.items():
                written[graph] = ((slots[graph],), self._write_slot(slots[graph], list(dict.fromkeys(triples))))
        except BaseException:
            self._drop(slots.values(), ())
            raise
        self._publish(written, kind=kind, source=source, agent=agent, baseline=baseline)
        return {g: n for g, (_, n) in written.items()}

    def stream_graphs(
        self,
        graphs: Mapping[str, Iterable[Sequence[ox.Quad]]],
        *,
        kind: str | Mapping[str, str],
        source: str | Mapping[str, str],
        agent: str | None = None,
    ) -> dict[str, int]:
        """Write each graph from its chunks, one after the other, then publish them all in one step, or
        none: a file that fails after others were read leaves every graph as it was."""
        self.published()
        slots = {g: reg.new_version_iri() for g in graphs}
        self._begin(list(slots.values()), [reg.history_graph(v) for v in slots.values()])
        written: dict[str, tuple[tuple[str, ...], int]] = {}
        try:
            for graph, chunks in graphs.items():
                written[graph] = ((slots[graph],), self._stream_slot(slots[graph], chunks))
        except BaseException:
            self._drop(slots.values(), ())
            raise
        self._publish(written, kind=kind, source=source, agent=agent)
        return {g: n for g, (_, n) in written.items()}

    def append(
        self, graph: str, triples: Sequence[ox.Triple], *, kind: str, source: str, agent: str | None = None
    ) -> int:
        """Add triples to a graph, writing only those it does not hold yet; how many were added."""
        old = next((g for g in self.published() if g.graph == graph), None)
        new = self._missing(old.slots, triples) if old else list(dict.fromkeys(triples))
        if not new:
            return 0
        slot = reg.new_version_iri()
        kept: tuple[str, ...] = old.slots if old else ()
        merged: tuple[str, ...] = ()
        total = old.triples if old else 0
        if len(kept) >= MAX_SLOTS:
            # The first slot (what was loaded or last pruned) stays; the appended ones are merged into
            # the new slot, so that a server's queries name a bounded number of graphs.
            kept, merged = kept[:1], kept[1:]
            earlier = list(dict.fromkeys(self._slot_triples(merged)))
            total -= len(earlier)
            new = list(dict.fromkeys(earlier + new))
        self._begin([slot], [])
        try:
            count = self._write_slot(slot, new)
        except BaseException:
            self._drop([slot], ())
            raise
        self._publish({graph: ((*kept, slot), total + count)}, kind=kind, source=source, agent=agent, appended=merged)
        return count

    def retire(self, graph: str, *, agent: str | None = None) -> bool:
        """Unpublish a graph; False if it was not published. The history lists its assertions as
        removed, by `agent`, now."""
        old = next((g for g in self.published() if g.graph == graph), None)
        if old is None:
            return False
        tomb = reg.new_version_iri()
        log = reg.history_graph(tomb)
        self._begin([], [log])
        try:
            self._meta_write(log, changelog.change_triples(changelog.diff(self._summaries(old.slots), ())))
            self._meta_update(reg.retire(graph, old.version, tomb=tomb, agent=agent))
            self.refresh()
            if not self._meta_ask(reg.is_retired(graph, tomb)):
                self._lost_or_ignored(graph, old.version)
        except BaseException:
            self._drop((), [log])
            self.refresh()
            raise
        self._end(set(old.slots))
        return True

    def compact(self) -> list[str]:
        """Merge each graph stored in several slots into one; the graphs merged."""
        merged = []
        for info in self.published():
            if len(info.slots) > 1:
                triples = self._slot_triples(info.slots)
                slot = reg.new_version_iri()
                self._begin([slot], [reg.history_graph(slot)])
                count = self._write_slot(slot, triples)
                self._publish(
                    {info.graph: ((slot,), count)}, kind=info.kind, source=info.loaded_from, agent=info.agent or None
                )
                merged.append(info.graph)
        return merged
