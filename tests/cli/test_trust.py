"""Nothing lost, nothing wrongly refused: graph names that cannot replace another file's graph, a
gate that agrees with itself, exports that restore, history that records drops."""

from __future__ import annotations

import base64
import contextlib
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ssbkg.cli import cli

from .. import snapshot_queries
from ..conftest import PREFIXES, dump_store

CLAIM_TTL = """
ssbid:assertion-sunwoda-member-casip-trust a ssb:Assertion ;
    rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainty ssb:Speculative ; ssb:confidence {confidence} ;
    prov:wasDerivedFrom ssbid:note-casip-fact-sheet-2026-11-25 .
"""


def _file(path: Path, confidence: str = "0.3", name: str = "trust", subject: str = "sunwoda") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = CLAIM_TTL.format(confidence=confidence).replace("-trust", f"-{name}")
    text = text.replace("ssbid:sunwoda", f"ssbid:{subject}")
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


def test_a_file_named_like_another_does_not_replace_its_graph(
    run: Callable[..., Result], store_spec: str, tmp_path: Path
) -> None:
    jan, feb = (
        _file(tmp_path / "jan" / "notes.ttl", "0.3"),
        _file(tmp_path / "feb" / "notes.ttl", "0.2", "feb", "farasis"),
    )
    assert run("load", str(jan)).exit_code == 0
    before = dump_store(store_spec)
    refused = run("load", str(feb))
    assert refused.exit_code == 2, refused.output
    assert str(jan) in refused.stderr and str(feb) in refused.stderr
    assert "--graph" in refused.stderr and "--replace" in refused.stderr
    assert dump_store(store_spec) == before
    # the same file again replaces its own graph, as before
    _file(jan, "0.4")
    assert run("load", str(jan)).exit_code == 0
    assert "Sunwoda,speculative,0.4" in run("query", "alliance-members", "-p", "alliance=casip").stdout
    # beside it, or over it on purpose
    beside = run("load", str(feb), "--graph", "https://example.org/g/feb")
    assert beside.exit_code == 0, beside.output
    assert run("load", str(feb), "--replace").exit_code == 0
    graphs = run("graphs", "--format", "csv").stdout
    assert "/user/notes,user,7," in graphs and str(feb) in graphs and "https://example.org/g/feb" in graphs


@pytest.mark.parametrize("name", ["claims.ttl", "retractions.ttl"])
def test_the_graphs_commands_write_are_never_loaded_over(
    run: Callable[..., Result], store_spec: str, tmp_path: Path, name: str
) -> None:
    claimed = run("claim", "welion", "casip", "--certainty", "speculative", "--confidence", "0.2",
                  "--source", "report-electrive-2024-02-13")  # fmt: skip
    assert claimed.exit_code == 0, claimed.output
    retracted = run("retract", "assertion-svolt-member-casip-creative-marketing", "--reason", "test")
    assert retracted.exit_code == 0, retracted.output
    before = dump_store(store_spec)
    refused = run("load", str(_file(tmp_path / name)))
    assert refused.exit_code == 2 and "--graph" in refused.stderr, refused.output
    assert dump_store(store_spec) == before
    changes = run("changes", "--since", "2026-01-01", "--format", "csv").stdout
    assert ",retracted," in changes and ",added," in changes


def test_graph_names_keep_letters_of_every_script(run: Callable[..., Result], tmp_path: Path) -> None:
    a, b = _file(tmp_path / "宁德时代.ttl"), _file(tmp_path / "比亚迪.ttl", "0.2", "byd", "farasis")
    assert run("load", str(a)).exit_code == 0 and run("load", str(b)).exit_code == 0
    graphs = run("graphs", "--format", "csv").stdout
    assert "/graph/user/宁德时代,user,7," in graphs and "/graph/user/比亚迪,user,7," in graphs
    nameless = _file(tmp_path / "---.ttl")
    refused = run("load", str(nameless))
    assert refused.exit_code == 2 and "--graph" in refused.stderr
    empty = run("load", str(a), "--graph", "")
    assert empty.exit_code == 2 and "--graph is empty" in empty.stderr


def test_a_multi_file_load_without_the_gate_is_all_or_nothing(
    run: Callable[..., Result], store_spec: str, tmp_path: Path
) -> None:
    good = tmp_path / "a.nt"
    good.write_text("<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n", encoding="utf-8")
    other = tmp_path / "b.nt"
    other.write_text("<https://example.org/c> <https://example.org/p> <https://example.org/d> .\n", encoding="utf-8")
    bad = tmp_path / "bad.nt"
    bad.write_text("<https://example.org/a> <https://example.org/p> .\n", encoding="utf-8")
    before = dump_store(store_spec)
    failed = run("load", "--skip-validation", str(good), str(other), str(bad))
    assert failed.exit_code == 2 and "bad.nt" in failed.stderr
    assert dump_store(store_spec) == before
    assert run("load", "--skip-validation", str(good), str(other)).exit_code == 0
    graphs = run("graphs", "--format", "csv").stdout
    assert "/graph/user/a,user,1," in graphs and "/graph/user/b,user,1," in graphs


def test_validate_and_load_agree_on_a_misspelled_term(
    run: Callable[..., Result], store_spec: str, tmp_path: Path
) -> None:
    path = _file(tmp_path / "typo.ttl")
    # the same claim as a bundled one (a duplicate), with a misspelled property
    path.write_text(
        PREFIXES
        + """
ssbid:assertion-catl-again a ssb:Assertion ;
    rdf:subject ssbid:catl ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainity ssb:Reported ; ssb:certainty ssb:Reported ; ssb:confidence 0.8 ;
    prov:wasDerivedFrom ssbid:report-electrive-2024-02-13 ; prov:hadPrimarySource ssbid:report-nikkei-asia-2024-02 .
""",
        encoding="utf-8",
    )
    checked = run("validate", str(path))
    assert checked.exit_code == 1 and "ssb:certainity" in checked.stdout
    before = dump_store(store_spec)
    loaded = run("load", str(path))
    assert loaded.exit_code == 1 and "ssb:certainity" in loaded.stdout, loaded.output
    assert dump_store(store_spec) == before


def _report_file(path: Path, name: str) -> Path:
    path.write_text(
        PREFIXES
        + f"""
ssbid:report-{name} a ssb:Report ; schema:headline "A test report"@en ; schema:publisher ssbid:electrive ;
    schema:datePublished "2026-11-30"^^xsd:date ; schema:url <https://example.org/{name}> .
""",
        encoding="utf-8",
    )
    return path


def test_validate_judges_a_file_with_what_it_replaces(run: Callable[..., Result], tmp_path: Path) -> None:
    # A report and a claim that cites it, in two files; then the report's file no longer defines it.
    reports = _report_file(tmp_path / "reports.ttl", "trust")
    claim = _file(tmp_path / "claim.ttl")
    claim.write_text(claim.read_text(encoding="utf-8").replace("note-casip-fact-sheet-2026-11-25", "report-trust"))
    assert run("load", str(reports)).exit_code == 0 and run("load", str(claim)).exit_code == 0
    _report_file(reports, "other")
    checked, loaded = run("validate", str(reports)), run("load", str(reports))
    assert checked.exit_code == loaded.exit_code == 1, (checked.output, loaded.output)
    assert "report-trust" in loaded.stdout


def test_drop_is_in_the_history_with_who_and_when(run: Callable[..., Result], tmp_path: Path) -> None:
    path = _file(tmp_path / "mine.ttl")
    assert run("load", str(path)).exit_code == 0
    would = run("drop", "mine", "--dry-run")
    assert would.exit_code == 0 and "Would retire <https://w3id.org/ssbkg/graph/user/mine>" in would.stderr
    assert "Sunwoda" in run("query", "alliance-members", "-p", "alliance=casip").stdout
    assert run("drop", "mine", "--agent", "alice").exit_code == 0
    changes = run("changes", "--since", "2026-01-01", "--format", "csv").stdout.splitlines()
    (removed,) = [c for c in changes if ",removed," in c]
    assert "assertion-sunwoda-member-casip-trust" in removed and ",alice," in removed
    pruned = run("prune", "--dry-run")
    assert pruned.exit_code == 0 and "Would remove 0 graph(s)" in pruned.stderr
    assert run("prune").exit_code == 0
    assert run("changes", "--since", "2026-01-01", "--format", "csv").stdout.splitlines() == changes


GROW = """import sys, time
while True:
    with open(sys.argv[1], "a") as f:
        f.write("<urn:x> <urn:p> <urn:o> .\\n")
    time.sleep(0.001)
"""


def test_a_file_that_changes_while_streamed_is_not_published(store_path: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "growing.nt"
    lines = [f"<https://example.org/s{i}> <https://example.org/p> <https://example.org/o> .\n" for i in range(50_000)]
    path.write_text("".join(lines), encoding="utf-8")
    before = dump_store(store_path)
    # A writer appends to the file for as long as the load reads it; whichever moment the read ends,
    # what it read is not the file as it is.
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            GROW,
            str(path),
        ]
    )
    try:
        result = CliRunner().invoke(cli, ["--store", str(store_path), "load", "--skip-validation", str(path)])
    finally:
        writer.kill()
        writer.wait()
    assert result.exit_code == 2 and "changed while it was being read" in result.stderr, result.output
    assert dump_store(store_path) == before


def test_names_that_are_not_utf_8_are_refused_before_anything_is_written(store_path: Path, tmp_path: Path) -> None:
    import os

    raw = os.fsencode(str(tmp_path)) + b"/caf\xe9.ttl"
    with open(raw, "wb") as f:  # noqa: PTH123 (a path that is not text)
        f.write((PREFIXES + CLAIM_TTL.format(confidence="0.3")).encode())
    before = dump_store(store_path)
    name = os.fsdecode(raw)
    result = CliRunner().invoke(cli, ["--store", str(store_path), "load", name])
    assert result.exit_code == 2 and "not UTF-8" in result.stderr, result.output
    agent = CliRunner().invoke(
        cli, ["--store", str(store_path), "load", "--agent", "caf\udce9", str(_file(tmp_path / "ok.ttl"))]
    )
    assert agent.exit_code == 2 and "not UTF-8" in agent.stderr, agent.output
    assert dump_store(store_path) == before


def test_an_export_loads_into_a_new_store_with_the_same_answers(
    run: Callable[..., Result], store_spec: str, tmp_path: Path
) -> None:
    _round_trip(run, store_spec, tmp_path, "trig")


def test_a_turtle_export_loads_with_the_same_answers(
    run_embedded: Callable[..., Result], store_path: Path, tmp_path: Path
) -> None:
    # Turtle merges the graphs, which is the same code on every store kind: the embedded store shows it.
    _round_trip(run_embedded, str(store_path), tmp_path, "turtle")


def _round_trip(run: Callable[..., Result], store_spec: str, tmp_path: Path, fmt: str) -> None:
    assert run("load", str(_file(tmp_path / "mine.ttl"))).exit_code == 0
    assert run("claim", "welion", "casip", "--certainty", "speculative", "--confidence", "0.2",
               "--source", "report-electrive-2024-02-13").exit_code == 0  # fmt: skip
    assert run("retract", "assertion-svolt-member-casip-creative-marketing", "--reason", "test").exit_code == 0
    assert run("infer").exit_code == 0
    exported = tmp_path / f"all.{'trig' if fmt == 'trig' else 'ttl'}"
    assert run("export", "--format", fmt, "-o", str(exported)).exit_code == 0
    other = tmp_path / "other"
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", str(other), "init"]).exit_code == 0
    loaded = runner.invoke(cli, ["--store", str(other), "load", str(exported)])
    assert loaded.exit_code == 0, loaded.output
    ours = snapshot_queries.answers(store_spec, snapshot_queries.BUNDLED)
    assert snapshot_queries.answers(str(other), snapshot_queries.BUNDLED) == ours
    if fmt == "trig":  # the graphs' names and the history travel with it
        theirs = runner.invoke(cli, ["--store", str(other), "changes", "--since", "2026-01-01", "--format", "csv"])
        mine = run("changes", "--since", "2026-01-01", "--format", "csv")
        assert theirs.stdout == mine.stdout and mine.stdout.count("\n") >= 4, (mine.stdout, theirs.stdout)
        graphs = runner.invoke(cli, ["--store", str(other), "graphs", "--format", "csv"]).stdout
        assert "/user/claims,user," in graphs and "/user/retractions,user," in graphs


def _files(path: Path) -> dict[str, int]:
    return {str(p.relative_to(path)): p.stat().st_size for p in path.rglob("*")} if path.exists() else {}


def test_a_mistyped_store_path_does_not_answer_and_is_not_made(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    result = CliRunner().invoke(cli, ["--store", str(missing), "query", "reports"])
    assert result.exit_code == 3 and "does not exist" in result.stderr and f"--store {missing} init" in result.stderr
    assert not (tmp_path / "no").exists()


def test_an_ordinary_folder_is_never_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    before = _files(folder)
    for args in (["--store", str(folder), "query", "reports"], ["--store", str(folder), "init"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 3, result.output
    monkeypatch.chdir(folder)
    here = CliRunner().invoke(cli, ["--store", "oxigraph:", "graphs"])
    assert here.exit_code == 3 and "the current directory" in here.stderr
    assert _files(folder) == before


def test_an_oxigraph_store_ssbkg_did_not_make_is_left_alone(tmp_path: Path) -> None:
    import pyoxigraph as ox

    other = tmp_path / "theirs"
    theirs = ox.Store(str(other))
    quad = ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c"), ox.NamedNode("urn:g"))
    theirs.add(quad)
    theirs.flush()
    del theirs
    for args in (["query", "reports"], ["init"], ["load", str(_file(tmp_path / "x.ttl"))]):
        result = CliRunner().invoke(cli, ["--store", str(other), *args])
        assert result.exit_code == 3 and "did not make" in result.stderr, result.output
    reopened = ox.Store.read_only(str(other))
    assert list(reopened) == [quad]


def test_init_makes_a_store_only_where_there_is_none(tmp_path: Path) -> None:
    made = CliRunner().invoke(cli, ["--store", str(tmp_path / "new" / "store"), "init"])
    assert made.exit_code == 0 and "Created the store" in made.stderr
    again = CliRunner().invoke(cli, ["--store", str(tmp_path / "new" / "store"), "init"])
    assert again.exit_code == 0 and "Already present" in again.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert CliRunner().invoke(cli, ["--store", str(empty), "init"]).exit_code == 0


def test_the_default_store_is_made_on_first_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("SSBKG_STORE", raising=False)
    result = CliRunner().invoke(cli, ["query", "alliance-members", "-p", "alliance=casip", "--format", "csv"])
    assert result.exit_code == 0 and "CATL" in result.stdout, result.output
    assert (tmp_path / "ssbkg" / "store" / "ssbkg.layout").exists()


@contextlib.contextmanager
def _read_only(directory: Path) -> Iterator[Path]:
    """`directory` as a reader without write access sees it: a read-only bind mount when this runs as
    root (root writes through any permission bits), else the directory with its write bits taken away."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [directory, *directory.rglob("*")]}
        for p in modes:
            p.chmod(p.stat().st_mode & ~0o222)
        try:
            yield directory
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    mount = directory.with_name(directory.name + "-ro")
    mount.mkdir()
    bound = subprocess.run(["mount", "--bind", str(directory), str(mount)], capture_output=True, check=False)
    if bound.returncode != 0:
        pytest.skip(f"cannot make a read-only file system here as root (mount: {bound.stderr.decode().strip()})")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)], check=True, capture_output=True)
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False, capture_output=True)


def test_a_read_only_store_answers_reads_and_refuses_writes_with_a_reason(store_path: Path) -> None:
    with _read_only(store_path) as store:
        run = lambda *args: CliRunner().invoke(cli, ["--store", str(store), *args])  # noqa: E731
        graphs = run("graphs", "--format", "csv")
        assert graphs.exit_code == 0, graphs.output
        members = run("query", "alliance-members", "-p", "alliance=casip", "--format", "csv")
        assert members.exit_code == 0 and "CATL" in members.stdout
        assert run("explain", "catl").exit_code == 0
        claim = run("claim", "catl", "casip", "--certainty", "reported", "--source", "report-cnevpost-2024-02-07")
        assert claim.exit_code == 3, claim.output
        assert claim.stderr.startswith(f"Error: cannot write the store {store}: ")
        assert "commands that only read it still work" in claim.stderr


@pytest.mark.parametrize("damage", ["CURRENT", "sst"])
def test_a_damaged_store_is_exit_3_saying_so(store_path: Path, damage: str) -> None:
    if damage == "CURRENT":
        (store_path / "CURRENT").write_bytes(b"garbage\n")
    else:
        for sst in store_path.glob("*.sst"):
            sst.write_bytes(sst.read_bytes()[:100])
    result = CliRunner().invoke(cli, ["--store", str(store_path), "graphs"])
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"Error: the store {store_path} is damaged and cannot be opened: ")
    assert "internal error" not in result.stderr


def test_a_store_path_below_a_file_is_exit_2(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", str(file / "store"), "graphs"])
    assert result.exit_code == 2, result.output
    assert f"is below {file}, which is a file" in result.stderr


@pytest.mark.parametrize("streamed", [True, False], ids=["streamed", "gated"])
def test_a_full_disk_is_exit_3_on_every_write_path_and_the_store_recovers(tmp_path: Path, streamed: bool) -> None:
    if os.geteuid() != 0:
        pytest.skip("a small file system to fill needs root here (mount -t tmpfs)")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        store = disk / "store"
        run = lambda *args: CliRunner().invoke(cli, ["--store", str(store), *args])  # noqa: E731
        assert run("init").exit_code == 0
        before = run("query", "alliance-members", "-p", "alliance=casip", "--format", "csv").stdout
        big = tmp_path / "big.nt"  # 30 MB of random text, which no compression shrinks below the 16 MB disk
        line = '<https://example.org/s{}> <https://example.org/p> "{}" .\n'
        noise = [base64.b64encode(os.urandom(2250)).decode("ascii") for _ in range(10_000)]
        big.write_text("".join(line.format(i, text) for i, text in enumerate(noise)), encoding="utf-8")
        result = run("load", *(["--skip-validation"] if streamed else []), str(big))
        assert result.exit_code == 3, result.output[-500:]
        assert f"Error: writing to the store {store} failed: " in result.stderr
        assert "No space left on device" in result.stderr
        assert run("query", "alliance-members", "-p", "alliance=casip", "--format", "csv").stdout == before
        assert "big" not in run("graphs", "--format", "csv").stdout
    finally:
        subprocess.run(["umount", str(disk)], check=False, capture_output=True)
