# Record where a version's list of changes is.
INSERT { GRAPH <https://w3id.org/ssbkg/graph/registry> { ?_version_iri <urn:ssbkg:history#changes> ?_log_iri } }
WHERE {}
