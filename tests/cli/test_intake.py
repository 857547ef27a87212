"""`ssbkg intake` (issue 37) on copies of real coverage (tests/articles, with where each came from):
what it drafts, checked by hand against the fact sheet; the round trip through `claim --from-csv`;
what it must never draft; bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssbkg.cli import cli

ARTICLES = Path(__file__).parent.parent / "articles"
LABELS = json.loads((ARTICLES / "labels.json").read_text(encoding="utf-8"))


def _draft(store: Path, *args: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(cli, ["--store", str(store), "intake", *args])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _text(html: str) -> str:
    import trafilatura

    return trafilatura.extract((ARTICLES / html).read_text(encoding="utf-8")) or ""


def test_a_relay_of_nikkei_asia_drafts_its_makers_as_reported_with_nikkei_as_primary(store_path: Path) -> None:
    rows = _draft(store_path, str(ARTICLES / "lithium-news-2024-02.html"))
    members = {r["subject"]: r for r in rows if r["predicate"] == "member" and r["object"] == "casip"}
    # The five makers Nikkei named, and the automakers that "will also join in".
    assert set(members) == {"catl", "findreams", "calb", "eve-energy", "gotion", "byd", "nio"}
    assert {r["certainty"] for r in members.values()} == {"reported"}
    assert {r["primary"] for r in members.values()} == {"report-nikkei-asia-2024-02"}
    assert {r["confidence"] for r in members.values()} == {"0.75"}  # lithium-news.com is graded C
    text = _text("lithium-news-2024-02.html")
    assert all(r["quote"] in text for r in rows)  # each quote is the article's sentence, word for word
    assert members["nio"]["quote"] == "Automakers, like NIO and BYD, will also join in."
    # The store holds this article's claims already: every row says so, and recording writes nothing.
    assert {r["status"] for r in rows} == {"recorded"} and members["catl"]["source"] == "report-lithium-news-2024-02"
    assert "SVOLT" not in " ".join(r["subject"] for r in rows)  # sued, not a member


@pytest.mark.parametrize("article", ["wwo-2024-01-23.html", "evertiq-2024-05.html", "devdiscourse-2024-05-29.html"])
def test_a_speech_at_the_founding_and_the_may_programme_draft_no_membership(store_path: Path, article: str) -> None:
    rows = _draft(store_path, str(ARTICLES / article), "--format", "csv")
    assert [r for r in rows if r["predicate"] == "member"] == []


NEW_PUBLISHER = """@prefix ssb: <https://w3id.org/ssbkg/ontology#> .
@prefix ssbid: <https://w3id.org/ssbkg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
ssbid:thecruisectrlr a ssb:Publisher ; rdfs:label "thecruisectrlr.com"@en ; ssb:reliability "D" ;
    dct:source ssbid:note-casip-fact-sheet-2026-11-25 .
"""


def test_the_round_trip_article_draft_claims_members(store_path: Path, tmp_path: Path) -> None:
    def ssbkg(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--store", str(store_path), *args])
        return result.exit_code, result.stdout, result.stderr

    publisher = tmp_path / "publisher.ttl"
    publisher.write_text(NEW_PUBLISHER, encoding="utf-8")
    assert ssbkg("load", str(publisher))[0] == 0
    article = str(ARTICLES / "thecruisectrlr.html")
    draft = tmp_path / "draft.csv"
    code, _, err = ssbkg("intake", article, "--date", "2024-02", "-o", str(draft))
    assert code == 0 and "Drafted 3 claim(s): 3 new" in err, err
    rows = list(csv.DictReader(draft.open(encoding="utf-8")))
    assert {r["subject"] for r in rows} == {"catl", "byd", "nio"}
    assert {(r["publisher"], r["date"], r["certainty"], r["confidence"]) for r in rows} == {
        ("thecruisectrlr", "2024-02", "reported", "0.65")  # grade D
    }
    assert rows[0]["headline"] == "China’s Ambitious Push for Solid-State Batteries: A Game-Changer in EV Technology"
    code, out, err = ssbkg("claim", "--from-csv", str(draft))
    assert code == 0, err
    assert len(out.splitlines()) == 3  # the three assertions written
    members = ssbkg("query", "alliance-members", "-p", "alliance=casip", "--format", "csv")[1]
    assert "thecruisectrlr.com" in next(line for line in members.splitlines() if ",Nio," in line)
    # Read again, the article is the store's report: every row is recorded, and nothing is written.
    again = tmp_path / "again.csv"
    assert ssbkg("intake", article, "-o", str(again))[0] == 0
    assert {r["status"] for r in csv.DictReader(again.open(encoding="utf-8"))} == {"recorded"}
    assert ssbkg("claim", "--from-csv", str(again))[0] == 5


def test_the_words_of_a_sentence_set_its_certainty(store_path: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(
        "According to Nikkei Asia, Sunwoda may join CASIP soon.\n"
        "SVOLT is not a member of CASIP, the company said.\n"
        "Farasis Energy will also join CASIP.\n",
        encoding="utf-8",
    )
    options = ["--headline", "A note", "--date", "2024-03-01", "--publisher", "electrive"]
    rows = {r["subject"]: r for r in _draft(store_path, str(article), *options)}
    assert (rows["sunwoda"]["certainty"], rows["sunwoda"]["confidence"]) == ("speculative", "0.2")
    assert (rows["svolt"]["certainty"], rows["svolt"]["confidence"]) == ("refuted", "0.1")
    assert (rows["farasis"]["certainty"], rows["farasis"]["confidence"]) == ("reported", "0.8")  # electrive: B
    assert rows["sunwoda"]["primary"] == "report-nikkei-asia-2024-02" and rows["svolt"]["primary"] == ""
    assert "first word of name 'Farasis Energy'" not in rows["farasis"]["evidence"]  # matched whole


def test_a_conflicting_row_is_refused_until_the_analyst_says_correct(store_path: Path, tmp_path: Path) -> None:
    rows = _draft(store_path, str(ARTICLES / "lithium-news-2024-02.html"))
    draft = tmp_path / "draft.csv"
    with draft.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow({**rows[0], "status": "conflicts", "confidence": "0.7"})
    result = CliRunner().invoke(cli, ["--store", str(store_path), "claim", "--from-csv", str(draft)])
    assert result.exit_code == 2 and f"{draft}, row 2: the store records this claim" in result.stderr
    assert "set its status to correct" in result.stderr


def test_json_names_each_mention_with_where_it_is(store_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--store", str(store_path), "intake", str(ARTICLES / "hardwarebee-2024-02.html"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    draft = json.loads(result.stdout)
    text = _text("hardwarebee-2024-02.html")
    row = next(r for r in draft["rows"] if r["subject"].endswith("/cas"))
    assert row["quote"] in text and row["status"] == "recorded"
    mention = next(m for m in row["mentions"] if m["entity"].endswith("/cas"))
    assert mention["matched"] == "name 'Chinese Academy of Sciences'"


def test_bad_input_is_one_line(store_path: Path, tmp_path: Path) -> None:
    missing = CliRunner().invoke(cli, ["--store", str(store_path), "intake", str(tmp_path / "nosuch.html")])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("CATL rejoint CASIP \xe0 P\xe9kin".encode("latin-1"))
    assert CliRunner().invoke(cli, ["--store", str(store_path), "intake", str(latin1)]).exit_code == 2
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title></title></head><body></body></html>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", str(store_path), "intake", str(empty)])
    assert result.exit_code == 0 and result.stdout.count("\n") == 1 and "nothing to draft" in result.stderr
    deep = tmp_path / "deep.html"
    deep.write_text("<div>" * 5000 + "CATL joins CASIP" + "</div>" * 5000, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", str(store_path), "intake", str(deep)])
    assert result.exit_code == 2 and "nested more than 2,000 deep" in result.stderr


@pytest.mark.parametrize("folder", [ARTICLES, *sorted(ARTICLES.glob("held-out*"))], ids=lambda p: p.name)
def test_the_labelled_articles_meet_the_goals(folder: Path) -> None:
    """Issue 37's goals on the labelled excerpts: memberships with precision and recall of at least 0.9,
    every quote the article's words, every relay's origin named, no membership where none is stated."""
    import ssbkg
    from ssbkg.intake import reading
    from ssbkg.intake.draft import intake

    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    hit = drafted = expected = 0
    with ssbkg.open_store("memory:", write=True) as store:
        for name, label in labels.items():
            found = intake(store, str(folder / name))
            members = {r.subject.rsplit("/", 1)[-1]: r for r in found.rows if r.predicate == "member"}
            drafted, expected = drafted + len(members), expected + len(label["members"])
            hit += sum(
                1 for slug, level in label["members"].items() if slug in members and members[slug].certainty == level
            )
            assert label["members"] or not members, f"{name}: drafted {sorted(members)} where none is stated"
            if label["relays"]:
                assert {r.primary.rsplit("/", 1)[-1] for r in members.values()} == {label["relays"]}, name
            text = reading.read(str(folder / name)).text
            assert all(r.quote in text for r in found.rows), name
    assert hit >= 0.9 * drafted and hit >= 0.9 * expected, (hit, drafted, expected)


@pytest.mark.parametrize(
    ("text", "language", "members"),
    [
        ("Zu den Mitgliedern der CASIP gehören CATL und BYD.", "de", {"catl", "byd"}),
        ("A CASIP inclui a CATL e a BYD, segundo a Nikkei Asia.", "pt", {"catl", "byd"}),
        ("宁德时代和蜂巢能源加入了中国全固态电池产学研协同创新平台。", "zh", {"catl", "svolt"}),  # CATL, SVOLT
        ("Miao Wei spoke at the founding of CASIP, which CATL attended.", "en", set()),
    ],
)
def test_the_cues_in_the_languages_of_the_coverage(
    store_path: Path, tmp_path: Path, text: str, language: str, members: set[str]
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    options = ["--headline", "x", "--date", "2024-03-01", "--publisher", "electrive", "--language", language]
    rows = _draft(store_path, str(article), *options)
    assert {r["subject"] for r in rows if r["predicate"] == "member"} == members
    assert all(r["quote"] == text and r["quote_lang"] == language for r in rows)


def test_turtle_is_the_new_claims_as_a_file_load_takes(store_path: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Sunwoda has joined CASIP, electrive learned.", encoding="utf-8")
    turtle = tmp_path / "draft.ttl"
    options = ["--headline", "Sunwoda joins CASIP", "--date", "2024-03-01", "--publisher", "electrive"]
    result = CliRunner().invoke(
        cli, ["--store", str(store_path), "intake", str(article), *options, "--format", "turtle", "-o", str(turtle)]
    )
    assert result.exit_code == 0, result.output
    assert "ssb:Report" in turtle.read_text(encoding="utf-8")
    loaded = CliRunner().invoke(cli, ["--store", str(store_path), "load", str(turtle)])
    assert loaded.exit_code == 0, loaded.output
    members = CliRunner().invoke(cli, ["--store", str(store_path), "query", "alliance-members", "-p", "alliance=casip"])
    assert "Sunwoda" in members.stdout


def test_an_unreachable_address_is_one_line_and_exit_3(store_path: Path) -> None:
    import socket

    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    result = CliRunner().invoke(cli, ["--store", str(store_path), "intake", f"http://127.0.0.1:{port}/article"])
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"Error: cannot fetch http://127.0.0.1:{port}/article")


def test_traditional_chinese_names_are_found_as_the_simplified_ones(store_path: Path, tmp_path: Path) -> None:
    """The store holds 宁德时代 and 中国全固态电池产学研协同创新平台; a Hong Kong or Taiwan page writes them
    寧德時代 and 中國全固態電池產學研協同創新平臺."""
    article = tmp_path / "article.txt"
    article.write_text("寧德時代加入了中國全固態電池產學研協同創新平臺。", encoding="utf-8")
    options = ["--headline", "x", "--date", "2024-03-01", "--publisher", "electrive", "--language", "zh"]
    (row,) = _draft(store_path, str(article), *options)
    assert (row["subject"], row["object"], row["predicate"]) == ("catl", "casip", "member")
    assert row["quote"] == "寧德時代加入了中國全固態電池產學研協同創新平臺。"  # the page's own characters


def test_a_claim_the_store_holds_as_disputed_takes_the_rules_deduction(store_path: Path) -> None:
    rows = {r["subject"]: r for r in _draft(store_path, str(ARTICLES / "held-out" / "electrive-2024-02-13.html"))}
    # electrive is graded B (0.8); SVOLT's membership is disputed by Battery Technology: 0.65, as recorded.
    assert (rows["svolt"]["confidence"], rows["svolt"]["status"]) == ("0.65", "recorded")
    assert (rows["catl"]["confidence"], rows["catl"]["status"]) == ("0.8", "recorded")


def test_an_article_that_names_no_alliance_is_read_by_the_members_it_lists(store_path: Path) -> None:
    # IT-Times never names CASIP ("eine nationale Allianz"); the seven it lists are recorded members of
    # CASIP, so the draft is about CASIP and says why; the ministries it lists back it, as the data has them.
    article = str(ARTICLES / "held-out-7" / "it-times.html")
    result = CliRunner().invoke(cli, ["--store", str(store_path), "intake", article])
    assert result.exit_code == 0, result.output
    assert "names no alliance" in result.stderr and "CASIP" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    members = {r["subject"] for r in rows if r["predicate"] == "member"}
    assert members == {"byd", "findreams", "catl", "nio", "calb", "eve-energy", "gotion"}
    assert {r["subject"] for r in rows if r["predicate"] == "backs"} == {"miit"}
    assert {r["primary"] for r in rows} == {"report-nikkei-asia-2024-02"}  # "berichtete Nikkei Asia zuerst"
    assert all("names no alliance: CASIP" in r["evidence"] for r in rows)
    # Named by the analyst, the alliance needs no guess; one the store does not know is exit 2, named.
    chosen = CliRunner().invoke(cli, ["--store", str(store_path), "intake", article, "--alliance", "casip"])
    assert chosen.exit_code == 0 and "names no alliance;" not in chosen.stderr
    unknown = CliRunner().invoke(cli, ["--store", str(store_path), "intake", article, "--alliance", "nosuch"])
    assert unknown.exit_code == 2 and "--alliance 'nosuch'" in unknown.stderr and "casip" in unknown.stderr


def test_a_programme_article_is_not_read_as_the_alliance_by_two_of_its_members(store_path: Path) -> None:
    # ArenaEV's six companies of the May 2024 programme include CATL and BYD, CASIP members: two of six is
    # no reason to read the programme as CASIP, so nothing is drafted.
    rows = _draft(store_path, str(ARTICLES / "held-out-7" / "arenaev.html"))
    assert rows == []


def test_an_origin_the_store_does_not_know_is_named_for_the_analyst(store_path: Path) -> None:
    # FOCUS has CASIP's founding from deraktionaer.de, a publisher the store does not hold.
    focus = str(ARTICLES / "held-out-7" / "focus.html")
    result = CliRunner().invoke(cli, ["--store", str(store_path), "intake", focus])
    assert result.exit_code == 0, result.output
    assert "it relays 'deraktionaer.de', which the store does not know" in result.stderr
