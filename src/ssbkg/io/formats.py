"""The output formats, by the names users give to --format: one list that the CLI's choices and the
renderers (io/render.py) both read. It imports nothing, so the CLI's start-up pays nothing for it."""

from __future__ import annotations

ROW_FORMATS = ("table", "csv", "tsv", "json", "jsonl", "md", "xml")  # a SELECT's rows
GRAPH_FORMATS = ("turtle", "nt", "jsonld", "rdfxml")  # a CONSTRUCT's triples, one graph
DATASET_FORMATS = ("trig", "nq")  # several graphs, as export writes them
