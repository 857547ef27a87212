"""Recording claims: every claim of a batch built, gated together and appended to the claims graph in
one step; a claim already recorded from the same source is corrected, or left alone if unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pyoxigraph as ox

from ssbkg.errors import InputError
from ssbkg.gate.check import check
from ssbkg.io.rdf import ParsedRdf
from ssbkg.namespaces import CLAIMS_GRAPH, PROV, RDFS, SSB
from ssbkg.querying.params import local_name
from ssbkg.stores import Store
from ssbkg.writing import duplicates, targets
from ssbkg.writing.claim_triples import Batch, Claim, build, turtle


class Recorded(NamedTuple):
    """What `record` wrote (or, with dry_run, would write)."""

    turtle: str  # the triples written: new claims, and the whole of each corrected one
    added: list[str]  # new assertions
    corrected: list[str]  # assertions already recorded that now have the values given
    unchanged: list[duplicates.Duplicate]  # claims already recorded with exactly these values: nothing written

    @property
    def wrote(self) -> bool:
        return bool(self.added or self.corrected)


# What a later claim from the same source may change; the claim itself (subject, predicate, object,
# source) is what identifies it.
CORRECTABLE = {SSB + "certainty", SSB + "confidence", SSB + "quote", PROV + "hadPrimarySource", RDFS + "comment"}


def record(
    store: Store,
    claims: list[Claim],
    *,
    dry_run: bool = False,
    strict: bool = False,
    agent: str | None = None,
    warn: Callable[..., None] | None = None,
) -> Recorded:
    """Build every claim, gate them together, write them to the claims graph in one step (unless dry_run).

    A claim already recorded from the same source with other values corrects it: the values given
    replace the old ones (the history keeps those), the rest stay. One with the same values is
    reported as unchanged and writes nothing. A writer that loses the race to another builds and
    gates the claims again (see stores/versioned.py)."""
    from ssbkg.stores.versioned import with_retries

    if agent is not None:
        targets.check_text(agent, "agent")
    return with_retries(
        store, lambda: _record(store, claims, dry_run=dry_run, strict=strict, agent=agent, warn=warn), what="claim"
    )


def _record(
    store: Store,
    claims: list[Claim],
    *,
    dry_run: bool,
    strict: bool,
    agent: str | None,
    warn: Callable[..., None] | None,
) -> Recorded:
    batch = Batch()
    rows: list[ParsedRdf] = []
    assertions = []
    failed: list[str] = []
    for claim in claims:
        before = len(batch.triples)
        try:
            assertions.append(build(store, claim, batch))
        except InputError as e:  # every failing row is named, not only the first
            where = "" if e.message.startswith(claim.where) or len(claims) == 1 else f"{claim.where}: "
            failed.append(where + e.message + (f" ({e.hint})" if e.hint and len(claims) > 1 else ""))
            if len(claims) == 1:
                raise
            del batch.triples[before:]
            continue
        rows.append(ParsedRdf(claim.where, default_graph=batch.triples[before:]))
    if failed:
        raise InputError(
            f"{len(failed)} of {len(claims)} rows cannot be recorded, so none is: " + "; ".join(failed),
            hint="fix those rows and run the command again",
        )
    found = duplicates.find(store, rows, without=())
    held = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads([CLAIMS_GRAPH])]
    corrected, unchanged = _corrections(store, rows, found, held)
    rows = duplicates.leave_out(rows, {d.assertion for d in found})
    new = [t for r in rows for t in r.default_graph]
    fixed = [t for triples in corrected.values() for t in triples]
    if new or fixed:
        gate_rows = [*rows, *(ParsedRdf(f"the correction of {local_name(a)}", t) for a, t in corrected.items())]
        check(store, gate_rows, strict=strict, warn=warn, superseding=set(corrected))
    if not dry_run and corrected:
        kept = [t for t in held if not (isinstance(t.subject, ox.NamedNode) and t.subject.value in corrected)]
        store.replace_graphs({CLAIMS_GRAPH: kept + fixed + new}, kind="user", source="ssbkg claim", agent=agent)
    elif not dry_run and new:
        store.append(CLAIMS_GRAPH, new, kind="user", source="ssbkg claim", agent=agent)
    skipped = {d.assertion for d in found}
    return Recorded(
        turtle(new + fixed) if new or fixed else "",
        [a for a in assertions if a not in skipped],
        list(corrected),
        unchanged,
    )


def _corrections(
    store: Store, rows: list[ParsedRdf], found: list[duplicates.Duplicate], held: list[ox.Triple]
) -> tuple[dict[str, list[ox.Triple]], list[duplicates.Duplicate]]:
    """For each claim already recorded: its whole new set of triples if the values given differ, or
    the duplicate if they do not."""
    given = {t.subject.value: t for r in rows for t in r.default_graph if isinstance(t.subject, ox.NamedNode)}
    ours = {t.subject.value for t in held if isinstance(t.subject, ox.NamedNode)}
    corrected: dict[str, list[ox.Triple]] = {}
    unchanged = []
    for d in found:
        if d.existing in given:  # the same claim twice in this input: the first one counts
            unchanged.append(d)
            continue
        existing = ox.NamedNode(d.existing)
        old = set(store.construct(f"CONSTRUCT {{ {existing} ?p ?o }} WHERE {{ {existing} ?p ?o }}"))
        values = [
            ox.Triple(existing, t.predicate, t.object)
            for r in rows
            for t in r.default_graph
            if getattr(t.subject, "value", None) == d.assertion and t.predicate.value in CORRECTABLE
        ]
        replaced = {t.predicate.value for t in values}
        merged = {t for t in corrected.get(d.existing, old) if t.predicate.value not in replaced} | set(values)
        if merged == old:
            unchanged.append(d)
            continue
        if d.existing not in ours:
            raise InputError(
                f"{local_name(d.existing)} already records this claim from this source, in a loaded file or "
                "the bundled data, with other values",
                hint="a claim recorded with `ssbkg claim` can be corrected this way; "
                "for one loaded from a file, edit the file and load it again",
            )
        corrected[d.existing] = sorted(merged, key=str)
    return corrected, unchanged
