"""The list of changes each version carries: every assertion it added, changed or removed, one
triple each (``<assertion> h:added "digest subject predicate object source certainty confidence"``),
computed by comparing a summary of each assertion before and after the write.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence

from pyoxigraph import Literal, NamedNode, Triple

from ssbkg.io.terms import text_of
from ssbkg.namespaces import HIST, PROV, RDF, SSB, values
from ssbkg.stores.base import Summary


# The assertions of a slot, each triple of theirs: what a version's history is computed from.
def assertion_triples(slots: Sequence[str]) -> str:
    graphs = values("slot", (NamedNode(s) for s in slots))
    return f"SELECT ?a ?p ?o WHERE {{ {graphs} GRAPH ?slot {{ ?a a <{SSB}Assertion> . ?a ?p ?o }} }}"


def summaries(rows: Iterable[tuple[str, str, str]]) -> dict[str, Summary]:
    """Each assertion's Summary from (assertion, predicate, object) rows in N-Triples form."""
    lines: dict[str, list[str]] = {}
    for a, p, o in rows:
        lines.setdefault(_iri(a), []).append(f"{p} {o}")
    return {a: summary(pairs) for a, pairs in lines.items()}


def summary(pairs: Iterable[str]) -> Summary:
    """One assertion's Summary from its "predicate object" pairs in N-Triples form."""
    pairs = sorted(set(pairs))
    fields = dict(pair.split(" ", 1) for pair in pairs)
    subject, predicate, obj, source, certainty = (
        _iri(fields.get(f"<{k}>", ""))
        for k in (RDF + "subject", RDF + "predicate", RDF + "object", PROV + "wasDerivedFrom", SSB + "certainty")
    )
    confidence = re.sub(r'^"([^"]*)".*$', r"\1", fields.get(f"<{SSB}confidence>", ""))
    digest = hashlib.sha1("\n".join(pairs).encode(), usedforsecurity=False).hexdigest()[:16]
    # interned: a million summaries name a few thousand organizations, sources and labels
    named = (sys.intern(x) for x in (subject, predicate, obj, source, certainty, confidence))
    return Summary(digest, *named)


def _iri(term: str) -> str:
    return term[1:-1] if term.startswith("<") else term


def diff(old: Mapping[str, Summary], new: Iterable[tuple[str, Summary]]) -> Iterator[tuple[str, str, Summary]]:
    """(assertion, added|changed|removed, summary) for every assertion that differs; `new` is read
    once, as it comes, so that a load of a million assertions into a new graph holds none of them."""
    seen = set()
    for a, after in new:
        before = old.get(a)
        if old:
            seen.add(a)
        if before is None:
            yield a, "added", after
        elif before.digest != after.digest:
            yield a, "changed", after
    for a in sorted(old.keys() - seen):
        yield a, "removed", old[a]


def batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    """Lines in lists of at most `size`: a list of a million changes is never one string."""
    it = iter(lines)
    while batch := list(itertools.islice(it, size)):
        yield batch


def change_triples(changes: Iterable[tuple[str, str, Summary]]) -> Iterator[str]:
    """One N-Triples line per change: <assertion> h:added "digest subject predicate object source"."""
    return (f"{NamedNode(a)} <{HIST}{kind}> {Literal(' '.join(s))} ." for a, kind, s in changes)


def changes_of(log: str) -> str:
    return f"SELECT ?a ?kind ?what WHERE {{ GRAPH {NamedNode(log)} {{ ?a ?kind ?what }} }}"


def state_after(registry: Sequence[Triple], logs: Mapping[str, Sequence[Triple]]) -> dict[str, dict[str, Summary]]:
    """Each graph's assertions after every change of a history, in time order."""
    about: dict[str, dict[str, str]] = {}
    for t in registry:
        about.setdefault(text_of(t.subject), {})[t.predicate.value] = text_of(t.object)
    versions = sorted(
        (v for v, p in about.items() if SSB + "versionOf" in p),
        key=lambda v: (about[v].get(PROV + "generatedAtTime", ""), v),
    )
    state: dict[str, dict[str, Summary]] = {}
    for v in versions:
        graph = state.setdefault(about[v][SSB + "versionOf"], {})
        for t in logs.get(about[v].get(HIST + "changes", ""), ()):
            fields = (text_of(t.object).split(" ") + [""] * 7)[:7]
            if t.predicate.value == HIST + "removed":
                graph.pop(text_of(t.subject), None)
            else:
                graph[text_of(t.subject)] = Summary(*fields)
    return state
