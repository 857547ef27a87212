"""The embedded Oxigraph store: on disk (the default) or in memory."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ssbkg.errors import InputError, StoreError
from ssbkg.lock import StoreLock
from ssbkg.resources import GRAPH_BASE
from ssbkg.stores import GraphInfo, QueryResult
from ssbkg.stores import registry as reg


class EmbeddedStore:
    def __init__(self, store: ox.Store, location: str) -> None:
        self._store = store
        self.location = location
        self._published: list[GraphInfo] | None = None

    # ------------------------------------------------------------------ reading

    def published(self) -> list[GraphInfo]:
        if self._published is None:
            rows = self._store.query(reg.PUBLISHED)
            assert isinstance(rows, ox.QuerySolutions)
            self._published = reg.infos([_value(t) for t in r] for r in rows)
        return self._published

    def _run(self, sparql: str, without: Collection[str] = ()) -> object:
        versions: list[ox.NamedNode | ox.BlankNode] = [
            ox.NamedNode(g.version) for g in self.published() if g.graph not in without
        ]
        try:
            # An empty default_graph list would mean "the store's default graph"; name nothing instead.
            default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = list(versions)
            return self._store.query(
                sparql, default_graph=default or [ox.NamedNode(reg.SSB + "no-graph")], named_graphs=versions
            )
        except SyntaxError as e:
            raise InputError(f"the query does not parse: {e}") from None
        except OSError as e:
            raise StoreError(f"the store {self.location} failed: {e}") from None

    def select(self, sparql: str) -> QueryResult:
        result = self._run(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise InputError("expected a SELECT query", hint="CONSTRUCT and ASK queries print RDF or a boolean")
        variables = [v.value for v in result.variables]
        return QueryResult(variables, [tuple(row) for row in result])

    def construct(self, sparql: str, *, without: Collection[str] = ()) -> list[ox.Triple]:
        result = self._run(sparql, without)
        if not isinstance(result, ox.QueryTriples):
            raise InputError("expected a CONSTRUCT or DESCRIBE query")
        return list(result)

    def ask(self, sparql: str) -> bool:
        result = self._run(sparql)
        if not isinstance(result, ox.QueryBoolean):
            raise InputError("expected an ASK query")
        return bool(result)

    def quads(self, graphs: Sequence[str] | None = None) -> list[ox.Quad]:
        out: list[ox.Quad] = []
        for info in self.published():
            if graphs is not None and info.graph not in graphs:
                continue
            target = ox.NamedNode(info.graph)
            version = ox.NamedNode(info.version)
            out.extend(
                ox.Quad(q.subject, q.predicate, q.object, target)
                for q in self._store.quads_for_pattern(None, None, None, version)
            )
        return out

    # ------------------------------------------------------------------ writing

    def replace_graphs(
        self, graphs: Mapping[str, Sequence[ox.Triple]], *, kind: str, source: str, agent: str | None = None
    ) -> dict[str, int]:
        versions: dict[str, tuple[str, int]] = {}
        quads: list[ox.Quad] = []
        for graph, triples in graphs.items():
            version = reg.new_version_iri()
            node = ox.NamedNode(version)
            unique = set(triples)
            quads.extend(ox.Quad(t.subject, t.predicate, t.object, node) for t in unique)
            versions[graph] = (version, len(unique))
        try:
            # Two transactions: the new versions, then the switch. A crash between them leaves an
            # unpublished version that no query reads.
            self._store.extend(quads)
            self._store.update(reg.publish(versions, kind=kind, source=source, agent=agent))
            self._store.flush()
        except OSError as e:
            raise StoreError(f"writing to the store {self.location} failed: {e}") from None
        self._published = None
        return {g: n for g, (_, n) in versions.items()}

    def stream_graph(
        self,
        graph: str,
        chunks: Iterable[Sequence[ox.Quad]],
        *,
        kind: str,
        source: str,
        agent: str | None = None,
    ) -> int:
        # The bulk loader is not transactional, but the new version is published only once it is whole;
        # if anything fails, it is removed and the old version stays published.
        version = ox.NamedNode(reg.new_version_iri())
        try:
            for chunk in chunks:
                self._store.bulk_extend([ox.Quad(t.subject, t.predicate, t.object, version) for t in chunk])
            rows = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {version} {{ ?s ?p ?o }} }}")
            assert isinstance(rows, ox.QuerySolutions)
            count = int(_value(next(rows)["n"]))
            self._store.update(reg.publish({graph: (version.value, count)}, kind=kind, source=source, agent=agent))
            self._store.flush()
        except BaseException:
            with contextlib.suppress(OSError):
                self._store.remove_graph(version)
            raise
        self._published = None
        return count

    def history(self) -> list[tuple[str, str, str, str, str]]:
        rows = self._store.query(reg.HISTORY)
        assert isinstance(rows, ox.QuerySolutions)
        return [tuple(_value(t) for t in row) for row in rows]  # type: ignore[misc]

    def version_triples(self, version: str) -> list[ox.Triple]:
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(version))
        ]

    def retire(self, graph: str) -> bool:
        if graph not in {g.graph for g in self.published()}:
            return False
        self._store.update(reg.retire(graph))
        self._store.flush()
        self._published = None
        return True

    def prune(self, *, orphan_age_seconds: float = 3600) -> list[str]:
        retired = [str(r["version"].value) for r in self._store.query(reg.RETIRED)]  # type: ignore[union-attr]
        prefix = GRAPH_BASE + "version/"
        versions = [str(g.value) for g in self._store.named_graphs() if str(getattr(g, "value", "")).startswith(prefix)]
        doomed = reg.prunable(retired, versions, {g.version for g in self.published()}, orphan_age_seconds)
        if doomed:
            self._store.update(reg.forget(doomed))
            self._store.flush()
        return doomed

    def close(self, *, wrote: bool = True) -> None:
        """Release the database before the lock: pyoxigraph has no close(), dropping the last reference
        closes it, and a read-only open beside a writer still open in this process can corrupt reads.
        After writing, collect cycles too, so that no reference keeps the writer open (a few ms)."""
        del self._store
        if wrote:
            gc.collect()


def _value(term: object) -> str:
    return "" if term is None else str(getattr(term, "value", term))


def memory_store() -> EmbeddedStore:
    from ssbkg.seed import seed

    store = EmbeddedStore(ox.Store(), "memory:")
    seed(store)
    return store


@contextmanager
def open_disk_store(path: Path, *, write: bool, wait: float) -> Iterator[EmbeddedStore]:
    if path.exists() and not path.is_dir():
        raise InputError(f"the store path {path} is a file, not a store directory", hint="give a directory")
    if not _is_seeded(path):
        # First use: create and seed the store, so that a new user's first query answers at once.
        with StoreLock(path, exclusive=True, wait=wait):
            store = EmbeddedStore(_open(path, write=True), str(path))
            if not store.published():
                from ssbkg.seed import seed

                seed(store)
            (path / "ssbkg.seeded").touch()
            store.close()
    with StoreLock(path, exclusive=write, wait=wait):
        store = EmbeddedStore(_open(path, write=write), str(path))
        try:
            yield store
        finally:
            store.close(wrote=write)


def _is_seeded(path: Path) -> bool:
    return (path / "ssbkg.seeded").exists()


def _open(path: Path, *, write: bool) -> ox.Store:
    try:
        return ox.Store(str(path)) if write else ox.Store.read_only(str(path))
    except OSError as e:
        raise StoreError(f"cannot open the store {path}: {e}") from None
