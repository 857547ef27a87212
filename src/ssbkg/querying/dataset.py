"""What a query's dataset clauses mean in a store of versioned graphs.

A store keeps each version of a graph in a graph of its own (a slot) and answers over the published
ones. So `FROM <graph>` is honoured by reading that graph's current slots (the SPARQL meaning: the
default graph is the merge of the graphs named), and a graph the store does not publish is refused
rather than answered as if it were the whole store. `FROM NAMED` and `GRAPH` are refused: the named
graphs a query would see are slots, which no user names, so they could only answer nothing or
version IRIs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ssbkg.errors import InputError

_REFUSED_HINT = "read one graph with FROM <graph> (ssbkg graphs lists them), or the whole store with neither"


def dataset_graphs(text: str, where: str, parts: set[str]) -> tuple[str, ...]:
    """The graphs a parsed query's FROM clauses name, in order; `parts` are its parsed parts (see
    catalogue.parsed_parts). FROM NAMED and GRAPH are refused, in the user's words."""
    if "GraphGraphPattern" in parts:
        raise InputError(
            f"{where}: GRAPH is refused: graphs are versioned, so no graph's name would match", hint=_REFUSED_HINT
        )
    if "DatasetClause" not in parts:
        return ()
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    clauses = translateQuery(parseQuery(text)).algebra.get("datasetClause") or []
    if any("named" in c for c in clauses):
        raise InputError(
            f"{where}: FROM NAMED is refused: graphs are versioned, so no graph's name would match", hint=_REFUSED_HINT
        )
    return tuple(dict.fromkeys(str(c["default"]) for c in clauses))


def check_graphs(graphs: Sequence[str], published: Sequence[str]) -> None:
    """Refuse a FROM that names a graph the store does not publish."""
    missing = [g for g in graphs if g not in set(published)]
    if missing:
        raise InputError(
            f"FROM <{missing[0]}>: the store has no published graph of that name",
            hint="ssbkg graphs lists the graphs a FROM can name",
        )


# Strings, IRIs and comments, so that a FROM inside one of them is never taken for a clause.
_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*"
    r"|(?<![\w?$:])FROM\s+(?:<[^<>\s]*>|[A-Za-z][\w.-]*:[\w.-]*|:[\w.-]*)",
    re.IGNORECASE,
)


def without_dataset(text: str) -> str:
    """The query with its FROM clauses taken out (the store is told the graphs instead)."""
    return _LEXEMES.sub(lambda m: " " if m.group().upper().startswith("FROM") else m.group(), text)
