"""Stored queries: ``.rq`` files with grlc's ``#+`` YAML header and grlc-named parameters."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode

from ssbkg import resources
from ssbkg.errors import InputError
from ssbkg.querying.dataset import dataset_graphs
from ssbkg.querying.params import Parameter, declared_prefixes, find_parameters, parse_value, substitute
from ssbkg.stores.base import Roles

# After PREFIX and BASE declarations, a query starts with one of these; anything else (INSERT, DROP, ...)
# is an update, which `ssbkg query` never sends, whatever the store.
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", re.IGNORECASE)
_QUERY_FORM = re.compile(r"(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)


def _form(sparql: str) -> re.Match[str] | None:
    """The query form, read after comments and the prologue (PREFIX, BASE); None for anything else."""
    body = "\n".join(line for line in sparql.splitlines() if not line.lstrip().startswith("#"))
    prologue = _PROLOGUE.match(body)  # matches always, if only the empty string
    return _QUERY_FORM.match(body, prologue.end() if prologue else 0)


def query_form(sparql: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK (SELECT where it cannot tell)."""
    m = _form(sparql)
    return m.group(1).upper() if m else "SELECT"


@dataclass(frozen=True)
class StoredQuery:
    name: str
    path: Path
    text: str
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    defaults: Mapping[str, str] = field(default_factory=dict)
    enumerate: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    parameters: tuple[Parameter, ...] = ()
    graphs: tuple[str, ...] = ()  # what its FROM clauses name (see dataset)
    roles: Roles | None = None  # what its columns are (the `columns` key of its header)
    examples: Mapping[str, str] = field(default_factory=dict)  # a value for each parameter, as typed

    def example(self) -> str:
        """The command that runs it with its examples."""
        given = "".join(f" -p {k}={v}" for k, v in self.examples.items())
        return f"ssbkg query {self.name}{given}"

    def bind(self, given: Mapping[str, str]) -> str:
        """The query text with the given values (and defaults) substituted as RDF terms."""
        return substitute(self.text, {p.variable: v for p, v in self.terms(given)})

    def terms(self, given: Mapping[str, str]) -> list[tuple[Parameter, NamedNode | Literal]]:
        """Each parameter given (or defaulted) with its value as an RDF term; refused as `bind` refuses."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise InputError(
                f"query {self.name} has no parameter {', '.join(unknown)}",
                hint="its parameters are: " + (", ".join(known) or "none"),
            )
        prefixes = declared_prefixes(self.text)
        values: list[tuple[Parameter, NamedNode | Literal]] = []
        for p in self.parameters:
            text = given.get(p.name, self.defaults.get(p.name))
            if text is None:
                if p.required:
                    raise InputError(
                        f"query {self.name} needs parameter {p.name} ({p.type_label})",
                        hint=f"add -p {p.name}=VALUE",
                    )
                continue
            if not text.strip():
                # find with text= would match every entity: an empty value is a slip, not a question.
                raise InputError(
                    f"parameter {p.name} of {self.name} is empty",
                    hint=f"give a value (-p {p.name}=VALUE)" + ("" if p.required else ", or leave it out"),
                )
            values.append((p, parse_value(p, text, prefixes=prefixes, choices=self.enumerate.get(p.name, ()))))
        return values


_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):(?: (?P<value>.*))?$")
_ITEM = re.compile(r"^(?P<indent> +)- (?:(?P<key>[A-Za-z_][\w-]*):(?: (?P<value>\S.*))?|(?P<scalar>\S.*))$")


def _simple_header(lines: list[str]) -> dict[str, Any] | None:
    """The header in the small YAML subset stored queries use (plain scalars, `>-` folded text, lists,
    one-key mappings); None for anything else, which PyYAML then reads. Saves importing PyYAML (about
    20 ms) on the query path; a test checks that both readings agree for every bundled query."""
    reader = _HeaderReader()
    for raw in lines:
        if not reader.line(raw[1:] if raw.startswith(" ") else raw):
            return None
    reader.end_folded()
    return reader.header


class _NotSimple(Exception):
    """A line outside the subset: PyYAML reads the header instead."""


def _plain(value: str) -> bool:
    return bool(value) and value[0] not in "\"'[{&*!%@`|>#" and ": " not in value and " #" not in value


class _HeaderReader:
    """Reads the subset line by line: a key (with a scalar, `>-`, or nothing before a list), a list
    item (a scalar, a one-key mapping, or a key whose list of scalars follows, indented)."""

    def __init__(self) -> None:
        self.header: dict[str, Any] = {}
        self.key: str | None = None
        self.folded: list[str] | None = None
        self.inner: list[str] | None = None

    def line(self, line: str) -> bool:
        """Take one line; False when it is outside the subset."""
        if self.folded is not None and (line.startswith("  ") or not line.strip()):
            self.folded.append(line.strip())
            return True
        self.end_folded()
        m = _KEY.match(line)
        try:
            if m:
                self._key(m.group("key"), (m.group("value") or "").strip())
            else:
                self._item(_ITEM.match(line))
        except _NotSimple:
            return False
        return True

    def end_folded(self) -> None:
        if self.folded is not None and self.key is not None:
            self.header[self.key] = " ".join(x for x in self.folded if x)
        self.folded = None

    def _key(self, key: str, value: str) -> None:
        self.key = key
        if value == ">-":
            self.folded = []
        elif not value:
            self.header[key] = []
        elif _plain(value):
            self.header[key] = value
        else:
            raise _NotSimple

    def _item(self, item: re.Match[str] | None) -> None:
        if item is None or self.key is None or not isinstance(self.header.get(self.key), list):
            raise _NotSimple
        items: list[Any] = self.header[self.key]
        value = (item.group("scalar") or item.group("value") or "").strip()
        if value and not _plain(value):
            raise _NotSimple
        if item.group("scalar") is not None:
            (self.inner if self.inner is not None and len(item.group("indent")) > 2 else items).append(value)
        elif item.group("value") is not None:
            items.append({item.group("key"): value})
            self.inner = None
        else:
            self.inner = []
            items.append({item.group("key"): self.inner})


def _header(text: str, path: Path) -> dict[str, Any]:
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    if not lines:
        return {}
    simple = _simple_header(lines)
    if simple is not None:
        return simple
    import yaml  # only headers beyond the simple subset need it

    try:
        header = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (header line {mark.line + 1})" if mark is not None else ""
        raise InputError(f"{path}: the #+ header is not valid YAML{where}: {e}") from None
    if not isinstance(header, dict):
        raise InputError(f"{path}: the #+ header must be a YAML mapping, like '#+ summary: ...'")
    return header


def _pairs(value: Any) -> dict[str, Any]:
    """grlc writes defaults and enumerate as a list of one-key mappings; accept a mapping too."""
    if isinstance(value, dict):
        return value
    merged: dict[str, Any] = {}
    for item in value or []:
        if isinstance(item, dict):
            merged.update(item)
    return merged


def load_query(path: Path, *, allow_remote: bool = False, bundled: bool = False) -> StoredQuery:
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark, as some editors save, is not text
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else "not UTF-8 text"
        raise InputError(f"cannot read query file {path}: {reason}") from None
    return parse_query(text, path, allow_remote=allow_remote, bundled=bundled)


def parse_query(text: str, path: Path, *, allow_remote: bool = False, bundled: bool = False) -> StoredQuery:
    """A query from its text; `path` names it in messages (and `-` is standard input). A query the user
    wrote is parsed (rdflib's SPARQL 1.1 grammar) before any store sees it, so that a mistake is the same
    exit 2 on every store, and SERVICE is found in the query, not in its strings, IRIs or comments. The
    bundled queries are held to that by the tests and skip it: the query path starts quicker."""
    text = text.removeprefix("\ufeff")
    if not _form(text):
        raise InputError(
            f"{path}: not a SELECT, CONSTRUCT, ASK or DESCRIBE query",
            hint="updates are refused: load or retract data with ssbkg load and ssbkg retract",
        )
    parts = set() if bundled else parsed_parts(text, str(path))
    if not allow_remote and "ServiceGraphPattern" in parts:
        raise InputError(
            f"{path}: SERVICE is refused in query files",
            hint="it reaches outside the store; remove it, or pass --allow-remote",
        )
    header = _header(text, path)
    return StoredQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(header.get("summary", "")),
        description=str(header.get("description", "")),
        tags=tuple(str(t) for t in header.get("tags") or ()),
        defaults={k: str(v) for k, v in _pairs(header.get("defaults")).items()},
        enumerate={k: tuple(str(x) for x in v or ()) for k, v in _pairs(header.get("enumerate")).items()},
        parameters=tuple(find_parameters(text)),
        graphs=dataset_graphs(text, str(path), parts),
        roles=_roles(header.get("columns"), path),
        examples={k: str(v) for k, v in _pairs(header.get("examples")).items()},
    )


def _roles(value: Any, path: Path) -> Roles | None:
    """`#+ columns:` with `- identify: ...`, `- answer: ...` and `- detail: ...` (names apart by spaces
    or commas; the detail in the order it gives way); grlc ignores the key."""
    if value is None:
        return None
    pairs = _pairs(value)
    unknown = set(pairs) - {"identify", "answer", "detail"}
    if unknown:
        raise InputError(
            f"{path}: the #+ columns header knows identify, answer and detail, not {', '.join(sorted(unknown))}"
        )
    names = {k: tuple(re.split(r"[\s,]+", str(v).strip())) if v else () for k, v in pairs.items()}
    return Roles(names.get("identify", ()), names.get("answer", ()), names.get("detail", ()))


def parsed_parts(text: str, where: str) -> set[str]:
    """The names of the parts of a parsed query (SelectQuery, ServiceGraphPattern, ...); a query that
    does not parse is refused with its line and column."""
    from pyparsing import ParseException, ParseResults
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(text)
    except ParseException as e:
        rest = e.line[e.column - 1 :].strip()
        near = f"near {rest[:30]!r}" if rest else "at the end of the line"
        raise InputError(
            f"{where}, line {e.lineno}, column {e.column}: the query does not parse, {near}",
            hint="check the SPARQL 1.1 syntax there",
        ) from None
    names: set[str] = set()
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
    return names


_INLINE = re.compile(r"^\s*(PREFIX|BASE|SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)


def stored_queries(directory: Path | None = None) -> dict[str, StoredQuery]:
    directory = directory or resources.queries_dir()
    bundled = directory == resources.queries_dir()
    return {p.stem: load_query(p, bundled=bundled) for p in sorted(directory.glob("*.rq"))}


def find_query(name_or_file: str, *, allow_remote: bool = False, folders: Sequence[Path] = ()) -> StoredQuery:
    """A stored query by name (in the user's folders first, then the bundled ones), a query file by
    path (ending in .rq or .sparql: no other file is read), `-` for a query on standard input, or the
    text of a query itself (as arq and sqlite-utils take it). What exists is asked first (a file, a
    stored name), how the text looks last: `ask.rq` is a file and `select-everything` a name, though
    each starts as a query does."""
    if name_or_file == "-":
        return parse_query(_stdin(), Path("-"), allow_remote=allow_remote)
    if name_or_file.endswith((".rq", ".sparql")) and _is_file(name_or_file):
        return load_query(Path(name_or_file), allow_remote=allow_remote)
    for folder in (*folders, resources.queries_dir()):
        # By the names the folder lists, never by a path built from the text: a name cannot leave it.
        if name_or_file in {p.stem for p in folder.glob("*.rq")}:
            return load_query(folder / f"{name_or_file}.rq", bundled=folder == resources.queries_dir())
    if name_or_file.endswith((".rq", ".sparql")) and not any(c.isspace() for c in name_or_file):
        raise InputError(f"query file {name_or_file} does not exist", hint="check the path")
    if _INLINE.match(name_or_file.lstrip("\ufeff")):
        return parse_query(name_or_file, Path("query"), allow_remote=allow_remote)
    names = sorted({q.name for q, _ in catalogue(folders)})
    raise InputError(
        f"no stored query named {name_or_file!r}",
        hint="stored queries: " + ", ".join(names) + " (or give a .rq file)",
    )


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # too long for a path, or a NUL in it
        return False


def _stdin() -> str:
    """Standard input as UTF-8 text (a byte-order mark dropped); anything else is the user's mistake."""
    import sys

    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            f"-: standard input is not UTF-8 text (byte {e.start + 1} is 0x{data[e.start]:02x})",
            hint="save the query as UTF-8, or convert it with iconv -t UTF-8",
        ) from None


def catalogue(folders: Sequence[Path] = ()) -> list[tuple[StoredQuery, str]]:
    """Every stored query with where it comes from: the user's folders first (a query there takes the
    place of a bundled one of the same name), then the bundled ones."""
    seen: dict[str, tuple[StoredQuery, str]] = {}
    for folder in (*folders, resources.queries_dir()):
        where = "bundled" if folder == resources.queries_dir() else str(folder)
        for name, q in stored_queries(folder).items():
            seen.setdefault(name, (q, where))
    return [seen[n] for n in sorted(seen)]
