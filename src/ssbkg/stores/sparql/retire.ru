# Unpublish a graph, only if ?_version_iri is still its current version. The retirement is itself a
# version of the graph (?_tomb_iri, holding nothing), so that the history says who dropped it and when.
PREFIX ssb: <https://w3id.org/ssbkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX h: <urn:ssbkg:history#>
DELETE { GRAPH <https://w3id.org/ssbkg/graph/registry> { ?_graph_iri ssb:currentVersion ?_version_iri } }
INSERT { GRAPH <https://w3id.org/ssbkg/graph/registry> {
  ?_tomb_iri a ssb:GraphVersion ; ssb:versionOf ?_graph_iri ; prov:generatedAtTime ?_now_literal ;
     ssb:loadedFrom ?_source_literal ; ssb:tripleCount "0"^^xsd:integer ; prov:wasAttributedTo ?_agent_iri ;
     h:changes ?_log_iri ; prov:invalidatedAtTime ?_now_literal .
  ?_agent_iri a prov:Agent ; rdfs:label ?_name_literal } }
WHERE { GRAPH <https://w3id.org/ssbkg/graph/registry> { ?_graph_iri ssb:currentVersion ?_version_iri } }
