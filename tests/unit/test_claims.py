"""Claims, corrections and retraction through the library (`ssbkg.record`, `ssbkg.retract`): names
looked up or refused in the user's words, one gate for every claim of a batch, all or nothing, a claim
recorded again with other values corrects it, and a retracted claim leaves the view but not the store.
tests/cli/test_claim.py has the command's messages and exit codes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest

import ssbkg
from ssbkg.evidence.explain import render
from ssbkg.stores import Store
from ssbkg.writing.claim_triples import read_csv

from .conftest import answer, loaded, state

ELECTRIVE = "report-electrive-2024-02-13"
NEW_REPORT = {
    "headline": "Sunwoda joins CASIP",
    "date": "2026-12-01",
    "publisher": "CnEVPost",
    "url": "https://example.org/sunwoda",
}


def member(store: Store, label: str) -> dict[str, str]:
    return next(r for r in answer(store, "alliance-members", alliance="casip") if r["label"] == label)


def test_a_claim_with_a_new_report_then_one_that_cites_it_by_name(db: Store) -> None:
    first = ssbkg.record(
        db,
        [ssbkg.Claim("Sunwoda", "casip", "reported", confidence="0.7", quote="Sunwoda has joined", **NEW_REPORT)],
    )
    assert first.added == ["https://w3id.org/ssbkg/id/assertion-sunwoda-memberof-casip-cnevpost-2026-12-01"]
    assert 'schema:headline "Sunwoda joins CASIP"@en' in first.turtle
    # Sunwoda by its Chinese name, "member" as the predicate, the analysts' note as the source.
    second = ssbkg.record(
        db, [ssbkg.Claim("欣旺达", "casip", "speculative", confidence="0.3", source="note-casip-fact-sheet-2026-11-25")]
    )
    assert len(second.added) == 1
    sunwoda = member(db, "Sunwoda")
    assert (sunwoda["certainty"], sunwoda["confidence"], sunwoda["sourceCount"]) == ("reported", "0.7", "2")
    assert sunwoda["sources"] == "CnEVPost; ssbkg analysts' note on CASIP membership guesses"
    claims = next(g for g in db.published() if g.graph.endswith("/graph/user/claims"))
    assert claims.triples == 21  # appended: both claims and the new report (named by its headline), nothing replaced


def test_a_dry_run_writes_nothing_and_says_what_it_would(db: Store) -> None:
    before = state(db)
    would = ssbkg.record(
        db, [ssbkg.Claim("sunwoda", "casip", "reported", confidence="0.7", **NEW_REPORT)], dry_run=True
    )
    assert len(would.added) == 1 and "Sunwoda joins CASIP" in would.turtle
    assert state(db) == before


def test_names_are_resolved_or_refused_in_the_users_words(db: Store, write_ttl: Callable[[str, str], Path]) -> None:
    twin = 'ssbid:catl-twin a ssb:Company ; rdfs:label "CATL"@en ; dct:source ssbid:report-electrive-2024-02-13 .'
    loaded(db, write_ttl("twin.ttl", twin))
    before = state(db)
    refusals = {
        "'CATL' names 2 organizations: catl, catl-twin": ssbkg.Claim("CATL", "casip", "reported", source=ELECTRIVE),
        "no organization is named 'Acme Batteries'": ssbkg.Claim(
            "Acme Batteries", "casip", "reported", source=ELECTRIVE
        ),
        "no alliance is named 'catl'": ssbkg.Claim("nio", "catl", "reported", source=ELECTRIVE),
        "never guess a day": ssbkg.Claim(
            "nio", "casip", "reported", headline="X", date="early June", publisher="electrive"
        ),
        "is a publisher, not a report": ssbkg.Claim(
            "sunwoda", "casip", "reported", confidence="0.8", source="electrive"
        ),
    }
    for words, claim in refusals.items():
        with pytest.raises(ssbkg.InputError) as refused:
            ssbkg.record(db, [claim])
        assert words in f"{refused.value.message} {refused.value.hint}"
    assert state(db) == before


def test_a_batch_is_gated_together_and_written_whole_or_not_at_all(db: Store, tmp_path: Path) -> None:
    rows = tmp_path / "claims.csv"
    rows.write_text(
        "subject,object,certainty,confidence,source,headline,date,publisher,primary\n"
        "sunwoda,casip,reported,0.7,,Sunwoda joins CASIP,2026-12-01,cnevpost,\n"
        "farasis,casip,reported,0.7,Sunwoda joins CASIP,,,,\n"
        "welion,casip,reported,0.99,report-electrive-2024-02-13,,,,report-nikkei-asia-2024-02\n",
        encoding="utf-8",
    )
    before = state(db)
    with pytest.raises(ssbkg.NotConformant):
        ssbkg.record(db, read_csv(rows))  # row 4: 0.99 is outside the range of "reported"
    assert state(db) == before
    rows.write_text(rows.read_text(encoding="utf-8").replace("0.99", "0.9"), encoding="utf-8")
    assert len(ssbkg.record(db, read_csv(rows)).added) == 3
    assert member(db, "Farasis Energy")["confidence"] == "0.7"  # the second row names the first row's report
    assert member(db, "WeLion")["confidence"] == "0.9"


def test_the_same_claim_again_is_unchanged_and_writes_nothing(db: Store) -> None:
    before = state(db)
    again = ssbkg.record(
        db,
        [
            ssbkg.Claim(
                "catl", "casip", "reported", confidence="0.8", source=ELECTRIVE, primary="report-nikkei-asia-2024-02"
            )
        ],
    )
    assert not again.wrote and [str(d.existing).rsplit("/", 1)[-1] for d in again.unchanged] == [
        "assertion-catl-member-casip-electrive"
    ]
    assert state(db) == before


def test_a_claim_recorded_again_with_other_values_corrects_it(db: Store) -> None:
    def claim(certainty: str, confidence: str, quote: str | None = None) -> ssbkg.Claim:
        return ssbkg.Claim("sunwoda", "casip", certainty, confidence=confidence, source=ELECTRIVE, quote=quote)

    (assertion,) = ssbkg.record(db, [claim("reported", "0.65")]).added
    assert ssbkg.record(db, [claim("speculative", "0.3", "six of the top ten")]).corrected == [assertion]
    # explain shows the current values only; the old ones are in the history
    explained = render(ssbkg.explain(db, "sunwoda", "casip"))
    line = next(x for x in explained.splitlines() if assertion.rsplit("/", 1)[-1] in x)
    assert "speculative 0.3" in line and "reported" not in line, explained
    assert '"six of the top ten"' in explained
    kinds = [
        (c.change, c.certainty, c.confidence, c.note)
        for c in ssbkg.changes(db, date(2026, 1, 1))
        if c.assertion == assertion
    ]
    assert kinds == [
        ("added", "reported", "0.65", "recorded a claim"),
        ("changed", "speculative", "0.3", "corrected: certainty reported -> speculative; confidence 0.65 -> 0.3"),
    ]
    # a value the new claim does not give stays as it was
    ssbkg.record(db, [claim("speculative", "0.2")])
    assert '"six of the top ten"' in render(ssbkg.explain(db, "sunwoda", "casip"))
    assert not ssbkg.record(db, [claim("speculative", "0.2")]).wrote
    # a correction that breaks a rule is refused, and changes nothing
    before = state(db)
    with pytest.raises(ssbkg.NotConformant):
        ssbkg.record(db, [claim("confirmed", "0.2")])
    assert state(db) == before


def test_a_claim_loaded_from_a_file_is_corrected_in_the_file(db: Store) -> None:
    with pytest.raises(ssbkg.InputError, match="in a loaded file or the bundled data") as refused:
        ssbkg.record(db, [ssbkg.Claim("catl", "casip", "reported", confidence="0.7", source=ELECTRIVE)])
    assert "edit the file and load it again" in str(refused.value.hint)


def test_a_retracted_claim_leaves_the_view_and_stays_in_the_store(db: Store) -> None:
    assertion = "assertion-svolt-member-casip-creative-marketing"
    before = member(db, "SVOLT")
    ssbkg.retract(db, assertion, "a rewrite of electrive", agent="ana")
    after = member(db, "SVOLT")
    assert (before["sourceCount"], after["sourceCount"]) == ("2", "1")
    kept = [q for q in db.quads() if assertion in str(q.subject)]
    assert kept, "the retracted assertion is still in the store"
    (change,) = [asdict(c) for c in ssbkg.changes(db, date.today()) if c.change == "retracted"]
    assert (change["by"], change["note"]) == ("ana", "a rewrite of electrive")
    with pytest.raises(ssbkg.InputError, match="reason"):
        ssbkg.retract(db, assertion, "  ")
