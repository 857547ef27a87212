"""Reading RDF files with pyoxigraph: one parse, errors that name the file, line and column."""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from ssbkg.errors import InputError
from ssbkg.io import limits

SYNTAXES: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_EXTENSIONS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nq",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdfxml",
    ".owl": "rdfxml",
    ".xml": "rdfxml",
}


@dataclass
class ParsedRdf:
    name: str  # the file name as the user gave it, or "<stdin>"
    default_graph: list[ox.Triple] = field(default_factory=list)
    named_graphs: dict[str, list[ox.Triple]] = field(default_factory=dict)
    text: str = ""  # the file as read, for line numbers: a pipe or standard input cannot be read twice

    def __len__(self) -> int:
        return len(self.default_graph) + sum(len(t) for t in self.named_graphs.values())

    def all_triples(self) -> list[ox.Triple]:
        out = list(self.default_graph)
        for triples in self.named_graphs.values():
            out.extend(triples)
        return out


def syntax_for(name: str, syntax: str | None) -> str:
    if syntax:
        if syntax not in SYNTAXES:
            raise InputError(f"unknown syntax {syntax!r}", hint="use one of: " + ", ".join(SYNTAXES))
        return syntax
    guessed = _EXTENSIONS.get(Path(name).suffix.lower())
    if guessed is None and Path(name).is_dir():
        raise InputError(f"{name} is a folder, not a file", hint=f"name its files, for example {Path(name) / '*.ttl'}")
    if guessed is None:
        raise InputError(
            f"{name}: cannot tell the RDF syntax from the file name",
            hint="pass --syntax " + "|".join(SYNTAXES),
        )
    return guessed


def read_rdf(path: Path | str, *, syntax: str | None = None) -> ParsedRdf:
    """Parse a file (or ``-`` for standard input) into triples per graph."""
    name = str(path)
    fmt = syntax_for(name, syntax) if name != "-" else _stdin_syntax(syntax)
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(path).read_bytes()
    except OSError as e:
        raise InputError(f"cannot read {name}: {e.strerror or e}") from None
    label = "<stdin>" if name == "-" else name
    data = data.removeprefix(BOM)
    limits.check(data, fmt, label)
    parsed = ParsedRdf(label, text=data.decode("utf-8", errors="replace"))
    try:
        # Blank nodes are renamed so that two files' _:b0 never become one node in the store.
        for quad in ox.parse(data, format=SYNTAXES[fmt], rename_blank_nodes=True):
            if isinstance(quad.object, ox.Triple) or isinstance(quad.subject, ox.Triple):
                raise _triple_term(label, parsed.text)
            triple = ox.Triple(quad.subject, quad.predicate, quad.object)
            if isinstance(quad.graph_name, ox.DefaultGraph):
                parsed.default_graph.append(triple)
            elif isinstance(quad.graph_name, ox.BlankNode):
                raise _blank_graph(label, parsed.text, fmt)
            else:
                parsed.named_graphs.setdefault(str(quad.graph_name.value), []).append(triple)
    except SyntaxError as e:
        raise InputError(f"{label}{_position(e)}: {_reason(e)}", hint="fix the syntax; nothing was written") from None
    except ValueError as e:  # pyoxigraph reports some encoding problems this way
        raise InputError(f"{label}: {e}", hint="the file must be UTF-8 RDF; nothing was written") from None
    except MemoryError as e:
        raise _too_big(label, e) from None
    if not len(parsed):
        raise InputError(f"{label}: contains no triples", hint="check that this is the file you meant")
    return parsed


class _Counting:
    """A binary file that counts what has been read, for a progress bar."""

    def __init__(
        self, raw: BinaryIO, progress: Callable[[int], None] | None, inspect: Callable[[bytes], None] | None = None
    ) -> None:
        self._raw, self._progress, self._inspect = raw, progress, inspect

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if self._progress is not None:
            self._progress(len(data))
        if self._inspect is not None:
            self._inspect(data)  # before the parser sees it: a file built to hurt is refused first
        return data


STREAMABLE = ("turtle", "nt", "rdfxml")


def stream_triples(
    path: Path, *, syntax: str | None = None, chunk: int = 200_000, progress: Callable[[int], None] | None = None
) -> Iterator[list[ox.Quad]]:
    """A single-graph file's triples in chunks, parsed as they are read: memory stays flat.

    They come as the parser's quads in the default graph: one Python object per triple, not two
    (a quarter of the time of a streamed load went into making Triples)."""
    fmt = syntax_for(str(path), syntax)
    if fmt not in STREAMABLE:
        raise InputError(f"{path}: {fmt} is not streamed", hint="stream Turtle, N-Triples or RDF/XML")
    try:
        raw = path.open("rb")
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror or e}") from None
    with raw:
        before = _identity(raw)
        if raw.read(3) != BOM:  # a UTF-8 byte-order mark, as some editors write, is not part of the RDF
            raw.seek(0)
        # Streamed Turtle is not scanned: its parser is iterative and linear (100,000 levels: 0.2 s).
        inspect = limits.XmlDepth(str(path)).feed if fmt == "rdfxml" else None
        reader = _Counting(raw, progress, inspect)
        quads = ox.parse(reader, format=SYNTAXES[fmt], rename_blank_nodes=True)  # type: ignore[arg-type]
        total = 0
        try:
            for triples in _chunks(quads, chunk, path):
                total += len(triples)
                yield triples
        except SyntaxError as e:
            raise InputError(
                f"{path}{_position(e)}: {_reason(e)}", hint="fix the syntax; nothing was written"
            ) from None
        except ValueError as e:
            raise InputError(f"{path}: {e}", hint="the file must be UTF-8 RDF; nothing was written") from None
        except MemoryError as e:
            raise _too_big(str(path), e) from None
        # A file cut short (or rewritten) while it was read may still parse: what was read is not the file.
        if before is not None and (_identity(raw) != before or raw.tell() != before[0]):
            raise InputError(
                f"{path}: the file changed while it was being read",
                hint="wait until whatever writes it has finished, then load it again; nothing was written",
            )
    if not total:
        raise InputError(f"{path}: contains no triples", hint="check that this is the file you meant")


def _chunks(quads: Iterator[ox.Quad], chunk: int, path: Path) -> Iterator[list[ox.Quad]]:
    """The parser's quads `chunk` at a time; a triple term is refused where it is met."""
    while triples := [q for _, q in zip(range(chunk), quads, strict=False)]:
        if any(isinstance(q.object, ox.Triple) or isinstance(q.subject, ox.Triple) for q in triples):
            raise _triple_term(str(path), "")
        yield triples


BOM = b"\xef\xbb\xbf"


def _identity(raw: BinaryIO) -> tuple[int, int] | None:
    """A regular file's size and modification time, from the open file (the path may point elsewhere
    by now); None for a pipe or device, which has neither."""
    info = os.fstat(raw.fileno())
    return (info.st_size, info.st_mtime_ns) if stat.S_ISREG(info.st_mode) else None


def _triple_term(label: str, text: str) -> InputError:
    """RDF 1.2 triple terms (<< s p o >>, RDF-star) are refused: SHACL, the stored queries, SPARQL 1.1
    servers and JSON-LD have no place for them. What a claim says of a claim is an ssb:Assertion."""
    at = text.find("<<")
    where = f"{label}:{text.count(chr(10), 0, at) + 1}" if at >= 0 else label
    return InputError(
        f"{where}: an RDF 1.2 triple term (<< ... >>), which ssbkg does not store",
        hint="state the claim as an ssb:Assertion (rdf:subject, rdf:predicate, rdf:object); nothing was written",
    )


def _blank_graph(label: str, text: str, fmt: str) -> InputError:
    """A graph named by a blank node has no name that a later load, `drop` or `export` could give."""
    at = None
    if fmt == "trig":
        found = re.search(r"(?:^|[\s}.])((?:GRAPH\s+)?(?:_:[\w.-]+|\[\s*\])\s*\{)", text, re.IGNORECASE)
        at = text.count("\n", 0, found.start(1)) + 1 if found else None
    elif fmt == "nq":
        at = next((n for n, line in enumerate(text.splitlines(), 1) if _names_blank_graph(line)), None)
    where = f"{label}:{at}" if at else label
    return InputError(
        f"{where}: a graph named by a blank node, which no later command could name",
        hint="name the graph with an IRI, like <https://example.org/g/notes>; nothing was written",
    )


def _names_blank_graph(line: str) -> bool:
    try:
        return any(isinstance(q.graph_name, ox.BlankNode) for q in ox.parse(line.encode(), format=ox.RdfFormat.N_QUADS))
    except SyntaxError:
        return False


def _too_big(label: str, e: MemoryError) -> InputError:
    # pyoxigraph's parsers hold one token (a literal, an IRI) in a buffer of at most 16 MB.
    return InputError(
        f"{label}: a single term is larger than the parser allows ({e})",
        hint="split the literal or keep large texts outside the graph; nothing was written",
    )


def _stdin_syntax(syntax: str | None) -> str:
    if not syntax:
        raise InputError("reading standard input needs --syntax", hint="for example --syntax turtle")
    return syntax_for("-", syntax)


def _position(e: SyntaxError) -> str:
    if e.lineno is None:
        return ""
    return f":{e.lineno}:{e.offset or 1}"


def _reason(e: SyntaxError) -> str:
    # pyoxigraph's message starts with its own "Parser error at line ..." prefix; keep the reason.
    message = str(e.msg)
    return message.split(": ", 1)[1] if message.startswith("Parser error") and ": " in message else message
