"""The floor for this stack: click + pyoxigraph, open the store read-only, run the query over the
published graphs, print CSV. bench/startup.py compares `ssbkg query` against it."""

import sys

import click
import pyoxigraph as ox

REGISTRY = "SELECT ?v WHERE { GRAPH <https://w3id.org/ssbkg/graph/registry> { ?g <https://w3id.org/ssbkg/ontology#currentVersion> ?v } }"  # noqa: E501


@click.command()
@click.argument("store")
@click.argument("query_file")
def main(store: str, query_file: str) -> None:
    s = ox.Store.read_only(store)
    graphs = [row["v"] for row in s.query(REGISTRY)]
    result = s.query(open(query_file).read(), default_graph=graphs)  # noqa: PTH123, SIM115
    sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.CSV))


main()
