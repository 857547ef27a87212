"""What the gate says: each violation in the user's words (the file and line of the node, the rule,
the value as Turtle writes it), and the report that gathers them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from ssbkg.io.rdf import ParsedRdf
from ssbkg.namespaces import PREFIXES, prefixed


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    rule: str
    file: str | None = None
    line: int | None = None
    note: str | None = None  # what ssbkg adds to the shape's message: a misspelled IRI, say

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Report:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    graph: rdflib.Graph | None = None

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "Violation"]

    def passes(self, *, strict: bool = False) -> bool:
        """No violation; with strict, no warning either."""
        return not self.violations if strict else self.conforms


def compact(iri: str) -> str:
    """An IRI as a report writes it: its prefixed name, else in angle brackets (as Turtle would)."""
    return prefixed(iri) or f"<{iri}>"


def node_text(term: ox.NamedNode | ox.BlankNode | ox.Triple) -> str:
    return str(getattr(term, "value", term))


def line_of(needle: str, text: str) -> int | None:
    at = text.find(needle)
    return None if at < 0 else text.count("\n", 0, at) + 1


def violations(results: rdflib.Graph, batches: Sequence[ParsedRdf], shapes: rdflib.Graph) -> list[Violation]:
    """pySHACL's results as violations, each with the file and line of its focus node and its rule."""
    texts = {b.name: b.text for b in batches}
    owner = {
        str(t.subject.value): b.name for b in batches for t in b.all_triples() if isinstance(t.subject, ox.NamedNode)
    }
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        value = results.value(r, SH.value)
        shape = results.value(r, SH.sourceShape)
        messages = sorted(str(m) for m in results.objects(r, SH.resultMessage))
        severity = results.value(r, SH.resultSeverity)
        file, line = locate(str(focus), texts)
        if file is None:
            file = owner.get(str(focus))
        if value == focus:  # node-level results repeat the focus node as the value
            value = None
        out.append(
            Violation(
                focus=str(focus),
                path=compact(str(path)) if isinstance(path, rdflib.URIRef) else None,
                value=_show(value) if value is not None else None,
                message=messages[-1] if messages else "does not conform",
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                rule=_rule_name(shapes, shape),
                file=file,
                line=line,
            )
        )
    out.sort(key=lambda v: (v.file or "", v.line or 0, v.focus, v.rule, v.path or ""))
    return out


def _show(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef):
        return compact(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language or term.datatype is None or str(term.datatype).endswith("#string"):
            return term.n3()
        if str(term.datatype).endswith(("#decimal", "#integer", "#boolean", "#double")):
            return str(term)
        return f'"{term}"^^{compact(str(term.datatype))}'
    return "a blank node"


def _rule_name(shapes: rdflib.Graph, shape: rdflib.term.Node | None) -> str:
    """The named node shape a result comes from (property shapes are blank nodes inside one)."""
    node = shape
    for _ in range(6):
        if isinstance(node, rdflib.URIRef):
            return compact(str(node))
        parent = next(shapes.subjects(SH.property, node), None) or next(shapes.subjects(None, node), None)
        if parent is None:
            break
        node = parent
    return "an unnamed shape"


def locate(iri: str, texts: dict[str, str]) -> tuple[str | None, int | None]:
    """The file and line where a node is first described, found in the file text."""
    candidates = [re.escape(f"<{iri}>")]
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            candidates.append(re.escape(f"{prefix}:{iri[len(ns) :]}") + r"(?![\w-])")
    pattern = re.compile(r"^[ \t]*(?:" + "|".join(candidates) + ")", re.MULTILINE)
    for name, text in texts.items():
        m = pattern.search(text)
        if m:
            return name, text.count("\n", 0, m.start()) + 1
    return (next(iter(texts)) if len(texts) == 1 else None), None
