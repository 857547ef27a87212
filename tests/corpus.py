"""Broken and hostile input shared by the layers: the files of tests/bad with what each must be refused
with, and files built to hurt a parser."""

from __future__ import annotations

from pathlib import Path

BAD = Path(__file__).parent / "bad"

# file: (exit code, words the message must contain; "{file}:L:C" asks for a position)
CORPUS: dict[str, tuple[int, str]] = {
    "truncated.ttl": (2, "{file}:L:C: Unexpected end"),
    "truncated.trig": (2, "{file}:L:C: Unexpected end"),
    "truncated.jsonld": (2, "{file}:L:C:"),
    "truncated.rdf": (2, "{file}: contains no triples"),
    "bad-value.jsonld": (2, "{file}: @type value must be a string"),
    "undeclared-prefix.ttl": (2, "{file}:L:C: The prefix ssbid: has not been declared"),
    "iri-with-space.ttl": (2, "{file}:L:C: Invalid IRI code point ' '"),
    "open-string.ttl": (2, "{file}:L:C: Unexpected end of file"),
    "empty-language.ttl": (2, "{file}:L:C: A language code"),
    "latin1.ttl": (2, "{file}:L:C: Invalid UTF-8"),
    "empty.ttl": (2, "{file}: contains no triples"),
    "binary.ttl": (2, "{file}:L:C:"),
    "huge.nt": (2, "{file}: a single term is larger than the parser allows"),
    "blank-graph.trig": (2, "{file}:4: a graph named by a blank node"),
    "blank-graph-brackets.trig": (2, "{file}:3: a graph named by a blank node"),
    "blank-graph.nq": (2, "{file}:2: a graph named by a blank node"),
    "blank-graph.jsonld": (2, "{file}: a graph named by a blank node"),
    "bad-datatype.ttl": (1, '"high" is not a valid xsd:decimal'),
    "impossible-date.ttl": (1, '"2024-13-45" is not a valid xsd:date'),
    "typo-term.ttl": (1, "ssb:memberOff is not a term of the ssbkg ontology; did you mean org:memberOf?"),
}


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="https://w3id.org/ssbkg/id/x"><rdfs:label>&d;</rdfs:label></rdf:Description>
</rdf:RDF>
"""
RDFXML_HEAD = (
    '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">\n'
)
