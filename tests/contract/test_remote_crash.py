"""A load that dies half-way, the server's death or the client's, leaves the graph old or new, never half:
the client is killed at the write's named moments (stores/checkpoint.py) and at fractions of a run."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssbkg.cli import cli
from ssbkg.stores.checkpoint import MOMENTS
from ssbkg.stores.remote import open_remote

from ..conftest import PREFIXES, reset_server
from ..faultproxy import FaultProxy, Rule
from ..servers import oxigraph_available, start_oxigraph
from .test_crash import kill, stop_at

GRAPH = "https://w3id.org/ssbkg/graph/user/batch"


def write_claims(path: Path, n: int) -> None:
    lines = [PREFIXES]
    lines += [
        f'ssbid:org-gen-{i} a ssb:Company ; rdfs:label "Generated {i}"@en ; '
        f"dct:source ssbid:report-electrive-2024-02-13 ."
        for i in range(n)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def published_count(url: str) -> tuple[int, int]:
    """(triples the registry says the published version holds, triples it really holds)."""
    store = open_remote(url)
    info = {g.graph: g for g in store.published()}[GRAPH]
    rows = store.backend.content_select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{info.version}> {{ ?s ?p ?o }} }}", None
    ).rows
    return info.triples, int(rows[0][0].value)  # type: ignore[union-attr]


@pytest.mark.skipif(oxigraph_available() is None, reason="the oxigraph server is not installed (pip install oxigraph)")
def test_server_killed_during_a_load_keeps_the_old_graph(tmp_path: Path) -> None:
    server = start_oxigraph(tmp_path)
    runner = CliRunner()
    old, new = tmp_path / "batch.ttl", tmp_path / "new" / "batch.ttl"
    new.parent.mkdir()
    write_claims(old, 3)
    write_claims(new, 2000)
    try:
        assert runner.invoke(cli, ["--store", server.query_url, "init"]).exit_code == 0
        assert runner.invoke(cli, ["--store", server.query_url, "load", str(old)]).exit_code == 0
        proxy = FaultProxy(server.query_url.rsplit("/", 1)[0]).start()
        proxy.rules.append(Rule(lambda s: s.path.startswith("/store"), before_forward=lambda s: server.stop()))
        result = runner.invoke(cli, ["--store", proxy.url(), "load", "--replace", str(new)])
        proxy.stop()
        assert result.exit_code == 3 and "Traceback" not in result.output
    finally:
        server.stop()
    server = start_oxigraph(tmp_path)  # the same data directory, after the crash
    try:
        assert published_count(server.query_url) == (9, 9)
    finally:
        server.stop()


def test_client_killed_at_any_moment_of_a_load_leaves_old_or_new(server_urls: dict[str, str], tmp_path: Path) -> None:
    url = server_urls["oxigraph-server"]
    reset_server(url)
    old, new = tmp_path / "batch.ttl", tmp_path / "new" / "batch.ttl"
    new.parent.mkdir()
    write_claims(old, 3)
    write_claims(new, 10000)
    command = [sys.executable, "-m", "ssbkg", "--store", url, "load", "--replace", "--skip-validation"]
    assert CliRunner().invoke(cli, ["--store", url, "init"]).exit_code == 0
    start = time.monotonic()
    subprocess.run([*command, str(new)], check=True, capture_output=True)
    duration = time.monotonic() - start
    # At the write's named moments (both outcomes by construction), then spread over the run.
    kills = [(moment, tmp_path / f"{moment}.reached", 0.0) for moment in MOMENTS]
    kills += [(f"at {f:.0%}", None, duration * f) for f in (0.1, 0.5, 0.9)]
    for when, marker, after in kills:
        subprocess.run([*command, str(old)], check=True, capture_output=True)
        env = stop_at(when, marker) if marker else None
        kill([*command, str(new)], env, marker, after)
        declared, real = published_count(url)
        assert declared == real and real in (9, 30000), (when, declared, real)
        if when == "written":
            assert real == 9, "killed before it published: the old graph"
        if when == "published":
            assert real == 30000, "killed once published: the new graph"
