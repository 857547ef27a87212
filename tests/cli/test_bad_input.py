"""Hostile and broken input: every file of the corpus (tests/bad, plus a few generated here because they
are big or binary) gets its exit code, a message naming the file (and the line and column where the
parser gives one), and leaves the store exactly as it was, on every store kind."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ..conftest import PREFIXES, dump_store
from ..corpus import BAD, CORPUS


@pytest.fixture(scope="module")
def store_spec(read_only_store_spec: str) -> str:
    return read_only_store_spec  # the corpus test checks that nothing was written


def test_the_corpus_is_complete() -> None:
    kept = {f.name for f in BAD.iterdir()} | {"binary.ttl", "huge.nt"}
    assert set(CORPUS) | {"bom.ttl", "foreign.nt", "deep.ttl"} >= kept


def test_the_corpus_exits_1_or_2_with_the_words_on_the_right_stream(
    corpus: Path, run: Callable[..., Result], store_spec: str
) -> None:
    # The words themselves are tested through the library (tests/unit/test_loading.py); here, that the
    # command line turns each refusal into its exit code and prints it once, with no traceback.
    before = dump_store(store_spec)
    for name, (code, words) in sorted(CORPUS.items()):
        path = corpus / name
        result = run("load", str(path))
        assert result.exit_code == code, (name, result.output)
        pattern = re.escape(words.replace("{file}", str(path))).replace("L:C", r"\d+:\d+")
        said = result.stderr if code == 2 else result.stdout
        assert re.search(pattern, said), (name, result.output)
        assert "Traceback" not in result.output and "--graph" not in result.output  # nobody gave --graph
    assert dump_store(store_spec) == before


@pytest.mark.parametrize("command", ["load", "validate"])
def test_a_folder_given_as_a_file_is_named_as_a_folder(run_embedded, tmp_path: Path, command: str) -> None:
    result = run_embedded(command, str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path} is a folder, not a file" in result.output
    assert f"name its files, for example {tmp_path}/*.ttl" in result.output


CLAIM = ["claim", "sunwoda", "casip", "--certainty", "reported", "--source", "report-electrive-2024-02-13"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--wait", "nan", "graphs"], "Invalid value for '--wait': 'nan' is not a number of seconds"),
        (["--http-timeout", "nan", "graphs"], "Invalid value for '--http-timeout': 'nan' is not a number"),
        (["--http-timeout", "inf", "graphs"], "Invalid value for '--http-timeout': 'inf' is not a number"),
        (["query", "reports", "--timeout", "nan"], "Invalid value for '--timeout': 'nan' is not a number"),
        ([*CLAIM, "--confidence", "NaN"], "--confidence: 'NaN' is not a number"),
        ([*CLAIM, "--confidence", "Infinity"], "--confidence: 'Infinity' is not a number"),
        ([*CLAIM, "--quote", "six", "--quote-lang", "not a tag"], "--quote-lang: 'not a tag' is not a language tag"),
        ([*CLAIM, "--quote", "six \udcff\udcfe"], "--quote: the value 'six \ufffd\ufffd' is not UTF-8"),
        ([*CLAIM, "--agent", "\udcff"], "--agent: the value '\ufffd' is not UTF-8"),
        (["retract", "assertion-nio-member-casip-creative-marketing", "--reason=bad \udcff"], "--reason: the value"),
        (["load", "caf\udce9.ttl"], "the argument 'caf\ufffd.ttl' is not UTF-8"),
        (
            ["query", "top-ranked-members", "-p", "ranking=ranking-sne-2023-full-year", "-p", f"topN={2**63}"],
            "parameter topN: '9223372036854775808' is not a valid integer (larger than the stores compare",
        ),
    ],
)
def test_bad_values_exit_2_naming_the_option_and_write_nothing(
    run_embedded, store_path: Path, args: list[str], words: str
) -> None:
    before = dump_store(store_path)
    result = run_embedded(*args)
    assert result.exit_code == 2, result.output
    assert words in result.stderr and "internal error" not in result.stderr
    assert dump_store(store_path) == before


def test_a_gated_load_from_a_named_pipe_reads_it_once_and_keeps_line_numbers(run_embedded, tmp_path: Path) -> None:
    import os
    import threading

    pipe = tmp_path / "pipe.ttl"
    os.mkfifo(pipe)
    body = PREFIXES + "\nssbid:assertion-piped a ssb:Assertion ;\n    ssb:confidence 0.3 .\n"
    writer = threading.Thread(target=lambda: pipe.write_text(body, encoding="utf-8"), daemon=True)
    writer.start()
    outcome: list = []
    loader = threading.Thread(target=lambda: outcome.append(run_embedded("load", str(pipe))), daemon=True)
    loader.start()
    loader.join(timeout=300)
    assert not loader.is_alive(), "the load still waits on the pipe (the gate opened it again)"
    (result,) = outcome
    assert result.exit_code == 1, result.output
    line = PREFIXES.count("\n") + 2
    assert f"ssbid:assertion-piped  ({pipe}, line {line})" in result.stdout


def test_a_store_that_holds_a_triple_term_keeps_working(run_embedded, store_path: Path, write_ttl) -> None:
    import pyoxigraph as ox

    from ssbkg.stores import StoreConfig, open_store

    about = write_ttl("about.ttl", 'ssbid:catl rdfs:comment "a plain remark"@en .\n')
    assert run_embedded("load", str(about)).exit_code == 0
    with open_store(StoreConfig(str(store_path)), write=False) as store:
        (slot,) = next(g for g in store.published() if g.graph.endswith("/user/about")).slots
    # Another tool writes a triple term about CATL into the store (ssbkg's load would refuse it).
    raw = ox.Store(str(store_path))
    catl = ox.NamedNode("https://w3id.org/ssbkg/id/catl")
    term = ox.Triple(
        catl, ox.NamedNode("http://www.w3.org/ns/org#memberOf"), ox.NamedNode("https://w3id.org/ssbkg/id/casip")
    )
    raw.add(ox.Quad(catl, ox.NamedNode("http://example.org/says"), term, ox.NamedNode(slot)))
    raw.flush()
    del raw
    claim = run_embedded("claim", "catl", "casip", "--certainty", "reported", "--source", "report-cnevpost-2024-02-07")
    assert claim.exit_code == 0, claim.output
    assert run_embedded("query", "organization-profile", "-p", "organization=catl").exit_code == 0
    jsonld = run_embedded("export", "--format", "jsonld")
    assert jsonld.exit_code == 2 and "triple terms, which jsonld cannot write" in jsonld.stderr
    trig = run_embedded("export", "--format", "trig")
    assert trig.exit_code == 0 and "<<" in trig.stdout
