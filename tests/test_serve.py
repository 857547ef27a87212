"""`ssbkg serve`: the published graphs, read-only, on loopback, through Oxigraph's own server."""

from __future__ import annotations

import os
import signal
import socket
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
                with urllib.request.urlopen(f"{url}?{query}", timeout=60) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        # Each assertion once (no retired versions, no copies): the bundled data holds 90, 72 in
        # assertions.ttl and 18 in disagreements.ttl.
        assert '"value":"90"' in body.replace(" ", "")
        runner = CliRunner()
        direct = runner.invoke(cli, ["--store", str(store_path), "query", "alliance-members", "-p", "alliance=casip"])
        served = runner.invoke(cli, ["--store", url, "query", "alliance-members", "-p", "alliance=casip"])
        assert served.exit_code == 0 and served.stdout == direct.stdout
        refused = runner.invoke(cli, ["--store", url, "drop", "https://w3id.org/ssbkg/graph/bundled/data/casip"])
        assert refused.exit_code == 2
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=120) == 0  # generous: stopping waits for the server child on a busy machine


def test_serve_refuses_a_public_address(store_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(store_path), "serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "loopback" in result.stderr


def _children_serving(port: int) -> list[int]:
    """Processes whose command line serves this port (an oxigraph child left behind)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                line = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if "serve-read-only" in line and f":{port}" in line:
                found.append(int(proc.name))
    return found


def test_sigterm_stops_the_server_and_removes_the_snapshot(store_path: Path, tmp_path: Path) -> None:
    port, scratch = free_port(), tmp_path / "tmp"
    scratch.mkdir()
    ssbkg = [sys.executable, "-m", "ssbkg", "--store", str(store_path)]
    subprocess.run([*ssbkg, "load", str(_user_file(tmp_path)), "--agent", "alice"], check=True, capture_output=True)
    process = subprocess.Popen(
        [*ssbkg, "serve", "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    try:
        assert process.stderr is not None
        assert "read-only at" in process.stderr.readline()  # printed once the server answers
        assert _children_serving(port) and list(scratch.iterdir())
        # the served registry says who loaded each graph and when, as the store does
        url = f"http://127.0.0.1:{port}/query"
        runner = CliRunner()
        served = runner.invoke(cli, ["--store", url, "graphs", "--format", "csv"]).stdout
        direct = runner.invoke(cli, ["--store", str(store_path), "graphs", "--format", "csv"]).stdout
        assert _without_versions(served) == _without_versions(direct) and ",alice," in served
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)
    assert not _children_serving(port)
    assert not list(scratch.iterdir())


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
    assert "backtrace" not in result.stderr.lower() and len(result.stderr.splitlines()) == 2


def _user_file(tmp_path: Path) -> Path:
    from .conftest import PREFIXES

    path = tmp_path / "mine.ttl"
    path.write_text(
        PREFIXES
        + """
ssbid:assertion-serve-test a ssb:Assertion ;
    rdf:subject ssbid:farasis ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainty ssb:Speculative ; ssb:confidence 0.2 ;
    prov:wasDerivedFrom ssbid:note-casip-fact-sheet-2026-11-25 .
""",
        encoding="utf-8",
    )
    return path


def _without_versions(csv_text: str) -> list[str]:
    # The snapshot names each graph its own version; all else is the store's.
    return sorted(line.rsplit(",", 1)[0] for line in csv_text.splitlines())
