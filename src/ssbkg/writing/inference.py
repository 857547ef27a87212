"""`ssbkg infer`: derived graphs rebuilt from the rest, never edited by hand.

The rules are CONSTRUCT queries in queries/rules/. Each run reads the published graphs other than the
derived ones, so running it twice gives the same graphs, and a derived graph whose content would not
change is not written again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pyoxigraph as ox

from ssbkg import resources
from ssbkg.gate.check import check
from ssbkg.io.rdf import ParsedRdf
from ssbkg.namespaces import ACCEPTED_GRAPH, INFERRED_GRAPH, RDF, SSB
from ssbkg.querying.catalogue import load_query
from ssbkg.stores import Store

ACCEPTED_RULE = "accepted-members"


@dataclass(frozen=True)
class Derived:
    graph: str
    triples: int
    changed: bool


def rules() -> list[str]:
    return sorted(p.stem for p in (resources.queries_dir() / "rules").glob("*.rq"))


DERIVED = frozenset({INFERRED_GRAPH, ACCEPTED_GRAPH})


def run_rule(store: Store, name: str, params: dict[str, str], without: Collection[str]) -> list[ox.Triple]:
    """A rule's conclusions from the published graphs other than `without`; nothing is written."""
    query = load_query(resources.queries_dir() / "rules" / f"{name}.rq", bundled=True)
    return store.construct(query.bind(params), without=without, written_order=True)


READING_OF = SSB + "readingOf"
ALTERNATIVE_TO = SSB + "alternativeTo"


def alternatives(inferred: list[ox.Triple]) -> list[ox.Triple]:
    """ssb:alternativeTo between the inferred assertions that fill the places one aggregate claim leaves
    open, for different candidates: at most one reading of the claim is what its source meant."""
    claim_of: dict[ox.NamedNode, ox.NamedNode] = {}
    subject_of: dict[ox.NamedNode, str] = {}
    for t in inferred:
        if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode):
            if t.predicate.value == READING_OF:
                claim_of[t.subject] = t.object
            elif t.predicate.value == RDF + "subject":
                subject_of[t.subject] = t.object.value
    by_claim: dict[ox.NamedNode, list[ox.NamedNode]] = {}
    for assertion, claim in claim_of.items():
        by_claim.setdefault(claim, []).append(assertion)
    out = []
    for group in by_claim.values():
        for a in group:
            for b in group:
                if subject_of.get(a) != subject_of.get(b):
                    out.append(ox.Triple(a, ox.NamedNode(ALTERNATIVE_TO), b))
    return out


def _write(store: Store, graph: str, triples: list[ox.Triple], *, agent: str | None) -> Derived:
    current = {g.graph for g in store.published()}
    old = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads([graph])} if graph in current else set()
    new = set(triples)
    if graph in current and old == new:
        return Derived(graph, len(new), changed=False)
    store.replace_graphs({graph: sorted(new, key=str)}, kind="derived", source="ssbkg infer", agent=agent)
    return Derived(graph, len(new), changed=True)


def infer(store: Store, *, min_certainty: str = "reported", agent: str | None = None) -> list[Derived]:
    """Rebuild the inferred assertions (through the gate), then the accepted membership view."""
    from ssbkg.stores.versioned import with_retries

    return with_retries(store, lambda: _infer(store, min_certainty=min_certainty, agent=agent), what="infer")


def _infer(store: Store, *, min_certainty: str, agent: str | None) -> list[Derived]:

    derived = DERIVED
    inferred: list[ox.Triple] = []
    for name in rules():
        if name != ACCEPTED_RULE:
            inferred += run_rule(store, name, {}, derived)
    inferred += alternatives(inferred)
    if inferred:
        check(store, [ParsedRdf("inferred assertions", default_graph=inferred)], replacing=derived)
    results = [_write(store, INFERRED_GRAPH, inferred, agent=agent)]
    accepted = run_rule(store, ACCEPTED_RULE, {"minCertainty": min_certainty}, {ACCEPTED_GRAPH})
    results.append(_write(store, ACCEPTED_GRAPH, accepted, agent=agent))
    return results
