"""Commands for recording and reasoning about evidence: claim, retract, infer, explain, changes, find."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ssbkg.cli._common import (
    Day,
    agent_option,
    columns_option,
    emit_rows,
    open_for,
    print_report,
    row_format,
    row_format_option,
    strict_option,
)
from ssbkg.errors import InputError, NothingWritten
from ssbkg.namespaces import CLAIMS_GRAPH
from ssbkg.vocab import LEVELS

if TYPE_CHECKING:
    from ssbkg.writing.claim_triples import Claim
    from ssbkg.writing.claims import Recorded


@click.command()
@click.argument("subject", required=False)
@click.argument("object_", metavar="OBJECT", required=False)
@click.option(
    "--predicate",
    default="member",
    show_default=True,
    help="member (org:memberOf), backs (ssb:backs), heads (org:headOf) or position (ssb:holdsPositionIn).",
)
@click.option("--certainty", help="confirmed, reported, inferred, speculative or refuted.")
@click.option("--confidence", help="A decimal in the level's range, like 0.8.")
@click.option("--source", help="The report or analyst note it was read in: IRI, slug or headline.")
@click.option("--headline", help="A new report's headline (with --date and --publisher) instead of --source.")
@click.option("--date", "date_", metavar="DATE", help="The new report's date: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--publisher", help="The new report's publisher: IRI, slug or name.")
@click.option("--url", help="The new report's URL.")
@click.option("--primary", help="The original report the source relays (it must cite it).")
@click.option("--quote", help="The source's own words, copied exactly.")
@click.option("--quote-lang", default="en", show_default=True, help="The quote's language tag.")
@click.option("--note", help="The analyst's note (rdfs:comment).")
@click.option(
    "--from-csv",
    "csv_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Record one claim per row (columns named like these options); all rows or none.",
)
@click.option("--dry-run", is_flag=True, help="Check and print the Turtle it would write; write nothing.")
@strict_option
@agent_option
@click.pass_context
def claim(
    ctx: click.Context,
    /,
    subject: str | None,
    object_: str | None,
    csv_file: Path | None,
    dry_run: bool,
    strict: bool,
    agent: str | None,
    **fields: Any,
) -> None:
    """Record a claim without writing Turtle: who, what, how sure, and who said so.

    SUBJECT and OBJECT are organizations (or people), found by IRI, slug, any name or a word of a name
    that names one (Farasis). The claim goes through the same gate as `load` and is appended to the
    graph .../graph/user/claims; the assertions written are printed, one a line.

    A claim recorded before from the same source (same subject, predicate, object and --source) is
    corrected: the certainty, confidence, quote, primary source or note given replace the old ones,
    which `ssbkg changes` keeps. The same claim with the same values writes nothing and exits 5.

    \b
    Examples:
      ssbkg claim sunwoda casip --certainty reported --confidence 0.7 \\
          --headline "Sunwoda joins CASIP" --date 2026-12-01 \\
          --publisher cnevpost --url https://example.org/x
      ssbkg claim welion casip --certainty speculative --confidence 0.2 \\
          --source note-casip-fact-sheet-2026-11-25
      ssbkg claim --from-csv new-claims.csv --dry-run
    """
    from ssbkg.writing.claims import record

    batch = _claims_given(subject, object_, csv_file, fields)
    with open_for(ctx, write=not dry_run) as store:
        recorded = record(
            store,
            batch,
            dry_run=dry_run,
            strict=strict,
            agent=agent,
            warn=lambda report: print_report(report, "text", err=True),
        )
    _say_recorded(recorded, dry_run)
    if not recorded.wrote and not dry_run:
        raise NothingWritten("every claim given is already recorded with these values")


def _claims_given(
    subject: str | None, object_: str | None, csv_file: Path | None, fields: dict[str, Any]
) -> list[Claim]:
    """The claims the command line gives: one from SUBJECT OBJECT and the options, or a CSV file's."""
    from ssbkg.writing import claim_triples

    if csv_file is not None:
        if subject or object_:
            raise InputError("give either SUBJECT OBJECT or --from-csv, not both")
        return claim_triples.read_csv(csv_file)
    if not (subject and object_ and fields.get("certainty")):
        raise InputError(
            "a claim needs SUBJECT, OBJECT and --certainty",
            hint="for example: ssbkg claim sunwoda casip --certainty reported --source ...",
        )
    values = {k: v for k, v in fields.items() if v is not None}
    values["date"] = values.pop("date_", None)
    return [claim_triples.Claim(subject=subject, object=object_, **values)]


def _say_recorded(recorded: Recorded, dry_run: bool) -> None:
    """On stdout, the Turtle that would be written (--dry-run), or the assertions written, one a line
    (what `retract` and `explain` take); on stderr, what was added, corrected or unchanged."""
    from ssbkg.gate.results import compact

    for d in recorded.unchanged:
        click.echo(f"Unchanged: {compact(d.existing)} already records this claim with these values", err=True)
    if dry_run:
        click.echo(recorded.turtle, nl=False)
    else:
        for assertion in (*recorded.added, *recorded.corrected):
            click.echo(compact(assertion))
    where = "" if dry_run else f" in <{CLAIMS_GRAPH}>"
    verb = "Would record" if dry_run else "Recorded"
    if recorded.added or (dry_run and not recorded.corrected):
        click.echo(f"{verb} {len(recorded.added)} new claim(s){where}", err=True)
    if recorded.corrected:
        names = ", ".join(compact(a) for a in recorded.corrected)
        click.echo(
            f"{'Would correct' if dry_run else 'Corrected'} {len(recorded.corrected)} claim(s){where}: {names}",
            err=True,
        )


@click.command()
@click.argument("assertion")
@click.option("--reason", required=True, help="Why the assertion is retracted (kept with it).")
@agent_option
@click.pass_context
def retract(ctx: click.Context, assertion: str, reason: str, agent: str | None) -> None:
    """Take an assertion out of the current view, keeping it and who retracted it, when and why.

    The assertion stays in the store; queries of the current view leave it out. The retraction is
    PROV (prov:wasInvalidatedBy, prov:invalidatedAtTime) in the graph .../graph/user/retractions.

    \b
    Example:
      ssbkg retract assertion-svolt-member-casip-creative-marketing \\
          --reason "aggregator misread Nikkei"
    """
    from ssbkg.writing.retraction import retract as run_retract

    with open_for(ctx, write=True) as store:
        iri = run_retract(store, assertion, reason, agent=agent)
    click.echo(f"Retracted {assertion} ({iri})", err=True)


@click.command()
@click.option(
    "--min-certainty",
    default="reported",
    show_default=True,
    type=click.Choice(LEVELS, case_sensitive=False),
    help="The lowest certainty that enters the accepted membership view.",
)
@agent_option
@click.pass_context
def infer(ctx: click.Context, min_certainty: str, agent: str | None) -> None:
    """Rebuild the derived graphs: inferred assertions (queries/rules/) and the accepted view.

    Inferred assertions go to .../graph/derived/inferred with certainty inferred, a confidence and
    ssb:inferredFrom links; plain org:memberOf triples for claims at or above --min-certainty, not
    refuted and not retracted, go to .../graph/derived/accepted. Running it twice changes nothing.

    \b
    Example:
      ssbkg infer
    """
    from ssbkg.writing.inference import infer as run_infer

    with open_for(ctx, write=True) as store:
        results = run_infer(store, min_certainty=min_certainty, agent=agent)
    for r in results:
        click.echo(f"{'Rebuilt' if r.changed else 'Unchanged:'} <{r.graph}> ({r.triples:,} triples)", err=True)


@click.command()
@click.argument("subject")
@click.argument("object_", metavar="[OBJECT]", required=False)
@click.option(
    "--depth",
    type=click.IntRange(0, 5),
    default=2,
    show_default=True,
    help="How deep to follow inferred assertions into their premises: 1-2 sum them up, one line per claim; "
    "3 or more lists each in full.",
)
@click.pass_context
def explain(ctx: click.Context, subject: str, object_: str | None, depth: int) -> None:
    """The chain of evidence for the claims about SUBJECT (and OBJECT), as a tree.

    Each assertion with its certainty and confidence, its source with publisher and date, the primary
    source behind it, quotes, contradictions, notes, and for inferred claims their premises.

    \b
    Examples:
      ssbkg explain svolt casip
      ssbkg explain 宁德时代
    """
    from ssbkg.evidence import explain as explaining

    with open_for(ctx) as store:
        trees = explaining.explain(store, subject, object_, depth=depth)
    if not trees:
        raise InputError(
            f"no claims about {subject}" + (f" and {object_}" if object_ else ""),
            hint="see ssbkg query organization-profile -p organization=...",
        )
    from ssbkg.io.terminal import fit, printable, terminal_width

    click.echo(fit(printable(explaining.render(trees)), terminal_width()), nl=False)


@click.command()
@click.option("--since", type=Day(), help="The first day.")
@click.option(
    "--between",
    nargs=2,
    type=Day(),
    metavar="FROM TO",
    help="The first and last day.",
)
@row_format_option
@columns_option
@click.pass_context
def changes(ctx: click.Context, since: Any, between: Any, fmt: str | None, columns: str | None) -> None:
    """What changed: claims added, changed, removed or retracted in a period, with their sources.

    Read from the graph versions the store keeps (until `ssbkg prune`) and the retractions.

    \b
    Examples:
      ssbkg changes --since 2026-11-18
      ssbkg changes --between 2024-02-01 2024-02-29 --format csv
    """
    from pyoxigraph import Literal, NamedNode

    from ssbkg.evidence.changes import changes as find_changes
    from ssbkg.stores import QueryResult, Roles, Term

    if bool(since) == bool(between):
        raise InputError("give --since DATE or --between FROM TO", hint="for example --since 2026-11-18")
    first, last = (since, None) if since else (between[0], between[1])
    with open_for(ctx) as store:
        found = find_changes(store, first, last)
    # What a person reads first (the claim, how sure, what it means) before where it is kept.
    header = ["when", "change", "subject", "predicate", "object", "certainty", "confidence", "note"]
    header += ["source", "by", "graph", "assertion"]
    rows: list[tuple[Term | None, ...]] = [
        tuple(
            NamedNode(v) if v.startswith(("http://", "https://")) else Literal(v)
            for v in (getattr(c, k) for k in header)
        )
        for c in found
    ]
    roles = Roles(("when", "subject", "predicate", "object"), ("change", "certainty", "note", "source"))
    emit_rows(
        QueryResult(header, rows, roles._replace(detail=("assertion", "graph", "by", "confidence"))),
        row_format(fmt),
        columns,
    )


@click.command()
@click.argument("text")
@row_format_option
@columns_option
@click.pass_context
def find(ctx: click.Context, text: str, fmt: str | None, columns: str | None) -> None:
    """Find organizations, alliances, sources and people by any name, in any language.

    Searches labels, alternative labels, legal names and headlines, case-insensitively; exact
    matches come first. This is the stored query `find`.

    \b
    Examples:
      ssbkg find catl
      ssbkg find 宁德时代
    """
    from ssbkg.querying import running

    emit_rows(running.run(ctx.obj["config"], "find", {"text": text}), row_format(fmt), columns)


COMMANDS = (claim, retract, infer, explain, changes, find)
