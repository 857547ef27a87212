# Stamp the versions that are no longer current with the time of the write that replaced them.
# Full IRIs, no prologue: this update ends others (after their ";"), where Oxigraph reads no PREFIX.
INSERT { GRAPH <https://w3id.org/ssbkg/graph/registry> {
  ?old <http://www.w3.org/ns/prov#invalidatedAtTime> ?_now_literal } }
WHERE { GRAPH <https://w3id.org/ssbkg/graph/registry> {
  ?old a <https://w3id.org/ssbkg/ontology#GraphVersion> .
  FILTER NOT EXISTS { ?any <https://w3id.org/ssbkg/ontology#currentVersion> ?old }
  FILTER NOT EXISTS { ?old <http://www.w3.org/ns/prov#invalidatedAtTime> ?when } } }
