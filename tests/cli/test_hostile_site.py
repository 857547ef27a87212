"""The evidence site as a target (issue 35): a real `ssbkg serve` on loopback, asked with raw requests
that set what a browser would (Host, Origin, Sec-Fetch-*) and what an attacker would (huge bodies,
long addresses, a query that would run for hours).

- Only loopback host names are answered: a page whose domain re-resolves to 127.0.0.1 (DNS
  rebinding) sends its own name and is refused.
- Another site's page may open the site's pages (a link) but not use the API or /sparql.
- A runaway query is stopped at --timeout: its child process is killed, and a writer waiting for
  the store gets in (without that, it would wait for hours and exit 3 "busy").
- Bodies and addresses past their limits are refused before they are read whole.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssbkg.cli import cli
from ssbkg.web.guard import MAX_BODY, MAX_URL

from .test_web import start, stop

pytestmark = pytest.mark.site

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 3,000^4 rows


class Raw:
    """Requests with every header chosen by the test (urllib would set Host itself)."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def ask(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None
    ) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=600)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            given = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            if body is not None:
                given.setdefault("Content-Length", str(len(body)))
            for name, value in given.items():
                connection.putheader(name, value)
            connection.endheaders(body)
            answer = connection.getresponse()
            return answer.status, answer.read().decode("utf-8", "replace")
        finally:
            connection.close()


@pytest.fixture(scope="module")
def served(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Raw, Path]]:
    store = tmp_path_factory.mktemp("hostile-site") / "store"
    shutil.copytree(seeded_template, store)
    process, url, log = start(store)
    yield Raw(url), store
    assert stop(process) == 0
    assert not any("Traceback" in line for line in log), "".join(log)


SPARQL = "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})


@pytest.mark.parametrize("path", ["/", "/alliances/casip", "/api/openapi.json", SPARQL])
def test_only_loopback_host_names_are_answered(served: tuple[Raw, Path], path: str) -> None:
    raw, _ = served
    for name in (f"evil.example:{raw.port}", "evil.example", f"127.0.0.1.evil.example:{raw.port}", ""):
        status, body = raw.ask("GET", path, {"Host": name})
        assert status == 400, (name, status)
        assert "does not answer to the host name" in body and "catl" not in body.lower()
    for name in (f"127.0.0.1:{raw.port}", f"localhost:{raw.port}", f"LOCALHOST:{raw.port}", f"[::1]:{raw.port}"):
        assert raw.ask("GET", path, {"Host": name})[0] == 200, name


CROSS_SITE = [
    {"Origin": "http://evil.example"},  # fetch() or a form POST from another site
    {"Origin": "null"},  # a sandboxed frame
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"},  # <img src=...>, <script src=...>
    {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"},  # another port of localhost
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"},  # a link to the API, a top-level GET
]


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_another_sites_page_may_not_use_the_api_or_sparql(served: tuple[Raw, Path], headers: dict[str, str]) -> None:
    raw, _ = served
    for path in (SPARQL, "/api/queries/alliances.csv", "/api/openapi.json"):
        status, body = raw.ask("GET", path, headers)
        assert status == 403 and "another site's page" in body, (path, status, body)
    form = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    status, _ = raw.ask("POST", "/sparql", {**headers, "Content-Type": "application/x-www-form-urlencoded"}, form)
    assert status == 403


def test_its_own_pages_and_programs_may(served: tuple[Raw, Path]) -> None:
    raw, _ = served
    own = {"Origin": f"http://127.0.0.1:{raw.port}", "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors"}
    assert raw.ask("GET", SPARQL, own) == (200, '{"head": {}, "boolean": true}\n')
    assert raw.ask("GET", SPARQL)[0] == 200  # curl, a script: neither header
    typed = {"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate"}  # an address typed in the browser
    assert raw.ask("GET", "/api/queries/alliances.csv", typed)[0] == 200
    # A link from elsewhere to a page opens it: the page shows where the other site cannot read it.
    link = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
    status, body = raw.ask("GET", "/alliances/casip", link)
    assert status == 200 and "CATL" in body


def _rss_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def test_bodies_and_addresses_past_their_limits_are_refused_unread(seeded_template: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(seeded_template, store)
    process, url, log = start(store)
    raw = Raw(url)
    try:
        before = _rss_kb(process.pid)
        # 256 MB announced: refused on its length, before a byte of it is read.
        connection = http.client.HTTPConnection(raw.host, raw.port, timeout=600)
        connection.putrequest("POST", "/sparql")
        connection.putheader("Content-Type", "application/sparql-query")
        connection.putheader("Content-Length", str(256 * 1024 * 1024))
        connection.endheaders()
        sent = 0
        try:
            while sent < 256 * 1024 * 1024:
                connection.send(b"#" * (1024 * 1024))
                sent += 1024 * 1024
        except OSError:
            pass  # the server answered and closed: the rest was never read
        answer = connection.getresponse()
        assert answer.status == 413 and b"longer than 1024 KiB" in answer.read()
        connection.close()
        # 256 MB with no length (chunked): read only until it passes the limit.
        connection = http.client.HTTPConnection(raw.host, raw.port, timeout=600)

        def chunks() -> Iterator[bytes]:
            for _ in range(256):
                yield b"#" * (1024 * 1024)

        with contextlib.suppress(OSError):  # the server may answer and close before the last chunk
            connection.request(
                "POST",
                "/sparql",
                body=chunks(),
                headers={"Content-Type": "application/sparql-query"},
                encode_chunked=True,
            )
        answer = connection.getresponse()
        assert answer.status == 413
        connection.close()
        grown_mb = (_rss_kb(process.pid) - before) / 1024
        assert grown_mb < 64, f"the server grew by {grown_mb:.0f} MB"  # before: about 780 MB
        # Just under the limits is read and answered.
        query = "ASK { ?s ?p ?o }" + " " * (MAX_BODY - 100)
        assert raw.ask("POST", "/sparql", {"Content-Type": "application/sparql-query"}, query.encode())[0] == 200
        long_path = "/api/queries/alliances.csv?x=" + "a" * MAX_URL
        status, body = raw.ask("GET", long_path)
        assert status == 414 and "longer than 32 KiB" in body
        assert raw.ask("GET", "/api/openapi.json?x=" + "a" * (MAX_URL - 100))[0] == 200
    finally:
        assert stop(process) == 0, "".join(log)


def test_a_runaway_query_is_stopped_at_its_deadline_and_a_writer_gets_in(seeded_template: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(seeded_template, store)
    deadline = 10.0  # generous for the small queries asked after it; the runaway needs hours
    # The query waits for the writer if the writer comes first (a busy machine): 504 at the deadline either way.
    process, url, log = start(store, "--timeout", str(deadline), wait=600)
    raw = Raw(url)
    try:
        answered: list[tuple[int, str]] = []
        path = "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
        asking = threading.Thread(target=lambda: answered.append(raw.ask("GET", path)))
        asking.start()
        # The writer comes while the runaway holds the store, and waits for it (--wait 300: far beyond
        # the deadline, far short of the hours the query would take).
        time.sleep(1)
        claim = ["claim", "sunwoda", "casip", "--certainty", "reported", "--source", "report-electrive-2024-02-13"]
        wrote = subprocess.run(
            [sys.executable, "-m", "ssbkg", "--store", str(store), "--wait", "300", *claim],
            capture_output=True,
            text=True,
            timeout=900,
        )
        asking.join(900)
        assert answered and answered[0][0] == 504, answered
        assert "was stopped" in json.loads(answered[0][1])["error"]
        assert wrote.returncode == 0, wrote.stderr
        # The site reads on, and shows what the writer wrote.
        status, body = raw.ask("GET", "/api/queries/alliance-members.csv?alliance=casip")
        assert status == 200 and "sunwoda" in body
    finally:
        assert stop(process) == 0, "".join(log)
    assert not any("Traceback" in line for line in log), "".join(log)


def test_a_killed_server_leaves_no_child_holding_the_store(seeded_template: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(seeded_template, store)
    process, url, _ = start(store, "--timeout", "600")
    raw = Raw(url)
    path = "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
    threading.Thread(target=lambda: _swallow(raw, path), daemon=True).start()
    time.sleep(1)  # the runaway is at work in a child (if not yet, the child is idle: the same below)
    process.kill()
    process.wait(120)
    # The child ends itself within a second of its server's end; a writer waits for it that long at most.
    claim = ["claim", "sunwoda", "casip", "--certainty", "reported", "--source", "report-electrive-2024-02-13"]
    wrote = CliRunner().invoke(cli, ["--store", str(store), "--wait", "120", *claim])
    assert wrote.exit_code == 0, wrote.output


def _swallow(raw: Raw, path: str) -> None:
    with contextlib.suppress(OSError):  # the server is killed under it
        raw.ask("GET", path)


# ------------------------------------------------------------------------------------------ user queries


def test_the_users_queries_run_on_the_site_and_the_api(seeded_template: Path, tmp_path: Path) -> None:
    store, folder = tmp_path / "store", tmp_path / "myq"
    shutil.copytree(seeded_template, store)
    folder.mkdir()
    alliances = "SELECT ?alliance WHERE { ?alliance a <https://w3id.org/ssbkg/ontology#Alliance> }\n"
    (folder / "members.v2.rq").write_text("#+ summary: alliances, a second way\n" + alliances, encoding="utf-8")
    (folder / "select-everything.rq").write_text("\ufeff#+ summary: with a BOM\n" + alliances, encoding="utf-8")
    process, url, log = start(store, "--timeout", "600", queries=folder)
    raw = Raw(url)
    try:
        expected = "alliance\nhttps://w3id.org/ssbkg/id/casip\n"
        assert raw.ask("GET", "/api/queries/members.v2.csv") == (200, expected)
        assert raw.ask("GET", "/api/queries/select-everything.csv") == (200, expected)
        status, body = raw.ask("GET", "/api/queries/members.v2")
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["alliance"]["value"].endswith("casip")
        status, page = raw.ask("GET", "/queries/members.v2?run=1")
        assert status == 200 and '<a href="/id/casip">CASIP</a>' in page  # named, linked
        openapi = json.loads(raw.ask("GET", "/api/openapi.json")[1])
        assert "/api/queries/members.v2" in openapi["paths"] and "/api/queries/select-everything" in openapi["paths"]
        assert raw.ask("GET", "/api/queries/members.v2.xls")[0] == 404
    finally:
        assert stop(process) == 0, "".join(log)


def test_sparql_on_the_site_honours_from_and_refuses_graph(served: tuple[Raw, Path]) -> None:
    raw, store = served
    graph = "https://w3id.org/ssbkg/graph/bundled/data/casip"
    listed = CliRunner().invoke(cli, ["--store", str(store), "graphs", "--format", "csv"])
    triples = next(line.split(",")[2] for line in listed.stdout.splitlines() if line.startswith(graph + ","))
    count = f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}"
    status, body = raw.ask("GET", "/sparql?" + urllib.parse.urlencode({"query": count}))
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == triples
    for text in (count.replace(graph, graph + "-none"), f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"):
        status, body = raw.ask("GET", "/sparql?" + urllib.parse.urlencode({"query": text}))
        assert status == 400, body
