"""The project's names: vocabulary prefixes, the graphs it writes, and the one way to shorten an IRI for
a reader and to read one back from what a user typed.

Everything here is a plain string, so that any layer can import it (this module imports nothing of
ssbkg's); the stores, the gate and the commands all name things through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
SSB = "https://w3id.org/ssbkg/ontology#"
SSBID = "https://w3id.org/ssbkg/id/"
SSBSH = "https://w3id.org/ssbkg/shapes#"
HIST = "urn:ssbkg:history#"  # the store's own terms for its lists of changes

# The order is the order of the prologue `PREFIXES` writes, and of the search in `compact`.
PREFIXES: dict[str, str] = {
    "ssb": SSB,
    "ssbid": SSBID,
    "org": ORG,
    "prov": PROV,
    "schema": SCHEMA,
    "skos": SKOS,
    "dct": DCT,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "sh": SH,
    "ssbsh": SSBSH,
}

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"

# The graphs: bundled files under bundled/, a user's under user/, what rules derive under derived/, and
# the store's own bookkeeping (registry, provenance, history) where no query of the content looks.
GRAPH_BASE = "https://w3id.org/ssbkg/graph/"
BUNDLED_GRAPH_BASE = GRAPH_BASE + "bundled/"
USER_GRAPH_BASE = GRAPH_BASE + "user/"
DERIVED_BASE = GRAPH_BASE + "derived/"
HISTORY_BASE = GRAPH_BASE + "history/"
VERSION_BASE = GRAPH_BASE + "version/"
REGISTRY_GRAPH = GRAPH_BASE + "registry"
ANSWERS_GRAPH = GRAPH_BASE + "answers"  # which answer slots hold the kept answers (stores/kept/upkeep.py)
ANSWERS_BASE = GRAPH_BASE + "answers/"
PROVENANCE_GRAPH = GRAPH_BASE + "provenance"
CLAIMS_GRAPH = USER_GRAPH_BASE + "claims"
RETRACTIONS_GRAPH = USER_GRAPH_BASE + "retractions"
INFERRED_GRAPH = DERIVED_BASE + "inferred"
ACCEPTED_GRAPH = DERIVED_BASE + "accepted"

_LOCAL = re.compile(r"[\w.-]*")
_PREFIXED = re.compile(r"^(?P<prefix>[A-Za-z][\w-]*)?:(?P<local>[\w.-]*)$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def prefixed(iri: str) -> str | None:
    """The prefixed name of an IRI under one of the project's prefixes, or None. Only a local part that
    reads back as the same IRI counts (letters, digits, `_`, `.` and `-`)."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return None


def compact(iri: str) -> str:
    """The IRI as a person reads it: its prefixed name, else the IRI itself."""
    return prefixed(iri) or iri


def expand(text: str, prefixes: dict[str, str] | None = None) -> str | None:
    """The IRI a user meant: `<iri>`, a prefixed name, an IRI of any scheme (`urn:`, `https:`) or a
    lowercase slug of the project's ids; None if the text is none of those."""
    prefixes = PREFIXES if prefixes is None else prefixes
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    m = _PREFIXED.match(text)
    if m and (m.group("prefix") or "") in prefixes:
        return prefixes[m.group("prefix") or ""] + m.group("local")
    if _SCHEME.match(text):
        return text
    if _SLUG.match(text):
        return SSBID + text
    return None


def sparql_prologue(*names: str) -> str:
    """PREFIX lines for the named prefixes, to put before an internal query."""
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in names)


def values(names: str | Sequence[str], rows: Iterable[object] | Iterable[Sequence[object]]) -> str:
    """A VALUES block of RDF terms as pyoxigraph serializes them (never raw text): `values("s", nodes)`
    for one variable, `values(("s", "p", "o"), triples_of_terms)` for several."""
    if isinstance(names, str):
        return f"VALUES ?{names} {{ {' '.join(str(term) for term in rows)} }}"
    heads = " ".join(f"?{n}" for n in names)
    cells = " ".join(f"({' '.join(str(term) for term in row)})" for row in rows if isinstance(row, Sequence))
    return f"VALUES ({heads}) {{ {cells} }}"
