"""The code stays ruff- and mypy-clean (the settings live in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]])
def test_clean(command: list[str]) -> None:
    if shutil.which(command[0]) is None and command[0] != "mypy":
        pytest.fail(f"{command[0]} is not installed: install the test extras (pip install '.[test]')")
    args = [sys.executable, "-m", *command]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
