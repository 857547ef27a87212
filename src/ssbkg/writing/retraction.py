"""Retracting an assertion without forgetting it: PROV invalidation, kept in a graph of its own."""

from __future__ import annotations

import uuid

import pyoxigraph as ox

from ssbkg.errors import InputError, NothingWritten
from ssbkg.gate.check import check
from ssbkg.io.rdf import ParsedRdf
from ssbkg.namespaces import PROV, RETRACTIONS_GRAPH, SSB, SSBID, sparql_prologue
from ssbkg.stores import Store
from ssbkg.stores.registry import agent_node, default_agent, now_literal


def retract(store: Store, assertion_text: str, reason: str, *, agent: str | None = None) -> str:
    """Record that an assertion is retracted, why, by whom and when; return the retraction's IRI.

    A writer that loses the race to another checks and writes again (see stores/versioned.py)."""
    from ssbkg.stores.versioned import with_retries

    if not reason.strip():
        raise InputError("--reason is empty", hint="say why the assertion is retracted")
    return with_retries(store, lambda: _retract(store, assertion_text, reason, agent=agent), what="retract")


def _nearest_assertions(store: Store, text: str) -> str:
    import difflib

    rows = store.select(f"SELECT ?a WHERE {{ ?a a <{SSB}Assertion> }}").rows
    slugs = [str(getattr(r[0], "value", "")).rsplit("/", 1)[-1] for r in rows]
    close = difflib.get_close_matches(text.strip().removeprefix("ssbid:"), slugs, n=3, cutoff=0.6)
    return f"did you mean {' or '.join(close)}? " if close else ""


def _retract(store: Store, assertion_text: str, reason: str, *, agent: str | None) -> str:
    from ssbkg.querying.resolve import resolve

    try:
        assertion = resolve(store, assertion_text, (SSB + "Assertion",), "assertion")
    except InputError as e:
        if not e.message.startswith("no "):
            raise  # it names several: their list is the hint
        raise InputError(
            e.message,
            hint=_nearest_assertions(store, assertion_text)
            + "ssbkg explain SUBJECT OBJECT shows each claim's assertion in [brackets]",
        ) from None
    node = ox.NamedNode(assertion)
    previous = store.select(
        sparql_prologue("prov", "rdfs")
        + f"SELECT ?when ?why WHERE {{ {node} prov:wasInvalidatedBy ?r . ?r prov:atTime ?when ; rdfs:comment ?why }}"
    ).rows
    if previous:
        when, why = (str(getattr(t, "value", "")) for t in previous[0])
        raise NothingWritten(f"{assertion} was already retracted on {when}: {why}")
    now = now_literal()
    who = agent or default_agent()
    activity = ox.NamedNode(f"{SSBID}retraction-{uuid.uuid4().hex[:16]}")
    new = [
        ox.Triple(node, ox.NamedNode(PROV + "wasInvalidatedBy"), activity),
        ox.Triple(node, ox.NamedNode(PROV + "invalidatedAtTime"), now),
        ox.Triple(
            activity, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(SSB + "Retraction")
        ),
        ox.Triple(activity, ox.NamedNode(PROV + "atTime"), now),
        ox.Triple(activity, ox.NamedNode(PROV + "wasAssociatedWith"), agent_node(who)),
        ox.Triple(activity, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"), ox.Literal(reason.strip())),
        ox.Triple(
            agent_node(who),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(PROV + "Agent"),
        ),
        ox.Triple(agent_node(who), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal(who)),
    ]
    check(store, [ParsedRdf("retraction", named_graphs={RETRACTIONS_GRAPH: new})])
    store.append(RETRACTIONS_GRAPH, new, kind="user", source="ssbkg retract", agent=who)
    return str(activity.value)
