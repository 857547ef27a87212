"""How every kind of store writes: the one algorithm behind load, claim, retract, infer and drop.

Content lives in *slots*, graphs that queries read; the registry and the history live apart (see
registry.py). A write puts new triples in a new slot that no query reads yet, lists in the history
what it changes, then publishes with one compare-and-swap update: only if every graph it replaces
is still at the version the writer read. A writer that loses the race removes what it wrote and
raises Contention; `with_retries` runs the whole command again (re-reading, re-validating), a
bounded number of times. Appending (claims, retractions) writes a slot of the new triples only, so
it costs space in proportion to what is appended.

`Store` is the one store class: it holds a backend (backend.py), an adapter of the primitives of an
embedded Oxigraph store or a SPARQL 1.1 server, and asks it for nothing about versions.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, TypeVar

import pyoxigraph as ox

from ssbkg.errors import StoreError
from ssbkg.io.terms import text_of, triple_of
from ssbkg.namespaces import HIST, REGISTRY_GRAPH, SSB
from ssbkg.stores import changelog
from ssbkg.stores import registry as reg
from ssbkg.stores.backend import Backend
from ssbkg.stores.base import Contention, GraphInfo, Logged, Pruned, QueryResult, Summary

if TYPE_CHECKING:
    from ssbkg.stores.kept import upkeep

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


class Kept(NamedTuple):
    update: str  # operations that follow a publication's: the kept answers' pointer moves with it
    replaced: tuple[str, ...]  # answer slots no longer read once it has
    later: upkeep.Prepared | None = None  # what to derive once published, or None


class Store:
    """A store of named graphs in versions, over a backend. Every write publishes with one
    compare-and-swap update, so a reader sees a graph whole, old or new, and writers never lose each
    other's work."""

    def __init__(self, backend: Backend, *, created: bool = False) -> None:
        self.backend = backend
        self.created = created  # made (and seeded) by this open
        self._published: list[GraphInfo] | None = None

    @property
    def location(self) -> str:
        return self.backend.location

    def close(self) -> None:
        """Release what the store holds."""
        self._published = None
        self.backend.close()

    # ----------------------------------------------------------------- reading

    def select(self, sparql: str, *, graphs: Collection[str] | None = None) -> QueryResult:
        """Run a SELECT over the published graphs (only those named in `graphs`, when given)."""
        return self.backend.select(sparql, self._dataset(only=graphs))

    def construct(
        self,
        sparql: str,
        *,
        without: Collection[str] = (),
        graphs: Collection[str] | None = None,
        written_order: bool = False,
    ) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE over the published graphs, leaving out the graphs named in `without`
        (or reading only those in `graphs`); `written_order`: join in the order written, where the engine
        would plan it (Virtuoso)."""
        return self.backend.construct(sparql, self._dataset(without, only=graphs), written_order=written_order)

    def ask(self, sparql: str, *, graphs: Collection[str] | None = None) -> bool:
        """Run an ASK over the published graphs (only those named in `graphs`, when given)."""
        return self.backend.ask(sparql, self._dataset(only=graphs))

    def _dataset(self, without: Collection[str] = (), *, only: Collection[str] | None = None) -> list[str] | None:
        # The embedded store reads its content's union without reading the registry at all.
        if only is not None:
            return [s for g in self.published() if g.graph in only and g.graph not in without for s in g.slots]
        return None if self.backend.reads_union and not without else self._slots(without)

    def published(self) -> list[GraphInfo]:
        """The published graphs, each with its current version."""
        if self._published is None:
            rows = self.backend.meta_select(reg.PUBLISHED).rows
            self._published = reg.infos([text_of(t) for t in row] for row in rows)
        return self._published

    def refresh(self) -> None:
        """Forget what was read of the registry (after losing a race to another writer)."""
        self._published = None

    def _slots(self, without: Collection[str] = ()) -> list[str]:
        return [s for g in self.published() if g.graph not in without for s in g.slots]

    def quads(self, graphs: Sequence[str] | None = None) -> list[ox.Quad]:
        """The published content, each triple in its logical graph."""
        out: list[ox.Quad] = []
        for info in self.published():
            if graphs is None or info.graph in graphs:
                target = ox.NamedNode(info.graph)
                triples = self.backend.slot_triples(info.slots)
                out.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
        return out

    # ----------------------------------------------------------------- the history

    def change_log(self) -> list[Logged]:
        """Every change any version made."""
        out = []
        for row in self.backend.meta_select(reg.HISTORY).rows:
            graph, _, kind, when, agent, log = (text_of(t) for t in row)
            if not log:
                continue
            for a, change, what in self.backend.meta_select(changelog.changes_of(log)).rows:
                fields = (text_of(what).split(" ") + [""] * 7)[:7]
                summary = Summary(*fields)
                out.append(Logged(when, graph, kind, agent, text_of(a), text_of(change).removeprefix(HIST), summary))
        return out

    def history_quads(self, graph: str) -> list[ox.Quad]:
        """The history as an export carries it: the registry's versions, agents and graph kinds in
        `graph`, and each version's list of changes in a graph of its own."""
        where = ox.NamedNode(graph)
        rows = self.backend.meta_select(reg.VERSION_TRIPLES).rows
        out = [ox.Quad(t.subject, t.predicate, t.object, where) for t in map(triple_of, rows)]
        logs = {text_of(o) for _, p, o in rows if text_of(p) == HIST + "changes"}
        for log in sorted(logs):
            node = ox.NamedNode(log)
            changes = map(triple_of, self.backend.meta_select(changelog.changes_of(log)).rows)
            out += [ox.Quad(t.subject, t.predicate, t.object, node) for t in changes]
        return out

    def import_history(
        self, registry: Sequence[ox.Triple], logs: Mapping[str, Sequence[ox.Triple]]
    ) -> dict[str, dict[str, Summary]]:
        """Add another store's history (as `history_quads` gave it) to this one's, skipping versions it
        already knows; each graph's state at the end of that history, for a write that continues it."""
        known = {text_of(r[0]) for r in self.backend.meta_select(reg.KNOWN_VERSIONS).rows}
        new, lines = reg.to_import(registry, known, {g.graph for g in self.published()})
        for version in sorted(new):
            log = reg.history_graph(version)
            self.backend.meta_write(log, [f"{t.subject} {t.predicate} {t.object} ." for t in logs.get(log, ())])
        if lines:
            self.backend.meta_update(reg.insert_data(lines))
        self.refresh()
        return changelog.state_after(registry, logs)

    # ----------------------------------------------------------------- writing

    def _summaries(self, slots: Sequence[str]) -> dict[str, Summary]:
        return dict(self.backend.summaries(slots))

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
                changes = changelog.diff(before, self.backend.summaries(fresh))
                log = reg.history_graph(version)
                logs.append(log)
                self.backend.meta_write(log, changelog.change_triples(changes))
                versions[graph] = reg.NewVersion(version, slots, count, old.version if old else reg.NONE)
            after = {g: (i.version, i.slots) for g, i in current.items()}
            after.update({g: (v.version, v.slots) for g, v in versions.items()})
            first, made = next(iter(versions.items()))
            kept = self._keep_answers(current, after, f"<{first}> <{SSB}currentVersion> <{made.version}>", logs)
            checkpoint.reached("written")
            self.backend.meta_update(reg.publish(versions, kind=kind, source=source, agent=agent) + kept.update)
            graph, new = next(iter(versions.items()))
            if not self.backend.meta_ask(reg.is_current(graph, new.version)):
                self._lost_or_ignored(graph, current[graph].version if graph in current else None)
        except BaseException:
            self.backend.drop([s for s in new_slots if all(s not in g.slots for g in current.values())], logs)
            self.refresh()
            raise
        replaced = {s for g in versions if g in current for s in current[g].slots} - {
            s for v in versions.values() for s in v.slots
        }
        self.refresh()
        checkpoint.reached("published")
        self.backend.drop((), kept.replaced)
        self.backend.end(replaced)
        if not kept.update:
            self._answers_after(kept)

    def _keep_answers(
        self,
        current: Mapping[str, GraphInfo],
        after: Mapping[str, tuple[str, Sequence[str]]],
        when: str,
        logs: list[str],
    ) -> Kept:
        """The kept answers a write moves with its publication (see stores/kept/upkeep.py): their operations, to
        follow the publication's, and the answer slots they leave. A store that cannot derive them (a
        server's limit) is still written: the records stay at their old state, which no read then uses."""
        from ssbkg.stores.kept import upkeep

        try:
            prepared = upkeep.prepare(self.backend, current, after, f"GRAPH <{REGISTRY_GRAPH}> {{ {when} }}")
        except StoreError as e:
            if isinstance(e, Contention):
                raise
            return Kept("", ())
        if prepared is None:
            return Kept("", ())
        if prepared.later is not None:
            return Kept("", (), prepared)
        logs.extend(prepared.written)  # removed with the write's history graphs if it fails
        return Kept(" ;\n" + prepared.update, prepared.replaced)

    def _answers_after(self, kept: Kept) -> None:
        """What a write left to do of its kept answers once published: derive the keys it touched, or all
        of them anew (see stores/kept/upkeep.py). A store that cannot (a server's limit) keeps them
        stale, and reads are answered by the stored queries."""
        from ssbkg.stores.kept import upkeep

        with contextlib.suppress(StoreError):
            if kept.later is not None:
                upkeep.follow(self.backend, self.published(), kept.later)
            else:
                upkeep.rebuild(self.backend, self.published())

    def _lost_or_ignored(self, graph: str, read: str | None) -> None:
        """The publication did not take: another writer published the graph first (Contention, tried
        again), or nobody did and the server said yes to a write it never made (an update endpoint
        that is no SPARQL Update endpoint): that is a broken store, not a race."""
        unchanged = (
            self.backend.meta_ask(reg.is_current(graph, read))
            if read
            else not self.backend.meta_ask(reg.has_current(graph))
        )
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
        self.backend.begin(list(slots.values()), [reg.history_graph(v) for v in slots.values()])
        written: dict[str, tuple[tuple[str, ...], int]] = {}
        try:
            for graph, triples in graphs.items():
                written[graph] = ((slots[graph],), self.backend.write_slot(slots[graph], list(dict.fromkeys(triples))))
        except BaseException:
            self.backend.drop(slots.values(), ())
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
        self.backend.begin(list(slots.values()), [reg.history_graph(v) for v in slots.values()])
        written: dict[str, tuple[tuple[str, ...], int]] = {}
        try:
            for graph, chunks in graphs.items():
                written[graph] = ((slots[graph],), self.backend.stream_slot(slots[graph], chunks))
        except BaseException as e:
            self.backend.drop(slots.values(), ())
            self.backend.end(())
            if isinstance(e, Exception):  # a bad line, not Ctrl-C: give the disk back now, not at a prune
                self.backend.optimize()
            raise
        self._publish(written, kind=kind, source=source, agent=agent)
        return {g: n for g, (_, n) in written.items()}

    def append(
        self, graph: str, triples: Sequence[ox.Triple], *, kind: str, source: str, agent: str | None = None
    ) -> int:
        """Add triples to a graph, writing only those it does not hold yet; how many were added."""
        old = next((g for g in self.published() if g.graph == graph), None)
        new = self.backend.missing(old.slots, triples) if old else list(dict.fromkeys(triples))
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
            earlier = list(dict.fromkeys(self.backend.slot_triples(merged)))
            total -= len(earlier)
            new = list(dict.fromkeys(earlier + new))
        self.backend.begin([slot], [])
        try:
            count = self.backend.write_slot(slot, new)
        except BaseException:
            self.backend.drop([slot], ())
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
        self.backend.begin([], [log])
        logs = [log]
        try:
            self.backend.meta_write(log, changelog.change_triples(changelog.diff(self._summaries(old.slots), ())))
            after = {g.graph: (g.version, g.slots) for g in self.published() if g.graph != graph}
            current = {g.graph: g for g in self.published()}
            kept = self._keep_answers(current, after, f"<{tomb}> <{SSB}versionOf> <{graph}>", logs)
            self.backend.meta_update(reg.retire(graph, old.version, tomb=tomb, agent=agent) + kept.update)
            self.refresh()
            if not self.backend.meta_ask(reg.is_retired(graph, tomb)):
                self._lost_or_ignored(graph, old.version)
        except BaseException:
            self.backend.drop((), logs)
            self.refresh()
            raise
        self.backend.drop((), kept.replaced)
        self.backend.end(set(old.slots))
        if not kept.update:
            self._answers_after(kept)
        return True

    def compact(self) -> list[str]:
        """Merge each graph stored in several slots into one; the graphs merged."""
        merged = []
        for info in self.published():
            if len(info.slots) > 1:
                triples = self.backend.slot_triples(info.slots)
                slot = reg.new_version_iri()
                self.backend.begin([slot], [reg.history_graph(slot)])
                count = self.backend.write_slot(slot, triples)
                self._publish(
                    {info.graph: ((slot,), count)}, kind=info.kind, source=info.loaded_from, agent=info.agent or None
                )
                merged.append(info.graph)
        return merged

    # ----------------------------------------------------------------- upkeep

    def prune(self, *, orphan_age_seconds: float = 3600, dry_run: bool = False) -> Pruned:
        """Remove what failed or killed writes left (on a server, what is older than the given age, as
        younger slots may belong to a write still running), merge appended slots and reclaim space;
        with dry_run, only say what would go and what would be merged."""
        removed = self.backend.sweep(orphan_age_seconds, dry_run=dry_run)
        if dry_run:
            return Pruned(removed, [g.graph for g in self.published() if len(g.slots) > 1])
        merged = self.compact()
        self.backend.optimize()
        return Pruned(removed, merged)
