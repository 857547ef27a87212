"""Every stored query parses, runs, and answers what the fact sheet says (checked by hand)."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
import pytest
from click.testing import Result

from ssbkg.querying.catalogue import stored_queries

from ..conftest import rows

QUERIES = sorted(stored_queries())
NIKKEI_FIVE = {"CATL", "FinDreams Battery", "CALB", "EVE Energy", "Gotion High-tech"}
RELAYS_OF_THE_FIVE = "Benzinga; EV-a2z; electrive; hardwarebee; lithium-news.com"


def test_the_stored_queries_exist() -> None:
    assert QUERIES == [
        "alliance-members",
        "alliances",
        "candidates",
        "citations",
        "claims-by-source",
        "conflicts",
        "corroboration",
        "denials",
        "find",
        "organization-profile",
        "reports",
        "retractions",
        "top-ranked-members",
        "weakly-sourced",
    ]


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_parses_and_has_a_grlc_header(name: str) -> None:
    q = stored_queries()[name]
    assert q.summary and q.description
    ox.Store().query(q.text.replace("?_", "?p_"))  # parses as plain SPARQL once parameters are variables
    for p in q.parameters:
        assert "_" not in p.name
        projection = q.text.split("WHERE", 1)[0]
        assert p.variable not in projection  # grlc would substitute it there


def test_alliance_members(run: Callable[..., Result]) -> None:
    got = rows(run("query", "alliance-members", "-p", "alliance=casip", "--format", "csv"))
    by_label = {r["label"]: r for r in got}
    for name in NIKKEI_FIVE - {"CATL"}:
        r = by_label[name]
        assert (r["certainty"], r["confidence"], r["status"], r["sourceCount"]) == (
            "reported",
            "0.8",
            "undisputed",
            "5",
        )
        assert r["sources"] == RELAYS_OF_THE_FIVE
        assert r["primarySources"] == "Nikkei Asia"
    # CATL: the five relays, Electrek, ForexLive and Notebookcheck (relaying Nikkei too), and evspectrum,
    # which names no Nikkei and is the only other origin (fact sheet, sections 8 and 9).
    catl = by_label["CATL"]
    assert (catl["certainty"], catl["confidence"], catl["status"], catl["sourceCount"]) == (
        "reported",
        "0.8",
        "undisputed",
        "9",
    )
    assert catl["sources"].split("; ") == [
        "Benzinga",
        "EV-a2z",
        "Electrek",
        "ForexLive",
        "Notebookcheck",
        "electrive",
        "evspectrum.com",
        "hardwarebee",
        "lithium-news.com",
    ]
    assert catl["primarySources"] == "Nikkei Asia; evspectrum.com"
    svolt = by_label["SVOLT"]
    assert (svolt["certainty"], svolt["status"], svolt["sourceCount"]) == ("reported", "disputed", "2")
    assert svolt["sources"] == "creative-marketing.org; electrive"
    assert svolt["primarySources"] == "Nikkei Asia"
    # BYD: electrive, EV-a2z, creative-marketing, ForexLive ("like BYD and CATL"), Notebookcheck,
    # Electrek ("including BYD, CATL, and NIO"), lithium-news ("Automakers, like NIO and BYD") and
    # Benzinga ("rivals CATL and BYD"); Nio: electrive, EV-a2z, creative-marketing, Electrek, lithium-news.
    assert by_label["BYD"]["sourceCount"] == "8" and by_label["Nio"]["sourceCount"] == "5"
    assert by_label["WeLion"]["certainty"] == "speculative"
    # surest first: every reported member comes before the speculative guesses
    order = [r["certainty"] for r in got]
    assert order == sorted(order, key=["reported", "speculative"].index)
    # then by how many sources: CATL (9), BYD (8), then the other four of the five (5 each) by name.
    assert [r["label"] for r in got][:6] == ["CATL", "BYD", *sorted(NIKKEI_FIVE - {"CATL"})]
    assert len(got) == 14  # the 13 before, and the unnamed universities (electrive, hardwarebee)
    # attendance of the founding conference is not membership
    assert "Ministry of Finance" not in by_label and "CICC Capital" not in by_label


def test_alliance_members_min_certainty(run: Callable[..., Result]) -> None:
    got = rows(run("query", "alliance-members", "-p", "alliance=casip", "-p", "minCertainty=reported"))
    assert {r["certainty"] for r in got} == {"reported"}
    assert len(got) == 12
    assert rows(run("query", "alliance-members", "-p", "alliance=casip", "-p", "minCertainty=confirmed")) == []


def test_alliance_members_same_answer_for_every_spelling_of_the_alliance(run: Callable[..., Result]) -> None:
    expected = run("query", "alliance-members", "-p", "alliance=casip").stdout
    for spelling in ("ssbid:casip", "https://w3id.org/ssbkg/id/casip", "<https://w3id.org/ssbkg/id/casip>"):
        assert run("query", "alliance-members", "-p", f"alliance={spelling}").stdout == expected


def test_claims_by_source(run: Callable[..., Result]) -> None:
    got = rows(run("query", "claims-by-source", "-p", "report=report-electrive-2024-02-13"))
    assert {r["source"] for r in got} == {"https://w3id.org/ssbkg/id/report-electrive-2024-02-13"}
    members = {r["subjectLabel"] for r in got if r["predicate"].endswith("#memberOf")}
    assert members == NIKKEI_FIVE | {
        "SVOLT",
        "BYD",
        "Nio",
        "Unnamed state-owned automakers",
        "Chinese Academy of Sciences",
        "Unnamed state-sponsored investment funds",
    }  # not the unnamed universities: electrive says "academia" (fact sheet, section 9)
    backers = {r["subjectLabel"] for r in got if r["predicate"].endswith("#backs")}
    assert backers == {
        "Ministry of Industry and Information Technology",
        "Ministry of Science and Technology",
        "State-owned Assets Supervision and Administration Commission of the State Council",
        "National Energy Administration",
    }
    assert all(r["primarySource"].endswith("report-nikkei-asia-2024-02") for r in got)
    everything = rows(run("query", "claims-by-source"))
    assert len(everything) > len(got)
    bt = [r for r in everything if r["source"].endswith("report-battery-technology-2024-02-19")]
    assert [r["objectLabel"] for r in bt] == ["at least 6 of the top 10"]
    # A literal claim shows its value: photon.info's headquarters of SVOLT, and Devdiscourse's dollars.
    photon = [r["objectLabel"] for r in everything if r["source"].endswith("report-photon-info-2019-svolt")]
    assert photon == ["Wuxi"]
    dollars = [r["objectLabel"] for r in everything if r["source"].endswith("report-devdiscourse-2024-05-29")]
    assert [float(d) for d in dollars] == [827.87]
    # alliance: exactly the claims whose object is CASIP, in the same order, each as the whole list has it.
    casip = rows(run("query", "claims-by-source", "-p", "alliance=casip"))
    assert casip == [r for r in everything if r["object"] == "https://w3id.org/ssbkg/id/casip"]
    assert {"SVOLT", "CATL", "BYD"} <= {r["subjectLabel"] for r in casip}
    both = rows(run("query", "claims-by-source", "-p", "alliance=casip", "-p", "report=report-electrive-2024-02-13"))
    assert both == [r for r in got if r["object"] == "https://w3id.org/ssbkg/id/casip"] != []


def test_organization_profile(run: Callable[..., Result]) -> None:
    got = rows(run("query", "organization-profile", "-p", "organization=byd"))
    facts = {(r["property"].rsplit("#", 1)[-1], r["value"]) for r in got if r["aspect"] == "fact"}
    assert {
        ("ticker", "SZSE:002594"),
        ("headquarters", "Shenzhen"),
        ("hasSubOrganization", "https://w3id.org/ssbkg/id/findreams"),
    } <= facts
    rankings = {r["value"].rsplit("/", 1)[-1]: r["detail"] for r in got if r["aspect"] == "ranking"}
    # The January-November rows other than Farasis are reasoned, not reported (fact sheet, reading notes).
    assert rankings == {
        "ranking-sne-2023-full-year": "rank 2, 15.8%",
        "ranking-sne-2023-jan-nov": "rank not given; inferred, not stated by the source",
    }
    claims = [r for r in got if r["aspect"] == "claim"]
    # Eight membership claims (Electrek's, lithium-news's and Benzinga's among them) and the two sides of
    # when BYD began solid-state research.
    assert len(claims) == 10 and all(r["source"] for r in claims)
    since = {r["value"]: r["detail"] for r in claims if r["property"].endswith("#solidStateResearchSince")}
    cnevpost = "https://w3id.org/ssbkg/id/report-cnevpost-2025-02"
    assert since == {"2013": f"disputed; primary source {cnevpost}", "2016": "disputed"}
    # Eligible for the 6-billion-yuan programme by its own dct:source (Reuters, DIGITIMES, Devdiscourse).
    assert {r["value"] for r in got if r["aspect"] == "programme"} == {
        "https://w3id.org/ssbkg/id/programme-assb-rd-2024"
    }
    welion = rows(run("query", "organization-profile", "-p", "organization=welion"))
    # WeLion's place in it is undisputed: two reports say so, and the lists without it are partial
    # ("Among the six companies ... are CATL, BYD, FAW, SAIC and Geely"; fact sheet, section 9).
    programme = {(r["source"].rsplit("/", 1)[-1], r["detail"]) for r in welion if r["aspect"] == "programme"}
    assert programme == {("report-reuters-2024-05-29", ""), ("report-digitimes-2024-05-30", "")}


def test_top_ranked_members_full_year(run: Callable[..., Result]) -> None:
    got = rows(run("query", "top-ranked-members", "-p", "ranking=ranking-sne-2023-full-year"))
    assert [r["rank"] for r in got] == [str(i) for i in range(1, 11)]
    status = {r["label"]: r["status"] for r in got}
    assert {k for k, v in status.items() if v == "named member"} == {
        "CATL",
        "BYD",
        "CALB",
        "Gotion High-tech",
        "EVE Energy",
    }
    chinese_unaccounted = [r["label"] for r in got if r["country"] == "CN" and r["status"] != "named member"]
    assert chinese_unaccounted == ["Sunwoda"]


def test_top_ranked_members_jan_nov_and_top_n(run: Callable[..., Result]) -> None:
    got = rows(run("query", "top-ranked-members", "-p", "ranking=ranking-sne-2023-jan-nov"))
    assert len(got) == 10
    assert [r["label"] for r in got if r["country"] == "CN" and r["status"] != "named member"] == ["Farasis Energy"]
    top3 = rows(run("query", "top-ranked-members", "-p", "ranking=ranking-sne-2023-full-year", "-p", "topN=3"))
    assert [r["label"] for r in top3] == ["CATL", "BYD", "LG Energy Solution"]


def test_reports(run: Callable[..., Result]) -> None:
    got = rows(run("query", "reports"))
    by_id = {r["report"].rsplit("/", 1)[-1]: r for r in got}
    nikkei = by_id["report-nikkei-asia-2024-02"]
    assert (nikkei["date"], nikkei["available"], nikkei["url"]) == ("2024-02", "false", "")
    electrive = by_id["report-electrive-2024-02-13"]
    assert electrive["cites"] == "Nikkei Asia" and electrive["publisher"] == "electrive"
    # report: that one row, as the whole list has it (a cited-only report, and one with claims).
    for slug in ("report-nikkei-asia-2024-02", "report-electrive-2024-02-13"):
        assert rows(run("query", "reports", "-p", f"report={slug}")) == [by_id[slug]]
    # 12 memberships (the unnamed universities among them), 4 backers, "government-led", Ouyang's speech.
    assert electrive["date"] == "2024-02-13" and electrive["claims"] == "17"
    assert by_id["report-battery-technology-2024-02-19"]["title"].startswith("'Who Are Those Guys?'")
    dates = [r["date"] for r in got]
    assert dates == sorted(dates)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("宁德时代", "catl"),
        ("CATL", "catl"),
        ("calb group", "calb"),
        ("China Aviation", "calb"),
        ("ouyang", "person-ouyang-minggao"),
        ("蜂巢", "svolt"),
        ("who are those guys", "report-battery-technology-2024-02-19"),
    ],
)
def test_find_by_any_name_in_any_language(run: Callable[..., Result], text: str, first: str) -> None:
    got = rows(run("find", text, "--format", "csv"))
    assert got and got[0]["entity"] == f"https://w3id.org/ssbkg/id/{first}"


def test_find_puts_exact_matches_first_and_finds_nothing_quietly(run: Callable[..., Result]) -> None:
    got = rows(run("find", "nikkei asia", "--format", "csv"))
    assert got[0]["entity"].endswith("/nikkei-asia") and got[0]["types"] == "Publisher"
    assert len(got) > 1  # the reports that mention it follow
    assert rows(run("find", "no such name anywhere", "--format", "csv")) == []
    assert rows(run("find", '") } ; DROP ALL ; #', "--format", "csv")) == []


@pytest.mark.parametrize("name", QUERIES)
def test_the_fast_header_reader_agrees_with_pyyaml(name: str) -> None:
    import yaml

    from ssbkg.querying.catalogue import _simple_header

    text = stored_queries()[name].path.read_text(encoding="utf-8")
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    # As text: PyYAML reads 2024-03-01 as a date and 6 as a number; ssbkg takes every value as text.
    assert _simple_header(lines) == _as_text(yaml.safe_load("\n".join(lines)))


def _as_text(value: object) -> object:
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    return value if isinstance(value, str) else str(value)


@pytest.mark.parametrize(
    "header",
    [
        ["summary: 'quoted: text'"],
        ["tags: [a, b]"],
        ["defaults:", "  - x: &anchor 1"],
        ["odd line"],
    ],
)
def test_anything_beyond_the_subset_goes_to_pyyaml(header: list[str]) -> None:
    from ssbkg.querying.catalogue import _simple_header

    assert _simple_header(header) is None


def test_a_name_in_any_language_names_the_entity_and_a_typo_gets_suggestions(run: Callable[..., Result]) -> None:
    by_slug = run("query", "organization-profile", "-p", "organization=catl", "--format", "csv").stdout
    assert run("query", "organization-profile", "-p", "organization=宁德时代", "--format", "csv").stdout == by_slug
    assert run("query", "organization-profile", "-p", "organization=CATL", "--format", "csv").stdout == by_slug
    members = run("query", "alliance-members", "-p", "alliance=casip", "--format", "csv").stdout
    assert run("query", "alliance-members", "-p", "alliance=CASIP", "--format", "csv").stdout == members
    typo = run("query", "alliance-members", "-p", "alliance=casp")
    assert typo.exit_code == 2 and "no entity is named 'casp'" in typo.stderr and "did you mean casip" in typo.stderr
    sunwood = run("query", "organization-profile", "-p", "organization=Sunwood")
    assert sunwood.exit_code == 2 and "did you mean sunwoda" in sunwood.stderr
    nothing = run("query", "organization-profile", "-p", "organization=zzzz-qqqq")
    assert nothing.exit_code == 2 and "ssbkg find" in nothing.stderr


def test_every_stored_query_is_grlc_proof() -> None:
    # grlc reads ?__asOf_date as a language tag "date", and _integer likewise: typed literals are _xsd_*.
    # It writes PREFIX xsd: before every SELECT (subqueries too) unless the file declares it, and a
    # required parameter with a default is an HTTP 500 when it is left out.
    import re

    from ssbkg import resources
    from ssbkg.querying import params

    queries = [*stored_queries().values(), *stored_queries(resources.queries_dir() / "rules").values()]
    assert len(queries) >= 12
    for q in queries:
        variables = {m.group("var") for m in params.variable_tokens(q.text)}
        assert not [v for v in variables if re.search(r"_(date|integer|decimal)$", v) and "_xsd_" not in v], q.name
        if any("_xsd_" in v for v in variables):
            assert "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>" in q.text, q.name
        for p in q.parameters:
            assert not (p.required and p.name in q.defaults), (q.name, p.name)
