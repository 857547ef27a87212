"""The site's kept answers (web/cache.py): the same store state gives the kept answer without work;
a write gives a new state and the work is done again; dropping what it wrote gives the first state back."""

from __future__ import annotations

import threading

import ssbkg
from ssbkg.querying.running import query
from ssbkg.stores import QueryResult, Store
from ssbkg.web.cache import Answers, state
from ssbkg.writing.graphs import drop

CLAIM = ssbkg.Claim("sunwoda", "casip", "reported", source="report-electrive-2024-02-13")


def _members(store: Store) -> set[str]:
    result = query(store, "alliance-members", {"alliance": "casip"})
    assert isinstance(result, QueryResult)
    return {str(row[0]) for row in result.rows}


def test_an_answer_is_kept_until_a_write_changes_the_store(db: Store) -> None:
    answers, done = Answers(), []

    def work() -> set[str]:
        done.append(1)
        return _members(db)

    def ask() -> set[str]:
        return answers.get(state(db), ("members", "casip"), work)

    first = ask()
    assert ask() == first and len(done) == 1  # the same state: kept
    ssbkg.record(db, [CLAIM])
    second = ask()
    assert len(done) == 2 and second - first == {"<https://w3id.org/ssbkg/id/sunwoda>"}
    (user_graph,) = [g.graph for g in db.published() if g.kind == "user"]
    drop(db, user_graph)
    # Dropped: the versions published are those of the first answer again, and so is the answer.
    assert ask() == first and len(done) == 2


def test_the_state_names_each_published_version(db: Store) -> None:
    before = state(db)
    assert {g for g, _, _ in before} == {g.graph for g in db.published()}
    ssbkg.record(db, [CLAIM])
    assert state(db) != before


def test_only_the_latest_answers_are_kept(db: Store) -> None:
    answers = Answers(size=2)
    for key in ("a", "b", "c"):
        answers.get(state(db), key, lambda: "first")
    answers.get(state(db), "a", lambda: "again")
    assert answers.misses == 4 and answers.hits == 0  # "a" fell out when "c" came


def test_a_request_for_an_answer_being_made_waits_for_it(db: Store) -> None:
    """Two requests for the same page: one does the work, the other waits and gets its answer. If the
    work fails, the waiting request does it again (an error is never kept)."""
    answers, started, release, done = Answers(), threading.Event(), threading.Event(), []

    def work() -> set[str]:
        done.append(1)
        started.set()
        release.wait(120)
        if len(done) == 1 and fail:
            raise RuntimeError("the first try failed")
        return _members(db)

    def ask(into: list[object]) -> None:
        try:
            into.append(answers.get(state(db), ("members", "casip"), work))
        except RuntimeError as e:
            into.append(e)

    for fail in (False, True):
        answers, done, got_first, got_second = Answers(), [], [], []
        started.clear(), release.clear()
        first = threading.Thread(target=ask, args=(got_first,))
        first.start()
        assert started.wait(120)
        second = threading.Thread(target=ask, args=(got_second,))
        second.start()
        for _ in range(1200):  # until the second request is seen waiting (it cannot get further)
            if answers.waits:
                break
            second.join(0.1)
        assert answers.waits == 1 and len(done) == 1
        release.set()
        first.join(120), second.join(120)
        if fail:  # the first request saw its own error; the second did the work again, and it is kept
            assert isinstance(got_first[0], RuntimeError) and len(done) == 2 and answers.misses == 1
            assert got_second[0] == _members(db)
        else:
            assert got_first == got_second == [_members(db)] and len(done) == 1
            assert answers.misses == 1 and answers.hits == 1


def test_work_past_the_time_limit_is_stopped_and_not_kept(db: Store) -> None:
    """In memory (no child process to kill) the thread is left to end, but what it makes is not kept:
    the next request works again, within its own limit."""
    from ssbkg.stores import StoreConfig
    from ssbkg.web.app import Overtime, Site

    site, release, done = Site(StoreConfig(spec="memory:"), timeout=0.5), threading.Event(), []

    def slow(store: Store) -> int:
        done.append(1)
        assert release.wait(120)
        return len(done)

    try:
        site.answer(("members", "casip"), slow, (), "the members of CASIP")
    except Overtime as e:
        assert e.message == "the members of CASIP took more than 0.5 s and was stopped"
        assert "raise ssbkg serve --timeout" in (e.hint or "")
    else:
        raise AssertionError("no Overtime")
    release.set()
    site.timeout = 120.0  # the second request must not depend on how busy the machine is
    assert site.answer(("members", "casip"), slow, (), "the members of CASIP") == 2
    assert site.answer(("members", "casip"), slow, (), "the members of CASIP") == 2  # now kept
