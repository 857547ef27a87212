"""Answers a server cut short at its cap on rows, found out rather than taken as whole.

Virtuoso sends at most `ResultSetMaxRows` rows of any answer (10,000 in Debian's virtuoso.ini) and
drops the rest. Measured on Virtuoso 7.2: a SELECT of 10,201 solutions gave 10,000 rows and an
`X-SPARQL-MaxRows: 10000` header; a CONSTRUCT of 20,402 triples gave 10,000 triples and no header
at all. So a SELECT is judged by the header, and a CONSTRUCT by asking the server once whether it
sends more rows than the CONSTRUCT gave triples.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from ssbkg.io.terms import whole_number

HEADER = "x-sparql-maxrows"
PROBE_FROM = 1000  # smaller answers are taken as whole: no server caps answers this low by default
HINT = (
    "raise the server's cap (Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini) "
    "above the rows you expect, or ask a narrower question"
)


def header_cap(headers: Mapping[str, str]) -> int | None:
    """The cap a server says it applied to this answer, if it says so."""
    text = headers.get(HEADER, "").strip()
    return whole_number(text)


def probe(rows: int) -> str:
    """A SELECT of exactly `rows` solutions of one short number each, made from nothing stored."""
    digits = " ".join(str(i) for i in range(100))
    values = " ".join(f"VALUES ?{v} {{ {digits} }}" for v in "abcd")  # 10^8 solutions to cut from
    return f"SELECT ?a WHERE {{ {values} }} LIMIT {rows}"


def split_prologue(sparql: str) -> tuple[str, str]:
    """A SELECT's PREFIX and BASE lines, and the query after them (to wrap it in a count)."""
    at = re.search(r"(?im)^\s*SELECT\b", sparql)
    return (sparql[: at.start()], sparql[at.start() :]) if at else ("", sparql)


T = TypeVar("T")


def paged(first: Sequence[T], cap: int, page: Callable[[int], Sequence[T]]) -> list[T]:
    """`first` and the pages after it, each asked from its offset, until one comes short of `cap`."""
    rows = list(first)
    while True:
        more = page(len(rows))
        rows.extend(more)
        if len(more) < cap:
            return rows
