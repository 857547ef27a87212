"""alliance-members, kept: for each (alliance, member) one record of what its row is made of (the
claims, their sources' dates, names and grades, the denials, the member's labels), from which the row
for any minCertainty and asOf is worked out as queries/alliance-members.rq works it out. The query is
the definition; this is its fast path, and tests/contract/test_answers.py holds the two equal.

The SPARQL here is the query's own, cut at the member: the per-source block is the query's block with
the sources named rather than all of them, and leaves the day out (the read compares it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from ssbkg.io.terms import Term
from ssbkg.namespaces import XSD, sparql_prologue, values
from ssbkg.stores.base import QueryResult

Key = tuple[str, str]  # (alliance, member)
# The key of a record that says the state holds what only the definition answers (in any alliance)
WHOLE: Key = ("urn:ssbkg:answers#whole",) * 2
Select = Callable[[str], QueryResult]  # a SELECT over the state the records are derived from
VARIABLES = [
    "member",
    "label",
    "certainty",
    "confidence",
    "status",
    "sourceCount",
    "sources",
    "primarySources",
    "knownAsOf",
    "reliability",
    "credibility",
]
_CHUNK = 400  # terms in one VALUES block
BEFORE = "0000-00-00"  # before every day a source may bear (an undated one is out from 0000-01-01)
_PROLOGUE = sparql_prologue("ssb", "org", "prov", "schema", "skos", "rdf", "rdfs", "xsd")
_DECIMAL, _INTEGER = ox.NamedNode(XSD + "decimal"), ox.NamedNode(XSD + "integer")

_CLAIMS = """SELECT ?alliance ?member ?assertion ?notation ?conf ?source ?primary WHERE {
  %s
  # the member first: the engine then starts from the keys given, not from every membership
  ?assertion rdf:subject ?member ; rdf:object ?alliance ; rdf:predicate org:memberOf ;
             ssb:certainty ?level ; prov:wasDerivedFrom ?source .
  FILTER (?level != ssb:Refuted)
  ?level skos:notation ?notation .
  OPTIONAL { ?assertion prov:hadPrimarySource ?primary }
  OPTIONAL { ?assertion ssb:confidence ?conf }
}"""

# The assertions of those memberships that are retracted, and those contradicted: sets read once, where
# a test per claim (NOT EXISTS, EXISTS) cost 50 microseconds a row.
_MARKED = """SELECT DISTINCT ?assertion WHERE {
  %s
  %s
}"""
_KEYED_CLAIM = "?assertion rdf:subject ?member ; rdf:object ?alliance ; rdf:predicate org:memberOf ; %s ?any ."
_ANY_CLAIM = "?assertion %s ?any ."  # every assertion marked so (a few), not every claim

_DENIALS = """SELECT ?alliance ?member ?deniedOn WHERE {
  %s
  ?denial rdf:subject ?member ; rdf:predicate org:memberOf ; rdf:object ?alliance ;
          ssb:certainty ssb:Refuted ; prov:wasDerivedFrom ?denier .
  FILTER NOT EXISTS { ?denial prov:invalidatedAtTime ?undone }
  OPTIONAL { ?denier schema:datePublished ?d }
  BIND (SUBSTR(STR(?d), 1, 10) AS ?deniedOn)
}"""

_LABELS = """SELECT ?member ?label WHERE {
  %s
  ?member rdfs:label ?label . FILTER (LANG(?label) = "en")
}"""

# The query's per-source block, the sources named, the day left to the read.
_SOURCES = """SELECT ?source ?earliest ?latest ?sourceName ?grade WHERE {
  %s
  OPTIONAL { ?source schema:datePublished|schema:dateCreated ?sourceDate }
  OPTIONAL {
    SELECT ?source (MAX(?bound) AS ?notBefore) WHERE {
      { ?source ssb:publishedNotBefore ?b }
      UNION { ?source ssb:cites+ ?cited . ?cited ssb:publishedNotBefore ?b }
      UNION { ?source ssb:cites ?firstCited . ?firstCited ssb:cites* ?cited . ?cited schema:datePublished ?b }
      BIND (IF(STRLEN(STR(?b)) = 4, CONCAT(STR(?b), "-01-01"),
            IF(STRLEN(STR(?b)) = 7, CONCAT(STR(?b), "-01"), SUBSTR(STR(?b), 1, 10))) AS ?bound)
    }
    GROUP BY ?source
  }
  OPTIONAL { ?source ssb:publishedNotAfter ?notAfter }
  BIND (STR(?sourceDate) AS ?d)
  BIND (COALESCE(IF(STRLEN(?d) = 4, CONCAT(?d, "-01-01"),
                    IF(STRLEN(?d) = 7, CONCAT(?d, "-01"), SUBSTR(?d, 1, 10))), "0000-01-01") AS ?start)
  BIND (COALESCE(IF(STRLEN(?d) = 4, CONCAT(?d, "-12-31"),
                    IF(STRLEN(?d) = 7, CONCAT(?d, "-31"), SUBSTR(?d, 1, 10))), "9999-12-31") AS ?end)
  BIND (IF(BOUND(?notBefore) && STR(?notBefore) > ?start, STR(?notBefore), ?start) AS ?earliest)
  BIND (IF(BOUND(?notAfter) && STR(?notAfter) < ?end, STR(?notAfter), ?end) AS ?latest)
  OPTIONAL { ?source schema:publisher/rdfs:label ?publisherName . FILTER (LANG(?publisherName) = "en") }
  OPTIONAL { ?source rdfs:label ?sourceLabel . FILTER (LANG(?sourceLabel) = "en") }
  BIND (STR(COALESCE(?publisherName, ?sourceLabel, STR(?source))) AS ?sourceName)
  OPTIONAL { ?source ssb:reliability ?reportGrade }
  OPTIONAL { ?source schema:publisher/ssb:reliability ?publisherGrade }
  BIND (STR(COALESCE(?reportGrade, ?publisherGrade, "F")) AS ?grade)
}"""

_ORIGINALS = """SELECT ?original ?primaryName WHERE {
  %s
  OPTIONAL { ?original schema:publisher/rdfs:label ?originalPublisher . FILTER (LANG(?originalPublisher) = "en") }
  OPTIONAL { ?original rdfs:label ?originalLabel . FILTER (LANG(?originalLabel) = "en") }
  BIND (STR(COALESCE(?originalPublisher, ?originalLabel, STR(?original))) AS ?primaryName)
}"""

SCHEME = (
    _PROLOGUE
    + """SELECT ?level ?notation ?certainty ?credibility WHERE {
  ?level skos:inScheme ssb:CertaintyScheme ; skos:notation ?notation ; skos:prefLabel ?certainty ;
         ssb:credibility ?credibility .
}"""
)


# ------------------------------------------------------------------------------------------ deriving


def derive(select: Select, keys: Iterable[Key] | None) -> dict[Key, dict[str, Any]]:
    """The records of `keys` (None: of every membership the state holds), by the SELECTs `select` runs.
    A key with neither a claim nor a denial left has no record."""
    records: dict[Key, dict[str, Any]] = {}

    def record(row: Sequence[Term | None], *nodes: Term | None) -> dict[str, Any]:
        key = (term_text(row[0]), term_text(row[1]))
        if not all(isinstance(t, ox.NamedNode) for t in (row[0], row[1], *nodes)):
            key = WHOLE  # a blank node the gate would refuse: the definition answers, for every alliance
        return records.setdefault(key, {"l": [], "c": [], "d": [], "s": {}, "o": {}})

    for block in _key_blocks(keys):
        marked = _KEYED_CLAIM if block else _ANY_CLAIM
        retracted = {
            term_text(r[0]) for r in select(_PROLOGUE + _MARKED % (block, marked % "prov:invalidatedAtTime")).rows
        }
        disputed = {term_text(r[0]) for r in select(_PROLOGUE + _MARKED % (block, marked % "ssb:contradictedBy")).rows}
        for row in select(_PROLOGUE + _CLAIMS % block).rows:
            _, _, assertion, notation, conf, source, primary = row
            if term_text(assertion) in retracted:
                continue  # out of the current view (it stays in the store)
            r = record(row, source, primary or source)
            number = _number(notation)
            if (
                r is records.get(WHOLE)
                or number is None
                or number != int(number)
                or (conf is not None and _confidence(conf) is None)
            ):
                r["x"] = 1  # not what the gate lets in: the definition answers
                continue
            original = primary or source
            claim = [
                int(number),
                _confidence(conf),
                term_text(source),
                term_text(original),
                term_text(assertion) in disputed,
            ]
            if claim not in r["c"]:
                r["c"].append(claim)
        for row in select(_PROLOGUE + _DENIALS % block).rows:
            day = None if row[2] is None else term_text(row[2])
            r = record(row)
            if r is records.get(WHOLE):
                r["x"] = 1
            if day not in r["d"]:
                r["d"].append(day)
    members = sorted({m for _, m in records})
    labels: dict[str, list[str]] = {}
    for chunk in chunks(members):
        for m, label in select(_PROLOGUE + _LABELS % values("member", map(ox.NamedNode, chunk))).rows:
            labels.setdefault(term_text(m), []).append(term_text(label))
    facts = source_facts(select, sorted({c[2] for r in records.values() for c in r["c"]}))
    names = origin_names(select, sorted({c[3] for r in records.values() for c in r["c"]}))
    for (_, member), r in records.items():
        r["l"] = sorted(set(labels.get(member, ())))
        r["s"] = {c[2]: facts.get(c[2], []) for c in r["c"]}
        r["o"] = {c[3]: names.get(c[3], []) for c in r["c"]}
    return records


def source_facts(select: Select, sources: Sequence[str]) -> dict[str, list[list[str]]]:
    """Each source's [earliest, latest, name, grade] rows, by the per-source block the queries share."""
    facts: dict[str, set[tuple[str, ...]]] = {}
    for chunk in chunks(sources):
        for row in select(_PROLOGUE + _SOURCES % values("source", map(ox.NamedNode, chunk))).rows:
            facts.setdefault(term_text(row[0]), set()).add(tuple(term_text(t) for t in row[1:]))
    return {s: sorted(map(list, f)) for s, f in facts.items()}


def origin_names(select: Select, originals: Sequence[str]) -> dict[str, list[str]]:
    """Each original's names as the queries say it: its publisher's, else its own label, else its IRI."""
    names: dict[str, set[str]] = {}
    for chunk in chunks(originals):
        for o, name in select(_PROLOGUE + _ORIGINALS % values("original", map(ox.NamedNode, chunk))).rows:
            names.setdefault(term_text(o), set()).add(term_text(name))
    return {o: sorted(n) for o, n in names.items()}


def _key_blocks(keys: Iterable[Key] | None) -> Iterator[str]:
    if keys is None:
        yield ""
        return
    for chunk in chunks(sorted(set(keys))):
        yield values(("alliance", "member"), [(ox.NamedNode(a), ox.NamedNode(m)) for a, m in chunk])


def chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """`items` in runs short enough for one VALUES block."""
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def pack(r: Mapping[str, Any]) -> str:
    return json.dumps(r, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def unpack_row(text: str) -> list[Any]:
    out: list[Any] = json.loads(text)
    return out


def unpack(text: str) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(text)
    return out


# ------------------------------------------------------------------------------------------ reading


def rows(
    records: Iterable[tuple[str, Mapping[str, Any]]],
    scheme: QueryResult,
    *,
    minimum: int,
    as_of: str | None,
) -> list[tuple[Term | None, ...]] | None:
    """The stored query's rows from the records of one alliance, for a minimum notation and a day
    (YYYY-MM-DD, or None); None when a record holds what only the definition answers."""
    summaries = []
    for member, r in records:
        if r.get("x"):
            return None
        summaries.append((member, summary(r, minimum, as_of)))
    return summarized(summaries, scheme)


def summary(r: Mapping[str, Any], minimum: int, as_of: str | None) -> list[Any] | None:
    """What a member's row says, for a minimum notation and a day: [best (notation * 10 + confidence),
    sources counted, status, source names, primary names, knownAsOf, reliability, labels]; None for no row."""
    found = _member(r, minimum, as_of)
    if found is None:
        return None
    best, count, sources, originals, known, grade, disputed = found
    denied = any(d is None or d <= (as_of or "9999-12-31") for d in r["d"])
    status = "denied" if denied else "disputed" if disputed else "undisputed"
    return [str(best), count, status, sources, originals, known, grade, r["l"]]


def default_row(key: Sequence[str], r: Mapping[str, Any] | None) -> dict[str, str]:
    """The index a record carries, so that the reads most asked for need not decode it: "row", [member,
    its summary] at every level today ("" for no row, "x" for a record only the definition answers);
    "history", [member, its versions] at every level for any day (see `versions`)."""
    if r is None:
        return {"row": "", "history": ""}
    if r.get("x"):
        return {"row": "x", "history": "x"}
    found = summary(r, -1, None)
    history = versions(lambda day: summary(r, -1, day), [d for f in _facts(r) for d in f[:2]] + r["d"])
    return {
        "row": "" if found is None else packedterm_text([key[1], found]),
        "history": packedterm_text([key[1], history]),
    }


def versions(at: Callable[[str], Any], days: Iterable[str | None]) -> list[list[Any]]:
    """What `at` answers for every day, as [[first day, answer], ...] from the earliest on (BEFORE, the
    day before every day). A row's days are compared as `day <= asOf`: it changes only on days it names."""
    out: list[list[Any]] = []
    for day in [BEFORE, *sorted({d for d in days if d})]:
        found = at(day)
        if not out or out[-1][1] != found:
            out.append([day, found])
    return out


def version_at(history: Sequence[Sequence[Any]], day: str) -> Any:
    """The answer of `history` (see `versions`) on a day."""
    found = None
    for first, answer in history:
        if first > day:
            break
        found = answer
    return found


def _facts(r: Mapping[str, Any]) -> Iterator[Sequence[str]]:
    for claim in r["c"]:
        yield from r["s"].get(claim[2], ())


def packedterm_text(value: Any) -> str:
    """A packed row or history as stored: compact JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def summarized(
    summaries: Iterable[tuple[str, Sequence[Any] | None]], scheme: QueryResult
) -> list[tuple[Term | None, ...]]:
    """The stored query's rows, in its order, from its members' summaries."""
    levels: dict[int, list[tuple[Term, Term]]] = {}
    for _, notation, certainty, credibility in scheme.rows:
        n = _number(notation)
        if n is not None and n == int(n) and certainty is not None and credibility is not None:
            levels.setdefault(int(n), []).append((certainty, credibility))
    out: list[tuple[tuple[Any, ...], tuple[Term | None, ...]]] = []
    for member, found in summaries:
        if found is None:
            continue
        best_text, count, status, sources, originals, known, grade, labels = found
        best = Decimal(best_text)
        best_notation = int(best // 10)
        confidence = ox.Literal(_decimalterm_text(best - best_notation * 10), datatype=_DECIMAL)
        for certainty, credibility in levels.get(best_notation, ()):
            for label in labels or [None]:
                term = ox.Literal(label, language="en") if label is not None else None
                row = (
                    ox.NamedNode(member),
                    term,
                    certainty,
                    confidence,
                    ox.Literal(status),
                    ox.Literal(str(count), datatype=_INTEGER),
                    ox.Literal("; ".join(sources)),
                    ox.Literal("; ".join(originals)),
                    ox.Literal(known),
                    ox.Literal(grade),
                    credibility,
                )
                out.append(((-best, -count, (0, "") if label is None else (1, label)), row))
    out.sort(key=lambda pair: pair[0])
    return list(dict.fromkeys(row for _, row in out))


def _member(
    r: Mapping[str, Any], minimum: int, as_of: str | None
) -> tuple[Decimal, int, list[str], list[str], str, str, bool] | None:
    """The grouped values of one member's row (best key, sources, names, ...), or None for no row."""
    joined = []
    for notation, conf, source, original, contradicted in r["c"]:
        if notation < minimum:
            continue
        key = Decimal(notation) * 10 + (Decimal(conf) if conf is not None else 0)
        for earliest, latest, name, grade in r["s"].get(source, ()):
            published = "known" if as_of is None or latest <= as_of else "maybe" if earliest <= as_of else None
            if published is None:
                continue
            for primary in r["o"].get(original, ()):
                joined.append((name, primary, source, key, published, grade, contradicted))
    if not joined:
        return None
    joined.sort(key=lambda j: (j[0], j[1]))  # the query's ORDER BY ?sourceName ?primaryName
    return (
        max(j[3] for j in joined),
        len({j[2] for j in joined}),
        list(dict.fromkeys(j[0] for j in joined)),
        list(dict.fromkeys(j[1] for j in joined)),
        min(j[4] for j in joined),
        min(j[5] for j in joined),
        any(j[6] for j in joined),
    )


def level_number(row: Sequence[Term | None]) -> int | None:
    """The notation of a row of SCHEME, when it is a whole number."""
    n = _number(row[1])
    return int(n) if n is not None and n == int(n) else None


def term_text(term: Term | None) -> str:
    """A term's IRI or lexical form; "" for none (and for a triple term, which no record holds)."""
    return "" if term is None or isinstance(term, ox.Triple) else term.value


def _number(term: Term | None) -> Decimal | None:
    if not isinstance(term, ox.Literal) or term.datatype not in (_DECIMAL, _INTEGER):
        return None
    try:
        return Decimal(term.value)
    except InvalidOperation:
        return None


def _confidence(term: Term | None) -> str | None:
    number = _number(term)
    return None if number is None else _decimalterm_text(number)


def _decimalterm_text(number: Decimal) -> str:
    """As Oxigraph writes an xsd:decimal: no exponent, no trailing zeros."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text
