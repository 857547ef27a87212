"""The incremental gate gives the verdict and the violations that validating the whole union of
store and batch gives, on random stores and random batches, valid and invalid."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pyshacl
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssbkg.gate import shacl as validation
from ssbkg.gate.results import violations as results_of
from ssbkg.io.rdf import ParsedRdf
from ssbkg.stores import Store
from ssbkg.stores.embedded import EmbeddedBackend

ID = "https://w3id.org/ssbkg/id/"
SSB = "https://w3id.org/ssbkg/ontology#"
NS = {
    "a": "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "dct": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EXAMPLES = int(os.environ.get("SSBKG_DIFFERENTIAL_EXAMPLES", "60"))  # more: set it higher


def n(iri: str) -> ox.NamedNode:
    if iri.startswith("ssb:"):
        return ox.NamedNode(SSB + iri[4:])
    if iri == "a":
        return ox.NamedNode(NS["a"])
    prefix, _, local = iri.partition(":")
    return ox.NamedNode(NS[prefix] + local if prefix in NS else ID + iri)


def t(s: str, p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode | str) -> ox.Triple:
    return ox.Triple(n(s), n(p), n(o) if isinstance(o, str) else o)


def lit(value: str, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=ox.NamedNode(NS["xsd"] + datatype)) if datatype else ox.Literal(value)


DATES = [lit("2024-01-15", "date"), lit("2024-02", "gYearMonth"), lit("2024", "gYear"), lit("2024-03-01", "date")]
LEVELS = ["ssb:Confirmed", "ssb:Reported", "ssb:Inferred", "ssb:Speculative", "ssb:Refuted"]


@st.composite
def stores(draw: st.DrawFn) -> list[ox.Triple]:
    out = [
        t("all-0", "a", "ssb:Alliance"),
        t("all-0", "rdfs:label", lit("Alliance", lang="en")),
        t("all-0", "dct:source", "rep-0"),
        t("pub-0", "a", "ssb:Publisher"),
        t("pub-0", "rdfs:label", lit("Pub", lang="en")),
        t("pub-0", "dct:source", "rep-0"),
    ]
    for i in range(3):
        out += [
            t(f"org-{i}", "a", draw(st.sampled_from(["ssb:Company", "ssb:BatteryMaker", "ssb:GovernmentBody"]))),
            t(f"org-{i}", "rdfs:label", lit(f"Org {i}", lang="en")),
            t(f"org-{i}", "dct:source", "rep-0"),
        ]
    # Reports in date order; each may cite an earlier one, so the store conforms.
    for i in range(4):
        out += [
            t(f"rep-{i}", "a", "ssb:Report"),
            t(f"rep-{i}", "schema:headline", lit(f"Report {i}", lang="en")),
            t(f"rep-{i}", "schema:publisher", "pub-0"),
            t(f"rep-{i}", "schema:url", ox.NamedNode(f"https://example.org/{i}")),
            t(f"rep-{i}", "schema:datePublished", lit(f"202{i}-06-0{i + 1}", "date")),
        ]
        if i and draw(st.booleans()):
            out.append(t(f"rep-{i}", "ssb:cites", f"rep-{draw(st.integers(0, i - 1))}"))
    for j in range(draw(st.integers(0, 4))):
        src = draw(st.integers(0, 3))
        out += [
            t(f"as-{j}", "a", "ssb:Assertion"),
            t(f"as-{j}", "rdf:subject", f"org-{draw(st.integers(0, 2))}"),
            t(f"as-{j}", "rdf:predicate", "org:memberOf"),
            t(f"as-{j}", "rdf:object", "all-0"),
            t(f"as-{j}", "ssb:certainty", "ssb:Reported"),
            t(f"as-{j}", "ssb:confidence", lit("0.8", "decimal")),
            t(f"as-{j}", "prov:wasDerivedFrom", f"rep-{src}"),
            t(f"as-{j}", "prov:hadPrimarySource", f"rep-{src}"),
        ]
    return out


@st.composite
def new_assertion(draw: st.DrawFn, k: int) -> list[ox.Triple]:
    s = f"new-as-{k}"
    out = [t(s, "a", "ssb:Assertion")]
    pick = draw
    if pick(st.integers(0, 9)):
        out.append(t(s, "rdf:subject", pick(st.sampled_from(["org-0", "org-1", "nobody", "all-0", "new-org-0"]))))
    out.append(
        t(
            s,
            "rdf:predicate",
            pick(st.sampled_from(["org:memberOf", "org:memberOf", "ssb:backs", "ssb:includesTopRanked"])),
        )
    )
    if pick(st.integers(0, 9)):
        out.append(t(s, "rdf:object", pick(st.sampled_from(["all-0", "org-1", "nothing"]))))
    level = pick(st.sampled_from([*LEVELS, "ssb:Likely", None]))
    if level:
        out.append(t(s, "ssb:certainty", level))
    for _ in range(pick(st.integers(0, 2))):
        values = [
            lit("0.2", "decimal"),
            lit("0.7", "decimal"),
            lit("0.95", "decimal"),
            lit("1.5", "decimal"),
            lit("high"),
        ]
        out.append(t(s, "ssb:confidence", pick(st.sampled_from(values))))
    if pick(st.integers(0, 7)):
        out.append(
            t(
                s,
                "prov:wasDerivedFrom",
                pick(st.sampled_from(["rep-0", "rep-1", "rep-2", "rep-3", "nowhere", "new-rep-0"])),
            )
        )
    if pick(st.booleans()):
        out.append(t(s, "prov:hadPrimarySource", pick(st.sampled_from(["rep-0", "rep-1", "rep-3", "new-rep-0"]))))
    if pick(st.integers(0, 3)) == 0:
        out.append(t(s, "ssb:quote", pick(st.sampled_from([lit("said so", lang="en"), lit("no language")]))))
    if level == "ssb:Inferred" and pick(st.booleans()):
        out.append(t(s, "ssb:inferredFrom", pick(st.sampled_from(["as-0", "new-as-0", "rep-0"]))))
    return out


@st.composite
def batches(draw: st.DrawFn) -> list[ox.Triple]:
    out: list[ox.Triple] = []
    for k in range(draw(st.integers(0, 3))):
        out += draw(new_assertion(k))
    if draw(st.booleans()):  # a new report, perhaps cited, perhaps not seen, of any precision
        r = "new-rep-0"
        out += [t(r, "a", "ssb:Report"), t(r, "schema:datePublished", draw(st.sampled_from(DATES)))]
        if draw(st.integers(0, 3)):
            out.append(t(r, "schema:publisher", draw(st.sampled_from(["pub-0", "org-0"]))))
        if draw(st.booleans()):
            out.append(t(r, "schema:headline", lit("New", lang="en")))
        else:
            out += [t(r, "ssb:sourceAvailable", lit("false", "boolean")), t(r, "rdfs:label", lit("Unseen", lang="en"))]
        if draw(st.booleans()):
            out.append(t(r, "ssb:cites", draw(st.sampled_from(["rep-0", "rep-2", "nothing"]))))
        if draw(st.booleans()):
            out.append(t(draw(st.sampled_from(["rep-1", "rep-3"])), "ssb:cites", r))
    if draw(st.integers(0, 3)) == 0:  # triples added to nodes already in the store
        target = draw(st.sampled_from(["rep-0", "rep-1", "rep-2"]))
        out.append(
            t(
                target,
                draw(st.sampled_from(["ssb:publishedNotBefore", "schema:datePublished"])),
                lit("2031-01-01", "date"),
            )
        )
    if draw(st.integers(0, 4)) == 0:
        out.append(t("as-0", "ssb:confidence", lit("0.3", "decimal")))
    if draw(st.integers(0, 3)) == 0:
        out += [t("new-org-0", "a", draw(st.sampled_from(["ssb:Company", "org:Organization"])))]
        if draw(st.booleans()):
            out.append(t("new-org-0", "rdfs:label", lit("New org", lang=draw(st.sampled_from(["en", "zh"])))))
        if draw(st.booleans()):
            out.append(t("new-org-0", "dct:source", "rep-0"))
    return out


def _key(v: validation.Violation) -> tuple[str, ...]:
    return (v.focus, v.rule, v.path or "", v.value or "", v.message)


def whole(store_triples: list[ox.Triple], batch: list[ox.Triple]) -> tuple[bool, set[tuple[str, ...]]]:
    g = rdflib.Graph()
    validation._add(g, store_triples + batch)
    g += validation._ontology()
    _conforms, results, _ = pyshacl.validate(
        g,
        shacl_graph=validation._shapes(),
        advanced=True,
        allow_warnings=True,
        inference="none",
    )
    found = results_of(results, [], validation._shapes())
    return not any(v.severity == "Violation" for v in found), {_key(v) for v in found}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(store_triples=stores(), batch=batches())
def test_incremental_equals_whole_union(store_triples: list[ox.Triple], batch: list[ox.Triple]) -> None:
    store = Store(EmbeddedBackend(ox.Store(), "memory:"))
    store.replace_graphs({"https://example.org/g/store": store_triples}, kind="user", source="generated")
    canonical = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads()]
    ok, expected_before = whole(canonical, [])
    assert ok and not expected_before, expected_before  # the generated store conforms, without a warning
    expected_ok, expected = whole(canonical, batch)
    report = validation.validate([ParsedRdf("batch", default_graph=batch)], store)
    assert report.conforms == expected_ok
    assert {_key(v) for v in report.violations} == expected
