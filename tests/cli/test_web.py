"""The evidence site (`ssbkg serve`), served by a real uvicorn on loopback over a real embedded store.

Each answer is checked against what `ssbkg query` says on the same store; the pages against the data
(checked by hand in ../shared/reference/casip-facts.md); hostile text against escaping.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssbkg.cli import cli
from ssbkg.querying.catalogue import catalogue
from ssbkg.stores.lock import StoreLock

from ..conftest import PREFIXES
from ..servers import free_port

pytestmark = pytest.mark.site

# A parameter for each query that needs one, from the bundled data.
NEEDS = {
    "alliance-members": {"alliance": "casip"},
    "candidates": {"alliance": "casip"},
    "organization-profile": {"organization": "catl"},
    "find": {"text": "CATL"},
    "top-ranked-members": {"ranking": "ranking-sne-2023-full-year"},
}
HOSTILE = '<script>alert("x")</script> & <b>Co</b>'
HOSTILE_FILE = (
    PREFIXES
    + f"""
ssbid:hostile-co a ssb:Company ; rdfs:label {json.dumps(HOSTILE)}@en ;
    dct:source ssbid:note-casip-fact-sheet-2026-11-25 .
ssbid:assertion-hostile-member-casip a ssb:Assertion ;
    rdf:subject ssbid:hostile-co ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainty ssb:Speculative ; ssb:confidence 0.1 ;
    prov:wasDerivedFrom ssbid:note-casip-fact-sheet-2026-11-25 .
"""
)


class Site:
    def __init__(self, url: str, store: Path, process: subprocess.Popen[str], log: list[str]) -> None:
        self.url, self.store, self.process, self.log = url, store, process, log

    def get(self, path: str, accept: str | None = None) -> tuple[int, str, str]:
        request = urllib.request.Request(self.url + path, headers={"Accept": accept or "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=600) as r:
                return r.status, r.headers.get("Content-Type", ""), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read().decode()

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, str]:
        request = urllib.request.Request(self.url + path, data=body, headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=600) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def cli(self, *args: str) -> str:
        result = CliRunner().invoke(cli, ["--store", str(self.store), *args])
        assert result.exit_code == 0, result.output
        return result.stdout


def start(
    store: Path | str, *options: str, queries: Path | None = None, wait: float = 1
) -> tuple[subprocess.Popen[str], str, list[str]]:
    """`ssbkg serve` in a process of its own; returns once it says where it serves (generous: the
    machine may be busy), with its later messages collected. `queries`: a folder of the user's; `wait`:
    how long a page waits for a writer before it answers 503."""
    port = free_port()
    if "--timeout" not in options:  # the site's own limit, generous: a busy machine must not make a page 504
        options = (*options, "--timeout", "600")
    folder = ["--queries", str(queries)] if queries is not None else []
    command = [sys.executable, "-m", "ssbkg", "--wait", f"{wait:g}", "--store", str(store), *folder, "serve"]
    process = subprocess.Popen(
        [*command, "--port", str(port), *options],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if "Serving the evidence site at" in line:
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    assert ready.wait(180), "ssbkg serve did not start"
    assert any("Serving the evidence site at" in line for line in lines), lines
    return process, f"http://127.0.0.1:{port}", lines


def stop(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> int:
    process.send_signal(sig)
    return process.wait(timeout=120)


@pytest.fixture(scope="module")
def site(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    store = tmp_path_factory.mktemp("web") / "store"
    shutil.copytree(seeded_template, store)
    hostile = store.parent / "hostile.ttl"
    hostile.write_text(HOSTILE_FILE, encoding="utf-8")
    loaded = CliRunner().invoke(cli, ["--store", str(store), "load", str(hostile)])
    assert loaded.exit_code == 0, loaded.output
    process, url, log = start(store)
    yield Site(url, store, process, log)
    assert stop(process) == 0  # SIGTERM stops it cleanly
    assert not any("Traceback" in line for line in log), "".join(log)


# ------------------------------------------------------------------------------------------ the API


def _query_string(params: dict[str, str]) -> str:
    return ("?" + urllib.parse.urlencode(params)) if params else ""


@pytest.mark.parametrize("name", [q.name for q, _ in catalogue()])
def test_the_api_answers_as_ssbkg_query_does(site: Site, name: str) -> None:
    params = NEEDS.get(name, {})
    flags = [f for k, v in params.items() for f in ("-p", f"{k}={v}")]
    for ext, fmt in (("csv", "csv"), ("json", "json"), ("jsonl", "jsonl")):
        status, kind, body = site.get(f"/api/queries/{name}.{ext}{_query_string(params)}")
        assert status == 200, body
        assert body == site.cli("query", name, *flags, "--format", fmt), (name, ext)
    # the same by Accept header, no extension
    status, kind, body = site.get(f"/api/queries/{name}{_query_string(params)}", accept="text/csv")
    assert status == 200 and kind.startswith("text/csv")
    assert body == site.cli("query", name, *flags, "--format", "csv")


def test_the_api_refuses_bad_parameters_in_the_clis_words(site: Site) -> None:
    cases = [
        ({"alliance": "casip", "asOf": "yesterday"}, "parameter asOf"),
        ({}, "query alliance-members needs parameter alliance (iri)"),
        ({"alliance": "casip", "minCertainty": "sure"}, "parameter minCertainty"),
        ({"alliance": "casip", "colour": "red"}, "has no parameter colour"),
    ]
    for params, words in cases:
        status, kind, body = site.get(f"/api/queries/alliance-members.csv{_query_string(params)}")
        flags = [f for k, v in params.items() for f in ("-p", f"{k}={v}")]
        cli_said = CliRunner().invoke(cli, ["--store", str(site.store), "query", "alliance-members", *flags])
        assert status == 400 and kind.startswith("application/json"), body
        error = json.loads(body)["error"]
        assert words in error
        assert cli_said.exit_code == 2 and f"Error: {error}" in cli_said.stderr  # the very same message
    status, _, body = site.get("/api/queries/no-such-query.csv")
    assert status == 404 and "no-such-query" in json.loads(body)["error"]


def test_openapi_describes_every_query_from_its_header(site: Site) -> None:
    status, _, body = site.get("/api/openapi.json")
    spec = json.loads(body)
    assert status == 200 and spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {f"/api/queries/{q.name}" for q, _ in catalogue()}
    members = {p["name"]: p for p in spec["paths"]["/api/queries/alliance-members"]["get"]["parameters"]}
    assert members["alliance"]["required"] is True
    assert members["asOf"] == {
        "name": "asOf",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "format": "date"},
    }
    assert members["minCertainty"]["schema"]["enum"] == ["confirmed", "reported", "inferred", "speculative", "refuted"]
    assert members["minCertainty"]["schema"]["default"] == "refuted"


def test_the_sparql_endpoint_reads_and_refuses_every_update(site: Site) -> None:
    count = "PREFIX ssb: <https://w3id.org/ssbkg/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?a a ssb:Assertion }"
    status, kind, body = site.get("/sparql?" + urllib.parse.urlencode({"query": count}))
    assert status == 200 and kind.startswith("application/sparql-results+json")
    # 97 bundled assertions (79 in assertions.ttl, 18 in disagreements.ttl) and the hostile one.
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "98"
    drop = "DROP ALL"
    for body_, kind_ in (
        (urllib.parse.urlencode({"update": drop}).encode(), "application/x-www-form-urlencoded"),
        (drop.encode(), "application/sparql-update"),
    ):
        assert site.post("/sparql", body_, kind_)[0] == 403
    assert site.get("/sparql?" + urllib.parse.urlencode({"update": drop}))[0] == 403
    status, body = site.post("/sparql", count.encode(), "application/sparql-query")
    assert status == 200 and '"98"' in body.replace(" ", "")  # nothing was dropped
    status, _, body = site.get("/sparql?" + urllib.parse.urlencode({"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}))
    assert status == 400 and "not a SELECT" in json.loads(body)["error"]
    status, _, body = site.get(
        "/sparql?" + urllib.parse.urlencode({"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"}),
        accept="application/n-triples",
    )
    assert status == 200 and body.count(" .\n") == 3


def test_no_route_writes(site: Site) -> None:
    for path in ("/", "/alliances/casip", "/api/queries/reports.csv", "/queries/reports"):
        assert site.post(path, b"x=1", "application/x-www-form-urlencoded")[0] == 405


# ------------------------------------------------------------------------------------------ pages


def test_hostile_text_is_escaped_everywhere(site: Site) -> None:
    for path in ("/alliances/casip", "/organizations/hostile-co", "/queries/find?text=" + urllib.parse.quote(HOSTILE)):
        status, kind, html = site.get(path)
        assert status == 200 and kind.startswith("text/html"), path
        assert "<script>alert" not in html and "<b>Co</b>" not in html, path
        assert "&lt;script&gt;alert(" in html, path
    # a hostile parameter comes back escaped in the error page, never as markup
    status, _, html = site.get("/alliances/casip?asOf=" + urllib.parse.quote('"><script>alert(1)</script>'))
    assert status == 400 and "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and ((tag == "a" and name == "href") or (tag in ("script", "link") and name in ("src", "href"))):
                self.found.append(value)


def test_every_link_on_every_page_leads_somewhere(site: Site) -> None:
    """From the index, two clicks deep: every link of the site's own answers 200 (after a redirect)."""
    seen: set[str] = set()
    frontier = ["/", "/alliances/casip?asOf=2024-02-15"]
    for _ in range(3):
        following: list[str] = []
        for path in frontier:
            if path in seen:
                continue
            seen.add(path)
            status, kind, body = site.get(path, accept="text/html,*/*;q=0.8")  # as a browser asks
            assert status == 200, (path, body[:300])
            if kind.startswith("text/html"):
                parser = _Links()
                parser.feed(body)
                following += [h for h in parser.found if h.startswith("/") and not h.startswith("//")]
        frontier = sorted(set(following) - seen)[:150]
    assert {"/organizations/catl", "/sources/report-electrive-2024-02-13", "/queries/alliance-members"} <= {
        p.split("?")[0] for p in seen
    }


def test_an_unknown_entity_or_query_is_404(site: Site) -> None:
    for path in (
        "/organizations/no-such-org",
        "/alliances/catl",
        "/sources/catl",
        "/queries/nope",
        "/id/no-such-thing",
    ):
        status, _, html = site.get(path)
        assert status == 404 and "Error: " in html, path


def test_time_travel_shows_what_was_known_on_a_day(site: Site) -> None:
    # Nikkei Asia's report (2024-02) and its relays are the first to name members; on 2024-01-20 none is known.
    _, _, before = site.get("/alliances/casip?asOf=2024-01-20")
    _, _, after = site.get("/alliances/casip?asOf=2024-03-01")
    members = site.cli("query", "alliance-members", "-p", "alliance=casip", "-p", "asOf=2024-03-01", "--format", "csv")
    assert before.count("data-member=") < after.count("data-member=") == len(members.splitlines()) - 1
    assert 'value="2024-03-01"' in after  # the control shows the day asked for


def test_a_writer_shows_on_the_next_page_and_a_busy_store_says_so(site: Site) -> None:
    _, _, before = site.get("/organizations/sunwoda")
    member = 'data-member="https://w3id.org/ssbkg/id/sunwoda"'
    api = "/api/queries/alliance-members.csv?alliance=casip"
    assert member not in site.get("/alliances/casip")[2] and "/id/sunwoda," not in site.get(api)[2]
    claim = ["claim", "sunwoda", "casip", "--certainty", "reported", "--source", "report-electrive-2024-02-13"]
    result = CliRunner().invoke(cli, ["--store", str(site.store), "--wait", "60", *claim])
    assert result.exit_code == 0, result.output
    _, _, after = site.get("/organizations/sunwoda")
    assert "<h3>member of</h3>" not in before and "<h3>member of</h3>" in after
    # The pages kept for the store as it was are not shown for the store as it is now.
    assert member in site.get("/alliances/casip")[2] and "/id/sunwoda," in site.get(api)[2]
    with StoreLock(site.store, exclusive=True, wait=60, holder="a test writer"):
        status, _, html = site.get("/alliances/casip")
    assert status == 503 and "busy" in html and "a test writer" in html
    assert site.get("/alliances/casip")[0] == 200


def test_a_writer_gets_in_while_pages_are_being_read(site: Site) -> None:
    """Four readers asking all the time, over HTTP, and a writer: it gets in, and the next page shows
    it (tests/test_web_reader.py makes the readers overlap without any gap)."""
    stop_reading, answered, failed = threading.Event(), [0], []

    def read() -> None:
        while not stop_reading.is_set():
            status = site.get("/organizations/sunwoda")[0]
            answered[0] += 1
            if status != 200:
                failed.append(status)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    try:
        while answered[0] < 20:  # the reading has started, and overlaps
            threading.Event().wait(0.05)
        # Farasis, not Sunwoda: the other writer's test (in any order) watches Sunwoda join.
        claim = ["claim", "farasis", "casip", "--certainty", "reported", "--source", "report-benzinga-2024-02"]
        result = CliRunner().invoke(cli, ["--store", str(site.store), "--wait", "120", *claim])
        assert result.exit_code == 0, result.output
        # The writer held the store alone: no store opened before it is left, so the next page shows it.
        assert "/id/report-benzinga-2024-02" in site.get("/organizations/farasis")[2]
    finally:
        stop_reading.set()
        for reader in readers:
            reader.join(timeout=300)
    assert set(failed) <= {503}, failed  # a reader waits --wait for the writer, then says busy; nothing worse


# ------------------------------------------------------------------------------------------ in a browser


@pytest.mark.browser
def test_an_analyst_clicks_through_the_site_in_chromium(site: Site) -> None:
    """Headless Chromium, driven by Playwright: index -> alliance -> organization -> source, a query
    form, a day in the past, a sorted and a filtered table; no script error, nothing fetched elsewhere."""
    from playwright.sync_api import sync_playwright

    from .test_report import chromium

    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=flags, timeout=120_000)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(120_000)
            problems: list[str] = []
            page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
            page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
            # A request the next click cancels (the favicon, on a busy machine) is not the site failing.
            page.on(
                "requestfailed",
                lambda r: None if r.failure == "net::ERR_ABORTED" else problems.append(f"failed: {r.url} {r.failure}"),
            )
            page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
            page.on("request", lambda r: None if r.url.startswith(site.url) else problems.append(f"outside: {r.url}"))

            page.goto(site.url + "/")
            page.click("text=CASIP")
            assert page.url.startswith(site.url + "/alliances/casip")
            names = page.eval_on_selector_all("#members-table tbody td:first-child", "cs => cs.map(c => c.textContent)")
            assert names[0] == "CATL" and "SVOLT" in names and HOSTILE in names  # the hostile name as text

            page.click("#members-table thead th:nth-child(1)")  # sorted by name, A to Z
            shown = page.eval_on_selector_all("#members-table tbody td:first-child", "cs => cs.map(c => c.textContent)")
            assert shown == sorted(names, key=str.lower)
            page.fill("input[data-table='members-table']", "eve energy")
            left = page.eval_on_selector_all(
                "#members-table tbody tr:not([hidden])", "rs => rs.map(r => r.textContent)"
            )
            assert len(left) == 1 and "EVE Energy" in left[0]  # a row is kept when its text has the words
            page.fill("input[data-table='members-table']", "")
            # Facets: each status with how many members have it; choosing one keeps those members.
            disputed = page.locator(".facet[data-column='status'] button[data-value='disputed']")
            assert disputed.text_content() == "disputed (1)"
            disputed.click()
            left = page.eval_on_selector_all(
                "#members-table tbody tr:not([hidden]) td:first-child", "cs => cs.map(c => c.textContent)"
            )
            assert left == ["SVOLT"]  # disputed by Battery Technology's "named five"
            disputed.click()
            assert page.locator("#members-table tbody tr:not([hidden])").count() == len(names)
            page.fill("form.view input[name=asOf]", "2024-01-20")
            page.click("form.view button")
            assert "asOf=2024-01-20" in page.url
            assert page.locator("#members-table tbody tr[data-member]").count() < len(names)
            page.click("form.view >> text=today, everything")

            page.click("#members-table >> text=CATL")
            assert page.url.startswith(site.url + "/organizations/catl")
            assert page.text_content("h1") == "CATL" and page.locator("h3", has_text="member of").count() == 1
            # An item page: each claim once, its value and source by name, the quote under it.
            first = page.locator(".claim").first
            assert first.locator(".said strong").text_content() == "CASIP"
            assert "source:" in (first.locator(".refs").text_content() or "")
            assert "ssbid:" not in (first.locator(".said, .refs").first.text_content() or "")
            first.locator(".refs a[href^='/id/report']").first.click()
            assert "/sources/" in page.url and page.locator("h2", has_text="What it said").count() == 1

            page.goto(site.url + "/queries/alliance-members")
            page.select_option("select[name=alliance]", "casip")  # the store's alliances, by name
            page.select_option("select[name=minCertainty]", "reported")
            page.click("button[name=run]")
            expected = site.cli("query", "alliance-members", "-p", "alliance=casip", "-p", "minCertainty=reported")
            assert page.locator("#result tbody tr").count() == len(expected.splitlines()) - 1
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # the answer fits the window
            assert page.locator("#result thead th", has_text="member").count() == 0  # named by its label
            assert page.locator("#result thead th:visible", has_text="sources").count() == 1

            page.goto(site.url + "/sparql")  # the endpoint, opened in a browser: a form, then a table
            page.click("form.sparql button")
            page.wait_for_selector("#result")
            assert page.locator("#result tbody tr").first.locator("td").first.text_content() == "CATL"
            assert problems == []
        finally:
            browser.close()
