"""The newer corners of the CLI, tried as an attacker and a careless user would (issue 35, classes 3,
5 and 6): names and query text told apart by what exists; query files and stdin as UTF-8 with or
without a BOM; nothing lost at the edges (a CSV row with a cell too many, a drop others rely on, a
failed streamed load); control characters never reach a terminal; /dev/stdout as an output file;
validate refusing what load would refuse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ssbkg.cli import cli

from ..terminal import on_a_terminal

ALLIANCES = "SELECT ?alliance WHERE { ?alliance a <https://w3id.org/ssbkg/ontology#Alliance> }\n"
CASIP_ROWS = "alliance\nhttps://w3id.org/ssbkg/id/casip\n"


def run(store: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "ssbkg", "--store", str(store), *args],
        input=stdin,
        capture_output=True,
        timeout=600,
    )


# ------------------------------------------------------------------------------------------ names and text


@pytest.mark.parametrize("name", ["ask.rq", "select-all.rq", "describe.sparql"])
def test_a_query_file_is_a_file_though_its_name_starts_as_a_query(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(ALLIANCES, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", str(store_path), "query", name, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.replace("\r\n", "\n") == CASIP_ROWS
    Path(name).unlink()
    result = CliRunner().invoke(cli, ["--store", str(store_path), "query", name])
    assert result.exit_code == 2 and f"query file {name} does not exist" in result.stderr


def test_a_stored_name_is_a_name_though_it_starts_as_a_query(store_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "myq"
    folder.mkdir()
    (folder / "select-everything.rq").write_text(ALLIANCES, encoding="utf-8")
    args = ["--store", str(store_path), "--queries", str(folder), "query", "select-everything", "--format", "csv"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.replace("\r\n", "\n") == CASIP_ROWS


def test_a_byte_order_mark_is_not_part_of_the_query(store_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "myq"
    folder.mkdir()
    (folder / "bom.rq").write_bytes(b"\xef\xbb\xbf#+ summary: saved by Notepad\n" + ALLIANCES.encode())
    (folder / "plain.rq").write_text(ALLIANCES, encoding="utf-8")
    for args in (["query", str(folder / "bom.rq")], ["--queries", str(folder), "query", "bom"]):
        result = CliRunner().invoke(cli, ["--store", str(store_path), *args, "--format", "csv"])
        assert result.exit_code == 0, result.output
        assert result.stdout.replace("\r\n", "\n") == CASIP_ROWS
    listed = CliRunner().invoke(
        cli, ["--store", str(store_path), "--queries", str(folder), "queries", "--format", "csv"]
    )
    assert listed.exit_code == 0, listed.output  # one such file broke the whole listing
    assert "bom,saved by Notepad" in listed.stdout and "plain," in listed.stdout
    piped = run(store_path, "query", "-", "--format", "csv", stdin=b"\xef\xbb\xbf" + ALLIANCES.encode())
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.decode().replace("\r\n", "\n") == CASIP_ROWS


def test_standard_input_that_is_not_utf8_is_exit_2(store_path: Path, tmp_path: Path) -> None:
    latin1 = 'SELECT ?s WHERE { ?s ?p "caf\xe9" }'.encode("latin-1")
    piped = run(store_path, "query", "-", stdin=latin1)
    assert piped.returncode == 2, piped.stderr  # it was 4, an internal error
    err = piped.stderr.decode()
    assert err.startswith("Error: -: standard input is not UTF-8 text (byte 29 is 0xe9)") and "iconv" in err
    named = tmp_path / "latin1.rq"
    named.write_bytes(latin1)
    assert run(store_path, "query", str(named)).returncode == 2  # the same file named: the same exit


# ------------------------------------------------------------------------------------------ nothing lost


CLAIM_COLUMNS = "subject,object,certainty,source,quote\n"


def test_a_csv_row_with_a_cell_too_many_is_refused_and_named(store_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "claims.csv"
    sheet.write_text(
        CLAIM_COLUMNS
        + "sunwoda,casip,reported,report-electrive-2024-02-13,Sunwoda joined\n"
        + "farasis,casip,reported,report-electrive-2024-02-13,Farasis, of Ganzhou, joined\n",
        encoding="utf-8",
    )
    before = CliRunner().invoke(cli, ["--store", str(store_path), "graphs", "--format", "csv"]).stdout
    result = CliRunner().invoke(cli, ["--store", str(store_path), "claim", "--from-csv", str(sheet)])
    assert result.exit_code == 2, result.output
    assert f"{sheet}, row 3: 2 more cells than the header names (the first extra one is ' of Ganzhou')" in result.stderr
    assert "must be quoted" in result.stderr
    assert CliRunner().invoke(cli, ["--store", str(store_path), "graphs", "--format", "csv"]).stdout == before


REPORT = """@prefix ssb: <https://w3id.org/ssbkg/ontology#> .
@prefix ssbid: <https://w3id.org/ssbkg/id/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ssbid:report-mine a ssb:Report ; schema:headline "Mine" ; schema:publisher ssbid:electrive ;
    schema:datePublished "2024-03-01"^^xsd:date ; schema:url <https://example.org/mine> .
"""


def test_drop_names_the_claims_that_rely_on_the_graph_and_a_backup_restores(store_path: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.ttl"
    report.write_text(REPORT, encoding="utf-8")

    def ssbkg(*args: str, store: Path = store_path) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--store", str(store), *args])
        return result.exit_code, result.stdout, result.stderr

    assert ssbkg("load", str(report))[0] == 0
    claim = ["claim", "sunwoda", "casip", "--certainty", "reported", "--source", "report-mine", "--quote", "joined"]
    assert ssbkg(*claim)[0] == 0
    for args in (["drop", "report"], ["drop", "report", "--dry-run"]):
        code, _, err = ssbkg(*args)
        assert code == 2, err
        assert "1 statement points from other graphs at what <https://w3id.org/ssbkg/graph/user/report>" in err
        assert "ssbid:assertion-sunwoda-memberof-casip-mine prov:wasDerivedFrom ssbid:report-mine" in err
        assert "--force" in err
    assert "graph/user/report," in ssbkg("graphs", "--format", "csv")[1]  # still there
    assert ssbkg("drop", "report", "--force")[0] == 0
    backup = tmp_path / "backup.trig"
    assert ssbkg("export", "-o", str(backup))[0] == 0
    # The backup of a store in that state fails the gate; the message says how to restore it.
    restored = tmp_path / "restored"
    assert ssbkg("init", store=restored)[0] == 0
    code, _, err = ssbkg("load", str(backup), store=restored)
    assert code == 1 and "this file is an ssbkg export" in err and "--skip-validation" in err
    assert ssbkg("load", "--skip-validation", str(backup), store=restored)[0] == 0
    assert ssbkg("changes", "--format", "csv", store=restored)[1] == ssbkg("changes", "--format", "csv")[1]


def test_a_streamed_load_that_fails_at_its_last_line_gives_its_disk_back(store_path: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.nt"
    with big.open("w", encoding="utf-8") as f:
        for i in range(100_000):
            f.write(f'<https://example.org/s{i}> <https://example.org/p> "value {i} of a file that fails" .\n')
        f.write('<https://example.org/bad> <https://example.org/p> "unterminated .\n')

    def size() -> int:
        return sum(p.stat().st_size for p in store_path.rglob("*") if p.is_file())

    before = size()
    result = CliRunner().invoke(cli, ["--store", str(store_path), "load", "--skip-validation", str(big)])
    assert result.exit_code == 2 and "nothing was written" in result.stderr, result.output
    grown = size() - before
    # What stays is Oxigraph's dictionary of the strings it saw (it keeps them); the quads, their
    # indexes and the log of writes are gone. Before: about 6 times the file's size, until a prune.
    assert grown < big.stat().st_size, f"the store grew by {grown:,} bytes for a {big.stat().st_size:,}-byte file"
    assert not (store_path / "ssbkg.dirty").exists()


# ------------------------------------------------------------------------------------------ output


def _on_a_terminal(store: Path, *args: str) -> bytes:
    """What `ssbkg ARGS` writes to stdout when stdout is a terminal."""
    return on_a_terminal("--store", str(store), *args, columns=200, stderr_too=False)


HOSTILE_QUERY = 'SELECT ("Evil\\u001b]0;owned\\u0007 \\u001b[2J name" AS ?label) WHERE { }'


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "md", "xml"])
def test_control_characters_in_data_are_shown_not_obeyed_on_a_terminal(store_path: Path, fmt: str) -> None:
    seen = _on_a_terminal(store_path, "query", HOSTILE_QUERY, "--format", fmt)
    assert b"Evil" in seen and b"\x1b]0;" not in seen and b"\x1b[2J" not in seen and b"\x07" not in seen
    assert b"\\x1b]0;owned\\x07" in seen
    # Piped, the data is the data.
    piped = run(store_path, "query", HOSTILE_QUERY, "--format", "csv")
    assert b"\x1b]0;owned\x07" in piped.stdout


@pytest.mark.parametrize("target", ["/dev/stdout", "/proc/self/fd/1"])
def test_export_to_standard_output_by_its_name(store_path: Path, target: str) -> None:
    named = run(store_path, "export", "--format", "nt", "-o", target)
    assert named.returncode == 0, named.stderr
    plain = run(store_path, "export", "--format", "nt")
    assert named.stdout == plain.stdout and len(plain.stdout) > 100_000


def test_validate_refuses_what_load_would_refuse(store_path: Path, tmp_path: Path) -> None:
    note = '<https://w3id.org/ssbkg/id/x> <http://www.w3.org/2000/01/rdf-schema#comment> "x" .\n'
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "notes.nt", tmp_path / "b" / "notes.nt"
    first.write_text(note, encoding="utf-8")
    second.write_text(note, encoding="utf-8")
    assert run(store_path, "load", str(first)).returncode == 0
    for command in ("validate", "load"):
        refused = run(store_path, command, str(second))
        assert refused.returncode == 2, refused.stderr
        assert "already holds" in refused.stderr.decode() and "--replace" in refused.stderr.decode()
    assert run(store_path, "validate", "--replace", str(second)).returncode == 0
    graph = "https://example.org/beside"
    assert run(store_path, "validate", "--graph", graph, str(second)).returncode == 0
