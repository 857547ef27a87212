"""Loading parsed files into graphs through the gate, retiring graphs, exporting published content."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ssbkg import duplicates
from ssbkg.errors import InputError, NotConformant
from ssbkg.params import XSD
from ssbkg.rdfio import ParsedRdf
from ssbkg.resources import BUNDLED_GRAPH_BASE, GRAPH_BASE, USER_GRAPH_BASE
from ssbkg.stores import GraphInfo, QueryResult, Store, Term

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

if TYPE_CHECKING:
    from ssbkg.validation import Report

PROVENANCE_GRAPH = GRAPH_BASE + "provenance"
_RESERVED = (
    BUNDLED_GRAPH_BASE,
    GRAPH_BASE + "registry",
    GRAPH_BASE + "version/",
    GRAPH_BASE + "derived/",
    PROVENANCE_GRAPH,
)


@dataclass(frozen=True)
class Loaded:
    graph: str
    source: str
    triples: int  # as read from the file
    stored: int = -1  # as the store holds them


def graph_for(name: str) -> str:
    """The default graph of a file: its name without extension, as a slug under the user graph base."""
    stem = "stdin" if name == "<stdin>" else Path(name).stem
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "graph"
    return USER_GRAPH_BASE + slug


def _check_graph_iri(iri: str) -> str:
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise InputError(
            f"--graph {iri!r} is not a valid IRI", hint="give a full IRI like https://example.org/g"
        ) from None
    if iri.startswith(_RESERVED):
        raise InputError(f"graph <{iri}> is reserved for ssbkg's own graphs", hint="choose another graph IRI")
    return iri


def load(
    store: Store,
    batches: Sequence[ParsedRdf],
    *,
    graph: str | None = None,
    validate: bool = True,
    strict: bool = False,
    warn: Callable[[Report], None] | None = None,
    agent: str | None = None,
    skipped: Callable[[list[duplicates.Duplicate]], None] | None = None,
) -> list[Loaded]:
    """Validate the files together, then write each into its graph in one step; nothing on failure.

    Assertions that repeat a claim already recorded from the same source are left out (`skipped`). A
    writer that loses the race to another validates and writes again (see stores/versioned.py)."""
    from ssbkg.stores.versioned import with_retries

    def attempt() -> list[Loaded]:
        return _load(
            store, batches, graph=graph, validate=validate, strict=strict, warn=warn, agent=agent, skipped=skipped
        )

    return with_retries(store, attempt, what="load")


def _load(
    store: Store,
    batches: Sequence[ParsedRdf],
    *,
    graph: str | None,
    validate: bool,
    strict: bool,
    warn: Callable[[Report], None] | None,
    agent: str | None,
    skipped: Callable[[list[duplicates.Duplicate]], None] | None,
) -> list[Loaded]:
    targets = _targets(batches, graph)
    found = duplicates.find(store, batches, without=set(targets))
    if found:
        batches = duplicates.leave_out(batches, {d.assertion for d in found})
        if skipped is not None:
            skipped(found)
    targets = _targets(batches, graph)
    loaded = [Loaded(iri, source, len(triples)) for iri, (source, triples) in targets.items()]
    if validate:
        gate(store, batches, replacing=set(targets), strict=strict, warn=warn)
    graphs = {iri: triples for iri, (_, triples) in targets.items()}
    if not graphs:
        return []
    stored = store.replace_graphs(graphs, kind="user", source=", ".join(b.name for b in batches), agent=agent)
    return [Loaded(item.graph, item.source, item.triples, stored.get(item.graph, item.triples)) for item in loaded]


def load_files(
    store: Store,
    files: Sequence[str],
    *,
    syntax: str | None = None,
    graph: str | None = None,
    validate: bool = True,
    progress: Callable[[int], None] | None = None,
    **options: Any,
) -> list[Loaded]:
    """Load files: unvalidated single-graph files are streamed (flat memory); the rest are parsed once,
    gated together and written in one step (see `load`)."""
    from ssbkg.rdfio import STREAMABLE, read_rdf, stream_triples, syntax_for

    if graph and len(files) > 1:
        raise InputError("--graph names one graph, but several files were given", hint="load them one by one")
    streamable = [f for f in files if f != "-" and syntax_for(f, syntax) in STREAMABLE]
    if not validate and len(streamable) == len(files):
        from ssbkg.stores.versioned import with_retries

        loaded = []
        for name in files:
            target = _check_graph_iri(graph or graph_for(name))
            read = [0]

            def counted(chunks: Iterable[list[ox.Quad]], read: list[int] = read) -> Iterator[list[ox.Quad]]:
                read[0] = 0
                for chunk in chunks:
                    read[0] += len(chunk)
                    yield chunk

            def attempt(name: str = name, target: str = target, read: list[int] = read) -> int:
                chunks = counted(stream_triples(Path(name), syntax=syntax, progress=progress), read)
                return store.stream_graph(target, chunks, kind="user", source=name, agent=options.get("agent"))

            count = with_retries(store, attempt, what="load")
            loaded.append(Loaded(target, name, read[0], count))
        return loaded
    parsed = [read_rdf(f, syntax=syntax) for f in files]
    if progress is not None:
        progress(sum(Path(f).stat().st_size for f in files if f != "-"))
    return load(store, parsed, graph=graph, validate=validate, **options)


def gate(
    store: Store,
    batches: Sequence[ParsedRdf],
    *,
    replacing: Collection[str] = (),
    strict: bool = False,
    warn: Callable[[Report], None] | None = None,
) -> None:
    """Raise NotConformant unless the batches pass the SHACL gate; hand warnings to `warn`."""
    from ssbkg.validation import validate as run_gate

    report = run_gate(batches, store, replacing=replacing)
    if report.violations and report.passes(strict=strict) and warn is not None:
        warn(report)
    if not report.passes(strict=strict):
        names = ", ".join(dict.fromkeys(b.name for b in batches))
        raise NotConformant(report, f"{names} does not conform to the shapes; nothing was written")


def _targets(batches: Sequence[ParsedRdf], graph: str | None) -> dict[str, tuple[str, list[ox.Triple]]]:
    """Each graph the input loads into: the file it comes from and its triples."""
    targets: dict[str, tuple[str, list[ox.Triple]]] = {}
    for batch in batches:
        # An export's provenance graph describes graphs of another store: it is not data to load.
        parts = {g: t for g, t in batch.named_graphs.items() if g != PROVENANCE_GRAPH}
        if batch.default_graph:
            parts[graph or graph_for(batch.name)] = batch.default_graph
        for iri, triples in parts.items():
            _check_graph_iri(iri)
            if iri in targets:
                raise InputError(
                    f"two inputs would load into the same graph <{iri}>",
                    hint="give one of them another file name or --graph",
                )
            targets[iri] = (batch.name, triples)
    return targets


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
    return QueryResult(["graph", "kind", "triples", "loaded", "by", "source", "version"], rows)


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


def drop(store: Store, name: str) -> str:
    iri = resolve_graph(store, name)
    kind = next(g.kind for g in store.published() if g.graph == iri)
    if kind == "bundled":
        raise InputError(f"<{iri}> is a bundled graph", hint="bundled graphs are reloaded with ssbkg init --force")
    from ssbkg.stores.versioned import with_retries

    with_retries(store, lambda: store.retire(iri), what="drop")
    return iri


def export_quads(store: Store, graphs: Sequence[str] | None, *, provenance: bool = True) -> list[ox.Quad]:
    """The published content; with provenance, a graph saying who wrote each graph, when and from what."""
    selected = [resolve_graph(store, g) for g in graphs] if graphs else None
    quads = store.quads(selected)
    if provenance:
        quads += _provenance(g for g in store.published() if selected is None or g.graph in selected)
    return quads


def _provenance(infos: Iterable[GraphInfo]) -> list[ox.Quad]:
    from ssbkg.stores.registry import agent_node

    prov, ssb, xsd = "http://www.w3.org/ns/prov#", "https://w3id.org/ssbkg/ontology#", XSD
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
