"""Duplicate claims: an assertion with the same subject, predicate, object and source as one already
in the store (or earlier in the same input) is reported and left out, never written twice.

An inferred assertion is not a claim of its source's: two with the same conclusion from different
premises (alternatives for one slot) are both kept. An assertion restated under the IRI it has in
the store is no duplicate: it is the same node, counted once, and what it adds (a retraction, in a
flattened export) is kept."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ssbkg.io.rdf import ParsedRdf
from ssbkg.io.terms import canonical_literal
from ssbkg.namespaces import PROV, RDF, SSB, sparql_prologue, values
from ssbkg.stores import Store

_KEYS = {RDF + "subject": 0, RDF + "predicate": 1, RDF + "object": 2, PROV + "wasDerivedFrom": 3}
_ASSERTION = SSB + "Assertion"
_INFERRED_FROM = SSB + "inferredFrom"
_CHUNK = 200


@dataclass(frozen=True)
class Duplicate:
    assertion: str  # the one left out
    existing: str  # the one already recorded


def _claims(triples: Sequence[ox.Triple]) -> dict[str, tuple[ox.NamedNode | ox.Literal, ...]]:
    """Each assertion's (subject, predicate, object, source), where each is one IRI or literal."""
    typed = {
        t.subject.value
        for t in triples
        if isinstance(t.subject, ox.NamedNode)
        and t.predicate.value == RDF + "type"
        and getattr(t.object, "value", None) == _ASSERTION
    }
    inferred = {
        t.subject.value for t in triples if t.predicate.value == _INFERRED_FROM and isinstance(t.subject, ox.NamedNode)
    }
    parts: dict[str, list[list[ox.NamedNode | ox.Literal]]] = {a: [[], [], [], []] for a in typed - inferred}
    for t in triples:
        index = _KEYS.get(t.predicate.value)
        if index is None or not isinstance(t.subject, ox.NamedNode) or t.subject.value not in parts:
            continue
        if isinstance(t.object, (ox.NamedNode, ox.Literal)):
            parts[t.subject.value][index].append(t.object)
    return {a: tuple(v[0] for v in p) for a, p in parts.items() if all(len(v) == 1 for v in p)}


def find(store: Store, batches: Sequence[ParsedRdf], without: Collection[str]) -> list[Duplicate]:
    claims = _claims([t for b in batches for t in b.all_triples()])
    found: list[Duplicate] = []
    first: dict[tuple[ox.NamedNode | ox.Literal, ...], str] = {}
    for assertion, key in sorted(claims.items()):
        if key in first:
            found.append(Duplicate(assertion, first[key]))
        else:
            first[key] = assertion
    items = sorted(first.items(), key=lambda kv: kv[1])
    for i in range(0, len(items), _CHUNK):
        rows = values(("new", "s", "p", "o", "src"), ((ox.NamedNode(a), *key) for key, a in items[i : i + _CHUNK]))
        for t in store.construct(
            sparql_prologue("rdf", "prov") + f"CONSTRUCT {{ ?new prov:alternateOf ?old }} WHERE {{ {rows} "
            "?old rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?src }",
            without=without,
        ):
            new, old = str(getattr(t.subject, "value", "")), str(getattr(t.object, "value", ""))
            if new != old:
                found.append(Duplicate(new, old))
    unique = {d.assertion: d for d in sorted(found, key=lambda d: (d.assertion, d.existing))}
    return list(unique.values())


def leave_out(batches: Sequence[ParsedRdf], assertions: Collection[str]) -> list[ParsedRdf]:
    """The batches without the triples about the given assertions."""

    def keep(triples: list[ox.Triple]) -> list[ox.Triple]:
        return [t for t in triples if not (isinstance(t.subject, ox.NamedNode) and t.subject.value in assertions)]

    return [
        ParsedRdf(b.name, keep(b.default_graph), {g: keep(t) for g, t in b.named_graphs.items()}, b.text)
        for b in batches
    ]


def canonical(t: ox.Triple) -> ox.Triple:
    """The triple as a store holds it (1.0 as "1", language tags lowercase)."""
    o = t.object
    if isinstance(o, ox.Literal):
        o = canonical_literal(o.value, None if o.language else o.datatype.value, o.language)
    return ox.Triple(t.subject, t.predicate, o)
