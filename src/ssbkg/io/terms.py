"""Every conversion of an RDF term, in one place (as oxrdflib keeps its `_converter.py`): pyoxigraph
terms to and from SPARQL JSON results, to rdflib for the gate, to plain text for a CSV cell or a
page, and literals in the one canonical form every store is compared in.

pyoxigraph terms are the currency of the package; the other forms exist only at its edges.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ssbkg.errors import StoreError
from ssbkg.namespaces import XSD

if TYPE_CHECKING:
    import rdflib

Term = NamedNode | BlankNode | Literal | Triple

# A term in the SPARQL 1.1 JSON results format (a triple term's value is itself such terms).
JsonTerm = dict[str, "str | JsonTerm"]

_XSD_STRING = NamedNode(XSD + "string")
_INTEGERS = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}


# ---------------------------------------------------------------------------------------- text


def whole_number(text: str) -> int | None:
    """A count as a server sent it ("42"), or None for anything else ("4.2", "²", " 42", "-1")."""
    return int(text) if text.isascii() and text.isdigit() else None


def text_of(term: object) -> str:
    """A term's IRI, lexical form or blank node id; "" where a variable is unbound."""
    return "" if term is None else str(getattr(term, "value", term))


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


# ---------------------------------------------------------------------------------------- literals


def canonical_literal(value: str, datatype: str | None, language: str | None) -> Literal:
    """One form for every server: canonical numbers and booleans, lowercase language tags."""
    if language:
        return Literal(value, language=language.lower())
    if not datatype or datatype == XSD + "string":
        return Literal(value)
    try:
        if datatype in _INTEGERS:
            value = str(int(value))
        elif datatype == XSD + "decimal":
            number = Decimal(value).normalize()
            value = format(number, "f")
            if number == number.to_integral_value():
                value = format(number.to_integral_value(), "f")
        elif datatype == XSD + "boolean":
            value = {"1": "true", "0": "false"}.get(value, value.lower())
        elif datatype == XSD + "dateTime":
            # As Oxigraph keeps it: no trailing zeros in the fraction (Virtuoso gives milliseconds), "Z".
            value = re.sub(r"(\.\d*?)0+(?=Z|[+-]\d\d:\d\d|$)", r"\1", value.replace("+00:00", "Z"))
            value = re.sub(r"\.(?=Z|[+-]\d\d:\d\d|$)", "", value)
    except (ValueError, InvalidOperation):
        pass  # an ill-typed literal is kept as the server gave it
    return Literal(value, datatype=NamedNode(datatype))


def canonical_object(term: Any) -> Any:
    if isinstance(term, Literal):
        return canonical_literal(term.value, term.datatype.value, term.language)
    return term


# ---------------------------------------------------------------------------------------- SPARQL JSON


def from_json(binding: Mapping[str, Any]) -> Term:
    """A term of a SPARQL JSON answer, literals in canonical form."""
    kind = binding["type"]
    if kind == "triple":  # an RDF 1.2 triple term another tool put on the server
        parts = binding["value"]
        return triple_of([from_json(parts["subject"]), from_json(parts["predicate"]), from_json(parts["object"])])
    if kind == "uri":
        return NamedNode(binding["value"])
    if kind == "bnode":
        return BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", binding["value"]))
    return canonical_literal(binding["value"], binding.get("datatype"), binding.get("xml:lang"))


def to_json(term: Term) -> JsonTerm:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Triple):  # SPARQL 1.2's JSON form of a triple term
        parts = {"subject": to_json(term.subject), "predicate": to_json(term.predicate)}
        return {"type": "triple", "value": {**parts, "object": to_json(term.object)}}
    out: JsonTerm = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


# ---------------------------------------------------------------------------------------- rdflib


def to_rdflib(term: Any) -> rdflib.term.Node:
    import rdflib  # only the gate converts, and it has imported rdflib already

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype == _XSD_STRING:
            # RDF 1.1 makes "D" and "D"^^xsd:string one term; rdflib keeps them apart, and its parser
            # gives the shapes' sh:in and sh:hasValue the plain form, so the data must have it too.
            return rdflib.Literal(term.value)
        # One lexical form per value (an exported store writes 1.0 as "1"): rdflib would hold "1" and
        # "1.0" as two values, and a restated triple would break sh:maxCount 1.
        canonical = canonical_literal(term.value, term.datatype.value, None)
        return rdflib.Literal(canonical.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")
