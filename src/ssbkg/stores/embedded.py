"""The embedded Oxigraph store: on disk (the default) or in memory.

On disk, a store directory holds two pyoxigraph stores: the content (the directory itself), which
holds only the slots of current versions, so that queries read it as one union default graph at a
cost that does not depend on how many files were loaded; and ``ssbkg-history``, which holds the
registry and the history. Every open holds the store's lock (shared to read, exclusive to write).

A write that touches the content first leaves a mark (``ssbkg.dirty``); it is removed once the
write has published and cleaned up. Whoever opens a store that carries the mark (a write died)
first removes every slot that no current version reads, so nothing a dead write left is ever read.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from ssbkg import interruptible
from ssbkg.errors import InputError, StoreError
from ssbkg.io.terms import text_of
from ssbkg.namespaces import HISTORY_BASE, RDF_TYPE, SSB
from ssbkg.stores import changelog
from ssbkg.stores import registry as reg
from ssbkg.stores.base import QueryResult, Summary
from ssbkg.stores.versioned import Store

_META_CHUNK = 50_000  # lines of a list of changes written at once
_TYPE, _ASSERTION = ox.NamedNode(RDF_TYPE), ox.NamedNode(SSB + "Assertion")


class EmbeddedBackend:
    """The primitives of backend.py on two pyoxigraph stores: the content and, beside it, the registry."""

    reads_union = True

    def __init__(
        self, store: ox.Store, location: str, meta: ox.Store | Path | None = None, *, write: bool = True
    ) -> None:
        self._store = store
        self.location = location
        meta = ox.Store() if meta is None else meta  # in memory: the registry in a store of its own
        self._meta_store = meta if isinstance(meta, ox.Store) else None
        self._meta_path = meta if isinstance(meta, Path) else None
        self._write = write
        self._reclaim = False  # optimized: open once more at close (see close)

    @property
    def _meta(self) -> ox.Store:
        # Opened only when needed: a query reads the content alone.
        if self._meta_store is None:
            assert self._meta_path is not None
            self._meta_store = open_oxigraph(self._meta_path, write=self._write)
        return self._meta_store

    @property
    def _dirty(self) -> Path | None:
        return Path(self.location) / "ssbkg.dirty" if self._meta_path is not None else None

    # ------------------------------------------------------------------ reading

    def _run(self, sparql: str, dataset: Sequence[str] | None) -> object:
        try:
            if dataset is None:
                return self._store.query(sparql, use_default_graph_as_union=True)
            slots: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(s) for s in dataset]
            default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = list(slots)
            # An empty default_graph list would mean "the store's default graph"; name nothing instead.
            return self._store.query(
                sparql, default_graph=default or [ox.NamedNode(SSB + "no-graph")], named_graphs=slots
            )
        except SyntaxError as e:
            raise InputError(f"the query does not parse: {e}") from None
        except OSError as e:
            raise StoreError(f"the store {self.location} failed: {e}") from None

    # Each read runs where Ctrl-C can stop it (see interruptible): the engine evaluates as it is iterated.

    def select(self, sparql: str, dataset: Sequence[str] | None) -> QueryResult:
        return interruptible.call(lambda: self._select(sparql, dataset))

    def construct(self, sparql: str, dataset: Sequence[str] | None, *, written_order: bool = False) -> list[ox.Triple]:
        return interruptible.call(lambda: self._construct(sparql, dataset))

    def ask(self, sparql: str, dataset: Sequence[str] | None) -> bool:
        return interruptible.call(lambda: self._ask(sparql, dataset))

    def _select(self, sparql: str, dataset: Sequence[str] | None) -> QueryResult:
        result = self._run(sparql, dataset)
        if not isinstance(result, ox.QuerySolutions):
            raise InputError("expected a SELECT query", hint="CONSTRUCT and ASK queries print RDF or a boolean")
        variables = [v.value for v in result.variables]
        return QueryResult(variables, [tuple(row) for row in result])

    def _construct(self, sparql: str, dataset: Sequence[str] | None) -> list[ox.Triple]:
        result = self._run(sparql, dataset)
        if not isinstance(result, ox.QueryTriples):
            raise InputError("expected a CONSTRUCT or DESCRIBE query")
        return list(result)

    def _ask(self, sparql: str, dataset: Sequence[str] | None) -> bool:
        result = self._run(sparql, dataset)
        if not isinstance(result, ox.QueryBoolean):
            raise InputError("expected an ASK query")
        return bool(result)

    # ------------------------------------------------------------------ primitives

    def meta_select(self, sparql: str) -> QueryResult:
        result = self._meta.query(sparql)
        assert isinstance(result, ox.QuerySolutions)
        return QueryResult([v.value for v in result.variables], [tuple(row) for row in result])

    def meta_ask(self, sparql: str) -> bool:
        return bool(self._meta.query(sparql))

    def meta_update(self, sparql: str) -> None:
        with self._writing():
            self._meta.update(sparql)

    def meta_write(self, graph: str, lines: Iterable[str]) -> None:
        # In parts (a list no version names yet is read by nobody; the sweep after a killed write
        # removes it), so that memory stays flat.
        node = ox.NamedNode(graph)
        for batch in changelog.batches(lines, _META_CHUNK):
            data = "\n".join(batch).encode()
            with self._writing():
                self._meta.extend(ox.Quad(t.subject, t.predicate, t.object, node) for t in _parse(data))

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """A write the file system refuses (a full disk, an I/O error) is the store failing: exit 3."""
        try:
            yield
        except OSError as e:
            reason = " ".join(str(e).split())[:200]
            hint = "free some space, then run the command again; nothing was published"
            raise StoreError(f"writing to the store {self.location} failed: {reason}", hint=hint) from None

    def content_select(self, sparql: str, slots: Sequence[str] | None) -> QueryResult:
        result = (
            self._store.query(sparql)
            if slots is None
            else self._store.query(sparql, default_graph=[ox.NamedNode(s) for s in slots])
        )
        assert isinstance(result, ox.QuerySolutions)
        return QueryResult([v.value for v in result.variables], [tuple(row) for row in result])

    def summaries(self, slots: Sequence[str]) -> Iterator[tuple[str, Summary]]:
        # Assertion by assertion through the indexes, as they come: one answer of all their triples
        # held 8 million rows at a million assertions and took gigabytes.
        graphs = [ox.NamedNode(s) for s in slots]
        for i, graph in enumerate(graphs):
            for quad in self._store.quads_for_pattern(None, _TYPE, _ASSERTION, graph):
                a = quad.subject
                if not isinstance(a, ox.NamedNode) or any(self._typed(a, g) for g in graphs[:i]):
                    continue  # listed with an earlier graph
                # as the servers' query reads it: its triples in each graph that types it
                typed = [graph, *(g for g in graphs[i + 1 :] if self._typed(a, g))]
                found = (self._store.quads_for_pattern(a, None, None, g) for g in typed)
                yield a.value, changelog.summary(f"{q.predicate} {q.object}" for qs in found for q in qs)

    def _typed(self, a: ox.NamedNode, graph: ox.NamedNode) -> bool:
        return ox.Quad(a, _TYPE, _ASSERTION, graph) in self._store

    def begin(self, slots: Sequence[str], logs: Sequence[str]) -> None:
        if self._dirty is not None and not self._dirty.exists():
            with self._dirty.open("w") as f:
                f.write("a write is under way; whoever opens the store next removes what it left\n")
                f.flush()
                os.fsync(f.fileno())

    def write_slot(self, slot: str, triples: Sequence[ox.Triple]) -> int:
        node = ox.NamedNode(slot)
        with self._writing():  # one transaction: the slot is whole or absent
            self._store.extend([ox.Quad(t.subject, t.predicate, t.object, node) for t in triples])
        return len(triples)

    def stream_slot(self, slot: str, chunks: Iterable[Sequence[ox.Quad]]) -> int:
        # The bulk loader is not transactional; the slot is read by no one until it is published.
        node = ox.NamedNode(slot)
        try:
            for chunk in chunks:
                with self._writing():
                    self._store.bulk_extend([ox.Quad(t.subject, t.predicate, t.object, node) for t in chunk])
        except BaseException:
            # The bulk loader writes each batch to a file of its own before the store takes it in; one
            # it never took in stays behind (on a full disk, keeping the store from opening at all).
            if self._meta_path is not None:
                for leftover in Path(self.location).glob("bulk-*.sst"):
                    leftover.unlink(missing_ok=True)
            raise
        rows = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}")
        assert isinstance(rows, ox.QuerySolutions)
        return int(next(rows)["n"].value)

    def drop(self, slots: Collection[str], logs: Collection[str]) -> None:
        with contextlib.suppress(OSError):
            for slot in slots:
                self._store.remove_graph(ox.NamedNode(slot))
            for log in logs:
                self._meta.remove_graph(ox.NamedNode(log))

    def end(self, replaced: Collection[str]) -> None:
        self.drop(replaced, ())
        self._store.flush()
        self._meta.flush()
        if self._dirty is not None:
            self._dirty.unlink(missing_ok=True)

    def slot_triples(self, slots: Sequence[str]) -> list[ox.Triple]:
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for slot in slots
            for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(slot))
        ]

    def missing(self, slots: Sequence[str], triples: Sequence[ox.Triple]) -> list[ox.Triple]:
        nodes = [ox.NamedNode(s) for s in slots]
        return [
            t
            for t in dict.fromkeys(triples)
            if not any(ox.Quad(t.subject, t.predicate, t.object, n) in self._store for n in nodes)
        ]

    # ------------------------------------------------------------------ upkeep

    def sweep(self, age_seconds: float = 0, *, dry_run: bool = False) -> list[str]:
        """Remove every slot no current version reads and every history no version owns: what dead
        writes left (with dry_run, only list them). Only under the exclusive lock, where no other write
        runs, so whatever is unpublished is debris whatever its age."""
        current = {text_of(r[0]) for r in self.meta_select(reg.CURRENT_SLOTS).rows}
        doomed = [g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in current]
        known = {reg.history_graph(text_of(r[0])) for r in self.meta_select(reg.KNOWN_VERSIONS).rows}
        from ssbkg.stores.kept import upkeep

        held = upkeep.pointer(self)
        pointed = set(held.slots) if held else set()
        logs = [
            g.value
            for g in self._meta.named_graphs()
            if isinstance(g, ox.NamedNode)
            and (
                (g.value.startswith(HISTORY_BASE) and g.value not in known)
                or (g.value.startswith(upkeep.SLOT_BASE) and g.value not in pointed)
            )
        ]
        if dry_run:
            return doomed + logs
        for slot in doomed:
            self._store.remove_graph(ox.NamedNode(slot))
        for log in logs:
            self._meta.remove_graph(ox.NamedNode(log))
        self._store.flush()
        self._meta.flush()
        if self._meta_path is not None:
            for leftover in Path(self.location).glob("bulk-*.sst"):  # a killed bulk load's files
                leftover.unlink(missing_ok=True)
        return doomed + logs

    def optimize(self) -> None:
        self._store.optimize()
        self._meta.optimize()
        if self._dirty is not None:
            self._dirty.unlink(missing_ok=True)
        self._reclaim = self._meta_path is not None

    def close(self, *, wrote: bool = True) -> None:
        """Release the databases before the lock: pyoxigraph has no close(), dropping the last reference
        closes it, and a read-only open beside a writer still open in this process can corrupt reads.
        After writing, collect cycles too, so that no reference keeps the writer open (a few ms)."""
        del self._store
        self._meta_store = None
        if wrote:
            gc.collect()
        if self._reclaim:
            # RocksDB lets go of its log of writes (as large as what was written) only when it opens:
            # open once more, under the lock still held, so that an optimized store is small now.
            with contextlib.suppress(OSError, RuntimeError):
                for path in (Path(self.location), Path(self.location) / "ssbkg-history"):
                    ox.Store(str(path))
            gc.collect()


def _parse(data: bytes) -> Iterator[ox.Triple]:
    for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        yield ox.Triple(q.subject, q.predicate, q.object)


def memory_store(*, on_create: Callable[[Store], object] | None = None) -> Store:
    """A store in memory, given to `on_create` (which open_store uses to seed it) before it is returned."""
    store = Store(EmbeddedBackend(ox.Store(), "memory:", ox.Store()))
    if on_create is not None:
        on_create(store)
    return store


def open_oxigraph(path: Path, *, write: bool) -> ox.Store:
    """A pyoxigraph store on disk, its errors in the user's words."""
    try:
        return ox.Store(str(path)) if write else ox.Store.read_only(str(path))
    except OSError as e:
        raise StoreError(f"cannot open the store {path}: {e}") from None
    except RuntimeError as e:  # RocksDB's "Corruption: ..." (a file of the store overwritten or cut)
        reason = " ".join(str(e).split())[:200]
        raise StoreError(
            f"the store {path} is damaged and cannot be opened: {reason}",
            hint="restore it from a backup or an export (ssbkg export); the files of the store were changed "
            "by something other than ssbkg",
        ) from None
