"""The CLI's tests run on an embedded store of their own: what a store kind can get wrong is tested
on all three kinds in tests/contract, once, rather than with every command's behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import seeded_store


@pytest.fixture
def store_spec(store_path: Path) -> str:
    return str(store_path)


@pytest.fixture(scope="module")
def read_only_store_spec(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> str:
    return seeded_store("embedded", tmp_path_factory.mktemp("shared"), seeded_template, {})
