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
    note: str = ""


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
        note = _what_changed(before, s) if logged.change == "changed" else ""
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
                note,
            )
        )
    out += _retractions(store, since, until)
    # By the moment, not the text, whatever form a server gave a time in.
    return sorted(out, key=lambda c: (_moment(c.when), c.change, c.assertion))


def _what_changed(before: Summary | None, after: Summary) -> str:
    """ "certainty reported -> speculative; confidence 0.7 -> 0.3", or "" if neither changed."""
    if before is None:
        return ""
    parts = []
    for name, old, new in (
        ("certainty", before.certainty.rsplit("#", 1)[-1].lower(), after.certainty.rsplit("#", 1)[-1].lower()),
        ("confidence", before.confidence, after.confidence),
    ):
        if old != new:
            parts.append(f"{name} {old or 'none'} -> {new or 'none'}")
    return "; ".join(parts) or "quote, primary source or note"


def _retractions(store: Store, since: date, until: date | None) -> list[Change]:
    rows = store.select(
        sparql_prologue("prov", "rdf", "rdfs")
        + "SELECT ?a ?when ?why ?who ?s ?p ?o ?src WHERE { ?a prov:wasInvalidatedBy ?r . ?r prov:atTime ?when ; "
        "rdfs:comment ?why . OPTIONAL { ?r prov:wasAssociatedWith/rdfs:label ?who } "
        # One pattern each: Oxigraph read a four-pattern OPTIONAL for every assertion (2.5 s at 100,000).
        "OPTIONAL { ?a rdf:subject ?s } OPTIONAL { ?a rdf:predicate ?p } OPTIONAL { ?a rdf:object ?o } "
        "OPTIONAL { ?a prov:wasDerivedFrom ?src } }"
    ).rows
    out = []
    for row in rows:
        a, when, why, who, s, p, o, src = (str(getattr(t, "value", "")) if t is not None else "" for t in row)
        day = _day(when)
        if day >= since and (until is None or day <= until):
            # In the form the registry's times have: Virtuoso gives 07:30:01.5Z for 07:30:01.500Z.
            stamp = re.sub(r"\.(\d{1,2})Z$", lambda m: "." + m.group(1).ljust(3, "0") + "Z", when)
            out.append(Change(stamp, "retracted", a, s, p, o, src, who, "", why))
    return out
