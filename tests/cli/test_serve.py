"""`ssbkg serve` as a process: it starts, says where, serves every store kind, stops cleanly on SIGINT
and SIGTERM (exit 0), warns off loopback, and refuses a busy port or a wrong store in one line."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssbkg.cli import cli

from ..conftest import seeded_store
from ..servers import free_port
from .test_web import start, stop

pytestmark = pytest.mark.servers


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=600) as r:
        assert r.status == 200
        return r.read().decode()


def test_sigint_stops_the_site_with_exit_0(store_path: Path) -> None:
    process, url, log = start(store_path)
    try:
        assert "CASIP" in _get(url + "/")
    finally:
        code = stop(process, signal.SIGINT)
    assert code == 0, "".join(log)
    with pytest.raises(OSError):
        _get(url + "/")  # nothing listens any more


@pytest.mark.parametrize("kind", ["oxigraph-server", "virtuoso"])
def test_the_site_serves_a_server_store(
    kind: str, tmp_path: Path, seeded_template: Path, server_urls: dict[str, str]
) -> None:
    spec = seeded_store(kind, tmp_path, seeded_template, server_urls)
    process, url, log = start(spec)
    try:
        expected = CliRunner().invoke(cli, ["--store", spec, "query", "alliance-members", "-p", "alliance=casip"])
        assert expected.exit_code == 0, expected.output
        assert _get(url + "/api/queries/alliance-members.csv?alliance=casip") == expected.stdout
        page = _get(url + "/alliances/casip")
        assert page.count("data-member=") == len(expected.stdout.splitlines()) - 1
    finally:
        assert stop(process) == 0, "".join(log)


def test_a_public_address_is_served_with_a_warning(store_path: Path) -> None:
    process, url, log = start(store_path, "--host", "0.0.0.0")
    try:
        assert any(line.startswith("Warning: serving on 0.0.0.0, not loopback") for line in log), log
        assert "CASIP" in _get(url + "/")  # reached through loopback, which 0.0.0.0 includes
    finally:
        assert stop(process) == 0


def test_a_busy_port_is_one_line_and_exit_3(store_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "ssbkg", "--store", str(store_path), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 3, result.stderr
    assert result.stderr.startswith("Error: cannot serve on 127.0.0.1:") and "Serving" not in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 2


def test_a_store_that_is_not_there_is_refused_before_serving(tmp_path: Path) -> None:
    (tmp_path / "not-a-store").mkdir()
    (tmp_path / "not-a-store" / "notes.txt").write_text("mine", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "ssbkg", "--store", str(tmp_path / "not-a-store"), "serve", "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (2, 3) and result.stderr.startswith("Error: "), result.stderr
    assert "Serving" not in result.stderr and "Traceback" not in result.stderr
