"""`ssbkg intake`: a new article drafted into claims for review."""

from __future__ import annotations

import click

from ssbkg.cli._common import open_for, write_output


@click.command()
@click.argument("source", metavar="FILE|URL|-")
@click.option("-o", "--output", metavar="FILE", help="Write the draft here (default: standard output).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "turtle"]),
    default="csv",
    show_default=True,
    help="csv: the columns claim --from-csv reads, with status and evidence; json: with mentions and "
    "offsets; turtle: the new claims (and the article's report) as a file load takes.",
)
@click.option("--headline", help="The article's headline, where the page does not say it.")
@click.option("--date", "date_", metavar="DATE", help="Its date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--publisher", help="Its publisher (a name or slug the store knows).")
@click.option("--url", help="Its address, where a saved file does not say it.")
@click.option("--language", metavar="CODE", help="Its language (en, zh, de, pt).")
@click.option(
    "--alliance",
    metavar="NAME",
    help="The alliance the article is about where it names none (a slug or name the store knows).",
)
@click.pass_context
def intake(
    ctx: click.Context,
    source: str,
    output: str | None,
    fmt: str,
    headline: str | None,
    date_: str | None,
    publisher: str | None,
    url: str | None,
    language: str | None,
    alliance: str | None,
) -> None:
    """Draft the claims an article makes, for you to review; write nothing to the store.

    Reads an HTML or text file, standard input or an http(s) URL; finds every organization,
    person and alliance the store knows in it, by any of their names; and drafts one row per claim
    a sentence makes: the predicate, the certainty its words say (a hedge is speculative, a denial
    refuted), the confidence by the documented rule, the sentence as the quote, and the origin it
    relays as the primary source. Edit the draft, then record the rows you keep with
    `ssbkg claim --from-csv DRAFT` (rows the store already records are skipped).

    \b
    Example:
      ssbkg intake saved-article.html -o draft.csv
      ssbkg claim --from-csv draft.csv
    """
    from ssbkg.intake.draft import intake as draft_of
    from ssbkg.intake.draft import to_csv, to_json, to_turtle

    with open_for(ctx) as store:
        found = draft_of(
            store,
            source,
            headline=headline,
            date=date_,
            publisher=publisher,
            url=url,
            language=language,
            alliance=alliance,
        )
        text = to_json(found) if fmt == "json" else to_turtle(store, found) if fmt == "turtle" else to_csv(found)
    write_output(text.encode("utf-8"), output)
    statuses = [r.status for r in found.rows]
    click.echo(
        f"Drafted {len(found.rows)} claim(s): {statuses.count('new')} new, {statuses.count('recorded')} recorded, "
        f"{statuses.count('conflicts')} in conflict with the store",
        err=True,
    )
    for note in found.notes + [f"needs {n}" for n in found.needs]:
        click.echo(f"Note: {note}", err=True)
    if found.new_names:
        click.echo("Not in the store (add them to draft their claims): " + ", ".join(found.new_names), err=True)


COMMANDS = (intake,)
