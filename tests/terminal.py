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
    seen = b""
    while select.select([master], [], [], timeout)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        seen += chunk
    out, _ = process.communicate(timeout=timeout)
    os.close(master)
    return process.returncode, out, seen.decode("utf-8", "replace")
