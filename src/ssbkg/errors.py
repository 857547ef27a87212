"""Errors that reach the user. Each class carries its exit code (see the CLI contract); the CLI maps them once."""

from __future__ import annotations


class SsbkgError(Exception):
    """Base of every error meant for a user: a one-line message and an optional hint."""

    exit_code = 4

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotConformant(SsbkgError):
    """The data does not conform to the shapes; `report` holds what is wrong."""

    exit_code = 1

    def __init__(self, report: object, message: str = "the data does not conform to the shapes") -> None:
        super().__init__(message)
        self.report = report


class InputError(SsbkgError):
    """Unusable input: a malformed file, an unknown query or parameter, a bad value."""

    exit_code = 2


class StoreError(SsbkgError):
    """The store failed, is unreachable or is busy."""

    exit_code = 3


class NothingWritten(SsbkgError):
    """Not a failure: everything asked for is already in the store, so nothing was written (exit 5, so
    that a script can tell a write from a no-op)."""

    exit_code = 5
