"""The evidence report and the network picture: checked structurally against the stored queries, and
rendered in a real headless Chromium (no console errors, a node for every member, a screenshot)."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import Result

from .. import servers
from ..conftest import rows


class Page(HTMLParser):
    """What the tests look for: member rows, source links, node ids, anything fetched from outside."""

    def __init__(self) -> None:
        super().__init__()
        self.members: list[str] = []
        self.links: list[str] = []
        self.node_ids: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-member"):
            self.members.append(str(a["data-member"]))
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if tag == "g" and a.get("class") == "node" and str(a.get("id", "")).startswith("member-"):
            self.node_ids.append(str(a["id"]))
        for key in ("src", "data"):
            if a.get(key):
                self.external.append(str(a[key]))
        if tag == "link" and a.get("href"):
            self.external.append(str(a["href"]))


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.fixture
def report(run_embedded: Callable[..., Result], tmp_path: Path) -> tuple[Path, Page]:
    out = tmp_path / "casip.html"
    result = run_embedded("report", "casip", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out, parse(out.read_text(encoding="utf-8"))


def test_every_member_and_every_source_link_is_on_the_page(
    report: tuple[Path, Page], run_embedded: Callable[..., Result]
) -> None:
    _, page = report
    members = [
        r["member"] for r in rows(run_embedded("query", "alliance-members", "-p", "alliance=casip", "--format", "csv"))
    ]
    assert page.members == members  # the same members, in the same order (surest first)
    assert "https://w3id.org/ssbkg/id/svolt" in members and "https://w3id.org/ssbkg/id/catl" in members
    claims = rows(run_embedded("query", "claims-by-source", "--format", "csv"))
    urls = {r["report"]: r["url"] for r in rows(run_embedded("query", "reports", "--format", "csv"))}
    for claim in claims:
        if claim["object"] == "https://w3id.org/ssbkg/id/casip" and claim["predicate"].endswith("#memberOf"):
            assert (urls.get(claim["source"]) or claim["source"]) in page.links, claim["source"]
    # A node in the picture for every member, and the picture is inline.
    assert {f"member-{m.rsplit('/', 1)[-1]}" for m in members} <= set(page.node_ids)


def test_the_page_fetches_nothing(report: tuple[Path, Page]) -> None:
    path, page = report
    assert page.external == []
    text = path.read_text(encoding="utf-8")
    assert "@import" not in text and "url(" not in text
    # One script, inline: sorting and filtering. It loads nothing and asks nothing of the network.
    assert text.count("<script") == 1 and "<script>" in text
    script = text.split("<script>", 1)[1].split("</script>", 1)[0]
    assert not [w for w in ("fetch", "XMLHttpRequest", "import", "src", "http") if w in script]


def test_the_page_shows_conflicts_candidates_and_the_date(report: tuple[Path, Page]) -> None:
    text = report[0].read_text(encoding="utf-8")
    assert "SVOLT" in text and "patent infringement" in text  # the disagreement and the analysts' note
    assert "Sunwoda" in text and "At least 6 of the top 10" in text  # a rule's candidate, with its reasoning
    assert "As of 2" in text


def test_the_page_counts_origins_and_readings(report: tuple[Path, Page]) -> None:
    text = report[0].read_text(encoding="utf-8")
    rows = dict(re.findall(r'<tr id="row-[^"]*" data-member="([^"]+)">(.*?)</tr>', text, re.S))
    cells = {m: [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for m, r in rows.items()}
    catl, svolt = cells["https://w3id.org/ssbkg/id/catl"], cells["https://w3id.org/ssbkg/id/svolt"]
    # Sources, independent origins, readings: CATL 8, 2 (Nikkei Asia, evspectrum), 8; SVOLT 2, 1, 1.
    assert catl[4:7] == ["9", "2", "8"] and svolt[4:7] == ["2", "1", "1"]  # Electrek joins lithium-news's reading
    assert "2 independent origins: Nikkei Asia; evspectrum.com" in catl[-1]
    # Every member's source count is the number of sources its row links to, and no row calls a
    # source "repeating" itself.
    for member, row in cells.items():
        assert int(row[4]) == row[-1].split("<div", 1)[0].count("<a "), member
        assert "repeating" not in rows[member]


def test_as_of_and_min_certainty_narrow_the_page(run_embedded: Callable[..., Result], tmp_path: Path) -> None:
    early = tmp_path / "early.html"
    assert run_embedded("report", "casip", "--as-of", "2024-01-31", "-o", str(early)).exit_code == 0
    sure = tmp_path / "sure.html"
    assert run_embedded("report", "casip", "--min-certainty", "reported", "-o", str(sure)).exit_code == 0
    full = tmp_path / "full.html"
    assert run_embedded("report", "casip", "-o", str(full)).exit_code == 0
    early_page, sure_page, full_page = (parse(p.read_text(encoding="utf-8")) for p in (early, sure, full))
    assert "As of 2024-01-31" in early.read_text(encoding="utf-8")
    assert len(early_page.members) < len(full_page.members)  # the relays came out in February
    assert "https://w3id.org/ssbkg/id/qingtao" in full_page.members
    assert "https://w3id.org/ssbkg/id/qingtao" not in sure_page.members  # a guess, below reported


@pytest.mark.parametrize("fmt", ["svg", "png", "dot"])
def test_graph_writes_each_format(fmt: str, run_embedded: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / f"casip.{fmt}"
    result = run_embedded("graph", "casip", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    start = {"svg": b"<?xml", "png": b"\x89PNG", "dot": b"graph alliance"}[fmt]
    assert data.startswith(start)
    if fmt != "png":
        text = html.unescape(data.decode("utf-8"))  # Graphviz writes "-" in ids as &#45;
        assert "member-svolt" in text and "#c62828" in text  # SVOLT is disputed: drawn in red


def test_bad_requests_are_clear(run_embedded: Callable[..., Result], tmp_path: Path) -> None:
    unknown = run_embedded("report", "no-such-alliance", "-o", str(tmp_path / "x.html"))
    assert unknown.exit_code == 2 and "no alliance is named" in unknown.stderr
    assert not (tmp_path / "x.html").exists()
    assert run_embedded("graph", "casip", "-o", str(tmp_path / "x.pdf")).exit_code == 2
    assert run_embedded("graph", "casip").exit_code == 2


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found is None:
        message = "Chromium is not installed here (apt-get install chromium); .ci/run installs it"
        if servers.required_in_ci():
            pytest.fail(message + " -- and CI requires it")
        pytest.skip(message)
    return found


def headless(page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2400",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.mark.browser
def test_chromium_catches_a_broken_page(tmp_path: Path) -> None:
    """The detector below is real: a page with a script error shows up in the console."""
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><script>notDefined();</script></body></html>", encoding="utf-8")
    assert any("notDefined" in m for m in console_messages(headless(broken, "--dump-dom").stderr))


@pytest.mark.browser
def test_the_report_renders_in_chromium_with_a_node_per_member(report: tuple[Path, Page], tmp_path: Path) -> None:
    path, page = report
    rendered = headless(path, "--dump-dom")
    assert rendered.returncode == 0, rendered.stderr[-2000:]
    assert console_messages(rendered.stderr) == []
    dom = parse(rendered.stdout)  # the DOM after Chromium built it
    assert dom.members == page.members
    assert {f"member-{m.rsplit('/', 1)[-1]}" for m in page.members} <= set(dom.node_ids)
    shot = Path(os.environ.get("SSBKG_SCREENSHOT_DIR", tmp_path)) / "report.png"
    taken = headless(path, f"--screenshot={shot}", "--hide-scrollbars")
    assert taken.returncode == 0 and console_messages(taken.stderr) == []
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 50_000


def test_without_graphviz_the_message_says_how_to_install_it(store_path: Path, tmp_path: Path) -> None:
    import sys

    bin_dir = Path(sys.executable).parent  # python and nothing of Graphviz on the PATH
    env = {**os.environ, "PATH": str(bin_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "ssbkg", "--store", str(store_path), "graph", "casip", "-o", str(tmp_path / "x.svg")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 6, done.stderr
    assert "Graphviz is not installed" in done.stderr and "apt-get install graphviz" in done.stderr
    assert not (tmp_path / "x.svg").exists()
    dot = subprocess.run(
        [sys.executable, "-m", "ssbkg", "--store", str(store_path), "graph", "casip", "-o", str(tmp_path / "x.dot")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert dot.returncode == 0 and (tmp_path / "x.dot").read_text().startswith("graph alliance")


def test_report_refuses_a_file_it_would_not_write_and_names_options_as_typed(
    run_embedded: Callable[..., Result], tmp_path: Path
) -> None:
    pdf = run_embedded("report", "casip", "-o", str(tmp_path / "x.pdf"))
    assert pdf.exit_code == 2 and "writes an HTML page, not .pdf" in pdf.stderr and not (tmp_path / "x.pdf").exists()
    level = run_embedded("report", "casip", "--min-certainty", "sure")
    assert level.exit_code == 2 and "'--min-certainty'" in level.stderr and "minCertainty" not in level.stderr
    day = run_embedded("report", "casip", "--as-of", "2024-02")
    assert day.exit_code == 2 and "'--as-of'" in day.stderr
    ok = run_embedded(
        "report", "casip", "--as-of", "2024-02-20", "--min-certainty", "Reported", "-o", str(tmp_path / "a.html")
    )
    assert ok.exit_code == 0


def test_the_picture_alone_has_a_white_ground_a_title_and_the_legend(
    run_embedded: Callable[..., Result], tmp_path: Path
) -> None:
    dot = run_embedded("graph", "casip", "--format", "dot", "--as-of", "2024-02-20").stdout
    assert "bgcolor=white" in dot and "CASIP: who is in, as of 2024-02-20 (all claims)" in dot
    assert "dashed: inferred by a rule" in dot and "red: disputed" in dot and "a source denies it" in dot
    small, large = tmp_path / "small.png", tmp_path / "large.png"
    assert run_embedded("graph", "casip", "-o", str(small), "--dpi", "48").exit_code == 0
    assert run_embedded("graph", "casip", "-o", str(large), "--dpi", "144").exit_code == 0
    assert large.stat().st_size > small.stat().st_size  # the resolution is the one asked for
    page = run_embedded("report", "casip").stdout
    assert "who is in, as of" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # the page has its own


@pytest.mark.browser
def test_the_tables_sort_and_filter_when_clicked(report: tuple[Path, Page]) -> None:
    """In a real headless Chromium, driven by Playwright: click a heading, type in a filter box."""
    from playwright.sync_api import sync_playwright  # a test dependency: installed with .[test]

    path, _ = report
    flags = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=flags, timeout=120_000)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.as_uri())

            def members() -> list[str]:
                return page.eval_on_selector_all(
                    "#members-table tbody tr:not([hidden]) td:first-child", "cells => cells.map(c => c.textContent)"
                )

            first = members()
            assert first[0] == "CATL" and "SVOLT" in first
            page.click("#members-table thead th:nth-child(1)")  # by name, A to Z
            assert members() == sorted(first, key=str.lower)
            page.click("#members-table thead th:nth-child(5)")  # by sources, fewest first
            counts = page.eval_on_selector_all(
                "#members-table tbody tr td:nth-child(5)", "cells => cells.map(c => Number(c.textContent))"
            )
            assert counts == sorted(counts) and counts[-1] == 9
            page.click("#members-table thead th:nth-child(5)")  # again: most first
            assert members()[0] == "CATL"
            page.fill('input[data-table="members-table"]', "unnamed")
            assert sorted(members()) == [
                "Unnamed state-owned automakers",
                "Unnamed state-sponsored investment funds",
                "Unnamed universities",
            ]
            page.fill('input[data-table="members-table"]', "")
            assert len(members()) == len(first)
            page.click("#member-svolt a")  # a node of the picture leads to its row
            assert page.evaluate("location.hash") == "#row-member-svolt"
            assert errors == []
        finally:
            browser.close()


def test_a_retracted_claim_stays_on_the_page_struck_through(run_embedded: Callable[..., Result]) -> None:
    reason = "creative-marketing rewrites electrive"
    assert (
        run_embedded("retract", "ssbid:assertion-nio-member-casip-creative-marketing", "--reason", reason).exit_code
        == 0
    )
    page = run_embedded("report", "casip").stdout
    retracted = page.split('<h2 id="retracted">', 1)[1].split("</table>", 1)[0]
    assert "<del>Nio is a member of CASIP</del>" in retracted and reason in retracted


def test_only_http_addresses_become_links(run_embedded: Callable[..., Result], write_ttl, tmp_path: Path) -> None:
    # A source whose address is javascript: is valid RDF (any IRI is); on the page it is text, not a link.
    evil = write_ttl(
        "evil.ttl",
        """
ssbid:report-evil a ssb:Report ; schema:headline "Evil"@en ; schema:publisher ssbid:electrive ;
    schema:datePublished "2024-03-01"^^xsd:date ; schema:url <javascript:alert(document.cookie)> .
ssbid:assertion-evil a ssb:Assertion ;
    rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainty ssb:Reported ; ssb:confidence 0.8 ; prov:wasDerivedFrom ssbid:report-evil .
""",
    )
    assert run_embedded("load", str(evil)).exit_code == 0
    out = tmp_path / "page.html"
    assert run_embedded("report", "casip", "-o", str(out)).exit_code == 0
    page = parse(out.read_text(encoding="utf-8"))
    assert "https://w3id.org/ssbkg/id/sunwoda" in page.members  # the claim is on the page ...
    assert page.links and all(link.startswith(("http://", "https://", "#")) for link in page.links)  # ... no link runs
