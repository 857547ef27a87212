"""The site's shared reader (web/reader.py) on a real embedded store: requests that overlap without a
gap still let a writer in, and a store opened after the write shows it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from click.testing import CliRunner

from ssbkg.cli import cli
from ssbkg.stores import StoreConfig
from ssbkg.web.cache import state
from ssbkg.web.reader import Reader


def test_a_writer_gets_in_between_readers_that_always_overlap(store_path: Path) -> None:
    reader = Reader(StoreConfig(str(store_path), wait=120), max_age=1.0)
    with reader.store() as store:
        before = state(store)
    stop, seen, entered = threading.Event(), [], threading.Semaphore(0)

    def read() -> None:
        while not stop.is_set():
            with reader.store() as store:
                entered.release()
                seen.append(state(store))
                time.sleep(0.2)  # holding the read: three of these, started apart, leave one reading nearly always

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
        entered.acquire()  # each starts once the one before it is reading: they overlap
        time.sleep(0.07)
    try:
        claim = ["claim", "sunwoda", "casip", "--certainty", "reported", "--source", "report-electrive-2024-02-13"]
        result = CliRunner().invoke(cli, ["--store", str(store_path), "--wait", "30", *claim])
        assert result.exit_code == 0, result.output  # without the reader's turns: "busy" after 30 s
        written, deadline = len(seen), time.monotonic() + 300
        while len(seen) < written + 3 and time.monotonic() < deadline:  # the readers go on after the write
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in readers:
            thread.join(timeout=120)
    assert seen[0] == before and seen[-1] != before
