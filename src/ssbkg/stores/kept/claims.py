"""corroboration and weakly-sourced, kept: for each claim (subject, predicate, object) one record of
what their rows are made of (each standing assertion's source, origin and readings; the sources' dates,
names and grades; the origins' names; the labels), from which either query's row for any asOf is
worked out as queries/corroboration.rq and queries/weakly-sourced.rq work it out. The queries are the
definitions; tests/contract/test_answers.py holds the two equal.

The SPARQL here is the queries' own, cut at the claim; the per-source block is alliance-members'
(members.SOURCES), which both queries share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import pyoxigraph as ox

from ssbkg.io.terms import Term
from ssbkg.namespaces import sparql_prologue, values
from ssbkg.stores.kept import members
from ssbkg.stores.kept.members import Select, chunks, term_text

Key = tuple[str, ...]  # (object, subject, predicate): an alliance's claims are one range
Row = tuple[Term | None, ...]
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
NEVER = "~" * 10  # a day after every day, as wide as one (an empty string is not compared alike by every engine)
FIRST = "0" * 10  # a day before every day
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
        retracted = {term_text(r[0]) for r in select(_PROLOGUE + _RETRACTED % (block, _KEYED if block else _ANY)).rows}
        for obj, subject, predicate, assertion, source, primary in select(_PROLOGUE + _CLAIMS % block).rows:
            if term_text(assertion) in retracted:
                continue
            if not all(isinstance(t, ox.NamedNode) for t in (subject, predicate, source, primary or source)):
                records[WHOLE] = {"x": 1}  # a blank node the gate would refuse: the definition answers
                continue
            r = records.setdefault((term_text(obj), term_text(subject), term_text(predicate)), {"a": []})
            pair = [term_text(source), term_text(primary or source)]
            if pair not in r["a"]:
                r["a"].append(pair)
    claims = {k: r for k, r in records.items() if k != WHOLE}
    pairs = sorted({tuple(p) for r in claims.values() for p in r["a"]})
    readings: dict[tuple[str, ...], set[str]] = {}
    for chunk in chunks(pairs):
        block = values(("source", "origin"), [(ox.NamedNode(s), ox.NamedNode(o)) for s, o in chunk])
        for source, origin, relayed, twice in select(_PROLOGUE + _READINGS % block).rows:
            readings.setdefault((term_text(source), term_text(origin)), set()).add(
                term_text(relayed or twice or source)
            )
    nodes = sorted({n for k in claims for n in (k[0], k[1])})
    labels: dict[str, list[str]] = {}
    for chunk in chunks(nodes):
        for node, label in select(_PROLOGUE + _LABELS % values("node", map(ox.NamedNode, chunk))).rows:
            labels.setdefault(term_text(node), []).append(term_text(label))
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


def index(key: Key, r: Mapping[str, Any] | None) -> dict[str, str]:
    """What a reader reads instead of a record: "rows", the claim's rows of today, packed (see `packed`),
    after the days between which it is weakly sourced (see `weak_window`), which weakly-sourced filters
    on; "rowsHistory", [key, labels, labels, the values of both queries for any day] (members.versions).
    Not alliance-members' names ("row", "history"): a read by the name alone tells them apart."""
    if r is None:
        return {"rows": NEVER + NEVER, "rowsHistory": ""}  # no claim: weak on no day, no row
    if r.get("x"):
        return {"rows": FIRST + NEVER + "x", "rowsHistory": "x"}  # every reader reads it, and leaves it to the text
    days = [(f[0], f[3]) for s, _, _ in r["a"] for f in r["s"][s]]
    strong = [day for day, grade in days if grade < WEAK]
    window = min((d for d, _ in days), default=NEVER) + min(strong, default=NEVER)
    history = members.versions(lambda day: [_corroborated(r, day), _weak(r, day)], (d for d, _ in days))
    return {"rows": window + packed(key, r), "rowsHistory": members.packedterm_text([key, r["sl"], r["ol"], history])}


def weak_window(day: str, variable: str) -> str:
    """A FILTER on `variable`, an index "rows": true when the claim is weakly sourced on `day`: some
    source may be out by then (the first ten characters), none graded better than D (the next ten)."""
    text, held = ox.Literal(day), f"STR({variable})"
    # Not STR({text}): Virtuoso 7.2 then finds no row (measured; the SUBSTRs alone compare right).
    return f"FILTER (SUBSTR({held}, 1, 10) <= {text} && SUBSTR({held}, 11, 10) > {text})"


def unwindowed(text: str) -> str:
    """An index "rows" without its window: the packed rows, "x", or "" for none."""
    return text[2 * len(NEVER) :]


# ------------------------------------------------------------------------------------------ reading


def _known(r: Mapping[str, Any], as_of: str | None) -> Iterator[tuple[list[Any], list[str]]]:
    """Each standing assertion's (source, origin, readings) with each fact of its source out by `as_of`."""
    for item in r["a"]:
        for fact in r["s"][item[0]]:
            if as_of is None or fact[0] <= as_of:  # "known" or "maybe": the queries keep both
                yield item, fact


def corroboration(records: Iterable[tuple[Key, Mapping[str, Any]]], as_of: str | None) -> list[Row] | None:
    """corroboration's rows from the records of some claims; None when one holds what only the
    definition answers."""
    packed = []
    for key, r in records:
        if r.get("x"):
            return None
        packed.append((key, [r["sl"], r["ol"], _corroborated(r, as_of), None]))
    return corroboration_rows(packed)


def weakly_sourced(records: Iterable[tuple[Key, Mapping[str, Any]]], as_of: str | None) -> list[Row] | None:
    """weakly-sourced's rows from the records of some claims (those whose every source known by
    `as_of` is graded D or worse are rows); None when one holds what only the definition answers."""
    packed = []
    for key, r in records:
        if r.get("x"):
            return None
        packed.append((key, [r["sl"], r["ol"], None, _weak(r, as_of)]))
    return weakly_sourced_rows(packed)


def _corroborated(r: Mapping[str, Any], as_of: str | None) -> list[Any] | None:
    """A claim's [sources, independent sources, origins' names, readings] by `as_of`; None for no row."""
    known = list(_known(r, as_of))
    if not known:
        return None
    origins = {item[1] for item, _ in known}
    return [
        len({item[0] for item, _ in known}),
        len(origins),
        sorted({n for o in origins for n in r["o"][o]}),
        len({reading for item, _ in known for reading in item[2]}),
    ]


def _weak(r: Mapping[str, Any], as_of: str | None) -> list[str] | None:
    """A claim's [best grade, sources' names] by `as_of` when it is weakly sourced; else None."""
    facts = [fact for _, fact in _known(r, as_of)]
    if not facts or min(f[3] for f in facts) < WEAK:
        return None
    return [min(f[3] for f in facts), "; ".join(sorted({f[2] for f in facts}))]


def packed(key: Key, r: Mapping[str, Any]) -> str:
    """A record's rows in the view most reads ask for (today), packed: [key, subject's labels, object's
    labels, corroboration's values, weakly-sourced's values] ("x": only the definitions answer)."""
    if r.get("x"):
        return "x"
    return members.packedterm_text([key, r["sl"], r["ol"], _corroborated(r, None), _weak(r, None)])


def corroboration_rows(packed: Iterable[tuple[Key, Sequence[Any]]]) -> list[Row]:
    """corroboration's rows, in its order, from packed claims (see `packed`)."""
    out: list[tuple[tuple[Any, ...], Row]] = []
    terms = _Terms()
    for (obj, subject, predicate), (sls, ols, found, _) in packed:
        if found is None:
            continue
        sources, independent, names, readings = found
        tail = (
            terms.integer(sources),
            terms.integer(independent),
            ox.Literal("; ".join(names)),
            terms.integer(readings),
        )
        for sl, ol, start in _labelled(terms, sls, ols, subject, predicate, obj):
            out.append(((-independent, -sources, sl, predicate, ol), (*start, *tail)))
    return _ordered(out)


def weakly_sourced_rows(packed: Iterable[tuple[Key, Sequence[Any]]]) -> list[Row]:
    """weakly-sourced's rows, in its order, from packed claims (see `packed`)."""
    out: list[tuple[tuple[Any, ...], Row]] = []
    terms = _Terms()
    for (obj, subject, predicate), (sls, ols, _, found) in packed:
        if found is None:
            continue
        tail = (terms.literal(found[0]), ox.Literal(found[1]))
        for sl, ol, start in _labelled(terms, sls, ols, subject, predicate, obj):
            out.append(((sl, predicate, ol), (*start, *tail)))
    return _ordered(out)


class _Terms(dict[tuple[str, str], Term]):
    """The terms of one answer, each made once: the same alliance, predicate or count fills many rows."""

    def _made(self, kind: str, text: str, make: Callable[[], Term]) -> Term:
        term = self.get((kind, text))
        if term is None:
            term = self[(kind, text)] = make()
        return term

    def node(self, iri: str) -> Term:
        return self._made("n", iri, lambda: ox.NamedNode(iri))

    def integer(self, n: int) -> Term:
        return self._made("i", str(n), lambda: ox.Literal(str(n), datatype=_INTEGER))

    def literal(self, text: str) -> Term:
        return self._made("s", text, lambda: ox.Literal(text))

    def label(self, text: str | None) -> Term:
        return self._made("l", text or "", lambda: _label(text))


def _labelled(
    terms: _Terms, sls: Sequence[str], ols: Sequence[str], subject: str, predicate: str, obj: str
) -> Iterator[tuple[str, str, tuple[Term, ...]]]:
    """A row's first five columns for each pair of labels (an unlabelled node's label is "")."""
    unlabelled: list[str | None] = [None]
    for sl in [*sls] or unlabelled:
        for ol in [*ols] or unlabelled:
            start = (terms.node(subject), terms.label(sl), terms.node(predicate), terms.node(obj), terms.label(ol))
            yield sl or "", ol or "", start


def _label(text: str | None) -> ox.Literal:
    return ox.Literal("") if text is None else ox.Literal(text, language="en")


def _ordered(out: list[tuple[tuple[Any, ...], Row]]) -> list[Row]:
    out.sort(key=lambda pair: pair[0])
    return list(dict.fromkeys(row for _, row in out))
