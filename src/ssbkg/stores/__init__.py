"""One small interface over every kind of store, and `open_store` to pick one from a STORE string.

A store holds named graphs in versions: loading a file writes a new version under its own name,
then one small update publishes it in the registry graph and retires the old one. Queries read the
published versions only, so a reader sees a graph whole, old or new.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple, Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from ssbkg.errors import InputError

Term = NamedNode | BlankNode | Literal | Triple


class QueryResult(NamedTuple):
    """The rows of a SELECT, as pyoxigraph terms (None where a variable is unbound)."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]]


class GraphInfo(NamedTuple):
    graph: str
    version: str
    kind: str  # bundled, user or derived
    loaded_at: str
    loaded_from: str
    triples: int
    agent: str = ""  # who wrote it


class Store(Protocol):
    location: str

    def published(self) -> list[GraphInfo]:
        """The published graphs, each with its current version."""

    def select(self, sparql: str) -> QueryResult:
        """Run a SELECT over the published graphs."""

    def construct(self, sparql: str, *, without: Collection[str] = ()) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE over the published graphs, leaving out the graphs named in `without`."""

    def ask(self, sparql: str) -> bool:
        """Run an ASK over the published graphs."""

    def replace_graphs(
        self, graphs: Mapping[str, Sequence[Triple]], *, kind: str, source: str, agent: str | None = None
    ) -> dict[str, int]:
        """Write each graph as a new version and publish them all in one step; the triples each now holds
        (fewer than given where the input repeats a triple or the server merges values)."""

    def stream_graph(
        self, graph: str, chunks: Iterable[Sequence[Quad]], *, kind: str, source: str, agent: str | None = None
    ) -> int:
        """Write one graph from chunks of parsed quads (their graph is ignored) as a new version and publish
        it; the triples it holds."""

    def history(self) -> list[tuple[str, str, str, str, str]]:
        """Every version the registry knows, published or retired: (graph, version, kind, time, agent)."""

    def version_triples(self, version: str) -> list[Triple]:
        """The triples of one version, published or retired."""

    def retire(self, graph: str) -> bool:
        """Unpublish a graph, keeping its last version; False if it was not published."""

    def quads(self, graphs: Sequence[str] | None = None) -> list[Quad]:
        """The published content, each triple in its logical graph."""

    def prune(self, *, orphan_age_seconds: float = 3600) -> list[str]:
        """Delete retired versions, and unpublished ones older than the given age (a load that died);
        younger unpublished versions may belong to a load still running. Returns what was deleted."""

    def close(self) -> None:
        """Release what the store holds."""


class StoreConfig(NamedTuple):
    """What --store and the options beside it say about where the graph lives."""

    spec: str | None = None  # a path, oxigraph:PATH, memory: or an http(s) URL; None is the default store
    wait: float = 5.0
    update_endpoint: str | None = None
    graph_store_endpoint: str | None = None
    http_timeout: float = 30.0


def default_location() -> Path:
    import platformdirs  # only when no --store is given

    return Path(platformdirs.user_data_dir("ssbkg")) / "store"


@contextmanager
def open_store(config: StoreConfig | str | None, *, write: bool = False) -> Iterator[Store]:
    """Open the store a STORE string names: a path, ``oxigraph:PATH``, ``memory:`` or an http(s) URL."""
    if not isinstance(config, StoreConfig):
        config = StoreConfig(spec=config)
    spec = config.spec
    if spec == "memory:":
        from ssbkg.stores import embedded

        yield embedded.memory_store()
        return
    if spec and spec.startswith(("http://", "https://")):
        import os

        from ssbkg.stores import remote

        remote_store = remote.open_remote(
            spec,
            update=config.update_endpoint,
            graph_store=config.graph_store_endpoint,
            user=os.environ.get("SSBKG_USER"),
            password=os.environ.get("SSBKG_PASSWORD"),
            digest=os.environ.get("SSBKG_AUTH", "basic").lower() == "digest",
            timeout=config.http_timeout,
        )
        yield remote_store
        return
    if spec and ":" in spec.split("/", 1)[0] and not spec.startswith("oxigraph:"):
        raise InputError(
            f"unknown kind of store {spec!r}", hint="use a directory, oxigraph:PATH, memory: or an http(s) URL"
        )
    from ssbkg.stores import embedded

    path = Path(spec.removeprefix("oxigraph:")).expanduser() if spec else default_location()
    with embedded.open_disk_store(path, write=write, wait=config.wait) as store:
        yield store
