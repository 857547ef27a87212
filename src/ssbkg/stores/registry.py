"""SPARQL for the registry graph, which records which version of each named graph is published.

Written as plain SPARQL 1.1 so that every backend runs the same text; every value is an RDF term
serialized by pyoxigraph, never raw text.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode

from ssbkg.params import XSD
from ssbkg.resources import GRAPH_BASE, REGISTRY_GRAPH
from ssbkg.stores import GraphInfo

SSB = "https://w3id.org/ssbkg/ontology#"
PROV = "http://www.w3.org/ns/prov#"
_R = f"<{REGISTRY_GRAPH}>"
_PREFIXES = f"PREFIX ssb: <{SSB}>\nPREFIX prov: <{PROV}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def new_version_iri() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{GRAPH_BASE}version/{stamp}-{os.urandom(6).hex()}"


def now_literal() -> Literal:
    return Literal(datetime.now(UTC).isoformat(timespec="seconds"), datatype=NamedNode(XSD + "dateTime"))


def agent_node(agent: str) -> NamedNode:
    """An agent named by an IRI (mailto:, https:) is that IRI; a plain name gets one under urn:ssbkg:agent:."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", agent):
        try:
            return NamedNode(agent)
        except ValueError:
            pass
    return NamedNode("urn:ssbkg:agent:" + urllib.parse.quote(agent, safe=""))


def default_agent() -> str:
    import getpass
    import os

    return os.environ.get("SSBKG_AGENT") or getpass.getuser()


def publish(versions: dict[str, tuple[str, int]], *, kind: str, source: str, agent: str | None = None) -> str:
    """One update operation that makes each version current for its graph, whatever was current before.

    Written so that no template variable is ever unbound: Virtuoso drops a whole solution when one is
    (plain SPARQL would only skip that triple), so a graph with no current version gets a placeholder.
    A second operation stamps the versions that are no longer current; readers never depend on it.
    """
    now = now_literal()
    who = agent_node(agent or default_agent())
    rows = " ".join(
        f"({NamedNode(g)} {NamedNode(v)} {Literal(str(n), datatype=NamedNode(XSD + 'integer'))})"
        for g, (v, n) in versions.items()
    )
    values = f"VALUES (?g ?v ?n) {{ {rows} }}"
    return (
        _PREFIXES
        + f"""DELETE {{ GRAPH {_R} {{ ?g ssb:currentVersion ?old }} }}
INSERT {{ GRAPH {_R} {{
  ?g a ssb:ManagedGraph ; ssb:graphKind {Literal(kind)} ; ssb:currentVersion ?v .
  ?v a ssb:GraphVersion ; ssb:versionOf ?g ; prov:generatedAtTime {now} ;
     ssb:loadedFrom {Literal(source)} ; ssb:tripleCount ?n ; prov:wasAttributedTo {who} .
  {who} a prov:Agent ; rdfs:label {Literal(agent or default_agent())} }} }}
WHERE {{
  {{ {values} GRAPH {_R} {{ ?g ssb:currentVersion ?old }} }}
  UNION
  {{ {values} FILTER NOT EXISTS {{ GRAPH {_R} {{ ?g ssb:currentVersion ?any }} }} BIND (<urn:ssbkg:none> AS ?old) }}
}} ;
{_stamp_retired(now)}"""
    )


def _stamp_retired(now: Literal) -> str:
    return f"""INSERT {{ GRAPH {_R} {{ ?old prov:invalidatedAtTime {now} }} }}
WHERE {{ GRAPH {_R} {{
  ?old a ssb:GraphVersion .
  FILTER NOT EXISTS {{ ?any ssb:currentVersion ?old }}
  FILTER NOT EXISTS {{ ?old prov:invalidatedAtTime ?when }} }} }}"""


def retire(graph: str) -> str:
    g = NamedNode(graph)
    return _PREFIXES + (
        f"DELETE {{ GRAPH {_R} {{ {g} ssb:currentVersion ?v }} }}\n"
        f"WHERE {{ GRAPH {_R} {{ {g} ssb:currentVersion ?v }} }} ;\n" + _stamp_retired(now_literal())
    )


RETIRED = (
    _PREFIXES
    + f"""SELECT ?version WHERE {{ GRAPH {_R} {{
  ?version a ssb:GraphVersion . FILTER NOT EXISTS {{ ?graph ssb:currentVersion ?version }} }} }}"""
)

VERSION_GRAPHS = f"""SELECT DISTINCT ?version WHERE {{ GRAPH ?version {{ ?s ?p ?o }}
  FILTER (STRSTARTS(STR(?version), "{GRAPH_BASE}version/")) }}"""


def forget(versions: list[str]) -> str:
    """Drop version graphs and what the registry says of them."""
    ops = []
    for v in versions:
        node = NamedNode(v)
        ops += [f"DROP SILENT GRAPH {node}", f"DELETE WHERE {{ GRAPH {_R} {{ {node} ?p ?o }} }}"]
    return " ;\n".join(ops)


def version_time(version: str) -> datetime | None:
    """When a version was made, from its IRI (version/20261125T190042-...)."""
    stamp = version.rsplit("/", 1)[-1].split("-", 1)[0]
    try:
        return datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def prunable(retired: list[str], all_versions: list[str], current: set[str], orphan_age_seconds: float) -> list[str]:
    known = set(retired) | current
    now = datetime.now(UTC)
    orphans = [
        v
        for v in all_versions
        if v not in known and (t := version_time(v)) is not None and (now - t).total_seconds() >= orphan_age_seconds
    ]
    return sorted(set(retired) | set(orphans))


HISTORY = (
    _PREFIXES
    + f"""SELECT ?graph ?version ?kind ?time ?agent WHERE {{
  GRAPH {_R} {{
    ?version ssb:versionOf ?graph ; prov:generatedAtTime ?time .
    ?graph ssb:graphKind ?kind .
    OPTIONAL {{ ?version prov:wasAttributedTo/rdfs:label ?agent }}
  }}
}} ORDER BY ?graph ?time"""
)


PUBLISHED = (
    _PREFIXES
    + f"""SELECT ?graph ?version ?kind ?time ?source ?count ?agent WHERE {{
  GRAPH {_R} {{
    ?graph ssb:currentVersion ?version ; ssb:graphKind ?kind .
    ?version prov:generatedAtTime ?time ; ssb:loadedFrom ?source ; ssb:tripleCount ?count .
    OPTIONAL {{ ?version prov:wasAttributedTo/rdfs:label ?agent }}
  }}
}} ORDER BY ?graph"""
)


def infos(rows: Iterable[Sequence[str]]) -> list[GraphInfo]:
    """GraphInfo from the rows of PUBLISHED, as strings ("" where unbound)."""
    return [GraphInfo(g, v, k, t, s, int(n), a) for g, v, k, t, s, n, a in rows]
