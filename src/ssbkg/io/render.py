"""Rendering query results: table, csv, tsv, json (SPARQL 1.1 results), jsonl and md; RDF for graphs."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from ssbkg.errors import InputError
from ssbkg.io.terms import plain, to_json
from ssbkg.namespaces import PREFIXES, XSD, prefixed
from ssbkg.stores import QueryResult

RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def short(term: Any) -> str:
    """The value as a person reads it: IRIs compacted with the usual prefixes."""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return _short_iri(term.value)
    return plain(term)


@lru_cache(maxsize=65536)
def _short_iri(iri: str) -> str:
    # The same few hundred IRIs (levels, classes, alliances) fill most columns of a long answer.
    name = prefixed(iri)
    return iri if name is None else name


def render_rows(result: QueryResult, fmt: str) -> str:
    if fmt in ("csv", "tsv"):
        return _delimited(result, "," if fmt == "csv" else "\t")
    if fmt == "json":
        return _sparql_json(result)
    if fmt == "jsonl":
        value = _once(lambda t: json.dumps(_json_value(t), ensure_ascii=False))
        return "".join(line + "\n" for line in _json_objects(result, value))
    if fmt == "xml":
        return _sparql_xml(result)
    if fmt == "md":
        return _markdown(result.variables, [[short(t) for t in row] for row in result.rows])
    raise ValueError(fmt)


_INTEGERS = {XSD + n for n in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger")}


def _json_value(term: Any) -> Any:
    """A flat row's value as JSON has it: numbers and booleans as such (as sqlite-utils gives them)."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
                number = float(term.value)
                return number if math.isfinite(number) else term.value
        except ValueError:
            return term.value  # an ill-typed literal stays as written
        if datatype == XSD + "boolean" and term.value in ("true", "false", "1", "0"):
            return term.value in ("true", "1")
    return plain(term)


def _delimited(result: QueryResult, delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    writer.writerows([plain(t) for t in row] for row in result.rows)
    return buffer.getvalue()


def _sparql_json(result: QueryResult) -> str:
    """The SPARQL 1.1 Query Results JSON Format, a binding to a line (an indented document is encoded
    in pure Python, five times slower on a long answer)."""
    value = _once(lambda t: json.dumps(to_json(t), ensure_ascii=False))
    last = len(result.rows) - 1
    bindings = "".join(line + (",\n" if k < last else "\n") for k, line in enumerate(_json_objects(result, value)))
    head = json.dumps({"vars": result.variables}, ensure_ascii=False)
    return f'{{"head": {head}, "results": {{"bindings": [\n{bindings}]}}}}\n'


def _json_objects(result: QueryResult, value: Callable[[Any], str]) -> Iterator[str]:
    """Each row as the JSON object json.dumps would write ({"name": value, ...}, the unbound left out),
    from each term's text: a long answer repeats a few hundred terms (levels, alliances, statuses)."""
    keys = [json.dumps(v, ensure_ascii=False) + ": " for v in result.variables]
    for row in result.rows:
        yield "{" + ", ".join(k + value(t) for k, t in zip(keys, row, strict=True) if t is not None) + "}"


def _once(encode: Callable[[Any], str]) -> Callable[[Any], str]:
    """`encode`, each distinct term encoded once."""
    done: dict[Any, str] = {}

    def cached(term: Any) -> str:
        text = done.get(term)
        if text is None:
            text = done[term] = encode(term)
        return text

    return cached


def _sparql_xml(result: QueryResult) -> str:
    """The SPARQL Query Results XML Format (W3C, 2013)."""
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    out.append("  <head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables) + "</head>")
    out.append("  <results>")

    def element(term: Any) -> str:
        if isinstance(term, ox.NamedNode):
            return f"<uri>{escape(term.value)}</uri>"
        if isinstance(term, ox.BlankNode):
            return f"<bnode>{escape(term.value)}</bnode>"
        if not isinstance(term, ox.Literal):  # an RDF 1.2 triple term: written as N-Triples text
            return f"<literal>{escape(str(term))}</literal>"
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD + "string":
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"

    value = _once(element)
    names = [f"<binding name={quoteattr(v)}>" for v in result.variables]
    for row in result.rows:
        cells = "".join(n + value(t) + "</binding>" for n, t in zip(names, row, strict=True) if t is not None)
        out.append("    <result>" + cells + "</result>")
    out += ["  </results>", "</sparql>"]
    return "\n".join(out) + "\n"


def _markdown(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def select_columns(result: QueryResult, names: Sequence[str]) -> QueryResult:
    """The result with only these columns, in this order; an unknown name is the user's mistake."""
    from ssbkg.errors import InputError

    unknown = [n for n in names if n not in result.variables]
    if unknown:
        raise InputError(
            f"--columns: no column named {', '.join(unknown)}",
            hint=f"the columns are {', '.join(result.variables)}",
        )
    at = [result.variables.index(n) for n in names]
    return QueryResult(list(names), [tuple(row[i] for i in at) for row in result.rows], result.roles)


def render_rdf(quads_or_triples: Sequence[ox.Quad] | Sequence[ox.Triple], fmt: str) -> bytes:
    rdf_format = RDF_FORMATS[fmt]
    if fmt in ("jsonld", "rdfxml") and any(
        isinstance(q.object, ox.Triple) or isinstance(q.subject, ox.Triple) for q in quads_or_triples
    ):
        # Put in the store by another tool (load refuses them): refused here rather than left out.
        raise InputError(
            f"the store holds RDF 1.2 triple terms, which {fmt} cannot write",
            hint="export as --format trig, nq, turtle or nt, which can",
        )
    if not rdf_format.supports_datasets:
        quads_or_triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads_or_triples]
    prefixes = PREFIXES if fmt in ("turtle", "trig") else None
    return ox.serialize(quads_or_triples, format=rdf_format, prefixes=prefixes) or b""
