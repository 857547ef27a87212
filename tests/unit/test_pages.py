"""What each page of the evidence site shows (web/pages.py), gathered through the library on a store in
memory: the index's counts, an alliance's disputes and sources, an organization's claims and trees,
a report's claims and citations, each narrowed by the reader's day and least certainty. The site's
HTTP, templates and Chromium are tested in tests/cli/test_web.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import ssbkg
from ssbkg.evidence import alliance
from ssbkg.stores import Store
from ssbkg.web import pages

ID = "https://w3id.org/ssbkg/id/"
CASIP = ID + "casip"


def test_the_index_counts_each_alliances_members_by_certainty(db: Store) -> None:
    (casip,) = [a for a in pages.index(db, pages.View())["alliances"] if a["alliance"] == CASIP]
    # The README's table: twelve reported members (SVOLT disputed among them), two speculative guesses.
    assert casip["shown"] == 14 and casip["counts"] == [("reported", 12), ("speculative", 2)]
    (early,) = [a for a in pages.index(db, pages.View(as_of="2024-02-05"))["alliances"] if a["alliance"] == CASIP]
    assert early["shown"] == 0 and early["counts"] == []  # nothing relayed Nikkei yet
    (sure,) = [a for a in pages.index(db, pages.View(min_certainty="reported"))["alliances"] if a["alliance"] == CASIP]
    assert sure["counts"] == [("reported", 12)]


def test_the_index_lists_the_latest_changes_first(db: Store) -> None:
    ssbkg.retract(db, "assertion-svolt-member-casip-creative-marketing", "a rewrite", agent="ana")
    latest = pages.index(db, pages.View())["changes"][0]
    assert (latest.change, latest.by, latest.note) == ("retracted", "ana", "a rewrite")


def test_an_alliance_page_groups_each_dispute_with_both_sides(db: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")  # no Graphviz: the page is gathered without its picture
    shown = pages.alliance(db, CASIP, pages.View())
    (svolt,) = [d for d in shown["e"].disputes if d.subject == ID + "svolt" and d.predicate.endswith("#memberOf")]
    assert sorted(svolt.states) == [ID + "report-creative-marketing-2024-02", ID + "report-electrive-2024-02-13"]
    assert svolt.against == [ID + "report-battery-technology-2024-02-19"] and len(svolt.notes) == 1
    dates = [s.date for s in shown["e"].cited]
    assert dates == sorted(dates) and len(dates) > 10  # oldest first
    with pytest.raises(pages.NotFound, match="is not an alliance"):
        pages.alliance(db, ID + "catl", pages.View())


def test_an_organization_page_shows_statements_as_sure_as_asked(db: Store) -> None:
    welion = pages.organization(db, ID + "welion", pages.View())
    assert welion["label"] == "WeLion"
    (member,) = [s for s in welion["statements"] if s.words == "member of"]
    (guess,) = member.claims  # the analysts' own guess, with its source by name
    assert (guess.value_label, guess.certainty, guess.confidence) == ("CASIP", "speculative", "0.2")
    assert [src.name for src in guess.sources] == ["ssbkg analysts' note on CASIP membership guesses"]
    guarded = pages.organization(db, ID + "welion", pages.View(min_certainty="reported"))
    assert guarded["statements"] == []  # the analysts' guesses are speculative
    assert guarded["facts"] == welion["facts"]  # facts are not claims: always shown
    with pytest.raises(pages.NotFound, match="nothing is known about ssbid:no-such-maker"):
        pages.organization(db, ID + "no-such-maker", pages.View())


def test_a_report_page_lists_what_it_says_and_who_cites_it(db: Store) -> None:
    electrive = pages.source(db, ID + "report-electrive-2024-02-13", pages.View())
    assert electrive["headline"] and {r["subjectLabel"] for r in electrive["said"]} >= {"CATL", "SVOLT"}
    assert [c["citing"] for c in electrive["cited_by"]] == [ID + "report-creative-marketing-2024-02"]
    before = pages.source(db, ID + "report-electrive-2024-02-13", pages.View(as_of="2024-02-12"))
    assert before["said"] == []  # not out yet on the 12th
    with pytest.raises(pages.NotFound, match="is not a report"):
        pages.source(db, ID + "catl", pages.View())


@pytest.mark.parametrize(
    ("as_of", "least", "words"),
    [("2024-02", None, "asOf"), ("tomorrow", None, "asOf"), (None, "certain", "minCertainty")],
)
def test_a_view_is_refused_in_the_words_of_the_query(as_of: str | None, least: str | None, words: str) -> None:
    with pytest.raises(ssbkg.InputError, match=words):
        pages.View.parse(as_of, least)


def test_a_view_admits_what_is_as_sure_as_asked() -> None:
    view = pages.View.parse(None, "Reported")
    assert view.min_certainty == "reported"
    assert view.admits("https://w3id.org/ssbkg/ontology#Confirmed") and view.admits("reported")
    assert not view.admits("speculative") and view.admits("a word no level has")
    assert pages.View().admits("refuted")


def test_a_picture_past_its_time_limit_is_stopped_and_the_page_goes_without_it(
    db: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A twopi that never finishes (the fault), which writes its pid so the test can see it killed.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pid_file = tmp_path / "twopi.pid"
    slow = bin_dir / "twopi"
    slow.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 600\n")
    slow.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(pages, "PICTURE_SECONDS", 1.0)

    shown = pages.alliance(db, CASIP, pages.View())
    assert shown["picture"] == ""
    assert shown["left_out"] == (
        "Graphviz was stopped after laying out the picture for 1 s; draw it on its own with: "
        "ssbkg graph casip -o casip.svg"
    )
    assert len(shown["e"].members) == 14  # the rest of the page is all there
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):  # killed, not left running
        os.kill(pid, 0)


def test_without_graphviz_the_site_says_the_picture_is_left_out(
    db: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing of Graphviz here
    shown = pages.alliance(db, CASIP, pages.View())
    assert shown["picture"] == "" and len(shown["e"].members) == 14
    assert shown["left_out"] == "Graphviz is not installed: the picture needs its twopi program"


def test_the_cited_reports_are_the_same_asked_one_by_one_or_all_at_once(
    db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    few = alliance.gather(db, "casip")
    monkeypatch.setattr(alliance, "ONE_BY_ONE", 0)
    many = alliance.gather(db, "casip")
    assert few.sources == many.sources
    cited = alliance.cited_sources(few.members, few.conflicts)
    # Every cited report, and nothing else; the analysts' note is a source but not a report.
    note = "https://w3id.org/ssbkg/id/note-casip-fact-sheet-2026-11-25"
    assert sorted(few.sources) == sorted(set(cited) - {note}) and note in cited and len(cited) > 10
    assert few.sources["https://w3id.org/ssbkg/id/report-electrive-2024-02-13"].publisher == "electrive"
