"""Named moments of a write, where the crash tests stop a process in order to kill it there.

A kill at a moment chosen from a measured duration lands wherever a busy machine puts it; a kill at a
named moment lands where the test says. With ``SSBKG_TEST_STOP_AT=MOMENT:FILE`` in its environment
(set only by the tests), a process that reaches MOMENT writes the name to FILE and waits to be killed.
Without it, `reached` costs one dictionary lookup.

The moments of `Store._publish` (stores/versioned.py):
- ``written``: every new slot and its history are written, nothing is published (a kill leaves the
  old version);
- ``published``: the compare-and-swap has published the new version, the old slots are not yet
  removed (a kill leaves the new version, and the next opener removes what is left over).
"""

from __future__ import annotations

import os
from pathlib import Path

MOMENTS = ("written", "published")
_SETTING = "SSBKG_TEST_STOP_AT"


def reached(moment: str) -> None:
    setting = os.environ.get(_SETTING)
    if not setting:
        return
    wanted, _, marker = setting.partition(":")
    if wanted != moment:
        return
    import signal

    Path(marker).write_text(moment, encoding="utf-8")
    while True:  # until the test's SIGKILL
        signal.pause()
