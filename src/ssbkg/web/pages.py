"""What each page shows, gathered through the library: stored queries, the evidence report, explain and
the history. Each function takes an open store and the reader's view (the day and the least certainty
asked for) and returns plain values for a template; nothing here writes HTML."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from pyoxigraph import Literal, NamedNode

from ssbkg.errors import InputError
from ssbkg.evidence import alliance as gathering
from ssbkg.evidence import changes, item
from ssbkg.io.terms import plain
from ssbkg.namespaces import RDF_TYPE, RDFS_LABEL, SKOS, SSB, SSBID, XSD, compact, expand
from ssbkg.querying.catalogue import StoredQuery, find_query
from ssbkg.querying.resolve import subclasses
from ssbkg.querying.running import query
from ssbkg.stores import QueryResult, Store
from ssbkg.vocab import LEVELS, Certainty


class NotFound(InputError):
    """What the address names does not exist (404)."""


@dataclass(frozen=True)
class View:
    """What the reader chose to see: known by `as_of` (a day), at least `min_certainty` sure."""

    as_of: str = ""
    min_certainty: str = ""

    @classmethod
    def parse(cls, as_of: str | None, min_certainty: str | None) -> View:
        """Checked as `ssbkg query alliance-members` checks its asOf and minCertainty, in its words."""
        given = {"asOf": (as_of or "").strip(), "minCertainty": (min_certainty or "").strip().lower()}
        find_query("alliance-members").bind({"alliance": "casip", **{k: v for k, v in given.items() if v}})
        return cls(given["asOf"], given["minCertainty"])

    def params(self) -> dict[str, str]:
        return {k: v for k, v in {"asOf": self.as_of, "minCertainty": self.min_certainty}.items() if v}

    def dated(self) -> dict[str, str]:
        return {"asOf": self.as_of} if self.as_of else {}

    def admits(self, certainty: str) -> bool:
        """Whether a claim this sure is shown (levels surest first; unknown words always shown)."""
        level, least = Certainty.of(certainty), Certainty.of(self.min_certainty)
        if level is None or least is None:
            return True
        return level.rank <= least.rank


def rows(result: object) -> list[dict[str, str]]:
    """A stored query's answer, which is a SELECT's, as rows of text."""
    assert isinstance(result, QueryResult)
    return result.dicts()


def iri_of(text: str, what: str) -> str:
    """The IRI a page's address names: a slug of ssbkg's ids, a prefixed name or a full IRI."""
    found = expand(text.strip())
    if found is None:
        raise InputError(f"{text!r} names no {what}", hint="use a slug (catl), a prefixed name or a full IRI")
    return found


# ------------------------------------------------------------------------------------------ index


def index(store: Store, view: View) -> dict[str, Any]:
    alliances = []
    for a in rows(query(store, "alliances")):
        members = rows(query(store, "alliance-members", {"alliance": a["alliance"], **view.params()}))
        counts = Counter(m["certainty"] for m in members)
        alliances.append({**a, "shown": len(members), "counts": [(lv, counts[lv]) for lv in LEVELS if counts[lv]]})
    until = date.fromisoformat(view.as_of) if view.as_of else None
    recent = changes.changes(store, date.min, until)[-20:][::-1]
    return {"alliances": alliances, "changes": recent, "graphs": store.published()}


# ------------------------------------------------------------------------------------------ alliance


# A picture that takes longer to lay out has too many participants to read; the page goes without it.
PICTURE_SECONDS = 10.0


def alliance(store: Store, iri: str, view: View) -> dict[str, Any]:
    if SSB + "Alliance" not in types_of(store, iri):
        raise NotFound(f"{compact(iri)} is not an alliance ssbkg knows", hint="the index lists the alliances")
    found = gathering.gather(store, iri, as_of=view.as_of or None, min_certainty=view.min_certainty or None)
    from ssbkg.evidence import network

    picture, left_out = "", ""
    try:
        picture = network.svg_for_html(found, timeout=PICTURE_SECONDS)
    except network.GraphvizMissing as e:  # the server's to install; its hint is for the command line
        left_out = e.message
    except network.PictureOvertime as e:
        name = slug_of(iri)
        file = name if "/" not in name else "alliance"
        left_out = f"{e.message}; draw it on its own with: ssbkg graph {name} -o {file}.svg"
    return {"e": found, "picture": picture, "left_out": left_out}


# ------------------------------------------------------------------------------------------ organization


def profile_of(store: Store, iri: str, dated: dict[str, str]) -> list[dict[str, str]]:
    """The organization-profile rows of anything ssbkg names; NotFound (404) if nothing is known."""
    try:
        found = rows(query(store, "organization-profile", {"organization": iri, **dated}))
    except InputError as e:
        raise NotFound(f"nothing is known about {compact(iri)}", hint=e.hint) from None
    if not found:
        raise NotFound(f"nothing is known about {compact(iri)}", hint="find it by name on the find query's page")
    return found


def organization(store: Store, iri: str, view: View) -> dict[str, Any]:
    """An item page: names, what it is, its statements (each claim once, with its source by name, quote
    and what contradicts it), then the facts the data holds of it."""
    profile = profile_of(store, iri, view.dated())
    label = next((r["value"] for r in profile if r["property"] == RDFS_LABEL and r["aspect"] == "fact"), "")
    names = [r["value"] for r in profile if r["aspect"] == "fact" and r["property"] in (RDFS_LABEL, *_ALSO)]
    also = list(dict.fromkeys(n for n in names if n != label))
    types = [r["value"] for r in profile if r["property"] == RDF_TYPE]
    shown = [r for r in profile if r["aspect"] != "claim" and r["property"] not in (RDF_TYPE, RDFS_LABEL, *_ALSO)]
    try:
        said = item.statements(store, iri, as_of=view.as_of or None)
    except InputError:  # claims are about organizations and people; other entities have facts only
        said = []
    for s in said:
        s.claims = [c for c in s.claims if view.admits(c.certainty)]
    return {
        "iri": iri,
        "label": label or compact(iri),
        "also": also,
        "kinds": item.names(store, types),
        "types": types,
        "statements": [s for s in said if s.claims],
        "facts": item.facts(store, shown),
        "retractions": [r for r in rows(query(store, "retractions")) if iri in (r.get("subject"), r.get("object"))],
    }


_ALSO = (SKOS + "altLabel", SSB + "legalName")


# ------------------------------------------------------------------------------------------ source


def source(store: Store, iri: str, view: View) -> dict[str, Any]:
    profile = profile_of(store, iri, {})
    sources = subclasses((SSB + "Source",))
    if not any(r["property"] == RDF_TYPE and r["value"] in sources for r in profile):
        raise NotFound(f"{compact(iri)} is not a report ssbkg knows", hint="the reports query lists them")
    said = rows(query(store, "claims-by-source", {"report": iri, **view.dated()}))
    citations = rows(query(store, "citations", {"report": iri}))
    predicates = item.words(store, {r["predicate"] for r in said})
    return {
        "iri": iri,
        "facts": [r for r in profile if r["aspect"] == "fact"],
        "about": item.facts(store, [r for r in profile if r["aspect"] == "fact"]),
        "headline": next((r["value"] for r in profile if r["property"].endswith("headline")), ""),
        "said": [{**r, "saying": predicates.get(r["predicate"], "")} for r in said if view.admits(r["certainty"])],
        "cites": [c for c in citations if c["citing"] == iri],
        "cited_by": [c for c in citations if c["cited"] == iri],
    }


# ------------------------------------------------------------------------------------------ data twins


def twin(store: Store, iri: str, view: View) -> dict[str, Any]:
    """An entity's page as data: what its page shows, as JSON values."""
    import dataclasses

    kinds = types_of(store, iri)
    if not kinds:
        raise NotFound(f"nothing is known about {compact(iri)}", hint="find it by name with the find query")
    if SSB + "Alliance" in kinds:
        members = rows(query(store, "alliance-members", {"alliance": iri, **view.params()}))
        return {"iri": iri, "kind": "alliance", "members": members}
    if set(kinds) & set(subclasses((SSB + "Source",))):
        found = source(store, iri, view)
        return {"kind": "source", **found, "about": [dataclasses.asdict(f) for f in found["about"]]}
    found = organization(store, iri, view)
    return {
        "kind": "organization",
        **{k: v for k, v in found.items() if k not in ("statements", "facts", "kinds")},
        "types": [{"iri": t, "name": found["kinds"].get(t, "")} for t in found["types"]],
        "statements": [dataclasses.asdict(s) for s in found["statements"]],
        "facts": [dataclasses.asdict(f) for f in found["facts"]],
    }


def twin_triples(store: Store, iri: str) -> list[Any]:
    """An entity's page as RDF: what the store says of it, the assertions about it and those its
    source gives (a report's)."""
    node = NamedNode(iri)
    return store.construct(
        "CONSTRUCT { ?s ?p ?o } WHERE { "
        f"{{ BIND ({node} AS ?s) ?s ?p ?o }} UNION "
        f"{{ ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> {node} ; ?p ?o }} UNION "
        f"{{ ?s <http://www.w3.org/ns/prov#wasDerivedFrom> {node} ; ?p ?o }} }}"
    )


# ------------------------------------------------------------------------------------------ queries


def form(
    stored: StoredQuery, given: dict[str, str], options: dict[str, list[tuple[str, str]]] | None = None
) -> list[dict[str, Any]]:
    """The fields of a query's form, from its header: what each asks for in words, its choices (listed
    in the header, or `options` the store lists), its default, whether it is required."""
    fields = []
    for p in stored.parameters:
        choices = [c.rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower() for c in stored.enumerate.get(p.name, ())]
        default = stored.defaults.get(p.name, "")
        listed = (options or {}).get(p.name, [])
        fields.append(
            {
                "name": p.name,
                "asks": _ASKS.get(p.name) or _ASKS.get(p.kind) or f"text in language {p.kind}",
                "input": {"date": "date", "integer": "number"}.get(p.kind, "text"),
                "required": p.required,
                "choices": choices,
                "listed": listed,
                "default": default.rsplit("#", 1)[-1].lower() if choices and default else slug_of(default),
                "value": given.get(p.name, ""),
                "example": stored.examples.get(p.name, ""),
            }
        )
    return fields


# What a parameter asks for, by its name, else by its type.
_ASKS = {
    "alliance": "the alliance",
    "organization": "the organization, by any of its names",
    "report": "the report",
    "ranking": "the ranking",
    "minCertainty": "at least this sure",
    "asOf": "as known on this day",
    "topN": "how many of the top to take",
    "text": "a name, or part of one, in any language",
    "iri": "a name, a slug or an IRI",
    "date": "a day",
    "integer": "a whole number",
    "decimal": "a number",
    "number": "a number",
    "literal": "text",
}

# The entities an IRI parameter can name, by its name: the form lists them.
_LISTED = {
    "alliance": (SSB + "Alliance",),
    "organization": ("http://www.w3.org/ns/org#Organization",),
    "report": (SSB + "Source",),
    "ranking": (SSB + "Ranking",),
}


def options(store: Store, stored: StoredQuery) -> dict[str, list[tuple[str, str]]]:
    """For each IRI parameter whose name says what it names, what the store holds of that kind:
    (slug or IRI, name), by name."""
    out: dict[str, list[tuple[str, str]]] = {}
    for p in stored.parameters:
        if p.kind != "iri" or p.name not in _LISTED or stored.enumerate.get(p.name):
            continue
        types = " ".join(f"<{t}>" for t in subclasses(_LISTED[p.name]))
        found = store.select(
            f"SELECT DISTINCT ?x (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?type {{ {types} }} ?x a ?type . "
            f"OPTIONAL {{ ?x <{RDFS_LABEL}>|<https://schema.org/headline> ?l "
            'FILTER (LANGMATCHES(LANG(?l), "en")) } } GROUP BY ?x'
        ).rows
        named = [(slug_of(plain(x)), plain(label) if label is not None else compact(plain(x))) for x, label in found]
        out[p.name] = sorted(named, key=lambda pair: pair[1].lower())
    return out


def ready(stored: StoredQuery, given: dict[str, str], asked: bool) -> bool:
    """Run a query's page when every required parameter is given and the reader asked (any value
    given, or the Run button): a page of a slow query does not run it just by being opened."""
    required = all(given.get(p.name) for p in stored.parameters if p.required)
    return required and (asked or any(given.values()))


def slug_of(iri: str) -> str:
    return iri.removeprefix(SSBID)


def types_of(store: Store, iri: str) -> list[str]:
    return [r["value"] for r in profile_of(store, iri, {}) if r["property"] == RDF_TYPE]


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""  # the page of an entity ssbkg names
    number: bool = False


# Columns whose few values a reader narrows a table by (Datasette's facets).
FACETS = ("certainty", "status", "reliability", "bestGrade", "publisher", "side", "types", "aspect", "country")


def named_table(store: Store, result: object) -> dict[str, Any]:
    """`table`, each IRI shown by the name the store gives it (a report by its publisher and date)."""
    iris: set[str] = set()
    if isinstance(result, QueryResult):
        iris = {t.value for row in result.rows for t in row if isinstance(t, NamedNode)}
    named = {iri: item.WORDS[iri] for iri in iris if iri in item.WORDS} | item.names(store, iris)
    return table(result, named)


def query_table(store: Store, stored: StoredQuery, given: dict[str, str]) -> dict[str, Any]:
    """A stored query's answer as its page shows it (see named_table)."""
    return named_table(store, query(store, stored, given))


def sparql_table(store: Store, parsed: StoredQuery) -> dict[str, Any]:
    """A SPARQL protocol query's answer as the endpoint's page shows it (see named_table)."""
    return named_table(store, query(store, parsed))


def table(result: object, named: dict[str, str] | None = None) -> dict[str, Any]:
    """A query's answer as a page shows it: columns, and cells that link to the entities they name. An
    IRI column that a label beside it names (member and label) is shown as that label's link; the
    detail a query names (`#+ columns:`) is marked, for the page to show on request."""
    if isinstance(result, bool):
        return {"columns": ["answer"], "rows": [[Cell("yes" if result else "no")]], "detail": [], "facets": ""}
    if not isinstance(result, QueryResult):
        assert isinstance(result, list)
        rows = [[_cell(t.subject, named), _cell(t.predicate), _cell(t.object, named)] for t in result]
        return {"columns": ["subject", "predicate", "object"], "rows": rows, "detail": [], "facets": ""}
    names = result.variables
    labels = {i: _label_of(names, i) for i in range(len(names))}
    merged = {i: j for i, j in labels.items() if j is not None}
    keep = [i for i in range(len(names)) if i not in merged]
    rows = []
    for row in result.rows:
        cells = {i: _cell(t, named) for i, t in enumerate(row)}
        for i, j in merged.items():  # the label, linked where the IRI beside it goes
            if cells[i].href and cells[j].text:
                cells[j] = Cell(cells[j].text, cells[i].href, cells[j].number)
            elif not cells[j].text:
                cells[j] = cells[i]
        rows.append([cells[i] for i in keep])
    detail = set(result.roles.detail) if result.roles else set()
    columns = [names[i] for i in keep]
    facets = ",".join(c for c in columns if c in FACETS and c not in detail)
    return {"columns": columns, "rows": rows, "detail": [c in detail for c in columns], "facets": facets}


def _label_of(names: list[str], i: int) -> int | None:
    """The column that names the entities of column i: its xLabel or xName, or label for the first."""
    for other in (f"{names[i]}Label", f"{names[i]}Name"):
        if other in names:
            return names.index(other)
    if i == 0 and "label" in names and names[0] != "label":
        return names.index("label")
    return None


def _cell(term: object, names: dict[str, str] | None = None) -> Cell:
    text = plain(term)
    if isinstance(term, NamedNode):
        shown = (names or {}).get(text) or compact(text)
        return Cell(shown, f"/id/{slug_of(text)}" if text.startswith(SSBID) else "")
    if isinstance(term, Literal) and term.datatype.value.startswith(XSD) and _NUMERIC.match(term.datatype.value):
        return Cell(text, number=True)
    return Cell(text)


_NUMERIC = re.compile(r".*#(integer|decimal|double|float|int|long)$")
