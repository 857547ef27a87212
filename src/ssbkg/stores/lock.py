"""Coordination of processes around an embedded store: readers share, a writer is alone.

pyoxigraph calls reading a store that another process writes undefined, so every open of an
on-disk store holds an flock on ``<store>/ssbkg.stores.lock``: shared to read, exclusive to write. A
writer records its pid and command in ``ssbkg.stores.lock.holder`` so a waiting process can name it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from ssbkg.errors import StoreError

POLL_SECONDS = 0.05  # how often a waiting process looks again (the site's reader pauses for it)


class StoreLock:
    def __init__(self, directory: Path, *, exclusive: bool, wait: float, holder: str = "") -> None:
        """`holder` says what holds the lock (e.g. the command) to those who find the store busy."""
        self.directory = directory
        self.holder = holder
        self.exclusive = exclusive
        self.wait = wait
        self._fd: int | None = None

    @property
    def _holder_file(self) -> Path:
        return self.directory / "ssbkg.stores.lock.holder"

    def __enter__(self) -> StoreLock:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = self._open_lock_file()
        mode = (fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, mode)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreError(
                        f"the store {self.directory} is busy: {self._describe_holder()}",
                        hint="wait for it to finish, or pass --wait SECONDS to wait longer",
                    ) from None
                time.sleep(POLL_SECONDS)
        self._fd = fd
        if self.exclusive:
            with contextlib.suppress(OSError):
                self._holder_file.write_text(f"{os.getpid()} {self.holder}\n", encoding="utf-8")
        return self

    def _open_lock_file(self) -> int:
        """The lock file, open to write; for a reader of a store it may not write (a read-only file
        system, another user's store), open to read: flock needs no more, and reading needs no write."""
        path = self.directory / "ssbkg.stores.lock"
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            if self.exclusive or not path.exists() or e.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise StoreError(
                    f"cannot write the store {self.directory}: {(e.strerror or str(e)).lower()}",
                    hint="it is read-only to you (a read-only file system, or another user's store); "
                    "commands that only read it still work",
                ) from None
            return os.open(path, os.O_RDONLY)

    def _describe_holder(self) -> str:
        try:
            pid, _, command = self._holder_file.read_text(encoding="utf-8").strip().partition(" ")
            os.kill(int(pid), 0)
        except (OSError, ValueError):
            return "another process is reading or writing it"
        return f"process {pid} ({command or 'ssbkg'}) is writing it"

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._fd is None:
            return
        if self.exclusive:
            with contextlib.suppress(OSError):
                self._holder_file.unlink()
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None
