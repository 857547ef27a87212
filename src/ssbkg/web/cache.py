"""What a page gathered, kept until the store changes.

Every write to a store publishes a new version of a graph (and retiring one removes it from the
registry), so the list of published versions names the state of the store: a page gathered from the
same state with the same address is the same page. The state is read once per request (one small
registry query); the alliance page's seven queries, the rules and Graphviz run once per state.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from ssbkg.stores import Store

T = TypeVar("T")


def state(store: Store) -> tuple[tuple[str, str, int], ...]:
    """The store as it is now: each published graph's version (read anew, not as the store last saw it)."""
    store.refresh()
    return tuple(sorted((g.graph, g.version, g.triples) for g in store.published()))


class Answers:
    """The latest `size` answers by (state, key); a new state leaves the old answers to fall out.

    A request that finds the same answer being worked out waits for it instead of doing the work
    again: reloads of a slow page past its time limit would otherwise pile up engine work."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._running: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = self.waits = 0

    def get(self, now: Hashable, key: Hashable, work: Callable[[], T]) -> T:
        """What `work()` gave for `key` on the store in the state `now` (see `state`), or gives now."""
        full = (now, key)
        while True:
            with self._lock:
                if full in self._kept:
                    self._kept.move_to_end(full)
                    self.hits += 1
                    return self._kept[full]  # type: ignore[no-any-return]  # stored by this key as a T
                running = self._running.get(full)
                if running is None:
                    self._running[full] = threading.Event()
                    break
                self.waits += 1
            running.wait()  # then it is kept, or it failed (an error is never kept) and this one tries
        try:
            answer = work()
            with self._lock:
                self.misses += 1
                self._kept[full] = answer
                while len(self._kept) > self._size:
                    self._kept.popitem(last=False)
            return answer
        finally:
            with self._lock:
                self._running.pop(full).set()
