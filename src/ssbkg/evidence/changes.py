"""`ssbkg changes`: claims added, changed, removed or retracted in a period, with the source of each.

Read from the history the store keeps beside its content (each write lists the assertions it added,
changed or removed, with its time and agent; `prune` never removes it) and from the retractions graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ssbkg.namespaces import sparql_prologue
from ssbkg.stores import Store
from ssbkg.stores.base import Summary


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
    note: str = ""  # what it means: "recorded a denial", "corrected: certainty ...", a retraction's reason
    certainty: str = ""  # the claim's level after the change (before it, for a removal)
    confidence: str = ""


def _day(stamp: str) -> date:
    return _moment(stamp).date()


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def changes(store: Store, since: date, until: date | None = None) -> list[Change]:
    """What changed from `since` to `until` (both days included)."""
    out: list[Change] = []
    last: dict[str, Summary] = {}  # each assertion as it was before the change being read
    for logged in store.change_log():
        s = logged.summary
        before, last[logged.assertion] = last.get(logged.assertion), s
        day = _day(logged.when)
        if logged.kind == "bundled" or day < since or (until is not None and day > until):
            continue
        out.append(
            Change(
                logged.when,
                logged.change,
                logged.assertion,
                s.subject,
                s.predicate,
                s.object,
                s.source,
                logged.agent,
                logged.graph,
                _note(logged.change, before, s),
                _level(s.certainty),
                s.confidence,
            )
        )
    out += _retractions(store, since, until)
    # By the moment, not the text, whatever form a server gave a time in.
    return sorted(out, key=lambda c: (_moment(c.when), c.change, c.assertion))


# What recording a claim of each level means to a reader (the rest are "recorded a claim").
_RECORDED = {"refuted": "recorded a denial", "speculative": "recorded a guess", "inferred": "derived by a rule"}


def _level(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].lower()


def _note(change: str, before: Summary | None, after: Summary) -> str:
    if change == "added":
        return _RECORDED.get(_level(after.certainty), "recorded a claim")
    if change == "changed":
        return "corrected: " + _what_changed(before, after)
    return "removed with its graph" if change == "removed" else ""


def _what_changed(before: Summary | None, after: Summary) -> str:
    """ "certainty reported -> speculative; confidence 0.7 -> 0.3", or "" if neither changed."""
    if before is None:
        return ""
    parts = []
    for name, old, new in (
        ("certainty", _level(before.certainty), _level(after.certainty)),
        ("confidence", before.confidence, after.confidence),
    ):
        if old != new:
            parts.append(f"{name} {old or 'none'} -> {new or 'none'}")
    return "; ".join(parts) or "quote, primary source or note"


def _retractions(store: Store, since: date, until: date | None) -> list[Change]:
    rows = store.select(
        sparql_prologue("prov", "rdf", "rdfs", "ssb") + "SELECT ?a ?when ?why ?who ?s ?p ?o ?src ?level ?conf WHERE { "
        "?a prov:wasInvalidatedBy ?r . ?r prov:atTime ?when ; rdfs:comment ?why . "
        "OPTIONAL { ?r prov:wasAssociatedWith/rdfs:label ?who } "
        # One pattern each: Oxigraph read a four-pattern OPTIONAL for every assertion (2.5 s at 100,000).
        "OPTIONAL { ?a rdf:subject ?s } OPTIONAL { ?a rdf:predicate ?p } OPTIONAL { ?a rdf:object ?o } "
        "OPTIONAL { ?a prov:wasDerivedFrom ?src } OPTIONAL { ?a ssb:certainty ?level } "
        "OPTIONAL { ?a ssb:confidence ?conf } }"
    ).rows
    out = []
    for row in rows:
        a, when, why, who, s, p, o, src, level, conf = (
            str(getattr(t, "value", "")) if t is not None else "" for t in row
        )
        day = _day(when)
        if day >= since and (until is None or day <= until):
            # In the form the registry's times have: Virtuoso gives 07:30:01.5Z for 07:30:01.500Z.
            stamp = re.sub(r"\.(\d{1,2})Z$", lambda m: "." + m.group(1).ljust(3, "0") + "Z", when)
            out.append(Change(stamp, "retracted", a, s, p, o, src, who, "", why, _level(level), conf))
    return out
