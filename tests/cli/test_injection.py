"""The command line's side of injection (tests/unit/test_injection.py has every hostile value): a
refused value or query file is exit 2 with one `Error:` line that names it, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from ..conftest import dump_store


def test_a_hostile_parameter_is_exit_2_and_names_the_parameter(run: Callable[..., Result], store_spec: str) -> None:
    before = dump_store(store_spec)
    result = run("query", "alliance-members", "-p", "alliance=casip } ; DROP ALL ; {")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: parameter alliance") and "Traceback" not in result.output
    assert dump_store(store_spec) == before


def test_a_malformed_query_is_exit_2_with_one_line(run: Callable[..., Result], tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("PREFIX x: <http://x/>\nSELECT * WHERE {\n  ?s x:p ?o .\n  FILTER (?o > )\n}\n", encoding="utf-8")
    result = run("query", str(bad))
    assert result.exit_code == 2, result.output
    assert (
        result.stderr.splitlines()[0]
        == f"Error: {bad}, line 4, column 3: the query does not parse, near 'FILTER (?o > )'"
    )


def test_a_query_file_that_writes_is_exit_2(run: Callable[..., Result], store_spec: str, tmp_path: Path) -> None:
    evil = tmp_path / "evil.rq"
    evil.write_text("DROP ALL\n", encoding="utf-8")
    before = dump_store(store_spec)
    result = run("query", str(evil))
    assert result.exit_code == 2, result.output
    assert dump_store(store_spec) == before
