"""Loading parsed files into graphs through the gate, retiring graphs, exporting published content."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ssbkg import duplicates
from ssbkg.errors import InputError
from ssbkg.gate.check import check
from ssbkg.namespaces import (
    BUNDLED_GRAPH_BASE,
    DERIVED_BASE,
    GRAPH_BASE,
    HISTORY_BASE,
    PROVENANCE_GRAPH,
    USER_GRAPH_BASE,
)
from ssbkg.rdfio import ParsedRdf
from ssbkg.stores import Store

if TYPE_CHECKING:
    from ssbkg.gate.shacl import Report

_RESERVED = (
    BUNDLED_GRAPH_BASE,
    GRAPH_BASE + "history/",
    GRAPH_BASE + "registry",
    GRAPH_BASE + "version/",
    GRAPH_BASE + "derived/",
    PROVENANCE_GRAPH,
)


# Graphs that commands write by appending: a file never replaces them (that would undo every claim
# or retraction recorded); `claim`, `retract` and `infer` are the way in.
OWNED = {
    USER_GRAPH_BASE + "claims": "ssbkg claim",
    USER_GRAPH_BASE + "retractions": "ssbkg retract",
}


@dataclass(frozen=True)
class Loaded:
    graph: str
    source: str
    triples: int  # as read from the file
    stored: int = -1  # as the store holds them


def graph_for(name: str) -> str:
    """The default graph of a file: its name without extension, as a slug under the user graph base.
    Letters of any script are kept (an IRI may hold them), so 宁德时代.ttl and 比亚迪.ttl stay apart."""
    check_text(name, "file name")
    stem = "stdin" if name == "<stdin>" else Path(name).stem
    slug = re.sub(r"[\W_]+", "-", stem.lower()).strip("-")
    if not slug:
        raise InputError(
            f"cannot name a graph after the file {name!r}: it has no letter or digit",
            hint="give the graph a name with --graph IRI, or rename the file",
        )
    return USER_GRAPH_BASE + slug


def check_text(value: str, what: str) -> str:
    """Refuse text that cannot be stored: a file name or agent in another encoding than UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            f"the {what} {value.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')!r} is not UTF-8",
            hint=f"rename it so that the {what} is valid UTF-8",
        ) from None
    return value


def source_of(name: str) -> str:
    """What the registry records as a file's source: its absolute path, which tells two files apart."""
    if name in ("-", "<stdin>"):
        return "<stdin>"
    return str(Path(name).absolute())


def _check_graph_iri(iri: str, *, named_in: str | None = None) -> str:
    if not iri.strip():
        raise InputError("--graph is empty", hint="give a full IRI like https://example.org/g, or leave --graph out")
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise InputError(
            f"--graph {iri!r} is not a valid IRI", hint="give a full IRI like https://example.org/g"
        ) from None
    if iri.startswith(_RESERVED):
        if named_in is not None:
            raise InputError(
                f"{named_in} names the graph <{iri}>, which ssbkg keeps for its own use"
                + (" and which differs from this store's" if iri.startswith(BUNDLED_GRAPH_BASE) else ""),
                hint="load the file's other graphs on their own, or give a bundled graph's changes as a file "
                "of their own (ssbkg init --force reloads the bundled graphs)",
            )
        raise InputError(f"graph <{iri}> is reserved for ssbkg's own graphs", hint="choose another graph IRI")
    if iri in OWNED:
        raise InputError(
            f"graph <{iri}> is written by `{OWNED[iri]}`; loading a file would replace what it recorded",
            hint="give the file another graph with --graph IRI (or another file name); "
            f"add to <{iri}> with `{OWNED[iri]}`",
        )
    return iri


def _same_source(recorded: str, source: str) -> bool:
    # Stores made before 0.3.0 recorded the name as typed, several files joined by ", ".
    return any(r == source or source_of(r) == source for r in recorded.split(", "))


def check_identity(store: Store, sources: Mapping[str, str], *, replace: bool) -> None:
    """Refuse to replace a graph that another file loaded, unless the user said --replace."""
    if replace:
        return
    published = {g.graph: g for g in store.published()}
    for graph, source in sources.items():
        held = published.get(graph)
        if held is not None and held.kind == "user" and not _same_source(held.loaded_from, source):
            raise InputError(
                f"<{graph}> already holds {held.loaded_from} (loaded {held.loaded_at} by {held.agent or 'unknown'}); "
                f"loading {source} would replace it",
                hint="give --graph IRI to load it beside, or --replace to replace it on purpose",
            )


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
    replace: bool = False,
    phase: Callable[[str], None] | None = None,
) -> list[Loaded]:
    """Validate the files together, then write each into its graph in one step; nothing on failure.
    `phase` hears what it is doing ("validating 12,000 triples", "writing"), for a person waiting.

    A graph another file loaded is replaced only with `replace`. Assertions that pass the gate and
    repeat a claim already recorded from the same source are left out (`skipped`). A writer that
    loses the race to another validates and writes again (see stores/versioned.py)."""
    from ssbkg.stores.versioned import with_retries

    if agent is not None:
        check_text(agent, "agent")

    def attempt() -> list[Loaded]:
        return _load(
            store,
            batches,
            graph=graph,
            validate=validate,
            strict=strict,
            warn=warn,
            agent=agent,
            skipped=skipped,
            replace=replace,
            phase=phase or (lambda _: None),
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
    replace: bool,
    phase: Callable[[str], None],
) -> list[Loaded]:
    plan = _plan(store, batches, graph, replace=replace)
    given = plan.batches()
    # The gate judges what the user gave, as `validate` does; only what passes can be a duplicate.
    if validate:
        size = sum(len(b.all_triples()) for b in given)
        phase(
            f"validating {size:,} triples against the shapes"
            + (" (--skip-validation for trusted bulk data)" if size > 100_000 else "")
        )
        check(store, given, replacing=plan.replacing, strict=strict, warn=warn)
    phase("checking for claims already recorded")
    # A derived graph is what `infer` made of the rest, alternatives for one slot included: kept whole.
    claimed = [b for b in given if not any(g.startswith(DERIVED_BASE) for g in b.named_graphs)]
    found = duplicates.find(store, claimed, without=plan.replacing)
    if found:
        plan.leave_out(found)
        if skipped is not None:
            skipped(found)
    read = {iri: len(triples) for iri, (_, triples) in plan.targets.items()}
    plan.without_bundled(store)
    if not plan.targets:
        return []
    graphs = {iri: plan.merged.get(iri, []) + triples for iri, (_, triples) in plan.targets.items()}
    sources = {iri: source_of(name) for iri, (name, _) in plan.targets.items()}
    kinds = {iri: "derived" if iri.startswith(DERIVED_BASE) else "user" for iri in plan.targets}
    baseline = None
    if plan.logs:
        # A backup: its history becomes this store's, and the graphs continue it where it ended.
        ended = store.import_history(plan.registry, plan.logs)
        current = {g.graph for g in store.published()}
        baseline = {g: state for g, state in ended.items() if g not in current}
    phase(f"writing {sum(len(g) for g in graphs.values()):,} triples")
    stored = store.replace_graphs(graphs, kind=kinds, source=sources, agent=agent, baseline=baseline)
    return [
        Loaded(iri, name, read[iri], stored.get(iri, len(triples))) for iri, (name, triples) in plan.targets.items()
    ]


def load_files(
    store: Store,
    files: Sequence[str],
    *,
    syntax: str | None = None,
    graph: str | None = None,
    validate: bool = True,
    progress: Callable[[int], None] | None = None,
    replace: bool = False,
    strict: bool = False,
    agent: str | None = None,
    warn: Callable[[Report], None] | None = None,
    skipped: Callable[[list[duplicates.Duplicate]], None] | None = None,
    phase: Callable[[str], None] | None = None,
) -> list[Loaded]:
    """Load files: unvalidated single-graph files are streamed (flat memory) and published together;
    the rest are parsed once, gated together and written in one step (see `load`, which says what the
    options do; `progress` hears the bytes read)."""
    from ssbkg.rdfio import STREAMABLE, read_rdf, syntax_for

    for name in files:
        check_text(name, "file name")
    if graph is not None and len(files) > 1:
        raise InputError("--graph names one graph, but several files were given", hint="load them one by one")
    streamable = [f for f in files if f != "-" and syntax_for(f, syntax) in STREAMABLE]
    if not validate and len(streamable) == len(files):
        return _stream_files(store, files, syntax=syntax, graph=graph, progress=progress, replace=replace, agent=agent)
    parsed = []
    for f in files:
        if phase is not None:
            phase(f"reading {f}")
        parsed.append(read_rdf(f, syntax=syntax))
    if progress is not None:
        progress(sum(Path(f).stat().st_size for f in files if f != "-"))
    return load(
        store,
        parsed,
        graph=graph,
        validate=validate,
        strict=strict,
        warn=warn,
        agent=agent,
        skipped=skipped,
        replace=replace,
        phase=phase,
    )


def validate_files(store: Store, files: Sequence[str], *, syntax: str | None = None) -> Report:
    """The gate's verdict on files as `load` would write them, with the store's content as context;
    nothing is written."""
    from ssbkg.rdfio import read_rdf

    return _verdict(store, [read_rdf(f, syntax=syntax) for f in files])


def _stream_files(
    store: Store,
    files: Sequence[str],
    *,
    syntax: str | None,
    graph: str | None,
    progress: Callable[[int], None] | None,
    replace: bool,
    agent: str | None,
) -> list[Loaded]:
    from ssbkg.rdfio import stream_triples
    from ssbkg.stores.versioned import with_retries

    if agent is not None:
        check_text(agent, "agent")
    targets: dict[str, str] = {}
    for name in files:
        target = _check_graph_iri(graph if graph is not None else graph_for(name))
        if target in targets:
            raise InputError(
                f"{targets[target]} and {name} would load into the same graph <{target}>",
                hint="give one of them another file name, or load them one by one with --graph",
            )
        targets[target] = name
    read = dict.fromkeys(targets, 0)

    def counted(target: str) -> Iterator[list[ox.Quad]]:
        read[target] = 0
        for chunk in stream_triples(Path(targets[target]), syntax=syntax, progress=progress):
            read[target] += len(chunk)
            yield chunk

    def attempt() -> dict[str, int]:
        sources = {t: source_of(name) for t, name in targets.items()}
        check_identity(store, sources, replace=replace)
        return store.stream_graphs({t: counted(t) for t in targets}, kind="user", source=sources, agent=agent)

    counts = with_retries(store, attempt, what="load")
    return [Loaded(t, name, read[t], counts[t]) for t, name in targets.items()]


@dataclass
class _Plan:
    targets: dict[str, tuple[str, list[ox.Triple]]]  # graph -> (the file it comes from, its triples)
    merged: dict[str, list[ox.Triple]]  # a graph a command owns -> what it holds now, kept beside the file's
    replacing: set[str]  # the graphs whose current content the write replaces
    registry: list[ox.Triple] = field(default_factory=list)  # an export's provenance: the history's versions
    logs: dict[str, list[ox.Triple]] = field(default_factory=dict)  # and what each version changed
    texts: dict[str, str] = field(default_factory=dict)  # each file's text as read, for line numbers

    def batches(self) -> list[ParsedRdf]:
        """What will be written, as parsed input (one per graph): what the gate judges."""
        return [
            ParsedRdf(name, named_graphs={iri: triples}, text=self.texts.get(name, ""))
            for iri, (name, triples) in self.targets.items()
        ]

    def without_bundled(self, store: Store) -> None:
        """Leave out the triples the bundled graphs hold: they are always there (`drop` cannot remove
        them), and a triple held twice would make every query that matches it count it twice (the
        engine reads the union of the graphs as a bag). A full export loads back this way."""
        published = store.published()
        bundled = [g.graph for g in published if g.kind == "bundled"]
        held = {duplicates.canonical(ox.Triple(q.subject, q.predicate, q.object)) for q in store.quads(bundled)}
        current = {g.graph for g in published}
        for iri, (name, triples) in list(self.targets.items()):
            if iri.startswith(DERIVED_BASE):
                continue
            kept = [t for t in triples if duplicates.canonical(t) not in held]
            if kept or iri in current or iri in self.merged:
                self.targets[iri] = (name, kept)
            else:
                del self.targets[iri]

    def leave_out(self, found: Collection[duplicates.Duplicate]) -> None:
        for iri, (name, triples) in list(self.targets.items()):
            (kept,) = duplicates.leave_out([ParsedRdf(name, triples)], {d.assertion for d in found})
            if kept.default_graph:
                self.targets[iri] = (name, kept.default_graph)
            else:
                del self.targets[iri]


def _plan(store: Store, batches: Sequence[ParsedRdf], graph: str | None, *, replace: bool) -> _Plan:
    """Which graph each part of the input goes into, and how.

    A file's default graph goes into the graph named after it (or --graph). The named graphs of a
    TriG or N-Quads file (an export) go where they say: a user graph is replaced; the claims and
    retractions graphs, which commands append to, are added to and never replaced; a derived graph
    is replaced (`infer` makes it again from the rest); a bundled graph equal to this store's is left
    alone. A graph another file loaded is replaced only with `replace`."""
    plan = _Plan({}, {}, set(), texts={b.name: b.text for b in batches})
    published = {g.graph: g for g in store.published()}
    for batch in batches:
        # An export's provenance graph and history graphs describe another store: not data, history.
        plan.registry += batch.named_graphs.get(PROVENANCE_GRAPH, [])
        plan.logs.update({g: t for g, t in batch.named_graphs.items() if g.startswith(HISTORY_BASE)})
        parts = {
            g: t for g, t in batch.named_graphs.items() if g != PROVENANCE_GRAPH and not g.startswith(HISTORY_BASE)
        }
        for iri, triples in parts.items():
            if iri.startswith(BUNDLED_GRAPH_BASE) and iri in published and _same_content(store, iri, triples):
                continue
            if iri in OWNED:
                plan.merged[iri] = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads([iri])]
            elif not iri.startswith(DERIVED_BASE):
                _check_graph_iri(iri, named_in=batch.name)
            _add_target(plan, iri, batch.name, triples)
        if batch.default_graph:
            iri = _check_graph_iri(graph if graph is not None else graph_for(batch.name))
            _add_target(plan, iri, batch.name, batch.default_graph)
    plan.replacing = set(plan.targets) - set(plan.merged)
    check_identity(
        store,
        {iri: source_of(name) for iri, (name, _) in plan.targets.items() if iri not in plan.merged},
        replace=replace,
    )
    return plan


def _add_target(plan: _Plan, iri: str, name: str, triples: list[ox.Triple]) -> None:
    if iri in plan.targets:
        raise InputError(
            f"{plan.targets[iri][0]} and {name} would load into the same graph <{iri}>",
            hint="give one of them another file name or --graph, or load them one by one",
        )
    plan.targets[iri] = (name, triples)


def _same_content(store: Store, graph: str, triples: Sequence[ox.Triple]) -> bool:
    """Whether a file's copy of a bundled graph holds what the store's does (blank nodes aside, which
    each parse names anew: those are compared by count)."""

    def key(ts: Iterable[ox.Triple]) -> tuple[set[ox.Triple], int]:
        ts = list(dict.fromkeys(ts))
        plain = {t for t in ts if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)}
        return plain, len(ts) - len(plain)

    held = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads([graph])]
    return key(held) == key(duplicates.canonical(t) for t in triples)


def _verdict(store: Store, batches: Sequence[ParsedRdf], *, graph: str | None = None) -> Report:
    """The gate's verdict on files as `load` would write them (judged with what they would replace)."""
    from ssbkg.gate.shacl import validate as run_gate

    plan = _plan(store, batches, graph, replace=True)
    return run_gate(plan.batches(), store, replacing=plan.replacing)
