"""A denial is its own answer (issue 34, point 1): a claim of certainty refuted is never counted,
listed or drawn as a member; it is listed by `denials`, marks a member it denies as "denied" from the
day it was published, is drawn in a style of its own, and `changes` says it recorded a denial.

The bundled data names 14 participants of CASIP (alliance-members, no asOf), none denied: the five
battery makers Nikkei named (CATL, BYD, CALB, EVE Energy, Gotion) and FinDreams, Nio, SVOLT, CAS, the
unnamed automakers, universities and state funds, and the guesses QingTao and WeLion.
"""

from __future__ import annotations

from datetime import date

import ssbkg
from ssbkg.evidence import network
from ssbkg.evidence.alliance import gather
from ssbkg.stores import Store
from ssbkg.vocab import STYLES

from .conftest import answer

LGES = "https://w3id.org/ssbkg/id/lg-energy-solution"
SVOLT = "https://w3id.org/ssbkg/id/svolt"


def deny(db: Store, who: str, day: str, headline: str) -> str:
    """As `ssbkg claim WHO casip --certainty refuted --confidence 0.05 --headline ... --publisher cnevpost`."""
    (assertion,) = ssbkg.record(
        db,
        [
            ssbkg.Claim(
                who,
                "casip",
                "refuted",
                confidence="0.05",
                headline=headline,
                date=day,
                publisher="cnevpost",
                url=f"https://example.org/{who}",
            )
        ],
    ).added
    return assertion


def test_a_denial_is_not_a_member(db: Store) -> None:
    deny(db, "lg-energy-solution", "2026-12-01", "LGES denies joining")
    members = answer(db, "alliance-members", alliance="casip")
    assert LGES not in {r["member"] for r in members}
    assert len(members) == 14
    (casip,) = answer(db, "alliances")
    assert casip["members"] == "14"  # was 15: the denial counted as a member
    assert casip["claims"] == "54"  # 53 bundled membership claims, and the denial: a claim, not a member


def test_denials_lists_who_denied_it_and_when(db: Store) -> None:
    assertion = deny(db, "lg-energy-solution", "2026-12-01", "LGES denies joining")
    (row,) = answer(db, "denials", alliance="casip")
    assert (row["organization"], row["label"], row["deniedBy"], row["date"]) == (
        LGES,
        "LG Energy Solution",
        "CnEVPost",
        "2026-12-01",
    )
    assert row["assertion"] == assertion and row["confidence"] == "0.05"
    # Not before it was published.
    assert answer(db, "denials", alliance="casip", asOf="2026-11-30") == []
    assert len(answer(db, "denials", asOf="2026-12-01")) == 1


def test_a_denied_member_is_denied_from_the_day_of_the_denial(db: Store) -> None:
    deny(db, "svolt", "2026-12-02", "SVOLT denies joining")

    def status(**as_of: str) -> str:
        rows = answer(db, "alliance-members", alliance="casip", **as_of)
        return next(r["status"] for r in rows if r["member"] == SVOLT)

    # SVOLT is disputed in the bundled data (Nikkei's five makers leave it out); the denial makes it
    # "denied", and only from 2 December 2026.
    assert status(asOf="2026-12-01") == "disputed"
    assert status(asOf="2026-12-02") == "denied"
    assert status() == "denied"
    # Still a row: the sources that say it is in still say so.
    assert sum(r["member"] == SVOLT for r in answer(db, "alliance-members", alliance="casip")) == 1


def test_the_picture_draws_a_denial_apart_from_a_dispute(db: Store) -> None:
    deny(db, "lg-energy-solution", "2026-12-01", "LGES denies joining")
    evidence = gather(db, "casip")
    assert [d.organization for d in evidence.denials] == [LGES]
    assert LGES not in {m.iri for m in evidence.members}
    dot = network.build(evidence, standalone=True).source
    lges = next(line for line in dot.splitlines() if '-- "member-lg-energy-solution"' in line)
    svolt = next(line for line in dot.splitlines() if '-- "member-svolt"' in line)
    assert STYLES["denied"].colour in lges and "denied" in lges and STYLES["denied"].line in lges
    assert STYLES["disputed"].colour in svolt and STYLES["denied"].colour not in svolt
    assert STYLES["denied"].colour != STYLES["disputed"].colour


def test_changes_says_it_recorded_a_denial(db: Store) -> None:
    assertion = deny(db, "lg-energy-solution", "2026-12-01", "LGES denies joining")
    (change,) = [c for c in ssbkg.changes(db, date(2026, 1, 1)) if c.assertion == assertion]
    assert (change.change, change.certainty, change.confidence, change.note) == (
        "added",
        "refuted",
        "0.05",
        "recorded a denial",
    )
