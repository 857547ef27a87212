"""SPARQL for the registry graph, which records which version of each named graph is published.

Written as plain SPARQL 1.1 so that every backend runs the same text; every value is an RDF term
serialized by pyoxigraph, never raw text.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode

from ssbkg.params import XSD
from ssbkg.resources import GRAPH_BASE, REGISTRY_GRAPH

SSB = "https://w3id.org/ssbkg/ontology#"
PROV = "http://www.w3.org/ns/prov#"
_R = f"<{REGISTRY_GRAPH}>"
_PREFIXES = f"PREFIX ssb: <{SSB}>\nPREFIX prov: <{PROV}>\n"


def new_version_iri() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{GRAPH_BASE}version/{stamp}-{uuid.uuid4().hex[:12]}"


def now_literal() -> Literal:
    return Literal(datetime.now(UTC).isoformat(timespec="seconds"), datatype=NamedNode(XSD + "dateTime"))


def publish(versions: dict[str, tuple[str, int]], *, kind: str, source: str) -> str:
    """One update that makes each version current for its graph and retires what was current."""
    now = now_literal()
    parts = []
    for i, (graph, (version, count)) in enumerate(versions.items()):
        g, v = NamedNode(graph), NamedNode(version)
        n = Literal(str(count), datatype=NamedNode(XSD + "integer"))
        parts.append(
            f"DELETE {{ GRAPH {_R} {{ {g} ssb:currentVersion ?old{i} }} }}\n"
            f"INSERT {{ GRAPH {_R} {{\n"
            f"  {g} a ssb:ManagedGraph ; ssb:graphKind {Literal(kind)} ; ssb:currentVersion {v} .\n"
            f"  {v} a ssb:GraphVersion ; ssb:versionOf {g} ; prov:generatedAtTime {now} ;\n"
            f"     ssb:loadedFrom {Literal(source)} ; ssb:tripleCount {n} .\n"
            f"  ?old{i} prov:invalidatedAtTime {now} }} }}\n"
            f"WHERE {{ OPTIONAL {{ GRAPH {_R} {{ {g} ssb:currentVersion ?old{i} }} }} }}"
        )
    return _PREFIXES + " ;\n".join(parts)


def retire(graph: str) -> str:
    g = NamedNode(graph)
    return (
        _PREFIXES + f"DELETE {{ GRAPH {_R} {{ {g} ssb:currentVersion ?v }} }}\n"
        f"INSERT {{ GRAPH {_R} {{ ?v prov:invalidatedAtTime {now_literal()} }} }}\n"
        f"WHERE {{ GRAPH {_R} {{ {g} ssb:currentVersion ?v }} }}"
    )


PUBLISHED = (
    _PREFIXES
    + f"""SELECT ?graph ?version ?kind ?time ?source ?count WHERE {{
  GRAPH {_R} {{
    ?graph ssb:currentVersion ?version ; ssb:graphKind ?kind .
    ?version prov:generatedAtTime ?time ; ssb:loadedFrom ?source ; ssb:tripleCount ?count .
  }}
}} ORDER BY ?graph"""
)
