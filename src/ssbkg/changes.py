"""`ssbkg changes`: claims added, changed, removed or retracted in a period, with the source of each.

Read from the graph versions the store keeps (each load writes a new one and retires the old, until
`ssbkg prune`) and from the retractions graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pyoxigraph as ox

from ssbkg.stores import Store

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SSB = "https://w3id.org/ssbkg/ontology#"
PROV = "http://www.w3.org/ns/prov#"


@dataclass(frozen=True)
class Change:
    when: str
    change: str  # added, changed, removed or retracted
    assertion: str
    subject: str
    predicate: str
    object: str
    source: str
    by: str
    graph: str
    note: str = ""


def _day(stamp: str) -> date:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()


def _assertions(triples: list[ox.Triple]) -> dict[str, frozenset[ox.Triple]]:
    typed = {
        t.subject.value
        for t in triples
        if isinstance(t.subject, ox.NamedNode)
        and t.predicate.value == RDF + "type"
        and getattr(t.object, "value", "") == SSB + "Assertion"
    }
    out: dict[str, set[ox.Triple]] = {a: set() for a in typed}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value in out:
            out[t.subject.value].add(t)
    return {a: frozenset(ts) for a, ts in out.items()}


def _value(triples: frozenset[ox.Triple], predicate: str) -> str:
    return next((str(getattr(t.object, "value", "")) for t in triples if t.predicate.value == predicate), "")


def changes(store: Store, since: date, until: date | None = None) -> list[Change]:
    """What changed from `since` to `until` (both days included)."""
    out: list[Change] = []
    previous: dict[str, str] = {}
    for graph, version, kind, stamp, agent in store.history():
        before = previous.get(graph)
        previous[graph] = version
        day = _day(stamp)
        if kind == "bundled" or day < since or (until is not None and day > until):
            continue
        new = _assertions(store.version_triples(version))
        old = _assertions(store.version_triples(before)) if before else {}
        for a in sorted(set(new) | set(old)):
            if a in new and a in old and new[a] == old[a]:
                continue
            kind_of_change = "added" if a not in old else "removed" if a not in new else "changed"
            triples = new.get(a) or old[a]
            out.append(
                Change(
                    stamp,
                    kind_of_change,
                    a,
                    _value(triples, RDF + "subject"),
                    _value(triples, RDF + "predicate"),
                    _value(triples, RDF + "object"),
                    _value(triples, PROV + "wasDerivedFrom"),
                    agent,
                    graph,
                )
            )
    out += _retractions(store, since, until)
    return sorted(out, key=lambda c: (c.when, c.change, c.assertion))


def _retractions(store: Store, since: date, until: date | None) -> list[Change]:
    rows = store.select(
        f"PREFIX prov: <{PROV}>\nPREFIX rdf: <{RDF}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?a ?when ?why ?who ?s ?p ?o ?src WHERE { ?a prov:wasInvalidatedBy ?r . ?r prov:atTime ?when ; "
        "rdfs:comment ?why . OPTIONAL { ?r prov:wasAssociatedWith/rdfs:label ?who } "
        "OPTIONAL { ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?src } }"
    ).rows
    out = []
    for row in rows:
        a, when, why, who, s, p, o, src = (str(getattr(t, "value", "")) if t is not None else "" for t in row)
        day = _day(when)
        if day >= since and (until is None or day <= until):
            out.append(Change(when, "retracted", a, s, p, o, src, who, "", why))
    return out
