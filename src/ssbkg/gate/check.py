"""The gate's one entrance for writers: a batch passes, or nothing is written."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from ssbkg.errors import NotConformant
from ssbkg.io.rdf import ParsedRdf
from ssbkg.stores import Store

if TYPE_CHECKING:
    from ssbkg.gate.results import Report


def check(
    store: Store,
    batches: Sequence[ParsedRdf],
    *,
    replacing: Collection[str] = (),
    superseding: Collection[str] = (),
    strict: bool = False,
    warn: Callable[[Report], None] | None = None,
) -> None:
    """Raise NotConformant unless the batches pass the SHACL gate; hand warnings to `warn`."""
    from ssbkg.gate.shacl import validate as run_gate

    report = run_gate(batches, store, replacing=replacing, superseding=superseding)
    if report.violations and report.passes(strict=strict) and warn is not None:
        warn(report)
    if not report.passes(strict=strict):
        names = ", ".join(dict.fromkeys(b.name for b in batches))
        raise NotConformant(report, f"{names} does not conform to the shapes; nothing was written")
