"""The SPARQL 1.1 protocol as ssbkg speaks it to a server: its endpoints, requests worded by
SPARQLWrapper and sent by `http.exchange` (a deadline, a cap on the answer, credentials for its origin
only), idempotent reads retried, errors in the user's words, and answers parsed into rows and triples.

What the requests mean for the store (versions, the registry, paging past a cap) is `remote`'s.
"""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ssbkg.errors import InputError, StoreError
from ssbkg.io.terms import Term, canonical_object, from_json
from ssbkg.namespaces import SSB
from ssbkg.stores.base import Contention, QueryResult
from ssbkg.stores.http import Answer, Credentials, exchange, redact

JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
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


# ---------------------------------------------------------------------------------------- requests


class Client:
    """Requests to one server's endpoints."""

    def __init__(self, endpoints: Endpoints, *, credentials: Credentials | None, timeout: float) -> None:
        self.endpoints = endpoints
        self.credentials = credentials
        self.timeout = timeout

    def post(self, url: str, body: bytes, content_type: str) -> None:
        """A Graph Store Protocol write. Never retried: it may have landed."""
        if not url.startswith(("http://", "https://")):
            raise InputError(f"the graph store endpoint {redact(url)} is not an http(s) URL")
        request = urllib.request.Request(  # noqa: S310 (checked above)
            url, data=body, method="POST", headers={"Content-Type": content_type}
        )
        try:
            exchange(request, deadline=self.timeout, credentials=self.credentials)
        except urllib.error.HTTPError as e:
            detail = _detail(e)
            raise StoreError(f"{redact(url)} answered HTTP {e.code}: {detail}", hint=_hint(e.code)) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError, http.client.HTTPException) as e:
            raise StoreError(
                f"cannot reach {redact(url)}: {_why(e)}",
                hint="check that the server is running and the URL is right; the write was not retried",
            ) from None

    def _request(
        self, sparql: str, accept: str, dataset: Sequence[str] | None, *, update: bool
    ) -> urllib.request.Request:
        """The request of the SPARQL 1.1 Protocol for a query or an update, sent as a URL-encoded POST.

        SPARQLWrapper holds the operation (its endpoint, text and dataset parameters, through its public
        setters) and the request is read from its public attributes; `http.exchange` sends it, with
        what SPARQLWrapper's own `query()` cannot give: one deadline, a cap on the answer, credentials
        for this origin only and no redirect that leaves it."""
        from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper

        wrapper = SPARQLWrapper(self.endpoints.query, updateEndpoint=self.endpoints.update)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.addCustomHttpHeader("Accept", accept)
        wrapper.setQuery(sparql)
        if dataset is not None:
            # An empty list would mean "the server's default graph"; name a graph that holds nothing.
            for graph in dataset or [SSB + "no-graph"]:
                wrapper.addDefaultGraph(graph)
        operation = "update" if update else "query"
        fields = [
            *((k, v) for k, values in wrapper.parameters.items() for v in values),
            (operation, wrapper.queryString),
        ]
        request = urllib.request.Request(  # noqa: S310 (endpoints are checked to be http(s) when given)
            wrapper.updateEndpoint if update else wrapper.endpoint,
            data=urllib.parse.urlencode(fields, safe="/").encode("ascii"),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": wrapper.agent},
        )
        for name, value in wrapper.customHttpHeaders.items():
            request.add_header(name, value)
        return request

    def _send(self, request: urllib.request.Request, *, idempotent: bool) -> Answer:
        url = request.full_url
        attempts = (*_READ_RETRIES, None) if idempotent else (None,)
        for backoff in attempts:
            try:
                return exchange(request, deadline=self.timeout, credentials=self.credentials)
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

    def query(self, sparql: str, accept: str, dataset: Sequence[str] | None) -> Answer:
        return self._send(self._request(sparql, accept, dataset, update=False), idempotent=True)

    def update(self, sparql: str) -> None:
        self._send(self._request(sparql, "*/*", None, update=True), idempotent=False)


def chunks_keeping_blank_nodes_together(triples: Sequence[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
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


# ---------------------------------------------------------------------------------------- answers


def results(raw: bytes, where: str) -> QueryResult:
    """SPARQL JSON results as rows of terms; `where` names the server in errors."""
    try:
        data = json.loads(raw)
        variables = list(data["head"]["vars"])
        rows: list[tuple[Term | None, ...]] = [
            tuple(from_json(b[v]) if v in b else None for v in variables) for b in data["results"]["bindings"]
        ]
    except RecursionError:
        raise StoreError(f"{where} answered with JSON nested too deep to be SPARQL results") from None
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise StoreError(f"{where} did not answer with SPARQL JSON results ({type(e).__name__})") from None
    return QueryResult(variables, rows)


def boolean(raw: bytes, where: str) -> bool:
    """An ASK's answer."""
    try:
        value = json.loads(raw)["boolean"]
    except (ValueError, KeyError, TypeError, RecursionError) as e:
        raise StoreError(f"{where} did not answer with a SPARQL boolean ({type(e).__name__})") from None
    return value in (True, "true", 1, "1")


def triples(raw: bytes, where: str, *, canonical: bool = False) -> list[ox.Triple]:
    """N-Triples as triples; `canonical` puts literals in canonical form (Virtuoso rewrites some)."""
    fix = canonical_object if canonical else (lambda o: o)
    try:
        quads = ox.parse(raw, format=ox.RdfFormat.N_TRIPLES)
        return [ox.Triple(q.subject, q.predicate, fix(q.object)) for q in quads]
    except SyntaxError as e:
        raise StoreError(f"{where} did not answer with N-Triples ({e})") from None


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


def _detail(error: urllib.error.HTTPError) -> str:
    """The first line of an error's body, or its reason: what the server said, in one line."""
    body = getattr(error, "body", b"")
    lines = body.decode("utf-8", "replace").strip().splitlines() if isinstance(body, bytes) else []
    return " ".join((lines[0] if lines else str(error.reason)).split())[:300]


# ---------------------------------------------------------------------------------------- URLs


def check_endpoint(url: str, what: str) -> None:
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
