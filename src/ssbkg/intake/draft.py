"""An article made into a draft for review: `intake` reads it, finds the store's names in it, drafts a
row per claim (drafting.py), and says of each row whether the store already records it (`recorded`),
records it with other values (`conflicts`) or not at all (`new`). The draft's CSV has the columns
`claim --from-csv` reads, plus `status` and `evidence`; nothing is written to the store."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from ssbkg.errors import InputError
from ssbkg.intake import drafting, finding, reading
from ssbkg.io.terms import text_of, whole_number
from ssbkg.namespaces import SSB, compact, sparql_prologue, values
from ssbkg.querying.resolve import resolve
from ssbkg.stores import Store
from ssbkg.vocab import PREDICATES, confidence_for
from ssbkg.writing.claim_triples import FIELDS, REVIEW

COLUMNS = (*FIELDS, *REVIEW)


@dataclass
class Draft:
    article: reading.Article
    report: str = ""  # the store's report of this article (by its URL), if there is one
    publisher: str = ""  # the store's publisher, if the article's is known
    grade: str = ""
    relayed: str = ""  # the origin's report the article relays, if the store has it
    rows: list[drafting.Row] = field(default_factory=list)
    skipped: list[drafting.Skipped] = field(default_factory=list)
    new_names: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)  # what the draft asks the analyst for
    notes: list[str] = field(default_factory=list)


def intake(
    store: Store,
    source: str,
    *,
    headline: str | None = None,
    date: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
    language: str | None = None,
    alliance: str | None = None,
) -> Draft:
    """The draft of the article `source` names (a file, `-` or a URL); the options override what the
    page says of itself, and `alliance` (a slug or name) is the one it is about where it names none."""
    article = reading.read(source)
    for name, given in (("headline", headline), ("date", date), ("publisher", publisher), ("url", url)):
        if given:
            setattr(article, name, given)
    if language:
        article.language = language
    found = Draft(article)
    if not article.text:
        found.notes.append(f"{article.where} holds no text an article would: nothing to draft")
        return found
    known = finding.names(store)
    mentions = finding.find(article.text, known)
    found.new_names = finding.new_names(article.text, mentions)
    found.report = _report_at(store, article.url)
    found.publisher, found.grade = _publisher_of(store, article, known, found.report)
    origin = drafting.origin(article.text, mentions)
    if origin is not None and origin.name.entity != found.publisher:
        found.relayed = _report_of(store, origin.name.entity, found.report)
        if not found.relayed:
            found.notes.append(f"it relays {origin.name.text}, whose report is not in the store: add it as primary")
    elif origin is None and (unknown := drafting.unknown_origin(article.text, mentions)):
        found.notes.append(f"it relays {unknown!r}, which the store does not know: add its report as primary")
    relayed = finding.Name(found.relayed, "report", "", "", "") if found.relayed else None
    about = _alliance_named(store, known, alliance) if alliance else _alliance_by_members(store, article.text, mentions)
    if about is not None and not alliance:
        found.notes.append(f"it names no alliance; the organizations it names are recorded members of {about.text}: "
                           "drafted as about it (give --alliance to choose another)")  # fmt: skip
    found.rows, found.skipped = drafting.draft(
        article.text,
        mentions,
        grade=found.grade,
        language=(article.language or "en")[:2],
        relayed=relayed,
        alliance=about,
    )
    _disputed(store, found)
    _mark_recorded(store, found)
    if not found.report:
        found.needs = [n for n in ("headline", "date", "publisher") if not getattr(article, n)]
        if article.publisher and not found.publisher:
            found.needs.append(f"publisher {article.publisher!r} is not in the store: add it")
    return found


def _alliance_named(store: Store, known: list[finding.Name], given: str) -> finding.Name:
    """The store's alliance that `--alliance` names (a slug, IRI or name, as every command reads one)."""
    try:
        iri = resolve(store, given, (SSB + "Alliance",), "alliance")
    except InputError as e:
        alliances = ", ".join(sorted({_slug(n.entity) for n in known if n.kind == "alliance"}))
        raise InputError(f"--alliance {given!r}: {e.message}", hint=f"the store knows: {alliances}") from None
    named = [n for n in known if n.entity == iri and n.kind == "alliance"]
    return named[0] if named else finding.Name(iri, "alliance", compact(iri), "name", "")


def _alliance_by_members(store: Store, text: str, mentions: list[finding.Mention]) -> finding.Name | None:
    """The alliance an article that speaks of one without naming it is about: the one of which at least
    three of the organizations it names, and two in three of them, are recorded members."""
    if any(m.name.kind == "alliance" for m in mentions) or not drafting.refers_to_alliance(text):
        return None
    named = sorted({m.name.entity for m in mentions if m.name.kind == "organization"})
    if len(named) < 3:
        return None
    organizations = values("o", [ox.NamedNode(o) for o in named])
    rows = store.select(
        sparql_prologue("rdf", "org", "ssb", "rdfs")
        + f"SELECT ?alliance (SAMPLE(?label) AS ?name) (COUNT(DISTINCT ?o) AS ?n) WHERE {{ {organizations} "
        "?a rdf:subject ?o ; rdf:predicate org:memberOf ; rdf:object ?alliance ; ssb:certainty ?level . "
        "FILTER (?level != ssb:Refuted) OPTIONAL { ?alliance rdfs:label ?label } } "
        "GROUP BY ?alliance ORDER BY DESC(?n) LIMIT 2"
    ).rows
    counts = [whole_number(text_of(r[2])) or 0 for r in rows]
    if not rows or counts[0] < 3 or 3 * counts[0] < 2 * len(named) or (len(counts) > 1 and counts[1] == counts[0]):
        return None
    alliance, label = text_of(rows[0][0]), text_of(rows[0][1]) if rows[0][1] is not None else ""
    return finding.Name(alliance, "alliance", label or compact(alliance), "recorded members", "")


def _report_at(store: Store, url: str) -> str:
    """The store's report whose URL is this one (http or https, with or without a final slash)."""
    if not url:
        return ""
    bare = url.split("#")[0].rstrip("/").removeprefix("https://").removeprefix("http://")
    forms = [_iri(f"{scheme}://{bare}{end}") for scheme in ("http", "https") for end in ("", "/")]
    iris = [f for f in forms if f is not None]
    if len(iris) < len(forms):
        return ""  # not an IRI (a space in a given --url): no report of the store has it
    rows = store.select(
        sparql_prologue("schema") + f"SELECT ?r WHERE {{ {values('u', iris)} ?r schema:url ?u }} LIMIT 1"
    ).rows
    return text_of(rows[0][0]) if rows and rows[0][0] is not None else ""


def _publisher_of(store: Store, article: reading.Article, known: list[finding.Name], report: str) -> tuple[str, str]:
    """The store's publisher of the article (its report's, its site name's, or the publisher of other
    reports on the same site), and that publisher's Admiralty grade."""
    candidates = []
    if report:
        candidates.append(f"<{report}> schema:publisher ?p .")
    site = finding.fold(article.publisher).strip()
    named = [n.entity for n in known if n.kind == "publisher" and site and finding.fold(n.text).strip() == site]
    candidates += [f"BIND (<{p}> AS ?p)" for p in named]
    host = urllib.parse.urlsplit(article.url).hostname or ""
    bare = host.removeprefix("www.")
    if host:
        candidates.append(
            f"?r schema:publisher ?p ; schema:url ?u . FILTER (CONTAINS(STR(?u), {_text('://' + bare)}) "
            f"|| CONTAINS(STR(?u), {_text('://www.' + bare)}))"
        )
    for where in candidates:
        rows = store.select(
            sparql_prologue("schema", "ssb")
            + f"SELECT ?p ?grade WHERE {{ {where} OPTIONAL {{ ?p ssb:reliability ?grade }} }} LIMIT 1"
        ).rows
        if rows and rows[0][0] is not None:
            return text_of(rows[0][0]), text_of(rows[0][1]) if rows[0][1] is not None else ""
    return "", ""


def _report_of(store: Store, publisher: str, citing: str) -> str:
    """The origin's report the article relays: the one of the publisher's that the article's report
    cites, else the one of its reports that other reports cite most."""
    rows = store.select(
        sparql_prologue("schema", "ssb")
        + f"SELECT ?r (COUNT(?by) AS ?n) WHERE {{ ?r schema:publisher <{publisher}> . OPTIONAL {{ ?by ssb:cites ?r }} "
        + (f"OPTIONAL {{ <{citing}> ssb:cites ?r BIND (1 AS ?own) }} " if citing else "")
        + "} GROUP BY ?r ORDER BY DESC(COUNT(?own)) DESC(?n) ?r LIMIT 1"
    ).rows
    return text_of(rows[0][0]) if rows and rows[0][0] is not None else ""


def _disputed(store: Store, found: Draft) -> None:
    """The rule's deduction for a claim the store already holds as contradicted (SVOLT's membership,
    which Battery Technology's "named five" disputes): 0.15 off, as the recorded claims have it."""
    for row in found.rows:
        predicate = PREDICATES.get(row.predicate, row.predicate)
        disputed = store.ask(
            sparql_prologue("rdf", "ssb")
            + f"ASK {{ ?a rdf:subject <{row.subject}> ; rdf:predicate <{predicate}> ; rdf:object <{row.object}> ; "
            "ssb:contradictedBy ?by }"
        )
        if disputed:
            row.confidence = confidence_for(row.certainty, found.grade, disputed=True)
            row.evidence += "; the store holds it as disputed: 0.15 off"


def _mark_recorded(store: Store, found: Draft) -> None:
    """Each row's status: recorded (the store has it from this report, with these values), conflicts
    (it has it with others) or new."""
    if not found.report:
        return
    for row in found.rows:
        predicate = PREDICATES.get(row.predicate, row.predicate)
        rows = store.select(
            sparql_prologue("rdf", "ssb", "prov")
            + f"SELECT ?a ?level ?c WHERE {{ ?a rdf:subject <{row.subject}> ; rdf:predicate <{predicate}> ; "
            f"rdf:object <{row.object}> ; prov:wasDerivedFrom <{found.report}> ; ssb:certainty ?level . "
            "OPTIONAL { ?a ssb:confidence ?c } }"
        ).rows
        if not rows:
            continue
        assertion, level, confidence = (text_of(t) if t is not None else "" for t in rows[0])
        same = level == SSB + row.certainty.capitalize()
        row.status = "recorded" if same else "conflicts"
        row.evidence += f"; the store has {compact(assertion)} ({compact(level)} {confidence})"


# ------------------------------------------------------------------------------------------ output


def to_csv(found: Draft) -> str:
    """The draft as `claim --from-csv` reads it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_rows(found))
    return out.getvalue()


def to_turtle(store: Store, found: Draft) -> str:
    """The draft's new claims as a Turtle file `load` takes: the triples `claim --from-csv` would write
    (the article's report, when it is new, and the assertions), built and gated; nothing written."""
    from ssbkg.writing.claim_triples import Claim
    from ssbkg.writing.claims import record

    claims = [
        Claim.from_row(row, f"draft row {n}") for n, row in enumerate(_rows(found), start=2) if row["status"] == "new"
    ]
    return record(store, claims, dry_run=True).turtle if claims else ""


def _rows(found: Draft) -> list[dict[str, str]]:
    """The draft's rows, in the columns of `claim --from-csv` and the review's."""
    article = found.article
    source = _slug(found.report) if found.report else ""
    new_report = {} if found.report else {
        "headline": article.headline, "date": article.date,
        "publisher": _slug(found.publisher) if found.publisher else article.publisher, "url": article.url,
    }  # fmt: skip
    needs = "; needs " + ", ".join(found.needs) if found.needs else ""
    return [
        {
            "subject": _slug(row.subject),
            "object": _slug(row.object),
            "predicate": row.predicate,
            "certainty": row.certainty,
            "confidence": row.confidence,
            "source": source,
            **new_report,
            "primary": _slug(row.primary) if row.primary else "",
            "quote": row.quote,
            "quote_lang": row.quote_lang,
            "note": "",
            "status": row.status,
            "evidence": row.evidence + needs,
        }
        for row in found.rows
    ]


def to_json(found: Draft) -> str:
    """The draft as objects: the rows with their mentions and offsets, what was skipped and why."""
    data = {
        "article": asdict(found.article) | {"text": None},
        "report": found.report,
        "publisher": found.publisher,
        "relays": found.relayed,
        "rows": [asdict(r) for r in found.rows],
        "skipped": [asdict(s) for s in found.skipped],
        "new_names": found.new_names,
        "needs": found.needs,
        "notes": found.notes,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _iri(text: str) -> ox.NamedNode | None:
    try:
        return ox.NamedNode(text)
    except ValueError:
        return None


def _text(text: str) -> str:
    """Text as a SPARQL literal, quoted by the engine's own rules (a page's host name is untrusted)."""
    return str(ox.Literal(text))


def _slug(iri: str) -> str:
    return compact(iri).removeprefix("ssbid:")
