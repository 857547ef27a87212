"""The stores' own SPARQL: fixed queries and updates, one file each beside this module.

Each file is plain SPARQL 1.1 that parses as it stands (tests/test_query_text.py parses every one and
checks its prefixes). A parameter is a variable named as in the stored queries (``?_graph_iri``) and is
replaced by its RDF term's serialization, never by text, through the same substitution the stored
queries use. Queries built from rows (a write's `VALUES`) are made in `registry.py` instead.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from ssbkg.querying.params import find_parameters, substitute

HERE = Path(__file__).parent


@cache
def _read(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def text(file: str, /, **terms: NamedNode | Literal) -> str:
    """The file (``"published.rq"``) with each parameter bound to the term given by its name."""
    query = _read(file)
    variables = {p.name: p.variable for p in find_parameters(query)}
    if variables.keys() != terms.keys():  # a mistake in ssbkg's code, not in anyone's input
        raise TypeError(f"{file} takes {sorted(variables)}, given {sorted(terms)}")
    return substitute(query, {variables[k]: v for k, v in terms.items()})
