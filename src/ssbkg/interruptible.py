"""Engine work that Ctrl-C and a time limit can always stop.

pyoxigraph evaluates a query in Rust and looks at no signal until it returns, so a long query run in the
main thread ignores Ctrl-C to its end. Run in a daemon thread instead, it leaves the main thread waiting on
a join, which a signal interrupts (POSIX lock waits are interruptible). A thread left behind ends with the
process; it only reads, so nothing is lost."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Overtime(Exception):
    """The work was still running when its time limit passed."""


def call(work: Callable[[], T], *, timeout: float | None = None) -> T:
    """The value of `work()`, computed in a thread; KeyboardInterrupt reaches the caller at once, and
    Overtime when `timeout` seconds pass first. An error raised by `work` is raised here as it was."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as e:  # noqa: BLE001 (re-raised in the caller's thread)
            outcome["error"] = e

    worker = threading.Thread(target=run, name="ssbkg-engine", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise Overtime
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value
