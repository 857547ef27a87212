"""Asking: the stored queries and their headers (catalogue), parameters bound as RDF terms (params),
running one (running), and finding what a user typed (resolve)."""
