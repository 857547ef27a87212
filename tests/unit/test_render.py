"""The output renderers (render.py, terminal.py) on a real answer: every row format says the same rows,
machine formats keep types, a table fits its width with names whole. The command line's choice of
format and the terminal's width are tested in tests/cli."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

import ssbkg
from ssbkg.io import terminal
from ssbkg.io.render import render_rows, select_columns
from ssbkg.io.terms import plain
from ssbkg.stores import QueryResult, Store

SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture
def members(db: Store) -> QueryResult:
    result = ssbkg.query(db, "alliance-members", {"alliance": "casip"})
    assert isinstance(result, QueryResult) and len(result.rows) == 14
    return result


def _texts(result: QueryResult) -> list[dict[str, str]]:
    return [{v: plain(t) for v, t in zip(result.variables, row, strict=True) if t is not None} for row in result.rows]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_delimited_rows_say_every_value_with_lf_endings(members: QueryResult, fmt: str) -> None:
    out = render_rows(members, fmt)
    assert "\r" not in out and out.endswith("\n")
    got = list(csv.DictReader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
    assert [{k: v for k, v in r.items() if v} for r in got] == _texts(members)


def test_json_is_sparql_results_with_datatypes(members: QueryResult) -> None:
    doc = json.loads(render_rows(members, "json"))
    assert doc["head"]["vars"] == members.variables and len(doc["results"]["bindings"]) == 14
    catl = doc["results"]["bindings"][0]
    assert catl["label"]["value"] == "CATL" and catl["member"]["type"] == "uri"
    assert catl["confidence"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"


def test_jsonl_keeps_numbers_as_numbers(members: QueryResult) -> None:
    lines = [json.loads(line) for line in render_rows(members, "jsonl").splitlines()]
    assert len(lines) == 14 and lines[0]["label"] == "CATL"
    assert lines[0]["confidence"] == 0.8 and lines[0]["sourceCount"] == 9  # with Electrek


def test_xml_is_sparql_results_that_parse(members: QueryResult) -> None:
    root = ET.fromstring(render_rows(members, "xml"))
    variables = [v.get("name") for v in root.iter(f"{SPARQL_RESULTS}variable")]
    assert variables == members.variables and len(list(root.iter(f"{SPARQL_RESULTS}result"))) == 14


def test_markdown_is_a_table_with_short_names(members: QueryResult) -> None:
    lines = render_rows(members, "md").splitlines()
    assert lines[0].startswith("| member | label |") and set(lines[1]) <= {"|", "-", " ", ":"}
    assert "ssbid:catl" in lines[2] and len(lines) == 2 + 14


def test_columns_are_chosen_in_the_order_given_and_an_unknown_one_is_named(members: QueryResult) -> None:
    chosen = select_columns(members, ["certainty", "label"])
    assert chosen.variables == ["certainty", "label"] and plain(chosen.rows[0][1]) == "CATL"
    with pytest.raises(ssbkg.InputError, match="labels"):
        select_columns(members, ["labels"])


def test_chinese_names_count_two_cells() -> None:
    assert terminal.cells("宁德时代") == 8 and terminal.cells("CATL") == 4
    out = terminal.render(["label", "note"], [["宁德时代", "x" * 200]], 40)
    assert max(terminal.cells(line) for line in out.splitlines()) <= 40 and "宁德时代" in out


@pytest.mark.parametrize("width", [80, 120])
def test_a_table_fits_its_width_and_keeps_every_name_whole(members: QueryResult, width: int) -> None:
    texts = [[plain(t) for t in row] for row in members.rows]
    out = terminal.render(members.variables, texts, width)
    assert max(terminal.cells(line) for line in out.splitlines()) <= width
    for name in ("CATL", "Gotion High-tech", "Chinese Academy of Sciences"):
        assert name in out


def test_control_sequences_never_reach_the_terminal_raw() -> None:
    assert "\x1b" not in terminal.printable("Evil\x1b[2J Co") and "Evil" in terminal.printable("Evil\x1b[2J Co")
