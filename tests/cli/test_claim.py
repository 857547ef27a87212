"""`ssbkg claim`: claims without hand-written Turtle, through the same gate, all or nothing."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from ..conftest import dump_store

NEW_REPORT = [
    "--headline",
    "Sunwoda joins CASIP",
    "--date",
    "2026-12-01",
    "--publisher",
    "CnEVPost",
    "--url",
    "https://example.org/sunwoda",
]


def test_claim_with_a_new_report_then_another_that_cites_nothing_new(run: Callable[..., Result]) -> None:
    first = run(
        "claim",
        "Sunwoda",
        "casip",
        "--certainty",
        "reported",
        "--confidence",
        "0.7",
        *NEW_REPORT,
        "--quote",
        "Sunwoda has joined",
    )
    assert first.exit_code == 0, first.output
    assert first.stdout == "ssbid:assertion-sunwoda-memberof-casip-cnevpost-2026-12-01\n"  # what it wrote
    assert "Recorded 1 new claim(s)" in first.stderr
    second = run(
        "claim",
        "欣旺达",
        "casip",
        "--predicate",
        "member",
        "--certainty",
        "speculative",
        "--confidence",
        "0.3",
        "--source",
        "note-casip-fact-sheet-2026-11-25",
    )
    assert second.exit_code == 0, second.output
    members = run("query", "alliance-members", "-p", "alliance=casip", "--format", "csv").stdout
    sunwoda = next(line for line in members.splitlines() if ",Sunwoda," in line)
    assert ",reported,0.7,undisputed,2,CnEVPost; ssbkg analysts' note on CASIP membership guesses," in sunwoda
    # appended, not replaced (the new report named by its headline: one triple more than before 0.5.0)
    assert "graph/user/claims,user,21," in run("graphs", "--format", "csv").stdout


def test_dry_run_prints_and_writes_nothing(run: Callable[..., Result], store_spec: str, tmp_path: Path) -> None:
    before = dump_store(store_spec)
    result = run(
        "claim", "sunwoda", "casip", "--certainty", "reported", "--confidence", "0.7", *NEW_REPORT, "--dry-run"
    )
    assert result.exit_code == 0 and "Would record 1 new claim(s)" in result.stderr
    assert 'schema:headline "Sunwoda joins CASIP"@en' in result.stdout
    assert dump_store(store_spec) == before
    # What it prints is a file that loads as it is: its @prefix lines are there.
    assert result.stdout.startswith("@prefix ") and "@prefix ssbid: <https://w3id.org/ssbkg/id/> ." in result.stdout
    saved = tmp_path / "dry.ttl"
    saved.write_text(result.stdout, encoding="utf-8")
    assert run("validate", str(saved)).exit_code == 0


def test_csv_is_all_or_nothing_and_names_the_row(run: Callable[..., Result], store_spec: str, tmp_path: Path) -> None:
    rows = tmp_path / "claims.csv"
    rows.write_text(
        "subject,object,certainty,confidence,source,headline,date,publisher,primary\n"
        "sunwoda,casip,reported,0.7,,Sunwoda joins CASIP,2026-12-01,cnevpost,\n"
        "farasis,casip,reported,0.7,Sunwoda joins CASIP,,,,\n"
        "welion,casip,reported,0.99,report-electrive-2024-02-13,,,,report-nikkei-asia-2024-02\n",
        encoding="utf-8",
    )
    before = dump_store(store_spec)
    failed = run("claim", "--from-csv", str(rows))
    assert failed.exit_code == 1
    assert "claims.csv, row 4" in failed.stdout and "outside the range of certainty" in failed.stdout
    assert dump_store(store_spec) == before
    rows.write_text(rows.read_text(encoding="utf-8").replace("0.99", "0.9"), encoding="utf-8")
    ok = run("claim", "--from-csv", str(rows))
    assert ok.exit_code == 0, ok.output
    assert "Recorded 3 new claim(s)" in ok.stderr
    members = run("query", "alliance-members", "-p", "alliance=casip", "--format", "csv").stdout
    assert ",Farasis Energy,reported,0.7," in members and ",WeLion,reported,0.9," in members


def test_names_are_resolved_or_refused_clearly(run: Callable[..., Result], write_ttl) -> None:
    assert (
        run(
            "load",
            str(
                write_ttl(
                    "twin.ttl",
                    """
ssbid:catl-twin a ssb:Company ; rdfs:label "CATL"@en ; dct:source ssbid:report-electrive-2024-02-13 .
""",
                )
            ),
        ).exit_code
        == 0
    )
    ambiguous = run("claim", "CATL", "casip", "--certainty", "reported", "--source", "report-electrive-2024-02-13")
    assert ambiguous.exit_code == 2 and "'CATL' names 2 organizations: catl, catl-twin" in ambiguous.stderr
    unknown = run(
        "claim", "Acme Batteries", "casip", "--certainty", "reported", "--source", "report-electrive-2024-02-13"
    )
    assert unknown.exit_code == 2 and "no organization is named 'Acme Batteries'" in unknown.stderr
    assert "ssbkg find" in unknown.stderr
    not_alliance = run("claim", "nio", "catl", "--certainty", "reported", "--source", "report-electrive-2024-02-13")
    assert not_alliance.exit_code == 2 and "no alliance is named 'catl'" in not_alliance.stderr
    bad_date = run(
        "claim",
        "nio",
        "casip",
        "--certainty",
        "reported",
        "--headline",
        "X",
        "--date",
        "early June",
        "--publisher",
        "electrive",
    )
    assert bad_date.exit_code == 2 and "never guess a day" in bad_date.stderr


def test_a_claim_already_recorded_is_reported(run: Callable[..., Result]) -> None:
    again = run(
        "claim",
        "catl",
        "casip",
        "--certainty",
        "reported",
        "--confidence",
        "0.8",
        "--source",
        "report-electrive-2024-02-13",
        "--primary",
        "report-nikkei-asia-2024-02",
    )
    # Nothing differs: nothing is written, and the exit code says so.
    assert again.exit_code == 5, again.output
    assert "Unchanged: ssbid:assertion-catl-member-casip-electrive already records this claim" in again.stderr
    assert "Nothing written" in again.stderr


CLAIM = ["claim", "sunwoda", "casip", "--source", "report-electrive-2024-02-13"]


def test_a_claim_recorded_again_with_other_values_corrects_it(run: Callable[..., Result], store_spec: str) -> None:
    first = run(*CLAIM, "--certainty", "reported", "--confidence", "0.65")
    assert first.exit_code == 0, first.output
    (assertion,) = re.findall(r"ssbid:(assertion-\S+)", first.stdout)
    fixed = run(*CLAIM, "--certainty", "speculative", "--confidence", "0.3", "--quote", "six of the top ten")
    assert fixed.exit_code == 0, fixed.output
    assert f"Corrected 1 claim(s) in <https://w3id.org/ssbkg/graph/user/claims>: ssbid:{assertion}" in fixed.stderr
    # explain shows the current values only; the old ones are in the history
    explained = run("explain", "sunwoda", "casip").stdout
    line = next(x for x in explained.splitlines() if assertion in x)
    assert "speculative 0.3" in line and "reported" not in line, explained
    assert '"six of the top ten"' in explained
    changes = list(csv.DictReader(io.StringIO(run("changes", "--since", "2026-01-01", "--format", "csv").stdout)))
    kinds = [(r["change"], r["certainty"], r["note"]) for r in changes if r["assertion"].endswith(assertion)]
    assert kinds == [
        ("added", "reported", "recorded a claim"),
        ("changed", "speculative", "corrected: certainty reported -> speculative; confidence 0.65 -> 0.3"),
    ]
    # a value the new claim does not give stays as it was
    run(*CLAIM, "--certainty", "speculative", "--confidence", "0.2")
    assert '"six of the top ten"' in run("explain", "sunwoda", "casip").stdout
    # the same values again: unchanged, exit 5
    same = run(*CLAIM, "--certainty", "speculative", "--confidence", "0.2")
    assert same.exit_code == 5 and "Unchanged" in same.stderr
    # a correction that breaks a rule is refused, and changes nothing
    before = dump_store(store_spec)
    bad = run(*CLAIM, "--certainty", "confirmed", "--confidence", "0.2")
    assert bad.exit_code == 1 and dump_store(store_spec) == before


def test_a_claim_loaded_from_a_file_is_corrected_in_the_file(run: Callable[..., Result]) -> None:
    refused = run(
        "claim", "catl", "casip", "--certainty", "reported", "--confidence", "0.7",
        "--source", "report-electrive-2024-02-13",
    )  # fmt: skip
    assert refused.exit_code == 2 and "edit the file and load it again" in refused.stderr


def test_every_failing_csv_row_is_named_and_a_publisher_offers_its_reports(
    run: Callable[..., Result], store_spec: str, tmp_path: Path
) -> None:
    rows = tmp_path / "claims.csv"
    rows.write_text(
        "subject,object,certainty,confidence,source\n"
        "sunwoda,casip,reported,0.8,report-electrive-2024-02-13\n"
        "sunwood,casip,reported,0.8,report-electrive-2024-02-13\n"
        "farasis,casip,reported,0.8,report-electrive-2024-02-13\n"
        "welion,casip,sure,0.8,report-electrive-2024-02-13\n",
        encoding="utf-8",
    )
    before = dump_store(store_spec)
    failed = run("claim", "--from-csv", str(rows))
    assert failed.exit_code == 2 and dump_store(store_spec) == before
    assert "2 of 4 rows cannot be recorded" in failed.stderr
    assert "claims.csv, row 3: no organization is named 'sunwood' (did you mean sunwoda?)" in failed.stderr
    assert "claims.csv, row 5: unknown certainty 'sure'" in failed.stderr
    assert "row 2" not in failed.stderr and "row 4" not in failed.stderr  # only the failing rows
    publisher = run(
        "claim", "sunwoda", "casip", "--certainty", "reported", "--confidence", "0.8", "--source", "electrive"
    )
    assert publisher.exit_code == 2 and "is a publisher, not a report" in publisher.stderr
    assert "report-electrive-2024-02-13 (2024-02-13)" in publisher.stderr
