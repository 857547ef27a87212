"""The store contract: what a store kind can get wrong, run on each kind (the embedded store, an
Oxigraph server and Virtuoso, both started on loopback once per test process)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import STORE_KINDS, seeded_store


@pytest.fixture(scope="module", params=STORE_KINDS)
def read_only_store_spec(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    seeded_template: Path,
    server_urls: dict[str, str],
) -> str:
    """One seeded store of each kind for a whole module whose tests only read, or try to write and
    check that the store is byte for byte as it was (so a write that got through fails where it did)."""
    return seeded_store(request.param, tmp_path_factory.mktemp("shared"), seeded_template, server_urls)


@pytest.fixture(params=STORE_KINDS)
def store_spec(
    request: pytest.FixtureRequest, tmp_path: Path, seeded_template: Path, server_urls: dict[str, str]
) -> str:
    """A freshly seeded store of each kind, for this test alone."""
    return seeded_store(request.param, tmp_path, seeded_template, server_urls)
