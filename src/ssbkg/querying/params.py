"""Query parameters: found in the query text by grlc's naming, parsed into RDF terms, substituted as terms.

A parameter is a variable named like ``?_alliance_iri`` (required) or ``?__asOf_xsd_date`` (optional, left
unbound when not given). A value is parsed into a pyoxigraph term first and only that term's N-Triples
serialization replaces the variable, never the user's text; the variable is replaced only where it is
a token of the query (not inside a string, an IRI or a comment). grlc replaces the same variables by
text, so the same files serve both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from pyoxigraph import Literal, NamedNode

from ssbkg.errors import InputError
from ssbkg.namespaces import PREFIXES, XSD, expand

# Tokens that may contain text looking like a variable; they are skipped, never rewritten.
_TOKENS = re.compile(
    r'(?P<skip>#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<var>[?$][A-Za-z0-9_]+)",
    re.DOTALL,
)
_PARAM = re.compile(
    r"[?$](?P<underscores>_{1,2})(?P<name>[A-Za-z0-9]+)"
    r"(?:_(?P<kind>iri|(?:xsd_)?(?:integer|decimal|date)|number|literal|[a-z]{2,3}))?$"
)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PREFIXED = re.compile(r"^(?P<prefix>[A-Za-z][\w-]*)?:(?P<local>[\w.-]*)$")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", re.IGNORECASE)


class Parameter(NamedTuple):
    """One parameter of a query, as its variable names it."""

    name: str
    variable: str  # as written, with its sigil: "?_alliance_iri"
    kind: str  # iri, integer, decimal, number, date, literal, or a language tag
    required: bool

    @property
    def type_label(self) -> str:
        if self.kind in {"iri", "integer", "decimal", "number", "date", "literal"}:
            return self.kind
        return f"text@{self.kind}"


def variable_tokens(query: str) -> Iterable[re.Match[str]]:
    """The variables of a query, skipping strings, IRIs and comments."""
    return (m for m in _TOKENS.finditer(query) if m.group("var"))


def find_parameters(query: str) -> list[Parameter]:
    """The parameters of a query in order of first appearance."""
    found: dict[str, Parameter] = {}
    for token in variable_tokens(query):
        m = _PARAM.match(token.group("var"))
        if not m or m.group("name") in found:
            continue
        found[m.group("name")] = Parameter(
            name=m.group("name"),
            variable=token.group("var"),
            # grlc's name for a typed literal is _xsd_date; a bare _date is read by grlc as a language tag.
            kind=(m.group("kind") or "literal").removeprefix("xsd_"),
            required=m.group("underscores") == "_",
        )
    return list(found.values())


def declared_prefixes(query: str) -> dict[str, str]:
    prefixes = dict(PREFIXES)
    prefixes.update({(p or ""): iri for p, iri in _PREFIX_DECL.findall(query)})
    return prefixes


_LARGEST = 2**63 - 1


def parse_value(
    param: Parameter,
    text: str,
    *,
    prefixes: Mapping[str, str] = PREFIXES,
    choices: Iterable[str] = (),
) -> NamedNode | Literal:
    """Parse what a user typed into the RDF term the parameter's type asks for."""
    try:
        if param.kind == "iri":
            return _parse_iri(text, prefixes, list(choices))
        parse = _PARSERS.get(param.kind)
        if parse is None:  # a language tag
            return Literal(text, language=param.kind)
        return parse(text)
    except (ValueError, InvalidOperation) as e:
        raise InputError(
            f"parameter {param.name}: {text!r} is not a valid {param.type_label} ({e})",
            hint=_hint(param, list(choices)),
        ) from None


def _integer(text: str) -> Literal:
    if not re.fullmatch(r"[+-]?\d+", text.strip()):
        raise ValueError("expected an integer")
    if abs(int(text)) > _LARGEST:
        # The stores compare integers of 64 bits: a larger one would silently match nothing.
        raise ValueError(f"larger than the stores compare, {_LARGEST:,}")
    return Literal(str(int(text)), datatype=NamedNode(XSD + "integer"))


def _decimal(text: str) -> Literal:
    value = Decimal(text.strip())
    if not value.is_finite():
        raise ValueError("expected a finite number")
    return Literal(str(value), datatype=NamedNode(XSD + "decimal"))


def _date(text: str) -> Literal:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise ValueError("a day is written YYYY-MM-DD")
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("no such day") from None
    return Literal(day.isoformat(), datatype=NamedNode(XSD + "date"))


# A parser for each kind of value but IRIs (which take prefixes and choices) and language tags.
_PARSERS: dict[str, Callable[[str], Literal]] = {
    "integer": _integer,
    "decimal": _decimal,
    "number": _decimal,
    "date": _date,
    "literal": Literal,
}


def _hint(param: Parameter, choices: list[str]) -> str:
    if choices:
        return f"choose one of: {', '.join(local_name(c) for c in choices)}"
    return {
        "iri": "give a full IRI, a prefixed name (ssbid:casip) or a slug (casip)",
        "integer": "give a whole number, like 10",
        "date": "give a date as YYYY-MM-DD",
    }.get(param.kind, "check the value")


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _parse_iri(text: str, prefixes: Mapping[str, str], choices: list[str]) -> NamedNode:
    text = text.strip()
    for choice in choices:
        if text.lower() == local_name(choice).lower():
            return NamedNode(choice)
    iri = expand(text, dict(prefixes))
    if iri is None:
        raise ValueError("expected an IRI, a prefixed name or a lowercase slug")
    node = NamedNode(iri)  # raises ValueError on an invalid IRI
    if choices and iri not in choices:
        raise ValueError("not one of the listed values")
    return node


def substitute(query: str, values: Mapping[str, NamedNode | Literal]) -> str:
    """Replace each parameter variable (by its written form) with its term's serialization."""
    out: list[str] = []
    last = 0
    for token in variable_tokens(query):
        term = values.get(token.group("var"))
        if term is None:
            continue
        out.append(query[last : token.start()])
        out.append(str(term))
        last = token.end()
    out.append(query[last:])
    return "".join(out)
