"""The SHACL gate: a batch of new data is validated against the shapes together with the part of
the store it points at, and only results about the batch's own nodes count.

pySHACL's ``focus_nodes`` drops violations nested in sh:or and sh:node (field notes), so the batch
and its context are validated whole and the results filtered afterwards.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Collection, Iterable, Sequence
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from ssbkg import resources
from ssbkg.gate import vocabulary
from ssbkg.gate.context import reach
from ssbkg.gate.results import Report, Violation, compact
from ssbkg.gate.results import violations as read_violations
from ssbkg.io.rdf import ParsedRdf
from ssbkg.io.terms import to_rdflib
from ssbkg.namespaces import BUNDLED_GRAPH_BASE, SSBID
from ssbkg.stores import Store

# rdflib logs a whole traceback by itself for an ill-typed literal; the shapes report it instead.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)


def _add(graph: rdflib.Graph, triples: Iterable[ox.Triple]) -> None:
    for t in triples:
        if isinstance(t.object, ox.Triple) or isinstance(t.subject, ox.Triple):
            # A triple term another tool put in the store: no shape reads one (load refuses them), and
            # rdflib has no such term; as context it is left out, so the rest of the store keeps working.
            continue
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))


@lru_cache(maxsize=1)
def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(resources.shapes_file(), format="turtle")


FOCUS = rdflib.URIRef("urn:ssbkg:focus")


@lru_cache(maxsize=1)
def _focused_shapes() -> rdflib.Graph:
    """The shapes, each targeting only the nodes marked as focus.

    The context pulled from the store holds many nodes that shapes target (the organizations and
    reports a batch points at); validating them is wasted work, since only results about the focus
    nodes count. pySHACL's own `focus_nodes` cannot be used (it drops violations nested in sh:or and
    sh:node), so each sh:targetClass becomes a SPARQL target that also asks for the focus marker.
    Nothing else changes: the differential test compares with the plain shapes on the whole union.
    """
    shapes = rdflib.Graph()
    shapes += _shapes()
    declarations = rdflib.URIRef("https://w3id.org/ssbkg/shapes")
    for target in list(shapes.subjects(RDF.type, SH.SPARQLTarget)):
        select = str(shapes.value(target, SH.select))
        shapes.set(
            (target, SH.select, rdflib.Literal(select.replace("WHERE {", f"WHERE {{ ?this <{FOCUS}> true .", 1)))
        )
    for shape, cls in list(shapes.subject_objects(SH.targetClass)):
        shapes.remove((shape, SH.targetClass, cls))
        target = rdflib.BNode()
        shapes.add((shape, SH.target, target))
        shapes.add((target, RDF.type, SH.SPARQLTarget))
        shapes.add((target, SH.prefixes, declarations))
        shapes.add(
            (
                target,
                SH.select,
                rdflib.Literal(
                    f"SELECT ?this WHERE {{ ?this <{FOCUS}> true . "
                    f"?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}> }}"
                ),
            )
        )
    return shapes


@lru_cache(maxsize=1)
def _ontology() -> rdflib.Graph:
    graph = rdflib.Graph()  # converted as the data is, so that the same value has the same form
    _add(graph, ox.parse(path=str(resources.ontology_file()), format=ox.RdfFormat.TURTLE))
    return graph


# ---------------------------------------------------------------------------- validation


def validate(
    batches: Sequence[ParsedRdf],
    store: Store | None = None,
    *,
    replacing: Collection[str] = (),
    superseding: Collection[str] = (),
) -> Report:
    """Validate new data (one or more parsed files) with the store's content as context.

    `replacing` names the graphs the data will replace, `superseding` the nodes whose every triple it
    replaces (a corrected claim): what the store holds of them is no context."""
    import pyshacl

    from ssbkg.gate import _rdflib_cache

    _rdflib_cache.install()
    batch_triples = [t for b in batches for t in b.all_triples()]
    data = rdflib.Graph()
    _add(data, batch_triples)
    focus = set(data.subjects())
    if store is not None:
        # The gate brings the package's own ontology; the store's copy (in canonical forms) would double it.
        bundled_terms = {BUNDLED_GRAPH_BASE + "ontology", BUNDLED_GRAPH_BASE + "shapes"}
        context, dependants = reach(
            store, batch_triples, set(replacing) | bundled_terms, _gone(store, replacing, batch_triples)
        )
        _add(data, (t for t in context if getattr(t.subject, "value", None) not in superseding))
        focus |= {rdflib.URIRef(d) for d in dependants}
    data += _ontology()
    for node in focus:
        data.add((node, FOCUS, rdflib.Literal(True)))
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=_focused_shapes(), advanced=True, allow_warnings=True, inference="none"
    )
    violations = [v for v in read_violations(results, batches, _shapes()) if _is_focus(v, focus)]
    lexical = vocabulary.violations(batches)
    violations = [v for v in violations if not _said_already(v, lexical)] + lexical
    violations.sort(key=lambda v: (v.file or "", v.line or 0, v.focus, v.rule, v.path or ""))
    _name_undefined(violations, data, store)
    ok = not any(v.severity == "Violation" for v in violations)
    return Report(conforms=ok, violations=violations, graph=results)


def _said_already(v: Violation, lexical: list[Violation]) -> bool:
    """A shape's result about a value the lexical check already reports as ill-typed: one mistake, one
    message (the shape can only misread a value that is not of its datatype)."""
    return any(
        w.rule == "ssbkg:WellTypedLiterals"
        and w.focus == v.focus
        and w.path == v.path
        and w.value is not None
        and (v.value or "").startswith(w.value)
        for w in lexical
    )


def _name_undefined(violations: list[Violation], data: rdflib.Graph, store: Store | None) -> None:
    """An ssbid: IRI that a failing node points at and that is defined nowhere is most likely
    misspelled: say so, with the nearest IRIs the file and the store define."""

    def undefined(node: rdflib.term.Node) -> bool:
        return isinstance(node, rdflib.URIRef) and str(node).startswith(SSBID) and (node, None, None) not in data

    pointed: dict[str, dict[str, list[str]]] = {}  # focus -> undefined IRI -> predicates to it
    for v in violations:
        if v.severity == "Violation" and v.focus.startswith(("http://", "https://")):
            links = pointed.setdefault(v.focus, {})
            for p, o in data.predicate_objects(rdflib.URIRef(v.focus)):
                if undefined(o):
                    links.setdefault(str(o), []).append(compact(str(p)))
    if not any(pointed.values()):
        return
    import difflib

    known = {str(s)[len(SSBID) :] for s in data.subjects() if str(s).startswith(SSBID)}
    if store is not None:
        rows = store.select(f'SELECT DISTINCT ?s WHERE {{ ?s a ?type FILTER (STRSTARTS(STR(?s), "{SSBID}")) }}').rows
        known |= {str(getattr(r[0], "value", ""))[len(SSBID) :] for r in rows}
    for focus, links in pointed.items():
        failing = [i for i, v in enumerate(violations) if v.focus == focus and v.severity == "Violation"]
        for iri, predicates in sorted(links.items()):
            close = difflib.get_close_matches(iri[len(SSBID) :], sorted(known), n=2, cutoff=0.75)
            guess = f"; did you mean {' or '.join('ssbid:' + c for c in close)}?" if close else ""
            note = f"ssbid:{iri[len(SSBID) :]} is not defined in the store or in this file{guess}"
            # Said once, beside the finding it explains: one about the property that points at the
            # IRI, else a rule whose message names that property, else the node's first finding.
            i = next(
                (i for i in failing if violations[i].path in predicates),
                next((i for i in failing if any(p in violations[i].message for p in predicates)), failing[0]),
            )
            v = violations[i]
            violations[i] = dataclasses.replace(v, note=f"{v.note}; {note}" if v.note else note)


def _gone(store: Store, replacing: Collection[str], batch: Sequence[ox.Triple]) -> set[str]:
    """The nodes typed in the graphs being replaced that the batch does not define again."""
    if not replacing:
        return set()
    typed = {
        q.subject.value
        for q in store.quads(sorted(replacing))
        if q.predicate.value == str(RDF.type) and isinstance(q.subject, ox.NamedNode)
    }
    return typed - {t.subject.value for t in batch if isinstance(t.subject, ox.NamedNode)}


def _is_focus(v: Violation, focus: set[rdflib.term.Node]) -> bool:
    return any(str(f) == v.focus for f in focus)
