"""The commands on queries: queries (the list), query (run one) and serve (a SPARQL endpoint)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from ssbkg.cli._common import (
    Seconds,
    columns_option,
    emit_rows,
    parse_params,
    row_format,
    row_format_option,
    waiting,
)
from ssbkg.errors import InputError
from ssbkg.io.formats import GRAPH_FORMATS, ROW_FORMATS

# ---------------------------------------------------------------------------------------- queries / query


@click.command()
@click.argument("name", required=False)
@row_format_option
@columns_option
@click.pass_context
def queries(ctx: click.Context, name: str | None, fmt: str | None, columns: str | None) -> None:
    """List the stored queries: name, summary, parameters, and where each comes from; with NAME, what
    that one answers: its description, parameters (type, choices, default, an example) and columns.

    \b
    Examples:
      ssbkg queries
      ssbkg queries alliance-members
    """
    from pyoxigraph import Literal

    from ssbkg.querying.catalogue import catalogue
    from ssbkg.stores import QueryResult, Roles, Term

    if name is not None:
        click.echo(describe(name, ctx.obj["folders"]), nl=False)
        return
    rows: list[tuple[Term | None, ...]] = []
    for q, where in catalogue(ctx.obj["folders"]):
        params = ", ".join(
            f"{p.name} ({p.type_label}{'' if p.required else ', optional'}"
            + (f", default {q.defaults[p.name].rsplit('#', 1)[-1]}" if p.name in q.defaults else "")
            + ")"
            for p in q.parameters
        )
        rows.append((Literal(q.name), Literal(q.summary), Literal(params), Literal(where)))
    roles = Roles(("name",), ("summary", "parameters"), ("from",))
    emit_rows(QueryResult(["name", "summary", "parameters", "from"], rows, roles), row_format(fmt), columns)


class _QueryCommand(click.Command):
    """`ssbkg query NAME --help`: the command's help, then what the stored query NAME answers."""

    _TAKES_VALUE = frozenset({"-p", "--param", "--format", "--timeout", "--columns"})

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--help" in args or "-h" in args:
            after_option = False
            for arg in args:
                if not after_option and not arg.startswith("-"):
                    ctx.meta["ssbkg.query"] = arg
                    break
                after_option = arg in self._TAKES_VALUE
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help(ctx, formatter)
        name = ctx.meta.get("ssbkg.query")
        if name:
            try:
                text = describe(name, (ctx.obj or {}).get("folders", ()))
            except InputError:
                return  # a file or a query's text: the command's help is all there is
            formatter.write("\n" + text)


@click.command(cls=_QueryCommand)
@click.argument("name", metavar="NAME|FILE.rq|TEXT|-")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter value (repeatable).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(ROW_FORMATS + GRAPH_FORMATS),
    help="Output format (default: table on a terminal, else csv; turtle for CONSTRUCT).",
)
@click.option(
    "--timeout",
    type=Seconds(min=0),
    default=300.0,
    show_default=True,
    envvar="SSBKG_TIMEOUT",
    metavar="SECONDS",
    help="Stop a query that runs longer than this (exit 3); 0 for no limit. Env: SSBKG_TIMEOUT.",
)
@click.option("--allow-remote", is_flag=True, help="Allow SERVICE and LOAD in a query file.")
@click.option(
    "--definition",
    is_flag=True,
    help="Answer from the stored query's text alone, not from the answers kept current at write time "
    "(the same rows, more slowly: a check, or a measure of the engine).",
)
@columns_option
@click.pass_context
def query(
    ctx: click.Context,
    name: str,
    params: tuple[str, ...],
    fmt: str | None,
    timeout: float,
    allow_remote: bool,
    definition: bool,
    columns: str | None,
) -> None:
    """Run a stored query by name, a .rq file, a query's text, or one on stdin (-), with bound parameters.

    `ssbkg query NAME --help` (or `ssbkg queries NAME`) says what the stored query NAME answers.
    Parameters are parsed into RDF terms first: an IRI parameter takes a full IRI, a prefixed name
    (ssbid:casip), a listed value by its local name (reported) or a slug (casip).

    \b
    Examples:
      ssbkg query alliance-members -p alliance=casip
      ssbkg query alliance-members -p alliance=casip -p minCertainty=reported \\
          --format csv
      ssbkg query my-query.rq --format json
      ssbkg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from ssbkg.querying import running

    with waiting(name if len(name) < 40 and "\n" not in name else "the query"):
        outcome = running.run(
            ctx.obj["config"],
            name,
            parse_params(params),
            timeout=timeout or None,
            allow_remote=allow_remote,
            folders=ctx.obj["folders"],
            kept=not definition,
        )
    if isinstance(outcome, bool):
        click.echo("true" if outcome else "false")
    elif isinstance(outcome, list):
        from ssbkg.io.render import render_rdf

        if fmt is not None and fmt not in GRAPH_FORMATS:
            raise InputError(
                f"--format {fmt} is for SELECT queries; a CONSTRUCT or DESCRIBE answers triples",
                hint="use --format turtle, nt, jsonld or rdfxml, or leave --format out",
            )
        rdf_fmt = fmt if fmt in GRAPH_FORMATS else "turtle"
        sys.stdout.buffer.write(render_rdf(outcome, rdf_fmt))
    else:
        if fmt in GRAPH_FORMATS:
            raise InputError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries", hint="use csv, json, table, ...")
        emit_rows(outcome, row_format(fmt), columns)


# ---------------------------------------------------------------------------------------- serve


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="The address to listen on (not loopback: a warning)."
)
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="The port.")
@click.option(
    "--timeout",
    type=Seconds(min=0),
    default=30,
    show_default=True,
    metavar="SECONDS",
    help="Stop a page or an API call that runs longer (0: no limit).",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, timeout: float) -> None:
    """Serve the evidence site: alliances, organizations, sources, the stored queries and an API.

    Read-only, on loopback unless --host says otherwise. Every page takes ?asOf=YYYY-MM-DD and
    ?minCertainty=LEVEL; each stored query has a page with a form, and an API at /api/queries/NAME
    (SPARQL JSON, CSV or JSON lines; OpenAPI at /api/openapi.json). /sparql is a read-only SPARQL
    endpoint over the published graphs. The store is read live: what another command writes shows
    on the next page.

    \b
    Example:
      ssbkg serve --port 7878
      curl 'http://127.0.0.1:7878/api/queries/alliance-members.csv?alliance=casip'
    """
    from ssbkg.web.serving import serve as run_server

    config, folders = ctx.obj["config"], ctx.obj["folders"]
    run_server(config, host, port, lambda line: click.echo(line, err=True), timeout=timeout, folders=folders)


def describe(name: str, folders: Sequence[Path]) -> str:
    """What `ssbkg queries NAME` prints: the query in words, wrapped to the terminal."""
    from ssbkg.io import terminal
    from ssbkg.querying.catalogue import catalogue

    found = {q.name: (q, where) for q, where in catalogue(folders)}
    if name not in found:
        raise InputError(f"no stored query named {name!r}", hint="stored queries: " + ", ".join(sorted(found)))
    q, where = found[name]
    width = min(terminal.terminal_width() or 80, 100)

    def para(text: str, indent: str = "", hang: str | None = None) -> list[str]:
        return terminal.wrap(text, width, indent, hang=hang)

    lines = [f"{q.name} ({where})", *para(q.summary), ""]
    if q.description:
        lines += [*para(q.description), ""]
    if q.parameters:
        lines.append("Parameters:")
        for p in q.parameters:
            choices = [c.rsplit("#", 1)[-1].lower() for c in q.enumerate.get(p.name, ())]
            kind = "a listed value" if choices else _KINDS.get(p.kind, f"text in language {p.kind}")
            said = [kind, "required" if p.required else "optional"]
            if p.name in q.defaults:
                default = q.defaults[p.name]
                said.append(f"default {default.rsplit('#', 1)[-1].lower() if choices else default}")
            if choices:
                said.append("one of " + ", ".join(choices))
            if p.name in q.examples:
                said.append(f"for example -p {p.name}={q.examples[p.name]}")
            lines += para(f"{p.name}: " + "; ".join(said), "  ", hang="      ")
        lines.append("")
    if q.roles is not None:
        lines.append("Columns:")
        for label, names in (
            ("name the row", q.roles.identify),
            ("the answer", q.roles.answer),
            ("detail, the first left out when the terminal is narrow", q.roles.detail),
        ):
            if names:
                lines += para(f"{label}: {', '.join(names)}", "  ", hang="      ")
        lines.append("")
    lines += ["Example:", f"  {q.example()}"]
    return "\n".join(terminal.printable(line) for line in lines) + "\n"


_KINDS = {
    "iri": "an entity: a slug (casip), a name, a prefixed name or a full IRI",
    "date": "a date, YYYY-MM-DD",
    "integer": "a whole number",
    "decimal": "a decimal number",
    "number": "a number",
    "literal": "text",
}


COMMANDS = [queries, query, serve]
