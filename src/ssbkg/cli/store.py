"""The commands on the store itself: init (create, seed, upgrade) and prune (reclaim space)."""

from __future__ import annotations

import click

from ssbkg.cli._common import Seconds, open_for


@click.command()
@click.option("--force", is_flag=True, help="Reload the bundled graphs (users' graphs are never touched).")
@click.option(
    "--upgrade",
    is_flag=True,
    help="Bring a store made by ssbkg 0.2.0 up to date, keeping every graph and its history "
    "(an embedded store is upgraded when it is first opened).",
)
@click.pass_context
def init(ctx: click.Context, force: bool, upgrade: bool) -> None:
    """Create the store and load the bundled ontology, shapes and data.

    Idempotent: the bundled graphs are loaded once; --force reloads them. A new store is made only
    in a missing or empty directory; every other command refuses a path that holds no store (the
    default store, used when no --store is given, is made on first use).

    \b
    Example:
      ssbkg --store ./casip-store init
    """
    from ssbkg.writing.seed import init as init_store

    with open_for(ctx, write=True, create=True) as store:
        done = init_store(store, force=force, upgrade=upgrade)
        if upgrade:
            click.echo(f"Listed the changes of {done.upgraded} earlier version(s)", err=True)
        if store.created:
            click.echo(f"Created the store {store.location} with the bundled graphs", err=True)
        else:
            click.echo(
                f"{'Loaded' if done.seeded else 'Already present:'} the bundled graphs in {store.location}", err=True
            )


@click.command()
@click.option(
    "--orphan-age",
    type=Seconds(min=0),
    default=3600,
    show_default=True,
    metavar="SECONDS",
    help="On a server: graphs left by a write that died are deleted once this old (younger ones may "
    "belong to a write still running). The embedded store removes them at once.",
)
@click.option("--dry-run", is_flag=True, help="Only list what would be removed and merged.")
@click.pass_context
def prune(ctx: click.Context, orphan_age: float, dry_run: bool) -> None:
    """Remove what failed writes left, merge appended claims into one graph each, reclaim space.

    The history that `ssbkg changes` reads is never removed.

    \b
    Example:
      ssbkg prune --dry-run
      ssbkg prune
    """
    with open_for(ctx, write=True) as store:
        pruned = store.prune(orphan_age_seconds=orphan_age, dry_run=dry_run)
    for iri in pruned.removed if dry_run else ():
        click.echo(f"would remove <{iri}>")
    for iri in pruned.merged if dry_run else ():
        click.echo(f"would merge the appended parts of <{iri}>")
    verb, merge = ("Would remove", "would merge") if dry_run else ("Removed", "merged")
    click.echo(
        f"{verb} {len(pruned.removed)} graph(s) left by failed writes; {merge} {len(pruned.merged)} graph(s)"
        + ("" if dry_run else "; space reclaimed"),
        err=True,
    )


# ---------------------------------------------------------------------------------------- export


COMMANDS = (init, prune)
