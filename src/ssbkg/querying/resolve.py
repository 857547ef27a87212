"""Finding an entity from what a user typed: a full IRI, a prefixed name, a slug, or a name."""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox

from ssbkg import resources
from ssbkg.errors import InputError
from ssbkg.namespaces import RDFS, SCHEMA, SKOS, SSB, SSBID, expand, values
from ssbkg.stores import Store

_NAME_PROPERTIES = values(
    "p",
    (
        ox.NamedNode(iri)
        for iri in (RDFS + "label", SKOS + "altLabel", SKOS + "prefLabel", SSB + "legalName", SCHEMA + "headline")
    ),
)


@lru_cache(maxsize=64)
def subclasses(classes: tuple[str, ...]) -> tuple[str, ...]:
    """The classes and their subclasses in the bundled ontology. Computed here rather than with
    rdfs:subClassOf* on the store, which Virtuoso answers wrongly when neither end is bound."""
    ontology = ox.Store()
    ontology.load(path=str(resources.ontology_file()), format=ox.RdfFormat.TURTLE)
    rows = ontology.query(
        f"SELECT DISTINCT ?sub WHERE {{ {values('class', (ox.NamedNode(c) for c in classes))} "
        "?sub <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class }"
    )
    assert isinstance(rows, ox.QuerySolutions)  # a SELECT's answer
    return tuple(sorted({*classes, *(sub.value for r in rows if isinstance(sub := r["sub"], ox.NamedNode))}))


def resolve(store: Store, text: str, classes: tuple[str, ...], what: str) -> str:
    """The one entity of one of the given classes (of any, when none is given) that `text` names: its
    IRI, prefixed name or slug, else a name or label in any language (宁德时代, CASIP). Refused with the
    candidates when it names several, and with the nearest slugs when it names none."""
    types = values("type", (ox.NamedNode(c) for c in subclasses(classes)))
    typed = f"{types} ?entity a ?type ." if classes else ""
    held = _held(store, text, types if classes else "")
    if held is not None:
        return held
    found = _named(store, f"LCASE(STR(?name)) = {ox.Literal(text.strip().lower())}", typed)
    if not found and ":" not in text and text.strip().lower() != text:
        # A slug typed in capitals (Farasis for farasis): slugs are lower case.
        held = _held(store, text.strip().lower(), types if classes else "")
        if held is not None:
            return held
    if not found and text.strip():
        # A distinctive word or words of a name (Farasis for Farasis Energy), when they name one thing.
        words = ox.Literal("(^|[^a-z0-9])" + _regex_escape(text.strip().lower()) + "($|[^a-z0-9])")
        found = _named(store, f"REGEX(LCASE(STR(?name)), {words})", typed)
    if len(found) == 1:
        return found[0]
    if not found:
        raise InputError(f"no {what} is named {text!r}", hint=_suggest(store, text))
    shown = ", ".join(f.removeprefix(SSBID) for f in found[:8])
    whats = what[:-1] + "ies" if what.endswith("y") else what + "s"
    raise InputError(f"{text!r} names {len(found)} {whats}: {shown}", hint="give the slug or IRI of the one you mean")


def _held(store: Store, text: str, types: str) -> str | None:
    """The IRI that `text` (an IRI, prefixed name or slug) names, if the store holds it (with one of
    the `types`, given as VALUES ?type, when they are given)."""
    iri = expand(text)
    if iri is None:
        return None
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return None
    held = f"{types} {node} a ?type" if types else f"{node} ?p ?o"
    return iri if store.ask(f"ASK {{ {held} }}") else None


def _named(store: Store, condition: str, typed: str) -> list[str]:
    rows = store.select(
        f"SELECT DISTINCT ?entity WHERE {{ {_NAME_PROPERTIES} ?entity ?p ?name . FILTER ({condition}) {typed} }}"
    ).rows
    return sorted({str(getattr(r[0], "value", "")) for r in rows})


def _regex_escape(text: str) -> str:
    """Text matched as itself by a SPARQL (XPath) regular expression."""
    return re.sub(r"([.\\+*?\[\]^$(){}|-])", r"\\\1", text)


def entity(store: Store, text: str, what: str = "entity") -> str:
    """The IRI of the one thing in the store, of any kind, that `text` names (see `resolve`)."""
    return resolve(store, text, (), what)


def _suggest(store: Store, text: str) -> str:
    import difflib

    rows = store.select(
        f"SELECT DISTINCT ?entity ?name WHERE {{ {_NAME_PROPERTIES} ?entity ?p ?name . "
        f'FILTER (STRSTARTS(STR(?entity), "{SSBID}")) }}'
    ).rows
    names: dict[str, str] = {}
    for entity_term, name in rows:
        slug = str(getattr(entity_term, "value", "")).removeprefix(SSBID)
        names.setdefault(slug.lower(), slug)
        names.setdefault(str(getattr(name, "value", "")).lower(), slug)
    typed = text.strip().lower().removeprefix("ssbid:")
    close = difflib.get_close_matches(typed, list(names), n=5, cutoff=0.75)
    slugs = list(dict.fromkeys(names[c] for c in close))[:3]
    if slugs:
        return "did you mean " + " or ".join(slugs) + "?"
    return f"look it up: ssbkg find {text.strip()!r}"
