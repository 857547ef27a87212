"""The command line: output, exit codes, clear errors, and nothing written when anything is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ssbkg import resources
from ssbkg.cli import cli

from ..conftest import dump_store

VALID = """
ssbid:assertion-sunwoda-member-casip-test a ssb:Assertion ;
    rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainty ssb:Speculative ; ssb:confidence 0.3 ;
    prov:wasDerivedFrom ssbid:note-casip-fact-sheet-2026-11-25 .
"""


def test_every_command_has_help_with_an_example() -> None:
    from click import Context

    ctx = Context(cli)
    names = cli.list_commands(ctx)
    assert {"query", "claim", "report", "graph"} <= set(names)  # the lazily loaded ones are listed too
    for name in names:
        command = cli.get_command(ctx, name)
        assert command is not None, name
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, name
        assert command.help


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "ssbkg" in result.output


def test_load_then_query_sees_it_and_graphs_lists_it(run: Callable[..., Result], write_ttl) -> None:
    path = write_ttl("new-claims.ttl", VALID)
    loaded = run("load", str(path))
    assert loaded.exit_code == 0, loaded.output
    assert "graph/user/new-claims" in loaded.stderr
    result = run("query", "alliance-members", "-p", "alliance=casip")
    members = result.stdout
    assert "https://w3id.org/ssbkg/id/sunwoda,Sunwoda,speculative,0.3" in members, (result.output, result.exception)
    graphs = run("graphs", "--format", "csv").stdout
    assert "https://w3id.org/ssbkg/graph/user/new-claims,user,7," in graphs
    assert graphs.count(",bundled,") == 9  # the ontology, the shapes and seven data files


def test_reload_replaces_the_graph_and_drop_retires_it(run: Callable[..., Result], write_ttl) -> None:
    path = write_ttl("mine.ttl", VALID)
    assert run("load", str(path)).exit_code == 0
    path.write_text(path.read_text().replace("0.3", "0.4"), encoding="utf-8")
    assert run("load", str(path)).exit_code == 0
    members = run("query", "alliance-members", "-p", "alliance=casip").stdout
    assert "Sunwoda,speculative,0.4" in members and "0.3" not in members
    dropped = run("drop", "mine")
    assert dropped.exit_code == 0, dropped.output
    assert "Sunwoda" not in run("query", "alliance-members", "-p", "alliance=casip").stdout
    assert run("drop", "mine").exit_code == 2
    refused = run("drop", "https://w3id.org/ssbkg/graph/bundled/data/assertions")
    assert refused.exit_code == 2 and "init --force" in refused.stderr


def test_validate_exit_codes(run: Callable[..., Result], write_ttl) -> None:
    good = run("validate", str(write_ttl("good.ttl", VALID)))
    assert good.exit_code == 0 and "Conforms" in good.stdout
    bad = run("validate", str(write_ttl("bad.ttl", VALID.replace("0.3", "0.9"))))
    assert bad.exit_code == 1
    assert "ssbsh:ConfidenceWithinLevelShape" in bad.stdout and "bad.ttl, line 12" in bad.stdout
    assert bad.stderr.startswith("Error: ")


def test_validate_json_and_turtle_reports(run: Callable[..., Result], write_ttl) -> None:
    import json

    import rdflib

    path = str(write_ttl("bad.ttl", VALID.replace("0.3", "0.9")))
    report = json.loads(run("validate", path, "--format", "json").stdout)
    assert report["conforms"] is False
    assert report["results"][0]["rule"] == "ssbsh:ConfidenceWithinLevelShape"
    graph = rdflib.Graph().parse(data=run("validate", path, "--format", "turtle").stdout, format="turtle")
    assert (None, rdflib.URIRef("http://www.w3.org/ns/shacl#conforms"), rdflib.Literal(False)) in graph


def test_failed_load_leaves_the_store_exactly_as_it_was(run: Callable[..., Result], store_spec: str, write_ttl) -> None:
    before = dump_store(store_spec)
    nonconformant = write_ttl("bad.ttl", VALID.replace("ssbid:sunwoda", "ssbid:nobody"))
    result = run("load", str(nonconformant))
    assert result.exit_code == 1
    assert "ssbsh:MembershipAssertionShape" in result.stdout and "nothing was written" in result.stderr
    malformed = write_ttl("broken.ttl", VALID + "\nssbid:x ssbid:y .\n")
    result = run("load", str(write_ttl("ok.ttl", VALID)), str(malformed))
    assert result.exit_code == 2
    assert "broken.ttl:" in result.stderr and "Traceback" not in result.output
    assert dump_store(store_spec) == before


def test_malformed_rdf_names_file_line_and_column(run: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "syntax.ttl"
    path.write_text("@prefix a: <http://a/> .\na:x b:y a:z .\n", encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"Error: {path}:2:5: The prefix b: has not been declared"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["query", "no-such-query"], "stored queries: alliance-members"),
        (["query", "alliance-members"], "needs parameter alliance"),
        (["query", "alliance-members", "-p", "alliance=casip", "-p", "colour=red"], "its parameters are: alliance"),
        (["query", "alliance-members", "-p", "alliance=casip", "-p", "minCertainty=likely"], "choose one of"),
        (["query", "alliance-members", "-p", "alliance"], "NAME=VALUE"),
        (["query", "top-ranked-members", "-p", "ranking=ranking-sne-2023-full-year", "-p", "topN=ten"], "whole number"),
        (["load", "missing.ttl"], "cannot read missing.ttl"),
        (["load", "-"], "needs --syntax"),
        (["load", "data.csv"], "cannot tell the RDF syntax"),
        (["query", "../../etc/passwd"], "no stored query"),
        (["query", "find", "-p", "text="], "parameter text of find is empty"),
        (["query", "corroboration", "-p", "alliance= "], "give a value (-p alliance=VALUE), or leave it out"),
        (["load", "/"], "/ is a folder, not a file"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(run: Callable[..., Result], args: list[str], words: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and words in result.stderr
    assert "Traceback" not in result.output


def test_user_query_file_and_service_refused(run: Callable[..., Result], tmp_path: Path) -> None:
    q = tmp_path / "count.rq"
    q.write_text(
        "PREFIX ssb: <https://w3id.org/ssbkg/ontology#>\nSELECT (COUNT(*) AS ?n) WHERE { ?a a ssb:Assertion }\n",
        encoding="utf-8",
    )
    assert run("query", str(q), "--format", "csv").stdout.splitlines()[1].isdigit()
    evil = tmp_path / "evil.rq"
    evil.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }\n", encoding="utf-8")
    result = run("query", str(evil))
    assert result.exit_code == 2 and "SERVICE is refused in query files" in result.stderr


def test_construct_prints_rdf(run: Callable[..., Result], tmp_path: Path) -> None:
    q = tmp_path / "c.rq"
    q.write_text(
        "PREFIX ssbid: <https://w3id.org/ssbkg/id/>\nCONSTRUCT { ssbid:casip ?p ?o } WHERE { ssbid:casip ?p ?o }\n",
        encoding="utf-8",
    )
    out = run("query", str(q), "--format", "nt").stdout
    assert '<https://w3id.org/ssbkg/id/casip> <https://schema.org/foundingDate> "2024-01-21"' in out


@pytest.mark.parametrize("fmt", ["json", "jsonl", "tsv", "md", "table"])
def test_output_formats(run: Callable[..., Result], fmt: str) -> None:
    result = run("query", "alliance-members", "-p", "alliance=casip", "--format", fmt)
    assert result.exit_code == 0
    assert "CATL" in result.stdout and "SVOLT" in result.stdout


def test_export_round_trips_into_a_new_store(run: Callable[..., Result], tmp_path: Path, write_ttl) -> None:
    assert run("load", str(write_ttl("mine.ttl", VALID))).exit_code == 0
    everything = tmp_path / "all.trig"
    assert run("export", "-o", str(everything)).exit_code == 0
    assert "<https://w3id.org/ssbkg/graph/bundled/data/assertions>" in everything.read_text(encoding="utf-8")
    out = tmp_path / "mine.trig"
    assert run("export", "--graph", "mine", "-o", str(out)).exit_code == 0
    other = str(tmp_path / "other")
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", other, "init"]).exit_code == 0
    assert runner.invoke(cli, ["--store", other, "load", "--skip-validation", str(out)]).exit_code == 0
    a = run("query", "alliance-members", "-p", "alliance=casip").stdout
    b = runner.invoke(cli, ["--store", other, "query", "alliance-members", "-p", "alliance=casip"]).stdout
    assert a == b and "Sunwoda" in b
    only = run("export", "--graph", "mine", "--format", "nt").stdout
    assert len(only.splitlines()) == 7
    # the whole export names <.../user/mine>, which another file (mine.trig) now holds there
    held = runner.invoke(cli, ["--store", other, "load", str(everything)])
    assert held.exit_code == 2 and "--replace" in held.stderr, held.output
    assert runner.invoke(cli, ["--store", other, "load", "--replace", str(everything)]).exit_code == 0
    # a bundled graph that differs from the store's own is refused
    tampered = tmp_path / "tampered.trig"
    tampered.write_text(everything.read_text(encoding="utf-8").replace('"CATL"@en', '"CATL Ltd"@en'), encoding="utf-8")
    third = str(tmp_path / "third")
    assert runner.invoke(cli, ["--store", third, "init"]).exit_code == 0
    refused = runner.invoke(cli, ["--store", third, "load", "--skip-validation", str(tampered)])
    assert refused.exit_code == 2 and "differs from this store's" in refused.stderr, refused.output


def test_the_bundled_data_passes_its_own_gate() -> None:
    files = sorted(str(p) for p in resources.data_dir().glob("*.ttl"))
    result = CliRunner().invoke(cli, ["--store", "memory:", "validate", *files])
    assert result.exit_code == 0 and "Conforms" in result.stdout, result.output


def test_memory_store_is_seeded() -> None:
    result = CliRunner().invoke(cli, ["--store", "memory:", "query", "alliance-members", "-p", "alliance=casip"])
    assert result.exit_code == 0 and "CATL" in result.stdout


def test_a_writer_makes_others_wait_then_exit_3_naming_it(
    store_path: Path, run_embedded: Callable[..., Result]
) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from ssbkg.stores.lock import StoreLock\n"
            "with StoreLock(Path(sys.argv[1]), exclusive=True, wait=1):\n"
            "    print('held', flush=True); sys.stdin.readline()",  # held until the test lets go
            str(store_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        start = time.monotonic()
        result = CliRunner().invoke(cli, ["--store", str(store_path), "--wait", "0.5", "graphs"])
        assert result.exit_code == 3
        assert time.monotonic() - start >= 0.5  # it waited as long as it was told (a busy machine only adds)
        assert f"process {holder.pid}" in result.stderr and "--wait" in result.stderr
    finally:
        holder.kill()
        holder.wait()
    assert run_embedded("graphs").exit_code == 0


def test_no_traceback_for_internal_errors_without_debug(monkeypatch: pytest.MonkeyPatch, run) -> None:
    from ssbkg.querying import running

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(running, "run", boom)
    result = run("query", "alliance-members")
    assert result.exit_code == 4
    assert "internal error" in result.stderr and "--debug" in result.stderr and "Traceback" not in result.output


def test_python_dash_m_and_the_query_path_imports_neither_rdflib_nor_pyshacl(store_path: Path) -> None:
    code = (
        "import sys; from ssbkg.cli import main; sys.argv=['ssbkg','--store',sys.argv[1],'query',"
        "'alliance-members','-p','alliance=casip','--format','csv']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "bad = [m for m in ('rdflib', 'pyshacl', 'SPARQLWrapper', 'rich') if m in sys.modules]\n"
        "print('LOADED', bad, file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(store_path)], capture_output=True, text=True, env={**os.environ}, check=False
    )
    assert "CATL" in result.stdout
    assert "LOADED []" in result.stderr
    module = subprocess.run(
        [sys.executable, "-m", "ssbkg", "--store", str(store_path), "queries", "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert module.returncode == 0 and "alliance-members" in module.stdout


def test_warnings_print_but_block_only_with_strict(run: Callable[..., Result], write_ttl) -> None:
    path = write_ttl("warn.ttl", VALID.replace("ssb:confidence 0.3 ;", ""))
    strict = run("load", "--strict", str(path))
    assert strict.exit_code == 1 and "ssbsh:ConfidenceRecommendedShape" in strict.stdout
    loaded = run("load", str(path))
    assert loaded.exit_code == 0
    assert "Conforms, with 1 warning on 1 node" in loaded.stderr and "[warning]" in loaded.stderr
    assert run("validate", str(path)).exit_code == 0
    assert run("validate", "--strict", str(path)).exit_code == 1


def test_every_batch_records_who_wrote_it_and_export_shows_it(
    run: Callable[..., Result], write_ttl, tmp_path: Path
) -> None:
    import rdflib

    assert run("load", "--agent", "mailto:analyst@example.org", str(write_ttl("who.ttl", VALID))).exit_code == 0
    graphs = run("graphs", "--format", "csv").stdout
    assert "/graph/user/who,user,7," in graphs and ",mailto:analyst@example.org," in graphs
    out = tmp_path / "all.trig"
    assert run("export", "-o", str(out)).exit_code == 0
    dataset = rdflib.Dataset()
    dataset.parse(out, format="trig")
    prov = dataset.graph(rdflib.URIRef("https://w3id.org/ssbkg/graph/provenance"))
    who = rdflib.URIRef("https://w3id.org/ssbkg/graph/user/who")
    assert prov.value(who, rdflib.URIRef("http://www.w3.org/ns/prov#wasAttributedTo")) == rdflib.URIRef(
        "mailto:analyst@example.org"
    )
    assert prov.value(who, rdflib.URIRef("http://www.w3.org/ns/prov#generatedAtTime")) is not None
    # the provenance graph of an export is not data: loading the export skips it
    user_only = tmp_path / "user.trig"
    assert run("export", "--graph", "who", "-o", str(user_only)).exit_code == 0
    assert "graph/provenance" in user_only.read_text(encoding="utf-8")
    assert CliRunner().invoke(cli, ["--store", str(tmp_path / "other"), "init"]).exit_code == 0
    other = CliRunner().invoke(cli, ["--store", str(tmp_path / "other"), "load", str(user_only)])
    assert other.exit_code == 0, other.output
    assert "graph/provenance" not in CliRunner().invoke(cli, ["--store", str(tmp_path / "other"), "graphs"]).stdout


def test_agent_defaults_to_the_environment(
    run: Callable[..., Result], write_ttl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSBKG_AGENT", "Jane Analyst")
    assert run("load", str(write_ttl("env.ttl", VALID))).exit_code == 0
    assert ",Jane Analyst," in run("graphs", "--format", "csv").stdout


def test_a_claim_already_recorded_from_the_same_source_is_reported_not_written_twice(
    run: Callable[..., Result], write_ttl
) -> None:
    repeat = write_ttl(
        "repeat.ttl",
        """
ssbid:assertion-catl-again a ssb:Assertion ;
    rdf:subject ssbid:catl ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainty ssb:Reported ; ssb:confidence 0.8 ;
    prov:wasDerivedFrom ssbid:report-electrive-2024-02-13 ; prov:hadPrimarySource ssbid:report-nikkei-asia-2024-02 .
"""
        + VALID
        + VALID.replace("assertion-sunwoda-member-casip-test", "assertion-sunwoda-twice"),
    )
    before = run("query", "alliance-members", "-p", "alliance=casip").stdout
    result = run("load", str(repeat))
    assert result.exit_code == 0, result.output
    assert (
        "Skipped ssbid:assertion-catl-again: the same claim from the same source is already recorded as "
        "ssbid:assertion-catl-member-casip-electrive"
    ) in result.stderr
    assert "Skipped ssbid:assertion-sunwoda-twice" in result.stderr
    after = run("query", "alliance-members", "-p", "alliance=casip").stdout
    assert "\n".join(line for line in after.splitlines() if "/sunwoda," not in line) + "\n" == before
    assert run("load", str(repeat)).exit_code == 0  # reloading the same file is not a duplicate of itself


def test_retract_takes_a_claim_out_of_view_and_keeps_it(run: Callable[..., Result], store_spec: str) -> None:
    from ..conftest import dump_store

    retracted = run(
        "retract",
        "assertion-svolt-member-casip-creative-marketing",
        "--agent",
        "Jane",
        "--reason",
        "an aggregator that misread Nikkei",
    )
    assert retracted.exit_code == 0, retracted.output
    members = {
        line.split(",")[1]: line
        for line in run("query", "alliance-members", "-p", "alliance=casip").stdout.splitlines()
    }
    assert ",disputed,1,electrive," in members["SVOLT"]
    claims = run("query", "claims-by-source", "-p", "report=report-creative-marketing-2024-02").stdout
    assert "assertion-svolt-member-casip-creative-marketing" not in claims and "assertion-byd-member" in claims
    kept = [q for q in dump_store(store_spec) if "assertion-svolt-member-casip-creative-marketing" in q]
    assert any("wasInvalidatedBy" in q for q in kept) and any("rdf-syntax-ns#subject" in q for q in kept)
    again = run("retract", "assertion-svolt-member-casip-creative-marketing", "--reason", "twice")
    assert again.exit_code == 5 and "already retracted" in again.stderr and "misread Nikkei" in again.stderr
    assert again.stderr.startswith("Nothing written:")
    missing = run("retract", "assertion-that-does-not-exist", "--reason", "x")
    assert missing.exit_code == 2 and "no assertion is named" in missing.stderr
    assert "graph/user/retractions,user," in run("graphs", "--format", "csv").stdout


def test_a_runaway_query_is_stopped_with_exit_3_naming_it(store_path: Path, tmp_path: Path) -> None:
    # A new process: the engine cannot be interrupted, so the abandoned query must die with its process.
    # Embedded only: a server would go on computing the product after the client left.
    runaway = tmp_path / "runaway.rq"
    runaway.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n", encoding="utf-8")
    done = subprocess.run(  # the product runs for days: that it ends at all is the proof (generous on a busy machine)
        [sys.executable, "-m", "ssbkg", "--store", str(store_path), "query", str(runaway), "--timeout", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 3, done.stderr
    assert f"the query {runaway} was stopped after running 1 s" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_query_timeout_has_a_default_and_an_environment_variable() -> None:
    option = next(p for p in cli.commands["query"].params if p.name == "timeout")
    assert option.default == 300.0 and option.envvar == "SSBKG_TIMEOUT"


def test_query_takes_its_text_inline_or_on_stdin(run: Callable[..., Result]) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/ssbkg/ontology#Assertion> }"
    assert run("query", count, "--format", "csv").stdout == "n\n97\n"  # the bundled assertions
    ask = "PREFIX ssb: <https://w3id.org/ssbkg/ontology#> ASK { ssb:x a ssb:Assertion }"
    assert run("query", "-", input=ask).stdout == "false\n"  # prologue and form on one line
    remote = run("query", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert remote.exit_code == 2 and "SERVICE is refused in query files" in remote.stderr


def test_shell_completion_as_the_readme_gives_it() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "_SSBKG_COMPLETE": "bash_source"}
    script = subprocess.run([sys.executable, "-m", "ssbkg"], env=env, capture_output=True, text=True, timeout=120)
    assert script.returncode == 0 and "complete -o nosort -F _ssbkg_completion ssbkg" in script.stdout
    env = {**os.environ, "_SSBKG_COMPLETE": "bash_complete", "COMP_WORDS": "ssbkg que", "COMP_CWORD": "1"}
    words = subprocess.run([sys.executable, "-m", "ssbkg"], env=env, capture_output=True, text=True, timeout=120)
    assert "plain,queries" in words.stdout and "plain,query" in words.stdout


def test_sparql_xml_results_and_rdf_xml_export(run: Callable[..., Result]) -> None:
    import xml.etree.ElementTree as ET

    import rdflib

    out = run("query", "alliance-members", "-p", "alliance=casip", "--format", "xml").stdout
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(out.encode("utf-8"))
    first = root.find("s:results/s:result", ns)
    assert first is not None
    member = first.find("s:binding[@name='member']/s:uri", ns)
    count = first.find("s:binding[@name='sourceCount']/s:literal", ns)
    assert member is not None and member.text == "https://w3id.org/ssbkg/id/catl"
    assert count is not None and count.text == "9" and count.get("datatype", "").endswith("#integer")
    graph = "https://w3id.org/ssbkg/graph/bundled/data/casip"
    rdfxml = run("export", "--graph", graph, "--format", "rdfxml").stdout
    nt = run("export", "--graph", graph, "--format", "nt").stdout
    assert rdflib.Graph().parse(data=rdfxml, format="xml").isomorphic(rdflib.Graph().parse(data=nt, format="nt"))


def test_a_folder_of_ones_own_queries_is_listed_and_run(
    run: Callable[..., Result], tmp_path: Path, monkeypatch
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "claims-about.rq").write_text(
        "#+ summary: How many claims are about an organization\n"
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
        "SELECT (COUNT(*) AS ?claims) WHERE { ?a rdf:subject ?_organization_iri }\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SSBKG_QUERIES", str(mine))
    listed = run("queries", "--format", "csv", "--columns", "name,from").stdout.splitlines()
    assert f"claims-about,{mine}" in listed and "alliance-members,bundled" in listed
    # CATL: eight membership claims (section 8 of the fact sheet added three) and nothing else about it.
    assert run("query", "claims-about", "-p", "organization=CATL", "--format", "csv").stdout == "claims\n9\n"
    monkeypatch.setenv("SSBKG_QUERIES", str(tmp_path / "none"))
    assert run("queries").exit_code == 2


def test_load_format_json_says_what_was_loaded(run: Callable[..., Result], write_ttl) -> None:
    import json

    result = run("load", str(write_ttl("mine.ttl", VALID)), "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    (item,) = summary["loaded"]
    assert item["graph"] == "https://w3id.org/ssbkg/graph/user/mine" and item["triples"] == item["stored"] > 0
    assert summary["skipped"] == []


def test_a_load_at_a_terminal_says_what_it_is_doing_and_a_pipe_hears_nothing(
    store_path: Path, tmp_path: Path, write_ttl
) -> None:
    from ..terminal import at_a_terminal

    data = write_ttl("mine.ttl", VALID)
    code, _, text = at_a_terminal("--store", str(store_path), "load", str(data))
    assert code == 0
    assert "reading " in text and "validating " in text and "writing " in text and "Loaded " in text
    piped = CliRunner().invoke(
        cli, ["--store", str(store_path), "load", "--graph", "https://example.org/g2", str(data)]
    )
    assert piped.exit_code == 0 and "validating" not in piped.output


def test_a_quick_query_at_a_terminal_writes_nothing_beside_its_answer(store_path: Path) -> None:
    from ..terminal import at_a_terminal

    code, out, seen = at_a_terminal("--store", str(store_path), "query", "reports", "--format", "csv")
    assert code == 0 and out.startswith(b"report,")
    # Unless it runs past a second: then a line says so, and is cleared (tests/test_faults.py).
    assert seen == "" or "running reports" in seen


@pytest.mark.parametrize(
    ("args", "option", "words"),
    [
        (["changes", "--since", "yesterday"], "--since", "'yesterday' is not a day: a day is written YYYY-MM-DD"),
        (["changes", "--between", "2024-02-01", "2024-02-30"], "--between", "'2024-02-30' is no day of the calendar"),
        (["report", "casip", "--as-of", "2024-2-3"], "--as-of", "'2024-2-3' is not a day"),
        (["graph", "casip", "--as-of", "13/02/2024", "-o", "x.svg"], "--as-of", "'13/02/2024' is not a day"),
    ],
)
def test_a_day_option_names_the_option_and_the_form_of_a_day(
    run_embedded: Callable[..., Result], args: list[str], option: str, words: str
) -> None:
    result = run_embedded(*args)
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.output
    assert words in result.output and "%Y" not in result.output


def test_an_empty_table_says_it_has_no_rows(run_embedded: Callable[..., Result]) -> None:
    result = run_embedded("changes", "--since", "2999-01-01", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "(no rows)" in result.output.splitlines()


def test_a_busy_store_names_the_command_that_holds_it(store_path: Path, run_embedded: Callable[..., Result]) -> None:
    # The library writes what it is told holds the lock; the CLI tells it the command (not sys.argv).
    from ssbkg.stores import StoreConfig, open_store

    with open_store(StoreConfig(str(store_path), holder="ssbkg load"), write=True):
        result = run_embedded("--wait", "0", "graphs")
    assert result.exit_code == 3
    assert f"process {os.getpid()} (ssbkg load) is writing it" in result.stderr


def test_the_cli_says_which_command_holds_the_store(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ssbkg.stores

    seen = []
    real = ssbkg.stores.open_store

    def recording(config: Any, **kwargs: Any) -> Any:
        seen.append(config.holder)
        return real(config, **kwargs)

    monkeypatch.setattr(ssbkg.stores, "open_store", recording)
    result = CliRunner().invoke(cli, ["--store", str(store_path), "drop", "https://example.org/none"])
    assert seen == ["ssbkg drop"], result.output
