"""Tables for a person: at 80 and 120 columns every stored query keeps its names whole, no line is
wider than the terminal, and every column is either shown or named in the footer."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssbkg.cli import cli
from ssbkg.io import terminal
from ssbkg.namespaces import PREFIXES

# Every stored query with the parameters an analyst would give it, and the other commands that print rows.
COMMANDS = [
    ["query", "alliance-members", "-p", "alliance=casip"],
    ["query", "candidates", "-p", "alliance=casip"],
    ["query", "claims-by-source"],
    ["query", "claims-by-source", "-p", "report=report-electrive-2024-02-13"],
    ["query", "conflicts"],
    ["query", "corroboration"],
    ["query", "find", "-p", "text=CATL"],
    ["query", "organization-profile", "-p", "organization=catl"],
    ["query", "reports"],
    ["query", "top-ranked-members", "-p", "ranking=ranking-sne-2023-full-year"],
    ["query", "weakly-sourced"],
    ["queries"],
    ["graphs"],
    ["find", "solid-state"],
]


@pytest.fixture(scope="module")
def store(seeded_template: Path) -> str:
    return str(seeded_template)


def _short(value: str) -> str:
    for prefix, ns in PREFIXES.items():
        if value.startswith(ns) and "/" not in value[len(ns) :]:
            return f"{prefix}:{value[len(ns) :]}"
    return value


def _spans(rule: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer("─+", rule)]


def _slice(line: str, start: int, end: int) -> str:
    # Column positions count terminal cells: a Chinese character takes two.
    out, at = "", 0
    for c in line:
        w = terminal.cells(c)
        if start <= at < end:
            out += c
        at += w
    return out.strip()


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_every_table_keeps_its_names_and_fits(store: str, command: list[str], width: int) -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["--store", store, *command, "--format", "table"], env={"COLUMNS": str(width)})
    assert table.exit_code == 0, table.output
    rows = list(csv.DictReader(io.StringIO(runner.invoke(cli, ["--store", store, *command, "--format", "csv"]).stdout)))
    assert rows, command
    lines = table.stdout.splitlines()
    assert max(terminal.cells(line) for line in lines) <= width
    rule_at = next(i for i, line in enumerate(lines) if line and set(line) <= {"─", " "})
    spans = _spans(lines[rule_at])
    names = ["".join(_slice(h, *s) for h in lines[:rule_at]) for s in spans]
    footer = " ".join(lines[lines.index("", rule_at) + 1 :]) if "" in lines[rule_at:] else ""
    hidden = set(re.findall(r"[A-Za-z]+", footer.split(": ", 1)[1].split(". ", 1)[0])) if footer else set()
    assert set(names) | hidden == set(rows[0]), (names, hidden)
    # The identifying column is whole: its pieces, read down the lines, are every row's value in order.
    ident = next((n for n in names if terminal.identifying(n)), names[0])
    span = spans[names.index(ident)]
    body = lines[rule_at + 1 : lines.index("", rule_at) if "" in lines[rule_at:] else None]
    shown = "".join(_slice(line, *span) for line in body)
    expected = "".join(_short(r[ident]) for r in rows)
    assert shown.replace(" ", "") == expected.replace(" ", "")


def test_at_80_columns_the_quick_start_shows_every_member_by_name(store: str) -> None:
    out = (
        CliRunner()
        .invoke(
            cli,
            ["--store", store, "query", "alliance-members", "-p", "alliance=casip", "--format", "table"],
            env={"COLUMNS": "80"},
        )
        .stdout
    )
    head = out.splitlines()[0].split()
    assert head[:4] == ["label", "certainty", "confidence", "status"] and head[4] == "source"  # sourceCount, wrapped
    for name in ("CATL", "FinDreams Battery", "Gotion High-tech", "SVOLT", "WeLion", "Chinese Academy of Sciences"):
        line = next(line for line in out.splitlines() if line.startswith(name + " "))
        assert re.search(r"(reported|speculative)\s+0\.\d+\s+(undisputed|disputed)\s+\d+$", line), line
    assert "did not fit: member, sources, primarySources" in out.replace("\n", " ")


def test_columns_chooses_and_orders_and_an_unknown_one_is_named(store: str) -> None:
    runner = CliRunner()
    args = ["--store", store, "query", "alliance-members", "-p", "alliance=casip"]
    got = runner.invoke(cli, [*args, "--columns", "sourceCount,label", "--format", "csv"])
    assert got.stdout.splitlines()[:2] == ["sourceCount,label", "9,CATL"]
    bad = runner.invoke(cli, [*args, "--columns", "label,nmae"])
    assert bad.exit_code == 2 and "no column named nmae" in bad.stderr and "sourceCount" in bad.stderr


def test_piped_without_columns_set_keeps_every_column(store: str) -> None:
    out = (
        CliRunner().invoke(cli, ["--store", store, "query", "reports", "--format", "table"], env={"COLUMNS": ""}).stdout
    )
    assert "did not fit" not in out and "…" not in out
    assert out.splitlines()[0].split() == [
        "report",
        "title",
        "publisher",
        "date",
        "url",
        "cites",
        "reliability",
        "available",
        "claims",
    ]


def test_csv_and_tsv_end_lines_with_lf_and_jsonl_keeps_numbers_and_booleans(store: str) -> None:
    import json

    runner = CliRunner()
    for fmt in ("csv", "tsv"):
        out = runner.invoke(cli, ["--store", store, "query", "reports", "--format", fmt]).stdout
        assert "\r" not in out and out.endswith("\n")
    rows = [
        json.loads(line)
        for line in runner.invoke(cli, ["--store", store, "query", "reports", "--format", "jsonl"]).stdout.splitlines()
    ]
    electrive = next(r for r in rows if r["report"].endswith("report-electrive-2024-02-13"))
    assert electrive["claims"] == 17 and electrive["available"] is True and electrive["date"] == "2024-02-13"
    members = runner.invoke(
        cli, ["--store", store, "query", "alliance-members", "-p", "alliance=casip", "--format", "jsonl"]
    )
    catl = json.loads(members.stdout.splitlines()[0])
    assert catl["confidence"] == 0.8 and catl["sourceCount"] == 9 and catl["label"] == "CATL"


def test_control_sequences_in_data_never_reach_the_terminal_raw(run_embedded, write_ttl) -> None:  # type: ignore[no-untyped-def]
    # A label that would retitle the window, ring the bell and clear the screen, and a name that
    # reverses the text after it: shown written out, in tables, explain, and messages alike.
    path = write_ttl(
        "escapes.ttl",
        'ssbid:evil-co a ssb:Company ; rdfs:label "Evil\\u001b]0;pwned\\u0007\\u001b[2J \\u202eoC"@en ;\n'
        "    dct:source ssbid:report-electrive-2024-02-13 .\n",
    )
    assert run_embedded("load", str(path)).exit_code == 0
    shown = [
        run_embedded("query", "find", "-p", "text=Evil", "--format", "table").stdout,
        run_embedded("explain", "evil-co").output,
        run_embedded("query", "organization-profile", "-p", "organization=Evil\x1b[2J").stderr,
    ]
    for text in shown:
        assert not any(c in text for c in "\x1b\x07\u202e"), repr(text)
    assert "Evil\\x1b]0;pwned\\x07\\x1b[2J \\u202eoC" in shown[0]
    assert "Evil\\x1b[2J" in shown[2]
    # Data formats keep the data as it is.
    csv_text = run_embedded("query", "find", "-p", "text=Evil", "--format", "csv").stdout
    assert "\x1b]0;pwned\x07" in csv_text
