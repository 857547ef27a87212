"""The commands on graphs: load, validate, graphs, drop and export."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ssbkg.cli._common import (
    agent_option,
    columns_option,
    emit_rows,
    open_for,
    print_report,
    progress,
    report_duplicates,
    report_format_option,
    row_format,
    row_format_option,
    strict_option,
    syntax_option,
    write_output,
)
from ssbkg.errors import NotConformant, NothingWritten
from ssbkg.io.formats import DATASET_FORMATS, GRAPH_FORMATS

if TYPE_CHECKING:
    from ssbkg.writing.duplicates import Duplicate
    from ssbkg.writing.loading import Loaded

# ---------------------------------------------------------------------------------------- load / validate


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--graph", "graph", metavar="IRI", help="The named graph to load into (one file only).")
@click.option("--replace", is_flag=True, help="Replace a graph that another file loaded.")
@syntax_option
@click.option("--skip-validation", is_flag=True, help="Load without the SHACL gate.")
@strict_option
@agent_option
@report_format_option
@click.pass_context
def load(
    ctx: click.Context,
    files: tuple[str, ...],
    graph: str | None,
    replace: bool,
    syntax: str | None,
    skip_validation: bool,
    strict: bool,
    agent: str | None,
    fmt: str,
) -> None:
    """Load RDF files, each into its own named graph, after the SHACL gate.

    A file's graph is named after it: jan/claims-2024.ttl goes into
    .../graph/user/claims-2024. Reloading the same file (same path) replaces
    its graph in one step. A different file whose graph another file holds is
    refused: load it beside with --graph IRI, or replace on purpose with
    --replace. The graphs that `claim` and `retract` write are never loaded
    over. If any file is malformed or fails the shapes, nothing is written.

    \b
    Example:
      ssbkg load new-claims.ttl
      cat claims.ttl | ssbkg load - --syntax turtle \\
          --graph https://example.org/g/claims
    """
    from ssbkg.writing import loading

    left_out: list[Duplicate] = []

    def skipped(found: list[Duplicate]) -> None:
        left_out.extend(found)
        report_duplicates(found)

    with open_for(ctx, write=True) as store, progress(files) as feedback:
        loaded = loading.load_files(
            store,
            files,
            syntax=syntax,
            graph=graph,
            validate=not skip_validation,
            progress=feedback.advance,
            phase=feedback.phase,
            strict=strict,
            warn=lambda report: print_report(report, "text", err=True),
            agent=agent,
            skipped=skipped,
            replace=replace,
        )
    _say_loaded(loaded, left_out, fmt)
    if not loaded:
        raise NothingWritten("everything in " + ", ".join(files) + " is already in the store")


def _say_loaded(loaded: list[Loaded], left_out: list[Duplicate], fmt: str) -> None:
    """What was loaded: for programs on stdout (--format json), for a person on stderr."""
    if fmt == "json":
        import json

        summary = {
            "loaded": [
                {"graph": i.graph, "source": i.source, "triples": i.triples, "stored": i.stored} for i in loaded
            ],
            "skipped": [{"assertion": d.assertion, "alreadyRecordedAs": d.existing} for d in left_out],
        }
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    for item in loaded:
        click.echo(f"Loaded {item.stored:,} triples from {item.source} into <{item.graph}>", err=True)
        if item.stored < item.triples:
            click.echo(
                f"Warning: {item.source} has {item.triples:,} triples, the store keeps {item.stored:,}: "
                "repeated triples count once, triples the bundled graphs hold are not stored again, "
                "and some servers merge literals of equal value "
                "(see docs/guide.md, Known losses of servers)",
                err=True,
            )


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--graph", "graph", metavar="IRI", help="Judge as if loaded into this graph (as load --graph).")
@click.option("--replace", is_flag=True, help="Judge as load --replace would write it.")
@syntax_option
@strict_option
@report_format_option
@click.pass_context
def validate(
    ctx: click.Context,
    files: tuple[str, ...],
    graph: str | None,
    replace: bool,
    syntax: str | None,
    strict: bool,
    fmt: str,
) -> None:
    """Run the SHACL gate on files without writing anything, as load would.

    The store's content is the context, so files may point at organizations and sources already
    in it. Exit 0 when the data conforms, 1 when it does not, 2 when load would refuse the file
    before the gate (its graph holds another file: give --graph or --replace as you would to
    load). Warnings are printed; they make the exit 1 only with --strict.

    \b
    Example:
      ssbkg validate new-claims.ttl --format json
    """
    from ssbkg.writing import loading

    with open_for(ctx) as store:
        report = loading.validate_files(store, files, syntax=syntax, graph=graph, replace=replace)
    if not report.passes(strict=strict):
        raise NotConformant(report, f"{', '.join(files)} does not conform to the shapes")
    print_report(report, fmt)


# ---------------------------------------------------------------------------------------- graphs / drop


@click.command()
@row_format_option
@columns_option
@click.pass_context
def graphs(ctx: click.Context, fmt: str | None, columns: str | None) -> None:
    """List the published graphs: kind, triples, when and from what they were loaded, and the version.

    \b
    Example:
      ssbkg graphs --format csv
    """
    from ssbkg.writing import graphs as graphs_module  # the command is named graphs too

    with open_for(ctx) as store:
        result = graphs_module.graph_table(store)
    emit_rows(result, row_format(fmt), columns)


@click.command()
@click.argument("graph", metavar="GRAPH")
@agent_option
@click.option("--dry-run", is_flag=True, help="Only say which graph would be retired.")
@click.option("--force", is_flag=True, help="Retire it though other graphs' claims point at what it defines.")
@click.pass_context
def drop(ctx: click.Context, graph: str, agent: str | None, dry_run: bool, force: bool) -> None:
    """Retire a graph: it leaves queries; `ssbkg changes` lists its claims as removed.

    GRAPH is the graph's IRI, or the name of a user graph (the file name it was loaded from). A
    graph that alone defines what other graphs' claims point at (a report they cite, an
    organization they name) is refused with those claims named, unless --force.

    \b
    Example:
      ssbkg drop new-claims --dry-run
      ssbkg drop new-claims
    """
    from ssbkg.writing import graphs as graphs_module  # the command is named graphs too

    with open_for(ctx, write=not dry_run) as store:
        info = graphs_module.drop(store, graph, agent=agent, dry_run=dry_run, force=force)
    what = f"<{info.graph}> ({info.triples:,} triples from {info.loaded_from}, {info.loaded_at})"
    click.echo(f"{'Would retire' if dry_run else 'Retired'} {what}", err=True)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(DATASET_FORMATS + GRAPH_FORMATS),
    default="trig",
    show_default=True,
    help="Output syntax; turtle and nt merge the graphs.",
)
@click.option("--graph", "graphs_", multiple=True, metavar="IRI", help="Only this graph (repeatable).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE (default: stdout).")
@click.option("--no-provenance", is_flag=True, help="Leave out the graph that says who wrote each graph and when.")
@click.pass_context
def export(ctx: click.Context, fmt: str, graphs_: tuple[str, ...], output: str | None, no_provenance: bool) -> None:
    """Write the store's published content out.

    In TriG, N-Quads and JSON-LD, a provenance graph says who wrote each graph, when and from what
    file (PROV); `load` skips it. Turtle and N-Triples merge the graphs and leave it out.

    \b
    Example:
      ssbkg export --format trig -o casip.trig
    """
    from ssbkg.io.render import render_rdf
    from ssbkg.writing import graphs as graphs_module  # the command is named graphs too

    with open_for(ctx) as store:
        with_provenance = not no_provenance and fmt in ("trig", "nq", "jsonld")
        quads = graphs_module.export_quads(store, list(graphs_) or None, provenance=with_provenance)
    write_output(render_rdf(quads, fmt), output)
    where = output if output not in (None, "-") else "standard output"
    click.echo(f"Wrote {len(quads):,} triples to {where}", err=True)


COMMANDS = (load, validate, graphs, drop, export)
