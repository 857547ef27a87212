"""One open store, shared by the requests in flight, closed when the last one ends.

The embedded store lets no process read while another writes, and a process holds it while it is
open: so the site opens it when a request comes and closes it when no request is left, and a writer
(`ssbkg claim` in another terminal) gets it in between; the next page shows what it wrote. A request
that finds a writer there waits `--wait` seconds, then answers that the store is busy (503). A
`memory:` store lives as long as the site (a new one would be a new store each time).

Requests that overlap without end would keep one store open for ever: showing the state it was
opened in, and keeping a writer out. So a store is handed out for `max_age` seconds; then new
requests wait for those in flight to end, the store closes, and it is opened again only after a
pause that a writer waiting for the lock (it looks every 50 ms) sees.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TypeVar

from ssbkg.stores import Store, StoreConfig, is_remote, open_store
from ssbkg.stores.lock import POLL_SECONDS

T = TypeVar("T")


class Reader:
    def __init__(self, config: StoreConfig, *, max_age: float = 1.0) -> None:
        self._config = config
        self._max_age = max_age
        self._lock = threading.Condition()
        self._users = 0
        self._opened: AbstractContextManager[Store] | None = None
        self._store: Store | None = None
        self._opened_at = 0.0
        self._draining = False  # aged: no new request gets this store
        self._reopen_at = 0.0  # after an aged close, not before this (a writer's turn)
        self._pinned = config.spec == "memory:"
        # Only an on-disk store has a lock for a writer to wait on.
        self._pause = 0.0 if is_remote(config.spec) else 2 * POLL_SECONDS
        if self._pinned:
            self._users = 1  # never closed: it would be lost
            self._enter()

    def _enter(self) -> Store:
        opened = open_store(self._config, write=False)
        self._store = opened.__enter__()
        self._opened, self._opened_at = opened, time.monotonic()
        return self._store

    @contextmanager
    def store(self) -> Iterator[Store]:
        with self._lock:
            while self._draining:
                self._lock.wait()
            if not self._users:
                time.sleep(max(0.0, self._reopen_at - time.monotonic()))  # the others wait with this one
                self._enter()
            store = self._store
            assert store is not None
            self._users += 1
            self._draining = not self._pinned and time.monotonic() - self._opened_at > self._max_age
        try:
            yield store
        finally:
            self._release()

    def _release(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._opened is not None:
                opened, self._opened, self._store = self._opened, None, None
                opened.__exit__(None, None, None)
                if self._draining:
                    self._reopen_at = time.monotonic() + self._pause
                    self._draining = False
                    self._lock.notify_all()

    def run(self, work: Callable[[Store], T]) -> T:
        """`work` on the open store (the site runs it in a thread with a time limit)."""
        with self.store() as store:
            return work(store)
