"""Loading files into graphs through the gate, all or nothing: parsed (and judged with what they
replace) or streamed (large files, no gate), each graph recorded with its source and agent."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ssbkg.errors import InputError, NotConformant
from ssbkg.gate.check import check
from ssbkg.io.rdf import ParsedRdf
from ssbkg.namespaces import (
    DERIVED_BASE,
)
from ssbkg.stores import Store
from ssbkg.writing import duplicates
from ssbkg.writing.targets import check_graph_iri, check_identity, check_text, graph_for, plan_load, source_of

if TYPE_CHECKING:
    from ssbkg.gate.results import Report


@dataclass(frozen=True)
class Loaded:
    graph: str
    source: str
    triples: int  # as read from the file
    stored: int = -1  # as the store holds them


def _quiet(_: str) -> None:
    pass


@dataclass(frozen=True)
class LoadOptions:
    """How a load writes, and who hears about it: `load_files`' keywords, passed on as one record.

    `graph` names the one file's graph; `replace` lets a file replace a graph another file loaded;
    `strict` makes the gate's warnings block; `agent` is who wrote it, for the history. `warn` hears
    the gate's warnings, `skipped` the assertions left out because they repeat a claim already recorded
    from the same source, `phase` what the load is doing ("validating 12,000 triples", "writing")."""

    graph: str | None = None
    validate: bool = True
    strict: bool = False
    replace: bool = False
    agent: str | None = None
    warn: Callable[[Report], None] | None = None
    skipped: Callable[[list[duplicates.Duplicate]], None] | None = None
    phase: Callable[[str], None] = _quiet


def load(store: Store, batches: Sequence[ParsedRdf], options: LoadOptions) -> list[Loaded]:
    """Validate the files together, then write each into its graph in one step; nothing on failure.
    A writer that loses the race to another validates and writes again (see stores/versioned.py)."""
    from ssbkg.stores.versioned import with_retries

    if options.agent is not None:
        check_text(options.agent, "agent")
    return with_retries(store, lambda: _load(store, batches, options), what="load")


def _load(store: Store, batches: Sequence[ParsedRdf], options: LoadOptions) -> list[Loaded]:
    phase = options.phase
    plan = plan_load(store, batches, options.graph, replace=options.replace)
    given = plan.batches()
    # The gate judges what the user gave, as `validate` does; only what passes can be a duplicate.
    if options.validate:
        size = sum(len(b.all_triples()) for b in given)
        phase(
            f"validating {size:,} triples against the shapes"
            + (" (--skip-validation for trusted bulk data)" if size > 100_000 else "")
        )
        try:
            check(store, given, replacing=plan.replacing, strict=options.strict, warn=options.warn)
        except NotConformant as e:
            if plan.logs:  # an ssbkg export: what it holds passed the gate when it was written
                e.hint = (
                    "this file is an ssbkg export (it carries its store's history); to restore it as it was, "
                    "load it into a new store with --skip-validation"
                )
            raise
    phase("checking for claims already recorded")
    # A derived graph is what `infer` made of the rest, alternatives for one slot included: kept whole.
    claimed = [b for b in given if not any(g.startswith(DERIVED_BASE) for g in b.named_graphs)]
    found = duplicates.find(store, claimed, without=plan.replacing)
    if found:
        plan.leave_out(found)
        if options.skipped is not None:
            options.skipped(found)
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
    stored = store.replace_graphs(graphs, kind=kinds, source=sources, agent=options.agent, baseline=baseline)
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
    the rest are parsed once, gated together and written in one step (`LoadOptions` says what the
    options do; `progress` hears the bytes read)."""
    from ssbkg.io.rdf import STREAMABLE, read_rdf, syntax_for

    for name in files:
        check_text(name, "file name")
    if graph is not None and len(files) > 1:
        raise InputError("--graph names one graph, but several files were given", hint="load them one by one")
    streamable = [f for f in files if f != "-" and syntax_for(f, syntax) in STREAMABLE]
    options = LoadOptions(graph, validate, strict, replace, agent, warn, skipped, phase or _quiet)
    if not validate and len(streamable) == len(files):
        return _stream_files(store, files, options, syntax=syntax, progress=progress)
    parsed = []
    for f in files:
        options.phase(f"reading {f}")
        parsed.append(read_rdf(f, syntax=syntax))
    if progress is not None:
        progress(sum(Path(f).stat().st_size for f in files if f != "-"))
    return load(store, parsed, options)


def validate_files(
    store: Store, files: Sequence[str], *, syntax: str | None = None, graph: str | None = None, replace: bool = False
) -> Report:
    """The gate's verdict on files as `load` would write them with the same `graph` and `replace`, with
    the store's content as context; nothing is written. What `load` would refuse before its gate (a
    graph another file holds) is refused here in the same words."""
    from ssbkg.io.rdf import read_rdf

    if graph is not None and len(files) > 1:
        raise InputError("--graph names one graph, but several files were given", hint="validate them one by one")
    return _verdict(store, [read_rdf(f, syntax=syntax) for f in files], graph=graph, replace=replace)


def _stream_files(
    store: Store,
    files: Sequence[str],
    options: LoadOptions,
    *,
    syntax: str | None,
    progress: Callable[[int], None] | None,
) -> list[Loaded]:
    from ssbkg.io.rdf import stream_triples
    from ssbkg.stores.versioned import with_retries

    graph, agent = options.graph, options.agent
    if agent is not None:
        check_text(agent, "agent")
    targets: dict[str, str] = {}
    for name in files:
        target = check_graph_iri(graph if graph is not None else graph_for(name))
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
        check_identity(store, sources, replace=options.replace)
        return store.stream_graphs({t: counted(t) for t in targets}, kind="user", source=sources, agent=agent)

    counts = with_retries(store, attempt, what="load")
    return [Loaded(t, name, read[t], counts[t]) for t, name in targets.items()]


def _verdict(store: Store, batches: Sequence[ParsedRdf], *, graph: str | None = None, replace: bool = True) -> Report:
    """The gate's verdict on files as `load` would write them (judged with what they would replace)."""
    from ssbkg.gate.shacl import validate as run_gate

    plan = plan_load(store, batches, graph, replace=replace)
    return run_gate(plan.batches(), store, replacing=plan.replacing)
