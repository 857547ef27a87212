"""The README's and the guide's promises: two Quick start lines, every command documented, the example
file conforms, the examples are what the queries answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import Result

from ssbkg.cli import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")  # the README's long form


def test_quick_start_has_exactly_two_command_lines_and_ci_runs_the_second() -> None:
    block = README.split("## Quick start", 1)[1].split("```", 2)[1]
    lines = [line for line in block.splitlines()[1:] if line.strip()]
    assert len(lines) == 2
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1] in ci.splitlines()


def test_every_command_is_documented() -> None:
    for name in cli.list_commands(click.Context(cli)):  # the lazily loaded ones too
        assert f"`ssbkg {name}" in README, name


def test_the_example_assertion_file_conforms_and_loads(run: Callable[..., Result], tmp_path: Path) -> None:
    turtle = re.search(r"```turtle\n(.*?)```", GUIDE, re.DOTALL)
    assert turtle is not None
    path = tmp_path / "sunwoda.ttl"
    path.write_text(turtle.group(1), encoding="utf-8")
    assert run("validate", str(path)).exit_code == 0
    path.write_text(turtle.group(1).replace("ssb:confidence 0.8", "ssb:confidence 0.3"), encoding="utf-8")
    failing = run("validate", str(path))
    assert failing.exit_code == 1
    assert "(sunwoda.ttl, line 15)" in failing.stdout.replace(str(tmp_path) + "/", "")
    assert "Confidence 0.3 is outside the range of certainty" in failing.stdout
    # The guide's example report is what the gate prints, word for word (no internal wording).
    example = GUIDE.split("ssbid:assertion-sunwoda-member-casip-example  (sunwoda.ttl, line 15)\n", 1)[1]
    assert example.split("\n", 1)[0] in failing.stdout
    path.write_text(turtle.group(1), encoding="utf-8")
    assert run("load", str(path)).exit_code == 0
    assert "Sunwoda" in run("query", "alliance-members", "-p", "alliance=casip").stdout


def _tables(text: str) -> list[list[dict[str, str]]]:
    """Every Markdown table in the text, as rows keyed by the header."""
    tables, lines = [], text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("| ") and i + 1 < len(lines) and lines[i + 1].startswith("|---"):
            head = [c.strip() for c in line.strip("|").split("|")]
            body = []
            for row in lines[i + 2 :]:
                if not row.startswith("|"):
                    break
                cells = [c.strip() for c in row.strip("|").split("|")]
                if len(cells) != len(head):  # a cell with a "|" of its own: not a table of answers
                    break
                body.append(dict(zip(head, cells, strict=True)))
            tables.append(body)
    return tables


def test_the_quick_start_and_evidence_examples_are_what_the_queries_answer(run: Callable[..., Result]) -> None:
    import csv
    import io

    def answer(*args: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(run("query", *args, "--format", "csv").stdout)))

    tables = {tuple(t[0]): t for t in _tables(README + "\n" + GUIDE) if t}
    members = answer("alliance-members", "-p", "alliance=casip")
    shown = tables[tuple(members[0])]  # the Quick start table: every column, every row
    assert [r["label"] for r in shown] == [r["label"] for r in members]
    assert [r["sourceCount"] for r in shown] == [r["sourceCount"] for r in members]
    corroboration = {
        r["subjectLabel"]: r
        for r in answer("corroboration", "-p", "alliance=casip")
        if r["predicate"].endswith("#memberOf")
    }
    for row in tables[("subjectLabel", "sources", "independentSources", "origins", "readings")]:
        assert {k: corroboration[row["subjectLabel"]][k] for k in row} == row
    conflicts = {
        (r["subjectLabel"], "ssb:" + r["predicate"].rsplit("#", 1)[-1], r["objectLabel"], r["side"], r["sourceName"])
        for r in answer("conflicts")
    }
    for row in tables[("subjectLabel", "predicate", "objectLabel", "side", "sourceName")]:
        assert tuple(row.values()) in conflicts, row


def test_the_quick_start_shows_what_an_80_column_terminal_shows(
    run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    block = README.split("$ ssbkg query alliance-members -p alliance=casip\n", 1)[1].split("```", 1)[0]
    head, tail = block.split("⋮\n")  # the README leaves rows out between the two
    monkeypatch.setenv("COLUMNS", "80")
    out = run("query", "alliance-members", "-p", "alliance=casip", "--format", "table").stdout
    assert out.startswith(head) and out.endswith(tail) and len(out) > len(block)
