"""Which graph a file goes into, and when a load may write there: names made from file names, the
graphs ssbkg keeps for itself or for its own commands, and the rule that one file never silently
replaces the graph another file loaded.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ssbkg.errors import InputError
from ssbkg.io.rdf import ParsedRdf
from ssbkg.namespaces import (
    BUNDLED_GRAPH_BASE,
    DERIVED_BASE,
    GRAPH_BASE,
    HISTORY_BASE,
    PROVENANCE_GRAPH,
    USER_GRAPH_BASE,
)
from ssbkg.stores import Store
from ssbkg.writing import duplicates

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


def check_graph_iri(iri: str, *, named_in: str | None = None) -> str:
    """The IRI a graph is given, refused if it is no IRI or a graph the user may not load into."""
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


@dataclass
class Plan:
    """Where each part of the input goes: what `load` writes and the gate judges."""

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


def plan_load(store: Store, batches: Sequence[ParsedRdf], graph: str | None, *, replace: bool) -> Plan:
    """Which graph each part of the input goes into, and how.

    A file's default graph goes into the graph named after it (or --graph). The named graphs of a
    TriG or N-Quads file (an export) go where they say: a user graph is replaced; the claims and
    retractions graphs, which commands append to, are added to and never replaced; a derived graph
    is replaced (`infer` makes it again from the rest); a bundled graph equal to this store's is left
    alone. A graph another file loaded is replaced only with `replace`."""
    plan = Plan({}, {}, set(), texts={b.name: b.text for b in batches})
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
                check_graph_iri(iri, named_in=batch.name)
            _add_target(plan, iri, batch.name, triples)
        if batch.default_graph:
            iri = check_graph_iri(graph if graph is not None else graph_for(batch.name))
            _add_target(plan, iri, batch.name, batch.default_graph)
    plan.replacing = set(plan.targets) - set(plan.merged)
    check_identity(
        store,
        {iri: source_of(name) for iri, (name, _) in plan.targets.items() if iri not in plan.merged},
        replace=replace,
    )
    return plan


def _add_target(plan: Plan, iri: str, name: str, triples: list[ox.Triple]) -> None:
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
