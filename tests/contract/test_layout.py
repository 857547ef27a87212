"""The store layout of issue 12 on every kind of store: answers as before, writers that never lose
each other, appends that cost what they add, history that survives prune, no debris, and a store of
0.2.0 that opens with everything it held."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from ssbkg.cli import cli
from ssbkg.stores import StoreConfig, open_store

from .. import snapshot_queries
from ..conftest import rows

SNAPSHOTS = Path(__file__).parents[1] / "snapshots"
SOURCE = "report-electrive-2024-02-13"
# Ten organizations of the bundled data that electrive does not name as CASIP members.
ORGS = [
    "sunwoda",
    "farasis",
    "welion",
    "qingtao",
    "ganfeng",
    "lg-energy-solution",
    "panasonic",
    "sk-on",
    "samsung-sdi",
    "cicc-capital",
]


def snapshot() -> dict[str, dict[str, list[list[str]]]]:
    return json.loads((SNAPSHOTS / "queries.json").read_text(encoding="utf-8"))


def test_bundled_answers_are_those_of_0_2_0(store_spec: str) -> None:
    expected = snapshot()["bundled"]
    assert snapshot_queries.answers(store_spec, snapshot_queries.BUNDLED) == expected


def test_generated_answers_are_those_of_0_2_0(store_spec: str, tmp_path: Path) -> None:
    """10,000 generated assertions, loaded as 3 files, answer as they did loaded as 1 file in 0.2.0."""
    whole = snapshot_queries.generated_file(tmp_path).read_text(encoding="utf-8").splitlines(keepends=True)
    parts = [tmp_path / f"part-{i}.nt" for i in range(3)]
    for i, part in enumerate(parts):
        part.write_text("".join(whole[i::3]), encoding="utf-8")
    loaded = CliRunner().invoke(cli, ["--store", store_spec, "load", "--skip-validation", *map(str, parts)])
    assert loaded.exit_code == 0, loaded.output
    got = snapshot_queries.answers(store_spec, snapshot_queries.GENERATED_QUERIES)
    assert got == snapshot()["generated"]


def _concurrently(commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    processes = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    out = []
    for c, p in zip(commands, processes, strict=True):
        stdout, stderr = p.communicate(timeout=600)
        out.append(subprocess.CompletedProcess(c, p.returncode, stdout, stderr))
    return out


def test_concurrent_claims_and_retractions_all_land(store_spec: str) -> None:
    base = [sys.executable, "-m", "ssbkg", "--store", store_spec, "--wait", "300", "--http-timeout", "120"]
    orgs = ORGS[:6]  # six writers at once on two cores: every one of them races others
    claimed = _concurrently(
        [
            [*base, "claim", org, "casip", "--certainty", "speculative", "--confidence", "0.1", "--source", SOURCE]
            for org in orgs
        ]
    )
    for result in claimed:
        assert result.returncode == 0, result.stderr
    found = rows(
        CliRunner().invoke(
            cli, ["--store", store_spec, "query", "claims-by-source", "--format", "csv", "-p", f"report={SOURCE}"]
        )
    )
    subjects = {r["subject"].rsplit("/", 1)[-1] for r in found if r["certainty"] == "speculative"}
    assert set(orgs) <= subjects, set(orgs) - subjects

    assertions = [f"assertion-{org}-memberof-casip-electrive-2024-02-13" for org in orgs[:3]]
    retracted = _concurrently([[*base, "retract", a, "--reason", f"test {a}"] for a in assertions])
    for result in retracted:
        assert result.returncode == 0, result.stderr
    changes = rows(
        CliRunner().invoke(cli, ["--store", store_spec, "changes", "--since", "2020-01-01", "--format", "csv"])
    )
    gone = {c["assertion"].rsplit("/", 1)[-1] for c in changes if c["change"] == "retracted"}
    assert set(assertions) <= gone, set(assertions) - gone
    added = {c["assertion"].rsplit("/", 1)[-1] for c in changes if c["change"] == "added"}
    assert {f"assertion-{org}-memberof-casip-electrive-2024-02-13" for org in orgs} <= added


def _all_triples(spec: str) -> int:
    """Every triple the store holds: content, registry and history."""
    if spec.startswith("http"):
        from ssbkg.stores.remote import open_remote

        result = open_remote(spec).backend.content_select(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            'FILTER (STRSTARTS(STR(?g), "https://w3id.org/ssbkg/")) }',
            None,
        )
        return int(result.rows[0][0].value)  # type: ignore[union-attr]
    total = 0
    for part in (Path(spec), Path(spec) / "ssbkg-history"):
        store = ox.Store.read_only(str(part))
        total += len(store)
        del store
    return total


def test_an_appended_claim_costs_what_it_adds(run: Callable[..., Result], store_spec: str) -> None:
    def claim(org: str) -> int:
        before = _all_triples(store_spec)
        result = run("claim", org, "casip", "--certainty", "speculative", "--confidence", "0.1", "--source", SOURCE)
        assert result.exit_code == 0, result.output
        return _all_triples(store_spec) - before

    first = claim(ORGS[0])
    for org in ORGS[1:6]:
        claim(org)
    last = claim(ORGS[6])
    # The seventh claim costs what the first did, plus one registry triple for each earlier claim's slot
    # (at most MAX_SLOTS, then merged): nothing is copied.
    assert 0 < last <= first + 6, (first, last)
    assert last < 40


def test_changes_are_the_same_after_prune(run: Callable[..., Result], write_ttl) -> None:
    path = write_ttl(
        "p.ttl",
        f"ssbid:assertion-p a ssb:Assertion ; rdf:subject ssbid:welion ; rdf:predicate org:memberOf ; "
        f"rdf:object ssbid:casip ; ssb:certainty ssb:Speculative ; ssb:confidence 0.1 ; "
        f"prov:wasDerivedFrom ssbid:{SOURCE} .\n",
    )
    assert run("load", str(path)).exit_code == 0
    path.write_text(path.read_text().replace("0.1 ;", "0.2 ;"), encoding="utf-8")
    assert run("load", str(path)).exit_code == 0
    assert (
        run(
            "claim", "farasis", "casip", "--certainty", "speculative", "--confidence", "0.1", "--source", SOURCE
        ).exit_code
        == 0
    )
    assert run("retract", "assertion-p", "--reason", "a test").exit_code == 0
    before = rows(run("changes", "--since", "2020-01-01", "--format", "csv"))
    assert [c["change"] for c in before if c["assertion"].endswith("assertion-p")] == ["added", "changed", "retracted"]
    pruned = run("prune")
    assert pruned.exit_code == 0, pruned.output
    assert rows(run("changes", "--since", "2020-01-01", "--format", "csv")) == before


def test_a_graph_replaced_leaves_no_copy_behind(run: Callable[..., Result], store_spec: str, write_ttl) -> None:
    from ..conftest import dump_store

    path = write_ttl("p.ttl", f'ssbid:org-p a ssb:Company ; rdfs:label "P"@en ; dct:source ssbid:{SOURCE} .\n')
    assert run("load", str(path)).exit_code == 0
    path.write_text(path.read_text().replace('"P"@en', '"P2"@en'), encoding="utf-8")
    assert run("load", str(path)).exit_code == 0
    if not store_spec.startswith("http"):  # a server keeps a retired graph a while for readers in flight
        assert not [q for q in dump_store(store_spec) if '"P"@en' in q]
    assert "P2" in run("query", "organization-profile", "-p", "organization=org-p").stdout
    assert '"P"@en' not in run("export", "--format", "nq").stdout


def test_a_dead_write_is_swept_before_anyone_reads(store_path: Path) -> None:
    """What a killed write left (a slot nobody published, and the mark) is gone at the next open."""
    with open_store(StoreConfig(str(store_path)), write=True) as store:
        store.backend.begin(["x"], [])
        store.backend.write_slot(
            "https://w3id.org/ssbkg/graph/version/20200101T000000-dead",
            [
                ox.Triple(
                    ox.NamedNode("https://w3id.org/ssbkg/id/welion"),
                    ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                    ox.Literal("debris"),
                )
            ],
        )
    assert (store_path / "ssbkg.dirty").exists()
    (store_path / "bulk-leftover.sst").write_bytes(b"x")
    result = CliRunner().invoke(cli, ["--store", str(store_path), "find", "debris", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "debris" not in result.stdout
    assert not (store_path / "ssbkg.dirty").exists() and not (store_path / "bulk-leftover.sst").exists()


def test_a_store_of_0_2_0_opens_with_everything_it_held(tmp_path: Path) -> None:
    with tarfile.open(SNAPSHOTS / "store-0.2.0.tar.gz") as tar:
        tar.extractall(tmp_path, filter="data")
    store = str(tmp_path / "store")
    runner = CliRunner()
    changes = runner.invoke(cli, ["--store", store, "changes", "--since", "2020-01-01", "--format", "csv"])
    assert changes.exit_code == 0, changes.output
    assert changes.stdout == (SNAPSHOTS / "store-0.2.0-changes.csv").read_text(encoding="utf-8")
    graphs = runner.invoke(cli, ["--store", store, "graphs", "--format", "csv"])
    expected = (SNAPSHOTS / "store-0.2.0-graphs.csv").read_text(encoding="utf-8")

    def table(text: str) -> list[list[str]]:
        return [row[:6] for row in csv.reader(io.StringIO(text))]

    assert table(graphs.stdout) == table(expected)
    exported = runner.invoke(cli, ["--store", store, "export", "--format", "nq", "--no-provenance"])
    content = sorted(re.sub(r"_:\w+", "_:", line) for line in exported.stdout.splitlines() if line)
    assert content == (SNAPSHOTS / "store-0.2.0-content.nq").read_text(encoding="utf-8").splitlines()
    # The retired versions and the registry left the content: what queries read is the current graphs.
    raw = ox.Store.read_only(store)
    assert len(list(raw.named_graphs())) == len(table(expected)) - 1
    del raw
    # And it goes on: a claim lands and shows among the changes.
    claimed = runner.invoke(
        cli,
        [
            "--store",
            store,
            "claim",
            "farasis",
            "casip",
            "--certainty",
            "speculative",
            "--confidence",
            "0.1",
            "--source",
            SOURCE,
        ],
    )
    assert claimed.exit_code == 0, claimed.output
    after = runner.invoke(cli, ["--store", store, "changes", "--since", "2020-01-01", "--format", "csv"]).stdout
    assert after.startswith(changes.stdout.rstrip("\n").split("\n")[0]) and "assertion-farasis" in after


def test_a_migration_killed_part_way_is_done_again(tmp_path: Path) -> None:
    with tarfile.open(SNAPSHOTS / "store-0.2.0.tar.gz") as tar:
        tar.extractall(tmp_path, filter="data")
    store = tmp_path / "store"
    (store / "ssbkg-history").mkdir()  # as a migration killed before it finished leaves it
    (store / "ssbkg-history" / "junk").write_text("half", encoding="utf-8")
    changes = CliRunner().invoke(cli, ["--store", str(store), "changes", "--since", "2020-01-01", "--format", "csv"])
    assert changes.stdout == (SNAPSHOTS / "store-0.2.0-changes.csv").read_text(encoding="utf-8")
    shutil.rmtree(store)


@pytest.mark.parametrize("files", [1, 8])
def test_answers_do_not_depend_on_how_many_files_were_loaded(tmp_path: Path, files: int) -> None:
    whole = snapshot_queries.generated_file(tmp_path).read_text(encoding="utf-8").splitlines(keepends=True)
    parts = [tmp_path / f"part-{i}.nt" for i in range(files)]
    for i, part in enumerate(parts):
        part.write_text("".join(whole[i::files]), encoding="utf-8")
    store = str(tmp_path / "store")
    assert CliRunner().invoke(cli, ["--store", store, "init"]).exit_code == 0
    loaded = CliRunner().invoke(cli, ["--store", store, "load", "--skip-validation", *map(str, parts)])
    assert loaded.exit_code == 0, loaded.output
    got = snapshot_queries.answers(store, snapshot_queries.GENERATED_QUERIES[:2])
    assert got == {k: snapshot()["generated"][k] for k in got}
    assert list(got) == [  # the two queries asked, each with its answer, so the check above is not empty
        "alliance-members alliance=https://w3id.org/ssbkg/id/gen-alliance-1",
        "corroboration alliance=https://w3id.org/ssbkg/id/gen-alliance-2",
    ]
