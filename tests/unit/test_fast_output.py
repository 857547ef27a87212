"""The output path's shortcuts (issue 38: a 5,000-row table in about 100 ms, not 930) give what the
plain definitions give: widths, cuts and wraps on text of any script, and the SPARQL JSON document."""

from __future__ import annotations

import json
import unicodedata

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st

from ssbkg.io import render, terminal
from ssbkg.stores import QueryResult

# Latin, CJK (two cells each), combining marks, spaces, hyphens and slashes where words break.
TEXT = st.text(alphabet=st.sampled_from([*"ab Zé-/:.", "宁", "德", "時", "代", "\u0301", "ｆ", "x"]), max_size=60)


def plain_cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def plain_cut(text: str, width: int) -> str:
    if plain_cells(text) <= width:
        return text
    out = ""
    for c in text:
        if plain_cells(out + c) > width - 1:
            break
        out += c
    return out + terminal.ELLIPSIS


def plain_hard_wrap(line: str, width: int) -> list[str]:
    out = [""]
    for c in line:
        if plain_cells(out[-1] + c) > width:
            out.append("")
        out[-1] += c
    return out


def plain_wrap_text(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        for k, piece in enumerate([word] if plain_cells(word) <= width else terminal._pieces(word)):
            joint = "" if k else " "
            if lines and plain_cells(lines[-1] + joint + piece) <= width:
                lines[-1] += joint + piece
            else:
                lines.append(piece)
    return [piece for line in lines for piece in plain_hard_wrap(line, width)] or [""]


@given(TEXT, st.integers(min_value=2, max_value=30))
def test_widths_cuts_and_wraps_are_the_plain_definitions(text: str, width: int) -> None:
    assert terminal.cells(text) == plain_cells(text)
    assert terminal._cut(text, width) == plain_cut(text, width)
    assert terminal._hard_wrap(text, width) == plain_hard_wrap(text, width)
    assert terminal._wrap_text(text, width) == plain_wrap_text(text, width)


@given(st.text(max_size=30))
def test_printable_text_is_shown_as_it_is_and_control_characters_written_out(text: str) -> None:
    shown = terminal.printable(text)
    assert shown == terminal._UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def test_the_json_document_is_the_sparql_results_format() -> None:
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    rows = [
        (
            ox.NamedNode("https://w3id.org/ssbkg/id/catl"),
            ox.Literal("宁德时代", language="zh"),
            ox.Literal("3", datatype=integer),
        ),
        (ox.BlankNode("b0"), None, ox.Literal('say "hi"\n')),
    ]
    document = json.loads(render.render_rows(QueryResult(["s", "label", "n"], rows), "json"))
    assert document == {
        "head": {"vars": ["s", "label", "n"]},
        "results": {
            "bindings": [
                {
                    "s": {"type": "uri", "value": "https://w3id.org/ssbkg/id/catl"},
                    "label": {"type": "literal", "value": "宁德时代", "xml:lang": "zh"},
                    "n": {"type": "literal", "value": "3", "datatype": integer.value},
                },
                {"s": {"type": "bnode", "value": "b0"}, "n": {"type": "literal", "value": 'say "hi"\n'}},
            ]
        },
    }
    assert json.loads(render.render_rows(QueryResult(["s"], []), "json"))["results"]["bindings"] == []


def test_a_term_made_short_is_its_prefixed_name_or_its_value() -> None:
    assert render.short(ox.NamedNode("https://w3id.org/ssbkg/id/catl")) == "ssbid:catl"
    assert render.short(ox.NamedNode("https://example.org/a/b")) == "https://example.org/a/b"
    assert render.short(ox.Literal("0.8", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))) == "0.8"
    assert render.short(None) == ""
