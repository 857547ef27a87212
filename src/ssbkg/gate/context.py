"""What of the store the gate reads beside a batch: the nodes the batch points at, whole ssb:cites
chains, the reports that cite its nodes, and the store's assertions whose validity the batch can change.
Read in chunks of VALUES, so that a batch of any size costs queries in proportion to it."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

import pyoxigraph as ox

from ssbkg.namespaces import PROV, SSB, sparql_prologue, values
from ssbkg.stores import Store

_CHUNK = 400


def reach(
    store: Store, batch: Sequence[ox.Triple], without: Collection[str], gone: Collection[str] = ()
) -> tuple[list[ox.Triple], set[str]]:
    """The part of the store the shapes can reach from the batch, and the existing nodes to re-check.

    The shapes read, from a focus node, the triples of the nodes it points at (types, dates, publishers),
    whole ssb:cites chains, and the reports that cite it. One store node's validity can change when a
    batch adds triples to another: an assertion whose source or primary source gains a date. Those
    assertions are checked again, with their own context; so are those that cite a node the write
    takes away (`gone`: defined only in a graph being replaced, and not in the batch).
    """
    subjects = {t.subject.value for t in batch if isinstance(t.subject, ox.NamedNode)}
    fetched = _iris(batch)
    triples = _about(store, sorted(fetched), without)
    # Nodes already in the store that the batch adds to: what they point at is context too.
    pointed = _iris(t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value in subjects)
    triples += _about(store, sorted(pointed - fetched), without)
    dependants = _dependants(store, sorted(subjects | set(gone)), without)
    if dependants:
        around = _about(store, sorted(dependants), without)
        triples += around + _about(store, sorted(_iris(around) - dependants), without)
    focus = subjects | dependants
    own = [*batch, *(t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value in focus)]
    return triples + _cites(store, own, subjects, without), dependants


def _chunks(iris: Sequence[str], name: str = "s") -> Iterable[str]:
    """VALUES blocks of `name`, _CHUNK IRIs each."""
    for i in range(0, len(iris), _CHUNK):
        yield values(name, (ox.NamedNode(iri) for iri in iris[i : i + _CHUNK]))


def _about(store: Store, iris: Sequence[str], without: Collection[str]) -> list[ox.Triple]:
    out: list[ox.Triple] = []
    for block in _chunks(iris):
        # The nodes' triples, and those of blank nodes they point at (an aggregate claim's object).
        out.extend(
            store.construct(
                f"CONSTRUCT {{ ?s ?p ?o . ?o ?q ?v }} WHERE {{ {block} ?s ?p ?o "
                "OPTIONAL { FILTER (isBlank(?o)) ?o ?q ?v } }",
                without=without,
            )
        )
    return out


_SOURCE_LINKS = {
    PROV + "wasDerivedFrom",
    PROV + "hadPrimarySource",
    SSB + "cites",
}


def _cites(store: Store, triples: Sequence[ox.Triple], subjects: set[str], without: Collection[str]) -> list[ox.Triple]:
    """Whole ssb:cites chains from the sources the triples name, and the reports that cite their subjects."""
    starts = sorted(
        subjects
        | {t.object.value for t in triples if t.predicate.value in _SOURCE_LINKS and isinstance(t.object, ox.NamedNode)}
    )
    out: list[ox.Triple] = []
    for block in _chunks(starts):
        out.extend(
            store.construct(
                sparql_prologue("ssb") + f"CONSTRUCT {{ ?c ssb:cites ?s }} WHERE {{ {block} ?c ssb:cites ?s }}",
                without=without,
            )
        )
    # Followed hop by hop: a property path (ssb:cites+) from many starts made Oxigraph walk every chain.
    seen: set[str] = set()
    frontier = set(starts)
    while frontier:
        seen |= frontier
        found: list[ox.Triple] = []
        for block in _chunks(sorted(frontier)):
            found.extend(
                store.construct(
                    sparql_prologue("ssb") + f"CONSTRUCT {{ ?s ssb:cites ?b . ?b ?p ?o }} WHERE {{ "
                    f"{block} ?s ssb:cites ?b . ?b ?p ?o }}",
                    without=without,
                )
            )
        out.extend(found)
        frontier = {t.subject.value for t in found if isinstance(t.subject, ox.NamedNode)} - seen
    return out


def _dependants(store: Store, subjects: Sequence[str], without: Collection[str]) -> set[str]:
    found: set[str] = set()
    for block in _chunks(subjects, "x"):
        for t in store.construct(
            sparql_prologue("prov") + f"CONSTRUCT {{ ?y prov:wasDerivedFrom ?x }} WHERE {{ "
            f"{block} ?y prov:wasDerivedFrom|prov:hadPrimarySource ?x }}",
            without=without,
        ):
            if isinstance(t.subject, ox.NamedNode):
                found.add(t.subject.value)
    return found - set(subjects)


def _iris(triples: Iterable[ox.Triple]) -> set[str]:
    out: set[str] = set()
    for t in triples:
        for term in (t.subject, t.object):
            if isinstance(term, ox.NamedNode):
                out.add(term.value)
    return out
