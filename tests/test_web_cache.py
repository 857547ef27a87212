"""The site's kept answers (web/cache.py): the same store state gives the kept answer without work;
a write gives a new state and the work is done again; dropping what it wrote gives the first state back."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ssbkg.cli import cli
from ssbkg.running import query
from ssbkg.stores import QueryResult, Store, open_store
from ssbkg.web.cache import Answers, state

CLAIM = ("claim", "sunwoda", "casip", "--certainty", "reported", "--source", "report-electrive-2024-02-13")


def _members(store: Store) -> set[str]:
    result = query(store, "alliance-members", {"alliance": "casip"})
    assert isinstance(result, QueryResult)
    return {str(row[0]) for row in result.rows}


def _invoke(store_path: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["--store", str(store_path), *args])
    assert result.exit_code == 0, result.output


def test_an_answer_is_kept_until_a_write_changes_the_store(store_path: Path) -> None:
    answers, done = Answers(), []

    def work(store: Store) -> set[str]:
        done.append(1)
        return _members(store)

    def ask() -> set[str]:
        with open_store(str(store_path)) as store:
            return answers.get(store, ("members", "casip"), work)

    first = ask()
    assert ask() == first and len(done) == 1  # the same state: kept
    _invoke(store_path, *CLAIM)
    second = ask()
    assert len(done) == 2 and second - first == {"<https://w3id.org/ssbkg/id/sunwoda>"}
    with open_store(str(store_path)) as store:
        user_graphs = [g.graph for g in store.published() if g.kind == "user"]
    _invoke(store_path, "drop", user_graphs[0])
    # Dropped: the versions published are those of the first answer again, and so is the answer.
    assert ask() == first and len(done) == 2


def test_the_state_names_each_published_version(store_path: Path) -> None:
    with open_store(str(store_path)) as store:
        before = state(store)
        assert {g for g, _, _ in before} == {g.graph for g in store.published()}
    _invoke(store_path, *CLAIM)
    with open_store(str(store_path)) as store:
        assert state(store) != before


def test_only_the_latest_answers_are_kept(store_path: Path) -> None:
    answers = Answers(size=2)
    with open_store(str(store_path)) as store:
        for key in ("a", "b", "c"):
            answers.get(store, key, lambda s: "first")
        answers.get(store, "a", lambda s: "again")
    assert answers.misses == 4 and answers.hits == 0  # "a" fell out when "c" came
