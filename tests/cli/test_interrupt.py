"""Ctrl-C stops any command that runs queries, at once, with exit 130, with or without a time limit.

Nothing here waits a chosen time: a query is interrupted once it is known to be running (the terminal
shows it, or the server has received it), and it would otherwise run for hours or until released."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ..faultproxy import FaultProxy, Rule
from ..terminal import read_terminal

# Four copies of every triple of the seeded store joined with each other: about 10^13 rows.
ENDLESS = "WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ENDLESS_FORMS = {
    "select": f"SELECT (COUNT(*) AS ?n) {ENDLESS}",
    "construct": f"CONSTRUCT {{ ?a ?b ?c }} {ENDLESS}",
    "ask": "ASK { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l "
    "FILTER(STRLEN(CONCAT(STR(?a), STR(?d), STR(?g), STR(?j))) < 0) }",
}
GENEROUS = 120  # seconds a stopped process may take to exit on a busy machine; a hung one takes forever


def _interruptible_child() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a shell may have started the tests with Ctrl-C ignored


def _wait_for_exit(process: subprocess.Popen[bytes]) -> int:
    try:
        return process.wait(GENEROUS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"still running {GENEROUS} s after Ctrl-C")


def interrupt_once_running(args: list[str]) -> tuple[int, str]:
    """Run `ssbkg ARGS` with stderr on a pseudo-terminal, press Ctrl-C once it shows a query running."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "ssbkg", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
        preexec_fn=_interruptible_child,
    )
    os.close(slave)
    try:
        seen = read_terminal(master, until=b"running", wait=GENEROUS)
        assert b"running" in seen, seen.decode("utf-8", "replace")
        process.send_signal(signal.SIGINT)
        code = _wait_for_exit(process)
        seen += read_terminal(master, until=None, wait=0)  # what it said on its way out
        return code, seen.decode("utf-8", "replace")
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)


@pytest.mark.parametrize("form", sorted(ENDLESS_FORMS))
@pytest.mark.parametrize("timeout", ["0", "36000"])
def test_ctrl_c_stops_a_query_on_the_embedded_store(store_path: Path, form: str, timeout: str) -> None:
    code, seen = interrupt_once_running(
        ["--store", str(store_path), "query", ENDLESS_FORMS[form], "--timeout", timeout]
    )
    assert code == 130, seen
    assert "interrupted" in seen and "Traceback" not in seen


COMMANDS = {
    "find": ["find", "catl"],
    "explain": ["explain", "catl", "casip"],
    "infer": ["infer"],
    "report": ["report", "casip", "-o", "{tmp}/report.html"],
    "query": ["query", "alliance-members", "-p", "alliance=casip", "--timeout", "0"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_ctrl_c_stops_every_command_that_reads_a_server(command: str, proxy: FaultProxy, tmp_path: Path) -> None:
    arrived, release = threading.Event(), threading.Event()

    def hold(_: object) -> None:
        arrived.set()
        release.wait(GENEROUS * 2)

    # The first query that reaches the server after the command has started is held unanswered.
    proxy.rules.append(Rule(lambda s: s.path.startswith("/query") and not arrived.is_set(), before_forward=hold))
    args = [a.replace("{tmp}", str(tmp_path)) for a in COMMANDS[command]]
    process = subprocess.Popen(
        [sys.executable, "-m", "ssbkg", "--store", proxy.url(), "--http-timeout", "36000", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_interruptible_child,
    )
    try:
        while not arrived.wait(0.2) and process.poll() is None:
            pass  # until the query is held, or the command has ended without sending one
        assert arrived.is_set(), process.communicate()[1].decode()
        process.send_signal(signal.SIGINT)
        code = _wait_for_exit(process)
        assert process.stderr is not None
        err = process.stderr.read().decode()
        assert code == 130, err
        assert "interrupted" in err and "Traceback" not in err
    finally:
        release.set()
        if process.poll() is None:
            process.kill()
