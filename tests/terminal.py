"""Running ssbkg as a person would at a terminal: its stderr on a pseudo-terminal, its stdout piped."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys


def at_a_terminal(*args: str, timeout: float = 120) -> tuple[int, bytes, str]:
    """Run `ssbkg ARGS` with stderr on a pseudo-terminal; its exit code, stdout, and what the terminal saw."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "ssbkg", *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave
    )
    os.close(slave)
    seen = read_terminal(master, until=None, wait=timeout)
    out, _ = process.communicate(timeout=timeout)
    os.close(master)
    return process.returncode, out, seen.decode("utf-8", "replace")


def read_terminal(master: int, *, until: bytes | None, wait: float) -> bytes:
    """What the terminal shows, until `until` appears, the child closes it, or nothing comes for `wait` s."""
    seen = b""
    while (until is None or until not in seen) and select.select([master], [], [], wait)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        seen += chunk
    return seen
