"""Kept answers (src/ssbkg/stores/kept) answer alliance-members, corroboration and weakly-sourced
exactly as their definitions, the stored queries, do, on every store kind: on the bundled data, after
each kind of write (a claim from a new report, a dated denial, a correction, a retraction, a source's
grade changed by a load, the same graph replaced, its drop), and on a generated store of 10,000
assertions after random claims, retractions and reloads.

On the embedded store and the Oxigraph server the rows are the same terms in the same order; Virtuoso
answers the definition with its own forms of numbers and its own order within a list of names, so there
the rows are compared as the CSV shows them, lists as sets."""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from ssbkg.io.terms import plain
from ssbkg.querying import kept
from ssbkg.querying.catalogue import stored_queries
from ssbkg.querying.running import resolved
from ssbkg.stores import QueryResult, StoreConfig, open_store
from ssbkg.stores.kept import upkeep

from .. import snapshot_queries
from ..conftest import GENEROUS_HTTP

CASIP = "https://w3id.org/ssbkg/id/casip"
QUERY = stored_queries()["alliance-members"]
# Days on both sides of each date the writes below give (Nikkei 23 January, the relays in February,
# the new reports of 5 and 10 March 2024), and every level as the minimum.
PARAMS: list[dict[str, str]] = [
    {},
    {"asOf": "2024-01-24"},
    {"asOf": "2024-02-15"},
    {"asOf": "2024-03-07"},
    {"asOf": "2024-03-20", "minCertainty": "speculative"},
    {"minCertainty": "reported"},
    {"minCertainty": "confirmed"},
    {"minCertainty": "refuted", "asOf": "2024-03-10"},
]
# What each query orders by: rows tied on all of it may come in any order.
ORDER = {
    "alliance-members": ("certainty", "confidence", "sourceCount", "label"),
    "corroboration": ("independentSources", "sources", "subjectLabel", "predicate", "objectLabel"),
    "weakly-sourced": ("subjectLabel", "predicate", "objectLabel"),
}
LISTS = {"sources", "primarySources", "origins"}  # lists of names, in Virtuoso's own order


def cases(alliance: str, params: list[dict[str, str]]) -> Iterator[tuple[str, dict[str, str]]]:
    """Each kept query with these parameters: alliance-members of the alliance, corroboration of it and
    of every claim, weakly-sourced (the last two take asOf alone)."""
    for p in params:
        yield "alliance-members", {"alliance": alliance, **p}
    for day in dict.fromkeys(p.get("asOf") for p in params):
        dated = {"asOf": day} if day else {}
        yield "corroboration", {"alliance": alliance, **dated}
        yield "corroboration", dated
        yield "weakly-sourced", dated


def both(spec: str, name: str, params: dict[str, str]) -> tuple[QueryResult | None, QueryResult]:
    """The kept answer (None where it did not answer) and the definition's, on the same state."""
    query = stored_queries()[name]
    with open_store(StoreConfig(spec, http_timeout=float(GENEROUS_HTTP))) as store:
        named = resolved(store, query, params)
        return kept.answer(store, query, named), store.select(query.bind(named))


def assert_same(spec: str, name: str, params: dict[str, str]) -> int:
    fast, definition = both(spec, name, params)
    assert fast is not None, f"the kept answers were not current for {name} {params}"
    assert fast.variables == definition.variables
    if spec.endswith("/sparql"):  # Virtuoso
        assert _loose(fast) == _loose(definition), (name, params)
    else:
        assert _ordered(name, fast) == _ordered(name, definition), (name, params)
        assert sorted(map(str, fast.rows)) == sorted(map(str, definition.rows)), (name, params)
    return len(definition.rows)


def _ordered(name: str, result: QueryResult) -> list[tuple[str, ...]]:
    keep = [result.variables.index(v) for v in ORDER[name]]
    return [tuple(plain(row[i]) for i in keep) for row in result.rows]


def _loose(result: QueryResult) -> list[tuple[str, ...]]:
    def cell(variable: str, term: object) -> str:
        text = plain(term)
        if variable in LISTS:
            return "; ".join(sorted(text.split("; ")))
        if variable == "confidence":
            return re.sub(r"\.?0+$", "", text) if "." in text else text
        return text

    return sorted(tuple(cell(v, t) for v, t in zip(result.variables, row, strict=True)) for row in result.rows)


def all_same(spec: str, alliance: str = CASIP) -> list[int]:
    """The rows of alliance-members for each of PARAMS (after checking every kept query the same)."""
    counts = [assert_same(spec, name, params) for name, params in cases(alliance, PARAMS)]
    return counts[: len(PARAMS)]


def claim_from_new_report(
    run: Callable[..., Result],
    org: str,
    alliance: str,
    level: str,
    confidence: str,
    report: tuple[str, str, str],
    publisher: str = "cnevpost",
) -> Result:
    """`ssbkg claim` from a new report: (headline, date, url)."""
    headline, date, url = report
    return run(
        "claim", org, alliance, "--certainty", level, "--confidence", confidence,
        "--headline", headline, "--date", date, "--publisher", publisher, "--url", url,
    )  # fmt: skip


def test_kept_answers_follow_every_kind_of_write(run: Callable[..., Result], store_spec: str, tmp_path: Path) -> None:
    counts = all_same(store_spec)
    assert counts[0] == 14 and counts[1] == 0  # the fact sheet: 14 members, none known the day after Nikkei

    said = claim_from_new_report(
        run, "sunwoda", "casip", "reported", "0.7", ("Sunwoda joins CASIP", "2024-03-05", "https://example.org/sunwoda")
    )
    assert said.exit_code == 0, said.output
    sunwoda = said.stdout.split()[0]
    assert all_same(store_spec)[0] == 15

    denied = claim_from_new_report(
        run, "svolt", "casip", "refuted", "0.05", ("SVOLT is not in CASIP", "2024-03-10", "https://example.org/svolt")
    )
    assert denied.exit_code == 0, denied.output
    all_same(store_spec)
    fast, _ = both(store_spec, "alliance-members", {"alliance": CASIP})
    assert fast is not None and "denied" in {plain(r[4]) for r in fast.rows if plain(r[1]) == "SVOLT"}

    corrected = run(
        "claim", "sunwoda", "casip", "--certainty", "speculative", "--confidence", "0.3",
        "--source", "Sunwoda joins CASIP",
    )  # fmt: skip
    assert corrected.exit_code == 0, corrected.output
    all_same(store_spec)

    retracted = run("retract", sunwoda, "--reason", "the report was withdrawn")
    assert retracted.exit_code == 0, retracted.output
    assert all_same(store_spec)[0] == 14

    # A publisher graded anew: electrive "A" moves the grade of every member it names, through its report.
    graded = tmp_path / "graded.ttl"
    graded.write_text(
        '<https://w3id.org/ssbkg/id/electrive> <https://w3id.org/ssbkg/ontology#reliability> "A" .\n', encoding="utf-8"
    )
    loaded = run("load", "--skip-validation", str(graded))
    assert loaded.exit_code == 0, loaded.output
    all_same(store_spec)
    assert grades(store_spec) == {"A"}
    # The same file again, graded "C": the graph is replaced, and "B" (its own) is the best again.
    graded.write_text(graded.read_text(encoding="utf-8").replace('"A"', '"C"'), encoding="utf-8")
    reloaded = run("load", "--skip-validation", str(graded))
    assert reloaded.exit_code == 0, reloaded.output
    all_same(store_spec)
    assert grades(store_spec) == {"B"}
    dropped = run("drop", "https://w3id.org/ssbkg/graph/user/graded")
    assert dropped.exit_code == 0, dropped.output
    all_same(store_spec)
    assert grades(store_spec) == {"B"}


def grades(spec: str) -> set[str]:
    """The grades of the members electrive names, in the kept answers."""
    fast, _ = both(spec, "alliance-members", {"alliance": CASIP})
    assert fast is not None
    at = fast.variables.index("reliability"), fast.variables.index("sources")
    return {plain(row[at[0]]) for row in fast.rows if "electrive" in plain(row[at[1]])}


def test_kept_answers_on_a_generated_store_after_random_writes(
    run: Callable[..., Result], store_spec: str, tmp_path: Path
) -> None:
    """10,000 generated assertions in three files; then claims (new members, corrections, denials),
    retractions and a file dropped and loaded again, chosen at random with a fixed seed."""
    whole = snapshot_queries.generated_file(tmp_path).read_text(encoding="utf-8").splitlines(keepends=True)
    parts = [tmp_path / f"part-{i}.nt" for i in range(3)]
    for i, part in enumerate(parts):
        part.write_text("".join(whole[i::3]), encoding="utf-8")
    loaded = run("load", "--skip-validation", *map(str, parts))
    assert loaded.exit_code == 0, loaded.output
    alliance = "https://w3id.org/ssbkg/id/gen-alliance-1"
    rnd = random.Random(38)
    written: list[str] = []
    for step in range(6):
        org = f"gen-org-{rnd.randrange(500)}"
        level = rnd.choice(["reported", "speculative", "refuted"])
        confidence = {"reported": "0.7", "speculative": "0.2", "refuted": "0.05"}[level]
        report = (f"Random report {step}", f"2023-0{1 + step}-15", f"https://example.org/random/{step}")
        said = claim_from_new_report(run, org, "gen-alliance-1", level, confidence, report, publisher="gen-pub-3")
        assert said.exit_code == 0, said.output
        written.append(said.stdout.split()[0])
    retracted = run("retract", rnd.choice(written), "--reason", "a random retraction")
    assert retracted.exit_code == 0, retracted.output
    graph = "https://w3id.org/ssbkg/graph/user/part-1"
    dropped = run("drop", "--force", graph)
    assert dropped.exit_code == 0, dropped.output
    again = run("load", "--skip-validation", "--graph", graph, str(parts[1]))
    assert again.exit_code == 0, again.output
    for name, params in cases(alliance, [{}, {"asOf": "2023-03-01", "minCertainty": "speculative"}]):
        assert assert_same(store_spec, name, params) > 400


def test_a_stale_pointer_is_not_read(store_spec: str, run: Callable[..., Result]) -> None:
    """Kept answers whose basis is not the store's state (a pointer move that lost a race, a store of an
    earlier release) are never read: the definition answers, and the next write derives them anew."""
    with open_store(store_spec, write=True) as store:
        held = upkeep.pointer(store.backend)
        assert held is not None
        store.backend.meta_update(
            f"DELETE WHERE {{ GRAPH <{upkeep.POINTER}> {{ <{upkeep.POINTER}> <{upkeep.A}basis> ?b }} }} ; "
            f'INSERT DATA {{ GRAPH <{upkeep.POINTER}> {{ <{upkeep.POINTER}> <{upkeep.A}basis> "stale" }} }}'
        )
    fast, definition = both(store_spec, "alliance-members", {"alliance": CASIP})
    assert fast is None and len(definition.rows) == 14
    assert both(store_spec, "weakly-sourced", {})[0] is None
    answered = run("query", "alliance-members", "-p", "alliance=casip", "--format", "csv")
    assert answered.exit_code == 0 and answered.stdout.count("\n") == 15
    said = run("claim", "sunwoda", "casip", "--certainty", "speculative", "--confidence", "0.2",
               "--source", "note-casip-fact-sheet-2026-11-25")  # fmt: skip
    assert said.exit_code == 0, said.output
    assert all_same(store_spec)[0] == 15


def test_a_query_of_the_users_by_the_same_name_is_answered_by_its_own_text(store_spec: str) -> None:
    """--queries may hold an alliance-members of the user's: the kept answers are the bundled query's."""
    own = dataclasses.replace(QUERY, text=QUERY.text.replace("ORDER BY DESC(?best)", "ORDER BY ?best"))
    with open_store(store_spec) as store:
        given = resolved(store, own, {"alliance": "casip"})
        assert kept.answer(store, QUERY, given) is not None
        assert kept.answer(store, own, given) is None


def test_answer_slots_are_merged_and_stay_equal(
    store_spec: str, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond MAX_SLOTS answer slots, the ones written since the records were derived anew are merged
    into the next; a membership emptied since (its only claim retracted) stays empty."""
    monkeypatch.setattr(upkeep, "MAX_SLOTS", 3)
    written = []
    for i, org in enumerate(["sunwoda", "farasis", "ganfeng", "panasonic", "sk-on"]):
        report = (f"Guess {i}", f"2024-04-0{1 + i}", f"https://example.org/guess/{i}")
        said = claim_from_new_report(run, org, "casip", "speculative", "0.2", report)
        assert said.exit_code == 0, said.output
        written.append(said.stdout.split()[0])
        if i == 1:
            retracted = run("retract", written[0], "--reason", "a guess taken back")
            assert retracted.exit_code == 0, retracted.output
    with open_store(StoreConfig(store_spec, http_timeout=float(GENEROUS_HTTP))) as store:
        held = upkeep.pointer(store.backend)
        assert held is not None and len(held.slots) <= 3
    counts = all_same(store_spec)
    assert counts[0] == 14 + 4  # four guesses stand, the first was retracted


def test_what_only_the_definitions_answer_is_left_to_them(
    store_spec: str, run: Callable[..., Result], tmp_path: Path
) -> None:
    """A claim whose source is a blank node (the gate refuses it; --skip-validation lets it in) cannot be
    kept by name: the write succeeds, the definitions answer, and once it is dropped the kept answers do."""
    odd = tmp_path / "odd.ttl"
    odd.write_text(
        "@prefix ssb: <https://w3id.org/ssbkg/ontology#> .\n"
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "<https://example.org/odd-claim> a ssb:Assertion ; rdf:subject <https://w3id.org/ssbkg/id/sunwoda> ;\n"
        "  rdf:predicate <http://www.w3.org/ns/org#memberOf> ; rdf:object <https://w3id.org/ssbkg/id/casip> ;\n"
        "  ssb:certainty ssb:Reported ;\n"
        '  <http://www.w3.org/ns/prov#wasDerivedFrom> [ <http://www.w3.org/2000/01/rdf-schema#label> "a page"@en ] .\n',
        encoding="utf-8",
    )
    loaded = run("load", "--skip-validation", str(odd))
    assert loaded.exit_code == 0, loaded.output
    for name, params in cases(CASIP, [{}]):
        fast, definition = both(store_spec, name, params)
        assert fast is None, name
        assert "a page" in "".join(plain(t) for row in definition.rows for t in row), name
    shown = run("query", "alliance-members", "-p", "alliance=casip", "--format", "csv")
    assert shown.exit_code == 0 and "Sunwoda" in shown.stdout and shown.stdout.count("\n") == 16
    dropped = run("drop", "https://w3id.org/ssbkg/graph/user/odd")
    assert dropped.exit_code == 0, dropped.output
    assert all_same(store_spec)[0] == 14
