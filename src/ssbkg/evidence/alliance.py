"""Everything the evidence report and the network picture show about one alliance, read from the
stored queries (so the page says what `ssbkg query` says) and from the rules, run without writing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from ssbkg.errors import InputError
from ssbkg.namespaces import ORG, RDF, RDFS, SSB
from ssbkg.querying.catalogue import find_query
from ssbkg.querying.resolve import resolve
from ssbkg.stores import Store
from ssbkg.writing import inference

ORG_MEMBER_OF = ORG + "memberOf"
RDFS_COMMENT = RDFS + "comment"


@dataclass
class Source:
    iri: str
    title: str
    publisher: str
    date: str
    url: str
    reliability: str
    available: bool


@dataclass
class Member:
    iri: str
    label: str
    certainty: str
    confidence: str
    status: str
    sources: int
    independent: int
    origins: str
    reliability: str
    known: str
    source_iris: list[str] = field(default_factory=list)
    readings: int = 0  # reports that read the origins themselves; a relay of a relay is not one more
    first_reported: str = ""  # the earliest date of a source that names it, as precise as that source


@dataclass
class Candidate:
    iri: str
    label: str
    certainty: str
    confidence: str
    source: str
    reasoning: str
    live: bool  # derived now by a rule, not read from a stored assertion
    alternatives: str = ""  # the candidates for the same open place under other readings


@dataclass
class Dispute:
    """One disputed claim: the sources that state it, those that contradict or refute it, the notes once."""

    subject: str
    subject_label: str
    predicate: str
    object: str
    object_label: str
    states: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Guess:
    """A candidate as the page shows it: once per candidate and reasoning, at its best confidence, with
    the number of reports of the aggregate claim it was drawn from."""

    candidate: Candidate
    reports: int


@dataclass(frozen=True)
class Denial:
    """A source that says an organization is not a member (a claim of certainty refuted): never a member."""

    organization: str
    label: str
    source: str
    denied_by: str  # the source's publisher, or its name
    date: str
    confidence: str


@dataclass
class Evidence:
    alliance: str
    label: str
    as_of: str  # the day asked for, or today
    min_certainty: str
    facts: list[tuple[str, str]]  # (property label, value)
    members: list[Member]
    conflicts: list[dict[str, str]]
    candidates: list[Candidate]
    sources: dict[str, Source]
    retracted: list[dict[str, str]] = field(default_factory=list)  # kept, struck through, with who and why
    denials: list[Denial] = field(default_factory=list)

    @cached_property
    def disputes(self) -> list[Dispute]:
        return disputes(self.conflicts)

    @cached_property
    def guesses(self) -> list[Guess]:
        return guesses(self.candidates)

    @cached_property
    def cited(self) -> list[Source]:
        """The sources the page cites that are known as reports, oldest first."""
        cited = cited_sources(self.members, self.conflicts, self.denials)
        found = [self.sources[i] for i in cited if i in self.sources]
        return sorted(found, key=lambda s: (s.date, s.publisher))


def disputes(conflicts: list[dict[str, str]]) -> list[Dispute]:
    """The conflicts query's rows (one per side and source) grouped by the claim they dispute; a claim
    is disputed only once both sides are known (as of a day, one side may not be published yet)."""
    claims: dict[tuple[str, str, str], Dispute] = {}
    for r in conflicts:
        key = (r["subject"], r["predicate"], r["object"])
        d = claims.setdefault(key, Dispute(key[0], "", key[1], key[2], ""))
        d.subject_label, d.object_label = r["subjectLabel"], r["objectLabel"]
        side = d.states if r["side"] == "states" else d.against
        if r["source"] not in side:
            side.append(r["source"])
        _add_note(d.notes, r["note"])
    return [d for d in claims.values() if d.states and d.against]


def _add_note(notes: list[str], note: str) -> None:
    """An analyst's note once: the contradicting side's note repeats it after "It says: ...", and each
    source of a side carries it again."""
    if not note or any(note in kept for kept in notes):
        return
    notes[:] = [kept for kept in notes if kept not in note] + [note]


def guesses(candidates: list[Candidate]) -> list[Guess]:
    """The same candidate from several relays of one aggregate claim, shown once at its best confidence."""
    best: dict[tuple[str, str], Guess] = {}
    for c in candidates:
        kept = best.setdefault((c.iri, c.reasoning), Guess(c, 0))
        if as_number(c.confidence) > as_number(kept.candidate.confidence):
            kept.candidate = c
        kept.reports += 1
    return list(best.values())


def as_number(text: str) -> float:
    """A confidence as a number; text that is none counts as 0."""
    try:
        return float(text)
    except ValueError:
        return 0.0


def _rows(store: Store, name: str, params: Mapping[str, str]) -> list[dict[str, str]]:
    return store.select(find_query(name).bind(params)).dicts()


def gather(store: Store, alliance: str, *, as_of: str | None = None, min_certainty: str | None = None) -> Evidence:
    iri = resolve(store, alliance, (SSB + "Alliance",), "alliance")  # as a query's parameter takes it: any name
    dated = {"asOf": as_of} if as_of else {}
    profile = _rows(store, "organization-profile", {"organization": iri, **dated})
    if not profile:
        raise InputError(f"nothing is known about {iri}", hint="find it by name: ssbkg find casip")
    level = {"minCertainty": min_certainty} if min_certainty else {}
    members_rows = _rows(store, "alliance-members", {"alliance": iri, **dated, **level})
    corroboration = {
        r["subject"]: r
        for r in _rows(store, "corroboration", {"alliance": iri, **dated})
        if r["predicate"] == ORG_MEMBER_OF
    }
    claims: dict[str, list[dict[str, str]]] = defaultdict(list)  # by member: read once, not once per member
    for r in _rows(store, "claims-by-source", {"alliance": iri, **dated}):
        if r["predicate"] == ORG_MEMBER_OF:
            claims[r["subject"]].append(r)
    members = []
    for r in members_rows:
        c = corroboration.get(r["member"], {})
        member = Member(
            r["member"],
            r["label"] or r["member"],
            r["certainty"],
            r["confidence"],
            r["status"],
            int(r["sourceCount"]),
            int(c.get("independentSources") or 0),
            c.get("origins", ""),
            r["reliability"],
            r["knownAsOf"],
        )
        member.source_iris = sorted({x["source"] for x in claims.get(r["member"], ())})
        member.readings = int(c.get("readings") or 0)
        dates = sorted(x["date"] for x in claims.get(r["member"], ()) if x["date"])
        member.first_reported = dates[0] if dates else ""
        members.append(member)
    parties = {m.iri for m in members} | {iri}
    conflicts = [
        r for r in _rows(store, "conflicts", dated) if iri in (r["subject"], r["object"]) and r["subject"] in parties
    ]
    denials = [
        Denial(r["organization"], r["label"], r["source"], r["deniedBy"], r["date"], r["confidence"])
        for r in _rows(store, "denials", {"alliance": iri, **dated})
    ]
    return Evidence(
        alliance=iri,
        label=_label(profile, iri),
        as_of=as_of or date.today().isoformat(),
        min_certainty=min_certainty or "refuted",
        facts=_facts(profile),
        members=members,
        conflicts=conflicts,
        candidates=_candidates(store, iri, as_of),
        sources=_sources(store, cited_sources(members, conflicts, denials)),
        retracted=_rows(store, "retractions", {"alliance": iri}),
        denials=denials,
    )


def cited_sources(members: list[Member], conflicts: list[dict[str, str]], denials: Sequence[Denial] = ()) -> list[str]:
    """The reports an alliance's page cites: its members', its disputes' and its denials' sources, in
    that order."""
    cited = [s for m in members for s in m.source_iris] + [r["source"] for r in conflicts]
    cited += [d.source for d in denials]
    return list(dict.fromkeys(cited))


# Up to this many reports are asked for one by one (a lookup each, 6 ms at 100,000 assertions); more
# at once (one query that reads every report: 2.6 s there, less than thousands of lookups).
ONE_BY_ONE = 64


def _sources(store: Store, cited: list[str]) -> dict[str, Source]:
    if len(cited) <= ONE_BY_ONE:
        rows = [r for report in cited for r in _rows(store, "reports", {"report": report})]
    else:
        wanted = set(cited)
        rows = [r for r in _rows(store, "reports", {}) if r["report"] in wanted]
    return {
        r["report"]: Source(
            r["report"], r["title"], r["publisher"], r["date"], r["url"], r["reliability"], r["available"] == "true"
        )
        for r in rows
    }


def _label(profile: list[dict[str, str]], iri: str) -> str:
    labels = [r["value"] for r in profile if r["aspect"] == "fact" and r["property"].endswith("#label")]
    return labels[0] if labels else iri.rsplit("/", 1)[-1]


_SHOWN = {
    "https://schema.org/description": "Description",
    "https://schema.org/foundingDate": "Founded",
    "https://schema.org/foundingLocation": "Where",
    SSB + "country": "Country",
    SSB + "goal": "Goal",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "Name",
    "http://www.w3.org/2000/01/rdf-schema#label": "Also called",
    "http://www.w3.org/2000/01/rdf-schema#comment": "Note",
}


def _facts(profile: list[dict[str, str]]) -> list[tuple[str, str]]:
    facts = [(_SHOWN[r["property"]], r["value"]) for r in profile if r["aspect"] == "fact" and r["property"] in _SHOWN]
    order = list(_SHOWN.values())
    return sorted(dict.fromkeys(facts), key=lambda f: order.index(f[0]))


def _candidates(store: Store, iri: str, as_of: str | None = None) -> list[Candidate]:
    """Stored guesses and inferences, and what the rules derive now (so a store never inferred shows them).

    As of a day, only the stored ones that could be known by then: the rules read everything there is."""
    out = [
        Candidate(
            r["candidate"],
            r["label"] or r["candidate"],
            r["certainty"],
            r["confidence"],
            r["sourceName"],
            r["reasoning"],
            False,
            r.get("alternatives", ""),
        )
        for r in _rows(store, "candidates", {"alliance": iri, **({"asOf": as_of} if as_of else {})})
    ]
    if as_of:
        return out
    stored = {(c.iri, c.reasoning) for c in out}
    labels: dict[str, str] = {}
    for rule in inference.rules():
        if rule == inference.ACCEPTED_RULE:
            continue
        triples = inference.run_rule(store, rule, {}, inference.DERIVED)
        by_node: dict[str, dict[str, str]] = {}
        for t in triples:
            by_node.setdefault(str(t.subject), {})[t.predicate.value] = str(getattr(t.object, "value", t.object))
        others: dict[str, set[str]] = {}
        for t in inference.alternatives(triples):
            others.setdefault(str(t.subject), set()).add(by_node.get(str(t.object), {}).get(RDF + "subject", ""))
        for node, props in by_node.items():
            if props.get(RDF + "object") != iri:
                continue
            candidate = props.get(RDF + "subject", "")
            if candidate not in labels:  # one profile query per candidate, not per conclusion
                labels[candidate] = _name(store, candidate)
            level = props.get(SSB + "certainty", "").rsplit("#", 1)[-1].lower()
            c = Candidate(
                candidate,
                labels[candidate],
                level,
                props.get(SSB + "confidence", ""),
                f"the rule {rule}",
                props.get(RDFS_COMMENT, ""),
                True,
            )
            c.alternatives = "; ".join(sorted(labels.get(o) or _name(store, o) for o in others.get(node, ()) if o))
            if (c.iri, c.reasoning) not in stored:
                out.append(c)
    return out


def _name(store: Store, iri: str) -> str:
    rows = _rows(store, "organization-profile", {"organization": iri})
    return _label(rows, iri) if rows else iri.rsplit("/", 1)[-1]
