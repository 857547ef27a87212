"""A remote SPARQL 1.1 store: the versioned layout on any server, spoken to through `protocol`
(queries, SPARQL Update and, where the server offers it, the Graph Store HTTP Protocol).

Graph replacement is atomic on any server although no server's Graph Store PUT is: a new version is
written under its own graph name (in chunks the server accepts), then one small update publishes it
in the registry and retires the old version. Queries name the published versions as their dataset,
which also keeps a server's own system graphs out.
"""

from __future__ import annotations

import contextlib
import urllib.parse
from collections.abc import Collection, Iterable, Iterator, Sequence

import pyoxigraph as ox

from ssbkg.errors import StoreError
from ssbkg.io.terms import Term, canonical_object, text_of, triple_of, whole_number
from ssbkg.namespaces import values
from ssbkg.stores import capped, changelog
from ssbkg.stores import registry as reg
from ssbkg.stores.base import QueryResult, Summary
from ssbkg.stores.http import Answer, Credentials, redact
from ssbkg.stores.protocol import (
    JSON,
    NTRIPLES,
    Client,
    Endpoints,
    check_endpoint,
    chunks_keeping_blank_nodes_together,
    endpoints_for,
)
from ssbkg.stores.protocol import boolean as _boolean
from ssbkg.stores.protocol import results as _results
from ssbkg.stores.protocol import triples as _triples
from ssbkg.stores.versioned import Store

GRACE_SECONDS = 900  # how long a retired slot stays on a server for readers that found it current


class RemoteBackend:
    """The primitives of backend.py over the SPARQL 1.1 protocol."""

    reads_union = False

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        user: str | None = None,
        password: str | None = None,
        digest: bool = False,
        timeout: float = 30.0,
    ) -> None:
        self.endpoints = endpoints
        self.location = redact(endpoints.query)
        credentials = Credentials(user, password or "", digest) if user is not None else None
        self._client = Client(endpoints, credentials=credentials, timeout=timeout)
        self._whole_below = capped.PROBE_FROM  # answers of fewer rows than this are known whole
        self._cap: int | None = None  # the server's cap on an answer's rows, once found

    # ------------------------------------------------------------------ requests

    def _query(self, sparql: str, accept: str, dataset: Sequence[str] | None) -> Answer:
        return self._client.query(sparql, accept, dataset)

    def _update(self, sparql: str) -> None:
        self._client.update(sparql)

    # ------------------------------------------------------------------ reading

    def _select_raw(self, sparql: str, dataset: Sequence[str] | None, *, paged: bool = True) -> QueryResult:
        """A SELECT's rows. The store's own reads (`paged`) go on past the server's cap; a user's
        query cut there is refused, since its pages could not be read in a stable order."""
        answer = self._query(sparql, JSON, dataset)
        cap = capped.header_cap(answer.headers)
        if cap is None:
            return _results(answer.body, self.location)
        if not paged:
            raise StoreError(
                f"{self.location} cut its answer at {cap:,} rows, its cap, and dropped the rest", hint=capped.HINT
            )
        return self._pages(sparql, dataset, _results(answer.body, self.location), cap)

    def _pages(self, sparql: str, dataset: Sequence[str] | None, first: QueryResult, cap: int) -> QueryResult:
        # The store reads graphs written once and never changed, so pages in the server's own order are
        # stable (a sorted read could not page: Virtuoso sorts at most 10,000 rows); the count checks it.
        def page(offset: int) -> list[tuple[Term | None, ...]]:
            answer = self._query(f"{sparql}\nOFFSET {offset} LIMIT {cap}", JSON, dataset)
            return _results(answer.body, self.location).rows

        rows = capped.paged(first.rows, cap, page)
        prologue, body = capped.split_prologue(sparql)
        count = f"{prologue}SELECT (COUNT(*) AS ?n) WHERE {{ {{ {body} }} }}"
        counted = _results(self._query(count, JSON, dataset).body, self.location).rows
        total = _count_in(counted, self.location)
        if total != len(rows):
            raise StoreError(
                f"{self.location} sent {len(rows):,} rows in pages of {cap:,} where it counts {total:,}",
                hint=capped.HINT,
            )
        return QueryResult(first.variables, rows)

    def select(self, sparql: str, dataset: Sequence[str] | None) -> QueryResult:
        return self._select_raw(sparql, dataset, paged=False)

    def construct(self, sparql: str, dataset: Sequence[str] | None, *, written_order: bool = False) -> list[ox.Triple]:
        if written_order and self.endpoints.flavour == "virtuoso":
            # Measured: on a new Virtuoso, without statistics yet, its own order ran the rule
            # top-ranked-candidates out of its memory pool (SQ200, 400 MB) on the bundled data; in the
            # written order it answers as Oxigraph does. Not for every CONSTRUCT: a plain one's cost
            # estimate rose past Virtuoso's 400 s limit in that order.
            sparql = 'DEFINE sql:select-option "order"\n' + sparql
        triples = _triples(self._query(sparql, NTRIPLES, dataset).body, self.location)
        if not self._sends_more_than(len(triples)):
            raise StoreError(
                f"{self.location} answered with {len(triples):,} triples, and it cuts answers at {self._cap:,} "
                "rows: the answer may be cut short",
                hint=capped.HINT,
            )
        return triples

    def _sends_more_than(self, rows: int) -> bool:
        """Whether the server sends answers of more than `rows` rows: asked once, with a SELECT of
        one row more, since a server that cuts a CONSTRUCT short does not say so."""
        if rows < self._whole_below:
            return True
        if self._cap is None:
            answer = self._query(capped.probe(rows + 1), JSON, None)
            got = len(_results(answer.body, self.location).rows)
            self._cap = capped.header_cap(answer.headers) or (got if got <= rows else None)
            if self._cap is None:
                self._whole_below = rows + 1
                return True
        return rows < self._cap

    def ask(self, sparql: str, dataset: Sequence[str] | None) -> bool:
        return self._ask(sparql, dataset)

    def _ask(self, sparql: str, dataset: Sequence[str] | None) -> bool:
        return _boolean(self._query(sparql, JSON, dataset).body, self.location)

    # ------------------------------------------------------------------ primitives

    def meta_select(self, sparql: str) -> QueryResult:
        return self._select_raw(sparql, None)

    def meta_ask(self, sparql: str) -> bool:
        return self._ask(sparql, None)

    def meta_update(self, sparql: str) -> None:
        self._update(sparql)

    def meta_write(self, graph: str, lines: Iterable[str]) -> None:
        node = ox.NamedNode(graph)
        for batch in changelog.batches(lines, self.endpoints.update_chunk):
            self._update(f"INSERT DATA {{ GRAPH {node} {{\n" + "\n".join(batch) + "\n} }")

    def content_select(self, sparql: str, slots: Sequence[str] | None) -> QueryResult:
        return self._select_raw(sparql, slots)

    def summaries(self, slots: Sequence[str]) -> Iterator[tuple[str, Summary]]:
        if slots:
            rows = self.content_select(changelog.assertion_triples(slots), None).rows
            yield from changelog.summaries((str(a), str(p), str(o)) for a, p, o in rows).items()

    def slot_triples(self, slots: Sequence[str]) -> list[ox.Triple]:
        out: list[ox.Triple] = []
        for slot in slots:
            out.extend(self._read_slot(slot))
        return out

    def _read_slot(self, slot: str) -> list[ox.Triple]:
        """Every triple of one slot, in pages if the server cuts answers short (a slot never changes
        once written, so its pages are stable), checked against the slot's count."""
        every = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ox.NamedNode(slot)} {{ ?s ?p ?o }} }}"
        triples = _triples(self._query(every, NTRIPLES, None).body, self.location, canonical=True)
        if len(triples) < self._whole_below:
            return triples
        total = self._count(slot)
        if len(triples) < total:
            cap = len(triples)
            triples = capped.paged(
                triples,
                cap,
                lambda offset: _triples(
                    self._query(f"{every} OFFSET {offset} LIMIT {cap}", NTRIPLES, None).body,
                    self.location,
                    canonical=True,
                ),
            )
        if len(set(triples)) != total:
            raise StoreError(
                f"{self.location} sent {len(set(triples)):,} of the {total:,} triples of {slot}: "
                "the rest could not be read",
                hint=capped.HINT,
            )
        return triples

    def missing(self, slots: Sequence[str], triples: Sequence[ox.Triple]) -> list[ox.Triple]:
        unique = list(dict.fromkeys(triples))
        if not slots or not unique:
            return unique
        graphs = values("g", (ox.NamedNode(s) for s in slots))
        held: set[ox.Triple] = set()
        ground = [t for t in unique if not any(isinstance(n, ox.BlankNode) for n in (t.subject, t.object))]
        for i in range(0, len(ground), 200):
            rows = values(("s", "p", "o"), ((t.subject, t.predicate, t.object) for t in ground[i : i + 200]))
            found = self._select_raw(
                f"SELECT ?s ?p ?o WHERE {{ {rows} {graphs} GRAPH ?g {{ ?s ?p ?o }} }}",
                None,
            ).rows
            held |= {triple_of(row) for row in found}
        return [t for t in unique if ox.Triple(t.subject, t.predicate, canonical_object(t.object)) not in held]

    def write_slot(self, slot: str, triples: Sequence[ox.Triple]) -> int:
        self._write_version(slot, triples)
        kept = self._count(slot)  # what the server kept: Virtuoso merges literals of equal value (field notes)
        # Only literals may merge: fewer triples than those with other objects means the server said yes
        # to writes it never made (a Graph Store endpoint that answers with a web page, say).
        floor = len({t for t in triples if not isinstance(t.object, ox.Literal)})
        if kept < floor or (triples and not kept):
            raise StoreError(
                f"{self.location} answered the write but kept {kept} of {len(triples)} triples",
                hint="check --graph-store-endpoint and --update-endpoint: they must be the server's own; "
                "nothing was published",
            )
        return kept

    def stream_slot(self, slot: str, chunks: Iterable[Sequence[ox.Quad]]) -> int:
        # Each request gets fresh blank nodes, so a file is sent whole, in chunks that keep them together.
        return self.write_slot(slot, list(dict.fromkeys(q.triple for chunk in chunks for q in chunk)))

    def drop(self, slots: Collection[str], logs: Collection[str]) -> None:
        """Best effort: a failed write's slots were never read; a retired one is removed later."""
        names = [*slots, *logs]
        for i in range(0, len(names), 50):
            with contextlib.suppress(StoreError):
                self._update(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(n)}" for n in names[i : i + 50]))

    def begin(self, slots: Sequence[str], logs: Sequence[str]) -> None:
        """Nothing to note: what a killed write left is found by age (sweep)."""

    def end(self, replaced: Collection[str]) -> None:
        # A reader may still be reading a slot it found current a moment ago: retired slots are removed
        # by a later write, once they have been retired longer than any query may run.
        self.drop(self._debris(GRACE_SECONDS), ())

    def _debris(self, age_seconds: float) -> list[str]:
        def column(sparql: str) -> list[str]:
            return [text_of(row[0]) for row in self._select_raw(sparql, None).rows]

        from ssbkg.stores.kept import upkeep

        known = set(column(reg.KNOWN_VERSIONS))
        held = upkeep.pointer(self)
        current = set(column(reg.CURRENT_SLOTS)) | set(held.slots if held else ())
        return reg.debris(column(reg.STORED_GRAPHS), current, known, age_seconds)

    def _count(self, version: str) -> int:
        rows = self._select_raw(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(version)} {{ ?s ?p ?o }} }}", None
        ).rows
        return _count_in(rows, self.location) if rows else 0

    def sweep(self, age_seconds: float, *, dry_run: bool) -> list[str]:
        doomed = self._debris(age_seconds)
        if not dry_run:
            self.drop(doomed, ())
        return doomed

    def optimize(self) -> None:
        """A server reclaims its own space."""

    def close(self) -> None:
        """Nothing is held between requests."""

    # ------------------------------------------------------------------ writing

    def _write_version(self, version: str, triples: Sequence[ox.Triple]) -> None:
        node = ox.NamedNode(version)
        if self.endpoints.graph_store:
            url = self.endpoints.graph_store
            key = "graph-uri" if self.endpoints.flavour == "virtuoso" else "graph"
            target = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode({key: version})}"
            for chunk in chunks_keeping_blank_nodes_together(triples, self.endpoints.upload_chunk):
                body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b""
                # N-Triples is Turtle; Virtuoso's Graph Store endpoint takes it as text/turtle.
                content_type = "text/turtle" if self.endpoints.flavour == "virtuoso" else "application/n-triples"
                self._client.post(target, body, content_type)
            return
        for chunk in chunks_keeping_blank_nodes_together(triples, self.endpoints.update_chunk):
            data = (ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
            self._update(f"INSERT DATA {{ GRAPH {node} {{\n{data}}} }}")


def open_remote(
    url: str,
    *,
    update: str | None = None,
    graph_store: str | None = None,
    user: str | None = None,
    password: str | None = None,
    digest: bool = False,
    timeout: float = 30.0,
) -> Store:
    for given, what in ((url, "store"), (update, "--update-endpoint"), (graph_store, "--graph-store-endpoint")):
        if given is not None:
            check_endpoint(given, what)
    backend = RemoteBackend(
        endpoints_for(url, update, graph_store), user=user, password=password, digest=digest, timeout=timeout
    )
    return Store(backend)


def _count_in(rows: Sequence[tuple[Term | None, ...]], location: str) -> int:
    """The count a COUNT query answered; a server that answers something else is named."""
    text = text_of(rows[0][0]) if rows and rows[0] and rows[0][0] is not None else ""
    count = whole_number(text)
    if count is None:
        raise StoreError(
            f"{location} answered {text!r} where it was asked for a count",
            hint="the server is not a SPARQL 1.1 store ssbkg can use, or something between changed its answer",
        )
    return count
