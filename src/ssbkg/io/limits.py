"""What an input file may ask of a parser, checked before it is parsed.

Measured on pyoxigraph 0.5 (docs/guide.md, Reliability): RDF/XML internal entities expand without limit (a
658-byte file became a 30-million-character literal), RDF/XML nesting costs quadratic time (10,000
levels 0.34 s, 100,000 levels minutes), and JSON-LD nested some 3,000 objects deep overflows the
parser's stack and kills the process. So entity declarations are refused, and nesting is capped:
10,000 levels in Turtle, TriG and RDF/XML, 1,000 in JSON-LD. N-Triples and N-Quads cannot nest.
"""

from __future__ import annotations

import re

from ssbkg.errors import InputError

DEPTH_LIMITS = {"turtle": 10_000, "trig": 10_000, "rdfxml": 10_000, "jsonld": 1_000}

_XML_HIDDEN = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_XML_TAG = re.compile(rb"<(/?)[A-Za-z_][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>")
_XML_ELEMENT = re.compile(rb"<[A-Za-z_]")
_TURTLE_HIDDEN = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*"""'
    rb"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    rb'|"(?:[^"\\\n]|\\.)*"'
    rb"|'(?:[^'\\\n]|\\.)*'"
    rb"|<[^<>\"{}|^`\\\s]*>"
    rb"|#[^\n]*",
    re.S,
)
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)


def _keep(chars: bytes) -> bytes:
    return bytes(b for b in range(256) if b not in chars)


_NOT_TURTLE_BRACKETS = _keep(b"[]()")
_NOT_JSON_BRACKETS = _keep(b"[]{}")


def check(data: bytes, syntax: str, name: str) -> None:
    """Refuse, with exit 2, a file that declares XML entities or nests deeper than its syntax allows."""
    if syntax == "rdfxml":
        check_xml_prolog(data, name)
    limit = DEPTH_LIMITS.get(syntax)
    if limit is None:
        return
    depth = {"rdfxml": xml_depth, "jsonld": _json_depth}.get(syntax, _turtle_depth)(data)
    if depth > limit:
        raise _too_deep(name, syntax, depth, limit)


def check_xml_prolog(data: bytes, name: str) -> None:
    """Entities are declared before the first element: refuse any declaration there."""
    first = _XML_ELEMENT.search(data)
    prolog = data if first is None else data[: first.start()]
    if b"<!ENTITY" in prolog:
        line = data.count(b"\n", 0, prolog.index(b"<!ENTITY")) + 1
        raise InputError(
            f"{name}:{line}: the file declares XML entities (<!ENTITY ...>), which are refused: a few bytes "
            "of them can expand into gigabytes",
            hint="write the text out in full in the file; nothing was written",
        )


def xml_depth(data: bytes, start: int = 0) -> int:
    """The deepest element nesting, counted from `start` levels already open."""
    depth = deepest = start
    for m in _XML_TAG.finditer(_XML_HIDDEN.sub(b"", data)):
        if m.group(1):
            depth -= 1
        elif not m.group(2):
            depth += 1
            deepest = max(deepest, depth)
    return deepest


class XmlDepth:
    """xml_depth over a file read in chunks: each chunk is scanned up to its last '>', the rest kept."""

    def __init__(self, name: str) -> None:
        self.name, self.depth, self.carry, self.prolog = name, 0, b"", True

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk
        if self.prolog:
            check_xml_prolog(data, self.name)
            self.prolog = _XML_ELEMENT.search(data) is None
        end = data.rfind(b">") + 1
        self.carry = data[end:]
        body = data[:end]
        depth = self.depth
        for m in _XML_TAG.finditer(_XML_HIDDEN.sub(b"", body)):
            if m.group(1):
                depth -= 1
            elif not m.group(2):
                depth += 1
                if depth > DEPTH_LIMITS["rdfxml"]:
                    raise _too_deep(self.name, "rdfxml", None, DEPTH_LIMITS["rdfxml"])
        self.depth = depth


def _bracket_depth(brackets: bytes, opening: bytes) -> int:
    depth = deepest = 0
    for b in brackets:
        if b in opening:
            depth += 1
            if depth > deepest:
                deepest = depth
        else:
            depth -= 1
    return deepest


def _turtle_depth(data: bytes) -> int:
    return _bracket_depth(_TURTLE_HIDDEN.sub(b" ", data).translate(None, _NOT_TURTLE_BRACKETS), b"[(")


def _json_depth(data: bytes) -> int:
    return _bracket_depth(_JSON_STRING.sub(b'""', data).translate(None, _NOT_JSON_BRACKETS), b"[{")


_NAMES = {"turtle": "Turtle", "trig": "TriG", "rdfxml": "RDF/XML", "jsonld": "JSON-LD"}


def _too_deep(name: str, syntax: str, depth: int | None, limit: int) -> InputError:
    deep = f"{depth:,} levels" if depth is not None else f"more than {limit:,} levels"  # None: read in part
    return InputError(
        f"{name}: nested {deep} deep, past the limit of {limit:,} for {_NAMES[syntax]}",
        hint="flatten the structure (name the nodes instead of nesting them); nothing was written",
    )
