"""The plain types a store's answers come in, and the configuration that picks a store.

Kept apart from the store itself (versioned.py) so that the backends and the transport can import
them without importing each other.
"""

from __future__ import annotations

from typing import NamedTuple

from ssbkg.errors import StoreError
from ssbkg.io.terms import Term, plain


class Contention(StoreError):
    """Another writer published first, or the server rolled the write back; it was undone whole and
    may be tried again."""


class Roles(NamedTuple):
    """What each column of an answer is to a reader (a stored query's `#+ columns:` header says it):
    the columns that `identify` a row, those that carry the `answer`, and the `detail`, in the order it
    gives way when a terminal is too narrow (first listed, first to go)."""

    identify: tuple[str, ...] = ()
    answer: tuple[str, ...] = ()
    detail: tuple[str, ...] = ()


class QueryResult(NamedTuple):
    """The rows of a SELECT, as pyoxigraph terms (None where a variable is unbound); `roles` when the
    query says what its columns are."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]]
    roles: Roles | None = None

    def dicts(self) -> list[dict[str, str]]:
        """Each row as {variable: its value as CSV shows it} ("" where unbound), as datasette's
        `Results.dicts()` gives them: what a page or a script reads by name."""
        return [{v: plain(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]


class GraphInfo(NamedTuple):
    graph: str
    version: str
    kind: str  # bundled, user or derived
    loaded_at: str
    loaded_from: str
    triples: int
    agent: str = ""  # who wrote it
    slots: tuple[str, ...] = ()  # the graphs of the content that hold it


class Summary(NamedTuple):
    """What `changes` says of an assertion: a digest of all its triples, and its claim."""

    digest: str
    subject: str
    predicate: str
    object: str
    source: str
    certainty: str = ""  # (histories written before 0.3.0 lack these two)
    confidence: str = ""


class Logged(NamedTuple):
    """One change a version made, as the history lists it."""

    when: str  # the version's time
    graph: str
    kind: str  # bundled, user or derived
    agent: str
    assertion: str
    change: str  # added, changed or removed
    summary: Summary


class Pruned(NamedTuple):
    removed: list[str]  # graphs that failed or killed writes left
    merged: list[str]  # graphs whose appended slots were merged into one


class StoreConfig(NamedTuple):
    """What --store and the options beside it say about where the graph lives."""

    spec: str | None = None  # a path, oxigraph:PATH, memory: or an http(s) URL; None is the default store
    wait: float = 5.0
    update_endpoint: str | None = None
    graph_store_endpoint: str | None = None
    http_timeout: float = 30.0
    user: str | None = None  # a server's credentials (the CLI reads them from SSBKG_USER and SSBKG_PASSWORD)
    password: str | None = None
    digest: bool = False  # HTTP digest rather than basic authentication
    holder: str = ""  # what holds an embedded store's lock, for those who find it busy (the CLI: the command)
