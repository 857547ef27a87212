"""The README's promises: two Quick start lines, every command documented, the example file conforms."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from ssbkg.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_quick_start_has_exactly_two_command_lines_and_ci_runs_the_second() -> None:
    block = README.split("## Quick start", 1)[1].split("```", 2)[1]
    lines = [line for line in block.splitlines()[1:] if line.strip()]
    assert len(lines) == 2
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1] in ci.splitlines()


def test_every_command_is_documented() -> None:
    for name in cli.commands:
        assert f"`ssbkg {name}" in README, name


def test_the_example_assertion_file_conforms_and_loads(run: Callable[..., Result], tmp_path: Path) -> None:
    turtle = re.search(r"```turtle\n(.*?)```", README, re.DOTALL)
    assert turtle is not None
    path = tmp_path / "sunwoda.ttl"
    path.write_text(turtle.group(1), encoding="utf-8")
    assert run("validate", str(path)).exit_code == 0
    path.write_text(turtle.group(1).replace("ssb:confidence 0.8", "ssb:confidence 0.3"), encoding="utf-8")
    failing = run("validate", str(path))
    assert failing.exit_code == 1
    assert "(sunwoda.ttl, line 15)" in failing.stdout.replace(str(tmp_path) + "/", "")
    assert "Confidence 0.3 is outside the range of certainty" in failing.stdout
    path.write_text(turtle.group(1), encoding="utf-8")
    assert run("load", str(path)).exit_code == 0
    assert "Sunwoda" in run("query", "alliance-members", "-p", "alliance=casip").stdout
