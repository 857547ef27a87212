"""The interface every kind of store offers, and the plain types its answers come in.

Kept apart from `open_store` (in the package's __init__) so that the backends, the seeding and the
versioning algorithm can import it without importing each other.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from ssbkg.errors import StoreError

Term = NamedNode | BlankNode | Literal | Triple


def triple_of(row: Sequence[object]) -> Triple:
    """A row of a `SELECT ?s ?p ?o` as a triple; a row that cannot be one is a broken answer."""
    s, p, o = row
    if (
        isinstance(s, NamedNode | BlankNode | Triple)
        and isinstance(p, NamedNode)
        and isinstance(o, NamedNode | BlankNode | Literal | Triple)
    ):
        return Triple(s, p, o)
    raise StoreError(
        f"the store answered a row that is no triple: {row!r}",
        hint="check that the store is a SPARQL 1.1 store holding what ssbkg wrote",
    )


def text_of(term: object) -> str:
    """A term's IRI, lexical form or blank node id; "" where a variable is unbound."""
    return "" if term is None else str(getattr(term, "value", term))


class Contention(StoreError):
    """Another writer published first, or the server rolled the write back; it was undone whole and
    may be tried again."""


def plain(term: object) -> str:
    """The value as CSV shows it: an IRI or a literal's lexical form, a blank node as _:id, a triple
    term in its N-Triples form; "" where a variable is unbound."""
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Triple):  # an RDF 1.2 triple term
        return str(term).join(("<<( ", " )>>"))
    return str(getattr(term, "value", term))


class QueryResult(NamedTuple):
    """The rows of a SELECT, as pyoxigraph terms (None where a variable is unbound)."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]]

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


class Store(Protocol):
    location: str
    created: bool  # made (and seeded) by this open

    def published(self) -> list[GraphInfo]:
        """The published graphs, each with its current version."""

    def select(self, sparql: str) -> QueryResult:
        """Run a SELECT over the published graphs."""

    def construct(self, sparql: str, *, without: Collection[str] = ()) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE over the published graphs, leaving out the graphs named in `without`."""

    def ask(self, sparql: str) -> bool:
        """Run an ASK over the published graphs."""

    def replace_graphs(
        self,
        graphs: Mapping[str, Sequence[Triple]],
        *,
        kind: str | Mapping[str, str],
        source: str | Mapping[str, str],
        agent: str | None = None,
        baseline: Mapping[str, Mapping[str, Summary]] | None = None,
    ) -> dict[str, int]:
        """Write each graph as a new version and publish them all in one step; the triples each now holds
        (fewer than given where the input repeats a triple or the server merges values)."""

    def history_quads(self, graph: str) -> list[Quad]:
        """The registry's versions (in `graph`) and their lists of changes, as an export carries them."""

    def import_history(
        self, registry: Sequence[Triple], logs: Mapping[str, Sequence[Triple]]
    ) -> dict[str, dict[str, Summary]]:
        """Add another store's history; each graph's assertions at its end."""

    def stream_graphs(
        self,
        graphs: Mapping[str, Iterable[Sequence[Quad]]],
        *,
        kind: str | Mapping[str, str],
        source: str | Mapping[str, str],
        agent: str | None = None,
    ) -> dict[str, int]:
        """Write each graph from chunks of parsed quads (their graph is ignored), then publish them all
        in one step, or none; the triples each holds."""

    def append(self, graph: str, triples: Sequence[Triple], *, kind: str, source: str, agent: str | None = None) -> int:
        """Add triples to a graph (a new version that costs space in proportion to them); how many."""

    def change_log(self) -> list[Logged]:
        """Every change any version made."""

    def refresh(self) -> None:
        """Forget what was read of the registry (after losing a race to another writer)."""

    def compact(self) -> list[str]:
        """Merge each graph stored in several slots into one."""

    def retire(self, graph: str, *, agent: str | None = None) -> bool:
        """Unpublish a graph; False if it was not published. Its history lists its assertions as removed."""

    def quads(self, graphs: Sequence[str] | None = None) -> list[Quad]:
        """The published content, each triple in its logical graph."""

    def prune(self, *, orphan_age_seconds: float = 3600, dry_run: bool = False) -> Pruned:
        """Remove what failed or killed writes left (on a server, what is older than the given age, as
        younger slots may belong to a write still running), merge appended slots and reclaim space;
        with dry_run, only say what would go and what would be merged."""

    def close(self) -> None:
        """Release what the store holds."""


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
