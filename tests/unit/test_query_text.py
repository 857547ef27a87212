"""The stored queries' text: grlc needs each file whole, so the as-of block is written out in each
query that takes `asOf`; a test holds every copy to one canonical text. And no query declares a
prefix it never uses (xsd excepted: grlc writes it before every SELECT, subqueries too, unless the
query declares it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QUERIES = sorted((ROOT / "queries").rglob("*.rq"))
CANONICAL = (ROOT / "tests" / "snapshots" / "as-of-block.txt").read_text(encoding="utf-8").strip()
# A copy may name its variables with an "asof" prefix, to keep them apart from the query's own.
_RENAMED = {
    "asofDate": "sourceDate",
    "asofNotBefore": "notBefore",
    "asofNotAfter": "notAfter",
    "asofD": "d",
    "asofStart": "start",
    "asofEnd": "end",
    "asofEarliest": "earliest",
    "asofLatest": "latest",
}
# candidates works out as-of days for its own candidates only (issue 17): a block of its own.
_OWN_BLOCK = {"candidates.rq"}


def as_of_blocks(text: str) -> list[str]:
    """Each as-of block of a query, comments and layout dropped, its variables named canonically."""
    found, block = [], None
    for line in text.splitlines():
        if block is None and re.search(r"schema:datePublished\|schema:dateCreated \?\w+ \}", line):
            block = []
        if block is None:
            continue
        if line.strip() and not line.strip().startswith("#"):
            block.append(" ".join(line.split()))
        end = re.search(r'"later"\)\)\) AS \?(\w+)\)', line)
        if end:
            canonical = re.sub(r"\?(asof\w+)", lambda v: "?" + _RENAMED.get(v.group(1), v.group(1)), "\n".join(block))
            found.append(canonical.replace(f"AS ?{end.group(1)})", "AS ?published)"))
            block = None
    return found


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.relative_to(ROOT / "queries").as_posix())
def test_every_as_of_block_is_the_canonical_one(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    blocks = as_of_blocks(text)
    if "?__asOf_xsd_date" in text and path.name not in _OWN_BLOCK:
        assert blocks, "takes asOf but holds no as-of block"
    for block in blocks:
        assert block == CANONICAL, f"{path.name}: its as-of block differs from tests/snapshots/as-of-block.txt"


def test_the_as_of_blocks_are_found() -> None:
    # A guard on the reader: ten copies in eight queries (conflicts has three).
    assert sum(len(as_of_blocks(p.read_text(encoding="utf-8"))) for p in QUERIES) == 10


def unused_prefixes(text: str) -> list[str]:
    declared = re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", text)
    body = "\n".join(line for line in text.splitlines() if not re.match(r"(?i)^\s*PREFIX", line))
    body = re.sub(r"<[^>\s]*>", "<>", body)  # IRIs, then strings, then comments
    body = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', body)
    body = re.sub(r"#[^\n]*", "", body)
    return [p for p in declared if p != "xsd" and not re.search(rf"(?<![\w?$-]){re.escape(p)}:", body)]


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.relative_to(ROOT / "queries").as_posix())
def test_no_query_declares_a_prefix_it_never_uses(path: Path) -> None:
    assert unused_prefixes(path.read_text(encoding="utf-8")) == []


def test_an_unused_prefix_is_found() -> None:
    text = "PREFIX org: <http://www.w3.org/ns/org#>\nPREFIX dct: <http://purl.org/dc/terms/>\n"
    assert unused_prefixes(text + 'SELECT * WHERE { ?a org:memberOf ?b } # dct: "dct:x"') == ["dct"]
