"""SPARQL for the registry and the history, which say what is published and what each write changed.

The registry graph records, for each named graph, its versions and which one is current; a version
is stored in one or more *slots* (graphs of the content that queries read). The history graph of a
version lists the assertions it added, changed or removed, one triple each, in a vocabulary of its
own (``urn:ssbkg:history#``) so that no stored query can ever match it. Both live where queries
never look: a second embedded store beside the content, or graphs outside every query's dataset on
a server.

Written as plain SPARQL 1.1 so that every backend runs the same text; every value is an RDF term
serialized by pyoxigraph, never raw text.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Collection, Iterable, Mapping, Sequence, Set
from datetime import UTC, datetime
from typing import NamedTuple

from pyoxigraph import Literal, NamedNode, Triple

from ssbkg.errors import StoreError
from ssbkg.io.terms import text_of, whole_number
from ssbkg.namespaces import (
    ANSWERS_BASE,
    HIST,
    HISTORY_BASE,
    PROV,
    RDF,
    REGISTRY_GRAPH,
    SSB,
    VERSION_BASE,
    XSD,
    sparql_prologue,
    values,
)
from ssbkg.stores import sparql
from ssbkg.stores.base import GraphInfo

NONE = "urn:ssbkg:none"
_R = f"<{REGISTRY_GRAPH}>"
_PREFIXES = sparql_prologue("ssb", "prov", "rdfs") + f"PREFIX h: <{HIST}>\n"


def new_version_iri() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{VERSION_BASE}{stamp}-{os.urandom(6).hex()}"


def history_graph(version: str) -> str:
    """Where the changes a version made are listed."""
    return HISTORY_BASE + version.rsplit("/", 1)[-1]


def now_literal() -> Literal:
    """Now, to the millisecond (writes in one second keep their order), in the canonical form a store
    keeps (no trailing zeros, "Z"), so that a time reads back as it was written, on every path."""
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds").removesuffix("+00:00")
    return Literal(stamp.rstrip("0").rstrip(".") + "Z", datatype=NamedNode(XSD + "dateTime"))


def agent_node(agent: str) -> NamedNode:
    """An agent named by an IRI (mailto:, https:) is that IRI; a plain name gets one under urn:ssbkg:agent:."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", agent):
        try:
            return NamedNode(agent)
        except ValueError:
            pass
    return NamedNode("urn:ssbkg:agent:" + urllib.parse.quote(agent, safe=""))


def default_agent() -> str:
    """Who writes when no agent is given: the user (the CLI reads --agent and SSBKG_AGENT first)."""
    import getpass

    return getpass.getuser()


class NewVersion(NamedTuple):
    """A version to publish for a graph: where it is stored, what it holds, what it replaces."""

    version: str
    slots: tuple[str, ...]
    triples: int
    expect: str  # the version that must still be current for this one to be published (NONE: no version)
    changes: int = 0  # how many assertions it adds, changes or removes (listed in its history graph)


def publish(
    versions: Mapping[str, NewVersion],
    *,
    kind: str | Mapping[str, str],
    source: str | Mapping[str, str],
    agent: str | None = None,
    when: Literal | None = None,
) -> str:
    """One update that makes each new version current for its graph, only if every graph's current
    version is still the one the writer expected (compare and swap): all graphs or none.

    Written so that no template variable is ever unbound: Virtuoso drops a whole solution when one is
    (plain SPARQL would only skip that triple), so a graph with no current version gets a placeholder.
    A second operation stamps the versions that are no longer current; readers never depend on it.
    """
    now = when or now_literal()
    name = agent or default_agent()
    who = agent_node(name)
    integer = NamedNode(XSD + "integer")
    sources = {g: source if isinstance(source, str) else source[g] for g in versions}
    kinds = {g: kind if isinstance(kind, str) else kind[g] for g in versions}
    rows = (
        (
            NamedNode(g),
            NamedNode(v.version),
            Literal(str(v.triples), datatype=integer),
            NamedNode(v.expect),
            Literal(sources[g]),
            Literal(kinds[g]),
        )
        for g, v in versions.items()
    )
    each = values(("g", "v", "n", "expect", "src", "kind"), rows)
    slots = values(("v", "slot"), ((NamedNode(v.version), NamedNode(s)) for v in versions.values() for s in v.slots))
    logged = values(
        ("v", "log"), ((NamedNode(v.version), NamedNode(history_graph(v.version))) for v in versions.values())
    )
    cas = f"""DELETE {{ GRAPH {_R} {{ ?g ssb:currentVersion ?old }} }}
INSERT {{ GRAPH {_R} {{
  ?g a ssb:ManagedGraph ; ssb:graphKind ?kind ; ssb:currentVersion ?v .
  ?v a ssb:GraphVersion ; ssb:versionOf ?g ; prov:generatedAtTime {now} ;
     ssb:loadedFrom ?src ; ssb:tripleCount ?n ; prov:wasAttributedTo {who} .
  {who} a prov:Agent ; rdfs:label {Literal(name)} }} }}
WHERE {{
  {{ SELECT (COUNT(*) AS ?ok) WHERE {{
    {{ {each} GRAPH {_R} {{ ?g ssb:currentVersion ?expect }} }}
    UNION
    {{ {each} FILTER (?expect = <{NONE}>) FILTER NOT EXISTS {{ GRAPH {_R} {{ ?g ssb:currentVersion ?any }} }} }}
  }} }}
  FILTER (?ok = {len(versions)})
  {each}
  BIND (?expect AS ?old)
}} ;
INSERT {{ GRAPH {_R} {{ ?v ssb:storedIn ?slot }} }}
WHERE {{ {slots} GRAPH {_R} {{ ?g ssb:currentVersion ?v }} }} ;
INSERT {{ GRAPH {_R} {{ ?v h:changes ?log }} }}
WHERE {{ {logged} GRAPH {_R} {{ ?g ssb:currentVersion ?v }} }} ;
{_stamp_retired(now)}"""
    return _PREFIXES + cas


def _stamp_retired(now: Literal) -> str:
    return sparql.text("stamp-retired.ru", now=now)


def retire(graph: str, expect: str, *, tomb: str, agent: str | None = None, source: str = "ssbkg drop") -> str:
    """Unpublish a graph, only if `expect` is still its current version (retire.ru); its history graph
    lists the assertions that went."""
    now, name = now_literal(), agent or default_agent()
    retirement = sparql.text(
        "retire.ru",
        graph=NamedNode(graph),
        version=NamedNode(expect),
        tomb=NamedNode(tomb),
        now=now,
        source=Literal(source),
        agent=agent_node(name),
        name=Literal(name),
        log=NamedNode(history_graph(tomb)),
    )
    return retirement + " ;\n" + _stamp_retired(now)


def is_retired(graph: str, tomb: str) -> str:
    return sparql.text("is-retired.rq", graph=NamedNode(graph), tomb=NamedNode(tomb))


def is_current(graph: str, version: str) -> str:
    return sparql.text("is-current.rq", graph=NamedNode(graph), version=NamedNode(version))


def has_current(graph: str) -> str:
    return sparql.text("has-current.rq", graph=NamedNode(graph))


CURRENT_SLOTS = sparql.text("current-slots.rq")
KNOWN_VERSIONS = sparql.text("known-versions.rq")
PUBLISHED = sparql.text("published.rq")


def infos(rows: Iterable[Sequence[str]]) -> list[GraphInfo]:
    """GraphInfo from the rows of PUBLISHED, as strings ("" where unbound); one row per slot."""
    out: dict[str, GraphInfo] = {}
    for g, v, k, t, s, n, a, slot in rows:
        known = out.get(g)
        if known is None:
            count = whole_number(n)
            if count is None:
                raise StoreError(
                    f"the registry is broken: graph <{g}> has {n!r} as its triple count, not a number",
                    hint="a server or a tool other than ssbkg changed the registry graph; restore from an export",
                )
            out[g] = GraphInfo(g, v, k, t, s, count, a, (slot,))
        elif slot not in known.slots:
            out[g] = known._replace(slots=(*known.slots, slot))
    return list(out.values())


# ------------------------------------------------------------------------------------------ history


HISTORY = sparql.text("history.rq")
VERSION_TRIPLES = sparql.text("version-triples.rq")


def to_import(registry: Sequence[Triple], known: Set[str], graphs: Collection[str]) -> tuple[set[str], list[str]]:
    """Of another store's registry triples (an export's), the versions this store lacks and the lines
    that add them, their agents and the kinds of graphs it does not have; the bundled graphs' versions
    are left out, since those graphs are this store's own."""
    versions = {
        t.subject.value
        for t in registry
        if isinstance(t.subject, NamedNode)
        and t.predicate.value == RDF + "type"
        and text_of(t.object) == SSB + "GraphVersion"
    }
    bundled = {
        text_of(t.subject)
        for t in registry
        if t.predicate.value == SSB + "graphKind" and text_of(t.object) == "bundled"
    }
    of_bundled = {
        text_of(t.subject) for t in registry if t.predicate.value == SSB + "versionOf" and text_of(t.object) in bundled
    }
    new = versions - known - of_bundled  # the bundled graphs are this store's own
    agents = {
        text_of(t.object)
        for t in registry
        if text_of(t.subject) in new and t.predicate.value == PROV + "wasAttributedTo"
    }
    lines = [
        f"{t.subject} {t.predicate} {t.object} ."
        for t in registry
        if text_of(t.subject) in new | agents
        or (t.predicate.value == SSB + "graphKind" and text_of(t.subject) not in graphs)
    ]
    return new, lines


def insert_data(lines: Sequence[str]) -> str:
    """Add N-Triples lines to the registry graph."""
    return f"INSERT DATA {{ GRAPH {_R} {{\n" + "\n".join(lines) + "\n} }"


STORED_GRAPHS = sparql.text("stored-graphs.rq")


def debris(stored: Iterable[str], current: Set[str], known: Set[str], age_seconds: float) -> list[str]:
    """Of the graphs stored on a server, the slots no current version reads and the history graphs no
    known version owns, made more than `age_seconds` ago."""
    now = datetime.now(UTC)
    out = []
    for g in stored:
        stamp = version_time(g)
        if stamp is None or (now - stamp).total_seconds() < age_seconds:
            continue
        unread = g.startswith((VERSION_BASE, ANSWERS_BASE)) and g not in current
        unowned = g.startswith(HISTORY_BASE) and VERSION_BASE + g.rsplit("/", 1)[-1] not in known
        if unread or unowned:
            out.append(g)
    return out


def version_time(iri: str) -> datetime | None:
    """When a slot, version or history graph was made, from its IRI (version/20261125T190042-...)."""
    stamp = iri.rsplit("/", 1)[-1].split("-", 1)[0]
    try:
        return datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None
