"""corroboration and weakly-sourced, kept: for each claim (subject, predicate, object) one record of
what their rows are made of (each standing assertion's source, origin and readings; the sources' dates,
names and grades; the origins' names; the labels), from which either query's row for any asOf is
worked out as queries/corroboration.rq and queries/weakly-sourced.rq work it out. The queries are the
definitions; tests/contract/test_answers.py holds the two equal.

The SPARQL here is the queries' own, cut at the claim; the per-source block is alliance-members'
(members.SOURCES), which both queries share.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pyoxigraph as ox

from ssbkg.io.terms import Term
from ssbkg.namespaces import sparql_prologue, values
from ssbkg.stores.kept import members
from ssbkg.stores.kept.members import Select, chunks

Key = tuple[str, ...]  # (object, subject, predicate): an alliance's claims are one range
# The key of a record that says the state holds what only the definitions answer (store-wide)
WHOLE: Key = ("urn:ssbkg:answers#whole",) * 3
CORROBORATION = [
    "subject",
    "subjectLabel",
    "predicate",
    "object",
    "objectLabel",
    "sources",
    "independentSources",
    "origins",
    "readings",
]
WEAKLY_SOURCED = ["subject", "subjectLabel", "predicate", "object", "objectLabel", "bestGrade", "sources"]
WEAK = "D"  # the query's FILTER (?bestGrade >= "D")
NEVER = "~"  # a day after every day (an empty string is not compared alike by every engine)
_PROLOGUE = sparql_prologue("ssb", "prov", "schema", "rdf", "rdfs")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

_CLAIMS = """SELECT ?object ?subject ?predicate ?assertion ?source ?primary WHERE {
  %s
  ?assertion rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object ; a ssb:Assertion ;
             prov:wasDerivedFrom ?source .
  FILTER (isIRI(?object))
  OPTIONAL { ?assertion prov:hadPrimarySource ?primary }
}"""
_RETRACTED = """SELECT DISTINCT ?assertion WHERE {
  %s
  %s
}"""
_KEYED = "?assertion rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object ; prov:invalidatedAtTime ?x ."
_ANY = "?assertion prov:invalidatedAtTime ?x ."
# The reading of an origin through a source: corroboration's two OPTIONALs, for the pairs named.
_READINGS = """SELECT ?source ?origin ?relayed ?relayedTwice WHERE {
  %s
  OPTIONAL { ?source ssb:cites ?relayed . ?relayed ssb:cites ?origin }
  OPTIONAL { ?source ssb:cites ?step . ?step ssb:cites ?relayedTwice . ?relayedTwice ssb:cites ?origin }
}"""
_LABELS = """SELECT ?node ?label WHERE {
  %s
  ?node rdfs:label ?label . FILTER (LANG(?label) = "en")
}"""


# ------------------------------------------------------------------------------------------ deriving


def derive(select: Select, keys: Iterable[Key] | None) -> dict[Key, dict[str, Any]]:
    """The records of `keys` (None: of every claim the state holds). A key with no standing assertion
    has no record; WHOLE's record says the state holds what only the definition answers."""
    records: dict[Key, dict[str, Any]] = {}
    for block in _key_blocks(keys):
        retracted = {_text(r[0]) for r in select(_PROLOGUE + _RETRACTED % (block, _KEYED if block else _ANY)).rows}
        for obj, subject, predicate, assertion, source, primary in select(_PROLOGUE + _CLAIMS % block).rows:
            if _text(assertion) in retracted:
                continue
            if not all(isinstance(t, ox.NamedNode) for t in (subject, predicate, source, primary or source)):
                records[WHOLE] = {"x": 1}  # a blank node the gate would refuse: the definition answers
                continue
            r = records.setdefault((_text(obj), _text(subject), _text(predicate)), {"a": []})
            pair = [_text(source), _text(primary or source)]
            if pair not in r["a"]:
                r["a"].append(pair)
    claims = {k: r for k, r in records.items() if k != WHOLE}
    pairs = sorted({tuple(p) for r in claims.values() for p in r["a"]})
    readings: dict[tuple[str, ...], set[str]] = {}
    for chunk in chunks(pairs):
        block = values(("source", "origin"), [(ox.NamedNode(s), ox.NamedNode(o)) for s, o in chunk])
        for source, origin, relayed, twice in select(_PROLOGUE + _READINGS % block).rows:
            readings.setdefault((_text(source), _text(origin)), set()).add(_text(relayed or twice or source))
    nodes = sorted({n for k in claims for n in (k[0], k[1])})
    labels: dict[str, list[str]] = {}
    for chunk in chunks(nodes):
        for node, label in select(_PROLOGUE + _LABELS % values("node", map(ox.NamedNode, chunk))).rows:
            labels.setdefault(_text(node), []).append(_text(label))
    facts = members.source_facts(select, sorted({p[0] for p in pairs}))
    names = members.origin_names(select, sorted({p[1] for p in pairs}))
    for (about, said, _), r in claims.items():
        r["a"] = sorted([s, o, sorted(readings.get((s, o), ()))] for s, o in r["a"])
        r["s"] = {s: facts.get(s, []) for s, _, _ in r["a"]}
        r["o"] = {o: names.get(o, []) for _, o, _ in r["a"]}
        r["sl"], r["ol"] = sorted(set(labels.get(said, ()))), sorted(set(labels.get(about, ())))
    return records


def _key_blocks(keys: Iterable[Key] | None) -> Iterator[str]:
    if keys is None:
        yield ""
        return
    for chunk in chunks(sorted(set(keys) - {WHOLE})):
        yield values(("object", "subject", "predicate"), [tuple(map(ox.NamedNode, k)) for k in chunk])


def index(r: Mapping[str, Any] | None) -> dict[str, str]:
    """What a reader of weakly-sourced filters on before it reads a record: the first day any source
    may be out, and the first day a source graded better than D may be ("~", after every day: never)."""
    if r is None:
        return {"anyFrom": NEVER, "strongFrom": ""}  # no claim: weak on no day
    if r.get("x"):
        return {"anyFrom": "", "strongFrom": NEVER}
    days = [(f[0], f[3]) for s, _, _ in r["a"] for f in r["s"][s]]
    strong = [day for day, grade in days if grade < WEAK]
    return {"anyFrom": min((d for d, _ in days), default=NEVER), "strongFrom": min(strong, default=NEVER)}


# ------------------------------------------------------------------------------------------ reading


def _known(r: Mapping[str, Any], as_of: str | None) -> Iterator[tuple[list[Any], list[str]]]:
    """Each standing assertion's (source, origin, readings) with each fact of its source out by `as_of`."""
    for item in r["a"]:
        for fact in r["s"][item[0]]:
            if as_of is None or fact[0] <= as_of:  # "known" or "maybe": the queries keep both
                yield item, fact


def corroboration(
    records: Iterable[tuple[Key, Mapping[str, Any]]], as_of: str | None
) -> list[tuple[Term | None, ...]] | None:
    """corroboration's rows from the records of some claims; None when one holds what only the
    definition answers."""
    out: list[tuple[tuple[Any, ...], tuple[Term | None, ...]]] = []
    for (obj, subject, predicate), r in records:
        if r.get("x"):
            return None
        known = list(_known(r, as_of))
        if not known:
            continue
        sources = {item[0] for item, _ in known}
        origins = {item[1] for item, _ in known}
        names = sorted({n for o in origins for n in r["o"][o]})
        readings = {reading for item, _ in known for reading in item[2]}
        counts = (len(sources), len(origins))
        for sl, ol, row_start, row_end in _labelled(r, subject, predicate, obj):
            row = (
                *row_start,
                *row_end,
                ox.Literal(str(counts[0]), datatype=_INTEGER),
                ox.Literal(str(counts[1]), datatype=_INTEGER),
                ox.Literal("; ".join(names)),
                ox.Literal(str(len(readings)), datatype=_INTEGER),
            )
            out.append(((-counts[1], -counts[0], sl, predicate, ol), row))
    return _ordered(out)


def weakly_sourced(
    records: Iterable[tuple[Key, Mapping[str, Any]]], as_of: str | None
) -> list[tuple[Term | None, ...]] | None:
    """weakly-sourced's rows from the records of some claims (those whose every source known by
    `as_of` is graded D or worse are rows); None when one holds what only the definition answers."""
    out: list[tuple[tuple[Any, ...], tuple[Term | None, ...]]] = []
    for (obj, subject, predicate), r in records:
        if r.get("x"):
            return None
        facts = [fact for _, fact in _known(r, as_of)]
        if not facts:
            continue
        best = min(f[3] for f in facts)
        if best < WEAK:
            continue
        names = "; ".join(sorted({f[2] for f in facts}))
        for sl, ol, row_start, row_end in _labelled(r, subject, predicate, obj):
            out.append(((sl, predicate, ol), (*row_start, *row_end, ox.Literal(best), ox.Literal(names))))
    return _ordered(out)


def _labelled(
    r: Mapping[str, Any], subject: str, predicate: str, obj: str
) -> Iterator[tuple[str, str, tuple[Term, ...], tuple[Term, ...]]]:
    """A row's first five columns for each pair of labels (an unlabelled node's label is "")."""
    for sl in r["sl"] or [None]:
        for ol in r["ol"] or [None]:
            yield (
                sl or "",
                ol or "",
                (ox.NamedNode(subject), _label(sl), ox.NamedNode(predicate)),
                (ox.NamedNode(obj), _label(ol)),
            )


def _label(text: str | None) -> ox.Literal:
    return ox.Literal("") if text is None else ox.Literal(text, language="en")


def _ordered(out: list[tuple[tuple[Any, ...], tuple[Term | None, ...]]]) -> list[tuple[Term | None, ...]]:
    out.sort(key=lambda pair: pair[0])
    return list(dict.fromkeys(row for _, row in out))


def _text(term: Term | None) -> str:
    return "" if term is None or isinstance(term, ox.Triple) else term.value
