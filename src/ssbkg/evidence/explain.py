"""`ssbkg explain`: the chain of evidence for a claim, as a tree a person can read."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ssbkg.namespaces import ORG, SSB, compact, sparql_prologue, values
from ssbkg.querying.resolve import resolve
from ssbkg.stores import Store

_SELECT = sparql_prologue("ssb", "prov", "schema", "skos", "rdf", "rdfs") + (
    """SELECT ?assertion ?field ?value ?label ?date WHERE {
  %s
  {
    # A FILTER, not VALUES: Oxigraph led with VALUES ?field and read every assertion (0.4 s at 100,000).
    ?assertion ?field ?value .
    FILTER (?field IN (rdf:subject, rdf:predicate, rdf:object, ssb:certainty, ssb:confidence,
                       prov:wasDerivedFrom, prov:hadPrimarySource, ssb:quote, ssb:contradictedBy,
                       ssb:inferredFrom, rdfs:comment, prov:invalidatedAtTime, prov:wasInvalidatedBy,
                       ssb:ofRanking, ssb:alternativeTo))
  }
  OPTIONAL { ?value rdfs:label ?ownLabel . FILTER (LANG(?ownLabel) = "en") }
  OPTIONAL { ?value skos:prefLabel ?levelLabel . FILTER (LANG(?levelLabel) = "en") }
  OPTIONAL { ?value schema:publisher/rdfs:label ?publisher . FILTER (LANG(?publisher) = "en") }
  OPTIONAL { ?value schema:datePublished|schema:dateCreated ?published }
  OPTIONAL { ?value rdf:subject/rdfs:label ?subjectLabel . FILTER (LANG(?subjectLabel) = "en") }
  # Contradicted by another assertion: name its source, and say what it says instead. A subquery from
  # the same assertions: as a plain OPTIONAL, Oxigraph read this for every assertion in the store.
  OPTIONAL {
    SELECT DISTINCT ?value ?contradiction WHERE {
      %s
      ?assertion ?anyField ?value .
      ?value prov:wasDerivedFrom ?bySource ; rdf:object ?says .
      ?bySource schema:publisher/rdfs:label ?byPublisher . FILTER (LANG(?byPublisher) = "en")
      OPTIONAL { ?bySource schema:datePublished ?byDate }
      OPTIONAL { ?says rdfs:label ?saysLabel . FILTER (LANG(?saysLabel) = "en") }
      # Made here: Virtuoso loses a row whose projected variable (?byDate) is unbound.
      BIND (CONCAT(?byPublisher, IF(BOUND(?byDate), CONCAT(", ", STR(?byDate)), ""),
                   ", which says ", STR(COALESCE(?saysLabel, ?says))) AS ?contradiction)
    }
  }
  BIND (IF(?field = ssb:ofRanking, ?ownLabel,
           COALESCE(?contradiction, ?publisher, ?ownLabel, ?levelLabel, ?subjectLabel)) AS ?label)
  BIND (IF(BOUND(?contradiction), "", STR(?published)) AS ?date)
}"""
)


@dataclass
class Node:
    text: str
    children: list[Node] = field(default_factory=list)


def described(store: Store, assertions: list[str]) -> dict[str, dict[str, list[tuple[str, str, str]]]]:
    """Each assertion's fields by local name (predicate, object, certainty, wasDerivedFrom, quote, ...),
    each a list of (value, its name, its date)."""
    facts: dict[str, dict[str, list[tuple[str, str, str]]]] = {a: {} for a in assertions}
    given = values("assertion", (ox.NamedNode(a) for a in assertions))
    for row in store.select(_SELECT % (given, given)).rows:
        a, f, v, label, when = (str(getattr(t, "value", "")) if t is not None else "" for t in row)
        facts[a].setdefault(f.rsplit("#", 1)[-1], []).append((v, label, when))
    for by_field in facts.values():
        for found in by_field.values():
            found.sort(key=lambda item: (item[1], item[0]))
    return facts


def first(f: dict[str, list[tuple[str, str, str]]], key: str) -> tuple[str, str, str]:
    """The first (value, label, date) of a field of one assertion, or empty ones."""
    return (f.get(key) or [("", "", "")])[0]


def _source(value: str, label: str, when: str) -> str:
    return f"{label or compact(value)}" + (f", {when}" if when else "") + f" ({compact(value)})"


# Whom a claim can be about, and what it can point at.
_PARTIES = (ORG + "Organization", SSB + "Person")


def explain(
    store: Store, subject: str, obj: str | None = None, *, depth: int = 2, as_of: str | None = None
) -> list[Node]:
    """One tree per assertion about the subject (and object), surest first; each named as a user
    types it (an IRI, a prefixed name, a slug or any name: see resolve), and refused with the
    candidates when the name fits several or none. With `as_of` (YYYY-MM-DD), only assertions whose
    source may have been published by that day (a month or a year from its first day, and never before
    what it relays), as alliance-members counts a source "maybe" known. `render`
    writes the trees as text."""
    subject = resolve(store, subject, _PARTIES, "organization or person")
    obj = resolve(store, obj, _PARTIES, "organization") if obj else None
    return _trees(store, assertions_about(store, subject, obj, as_of=as_of), depth)


def assertions_about(store: Store, subject: str, obj: str | None = None, *, as_of: str | None = None) -> list[str]:
    """The assertions about `subject` (and `obj`, IRIs), surest first; with `as_of`, only those whose
    source may have been out by that day (see explain)."""
    where = f"?a rdf:subject {ox.NamedNode(subject)} ; a <{SSB}Assertion> ."
    if obj:
        where += f" ?a rdf:object {ox.NamedNode(obj)} ."
    if as_of:
        day = ox.Literal(as_of)  # a term, never text pasted into the query
        # Later: its source, or what the source relays (its primary source, what it cites), surely
        # appeared after that day (a date's first day, or a publishedNotBefore, after it).
        where += (
            " FILTER NOT EXISTS { ?a prov:wasDerivedFrom|prov:hadPrimarySource ?s . ?s ssb:cites* ?behind ."
            " ?behind schema:datePublished|schema:dateCreated|ssb:publishedNotBefore ?d"
            f" FILTER (SUBSTR(STR(?d), 1, 10) > {day}) }}"
        )
    rows = store.select(
        sparql_prologue("rdf", "ssb", "skos", "prov", "schema")
        + f"SELECT ?a WHERE {{ {where} ?a ssb:certainty/skos:notation ?n . OPTIONAL {{ ?a ssb:confidence ?c }} }} "
        "ORDER BY DESC(?n) DESC(?c) ?a"
    ).rows
    return [str(getattr(r[0], "value", "")) for r in rows]


def _trees(store: Store, assertions: list[str], depth: int) -> list[Node]:
    if not assertions:
        return []
    facts = described(store, assertions)
    return [_tree(store, a, facts[a], depth) for a in assertions]


def _tree(store: Store, a: str, f: dict[str, list[tuple[str, str, str]]], depth: int) -> Node:
    """One assertion's line and, under it, what stands behind it, in the order a reader checks it."""
    predicate, obj, level = first(f, "predicate"), first(f, "object"), first(f, "certainty")
    confidence = first(f, "confidence")[0]
    head = (
        f"{compact(predicate[0])} {obj[1] or compact(obj[0])}: {level[1] or compact(level[0])}"
        + (f" {confidence}" if confidence else "")
        + f"  [{compact(a)}]"
    )
    if f.get("invalidatedAtTime"):
        head += f"  RETRACTED {f['invalidatedAtTime'][0][0]}"
    node = Node(head)
    node.children += [Node("retracted: " + _retraction(store, v)) for v, _, _ in f.get("wasInvalidatedBy", [])]
    node.children += [Node("source: " + _source(v, label, when)) for v, label, when in f.get("wasDerivedFrom", [])]
    node.children += [
        Node("primary source: " + _source(v, label, when)) for v, label, when in f.get("hadPrimarySource", [])
    ]
    node.children += [Node(f'quote: "{v}"') for v, _, _ in f.get("quote", [])]
    node.children += [Node("contradicted by: " + line) for line in against(store, f.get("contradictedBy", []))]
    node.children += [Node(f"note: {v}") for v, _, _ in f.get("comment", [])]
    node.children += [Node(f"ranking: {label or compact(v)}") for v, label, _ in f.get("ofRanking", [])]
    node.children += [
        Node(f"alternative: {label or compact(v)}, under another reading [{compact(v)}]")
        for v, label, _ in f.get("alternativeTo", [])
    ]
    premises = sorted(v for v, _, _ in f.get("inferredFrom", []))
    if premises:
        node.children.append(_premises(store, premises, depth))
    return node


def against(store: Store, found: list[tuple[str, str, str]]) -> list[str]:
    """What contradicts a claim, counted by origin: reports that relay one origin (ssb:cites) are one
    line, "Nikkei Asia, via 4 relays: ...", not four lines that read as four voices."""
    origins = _origins(store, [v for v, _, _ in found])
    by_origin: dict[str, list[tuple[str, str, str]]] = {}
    for item in found:
        by_origin.setdefault(origins.get(item[0], ("", ""))[0] or item[0], []).append(item)
    lines = []
    for origin, items in by_origin.items():
        name = origins.get(items[0][0], ("", ""))[1] or compact(origin)
        if len(items) == 1:
            relaying = f", relaying {name}" if origin != items[0][0] else ""
            lines.append(_source(*items[0]) + relaying)
            continue
        relays = "; ".join(_source(*item) for item in items)
        lines.append(f"{name}, via {len(items)} relay(s): {relays}")
    return lines


def _origins(store: Store, reports: list[str]) -> dict[str, tuple[str, str]]:
    """Each report that relays another: (the origin at the end of its ssb:cites chain, its name)."""
    if not reports:
        return {}
    given = values("report", (ox.NamedNode(r) for r in reports))
    rows = store.select(
        sparql_prologue("ssb", "schema", "rdfs")
        + f"SELECT ?report ?origin ?name WHERE {{ {given} ?report ssb:cites+ ?origin . "
        "FILTER NOT EXISTS { ?origin ssb:cites ?further } "
        'OPTIONAL { ?origin schema:publisher/rdfs:label ?name . FILTER (LANG(?name) = "en") } }'
    ).rows
    return {
        str(getattr(r[0], "value", "")): (str(getattr(r[1], "value", "")), str(getattr(r[2], "value", "")))
        for r in rows
    }


def _premises(store: Store, premises: list[str], depth: int) -> Node:
    """What an inference rests on: in full (depth 3 and more), summed up (1-2), or named (0)."""
    reasoned = Node(f"inferred from {len(premises)} assertion(s):")
    if depth > 2:
        reasoned.children = _trees(store, premises, depth - 1)
    elif depth > 0:
        reasoned.children = _summary(store, premises)
    else:
        reasoned.children = [Node(compact(p)) for p in premises]
    return reasoned


def render(trees: list[Node]) -> str:
    lines: list[str] = []

    def walk(node: Node, prefix: str, last: bool, top: bool) -> None:
        lines.append(node.text if top else f"{prefix}{'└─ ' if last else '├─ '}{node.text}")
        inner = "" if top else prefix + ("   " if last else "│  ")
        for i, child in enumerate(node.children):
            walk(child, inner, i == len(node.children) - 1, False)

    for tree in trees:
        walk(tree, "", True, True)
        lines.append("")
    return "\n".join(lines)


def _summary(store: Store, premises: list[str]) -> list[Node]:
    """One line per claim the premises make, with how many sources state it and the surest of them;
    every premise in full behind --depth 3."""
    facts = described(store, premises)
    claims: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {}
    for a in premises:
        f = facts[a]

        subject, predicate, obj = first(f, "subject"), first(f, "predicate"), first(f, "object")
        key = (subject[1] or compact(subject[0]), compact(predicate[0]), obj[1] or compact(obj[0]))
        source = first(f, "wasDerivedFrom")
        claims.setdefault(key, []).append(
            (first(f, "confidence")[0], first(f, "certainty")[1], source[1] or compact(source[0]))
        )
    out = []
    for (who, what, whom), stated in sorted(claims.items()):
        confidence, level, _ = max(stated, key=lambda s: float(s[0] or 0))
        names = ", ".join(sorted({s[2] for s in stated}))
        out.append(Node(f"{who} {what} {whom}: {len(stated)} source(s), surest {level} {confidence} ({names})"))
    out.append(Node("every premise in full: --depth 3"))
    return out


def _retraction(store: Store, activity: str) -> str:
    """Who retracted an assertion, and why."""
    rows = store.select(
        "SELECT ?who ?why WHERE { "
        f"OPTIONAL {{ {ox.NamedNode(activity)} <http://www.w3.org/ns/prov#wasAssociatedWith> ?agent . "
        "OPTIONAL { ?agent <http://www.w3.org/2000/01/rdf-schema#label> ?name } } "
        f"OPTIONAL {{ {ox.NamedNode(activity)} <http://www.w3.org/2000/01/rdf-schema#comment> ?why }} "
        "BIND (COALESCE(?name, ?agent) AS ?who) }"
    ).rows
    who, why = (str(getattr(t, "value", "")) if t is not None else "" for t in (rows[0] if rows else (None, None)))
    return f"by {who or 'an unknown agent'}" + (f": {why}" if why else "")
