"""grlc serves queries/ as it is: every stored query answers through grlc's HTTP API with the rows
`ssbkg query` gives on the same store.

grlc 1.3.11 (PyPI, in the test extras) runs in a process of its own, configured the way its README
says (a `config.ini` in its working folder naming the endpoint and the local folder of queries),
in front of a real Oxigraph server started with `--union-default-graph`: a plain SPARQL endpoint,
as another tool would see it. grlc's local API lists one folder, so `queries/rules/` gets a second
grlc. Parameters are given as grlc needs them: full IRIs, dates and integers as text.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from ssbkg.cli import cli
from ssbkg.querying.catalogue import stored_queries

from .. import servers
from ..snapshot_queries import BUNDLED

ROOT = Path(__file__).resolve().parents[2]
ID = "https://w3id.org/ssbkg/id/"
SSB = "https://w3id.org/ssbkg/ontology#"
RETRACTED = "assertion-nio-member-casip-creative-marketing"
HTTP_TIMEOUT = 120

grlc_server = pytest.importorskip("grlc.server", reason="grlc is in the test extras: pip install '.[test]'")

# Every stored query with what an analyst would give it: the snapshot's cases, and each optional
# parameter at least once (a date, an integer, an enumerated IRI, an IRI left out).
CASES = [
    *BUNDLED,
    ("alliance-members", {"alliance": "casip", "minCertainty": "reported"}),
    ("candidates", {"alliance": "casip", "asOf": "2026-12-01"}),
    ("claims-by-source", {"report": "report-electrive-2024-02-13"}),
    ("conflicts", {"asOf": "2024-03-01"}),
    ("corroboration", {"alliance": "casip"}),
    ("organization-profile", {"organization": "svolt", "asOf": "2024-12-31"}),
    ("retractions", {}),
    ("retractions", {"alliance": "casip"}),
    ("top-ranked-members", {"ranking": "ranking-sne-2023-full-year", "topN": "6", "alliance": "casip"}),
    ("weakly-sourced", {"asOf": "2024-03-01"}),
]
RULES = [("accepted-members", {}), ("accepted-members", {"minCertainty": "speculative"}), ("top-ranked-candidates", {})]


def _fail_or_skip(message: str) -> None:
    if servers.required_in_ci():
        pytest.fail(message + " -- and CI requires it")
    pytest.skip(message)


def _get(url: str, accept: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def _start_grlc(directory: Path, folder: Path, endpoint: str) -> tuple[subprocess.Popen[bytes], str]:
    directory.mkdir()
    # grlc reads config.ini from its working folder when it is imported.
    (directory / "config.ini").write_text(
        f"[defaults]\nsparql_endpoint = {endpoint}\ndebug = False\n[local]\nlocal_sparql_dir = {folder}\n",
        encoding="utf-8",
    )
    port = servers.free_port()
    log = directory / "grlc.log"
    script = f"from grlc.server import app; app.run(host='127.0.0.1', port={port}, threaded=True)"
    process = subprocess.Popen(
        [sys.executable, "-c", script], cwd=directory, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}/api-local"

    def answers() -> bool:
        try:
            return _get(f"{base}/swagger", "application/json")[0] == 200
        except OSError:
            return False

    servers._wait_until(answers, servers.STARTUP, "grlc", process, log)
    return process, base


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _ssbkg(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    directory = tmp_path_factory.mktemp("grlc")
    if servers.oxigraph_available() is None:
        _fail_or_skip("the oxigraph server is not installed (pip install oxigraph)")
    processes = []
    try:
        oxigraph = servers.start_oxigraph(directory, "--union-default-graph")
        processes.append(oxigraph.process)
        endpoint = oxigraph.query_url
        _ssbkg("--store", endpoint, "init")
        # One retraction, so that the retractions query has a row to agree on.
        _ssbkg("--store", endpoint, "retract", RETRACTED, "--reason", "aggregator misread Nikkei", "--agent", "tester")
        queries, base = _start_grlc(directory / "queries", ROOT / "queries", endpoint)
        processes.append(queries)
        rules, rules_base = _start_grlc(directory / "rules", ROOT / "queries" / "rules", endpoint)
        processes.append(rules)
        yield {"endpoint": endpoint, "queries": base, "rules": rules_base}
    finally:
        for process in processes:
            _stop(process)


def _grlc_value(query: str, name: str, value: str) -> str:
    """What grlc is given for a parameter: a full IRI for an IRI parameter, the text otherwise."""
    parameter = next(p for p in stored_queries()[query].parameters if p.name == name)
    if parameter.kind != "iri":
        return value
    return f"{SSB}{value.capitalize()}" if name == "minCertainty" else f"{ID}{value}"


def _grlc_url(base: str, query: str, params: dict[str, str], stored: str | None = None) -> str:
    given = {k: _grlc_value(stored or query, k, v) for k, v in params.items()}
    return f"{base}/{query}" + (f"?{urllib.parse.urlencode(given)}" if given else "")


def _rows(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    return [rows[0], *sorted(rows[1:])] if rows else []


def test_grlc_lists_every_stored_query_with_its_parameters(served: dict[str, str]) -> None:
    status, text = _get(f"{served['queries']}/swagger", "application/json")
    assert status == 200, text
    paths = json.loads(text)["paths"]
    assert set(paths) == {f"/{name}" for name in stored_queries()}
    for name, query in stored_queries().items():
        listed = {p["name"]: p for p in paths[f"/{name}"]["get"]["parameters"] if p["name"] != "endpoint"}
        assert set(listed) == {p.name for p in query.parameters}, name
        for p in query.parameters:
            # Required in grlc exactly when ssbkg requires it: a default makes a parameter optional.
            assert listed[p.name]["required"] == p.required, (name, p.name)


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n} {p}" for n, p in CASES])
def test_every_stored_query_answers_through_grlc_as_through_ssbkg(
    served: dict[str, str], name: str, params: dict[str, str]
) -> None:
    args = ["--store", served["endpoint"], "query", name, "--format", "csv"]
    for k, v in params.items():
        args += ["-p", f"{k}={v}"]
    expected = _rows(_ssbkg(*args))
    status, text = _get(_grlc_url(served["queries"], name, params), "text/csv")
    assert status == 200, text
    assert _rows(text) == expected
    # Every case has rows but one, chosen for its emptiness: no relay is dated before 11 February 2024.
    assert len(expected) > 1 or params.get("asOf") == "2024-02-01", "a case with no rows proves little"


def test_the_retraction_is_seen_through_grlc(served: dict[str, str]) -> None:
    status, text = _get(_grlc_url(served["queries"], "retractions", {}), "text/csv")
    assert status == 200, text
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["assertion"] == ID + RETRACTED and row["why"] == "aggregator misread Nikkei"


@pytest.mark.parametrize(("name", "params"), RULES, ids=[f"{n} {p}" for n, p in RULES])
def test_every_rule_constructs_through_grlc_what_ssbkg_constructs(
    served: dict[str, str], name: str, params: dict[str, str]
) -> None:
    path = ROOT / "queries" / "rules" / f"{name}.rq"
    args = ["--store", served["endpoint"], "query", str(path), "--format", "nt"]
    for k, v in params.items():
        args += ["-p", f"{k}={v}"]
    expected = rdflib.Graph().parse(data=_ssbkg(*args), format="nt")
    given = {k: f"{SSB}{v.capitalize()}" for k, v in params.items()}
    url = f"{served['rules']}/{name}" + (f"?{urllib.parse.urlencode(given)}" if given else "")
    status, text = _get(url, "text/turtle")
    assert status == 200, text
    answer = rdflib.Graph().parse(data=text, format="turtle")
    assert len(expected) > 0
    assert isomorphic(answer, expected)
