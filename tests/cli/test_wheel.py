"""A normal (non-editable) install carries the ontology, data and queries: build the wheel, install it
into a fresh virtual environment, and run a query from there."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_installs_and_answers_from_a_fresh_environment(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)], check=True)
    (wheel,) = dist.glob("ssbkg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "ssbkg/bundled/ontology/shapes.ttl",
        "ssbkg/bundled/data/assertions.ttl",
        "ssbkg/bundled/queries/alliance-members.rq",
        "ssbkg/py.typed",
    ):
        assert expected in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    result = subprocess.run(
        [
            str(env_dir / "bin" / "ssbkg"),  # as the Quick start runs it: the default store, made on first use
            "query",
            "alliance-members",
            "-p",
            "alliance=casip",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")},
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "ssbkg" / "store" / "ssbkg.layout").exists()
    assert "https://w3id.org/ssbkg/id/svolt,SVOLT,reported,0.65,disputed,2" in result.stdout
    # it really ran from the wheel, not from this checkout
    where = subprocess.run(
        [str(python), "-c", "import ssbkg.resources as r; print(r.queries_dir())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert str(env_dir) in where
