"""`ssbkg serve`: the published graphs, read-only, on loopback, through Oxigraph's own server."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from ssbkg.cli import cli

from .servers import free_port


def test_serve_answers_what_ssbkg_answers_and_refuses_writes(store_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ssbkg", "--store", str(store_path), "serve", "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        assert process.stderr is not None
        assert f"read-only at {url}" in process.stderr.readline()
        query = urllib.parse.urlencode(
            {
                "query": "PREFIX ssb: <https://w3id.org/ssbkg/ontology#> "
                "SELECT (COUNT(*) AS ?n) WHERE { ?a a ssb:Assertion }"
            }
        )
        for _ in range(50):
            try:
                with urllib.request.urlopen(f"{url}?{query}", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert '"value":"58"' in body.replace(" ", "")  # each assertion once: no retired versions, no copies
        runner = CliRunner()
        direct = runner.invoke(cli, ["--store", str(store_path), "query", "alliance-members", "-p", "alliance=casip"])
        served = runner.invoke(cli, ["--store", url, "query", "alliance-members", "-p", "alliance=casip"])
        assert served.exit_code == 0 and served.stdout == direct.stdout
        refused = runner.invoke(cli, ["--store", url, "drop", "https://w3id.org/ssbkg/graph/bundled/data/casip"])
        assert refused.exit_code == 2
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_serve_refuses_a_public_address(store_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(store_path), "serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "loopback" in result.stderr
