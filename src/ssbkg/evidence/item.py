"""One entity as an item page shows it (Wikidata's is the model): its names, what it is, and its
statements grouped by what they say in words, each claim once with its value, certainty, source by
name with date and grade, quote, primary source, what contradicts it and whether it was retracted.

`statements` gathers it for the site's organization page and its data twin (`.json`); explain's
tree reads the same assertions (`explain.described`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ssbkg.evidence import explain
from ssbkg.io.terms import text_of
from ssbkg.namespaces import DCT, ORG, PROV, RDF_TYPE, RDFS, SCHEMA, SKOS, compact, sparql_prologue, values
from ssbkg.stores import Store

# Words for the properties the ontology does not label (those of W3C ORG, RDFS, SKOS, schema.org).
WORDS = {
    ORG + "memberOf": "member of",
    ORG + "headOf": "head of",
    RDF_TYPE: "instance of",
    RDFS + "label": "name",
    RDFS + "comment": "description",
    SKOS + "altLabel": "also known as",
    SKOS + "prefLabel": "name",
    DCT + "source": "facts from",
    SCHEMA + "publisher": "publisher",
    SCHEMA + "headline": "headline",
    SCHEMA + "datePublished": "published",
    SCHEMA + "url": "address",
    SCHEMA + "inLanguage": "language",
    PROV + "wasDerivedFrom": "source",
}


@dataclass
class Source:
    iri: str
    name: str  # the publisher's name, else the report's own label
    date: str = ""
    grade: str = ""  # Admiralty reliability, A-F


@dataclass
class Claim:
    """One assertion about the entity, as a reader checks it."""

    assertion: str
    value: str
    value_label: str
    certainty: str
    confidence: str
    sources: list[Source] = field(default_factory=list)
    primary: list[Source] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)  # what contradicts it, one line an origin
    notes: list[str] = field(default_factory=list)
    retracted: str = ""  # when, if it was


@dataclass
class Statement:
    """The claims that say one thing (one property) of the entity."""

    property: str
    words: str
    claims: list[Claim] = field(default_factory=list)


def words(store: Store, properties: Iterable[str]) -> dict[str, str]:
    """Each property in words: its English label in the ontology, else WORDS, else its name spelt out."""
    wanted = sorted(set(properties))
    if not wanted:
        return {}
    rows = store.select(
        f"SELECT ?p ?label WHERE {{ {values('p', (ox.NamedNode(p) for p in wanted))} ?p <{RDFS}label> ?label "
        'FILTER (LANGMATCHES(LANG(?label), "en")) }'
    ).rows
    labelled = {text_of(p): text_of(label) for p, label in rows if p is not None and label is not None}
    return {p: labelled.get(p) or WORDS.get(p) or _spelt(p) for p in wanted}


def _spelt(iri: str) -> str:
    name = re.split(r"[#/]", iri)[-1]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower() or iri


def statements(store: Store, subject: str, *, as_of: str | None = None) -> list[Statement]:
    """The claims about `subject`, grouped by property (the groups in the order of their surest claim),
    as explain finds them (with `as_of`, only those whose source was out by that day)."""
    assertions = explain.assertions_about(store, subject, as_of=as_of)
    described = explain.described(store, assertions)
    grades = _grades(store, {v for f in described.values() for v, _, _ in f.get("wasDerivedFrom", [])})
    by_property: dict[str, Statement] = {}
    for a in assertions:
        f = described[a]
        predicate, obj = explain.first(f, "predicate")[0], explain.first(f, "object")
        level = explain.first(f, "certainty")
        claim = Claim(
            assertion=a,
            value=obj[0],
            value_label=obj[1] or compact(obj[0]),
            certainty=(level[1] or compact(level[0])).lower(),
            confidence=explain.first(f, "confidence")[0],
            sources=[Source(v, label, when, grades.get(v, "")) for v, label, when in f.get("wasDerivedFrom", [])],
            primary=[Source(v, label, when) for v, label, when in f.get("hadPrimarySource", [])],
            quotes=[v for v, _, _ in f.get("quote", [])],
            against=explain.against(store, f.get("contradictedBy", [])),
            notes=[v for v, _, _ in f.get("comment", [])],
            retracted=explain.first(f, "invalidatedAtTime")[0],
        )
        by_property.setdefault(predicate, Statement(predicate, "")).claims.append(claim)
    named = words(store, by_property)
    for s in by_property.values():
        s.words = named[s.property]
    return list(by_property.values())


def _grades(store: Store, reports: set[str]) -> dict[str, str]:
    """Each report's Admiralty reliability: its own grade, else its publisher's."""
    if not reports:
        return {}
    rows = store.select(
        sparql_prologue("ssb", "schema")
        + f"SELECT ?r ?grade WHERE {{ {values('r', (ox.NamedNode(r) for r in sorted(reports)))} "
        "OPTIONAL { ?r ssb:reliability ?own } OPTIONAL { ?r schema:publisher/ssb:reliability ?theirs } "
        "BIND (STR(COALESCE(?own, ?theirs)) AS ?grade) }"
    ).rows
    return {text_of(r): text_of(g) for r, g in rows if r is not None and g is not None}


def names(store: Store, iris: Iterable[str]) -> dict[str, str]:
    """A name a reader knows each IRI by: its English label (or any), a report's publisher and date, its
    headline; absent when it has none (show it compacted)."""
    wanted = sorted({i for i in iris if i.startswith(("http://", "https://"))})
    if not wanted:
        return {}
    rows = store.select(
        sparql_prologue("rdfs", "schema")
        + f"SELECT ?x ?label ?publisher ?date ?headline WHERE {{ {values('x', (ox.NamedNode(i) for i in wanted))} "
        'OPTIONAL { ?x rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "en") || LANG(?label) = "") } '
        'OPTIONAL { ?x schema:publisher/rdfs:label ?publisher FILTER (LANGMATCHES(LANG(?publisher), "en")) } '
        "OPTIONAL { ?x schema:datePublished ?date } OPTIONAL { ?x schema:headline ?headline } }"
    ).rows
    out: dict[str, str] = {}
    for x, label, publisher, date, headline in rows:
        iri = text_of(x)
        if publisher is not None:
            out.setdefault(iri, text_of(publisher) + (f", {text_of(date)}" if date is not None else ""))
        elif label is not None:
            out.setdefault(iri, text_of(label))
        elif headline is not None:
            out.setdefault(iri, text_of(headline))
    return out


@dataclass
class Fact:
    value: str
    value_name: str
    detail: str = ""
    source: str = ""
    source_name: str = ""


@dataclass
class Facts:
    """What the data says of the entity itself (not a claim a source makes), by property."""

    property: str
    words: str
    values: list[Fact] = field(default_factory=list)


def facts(store: Store, rows: list[dict[str, str]]) -> list[Facts]:
    """organization-profile's fact and source rows, grouped by property, every IRI by its name."""
    named = names(store, [r["value"] for r in rows] + [r.get("source", "") for r in rows])
    grouped: dict[str, Facts] = {}
    for r in rows:
        value, source = r["value"], r.get("source", "")
        fact = Fact(value, named.get(value, ""), r.get("detail", ""), source, named.get(source, ""))
        grouped.setdefault(r["property"], Facts(r["property"], "")).values.append(fact)
    spelt = words(store, grouped)
    for g in grouped.values():
        g.words = spelt[g.property]
    return list(grouped.values())
