"""Tables for a person: at 80 and 120 columns every stored query keeps its names whole, no line is
wider than the terminal, and every column is either shown or named in the footer."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssbkg.cli import cli
from ssbkg.io import terminal
from ssbkg.namespaces import PREFIXES
from ssbkg.querying.catalogue import find_query

# Every stored query with the parameters an analyst would give it, and the other commands that print rows.
COMMANDS = [
    ["query", "alliance-members", "-p", "alliance=casip"],
    ["query", "alliances"],
    ["query", "citations"],
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


# What each command's table must always show: the columns that identify a row and those that answer.
# For a stored query they are its header's (`#+ columns:`); for the other commands, as they say.
MUST = {
    "queries": ({"name"}, {"summary", "parameters"}),
    "graphs": ({"graph"}, {"triples", "loaded"}),
    "find": (set(), set()),
}


def _must(command: list[str]) -> tuple[set[str], set[str]]:
    if command[0] != "query":
        return MUST[command[0]]
    roles = find_query(command[1]).roles
    assert roles is not None, f"{command[1]} says nothing of its columns"
    return set(roles.identify), set(roles.answer)


def _as_shown(values: list[str]) -> list[str]:
    """The values as the table writes them: a prefix every value shares (ssbid:) left out, and an IRI
    path every value shares (said once above the table)."""
    present = [v for v in values if v]
    prefixed = all(re.match(r"^[A-Za-z][\w.-]*:(?!//)\S+$", v) for v in present)
    if len(present) > 1 and prefixed and len({v.split(":", 1)[0] for v in present}) == 1:
        return [v.split(":", 1)[1] if v else v for v in values]
    if len(present) > 1 and all("://" in v and " " not in v for v in present):
        cut = os.path.commonprefix(present).rfind("/") + 1  # noqa: RUF071 (cut at its last slash)
        if cut > len("https://") + 1 and all(len(v) > cut for v in present):
            return [v[cut:] if v else v for v in values]
    return values


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_every_table_shows_what_identifies_and_answers_and_fits(store: str, command: list[str], width: int) -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["--store", store, *command, "--format", "table"], env={"COLUMNS": str(width)})
    assert table.exit_code == 0, table.output
    rows = list(csv.DictReader(io.StringIO(runner.invoke(cli, ["--store", store, *command, "--format", "csv"]).stdout)))
    assert rows, command
    lines = table.stdout.splitlines()
    assert max(terminal.cells(line) for line in lines) <= width
    rule_at = next(i for i, line in enumerate(lines) if line and set(line) <= {"─", " "})
    top = max((i for i in range(rule_at) if not lines[i]), default=-1) + 1  # IRI paths said above, a gap
    spans = _spans(lines[rule_at])
    names = ["".join(_slice(h, *s) for h in lines[top:rule_at]) for s in spans]
    notes = " ".join(lines[lines.index("", rule_at) + 1 :]).split("  ") if "" in lines[rule_at:] else []
    notes = re.split(r" (?=\d+ more columns? did not fit|The same on every row)", " ".join(notes))
    hidden: set[str] = set()
    said: set[str] = set()
    for note in notes:
        if "did not fit: " in note:
            hidden |= set(re.findall(r"[A-Za-z]+", note.split(": ", 1)[1].split(". ", 1)[0]))
        elif note.startswith("The same on every row: "):
            said |= {item.split(" ", 1)[0] for item in note.removeprefix("The same on every row: ").split("; ")}
    assert set(names) | hidden | said == set(rows[0]), (names, hidden, said)
    ident, answer = _must(command)
    assert ident | answer <= set(names), f"left out: {(ident | answer) - set(names)}"
    # The names and the answer are whole: each column's pieces, read down the lines, are every row's
    # value in order, as the table writes them.
    body = lines[rule_at + 1 : lines.index("", rule_at) if "" in lines[rule_at:] else None]
    for name in sorted(ident | answer) or [names[0]]:
        span = spans[names.index(name)]
        shown = "".join(_slice(line, *span) for line in body)
        expected = "".join(_as_shown([_short(r[name]) for r in rows]))
        assert shown.replace(" ", "") == expected.replace(" ", ""), name


def test_at_80_columns_the_quick_start_shows_who_said_so(store: str) -> None:
    out = (
        CliRunner()
        .invoke(
            cli,
            ["--store", store, "query", "alliance-members", "-p", "alliance=casip", "--format", "table"],
            env={"COLUMNS": "80"},
        )
        .stdout
    )
    lines = out.splitlines()
    head = next(line for line in lines if line.startswith("label"))
    assert head.split() == ["label", "certainty", "confidence", "status", "sources"]
    for name in ("CATL", "FinDreams Battery", "Gotion High-tech", "SVOLT", "WeLion", "Chinese Academy of"):
        line = next(line for line in lines if line.startswith(name + " "))
        assert re.search(r"(reported|speculative)\s+0\.\d+\s+(undisputed|disputed)\s+\S", line), line
    svolt = lines.index(next(line for line in lines if line.startswith("SVOLT ")))
    assert "creative-" in lines[svolt] and "electrive" in lines[svolt + 2]  # the names of who said so
    assert "did not fit: member, sourceCount, primarySources" in out.replace("\n", " ")


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
    assert "Evil\\x1b]0;pwned\\x07\\x1b[2J" in shown[0] and "\\u202eoC" in shown[0]  # a name wraps at its space
    assert "Evil\\x1b[2J" in shown[2]
    # Data formats keep the data as it is.
    csv_text = run_embedded("query", "find", "-p", "text=Evil", "--format", "csv").stdout
    assert "\x1b]0;pwned\x07" in csv_text
