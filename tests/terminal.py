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


def on_a_terminal(*args: str, columns: int = 80, stderr_too: bool = True, timeout: float = 120) -> bytes:
    """What a terminal `columns` wide shows of `ssbkg ARGS`: its stdout (and stderr, with `stderr_too`)
    on a pseudo-terminal; $COLUMNS is left out, so that the terminal's size is what counts."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "ssbkg", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave if stderr_too else subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
    )
    os.close(slave)
    seen = read_terminal(master, until=None, wait=timeout)
    process.wait(timeout)
    os.close(master)
    return seen
