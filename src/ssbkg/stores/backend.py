"""What a kind of store supplies to the one `Store` (versioned.py): where graphs live and how they are
read and written, and nothing about versions. EmbeddedBackend (two pyoxigraph stores under one
lock) and RemoteBackend (graphs on any SPARQL 1.1 server) are adapters of these primitives.

Content lives in *slots*, graphs that queries read; the registry of versions and their history live
apart ("meta"), where no query of a user looks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Protocol

import pyoxigraph as ox

from ssbkg.stores.base import QueryResult, Summary


class Backend(Protocol):
    location: str  # what messages call the store: a path, memory: or a URL without credentials
    # Whether the content holds the published slots only, so that a query may read its union (the
    # embedded store); a server also holds retired slots and other tools' graphs, so it is given the list.
    reads_union: bool

    # ------------------------------------------------------------------ a user's queries

    def select(self, sparql: str, dataset: Sequence[str] | None) -> QueryResult:
        """A SELECT over the slots of `dataset` (None: the content's union, where `reads_union`)."""

    def construct(self, sparql: str, dataset: Sequence[str] | None, *, written_order: bool = False) -> list[ox.Triple]:
        """A CONSTRUCT or DESCRIBE over the slots of `dataset`; `written_order` asks an engine that
        plans joins itself to join them in the order written (the rules are written for it)."""

    def ask(self, sparql: str, dataset: Sequence[str] | None) -> bool:
        """An ASK over the slots of `dataset`."""

    # ------------------------------------------------------------------ the content, as the store reads it

    def content_select(self, sparql: str, slots: Sequence[str] | None) -> QueryResult:
        """A SELECT over the union of `slots`, or (None) with GRAPH patterns only; never cut short."""

    def summaries(self, slots: Sequence[str]) -> Iterator[tuple[str, Summary]]:
        """Each assertion of the slots with its summary, once (a backend may stream them)."""

    def slot_triples(self, slots: Sequence[str]) -> list[ox.Triple]:
        """Every triple of the slots."""

    def missing(self, slots: Sequence[str], triples: Sequence[ox.Triple]) -> list[ox.Triple]:
        """Those of `triples` that none of `slots` holds, each once."""

    def write_slot(self, slot: str, triples: Sequence[ox.Triple]) -> int:
        """Write a new slot whole; the triples it holds (a server may merge equal values)."""

    def stream_slot(self, slot: str, chunks: Iterable[Sequence[ox.Quad]]) -> int:
        """Write a new slot from chunks of parsed quads (their graph is ignored); the triples it holds."""

    # ------------------------------------------------------------------ the registry and the history

    def meta_select(self, sparql: str) -> QueryResult: ...

    def meta_ask(self, sparql: str) -> bool: ...

    def meta_update(self, sparql: str) -> None: ...

    def meta_write(self, graph: str, lines: Iterable[str]) -> None:
        """Add N-Triples lines to a graph beside the registry."""

    # ------------------------------------------------------------------ around a write

    def begin(self, slots: Sequence[str], logs: Sequence[str]) -> None:
        """About to write these; a backend that can be killed mid-write notes them to undo."""

    def end(self, replaced: Collection[str]) -> None:
        """Published: remove the slots no version reads any more (now, or once no reader can need them)."""

    def drop(self, slots: Collection[str], logs: Collection[str]) -> None:
        """Remove content slots and history graphs (best effort after a failure)."""

    # ------------------------------------------------------------------ upkeep

    def sweep(self, age_seconds: float, *, dry_run: bool) -> list[str]:
        """Remove what failed or killed writes left (with dry_run, only list it): on a server, only
        what is older than `age_seconds`, as a younger slot may belong to a write still running."""

    def optimize(self) -> None:
        """Reclaim the space of what was removed, where the backend can."""

    def close(self) -> None:
        """Release what the backend holds."""
