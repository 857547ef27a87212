"""A remote SPARQL 1.1 store: queries through SPARQLWrapper, writes through SPARQL Update and, where
the server offers it, the Graph Store HTTP Protocol.

Graph replacement is atomic on any server although no server's Graph Store PUT is: a new version is
written under its own graph name (in chunks the server accepts), then one small update publishes it
in the registry and retires the old version. Queries name the published versions as their dataset,
which also keeps a server's own system graphs out.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import pyoxigraph as ox

from ssbkg.errors import InputError, StoreError
from ssbkg.namespaces import HISTORY_BASE, SSB, VERSION_BASE
from ssbkg.rdfio import canonical_literal
from ssbkg.stores import capped
from ssbkg.stores import registry as reg
from ssbkg.stores.base import GraphInfo, Pruned, QueryResult, Term
from ssbkg.stores.http import Answer, Credentials, exchange, redact
from ssbkg.stores.versioned import Contention, VersionedStore

GRACE_SECONDS = 900  # how long a retired slot stays on a server for readers that found it current
_JSON = "application/sparql-results+json"
T = TypeVar("T")
_READ_RETRIES = (0.2, 0.6, 1.5)  # seconds of backoff between attempts of an idempotent read


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    graph_store: str | None
    flavour: str  # oxigraph, virtuoso or generic

    @property
    def update_chunk(self) -> int:
        # Virtuoso refuses one update of more than about 4,990 triples (field notes).
        return 1000 if self.flavour == "virtuoso" else 20000

    @property
    def upload_chunk(self) -> int:
        return 20000 if self.flavour == "virtuoso" else 200000


def endpoints_for(query_url: str, update: str | None = None, graph_store: str | None = None) -> Endpoints:
    """The update and Graph Store endpoints of known servers, unless given."""
    base, _, last = query_url.rstrip("/").rpartition("/")
    if last == "query":  # Oxigraph server (and Fuseki's /ds/query)
        return Endpoints(query_url, update or f"{base}/update", graph_store or f"{base}/store", "oxigraph")
    if last == "sparql":  # Virtuoso
        return Endpoints(query_url, update or query_url, graph_store or f"{base}/sparql-graph-crud", "virtuoso")
    return Endpoints(query_url, update or query_url, graph_store, "generic")


# ---------------------------------------------------------------------------------------- terms


def _term(binding: Mapping[str, Any]) -> Term:
    kind = binding["type"]
    if kind == "triple":  # an RDF 1.2 triple term another tool put on the server
        parts = binding["value"]
        return ox.Triple(_term(parts["subject"]), _term(parts["predicate"]), _term(parts["object"]))  # type: ignore[arg-type]
    if kind == "uri":
        return ox.NamedNode(binding["value"])
    if kind == "bnode":
        return ox.BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", binding["value"]))
    return canonical_literal(binding["value"], binding.get("datatype"), binding.get("xml:lang"))


def _chunks_keeping_blank_nodes_together(triples: Sequence[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Chunks for separate requests; triples that share a blank node stay in one chunk, since a server
    reads each request's blank nodes as new ones."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    groups: dict[str, list[ox.Triple]] = {}
    free: list[ox.Triple] = []
    for t in triples:
        blanks = [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        for b in blanks[1:]:
            parent[find(b)] = find(blanks[0])
    for t in triples:
        blanks = [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        if blanks:
            groups.setdefault(find(blanks[0]), []).append(t)
        else:
            free.append(t)
    chunk: list[ox.Triple] = []
    for unit in [*groups.values(), *([t] for t in free)]:
        if chunk and len(chunk) + len(unit) > size:
            yield chunk
            chunk = []
        chunk.extend(unit)
    if chunk:
        yield chunk


# ---------------------------------------------------------------------------------------- store


class RemoteStore(VersionedStore):
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
        self._user = user
        self._password = password
        self._digest = digest
        self._timeout = timeout
        self._published: list[GraphInfo] | None = None
        self._whole_below = capped.PROBE_FROM  # answers of fewer rows than this are known whole
        self._cap: int | None = None  # the server's cap on an answer's rows, once found

    # ------------------------------------------------------------------ HTTP

    def _credentials(self) -> Credentials | None:
        if self._user is None:
            return None
        return Credentials(self._user, self._password or "", self._digest)

    def _post(self, url: str, body: bytes, content_type: str) -> None:
        """A Graph Store Protocol write. Never retried: it may have landed."""
        if not url.startswith(("http://", "https://")):
            raise InputError(f"the graph store endpoint {redact(url)} is not an http(s) URL")
        request = urllib.request.Request(  # noqa: S310 (checked above)
            url, data=body, method="POST", headers={"Content-Type": content_type}
        )
        try:
            exchange(request, deadline=self._timeout, credentials=self._credentials())
        except urllib.error.HTTPError as e:
            detail = _detail(e)
            raise StoreError(f"{redact(url)} answered HTTP {e.code}: {detail}", hint=_hint(e.code)) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError, http.client.HTTPException) as e:
            raise StoreError(
                f"cannot reach {redact(url)}: {_why(e)}",
                hint="check that the server is running and the URL is right; the write was not retried",
            ) from None

    def _wrapper(self, sparql: str, accept: str, *, update: bool) -> Any:
        from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper

        wrapper = SPARQLWrapper(self.endpoints.query, updateEndpoint=self.endpoints.update)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)  # no format=... parameters: the Accept header says it
        wrapper.addCustomHttpHeader("Accept", accept)
        wrapper.setQuery(sparql)
        if update:
            wrapper.queryType = "INSERT"  # SPARQLWrapper sends updates to updateEndpoint as update=...
        return wrapper

    def _send(self, wrapper: Any, url: str, *, idempotent: bool) -> Answer:
        # SPARQLWrapper words the request (query or update, dataset, Accept); http.exchange sends it,
        # with a deadline, a cap on the answer and credentials for this origin only.
        attempts = (*_READ_RETRIES, None) if idempotent else (None,)
        for backoff in attempts:
            try:
                return exchange(wrapper._createRequest(), deadline=self._timeout, credentials=self._credentials())
            except urllib.error.HTTPError as e:
                detail = _detail(e)
                if not idempotent and ("SR172" in detail or "40001 Error" in detail):
                    # Virtuoso chose this request as a deadlock's victim and rolled it back whole: the
                    # write is tried again from the start (with_retries); a read is retried below.
                    raise Contention(f"{redact(url)} rolled back a write that deadlocked with another") from None
                if e.code < 500 or backoff is None:
                    raise StoreError(f"{redact(url)} answered HTTP {e.code}: {detail}", hint=_hint(e.code)) from None
            except http.client.HTTPException as e:  # an answer cut short (IncompleteRead) or malformed
                if backoff is None:
                    raise StoreError(
                        f"{redact(url)} sent a broken answer ({type(e).__name__})",
                        hint="the connection was cut mid-answer; try again, or check a proxy between you and it",
                    ) from None
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as e:
                if backoff is None:
                    raise StoreError(
                        f"cannot reach {redact(url)}: {_why(e)}",
                        hint="check that the server is running and the URL is right; "
                        "--http-timeout sets how long to wait",
                    ) from None
            time.sleep(backoff)
        raise AssertionError("unreachable")

    def _query(self, sparql: str, accept: str, dataset: Sequence[str] | None) -> Answer:
        wrapper = self._wrapper(sparql, accept, update=False)
        if dataset is not None:
            # An empty list would mean "the server's default graph"; name a graph that holds nothing.
            for graph in dataset or [SSB + "no-graph"]:
                wrapper.addDefaultGraph(graph)
        return self._send(wrapper, self.endpoints.query, idempotent=True)

    def _update(self, sparql: str) -> None:
        self._send(self._wrapper(sparql, "*/*", update=True), self.endpoints.update, idempotent=False)

    # ------------------------------------------------------------------ reading

    def _select_raw(self, sparql: str, dataset: Sequence[str] | None, *, paged: bool = True) -> QueryResult:
        """A SELECT's rows. The store's own reads (`paged`) go on past the server's cap; a user's
        query cut there is refused, since its pages could not be read in a stable order."""
        answer = self._query(sparql, _JSON, dataset)
        cap = capped.header_cap(answer.headers)
        if cap is None:
            return self._results(answer.body)
        if not paged:
            raise StoreError(
                f"{self.location} cut its answer at {cap:,} rows, its cap, and dropped the rest", hint=capped.HINT
            )
        return self._pages(sparql, dataset, self._results(answer.body), cap)

    def _pages(self, sparql: str, dataset: Sequence[str] | None, first: QueryResult, cap: int) -> QueryResult:
        # The store reads graphs written once and never changed, so pages in the server's own order are
        # stable (a sorted read could not page: Virtuoso sorts at most 10,000 rows); the count checks it.
        def page(offset: int) -> list[tuple[Term | None, ...]]:
            return self._results(self._query(f"{sparql}\nOFFSET {offset} LIMIT {cap}", _JSON, dataset).body).rows

        rows = _paged(first.rows, cap, page)
        prologue, body = capped.split_prologue(sparql)
        counted = self._results(
            self._query(f"{prologue}SELECT (COUNT(*) AS ?n) WHERE {{ {{ {body} }} }}", _JSON, dataset).body
        ).rows
        total = int(_value(counted[0][0])) if counted and counted[0][0] is not None else -1
        if total != len(rows):
            raise StoreError(
                f"{self.location} sent {len(rows):,} rows in pages of {cap:,} where it counts {total:,}",
                hint=capped.HINT,
            )
        return QueryResult(first.variables, rows)

    def _results(self, raw: bytes) -> QueryResult:
        try:
            data = json.loads(raw)
            variables = list(data["head"]["vars"])
            rows: list[tuple[Term | None, ...]] = [
                tuple(_term(b[v]) if v in b else None for v in variables) for b in data["results"]["bindings"]
            ]
        except RecursionError:
            raise StoreError(f"{self.location} answered with JSON nested too deep to be SPARQL results") from None
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise StoreError(f"{self.location} did not answer with SPARQL JSON results ({type(e).__name__})") from None
        return QueryResult(variables, rows)

    def select(self, sparql: str) -> QueryResult:
        return self._select_raw(sparql, self._slots(), paged=False)

    def construct(self, sparql: str, *, without: Collection[str] = ()) -> list[ox.Triple]:
        triples = self._triples(self._query(sparql, "application/n-triples", self._slots(without)).body)
        if not self._sends_more_than(len(triples)):
            raise StoreError(
                f"{self.location} answered with {len(triples):,} triples, and it cuts answers at {self._cap:,} "
                "rows: the answer may be cut short",
                hint=capped.HINT,
            )
        return triples

    def _triples(self, raw: bytes, *, canonical: bool = False) -> list[ox.Triple]:
        # Slots are read with literals in canonical form, as they were written (Virtuoso rewrites some).
        fix = _canonical_object if canonical else (lambda o: o)
        try:
            quads = ox.parse(raw, format=ox.RdfFormat.N_TRIPLES)
            return [ox.Triple(q.subject, q.predicate, fix(q.object)) for q in quads]
        except SyntaxError as e:
            raise StoreError(f"{self.location} did not answer with N-Triples ({e})") from None

    def _sends_more_than(self, rows: int) -> bool:
        """Whether the server sends answers of more than `rows` rows: asked once, with a SELECT of
        one row more, since a server that cuts a CONSTRUCT short does not say so."""
        if rows < self._whole_below:
            return True
        if self._cap is None:
            answer = self._query(capped.probe(rows + 1), _JSON, None)
            got = len(self._results(answer.body).rows)
            self._cap = capped.header_cap(answer.headers) or (got if got <= rows else None)
            if self._cap is None:
                self._whole_below = rows + 1
                return True
        return rows < self._cap

    def ask(self, sparql: str) -> bool:
        return self._ask(sparql, self._slots())

    def _ask(self, sparql: str, dataset: Sequence[str] | None) -> bool:
        raw = self._query(sparql, _JSON, dataset).body
        try:
            value = json.loads(raw)["boolean"]
        except (ValueError, KeyError, TypeError, RecursionError) as e:
            raise StoreError(f"{self.location} did not answer with a SPARQL boolean ({type(e).__name__})") from None
        return value in (True, "true", 1, "1")

    # ------------------------------------------------------------------ primitives

    def _meta_select(self, sparql: str) -> QueryResult:
        return self._select_raw(sparql, None)

    def _meta_ask(self, sparql: str) -> bool:
        return self._ask(sparql, None)

    def _meta_update(self, sparql: str) -> None:
        self._update(sparql)

    def _meta_write(self, graph: str, lines: Iterable[str]) -> None:
        node = ox.NamedNode(graph)
        for batch in reg.batches(lines, self.endpoints.update_chunk):
            self._update(f"INSERT DATA {{ GRAPH {node} {{\n" + "\n".join(batch) + "\n} }")

    def _content_select(self, sparql: str, slots: Sequence[str] | None) -> QueryResult:
        return self._select_raw(sparql, slots)

    def _slot_triples(self, slots: Sequence[str]) -> list[ox.Triple]:
        out: list[ox.Triple] = []
        for slot in slots:
            out.extend(self._read_slot(slot))
        return out

    def _read_slot(self, slot: str) -> list[ox.Triple]:
        """Every triple of one slot, in pages if the server cuts answers short (a slot never changes
        once written, so its pages are stable), checked against the slot's count."""
        every = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ox.NamedNode(slot)} {{ ?s ?p ?o }} }}"
        triples = self._triples(self._query(every, "application/n-triples", None).body, canonical=True)
        if len(triples) < self._whole_below:
            return triples
        total = self._count(slot)
        if len(triples) < total:
            cap = len(triples)
            triples = _paged(
                triples,
                cap,
                lambda offset: self._triples(
                    self._query(f"{every} OFFSET {offset} LIMIT {cap}", "application/n-triples", None).body,
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

    def _missing(self, slots: Sequence[str], triples: Sequence[ox.Triple]) -> list[ox.Triple]:
        unique = list(dict.fromkeys(triples))
        if not slots or not unique:
            return unique
        graphs = " ".join(str(ox.NamedNode(s)) for s in slots)
        held: set[ox.Triple] = set()
        ground = [t for t in unique if not any(isinstance(n, ox.BlankNode) for n in (t.subject, t.object))]
        for i in range(0, len(ground), 200):
            rows = " ".join(f"({t.subject} {t.predicate} {t.object})" for t in ground[i : i + 200])
            found = self._select_raw(
                f"SELECT ?s ?p ?o WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} VALUES ?g {{ {graphs} }} "
                "GRAPH ?g { ?s ?p ?o } }",
                None,
            ).rows
            held |= {ox.Triple(s, p, o) for s, p, o in found}  # type: ignore[arg-type]
        return [t for t in unique if ox.Triple(t.subject, t.predicate, _canonical_object(t.object)) not in held]

    def _write_slot(self, slot: str, triples: Sequence[ox.Triple]) -> int:
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

    def _stream_slot(self, slot: str, chunks: Iterable[Sequence[ox.Quad]]) -> int:
        # Each request gets fresh blank nodes, so a file is sent whole, in chunks that keep them together.
        return self._write_slot(slot, list(dict.fromkeys(q.triple for chunk in chunks for q in chunk)))

    def _drop(self, slots: Collection[str], logs: Collection[str]) -> None:
        """Best effort: a failed write's slots were never read; a retired one is removed later."""
        names = [*slots, *logs]
        for i in range(0, len(names), 50):
            with contextlib.suppress(StoreError):
                self._update(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(n)}" for n in names[i : i + 50]))

    def _end(self, replaced: Collection[str]) -> None:
        # A reader may still be reading a slot it found current a moment ago: retired slots are removed
        # by a later write, once they have been retired longer than any query may run.
        self._drop(self._debris(GRACE_SECONDS), ())

    def _debris(self, age_seconds: float) -> list[str]:
        """Slots no current version reads and history no version owns, older than the given age."""
        current = {_value(r[0]) for r in self._select_raw(reg.CURRENT_SLOTS, None).rows}
        known = {_value(r[0]) for r in self._select_raw(reg.KNOWN_VERSIONS, None).rows}
        graphs = [_value(row[0]) for row in self._select_raw(reg.STORED_GRAPHS, None).rows]
        now = datetime.now(UTC)
        out = []
        for g in graphs:
            stamp = reg.version_time(g)
            if stamp is None or (now - stamp).total_seconds() < age_seconds:
                continue
            unread = g.startswith(VERSION_BASE) and g not in current
            unowned = g.startswith(HISTORY_BASE) and VERSION_BASE + g.rsplit("/", 1)[-1] not in known
            if unread or unowned:
                out.append(g)
        return out

    def _count(self, version: str) -> int:
        rows = self._select_raw(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(version)} {{ ?s ?p ?o }} }}", None
        ).rows
        return int(_value(rows[0][0])) if rows else 0

    def prune(self, *, orphan_age_seconds: float = 3600, dry_run: bool = False) -> Pruned:
        doomed = self._debris(orphan_age_seconds)
        if dry_run:
            return Pruned(doomed, [g.graph for g in self.published() if len(g.slots) > 1])
        self._drop(doomed, ())
        return Pruned(doomed, self.compact())

    def close(self) -> None:
        self._published = None

    # ------------------------------------------------------------------ writing

    def _write_version(self, version: str, triples: Sequence[ox.Triple]) -> None:
        node = ox.NamedNode(version)
        if self.endpoints.graph_store:
            url = self.endpoints.graph_store
            key = "graph-uri" if self.endpoints.flavour == "virtuoso" else "graph"
            target = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode({key: version})}"
            for chunk in _chunks_keeping_blank_nodes_together(triples, self.endpoints.upload_chunk):
                body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b""
                # N-Triples is Turtle; Virtuoso's Graph Store endpoint takes it as text/turtle.
                content_type = "text/turtle" if self.endpoints.flavour == "virtuoso" else "application/n-triples"
                self._post(target, body, content_type)
            return
        for chunk in _chunks_keeping_blank_nodes_together(triples, self.endpoints.update_chunk):
            data = (ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
            self._update(f"INSERT DATA {{ GRAPH {node} {{\n{data}}} }}")


def _paged(first: Sequence[T], cap: int, page: Callable[[int], Sequence[T]]) -> list[T]:
    """`first` and the pages after it, each asked from its offset, until one comes short of `cap`."""
    rows = list(first)
    while True:
        more = page(len(rows))
        rows.extend(more)
        if len(more) < cap:
            return rows


def _detail(error: urllib.error.HTTPError) -> str:
    """The first line of an error's body, or its reason: what the server said, in one line."""
    body = getattr(error, "body", b"")
    lines = body.decode("utf-8", "replace").strip().splitlines() if isinstance(body, bytes) else []
    return " ".join((lines[0] if lines else str(error.reason)).split())[:300]


def _value(term: Any) -> str:
    return "" if term is None else str(term.value)


def _canonical_object(term: Any) -> Any:
    if isinstance(term, ox.Literal):
        return canonical_literal(term.value, term.datatype.value, term.language)
    return term


def _why(error: BaseException) -> str:
    """The reason a connection failed, as the system words it ("connection refused"), never "[Errno 111]"."""
    reason = getattr(error, "reason", error)
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[:1].lower() + reason.strerror[1:]
    return str(reason) or type(reason).__name__


def _hint(code: int) -> str:
    if code in (401, 403):
        return (
            "set SSBKG_USER and SSBKG_PASSWORD (SSBKG_AUTH=digest for digest), and check that this user may "
            "read and write; a read-only endpoint refuses writes"
        )
    if code == 404:
        return "check the endpoint URL (e.g. .../query for Oxigraph server, .../sparql for Virtuoso)"
    return "see the server's log"


def open_remote(
    url: str,
    *,
    update: str | None = None,
    graph_store: str | None = None,
    user: str | None = None,
    password: str | None = None,
    digest: bool = False,
    timeout: float = 30.0,
) -> RemoteStore:
    for given, what in ((url, "store"), (update, "--update-endpoint"), (graph_store, "--graph-store-endpoint")):
        if given is not None:
            _check_endpoint(given, what)
    return RemoteStore(
        endpoints_for(url, update, graph_store), user=user, password=password, digest=digest, timeout=timeout
    )


def _check_endpoint(url: str, what: str) -> None:
    """Only http(s) URLs with a host and a port that is a number: anything else is refused before use."""
    example = "for example http://127.0.0.1:7878/query"
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is no number, or out of range)
    except ValueError as e:
        raise InputError(f"{what} {redact_plain(url)} is not a usable URL ({e})", hint=example) from None
    if parts.scheme not in ("http", "https"):
        raise InputError(f"{what} {redact_plain(url)} is not an http(s) URL", hint=example)
    if not parts.hostname:
        raise InputError(f"{what} {redact_plain(url)} is not a usable endpoint URL", hint=example)


def redact_plain(url: str) -> str:
    """A URL that may not even parse, without what looks like a password."""
    return re.sub(r"//[^/@]*@", "//", url)
