"""The bundled ontology, shapes and data: they conform, and they use only terms the ontology defines."""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ssbkg import resources

SSB = rdflib.Namespace("https://w3id.org/ssbkg/ontology#")
SSBID = rdflib.Namespace("https://w3id.org/ssbkg/id/")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(resources.ontology_file())


@pytest.fixture(scope="module")
def data() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in sorted(resources.data_dir().glob("*.ttl")):
        g.parse(path)
    return g


def test_bundled_data_conforms_to_the_shapes(ontology: rdflib.Graph, data: rdflib.Graph) -> None:
    conforms, _, text = pyshacl.validate(
        data + ontology, shacl_graph=rdflib.Graph().parse(resources.shapes_file()), advanced=True
    )
    assert conforms, text


def test_every_ssb_term_in_data_and_queries_is_defined(ontology: rdflib.Graph, data: rdflib.Graph) -> None:
    defined = {s for s in ontology.subjects() if isinstance(s, rdflib.URIRef) and s.startswith(SSB)}
    used = {t for triple in data for t in triple if isinstance(t, rdflib.URIRef) and t.startswith(SSB)}
    for query in resources.queries_dir().glob("*.rq"):
        used |= {SSB[m] for m in re.findall(r"\bssb:([A-Za-z][\w]*)", query.read_text(encoding="utf-8"))}
    assert used - defined == set()


def test_every_class_and_property_is_labelled_and_explained(ontology: rdflib.Graph) -> None:
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            if str(term).startswith(str(SSB)):
                assert ontology.value(term, RDFS.label), term
                assert ontology.value(term, RDFS.comment), term


def test_ontology_header(ontology: rdflib.Graph) -> None:
    header = rdflib.URIRef("https://w3id.org/ssbkg/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    for p in ("title", "license", "creator"):
        assert ontology.value(header, rdflib.URIRef("http://purl.org/dc/terms/" + p)), p
    assert ontology.value(header, OWL.versionInfo)


def test_certainty_levels_are_ordered_skos_concepts(ontology: rdflib.Graph) -> None:
    notations = {
        str(level).split("#")[1]: int(ontology.value(level, SKOS.notation))
        for level in ontology.subjects(SKOS.inScheme, SSB.CertaintyScheme)
    }
    assert notations == {"Confirmed": 4, "Reported": 3, "Inferred": 2, "Speculative": 1, "Refuted": 0}
    for level in ontology.subjects(SKOS.inScheme, SSB.CertaintyScheme):
        assert ontology.value(level, SKOS.definition)


FIXED_IRIS = [
    "casip",
    "catl",
    "byd",
    "findreams",
    "calb",
    "eve-energy",
    "gotion",
    "svolt",
    "sunwoda",
    "farasis",
    "lg-energy-solution",
    "panasonic",
    "sk-on",
    "samsung-sdi",
    "welion",
    "qingtao",
    "ganfeng",
    "nio",
    "saic",
    "faw",
    "geely",
    "gac",
    "miit",
    "most",
    "sasac",
    "nea",
    "cas",
    "tsinghua-university",
    "nikkei-asia",
    "battery-technology",
    "electrive",
    "ev-a2z",
    "benzinga",
    "lithium-news",
    "cnevpost",
    "sne-research",
    "report-battery-technology-2024-02-19",
    "report-nikkei-asia-2024-02",
    "ranking-sne-2023-full-year",
    "ranking-sne-2023-jan-nov",
]


@pytest.mark.parametrize("slug", FIXED_IRIS)
def test_fixed_seed_iris_exist(data: rdflib.Graph, slug: str) -> None:
    assert (SSBID[slug], RDF.type, None) in data


def test_nikkei_original_has_no_invented_headline_or_day(data: rdflib.Graph) -> None:
    nikkei = SSBID["report-nikkei-asia-2024-02"]
    assert data.value(nikkei, rdflib.URIRef("https://schema.org/headline")) is None
    date = data.value(nikkei, rdflib.URIRef("https://schema.org/datePublished"))
    assert date.datatype == rdflib.XSD.gYearMonth
    assert str(data.value(nikkei, SSB.publishedNotAfter)) == "2024-02-13"


def test_programme_is_kept_apart_from_casip(data: rdflib.Graph) -> None:
    programme = SSBID["programme-assb-rd-2024"]
    assert (programme, RDF.type, SSB.Programme) in data
    assert (programme, RDF.type, SSB.Alliance) not in data
    assert not list(data.triples((programme, rdflib.URIRef("http://www.w3.org/ns/org#memberOf"), None)))


def test_founding_attendance_is_not_membership(data: rdflib.Graph) -> None:
    attendees = set(data.objects(SSBID["event-casip-founding"], rdflib.URIRef("https://schema.org/attendee")))
    members = {
        data.value(a, RDF.subject)
        for a in data.subjects(RDF.predicate, rdflib.URIRef("http://www.w3.org/ns/org#memberOf"))
    }
    assert attendees and not attendees & members


def test_nothing_is_attributed_to_battery_technology_slides(data: rdflib.Graph) -> None:
    bt = SSBID["report-battery-technology-2024-02-19"]
    claims = {
        data.value(a, RDF.predicate)
        for a in data.subjects(rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), bt)
    }
    assert claims == {SSB.includesTopRanked}


def test_computed_ranking_figures_are_marked(data: rdflib.Graph) -> None:
    for entry in data.subjects(SSB.inRanking, SSBID["ranking-sne-2023-full-year"]):
        rank = int(data.value(entry, SSB.rank))
        assert (entry, SSB.computed, rdflib.Literal(True)) in data or rank <= 3


def test_quotes_are_language_tagged_and_battery_technologys_is_verbatim(data: rdflib.Graph) -> None:
    quotes = list(data.objects(None, SSB.quote))
    assert quotes
    for q in quotes:
        assert q.language in {"en", "zh"}
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("the seed article (../shared/seeds) is not beside this checkout")
    seed_text = " ".join(p.read_text(encoding="utf-8") for p in seeds.glob("*.txt"))
    bt_quote = data.value(SSBID["assertion-casip-top-ranked-battery-technology"], SSB.quote)
    assert str(bt_quote) in seed_text
