"""The published graphs as a whole: listed, resolved from what a user types, dropped, exported with
the provenance of each (loading is in `loading`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from ssbkg.errors import InputError
from ssbkg.io.terms import text_of
from ssbkg.namespaces import PROV, PROVENANCE_GRAPH, RDF_TYPE, RDFS_LABEL, SSB, USER_GRAPH_BASE, XSD, compact
from ssbkg.stores import GraphInfo, QueryResult, Roles, Store, Term
from ssbkg.writing.targets import check_text, graph_for


def graph_table(store: Store) -> QueryResult:
    """The published graphs as rows: graph, kind, triples, loaded (UTC), by whom, source, version."""
    rows: list[tuple[Term | None, ...]] = [
        (
            ox.NamedNode(g.graph),
            ox.Literal(g.kind),
            ox.Literal(str(g.triples)),
            ox.Literal(g.loaded_at),
            ox.Literal(g.agent),
            ox.Literal(g.loaded_from),
            ox.NamedNode(g.version),
        )
        for g in store.published()
    ]
    roles = Roles(("graph",), ("triples", "loaded"), ("version", "source", "by", "kind"))
    return QueryResult(["graph", "kind", "triples", "loaded", "by", "source", "version"], rows, roles)


def resolve_graph(store: Store, name: str) -> str:
    published = {g.graph: g for g in store.published()}
    for candidate in (name, USER_GRAPH_BASE + name, graph_for(name)):
        if candidate in published:
            return candidate
    users = sorted(g for g, info in published.items() if info.kind == "user")
    raise InputError(
        f"no published graph {name!r}",
        hint="published user graphs: " + (", ".join(users) or "none") + " (see ssbkg graphs)",
    )


def drop(store: Store, name: str, *, agent: str | None = None, dry_run: bool = False, force: bool = False) -> GraphInfo:
    """Retire a user or derived graph (with dry_run, only find it); what it was. The history lists its
    assertions as removed, by `agent`. A graph that defines what other graphs' claims point at (the
    report a claim cites, the organization it is about) is dropped only with `force`: the rest would
    no longer pass the gate, and neither would a backup of it."""
    iri = resolve_graph(store, name)
    info = next(g for g in store.published() if g.graph == iri)
    if info.kind == "bundled":
        raise InputError(f"<{iri}> is a bundled graph", hint="bundled graphs are reloaded with ssbkg init --force")
    if agent is not None:
        check_text(agent, "agent")
    relying = [] if force else dependents(store, iri)
    if relying:
        shown = "; ".join(f"{compact(s)} {compact(p)} {compact(o)}" for s, p, o in relying[:5])
        more = f" and {len(relying) - 5:,} more" if len(relying) > 5 else ""
        raise InputError(
            f"{len(relying):,} statement{'s point' if len(relying) > 1 else ' points'} from other graphs at what "
            f"<{iri}> alone defines: {shown}{more}",
            hint="take those out of their graphs first, or drop it anyway with --force (ssbkg export -o "
            "backup.trig keeps a copy; a backup of a store in that state loads with --skip-validation)",
        )
    if not dry_run:
        from ssbkg.stores.versioned import with_retries

        with_retries(store, lambda: store.retire(iri, agent=agent), what="drop")
    return info


def dependents(store: Store, iri: str) -> list[tuple[str, str, str]]:
    """What other graphs say about the things only graph `iri` gives a type: (subject, predicate,
    object) with the object one of those things, subjects and objects as IRIs."""
    typed = {
        q.subject.value
        for q in store.quads([iri])
        if q.predicate.value == RDF_TYPE and isinstance(q.subject, ox.NamedNode)
    }
    out: list[tuple[str, str, str]] = []
    names = sorted(typed)
    for start in range(0, len(names), 500):  # a query of a sensible size, also for a server
        chunk = " ".join(f"<{n}>" for n in names[start : start + 500])
        found = store.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?o {{ {chunk} }} ?s ?p ?o FILTER NOT EXISTS {{ ?o a ?type }} }}",
            without=[iri],
        )
        out += sorted({(text_of(t.subject), t.predicate.value, text_of(t.object)) for t in found})
    return out


def export_quads(store: Store, graphs: Sequence[str] | None, *, provenance: bool = True) -> list[ox.Quad]:
    """The published content; with provenance, a graph saying who wrote each graph, when and from what."""
    selected = [resolve_graph(store, g) for g in graphs] if graphs else None
    quads = store.quads(selected)
    if provenance:
        quads += _provenance(g for g in store.published() if selected is None or g.graph in selected)
        if selected is None:  # a whole store: its history too, so that a restore keeps `changes`
            quads += store.history_quads(PROVENANCE_GRAPH)
    return quads


def _provenance(infos: Iterable[GraphInfo]) -> list[ox.Quad]:
    from ssbkg.stores.registry import agent_node

    prov, ssb, xsd = PROV, SSB, XSD
    where = ox.NamedNode(PROVENANCE_GRAPH)
    out = []
    for g in infos:
        node, who = ox.NamedNode(g.graph), agent_node(g.agent or "unknown")
        out += [
            ox.Quad(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(ssb + "ManagedGraph"), where),
            ox.Quad(node, ox.NamedNode(ssb + "graphKind"), ox.Literal(g.kind), where),
            ox.Quad(
                node,
                ox.NamedNode(prov + "generatedAtTime"),
                ox.Literal(g.loaded_at, datatype=ox.NamedNode(xsd + "dateTime")),
                where,
            ),
            ox.Quad(node, ox.NamedNode(ssb + "loadedFrom"), ox.Literal(g.loaded_from), where),
            ox.Quad(
                node,
                ox.NamedNode(ssb + "tripleCount"),
                ox.Literal(str(g.triples), datatype=ox.NamedNode(xsd + "integer")),
                where,
            ),
            ox.Quad(node, ox.NamedNode(prov + "wasAttributedTo"), who, where),
            ox.Quad(who, ox.NamedNode(RDF_TYPE), ox.NamedNode(prov + "Agent"), where),
        ]
        if g.agent:
            out.append(ox.Quad(who, ox.NamedNode(RDFS_LABEL), ox.Literal(g.agent), where))
    return out
