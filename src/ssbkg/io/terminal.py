"""A table for a person at a terminal: the names in full, every row on one line where it can, and
no column left out without saying so.

The identifying columns (a label or a name; else the first column) are never cut: at worst they wrap
onto a second line. Other columns keep their values' width (a long header wraps at its camelCase
words), long text is cut with an ellipsis, and the columns that do not fit are named in a footer.
Widths count what a terminal shows: a Chinese character takes two cells.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# A query's roles (stores.base.Roles): the columns that identify, those that answer, the detail.
Roles = tuple[Sequence[str], Sequence[str], Sequence[str]]

GAP = "  "
NARROW = 16  # a column this wide or less is shown whole; a wider one is cut to this when space is short
LONG = 50  # text wider than this (titles, notes, lists of sources) is shown last, cut
WRAP_MIN = 8  # an answer or a name is never narrower than this (or its header's longest word)
ELLIPSIS = "…"


@dataclass
class Column:
    name: str
    index: int
    width: int
    wraps: bool  # an identifying column: wrapped, never cut


@dataclass
class Layout:
    columns: list[Column]
    hidden: list[str]  # the columns that did not fit, in the query's order


# Control characters (ESC starts the sequences that retitle a window or clear the screen), and the
# marks that reorder text on screen (bidi overrides). Data may hold them; a terminal must not obey them.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, *, keep: str = "") -> str:
    """Text safe to show a person: each control character written out (\\x1b), never sent raw; `keep`
    is a separator left as it is (CSV's line ends, "\\r\\n")."""
    if text.isprintable():  # no control or format character at all: nearly every value
        return text
    if keep:
        return keep.join(printable(part) for part in text.split(keep))
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def terminal_width() -> int | None:
    """The width to fit: the terminal's, or $COLUMNS when piped; None means no limit."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


def cells(text: str) -> int:
    """How many terminal cells a text takes: two for a wide character (CJK), one for the rest."""
    if text.isascii():  # nearly every value: no character to look up
        return len(text)
    return sum(map(_cell, text))


@lru_cache(maxsize=4096)
def _cell(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


def identifying(header: str) -> bool:
    return header in ("label", "name") or header.endswith(("Label", "Name"))


def _words(header: str) -> list[str]:
    return re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])|[^A-Za-z0-9]+", header) or [header]


def _header_min(header: str) -> int:
    return max(cells(w) for w in _words(header))


@dataclass(frozen=True)
class Meaning:
    """What the columns are to the reader: `ident` and `answer` are never left out (they wrap when
    space is short), `give_way` lists the others in the order they are left out."""

    ident: tuple[int, ...]
    answer: tuple[int, ...]
    give_way: tuple[int, ...]

    @classmethod
    def of(
        cls,
        headers: Sequence[str],
        natural: Sequence[int],
        identify: Sequence[str] = (),
        answer: Sequence[str] = (),
        detail: Sequence[str] = (),
        *,
        chosen: bool = False,
    ) -> Meaning:
        """From a query's roles (by column name), or, without them, from the names: a label or a name
        identifies (else the first column), the rest give way from the last, long text and IRIs that a
        label beside them names first. `chosen`: the user named every column (--columns): none gives way."""
        index = {h: i for i, h in enumerate(headers)}
        ident = tuple(index[h] for h in identify if h in index)
        if not ident:
            ident = tuple(i for i, h in enumerate(headers) if identifying(h)) or (0,)
        rest = [i for i in range(len(headers)) if i not in ident]
        if chosen:
            return cls(ident, tuple(rest), ())
        said = tuple(index[h] for h in answer if h in index and index[h] not in ident)
        listed = [index[h] for h in detail if h in index and index[h] not in ident + said]
        named = {i for i, h in enumerate(headers) if f"{h}Label" in index or f"{h}Name" in index}
        if "label" in index and 0 not in ident:
            named.add(0)
        unlisted = [i for i in reversed(rest) if i not in said and i not in listed]
        first = [i for i in unlisted if natural[i] > LONG or i in named]
        return cls(ident, said, tuple(first + [i for i in unlisted if i not in first] + listed))


def layout(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int | None,
    roles: Roles | None = None,
    *,
    chosen: bool = False,
    sizes: Sequence[Sequence[int]] | None = None,
) -> Layout:
    """`sizes`: each column's values' widths, when the caller has them already."""
    sizes = sizes if sizes is not None else [[cells(r[i]) for r in rows] for i in range(len(headers))]
    natural = [max([cells(h), *sizes[i]]) for i, h in enumerate(headers)]
    gaps = len(GAP) * (len(headers) - 1)
    if width is None or sum(natural) + gaps <= width:
        return Layout([Column(h, i, natural[i], False) for i, h in enumerate(headers)], [])
    meaning = Meaning.of(headers, natural, *(roles or ()), chosen=chosen)
    fitting = _Fitting(headers, sizes, width, natural, meaning)
    fitting.place_the_answer()
    fitting.add_detail()
    fitting.grow()
    return fitting.layout()


class _Fitting:
    """Columns fitted into a width that cannot show them all, one rule a method, in the order they
    apply: the identifying columns and the answer first, each at a width where most rows take one line
    (at most a third of the terminal), narrowed together until they fit; then the detail, the last to
    give way first, while it fits; then what is left over, to the names, the answer and the detail."""

    def __init__(
        self, headers: Sequence[str], sizes: Sequence[Sequence[int]], width: int, natural: list[int], meaning: Meaning
    ) -> None:
        self.headers, self.sizes, self.width, self.natural, self.meaning = headers, sizes, width, natural, meaning
        self.values = [max([1, *sizes[i]]) for i in range(len(headers))]
        self.must = (*meaning.ident, *meaning.answer)
        self.widths: dict[int, int] = {}

    def least(self, i: int) -> int:
        """A column's least width: short values whole; a long answer or name wraps down to WRAP_MIN, long
        detail is cut to NARROW; never below its header's words."""
        if self.values[i] <= NARROW:
            return max(self.values[i], _header_min(self.headers[i]))
        return max(_header_min(self.headers[i]), WRAP_MIN if i in self.must else NARROW)

    def typical(self, i: int) -> int:
        """A column's 90th-percentile value: the width at which most rows need no second line."""
        seen = sorted(self.sizes[i]) or [1]
        return max(seen[(len(seen) * 9) // 10 - (1 if len(seen) % 10 == 0 else 0)], _header_min(self.headers[i]))

    def _used(self) -> int:
        return sum(self.widths.values()) + len(GAP) * (len(self.widths) - 1)

    def place_the_answer(self) -> None:
        for i in self.must:
            self.widths[i] = max(self.least(i), min(self.typical(i), self.width // 3))
        while self._used() > self.width:
            i = max(self.must, key=lambda i: (self.widths[i] - self.least(i), -i))
            if self.widths[i] <= self.least(i):
                break  # each at its least: the terminal is narrower than the answer
            self.widths[i] -= 1

    def add_detail(self) -> None:
        for i in reversed(self.meaning.give_way):
            if self._used() + len(GAP) + self.least(i) <= self.width:
                self.widths[i] = self.least(i)

    def grow(self) -> None:
        for i in (*self.must, *sorted(set(self.widths) - set(self.must))):
            extra = min(self.natural[i] - self.widths[i], self.width - self._used())
            if extra > 0:
                self.widths[i] += extra

    def layout(self) -> Layout:
        wraps = set(self.must)
        columns = [Column(self.headers[i], i, self.widths[i], i in wraps) for i in sorted(self.widths)]
        return Layout(columns, [h for i, h in enumerate(self.headers) if i not in self.widths])


def _cut(text: str, width: int) -> str:
    if cells(text) <= width:
        return text
    if text.isascii():
        return text[: max(width - 1, 0)] + ELLIPSIS
    used = 0
    for k, c in enumerate(text):
        used += _cell(c)
        if used > width - 1:
            return text[:k] + ELLIPSIS
    return text + ELLIPSIS


def _wrap_text(text: str, width: int) -> list[str]:
    """Wrapped at spaces; a word wider than the column also inside it (see `_pieces`), so that
    lithium-news.com stays whole where it fits and an IRI's slug breaks between its words."""
    if cells(text) <= width:  # the common case: it fits, spaces folded as below
        return [" ".join(text.split())]
    lines: list[str] = []
    used = 0  # the cells of the last line
    for word in text.split():
        for k, piece in enumerate([word] if cells(word) <= width else _pieces(word)):
            joint = "" if k else " "
            wide = cells(piece)
            if lines and used + len(joint) + wide <= width:
                lines[-1] += joint + piece
                used += len(joint) + wide
            else:
                lines.append(piece)
                used = wide
    return [piece for line in lines for piece in _hard_wrap(line, width)] or [""]


def wrap(text: str, width: int | None, indent: str = "", *, hang: str | None = None) -> list[str]:
    """A paragraph wrapped to `width` terminal cells (a Chinese character takes two), each line after
    `indent` (the lines after the first after `hang`, when given); unwrapped when width is None."""
    if width is None:
        return [indent + text]
    rest = indent if hang is None else hang
    lines = _wrap_text(text, max(width - max(cells(indent), cells(rest)), 20))
    return [(indent if k == 0 else rest) + line for k, line in enumerate(lines)]


_LEAD = re.compile(r"^(?:Error: |Hint: )?[ │├└─]*(?:- )?")


def fit(text: str, width: int | None) -> str:
    """Lines of a message, a report or a tree wrapped to `width`, each continued under its own text:
    after a tree's guides (├─ continues as │), a list's dash or "Error: "."""
    if width is None:
        return text
    out: list[str] = []
    for line in text.split("\n"):
        if cells(line) <= width:
            out.append(line)
            continue
        lead = _LEAD.match(line).group()  # type: ignore[union-attr]  # it matches the empty string too
        hang = re.sub(r"[^│ ]", " ", lead.replace("├─", "│ ").replace("└─", "  "))
        out += wrap(line[len(lead) :], width, lead, hang=hang)
    return "\n".join(out)


def stderr_width() -> int | None:
    """The width of the terminal that stderr shows, or None when it is no terminal."""
    return shutil.get_terminal_size().columns if sys.stderr.isatty() else None


def _pieces(word: str) -> list[str]:
    """A word too wide for its column, in the pieces it may break between: after a hyphen, a slash or
    a colon, and before a capital that starts a word inside it (solidState|Research)."""
    return re.findall(r".+?(?:[-/:]+|(?<=[a-z])(?=[A-Z])|$)", word) or [word]


def _wrap(words: Sequence[str], width: int, sep: str = " ") -> list[str]:
    lines: list[str] = []
    for word in words:
        joint = sep
        if lines and cells(lines[-1] + joint + word) <= width:
            lines[-1] += joint + word
        else:
            lines.append(word)
    return [piece for line in lines for piece in _hard_wrap(line, width)] or [""]


def _hard_wrap(line: str, width: int) -> list[str]:
    if cells(line) <= width:
        return [line]
    out = [""]
    used = 0
    for c in line:
        wide = _cell(c)
        if used + wide > width:
            out.append("")
            used = 0
        out[-1] += c
        used += wide
    return out


def _pad(text: str, width: int) -> str:
    return text.ljust(width) if text.isascii() else text + " " * (width - cells(text))


def render(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int | None,
    roles: Roles | None = None,
    *,
    chosen: bool = False,
) -> str:
    """The table; `roles` say which columns identify a row and carry the answer (never left out),
    `chosen` that the user named the columns (none is left out). A prefix every value of a column
    shares (ssbid:) is left out; where the table does not fit, a detail column that says the same on
    every row is said once below it."""
    headers = [printable(h) for h in headers]
    same: list[str] = []
    rows, above = _without_shared_prefixes(headers, [[printable(cell) for cell in row] for row in rows])
    sizes = [[cells(r[i]) for r in rows] for i in range(len(headers))]  # measured once, used thrice
    if width is not None and len(rows) > 1:
        headers, rows, same, sizes = _hoist_constants(headers, rows, width, roles, chosen, sizes)
    plan = layout(headers, rows, width, roles, chosen=chosen, sizes=sizes)
    head = [_wrap(_words(c.name), c.width, sep="") for c in plan.columns]
    lines = [*above, *([""] if above else []), *_block(head, plan.columns)]
    lines.append(GAP.join("─" * c.width for c in plan.columns))
    for row in rows:
        cells_of_row = [
            _wrap_text(row[c.index], c.width) if c.wraps else [_cut(row[c.index], c.width)] for c in plan.columns
        ]
        lines += _block(cells_of_row, plan.columns)
    if not rows:
        lines.append("(no rows)")
    if plan.hidden:
        n = len(plan.hidden)
        note = (
            f"{n} more column{'s' if n > 1 else ''} did not fit: {', '.join(plan.hidden)}. "
            f"Choose with --columns {','.join(c.name for c in plan.columns[:2])},..., or use --format csv."
        )
        lines += ["", *(_wrap(note.split(" "), width) if width else [note])]
    if same:
        note = "The same on every row: " + "; ".join(same) + "."
        lines += ["", *(_wrap(note.split(" "), width) if width else [note])]
    return "\n".join(lines) + "\n"


_PREFIXED = re.compile(r"^([A-Za-z][\w.-]*):(?!//)\S+$")


def _without_shared_prefixes(headers: Sequence[str], rows: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Each column whose every value starts the same, without that start: a prefixed name's prefix
    (ssbid:) is left out; an IRI's shared path is said once, above the table."""
    said: list[str] = []
    for i, header in enumerate(headers):
        values = [r[i] for r in rows if r[i]]
        if len(values) < 2:
            continue
        matches = [_PREFIXED.match(v) for v in values]
        if all(matches) and len({m.group(1) for m in matches if m}) == 1:
            cut = len(values[0].split(":", 1)[0]) + 1
        elif all("://" in v and " " not in v for v in values):
            common = os.path.commonprefix(values)  # noqa: RUF071 (cut at its last slash below)
            cut = common.rfind("/") + 1
            if cut <= len("https://") + 1 or any(len(v) == cut for v in values):
                continue
            said.append(f"{header}: {values[0][:cut]}…")
        else:
            continue
        for r in rows:
            r[i] = r[i][cut:] if r[i] else r[i]
    return rows, said


def _hoist_constants(
    headers: list[str],
    rows: list[list[str]],
    width: int,
    roles: Roles | None,
    chosen: bool,
    sizes: list[list[int]],
) -> tuple[list[str], list[list[str]], list[str], list[list[int]]]:
    """The detail columns that say the same on every row, taken out, and each as `name value`."""
    natural = sum(max([cells(h), *sizes[i]]) for i, h in enumerate(headers))
    if chosen or natural + len(GAP) * (len(headers) - 1) <= width:
        return headers, rows, [], sizes
    must = {*roles[0], *roles[1]} if roles else set()
    same = [i for i, h in enumerate(headers) if h not in must and rows[0][i] and all(r[i] == rows[0][i] for r in rows)]
    if not same or len(same) == len(headers):
        return headers, rows, [], sizes
    said = [f"{headers[i]} {rows[0][i]}" for i in same]
    keep = [i for i in range(len(headers)) if i not in same]
    return [headers[i] for i in keep], [[r[i] for i in keep] for r in rows], said, [sizes[i] for i in keep]


def _block(pieces: list[list[str]], columns: list[Column]) -> list[str]:
    height = max(len(p) for p in pieces)
    return [
        GAP.join(_pad(p[k] if k < len(p) else "", c.width) for p, c in zip(pieces, columns, strict=True)).rstrip()
        for k in range(height)
    ]
