"""ssbkg.vocab, the one list of certainty levels, claim predicates and their words, held to the ontology
and to the stored queries that enumerate the levels."""

from __future__ import annotations

import pyoxigraph as ox

from ssbkg import resources
from ssbkg.namespaces import SSB
from ssbkg.querying.catalogue import stored_queries
from ssbkg.vocab import LEVELS, PREDICATES, SAID, STYLES, Certainty

SKOS = "http://www.w3.org/2004/02/skos/core#"


def _ontology() -> ox.Store:
    store = ox.Store()
    store.load(path=str(resources.ontology_file()), format=ox.RdfFormat.TURTLE)
    return store


def test_the_levels_are_the_ontologys_surest_first() -> None:
    rows = _ontology().query(
        f"SELECT ?level ?n WHERE {{ ?level <{SKOS}inScheme> <{SSB}CertaintyScheme> ; <{SKOS}notation> ?n }}"
    )
    ranked = sorted(((int(r["n"].value), r["level"].value) for r in rows), reverse=True)  # higher is surer
    assert [iri for _, iri in ranked] == [level.iri for level in Certainty]
    assert LEVELS == ("confirmed", "reported", "inferred", "speculative", "refuted")


def test_every_query_that_enumerates_levels_lists_these_in_this_order() -> None:
    enumerated = [q.enumerate["minCertainty"] for q in stored_queries().values() if "minCertainty" in q.enumerate]
    assert enumerated, "no stored query enumerates minCertainty"
    for levels in enumerated:
        assert list(levels) == [level.iri for level in Certainty]


def test_a_level_is_read_from_a_word_a_prefixed_name_or_an_iri() -> None:
    for text in ("reported", "Reported", " REPORTED ", "ssb:Reported", SSB + "Reported"):
        assert Certainty.of(text) is Certainty.REPORTED
    assert Certainty.of("likely") is None
    assert [level.rank for level in Certainty] == [0, 1, 2, 3, 4]


def test_every_predicate_and_its_words_are_terms_of_the_ontology() -> None:
    ontology = _ontology()
    for iri in PREDICATES.values():
        if iri.startswith(SSB):
            assert ontology.query(f"ASK {{ <{iri}> a ?kind }}"), iri
    local = {iri.rsplit("#", 1)[-1] for iri in PREDICATES.values()}
    assert local <= set(SAID)


def test_the_picture_draws_every_level_but_refuted_and_disputed_and_denied_claims() -> None:
    # A refuted claim is a denial: drawn in a style of its own, never as a member of its level.
    assert set(STYLES) == (set(LEVELS) - {"refuted"}) | {"disputed", "denied"}
