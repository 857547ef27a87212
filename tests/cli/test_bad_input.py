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


@pytest.fixture(scope="module")
def store_spec(read_only_store_spec: str) -> str:
    return read_only_store_spec  # the one test on every store kind checks that nothing was written


BAD = Path(__file__).parents[1] / "bad"

# file: (exit code, words the message must contain; "{file}:L:C" asks for a position)
CORPUS: dict[str, tuple[int, str]] = {
    "truncated.ttl": (2, "{file}:L:C: Unexpected end"),
    "truncated.trig": (2, "{file}:L:C: Unexpected end"),
    "truncated.jsonld": (2, "{file}:L:C:"),
    "truncated.rdf": (2, "{file}: contains no triples"),
    "bad-value.jsonld": (2, "{file}: @type value must be a string"),
    "undeclared-prefix.ttl": (2, "{file}:L:C: The prefix ssbid: has not been declared"),
    "iri-with-space.ttl": (2, "{file}:L:C: Invalid IRI code point ' '"),
    "open-string.ttl": (2, "{file}:L:C: Unexpected end of file"),
    "empty-language.ttl": (2, "{file}:L:C: A language code"),
    "latin1.ttl": (2, "{file}:L:C: Invalid UTF-8"),
    "empty.ttl": (2, "{file}: contains no triples"),
    "binary.ttl": (2, "{file}:L:C:"),
    "huge.nt": (2, "{file}: a single term is larger than the parser allows"),
    "blank-graph.trig": (2, "{file}:4: a graph named by a blank node"),
    "blank-graph-brackets.trig": (2, "{file}:3: a graph named by a blank node"),
    "blank-graph.nq": (2, "{file}:2: a graph named by a blank node"),
    "blank-graph.jsonld": (2, "{file}: a graph named by a blank node"),
    "bad-datatype.ttl": (1, '"high" is not a valid xsd:decimal'),
    "impossible-date.ttl": (1, '"2024-13-45" is not a valid xsd:date'),
    "typo-term.ttl": (1, "ssb:memberOff is not a term of the ssbkg ontology; did you mean org:memberOf?"),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/bad, plus the files too big or too binary to keep in the repository."""
    folder = tmp_path_factory.mktemp("bad")
    for f in BAD.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "binary.ttl").write_bytes(bytes(range(256)) * 8)
    literal = "a" * 17_000_000  # over the parser's 16 MB token buffer
    (folder / "huge.nt").write_text(
        f'<https://w3id.org/ssbkg/id/x> <http://www.w3.org/2000/01/rdf-schema#comment> "{literal}" .\n'
    )
    return folder


def test_the_corpus_is_complete() -> None:
    kept = {f.name for f in BAD.iterdir()} | {"binary.ttl", "huge.nt"}
    assert set(CORPUS) | {"bom.ttl", "foreign.nt", "deep.ttl"} >= kept


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_input_is_refused_clearly_and_writes_nothing(
    name: str, corpus: Path, run: Callable[..., Result], store_spec: str
) -> None:
    code, words = CORPUS[name]
    path = corpus / name
    before = dump_store(store_spec)
    result = run("load", str(path))
    assert result.exit_code == code, result.output
    pattern = re.escape(words.replace("{file}", str(path))).replace("L:C", r"\d+:\d+")
    assert re.search(pattern, result.output), result.output
    assert "Traceback" not in result.output and "--graph" not in result.output  # nobody gave --graph
    assert dump_store(store_spec) == before


@pytest.mark.parametrize("name", sorted(n for n, (code, _) in CORPUS.items() if code == 2 and n != "truncated.rdf"))
def test_broken_syntax_is_refused_when_streamed_too(name: str, corpus: Path, run_embedded, store_path: Path) -> None:
    before = dump_store(store_path)
    result = run_embedded("load", "--skip-validation", str(corpus / name))
    assert result.exit_code == 2, result.output
    assert str(corpus / name) in result.output
    assert dump_store(store_path) == before


def test_a_byte_order_mark_is_not_part_of_the_rdf(run_embedded, store_path: Path) -> None:
    for extra in ([], ["--skip-validation"]):
        result = run_embedded("load", *extra, str(BAD / "bom.ttl"))
        assert result.exit_code == 0, result.output


def test_valid_rdf_outside_the_vocabulary_warns_and_blocks_with_strict(run_embedded, store_path: Path) -> None:
    before = dump_store(store_path)
    strict = run_embedded("load", "--strict", str(BAD / "foreign.nt"))
    assert strict.exit_code == 1
    assert "no triple uses the ssbkg, ORG, PROV" in strict.output
    assert dump_store(store_path) == before
    lenient = run_embedded("load", str(BAD / "foreign.nt"))
    assert lenient.exit_code == 0 and "[warning] no triple uses the ssbkg" in lenient.output


def test_deeply_nested_collections_load(run_embedded, tmp_path: Path) -> None:
    deep = tmp_path / "deep.ttl"
    deep.write_text(
        "<https://w3id.org/ssbkg/id/x> <http://www.w3.org/2000/01/rdf-schema#comment> "
        + "(" * 3000
        + ")" * 3000
        + " .\n",
        encoding="utf-8",
    )
    result = run_embedded("load", str(deep))
    assert result.exit_code == 0, result.output
    # 2,999 non-empty lists of one element each (rdf:first, rdf:rest), the innermost () is rdf:nil, plus the comment.
    assert "Loaded 5999 triples" in result.output


def test_a_misspelled_iri_in_data_is_named_with_the_nearest_defined_one(run_embedded, tmp_path: Path) -> None:
    path = tmp_path / "typo.ttl"
    path.write_text(
        PREFIXES
        + """
ssbid:assertion-typo a ssb:Assertion ;
    rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; rdf:object ssbid:casipp ;
    ssb:certainty ssb:Reported ; ssb:confidence 0.8 ; prov:wasDerivedFrom ssbid:report-electrive-2024-02-13 .
""",
        encoding="utf-8",
    )
    result = run_embedded("validate", str(path))
    assert result.exit_code == 1
    assert "ssbid:casipp is not defined in the store or in this file; did you mean ssbid:casip?" in result.stdout


def test_a_report_says_each_finding_once_under_its_node(run_embedded, tmp_path: Path) -> None:
    # Three mistakes on one node: a misspelled IRI, a confidence outside its level, a property that is
    # no term (with no source, which that property was meant to give). Each is said once, the IRI's note
    # beside the rule about the property that points at it, every finding under one heading.
    path = tmp_path / "three.ttl"
    path.write_text(
        PREFIXES
        + """
ssbid:assertion-three a ssb:Assertion ;
    rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; rdf:object ssbid:casipp ;
    ssb:certainty ssb:Reported ; ssb:confidence 0.3 ; ssb:source ssbid:report-electrive-2024-02-13 .
""",
        encoding="utf-8",
    )
    result = run_embedded("validate", str(path))
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("Does not conform: 4 violations, 0 warnings on 1 node.\n")
    assert out.count("ssbid:assertion-three") == 1
    assert out.count("ssbid:casipp is not defined") == 1
    (membership,) = [line for line in out.splitlines() if "MembershipAssertionShape" in line]
    assert "did you mean ssbid:casip?" in membership
    assert "ssb:source is not a term of the ssbkg ontology; did you mean prov:wasDerivedFrom?" in out


def test_a_misspelled_certainty_is_not_taken_for_an_inference(run_embedded, tmp_path: Path) -> None:
    # ssb:Reportd is not in the scheme: that is the finding; the data never says ssb:Inferred, so the
    # report does not ask for what an inferred assertion needs.
    path = tmp_path / "certainty.ttl"
    path.write_text(
        PREFIXES
        + """
ssbid:assertion-certainty a ssb:Assertion ;
    rdf:subject ssbid:sunwoda ; rdf:predicate org:memberOf ; rdf:object ssbid:casip ;
    ssb:certainty ssb:Reportd ; ssb:confidence 0.8 ; prov:wasDerivedFrom ssbid:report-electrive-2024-02-13 .
""",
        encoding="utf-8",
    )
    result = run_embedded("validate", str(path))
    assert result.exit_code == 1
    assert "ssb:certainty = ssb:Reportd" in result.stdout
    assert "Inferred must name" not in result.stdout
    assert result.stdout.startswith("Does not conform: 1 violation, 0 warnings on 1 node.")


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


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="https://w3id.org/ssbkg/id/x"><rdfs:label>&d;</rdfs:label></rdf:Description>
</rdf:RDF>
"""
RDFXML_HEAD = (
    '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">\n'
)


@pytest.mark.parametrize("streamed", [False, True], ids=["gated", "streamed"])
@pytest.mark.parametrize(
    ("name", "body", "words"),
    [
        ("laughs.rdf", LAUGHS, "laughs.rdf:3: the file declares XML entities"),
        (
            "deep.rdf",
            RDFXML_HEAD + "<rdf:Description><ex:p>" * 6000 + "</ex:p></rdf:Description>" * 6000 + "</rdf:RDF>",
            "past the limit of 10,000 for RDF/XML",
        ),
        ("deep.jsonld", '{"@id": "http://e/s", "http://e/p": ' * 3000 + '"x"' + "}" * 3000, "1,000 for JSON-LD"),
    ],
)
def test_files_built_to_hurt_the_parser_are_refused_before_it_reads_them(
    run_embedded, store_path: Path, tmp_path: Path, name: str, body: str, words: str, streamed: bool
) -> None:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    before = dump_store(store_path)
    result = run_embedded("load", *(["--skip-validation"] if streamed else []), str(path))
    assert result.exit_code == 2, result.output[-500:]
    assert words in result.stderr
    assert dump_store(store_path) == before


def test_deep_but_bounded_nesting_still_loads(run_embedded, tmp_path: Path) -> None:
    # Under the limits: 4,000 levels of Turtle, 4,000 of RDF/XML, 500 of JSON-LD.
    files = {
        "ok.ttl": "@prefix ex: <http://e/> .\nex:s ex:p " + "[ ex:p " * 4000 + "ex:o" + " ]" * 4000 + " .\n",
        "ok-xml.rdf": RDFXML_HEAD
        + "<rdf:Description><ex:p>" * 2000
        + "</ex:p></rdf:Description>" * 2000
        + "</rdf:RDF>",
        "ok-json.jsonld": '{"@id": "http://e/s", "http://e/p": ' * 500 + '"x"' + "}" * 500,
    }
    for name, body in files.items():
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        result = run_embedded("load", "--skip-validation", str(path))
        assert result.exit_code == 0, (name, result.output[-500:])


@pytest.mark.parametrize("streamed", [False, True], ids=["gated", "streamed"])
def test_triple_terms_are_refused_at_load_naming_the_line(
    run_embedded, store_path: Path, tmp_path: Path, streamed
) -> None:
    path = tmp_path / "star.ttl"
    path.write_text(PREFIXES + "\nssbid:catl ssb:note << ssbid:catl org:memberOf ssbid:casip >> .\n", encoding="utf-8")
    before = dump_store(store_path)
    result = run_embedded("load", *(["--skip-validation"] if streamed else []), str(path))
    assert result.exit_code == 2, result.output
    where = f"{path}:{PREFIXES.count(chr(10)) + 2}" if not streamed else str(path)
    assert result.stderr.startswith(f"Error: {where}: an RDF 1.2 triple term (<< ... >>), which ssbkg does not store")
    assert dump_store(store_path) == before


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
