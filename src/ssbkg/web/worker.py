"""Engine work in child processes, each stopped at its deadline by killing it.

pyoxigraph evaluates a query in Rust and cannot be interrupted: a thread left past its time limit
keeps the engine busy and the store open (a writer waits) for as long as the query runs, which for a
hostile cross product is hours. A child process can be killed: its lock on the store goes with it,
at once. So every page and query of the site runs in a child that opens the store, works, and closes
it; at the deadline the parent kills the child and starts another when it next needs one.

Children are started with `spawn` (the server has threads; a fork would copy their locks) and
kept between requests (a start costs about half a second). A child dies with the server: it is
killed when the server stops, and ends itself within a second if the server is killed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import pickle
import queue
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from ssbkg.stores import StoreConfig

Task = Callable[..., Any]


class Overtime(Exception):
    """The work was still running at its deadline (its child was killed)."""


class _Child:
    def __init__(self, config: StoreConfig) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, config), name="ssbkg-site-worker", daemon=True)
        self.process.start()
        theirs.close()

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
            self.process.join(5)
        self.conn.close()


class Workers:
    """Up to `size` children; `run` hands a task to an idle one (or starts one) and waits for it."""

    def __init__(self, config: StoreConfig, *, size: int = 2) -> None:
        self._config = config
        self._size = size
        self._idle: queue.LifoQueue[_Child] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._started = 0
        self._closed = False
        self.killed = 0  # children killed at a deadline (the tests read it)

    def warm(self) -> None:
        """Start one child now, so that the first page does not wait for it."""
        with self._lock:
            self._started += 1
        self._idle.put(_Child(self._config))

    def run(self, task: Task, args: tuple[Any, ...], *, timeout: float | None) -> Any:
        """`task(store, *args)` in a child, on the store opened to read; its error raised here as it
        was raised there; Overtime (the child killed) when `timeout` seconds pass first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        child = self._take(deadline)
        try:
            child.conn.send((task, args))
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not child.conn.poll(left):
                raise Overtime
            ok, value = child.conn.recv()
        except BaseException:
            self._lose(child)  # past its deadline, or in a state no one can vouch for
            raise
        self._idle.put(child)
        if ok:
            return value
        raise value

    def _take(self, deadline: float | None) -> _Child:
        while True:
            try:
                child = self._idle.get_nowait()
            except queue.Empty:
                with self._lock:
                    start = self._started < self._size
                    self._started += start
                if start:
                    return _Child(self._config)
                try:  # every child is busy: wait for one, within the deadline
                    left = None if deadline is None else max(0.0, deadline - time.monotonic())
                    child = self._idle.get(timeout=left)
                except queue.Empty:
                    raise Overtime from None
            if child.process.is_alive():
                return child
            self._lose(child)  # died while idle (killed from outside): start another

    def _lose(self, child: _Child) -> None:
        if child.process.is_alive():
            self.killed += 1
        child.kill()
        with self._lock:
            self._started -= 1

    def close(self) -> None:
        """Kill every idle child (a busy one is killed by its request's deadline or with the server)."""
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return


# ------------------------------------------------------------------------------------------ the child


def _serve(conn: multiprocessing.connection.Connection, config: StoreConfig) -> None:
    """A child's life: tasks in, answers out, each task on the store opened anew (closed between tasks,
    so that a writer gets in between pages)."""
    from ssbkg.stores import open_store

    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle; it kills us
    while True:
        try:
            task, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            with open_store(config, write=False) as store:
                answer: tuple[bool, Any] = (True, task(store, *args))
        except Exception as e:  # noqa: BLE001 (sent to the parent, which raises it)
            answer = (False, e)
        try:
            conn.send(answer)
        except (pickle.PicklingError, TypeError, AttributeError) as e:
            conn.send((False, RuntimeError(f"an answer that cannot be sent: {e}")))


def _die_with_parent() -> None:
    """End this process within a second of the server's end, whatever ended it (a child busy with the
    engine would otherwise hold the store until its query ends). The engine lets other threads run."""
    import os

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="ssbkg-watch-parent", daemon=True).start()
