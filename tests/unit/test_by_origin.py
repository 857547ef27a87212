"""A dispute counted by origin, not by relay (issue 34, point 4): reports that relay one origin
(ssb:cites) stand against a claim as one voice, named with its relays."""

from __future__ import annotations

from pathlib import Path

from ssbkg.evidence.explain import explain, render
from ssbkg.stores import Store

from .conftest import loaded

# A claim contradicted by two relays of Nikkei Asia (EV-a2z and Benzinga both cite it) and by
# wwo.com.cn's founding report, which cites nothing: two origins, so two lines, the first naming its relays.
CLAIM = """@prefix ssb: <https://w3id.org/ssbkg/ontology#> .
@prefix ssbid: <https://w3id.org/ssbkg/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
ssbid:assertion-sunwoda-member-casip-test a ssb:Assertion ;
    rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainty ssb:Reported ; ssb:confidence 0.6 ;
    prov:wasDerivedFrom ssbid:report-creative-marketing-2024-02 ;
    ssb:contradictedBy ssbid:report-ev-a2z-2024-02 , ssbid:report-benzinga-2024-02 ,
        ssbid:report-wwo-2024-01-23 .
"""


def test_relays_of_one_origin_are_one_line(db: Store, tmp_path: Path) -> None:
    path = tmp_path / "claim.ttl"
    path.write_text(CLAIM, encoding="utf-8")
    loaded(db, path)
    text = render(explain(db, "sunwoda", "casip"))
    against = [line for line in text.splitlines() if "contradicted by:" in line]
    assert len(against) == 2, text
    (nikkei,) = [line for line in against if "via" in line]
    assert "Nikkei Asia, via 2 relay(s):" in nikkei
    assert "EV-a2z" in nikkei and "Benzinga" in nikkei
    (own,) = [line for line in against if "via" not in line]
    assert "wwo.com.cn, 2024-01-23" in own
