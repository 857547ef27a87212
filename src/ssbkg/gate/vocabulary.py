"""Checks SHACL cannot make alone: terms of our namespace the ontology does not define (a typo like
ssb:memberOff would otherwise load as a new, silent property), literals whose lexical form does not
fit their XSD datatype (Oxigraph stores "high"^^xsd:decimal as it is), and files that use none of the
vocabularies the tool reads."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache

import pyoxigraph as ox

from ssbkg import resources
from ssbkg.gate.results import Violation, compact, line_of, locate, node_text
from ssbkg.io.rdf import ParsedRdf
from ssbkg.namespaces import RDF_TYPE, SSB, XSD

KNOWN_VOCABULARIES = (
    SSB,
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/prov#",
    "https://schema.org/",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2002/07/owl#",
)

_TZ = r"(Z|[+-]\d{2}:\d{2})?"
_LEXICAL = {
    "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "integer": re.compile(r"[+-]?\d+"),
    "nonNegativeInteger": re.compile(r"\+?\d+|-0+"),
    "positiveInteger": re.compile(r"\+?0*[1-9]\d*"),
    "boolean": re.compile(r"true|false|1|0"),
    "double": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN"),
    "float": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN"),
    "gYear": re.compile(r"-?\d{4,}" + _TZ),
    "gYearMonth": re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])" + _TZ),
    "date": re.compile(r"-?\d{4,}-\d{2}-\d{2}" + _TZ),
    "dateTime": re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?" + _TZ),
}


@cache
def ontology_terms() -> frozenset[str]:
    """Every IRI of our namespace the ontology describes."""
    terms = set()
    for quad in ox.parse(path=str(resources.ontology_file()), format=ox.RdfFormat.TURTLE):
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(SSB):
            terms.add(quad.subject.value)
    return frozenset(terms)


# Terms of other vocabularies that an unknown ssb: term is most likely a misspelling of.
_ELSEWHERE = {
    "memberOf": "http://www.w3.org/ns/org#memberOf",
    "hasMember": "http://www.w3.org/ns/org#hasMember",
    "subOrganizationOf": "http://www.w3.org/ns/org#subOrganizationOf",
    "wasDerivedFrom": "http://www.w3.org/ns/prov#wasDerivedFrom",
    "source": "http://www.w3.org/ns/prov#wasDerivedFrom",  # an assertion's source is PROV's
    "derivedFrom": "http://www.w3.org/ns/prov#wasDerivedFrom",
    "primarySource": "http://www.w3.org/ns/prov#hadPrimarySource",
    "hadPrimarySource": "http://www.w3.org/ns/prov#hadPrimarySource",
    "label": "http://www.w3.org/2000/01/rdf-schema#label",
    "headline": "https://schema.org/headline",
    "datePublished": "https://schema.org/datePublished",
    "publisher": "https://schema.org/publisher",
}


def suggestion(iri: str, *, is_class: bool | None = None) -> str:
    """The defined term an unknown one most resembles, by local name, or "". With is_class, only
    classes (capitalised, as in the ontology) or only properties are offered."""
    names = {t[len(SSB) :]: t for t in ontology_terms()} | _ELSEWHERE
    if is_class is not None:
        names = {n: t for n, t in names.items() if n[:1].isupper() == is_class}
    close = difflib.get_close_matches(iri[len(SSB) :], names, n=1, cutoff=0.75)
    return names[close[0]] if close else ""


def unknown_terms(triples: Iterable[ox.Triple]) -> list[tuple[ox.Triple, str, str]]:
    """(triple, the unknown term, a suggestion or "") for predicates and classes of our namespace."""
    known = ontology_terms()
    out = []
    for t in triples:
        candidates = [(t.predicate.value, False)]
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            candidates.append((t.object.value, True))
        for iri, is_class in candidates:
            if iri.startswith(SSB) and iri not in known:
                out.append((t, iri, suggestion(iri, is_class=is_class)))
    return out


def ill_typed(triples: Iterable[ox.Triple]) -> list[tuple[ox.Triple, ox.Literal, str]]:
    """(triple, datatype local name) for literals whose lexical form their XSD datatype does not allow."""
    out = []
    for t in triples:
        o = t.object
        if not isinstance(o, ox.Literal) or not o.datatype.value.startswith(XSD):
            continue
        kind = o.datatype.value[len(XSD) :]
        pattern = _LEXICAL.get(kind)
        if pattern is not None and not (pattern.fullmatch(o.value) and _valid_date(kind, o.value)):
            out.append((t, o, kind))
    return out


def _valid_date(kind: str, text: str) -> bool:
    if kind not in ("date", "dateTime") or text.startswith("-"):
        return True
    try:
        date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


def uses_no_known_vocabulary(triples: Sequence[ox.Triple]) -> bool:
    for t in triples:
        if t.predicate.value.startswith(KNOWN_VOCABULARIES) and t.predicate.value != RDF_TYPE:
            return False
        kind = t.object if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode) else None
        if kind is not None and kind.value.startswith(KNOWN_VOCABULARIES):
            return False
    return bool(triples)


def violations(batches: Sequence[ParsedRdf]) -> list[Violation]:
    """What each batch breaks of these checks, as the gate reports it."""
    out = []
    for batch in batches:
        triples = batch.all_triples()
        texts = {batch.name: batch.text}
        for t, term, suggestion in unknown_terms(triples):
            file, line = locate(node_text(t.subject), texts)
            hint = f"; did you mean {compact(suggestion)}?" if suggestion else "; see ontology/ssbkg.ttl for the terms"
            out.append(
                Violation(
                    node_text(t.subject),
                    compact(t.predicate.value),
                    None,
                    f"{compact(term)} is not a term of the ssbkg ontology{hint}",
                    "Violation",
                    "ssbkg:KnownTerms",
                    file or batch.name,
                    line,
                )
            )
        for t, literal, kind in ill_typed(triples):
            line = line_of(f'"{literal.value}"', texts[batch.name])
            out.append(
                Violation(
                    node_text(t.subject),
                    compact(t.predicate.value),
                    f'"{literal.value}"',
                    f'"{literal.value}" is not a valid xsd:{kind}; write it in the form the datatype '
                    "allows (a decimal like 0.8, a date like 2024-01-22)",
                    "Violation",
                    "ssbkg:WellTypedLiterals",
                    batch.name,
                    line,
                )
            )
        if uses_no_known_vocabulary(triples):
            out.append(
                Violation(
                    batch.name,
                    None,
                    None,
                    "no triple uses the ssbkg, ORG, PROV, schema.org, SKOS or DCTerms vocabularies: "
                    "no stored query will see this data",
                    "Warning",
                    "ssbkg:UsesVocabulary",
                    batch.name,
                )
            )
    return out
