from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from ssbkg.cli import cli

PREFIXES = """\
@prefix ssb:    <https://w3id.org/ssbkg/ontology#> .
@prefix ssbid:  <https://w3id.org/ssbkg/id/> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded store, copied for each test that needs a store of its own (seeding costs a parse)."""
    path = tmp_path_factory.mktemp("template") / "store"
    result = CliRunner().invoke(cli, ["--store", str(path), "init"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def store_path(seeded_template: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "store"
    shutil.copytree(seeded_template, target)
    return target


@pytest.fixture
def run(store_path: Path) -> Callable[..., Result]:
    """Run the CLI against this test's own store."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, ["--store", str(store_path), *args], input=input)

    return invoke


@pytest.fixture
def write_ttl(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(name: str, body: str) -> Path:
        path = tmp_path / name
        path.write_text(PREFIXES + body, encoding="utf-8")
        return path

    return write


def dump_store(path: Path) -> list[str]:
    """Every quad of an on-disk store, registry and retired versions included, sorted."""
    store = ox.Store.read_only(str(path))
    quads = sorted(str(q) for q in store)
    del store
    return quads
