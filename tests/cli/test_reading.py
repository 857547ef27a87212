"""Readable at first sight (issue 36): a query described at the terminal, help within 80 columns, and
messages, reports and trees wrapped to the terminal with their guides kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ssbkg.cli import cli
from ssbkg.io import terminal

from ..terminal import on_a_terminal

COMMANDS = [
    "init", "load", "validate", "claim", "intake", "retract", "infer", "explain", "changes", "find", "queries",
    "query", "report", "graph", "graphs", "export", "drop", "prune", "serve",
]  # fmt: skip


def _at_a_terminal(store: Path, *args: str, columns: int) -> str:
    """What a terminal `columns` wide shows of `ssbkg ARGS` (stdout and stderr both on it)."""
    seen = on_a_terminal("--store", str(store), *args, columns=columns)
    # What the progress line wrote and erased (\r ESC[2K) is not on the screen once done.
    return "\n".join(line.rsplit("\x1b[2K", 1)[-1] for line in seen.decode().replace("\r\n", "\n").split("\n"))


@pytest.mark.parametrize("command", COMMANDS)
def test_help_fits_80_columns(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0
    wide = [line for line in result.output.splitlines() if terminal.cells(line) > 80]
    assert not wide, wide


def test_queries_name_says_what_a_query_answers(seeded_template: Path) -> None:
    for args in (["queries", "top-ranked-members"], ["query", "top-ranked-members", "--help"]):
        result = CliRunner().invoke(cli, ["--store", str(seeded_template), *args], env={"COLUMNS": "80"})
        assert result.exit_code == 0, result.output
        text = result.output
        assert "top-ranked-members (bundled)" in text
        assert "Which of a ranking's top N are said to be members of an alliance" in text
        assert "ranking: an entity" in text and "required; for example -p ranking=ranking-sne-2023-full-year" in text
        assert "alliance: an entity" in " ".join(text.split()) and "default https://w3id.org/ssbkg/id/casip" in text
        assert "name the row: rank, label" in text and "the answer: status, certainty" in text
        assert "ssbkg query top-ranked-members -p ranking=ranking-sne-2023-full-year -p topN=6" in text
    listed = CliRunner().invoke(cli, ["--store", str(seeded_template), "queries", "alliance-members"])
    assert "minCertainty: a listed value; optional; default refuted; one of confirmed, reported" in " ".join(
        listed.output.split()
    )
    unknown = CliRunner().invoke(cli, ["--store", str(seeded_template), "queries", "alliance-member"])
    assert unknown.exit_code == 2 and "no stored query named 'alliance-member'" in unknown.stderr


def test_messages_reports_and_trees_wrap_to_the_terminal(store_path: Path, tmp_path: Path) -> None:
    columns = 60
    tree = _at_a_terminal(store_path, "explain", "svolt", "casip", columns=columns)
    lines = tree.splitlines()
    assert lines and max(terminal.cells(line) for line in lines) <= columns
    # A long note goes on under its own text, and the guides of the branches above it go on.
    note = next(i for i, line in enumerate(lines) if line.startswith("└─ note: "))
    assert lines[note + 1].startswith("   ") and lines[note + 1].strip()
    source = next(i for i, line in enumerate(lines) if line.startswith("├─ contradicted by: "))
    assert lines[source + 1].startswith("│  ")
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ssb: <https://w3id.org/ssbkg/ontology#> .\n<https://w3id.org/ssbkg/id/x> a ssb:Company .\n",
        encoding="utf-8",
    )
    report = _at_a_terminal(store_path, "load", str(bad), columns=columns)
    lines = [line for line in report.splitlines() if line]
    assert max(terminal.cells(line) for line in lines) <= columns, report
    error = next(i for i, line in enumerate(lines) if line.startswith("Error: "))
    assert lines[error + 1].startswith("       ")  # under the message, not under "Error:"
    dash = next(i for i, line in enumerate(lines) if line.startswith("  - "))
    assert lines[dash + 1].startswith("    ") and not lines[dash + 1].startswith("    -")


# ------------------------------------------------------------------------------------------ friction


def test_a_name_is_found_by_a_word_of_it_and_a_slug_in_capitals(run_embedded) -> None:  # type: ignore[no-untyped-def]
    source = ["--certainty", "reported", "--source", "report-electrive-2024-02-13", "--dry-run"]
    farasis = run_embedded("claim", "Farasis", "CASIP", *source)  # "Farasis Energy" is its label
    assert farasis.exit_code == 0, farasis.output
    assert "rdf:subject ssbid:farasis" in farasis.stdout and "rdf:object ssbid:casip" in farasis.stdout
    many = run_embedded("claim", "energy", "casip", *source)  # a word many names share names none
    assert many.exit_code == 2 and "'energy' names 8 organizations: eve-energy, farasis" in many.stderr


def test_claim_prints_what_it_wrote_and_turtle_only_when_asked(run_embedded) -> None:  # type: ignore[no-untyped-def]
    claim = ["claim", "sunwoda", "casip", "--certainty", "reported", "--source", "report-electrive-2024-02-13"]
    dry = run_embedded(*claim, "--dry-run")
    assert dry.exit_code == 0 and dry.stdout.startswith("@prefix ")
    wrote = run_embedded(*claim)
    assert wrote.exit_code == 0, wrote.output
    assert wrote.stdout == "ssbid:assertion-sunwoda-memberof-casip-electrive-2024-02-13\n"


def test_mistakes_are_named_in_the_users_words(run_embedded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    new_report = ["--headline", "Sunwoda joins", "--publisher", "electrive"]
    date = run_embedded("claim", "sunwoda", "casip", "--certainty", "reported", *new_report, "--date", "07/12/2026")
    assert date.exit_code == 2 and date.stderr.startswith("Error: --date: '07/12/2026' is not a date"), date.stderr
    missing = run_embedded("claim", "--from-csv", str(tmp_path / "nosuch.csv"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr and "Errno" not in missing.stderr
    built = run_embedded("query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1", "--format", "csv")
    assert built.exit_code == 2 and "--format csv is for SELECT queries" in built.stderr
    retract = run_embedded("retract", "assertion-svolt-member-casip-electrik", "--reason", "x")
    assert retract.exit_code == 2 and "did you mean assertion-svolt-member-casip-electrive" in retract.stderr
    assert "ssbkg explain SUBJECT OBJECT" in retract.stderr


def test_minus_is_standard_output_and_syntaxes_go_by_their_usual_names(run_embedded, write_ttl) -> None:  # type: ignore[no-untyped-def]
    exported = run_embedded("export", "--format", "nt", "-o", "-")
    assert exported.exit_code == 0 and exported.stdout.count("\n") > 3000
    assert not Path("-").exists()
    path = write_ttl(
        "note.data", 'ssbid:catl rdfs:comment "a note"@en .\n'
    )  # a name that says no syntax: --syntax must
    for alias in ("ttl", "TTL", "turtle"):
        assert run_embedded("validate", "--syntax", alias, str(path)).exit_code == 0, alias
    bad = run_embedded("validate", "--syntax", "turtel", str(path))
    assert bad.exit_code == 2 and "'turtel' is not a syntax ssbkg reads" in bad.stderr
