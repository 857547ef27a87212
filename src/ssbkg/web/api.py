"""The API: each stored query at /api/queries/NAME as SPARQL JSON, CSV or flat JSON rows, its OpenAPI
document made from the queries' headers (grlc's contract: parameters by name, bound as RDF terms),
and a read-only SPARQL 1.1 protocol endpoint over the published graphs."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from ssbkg import __version__
from ssbkg.errors import InputError
from ssbkg.io.render import RDF_FORMATS, render_rdf, render_rows
from ssbkg.querying.catalogue import StoredQuery, parse_query
from ssbkg.querying.running import query
from ssbkg.stores import QueryResult, Store
from ssbkg.web.pages import NotFound

# Extension -> (the CLI's --format, media type); the same names as `ssbkg query --format`.
FORMATS = {
    "json": ("json", "application/sparql-results+json"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "jsonl": ("jsonl", "application/x-ndjson"),
}
ACCEPT = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/csv": "csv",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
}
_RDF = {"application/n-triples": "nt", "text/turtle": "turtle", "application/ld+json": "jsonld"}


def split_name(path: str, names: Collection[str]) -> tuple[str, str]:
    """A query's name and the format its extension asks for: `members.v2.csv` is the query `members.v2`
    as CSV, and `members.v2` the query `members.v2` (a stored name is taken whole before it is split)."""
    stem, dot, ext = path.rpartition(".")
    if path in names or not dot:
        return path, ""
    if ext not in FORMATS:
        raise NotFound(
            f"there is no stored query {path!r}, and .{ext} is no format",
            hint="use .json (SPARQL JSON), .csv or .jsonl, or an Accept header",
        )
    return stem, ext


def negotiate(accept: str, table: dict[str, str], default: str) -> str:
    """The first of the client's media types (by q, then order) that `table` knows; else `default`."""
    ranked = []
    for i, part in enumerate(accept.split(",")):
        kind, *params = (p.strip() for p in part.split(";"))
        q = next((p[2:] for p in params if p.startswith("q=")), "1")
        try:
            ranked.append((-float(q), i, kind.lower()))
        except ValueError:
            continue
    return next((table[k] for _, _, k in sorted(ranked) if k in table), default)


def answer(result: QueryResult | list[Any] | bool, fmt: str) -> tuple[str | bytes, str]:
    """A query's result in the format named (a row format; RDF for a CONSTRUCT; a boolean as JSON)."""
    if isinstance(result, QueryResult):
        return render_rows(result, FORMATS[fmt][0]), FORMATS[fmt][1]
    if isinstance(result, bool):
        return ('{"head": {}, "boolean": %s}\n' % ("true" if result else "false")), FORMATS["json"][1]
    rdf = fmt if fmt in RDF_FORMATS else "nt"
    media = {v: k for k, v in _RDF.items()}.get(rdf, "application/n-triples")
    return render_rdf(result, rdf), media


def rdf_format(accept: str) -> str:
    return negotiate(accept, _RDF, "nt")


def sparql_text(text: str | None, *, update: bool) -> StoredQuery:
    """The query a SPARQL protocol request carries, parsed before any store sees it; updates refused
    by the caller (403) before this is asked."""
    if not text or not text.strip():
        raise InputError("the request has no query", hint="send ?query=... (GET) or a query in the body (POST)")
    return parse_query(text, Path("query"))  # messages name the parameter: "query: not a SELECT ..."


def run_sparql(store: Store, parsed: StoredQuery) -> QueryResult | list[Any] | bool:
    """A protocol request's query, run as `ssbkg query` runs one (its FROM clauses honoured)."""
    return query(store, parsed)


# ------------------------------------------------------------------------------------------ OpenAPI


def _schema(stored: StoredQuery, name: str, kind: str) -> dict[str, Any]:
    choices = stored.enumerate.get(name)
    if choices:
        return {"type": "string", "enum": [c.rsplit("#", 1)[-1].lower() for c in choices]}
    return {
        "date": {"type": "string", "format": "date"},
        "integer": {"type": "integer"},
        "decimal": {"type": "number"},
        "number": {"type": "number"},
        "iri": {"type": "string", "description": "a slug (catl), a prefixed name, a full IRI or a name"},
    }.get(kind, {"type": "string"})


def openapi(queries: list[StoredQuery]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for q in queries:
        parameters = []
        for p in q.parameters:
            schema = _schema(q, p.name, p.kind)
            default = q.defaults.get(p.name)
            if default is not None:
                schema["default"] = default.rsplit("#", 1)[-1].lower() if "enum" in schema else default
            parameters.append({"name": p.name, "in": "query", "required": p.required, "schema": schema})
        content: dict[str, Any] = {media: {} for _, media in FORMATS.values()}
        paths[f"/api/queries/{q.name}"] = {
            "get": {
                "operationId": q.name.replace("/", "_"),
                "summary": q.summary,
                "description": q.description,
                "tags": list(q.tags),
                "parameters": parameters,
                "responses": {
                    "200": {"description": "the rows, by Accept: SPARQL JSON, CSV or JSON lines", "content": content},
                    "400": {"description": "a parameter is missing or not of its type (the CLI's message)"},
                    "503": {"description": "the store is busy or out of reach; try again"},
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "ssbkg stored queries", "version": __version__},
        "paths": paths,
    }
