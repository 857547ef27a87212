"""The one way to shorten an IRI for a reader and to read back what a user typed (ssbkg.namespaces)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import ssbkg
from ssbkg.evidence.explain import render
from ssbkg.namespaces import PREFIXES, SSB, SSBID, compact, expand, prefixed
from ssbkg.stores import Store


@pytest.mark.parametrize(
    ("iri", "short"),
    [
        (SSB + "Assertion", "ssb:Assertion"),
        (SSBID + "report-nikkei-asia-2024-02", "ssbid:report-nikkei-asia-2024-02"),
        ("http://www.w3.org/ns/org#memberOf", "org:memberOf"),
        ("https://schema.org/datePublished", "schema:datePublished"),
        # A local part that would not read back as the same IRI stays whole.
        (SSBID + "a/b", SSBID + "a/b"),
        (SSBID + "a#b", SSBID + "a#b"),
        ("urn:example:acme", "urn:example:acme"),
        ("https://example.org/x", "https://example.org/x"),
    ],
)
def test_compact_writes_a_prefixed_name_only_where_it_reads_back(iri: str, short: str) -> None:
    assert compact(iri) == short
    assert prefixed(iri) == (short if short != iri else None)
    assert expand(compact(iri)) == iri


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("ssb:Assertion", SSB + "Assertion"),
        ("<https://example.org/x>", "https://example.org/x"),
        ("https://example.org/x", "https://example.org/x"),
        ("urn:example:acme", "urn:example:acme"),
        ("mailto:analyst@example.org", "mailto:analyst@example.org"),
        ("  casip ", SSBID + "casip"),
        ("svolt-energy", SSBID + "svolt-energy"),
        # A name is not an IRI: the caller looks it up by label instead.
        ("CATL", None),
        ("宁德时代", None),
        ("two words", None),
    ],
)
def test_expand_reads_what_a_user_types(text: str, iri: str | None) -> None:
    assert expand(text) == iri


def test_every_prefix_is_its_own_namespace() -> None:
    # compact searches the prefixes in order: no namespace may hide inside another's.
    spaces = list(PREFIXES.values())
    assert len(set(spaces)) == len(spaces)
    assert not [(a, b) for a in spaces for b in spaces if a != b and b.startswith(a)]


def test_explain_finds_an_entity_named_by_a_urn(db: Store, write_ttl: Callable[[str, str], Path]) -> None:
    # `query -p` always took IRIs of any scheme; explain took only those with "://" and looked
    # `urn:example:acme` up as a name, which none has.
    path = write_ttl(
        "acme.ttl",
        """
<urn:example:acme> a org:Organization ; rdfs:label "Acme Batteries"@en .
<urn:example:acme-in-casip> a ssb:Assertion ;
    rdf:subject <urn:example:acme> ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainty ssb:Speculative ; ssb:confidence 1 ;
    prov:wasDerivedFrom ssbid:report-battery-technology-2024-02-19 .
""",
    )
    ssbkg.load_files(db, [str(path)], graph="https://example.org/g/acme", validate=False)
    out = render(ssbkg.explain(db, "urn:example:acme"))
    assert "org:memberOf CASIP: speculative 1  [urn:example:acme-in-casip]" in out
    assert "source: Battery Technology, 2024-02-19" in out


def test_values_blocks_hold_terms_as_pyoxigraph_writes_them() -> None:
    import pyoxigraph as ox

    from ssbkg.namespaces import values

    one = values("s", [ox.NamedNode("urn:a"), ox.NamedNode("https://x.org/b")])
    assert one == "VALUES ?s { <urn:a> <https://x.org/b> }"
    two = values(("s", "label"), [(ox.NamedNode("urn:a"), ox.Literal('say "hi"\n', language="en"))])
    assert two == 'VALUES (?s ?label) { (<urn:a> "say \\"hi\\"\\n"@en) }'
    store = ox.Store()
    rows = list(store.query(f"SELECT ?s ?label WHERE {{ {two} }}"))  # the engine reads it back whole
    assert rows[0]["label"] == ox.Literal('say "hi"\n', language="en")
