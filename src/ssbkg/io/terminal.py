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

GAP = "  "
NARROW = 16  # a column this wide or less is shown whole; a wider one is cut to this when space is short
LONG = 50  # text wider than this (titles, notes, lists of sources) is shown last, cut
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
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def identifying(header: str) -> bool:
    return header in ("label", "name") or header.endswith(("Label", "Name"))


def _words(header: str) -> list[str]:
    return re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])|[^A-Za-z0-9]+", header) or [header]


def _header_min(header: str) -> int:
    return max(cells(w) for w in _words(header))


def layout(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int | None) -> Layout:
    natural = [max([cells(h)] + [cells(r[i]) for r in rows]) for i, h in enumerate(headers)]
    gaps = len(GAP) * (len(headers) - 1)
    if width is None or sum(natural) + gaps <= width:
        return Layout([Column(h, i, natural[i], False) for i, h in enumerate(headers)], [])
    fitting = _Fitting(headers, rows, width, natural)
    fitting.in_query_order()
    fitting.grow_identifying()
    fitting.grow_the_rest()
    return fitting.layout()


class _Fitting:
    """Columns fitted into a width that cannot show them all, one rule a method, in the order they
    apply: the identifying columns first, at a share of the width; then the others in the query's
    order; then what is left, to the identifying columns and then to the cut ones."""

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[str]], width: int, natural: list[int]) -> None:
        self.headers, self.rows, self.width, self.natural = headers, rows, width, natural
        self.values = [max([1] + [cells(r[i]) for r in rows]) for i in range(len(headers))]
        self.ident = [i for i, h in enumerate(headers) if identifying(h)] or [0]
        share = max(12, width * 2 // 5 // len(self.ident))
        self.widths = {i: min(natural[i], max(share, _header_min(headers[i]))) for i in self.ident}
        self.used = sum(self.widths.values()) + len(GAP) * (len(self.ident) - 1)

    def need(self, i: int) -> int:
        """A column's least width: whole if narrow, else cut to NARROW; never below its header's words."""
        return max(min(self.values[i], NARROW), _header_min(self.headers[i]))

    def typical(self, i: int) -> int:
        """A column's 90th-percentile value: the width at which most rows need no second line."""
        seen = sorted(cells(r[i]) for r in self.rows) or [1]
        return max(seen[(len(seen) * 9) // 10 - (1 if len(seen) % 10 == 0 else 0)], _header_min(self.headers[i]))

    def in_query_order(self) -> None:
        """In the query's order (its author put the important ones first), each whole if narrow, else
        cut; long text, and IRIs that a label beside them names, only when there is room after the rest."""
        headers = self.headers
        named = {i for i, h in enumerate(headers) if f"{h}Label" in headers or f"{h}Name" in headers}
        if "label" in headers and 0 not in self.ident:
            named.add(0)
        later = {i for i in range(len(headers)) if self.natural[i] > LONG} | named
        for deferred in (False, True):
            for i in range(len(headers)):
                if i in self.widths or (i in later) != deferred:
                    continue
                if self.used + len(GAP) + self.need(i) <= self.width:
                    self.widths[i] = self.need(i)
                    self.used += len(GAP) + self.need(i)

    def grow_identifying(self) -> None:
        """What is left goes to the identifying columns: first so that most rows need no second line
        (each up to its typical value, the nearest first), then up to their widest."""
        for goal in (self.typical, lambda i: self.natural[i]):
            for i in sorted(self.ident, key=lambda i: goal(i) - self.widths[i]):
                self._grow(i, goal(i))

    def grow_the_rest(self) -> None:
        """Then to the cut columns, in the query's order."""
        for i in sorted(set(self.widths) - set(self.ident)):
            self._grow(i, self.natural[i])

    def _grow(self, i: int, goal: int) -> None:
        extra = min(goal - self.widths[i], self.width - self.used)
        if extra > 0:
            self.widths[i] += extra
            self.used += extra

    def layout(self) -> Layout:
        columns = [Column(self.headers[i], i, self.widths[i], i in self.ident) for i in sorted(self.widths)]
        return Layout(columns, [h for i, h in enumerate(self.headers) if i not in self.widths])


def _cut(text: str, width: int) -> str:
    if cells(text) <= width:
        return text
    out = ""
    for c in text:
        if cells(out + c) > width - 1:
            break
        out += c
    return out + ELLIPSIS


def _wrap_text(text: str, width: int) -> list[str]:
    """Wrapped at spaces and after hyphens (an IRI's slug breaks between its words)."""
    return _wrap(re.findall(r"[^\s-]*-+|[^\s-]+", text), width, sep=" ", glue_after="-")


def _wrap(words: Sequence[str], width: int, sep: str = " ", glue_after: str = "") -> list[str]:
    lines: list[str] = []
    for word in words:
        joint = "" if glue_after and lines and lines[-1].endswith(glue_after) else sep
        if lines and cells(lines[-1] + joint + word) <= width:
            lines[-1] += joint + word
        else:
            lines.append(word)
    return [piece for line in lines for piece in _hard_wrap(line, width)] or [""]


def _hard_wrap(line: str, width: int) -> list[str]:
    out = [""]
    for c in line:
        if cells(out[-1] + c) > width:
            out.append("")
        out[-1] += c
    return out


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cells(text))


def render(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int | None) -> str:
    headers = [printable(h) for h in headers]
    rows = [[printable(cell) for cell in row] for row in rows]
    plan = layout(headers, rows, width)
    head = [_wrap(_words(c.name), c.width, sep="") for c in plan.columns]
    lines = _block(head, plan.columns)
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
    return "\n".join(lines) + "\n"


def _block(pieces: list[list[str]], columns: list[Column]) -> list[str]:
    height = max(len(p) for p in pieces)
    return [
        GAP.join(_pad(p[k] if k < len(p) else "", c.width) for p, c in zip(pieces, columns, strict=True)).rstrip()
        for k in range(height)
    ]
