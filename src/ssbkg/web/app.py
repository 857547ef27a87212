"""The Starlette application: routes, one store reader, time limits, and every error as a status.

Read-only by construction: every route but the SPARQL endpoint answers GET (and HEAD) only, and that
one refuses updates with 403. Errors keep the CLI's words: bad input is 400 (404 for an entity or a
query that does not exist), a busy or unreachable store 503, a request past its time limit 504; a bug
is 500 with no traceback shown.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ssbkg import interruptible
from ssbkg.errors import InputError, SsbkgError, StoreError
from ssbkg.namespaces import compact
from ssbkg.querying.catalogue import StoredQuery, catalogue
from ssbkg.querying.running import query
from ssbkg.stores import Store, StoreConfig
from ssbkg.web import api, guard, links, pages, worker
from ssbkg.web.cache import Answers, state
from ssbkg.web.pages import NotFound
from ssbkg.web.reader import Reader
from ssbkg.web.templating import environment
from ssbkg.web.worker import Workers

HERE = Path(__file__).parent
T = TypeVar("T")

# Pages and scripts come from this site only: nothing is fetched from the network.
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class Site:
    def __init__(self, config: StoreConfig, *, timeout: float, folders: Sequence[Path] = (), workers: int = 2) -> None:
        self.reader = Reader(config)
        # A store in memory lives in this process: its work runs in a thread (nothing to hold there).
        self.workers = None if config.spec == "memory:" else Workers(config, size=workers)
        self.answers = Answers()
        self.timeout = timeout
        self.queries: dict[str, StoredQuery] = {q.name: q for q, _ in catalogue(folders)}
        self.templates = environment()

    def work(self, task: Callable[..., T], args: tuple[Any, ...], what: str) -> T:
        """`task(store, *args)`, stopped at the site's time limit: its child process killed, the store
        given back at that moment. The reader's turn-taking lets a waiting writer in between requests."""
        limit = self.timeout or None
        try:
            with self.reader.store() as store:
                if self.workers is None:
                    return interruptible.call(lambda: task(store, *args), timeout=limit)
                value: T = self.workers.run(task, args, timeout=limit)
                return value
        except (interruptible.Overtime, worker.Overtime):
            raise Overtime(
                f"{what} took more than {self.timeout:g} s and was stopped",
                hint="ask for less (an earlier asOf, one alliance), or raise ssbkg serve --timeout",
            ) from None

    def answer(self, key: tuple[Any, ...], task: Callable[..., T], args: tuple[Any, ...], what: str) -> T:
        """`work`, or what the same task gave on the store as it is now (see `cache`)."""
        with self.reader.store() as store:
            now = state(store)
        return self.answers.get(now, key, lambda: self.work(task, args, what))

    def query(self, stored: StoredQuery, given: dict[str, str]) -> Any:
        """A stored query's answer with these parameters, kept as a page is."""
        key = ("query", stored.name, tuple(sorted(given.items())))
        return self.answer(key, query, (stored, given), f"the query {stored.name}")

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()

    def page(self, template: str, request: Request, status: int = 200, **context: Any) -> HTMLResponse:
        view = context.pop("view", pages.View())
        html = self.templates.get_template(template).render(request=request, view=view, **context)
        return HTMLResponse(html, status_code=status, headers=_HEADERS)

    def stored(self, name: str) -> StoredQuery:
        found = self.queries.get(name)
        if found is None:
            raise NotFound(f"there is no stored query {name!r}", hint="the queries page lists them")
        return found


class Overtime(StoreError):
    """A request ran past the site's time limit."""


def _view(request: Request) -> pages.View:
    return pages.View.parse(request.query_params.get("asOf"), request.query_params.get("minCertainty"))


def _entity(request: Request, what: str) -> str:
    slug = request.path_params.get("slug") or request.query_params.get("iri") or ""
    if request.path_params.get("slug"):
        slug = _twin_format(request)[0]
    if not slug:
        raise NotFound(f"the address names no {what}", hint=f"/{what}s/SLUG or /{what}s?iri=IRI")
    return pages.iri_of(slug, what)


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


# ------------------------------------------------------------------------------------------ pages


def index(request: Request) -> Response:
    site, view = _site(request), _view(request)
    found = site.answer(("index", view), pages.index, (view,), "the index")
    return site.page("index.html", request, view=view, **found)


def _entity_page(what: str, gather: Callable[[Store, str, pages.View], dict[str, Any]]) -> Callable[..., Response]:
    """The page of one alliance, organization or source: its IRI from the address, `gather`'s values."""

    def show(request: Request) -> Response:
        site, view, iri = _site(request), _view(request), _entity(request, what)
        fmt = _twin_format(request)[1]
        if fmt:
            return _twin(request, iri, fmt)
        found = site.answer((what, iri, view), gather, (iri, view), f"the page of {compact(iri)}")
        return site.page(f"{what}.html", request, view=view, **found)

    return show


alliance = _entity_page("alliance", pages.alliance)
organization = _entity_page("organization", pages.organization)
source = _entity_page("source", pages.source)


def _twin_format(request: Request) -> tuple[str, str]:
    """The slug an address names and the data it asks for: /id/catl.json is catl as JSON; an Accept of
    JSON or Turtle (and ?format=) asks the same of a page's own address; "" for the page."""
    slug = request.path_params.get("slug", "")
    stem, dot, ext = slug.rpartition(".")
    if dot and ext in _TWINS:
        return stem, ext
    asked = request.query_params.get("format", "")
    if asked in _TWINS:
        return slug, asked
    accept = request.headers.get("accept", "")
    return slug, api.negotiate(accept, {"application/json": "json", "text/turtle": "ttl", "text/html": ""}, "")


_TWINS = ("json", "ttl")


def _twin(request: Request, iri: str, fmt: str) -> Response:
    site, view = _site(request), _view(request)
    if fmt == "ttl":
        from ssbkg.io.render import render_rdf

        triples = site.answer(("twin.ttl", iri), pages.twin_triples, (iri,), f"the data of {compact(iri)}")
        return Response(render_rdf(triples, "turtle"), media_type="text/turtle; charset=utf-8", headers=_HEADERS)
    found = site.answer(("twin.json", iri, view), pages.twin, (iri, view), f"the data of {compact(iri)}")
    return JSONResponse(found, headers=_HEADERS)


def entity(request: Request) -> Response:
    """/id/SLUG: to the page of the entity's kind (alliance, source, or organization for the rest);
    /id/SLUG.json and /id/SLUG.ttl (or an Accept of either): its data."""
    site, view, iri = _site(request), _view(request), _entity(request, "entity")
    fmt = _twin_format(request)[1]
    if fmt:
        return _twin(request, iri, fmt)
    types = site.work(pages.types_of, (iri,), f"the kind of {compact(iri)}")
    if not types:
        raise NotFound(f"nothing is known about {compact(iri)}", hint="find it by name with the find query")
    kind = next((links.KINDS[t.rsplit("#", 1)[-1]] for t in types if t.rsplit("#", 1)[-1] in links.KINDS), None)
    return RedirectResponse(links.entity(kind or "organizations", iri, view.params()), status_code=303)


def queries(request: Request) -> Response:
    site = _site(request)
    return site.page("queries.html", request, queries=list(site.queries.values()))


def query_page(request: Request) -> Response:
    site = _site(request)
    stored = site.stored(request.path_params["name"])
    names = {p.name for p in stored.parameters}
    given = {k: v for k, v in request.query_params.items() if k in names and v.strip()}
    result = None
    if pages.ready(stored, given, "run" in request.query_params):
        key = ("query-page", stored.name, tuple(sorted(given.items())))
        result = site.answer(key, pages.query_table, (stored, given), f"the query {stored.name}")
    table = result
    listed = site.answer(("options", stored.name), pages.options, (stored,), f"the choices of {stored.name}")
    fields = pages.form(stored, given, listed)
    return site.page("query.html", request, stored=stored, fields=fields, given=given, table=table)


# ------------------------------------------------------------------------------------------ the API


def api_query(request: Request) -> Response:
    site = _site(request)
    name, ext = api.split_name(request.path_params["name"], site.queries)
    result = site.query(site.stored(name), dict(request.query_params))
    fmt = ext or api.negotiate(request.headers.get("accept", ""), api.ACCEPT, "json")
    body, media = api.answer(result, fmt)
    return Response(body, media_type=media, headers=_HEADERS)


def openapi(request: Request) -> Response:
    return JSONResponse(api.openapi(list(_site(request).queries.values())), headers=_HEADERS)


async def sparql(request: Request) -> Response:
    site = _site(request)
    text, update = await _protocol(request)
    if update:
        return JSONResponse(
            {"error": "this endpoint is read-only: updates are refused", "hint": "write with the ssbkg CLI"},
            status_code=403,
            headers=_HEADERS,
        )
    accept = request.headers.get("accept", "")
    asked = request.query_params.get("format", "")  # as Virtuoso's endpoint takes it: a link can ask
    if asked in api.FORMATS:
        accept = api.FORMATS[asked][1].split(";")[0]
    browser = api.negotiate(accept, {"text/html": "html", **api.ACCEPT}, "json") == "html"
    if text is None and request.method == "GET" and browser:
        return site.page("sparql.html", request, query=_EXAMPLE, table=None)  # a browser opened the endpoint
    from starlette.concurrency import run_in_threadpool

    if browser:  # the page again, the answer under the query as a table (or what is wrong with it)
        try:
            checked = api.sparql_text(text, update=False)
            shown = await run_in_threadpool(site.work, pages.sparql_table, (checked,), "the query")
        except InputError as e:
            return site.page("sparql.html", request, 400, query=text or "", table=None, error=e.message)
        return site.page("sparql.html", request, query=text or "", table=shown)
    checked = api.sparql_text(text, update=False)
    result = await run_in_threadpool(site.work, api.run_sparql, (checked,), "the query")
    fmt = api.negotiate(accept, api.ACCEPT, "json") if not isinstance(result, list) else api.rdf_format(accept)
    body, media = api.answer(result, fmt)
    return Response(body, media_type=media, headers=_HEADERS)


# ------------------------------------------------------------------------------------------ the app


ROUTES = [
    Route("/", index),
    Route("/alliances/{slug}", alliance),
    Route("/alliances", alliance),
    Route("/organizations/{slug}", organization),
    Route("/organizations", organization),
    Route("/sources/{slug}", source),
    Route("/sources", source),
    Route("/id/{slug}", entity),
    Route("/id", entity),
    Route("/queries", queries),
    Route("/queries/{name:path}", query_page),
    Route("/api/openapi.json", openapi),
    Route("/api/queries/{name:path}", api_query),
    Route("/sparql", sparql, methods=["GET", "POST"]),
    Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
]


def create_app(
    config: StoreConfig,
    *,
    timeout: float = 30.0,
    folders: Sequence[Path] = (),
    hosts: Collection[str] | None = guard.LOOPBACK_NAMES,
) -> Starlette:
    """The site on one store: every route reads the Site (store reader, kept answers, templates) from
    the application's state. `hosts`: the host names it answers (None: any; see guard)."""
    site = Site(config, timeout=timeout, folders=folders)
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware

    handler = _error_handler(site)
    # SsbkgError and HTTPException are answered as they are; any other exception is a bug (500, logged).
    app = Starlette(
        routes=ROUTES,
        exception_handlers={SsbkgError: handler, HTTPException: handler, Exception: handler},
        middleware=[Middleware(guard.Guard, hosts=hosts)],
    )
    app.state.site = site
    return app


_EXAMPLE = """PREFIX ssb: <https://w3id.org/ssbkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?member ?label (COUNT(?claim) AS ?claims) WHERE {
  ?claim a ssb:Assertion ; rdf:predicate org:memberOf ; rdf:subject ?member .
  OPTIONAL { ?member rdfs:label ?label FILTER (LANG(?label) = "en") }
} GROUP BY ?member ?label ORDER BY DESC(?claims) ?label"""


async def _protocol(request: Request) -> tuple[str | None, bool]:
    """The query (or update) of a SPARQL 1.1 protocol request, and whether it is an update."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method == "GET":
        return request.query_params.get("query"), "update" in request.query_params
    if kind == "application/sparql-update":
        return None, True
    if kind == "application/sparql-query":
        return (await _body(request)).decode("utf-8", "replace"), False
    if kind != "application/x-www-form-urlencoded":
        raise InputError(
            f"a SPARQL protocol POST is form-encoded or application/sparql-query, not {kind or 'untyped'}",
            hint="send query=... as application/x-www-form-urlencoded",
        )
    form = urllib.parse.parse_qs((await _body(request)).decode("utf-8", "replace"))
    if "update" in form:
        return None, True
    return (form["query"][0] if form.get("query") else None), False


async def _body(request: Request) -> bytes:
    """The body, read as it comes and refused as soon as it passes the limit (a body without a length)."""
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > guard.MAX_BODY:
            raise guard.TooLarge(
                f"the request body is longer than {guard.MAX_BODY // 1024} KiB", hint="send a shorter query"
            )
    return bytes(data)


def _status(e: Exception) -> int:
    if isinstance(e, NotFound):
        return 404
    if isinstance(e, guard.TooLarge):
        return 413
    if isinstance(e, Overtime):
        return 504
    if isinstance(e, InputError):
        return 400
    if isinstance(e, StoreError):
        return 503
    return 500


def _in_http_terms(hint: str) -> str:
    """A hint in the CLI's words (`add -p alliance=VALUE`) as an address says it (`?alliance=VALUE`)."""
    hint = re.sub(r"add -p (\w+)=VALUE", r"add the parameter \1 to the address: ?\1=VALUE", hint)
    return re.sub(r"-p (\w+)=", r"?\1=", hint)


def _error_handler(site: Site) -> Callable[[Request, Exception], Response]:
    def handle(request: Request, e: Exception) -> Response:
        from starlette.exceptions import HTTPException

        if isinstance(e, HTTPException):
            status, message, hint = e.status_code, str(e.detail), ""
        elif isinstance(e, SsbkgError) and e.exit_code != 4:
            status, message, hint = _status(e), e.message, _in_http_terms(e.hint or "")
        else:
            status, message, hint = 500, "internal error: this is a bug in ssbkg", "the server's log has the details"
        headers = {**_HEADERS, **({"Retry-After": "2"} if status == 503 else {})}
        if request.url.path.startswith(("/api/", "/sparql")):
            body = json.dumps({"error": message, "hint": hint}, ensure_ascii=False)
            return Response(body, status_code=status, media_type="application/json", headers=headers)
        page = site.page("error.html", request, status=status, status_code=status, message=message, hint=hint)
        page.headers.update(headers)
        return page

    return handle
