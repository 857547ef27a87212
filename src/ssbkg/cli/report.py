"""Commands that draw: report (an HTML page) and graph (the network picture)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ssbkg.cli._common import Day, open_for, write_output
from ssbkg.errors import InputError
from ssbkg.vocab import LEVELS

as_of_option = click.option("--as-of", type=Day(), help="Count only sources published by that day (YYYY-MM-DD).")
min_certainty_option = click.option(
    "--min-certainty",
    type=click.Choice(LEVELS, case_sensitive=False),
    help="Show claims at or above this level (default: refuted, that is all).",
)


@click.command()
@click.argument("alliance")
@click.option("-o", "--output", metavar="FILE.html", help="Write the page here (default: standard output).")
@as_of_option
@min_certainty_option
@click.pass_context
def report(ctx: click.Context, alliance: str, output: str | None, as_of: Any, min_certainty: str | None) -> None:
    """An evidence report on one alliance: one self-contained HTML page.

    Its profile, the network of participants (edges styled by certainty), the members with
    certainty, confidence, status, independent sources and links to the sources, where sources
    disagree, the candidates with the reasoning behind them, and the sources with dates and
    reliability. It opens with no network. Needs Graphviz for the picture.

    \b
    Example:
      ssbkg report casip -o casip.html
      ssbkg report casip --as-of 2024-02-01 --min-certainty reported -o early.html
    """
    from ssbkg.web.standalone import page

    if output and output != "-" and Path(output).suffix.lower() not in (".html", ".htm"):
        raise InputError(
            f"report writes an HTML page, not {Path(output).suffix or 'a file without a suffix'}: {output}",
            hint="give a file name ending in .html; for the picture alone, ssbkg graph -o FILE.svg|png",
        )
    with open_for(ctx) as store:
        html = page(store, alliance, as_of=_day(as_of), min_certainty=min_certainty)
    write_output(html.encode("utf-8"), output)
    if output and output != "-":
        click.echo(f"Wrote {output}", err=True)


@click.command()
@click.argument("alliance")
@click.option("-o", "--output", metavar="FILE.svg|png|dot", help="Write the picture here; the format follows the name.")
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "dot"]), help="The format (default: from -o).")
@click.option("--dpi", type=click.IntRange(30, 1200), help="Resolution of a PNG (Graphviz's default: 96).")
@as_of_option
@min_certainty_option
@click.pass_context
def graph(
    ctx: click.Context,
    alliance: str,
    output: str | None,
    fmt: str | None,
    dpi: int | None,
    as_of: Any,
    min_certainty: str | None,
) -> None:
    """The network picture of one alliance: SVG, PNG or Graphviz source.

    Solid edges for confirmed or reported members, dashed for inferred, dotted for speculative,
    red for disputed, bold orange and labelled "denied" for an organization a source
    denies is a member; thicker for higher confidence.

    \b
    Example:
      ssbkg graph casip -o casip.svg
      ssbkg graph casip --format dot | dot -Tpdf -o casip.pdf
    """
    from ssbkg.evidence.network import draw

    fmt = fmt or (Path(output).suffix.lstrip(".").lower() if output and output != "-" else None)
    if fmt is None:
        raise InputError("say what to draw: -o FILE.svg|png|dot or --format", hint="for example -o casip.svg")
    if fmt == "png" and not output and sys.stdout.isatty():
        raise InputError("a PNG is not for a terminal", hint="write it to a file: -o casip.png, or pipe it on")
    with open_for(ctx) as store:
        data = draw(store, alliance, fmt, as_of=_day(as_of), min_certainty=min_certainty, dpi=dpi)
    write_output(data, output)


COMMANDS = (report, graph)


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
