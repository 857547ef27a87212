"""Where the bundled ontology, shapes, data and queries are, and the graphs they are loaded into.

A wheel carries them inside the package (``ssbkg/bundled``); a source checkout or an editable
install reads them from the repository's top level.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ssbkg.namespaces import BUNDLED_GRAPH_BASE


def _root() -> Path:
    packaged = Path(__file__).parent / "bundled"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def ontology_dir() -> Path:
    return _root() / "ontology"


def data_dir() -> Path:
    return _root() / "data"


def queries_dir() -> Path:
    return _root() / "queries"


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"


def ontology_file() -> Path:
    return ontology_dir() / "ssbkg.ttl"


class BundledFile(NamedTuple):
    path: Path
    graph: str


def bundled_files() -> list[BundledFile]:
    """The bundled Turtle files, each with the named graph it is loaded into."""
    files = [
        BundledFile(ontology_file(), BUNDLED_GRAPH_BASE + "ontology"),
        BundledFile(shapes_file(), BUNDLED_GRAPH_BASE + "shapes"),
    ]
    files += [BundledFile(p, BUNDLED_GRAPH_BASE + "data/" + p.stem) for p in sorted(data_dir().glob("*.ttl"))]
    return files
