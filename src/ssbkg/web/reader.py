"""One open store, shared by the requests in flight, closed when the last one ends.

The embedded store lets no process read while another writes, and a process holds it while it is
open: so the site opens it when a request comes and closes it when no request is left, and a writer
(`ssbkg claim` in another terminal) gets it in between; the next page shows what it wrote. A request
that finds a writer there waits `--wait` seconds, then answers that the store is busy (503). A
`memory:` store lives as long as the site (a new one would be a new store each time).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TypeVar

from ssbkg.stores import Store, StoreConfig, open_store

T = TypeVar("T")


class Reader:
    def __init__(self, config: StoreConfig) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._users = 0
        self._opened: AbstractContextManager[Store] | None = None
        self._store: Store | None = None
        if config.spec == "memory:":
            self._users = 1  # never closed: it would be lost
            self._enter()

    def _enter(self) -> Store:
        opened = open_store(self._config, write=False)
        self._store = opened.__enter__()
        self._opened = opened
        return self._store

    @contextmanager
    def store(self) -> Iterator[Store]:
        with self._lock:
            store = self._store if self._users else self._enter()
            assert store is not None
            self._users += 1
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

    def run(self, work: Callable[[Store], T]) -> T:
        """`work` on the open store (the site runs it in a thread with a time limit)."""
        with self.store() as store:
            return work(store)
