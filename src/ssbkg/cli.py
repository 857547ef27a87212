"""The ssbkg command line: each command parses its options, calls one library function, renders."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ssbkg import __version__
from ssbkg.errors import InputError, NotConformant, SsbkgError

if TYPE_CHECKING:
    from ssbkg.stores import Store

ROW_FORMATS = ("table", "csv", "tsv", "json", "jsonl", "md")
GRAPH_FORMATS = ("turtle", "nt", "jsonld")


class Group(click.Group):
    """Maps every error to its exit code once, with one `Error:` line and no traceback unless --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NotConformant as e:
            _error(e.message, "fix what the report above says, then run the command again")
            ctx.exit(1)
        except SsbkgError as e:
            if _debug(ctx):
                raise
            _error(e.message, e.hint)
            ctx.exit(e.exit_code)
        except KeyboardInterrupt:
            _error("interrupted; nothing half-written remains")
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as e:
            if _debug(ctx):
                raise
            _error(f"internal error: {type(e).__name__}: {e}", "rerun with --debug for the traceback, and report it")
            ctx.exit(4)


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.obj and ctx.obj.get("debug"))


def _error(message: str, hint: str | None = None) -> None:
    click.echo(f"Error: {message}" + (f"\nHint: {hint}" if hint else ""), err=True)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    envvar="SSBKG_STORE",
    metavar="STORE",
    help="Where the graph lives: a directory, oxigraph:PATH or memory: "
    "(default: an embedded store in your data directory). Env: SSBKG_STORE.",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for another process that holds the store.",
)
@click.option(
    "--update-endpoint",
    envvar="SSBKG_UPDATE_ENDPOINT",
    metavar="URL",
    help="SPARQL Update endpoint of a remote store (default: found for Oxigraph server and Virtuoso).",
)
@click.option(
    "--graph-store-endpoint",
    envvar="SSBKG_GRAPH_STORE_ENDPOINT",
    metavar="URL",
    help="Graph Store Protocol endpoint of a remote store (default: found for known servers).",
)
@click.option(
    "--http-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for a remote store to answer.",
)
@click.option("--debug", is_flag=True, help="Show full tracebacks.")
@click.version_option(__version__, prog_name="ssbkg")
@click.pass_context
def cli(
    ctx: click.Context,
    store: str | None,
    wait: float,
    update_endpoint: str | None,
    graph_store_endpoint: str | None,
    http_timeout: float,
    debug: bool,
) -> None:
    """Who belongs to an industry alliance, how sure we are, and who said so.

    A knowledge graph of sourced claims, in an embedded Oxigraph store.

    \b
    Example:
      ssbkg query alliance-members -p alliance=casip
    """
    from ssbkg.stores import StoreConfig

    config = StoreConfig(store, wait, update_endpoint, graph_store_endpoint, http_timeout)
    ctx.obj = {"config": config, "debug": debug}


@contextmanager
def _store(ctx: click.Context, *, write: bool = False) -> Iterator[Store]:
    from ssbkg.stores import open_store

    with open_store(ctx.obj["config"], write=write) as store:
        yield store


def _row_format(fmt: str | None) -> str:
    return fmt or ("table" if sys.stdout.isatty() else "csv")


# ---------------------------------------------------------------------------------------- init


@cli.command()
@click.option("--force", is_flag=True, help="Reload the bundled graphs (users' graphs are never touched).")
@click.pass_context
def init(ctx: click.Context, force: bool) -> None:
    """Create the store and load the bundled ontology, shapes and data.

    Idempotent: the bundled graphs are loaded once; --force reloads them.

    \b
    Example:
      ssbkg --store ./casip-store init
    """
    from ssbkg.seed import seed

    with _store(ctx, write=True) as store:
        written = seed(store, force=force)
        click.echo(f"{'Loaded' if written else 'Already present:'} the bundled graphs in {store.location}", err=True)


# ---------------------------------------------------------------------------------------- load / validate


syntax_option = click.option(
    "--syntax",
    type=click.Choice(["turtle", "trig", "nt", "nq", "jsonld", "rdfxml"]),
    help="The input syntax (default: from the file name; needed for -).",
)
agent_option = click.option(
    "--agent",
    envvar="SSBKG_AGENT",
    metavar="NAME|IRI",
    help="Who is writing, recorded as PROV with the graph (default: your user name). Env: SSBKG_AGENT.",
)
strict_option = click.option("--strict", is_flag=True, help="Warnings (sh:Warning) block too.")
report_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="How to print the validation report.",
)


def _parse_all(files: tuple[str, ...], syntax: str | None) -> list[Any]:
    from ssbkg.rdfio import read_rdf

    return [read_rdf(f, syntax=syntax) for f in files]


@contextmanager
def _progress(files: tuple[str, ...]) -> Iterator[Any]:
    """A progress bar on stderr for a terminal (bytes read, rate, time left); nothing when piped."""
    sizes = [Path(f).stat().st_size for f in files if f != "-" and Path(f).is_file()]
    if not sys.stderr.isatty() or sum(sizes) < 5_000_000:
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    columns = (TextColumn("loading"), BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("load", total=sum(sizes))
        yield lambda n: bar.advance(task, n)


def _report_duplicates(found: list[Any]) -> None:
    from ssbkg.validation import compact

    for d in found:
        click.echo(
            f"Skipped {compact(d.assertion)}: the same claim from the same source is already recorded as "
            f"{compact(d.existing)}",
            err=True,
        )


def _print_report(report: Any, fmt: str, *, err: bool = False) -> None:
    from ssbkg import reports

    click.echo(reports.format_report(report, fmt), nl=False, err=err)


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--graph", "graph", metavar="IRI", help="The named graph to load into (one file only).")
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
    syntax: str | None,
    skip_validation: bool,
    strict: bool,
    agent: str | None,
    fmt: str,
) -> None:
    """Load RDF files, each into its own named graph, after the SHACL gate.

    Reloading a file replaces its graph in one step; the old version is kept, retired.
    If any file is malformed or fails the shapes, nothing is written.

    \b
    Example:
      ssbkg load new-claims.ttl
      cat claims.ttl | ssbkg load - --syntax turtle --graph https://example.org/g/claims
    """
    from ssbkg import loading

    with _store(ctx, write=True) as store, _progress(files) as advance:
        try:
            loaded = loading.load_files(
                store,
                files,
                syntax=syntax,
                graph=graph,
                validate=not skip_validation,
                progress=advance,
                strict=strict,
                warn=lambda report: _print_report(report, "text", err=True),
                agent=agent,
                skipped=_report_duplicates,
            )
        except NotConformant as e:
            _print_report(e.report, fmt)
            raise
    for item in loaded:
        click.echo(f"Loaded {item.stored} triples from {item.source} into <{item.graph}>", err=True)
        if item.stored < item.triples:
            click.echo(
                f"Warning: {item.source} has {item.triples} triples, the store keeps {item.stored}: "
                "repeated triples count once, and some servers merge literals of equal value "
                "(see the README's known losses)",
                err=True,
            )


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@syntax_option
@strict_option
@report_format_option
@click.pass_context
def validate(ctx: click.Context, files: tuple[str, ...], syntax: str | None, strict: bool, fmt: str) -> None:
    """Run the SHACL gate on files without writing anything.

    The store's content is the context, so files may point at organizations and sources already
    in it. Exit 0 when the data conforms, 1 when it does not. Warnings are printed; they make the
    exit 1 only with --strict.

    \b
    Example:
      ssbkg validate new-claims.ttl --format json
    """
    from ssbkg.validation import validate as run_gate

    parsed = _parse_all(files, syntax)
    with _store(ctx) as store:
        report = run_gate(parsed, store)
    _print_report(report, fmt)
    if not report.passes(strict=strict):
        raise NotConformant(report, f"{', '.join(files)} does not conform to the shapes")


@cli.command()
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
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record one claim per row (columns named like these options); all rows or none.",
)
@click.option("--dry-run", is_flag=True, help="Check and print the Turtle; write nothing.")
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

    SUBJECT and OBJECT are organizations (or people), found by IRI, slug or any name. The claim goes
    through the same gate as `load` and is appended to the graph .../graph/user/claims.

    \b
    Examples:
      ssbkg claim sunwoda casip --certainty reported --confidence 0.7 \\
          --headline "Sunwoda joins CASIP" --date 2026-12-01 --publisher cnevpost --url https://example.org/x
      ssbkg claim welion casip --certainty speculative --confidence 0.2 --source note-casip-fact-sheet-2026-11-25
      ssbkg claim --from-csv new-claims.csv --dry-run
    """
    from ssbkg import claims as claims_module

    if csv_file is not None:
        if subject or object_:
            raise InputError("give either SUBJECT OBJECT or --from-csv, not both")
        batch = claims_module.read_csv(csv_file)
    else:
        if not (subject and object_ and fields.get("certainty")):
            raise InputError(
                "a claim needs SUBJECT, OBJECT and --certainty",
                hint="for example: ssbkg claim sunwoda casip --certainty reported --source ...",
            )
        values = {k: v for k, v in fields.items() if v is not None}
        values["date"] = values.pop("date_", None)
        batch = [claims_module.Claim(subject=subject, object=object_, **values)]
    with _store(ctx, write=not dry_run) as store:
        try:
            text, assertions, skipped = claims_module.record(
                store,
                batch,
                dry_run=dry_run,
                strict=strict,
                agent=agent,
                warn=lambda report: _print_report(report, "text", err=True),
            )
        except NotConformant as e:
            _print_report(e.report, "text")
            raise
    _report_duplicates(skipped)
    click.echo(text, nl=False)
    verb = "Would record" if dry_run else "Recorded"
    click.echo(f"{verb} {len(assertions)} claim(s)" + ("" if dry_run else f" in <{claims_module.GRAPH}>"), err=True)


# ---------------------------------------------------------------------------------------- graphs / drop


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(ROW_FORMATS), help="Output format (default: table on a terminal, else csv)."
)
@click.pass_context
def graphs(ctx: click.Context, fmt: str | None) -> None:
    """List the published graphs: kind, triples, when and from what they were loaded, and the version.

    \b
    Example:
      ssbkg graphs --format csv
    """
    from ssbkg import loading

    with _store(ctx) as store:
        result = loading.graph_table(store)
    _emit_rows(result, _row_format(fmt))


@cli.command()
@click.argument("graph", metavar="GRAPH")
@click.pass_context
def drop(ctx: click.Context, graph: str) -> None:
    """Retire a graph: it leaves queries, and its last version is kept.

    GRAPH is the graph's IRI, or the name of a user graph (the file name it was loaded from).

    \b
    Example:
      ssbkg drop new-claims
    """
    from ssbkg import loading

    with _store(ctx, write=True) as store:
        iri = loading.drop(store, graph)
    click.echo(f"Retired <{iri}>", err=True)


@cli.command()
@click.option(
    "--orphan-age",
    type=click.FloatRange(min=0),
    default=3600,
    show_default=True,
    metavar="SECONDS",
    help="Unpublished versions (left by a load that died) are deleted once this old.",
)
@click.pass_context
def prune(ctx: click.Context, orphan_age: float) -> None:
    """Delete retired graph versions, which `load` and `drop` keep so that changes can be shown.

    \b
    Example:
      ssbkg prune
    """
    with _store(ctx, write=True) as store:
        doomed = store.prune(orphan_age_seconds=orphan_age)
    click.echo(f"Deleted {len(doomed)} retired or abandoned graph version(s)", err=True)


@cli.command()
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
      ssbkg retract assertion-svolt-member-casip-creative-marketing --reason "aggregator misread Nikkei"
    """
    from ssbkg.retraction import retract as run_retract

    with _store(ctx, write=True) as store:
        iri = run_retract(store, assertion, reason, agent=agent)
    click.echo(f"Retracted {assertion} ({iri})", err=True)


@cli.command()
@click.option(
    "--min-certainty",
    default="reported",
    show_default=True,
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
    from ssbkg.inference import infer as run_infer

    with _store(ctx, write=True) as store:
        try:
            results = run_infer(store, min_certainty=min_certainty, agent=agent)
        except NotConformant as e:
            _print_report(e.report, "text")
            raise
    for r in results:
        click.echo(f"{'Rebuilt' if r.changed else 'Unchanged:'} <{r.graph}> ({r.triples} triples)", err=True)


@cli.command()
@click.argument("subject")
@click.argument("object_", metavar="[OBJECT]", required=False)
@click.option(
    "--depth",
    type=click.IntRange(0, 5),
    default=2,
    show_default=True,
    help="How deep to follow inferred assertions into their premises.",
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
    from ssbkg import explain as evidence
    from ssbkg.resolve import resolve

    anything = ("http://www.w3.org/ns/org#Organization", "https://w3id.org/ssbkg/ontology#Person")
    with _store(ctx) as store:
        who = resolve(store, subject, anything, "organization or person")
        what = resolve(store, object_, anything, "organization") if object_ else None
        trees = evidence.explain(store, who, what, depth=depth)
    if not trees:
        raise InputError(
            f"no claims about {subject}" + (f" and {object_}" if object_ else ""),
            hint="see ssbkg query organization-profile -p organization=...",
        )
    click.echo(evidence.render(trees), nl=False)


@cli.command()
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="The first day, YYYY-MM-DD.")
@click.option(
    "--between",
    nargs=2,
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="FROM TO",
    help="The first and last day, YYYY-MM-DD YYYY-MM-DD.",
)
@click.option(
    "--format", "fmt", type=click.Choice(ROW_FORMATS), help="Output format (default: table on a terminal, else csv)."
)
@click.pass_context
def changes(ctx: click.Context, since: Any, between: Any, fmt: str | None) -> None:
    """What changed: claims added, changed, removed or retracted in a period, with their sources.

    Read from the graph versions the store keeps (until `ssbkg prune`) and the retractions.

    \b
    Examples:
      ssbkg changes --since 2026-11-18
      ssbkg changes --between 2024-02-01 2024-02-29 --format csv
    """
    from pyoxigraph import Literal, NamedNode

    from ssbkg.changes import changes as find_changes
    from ssbkg.stores import QueryResult, Term

    if bool(since) == bool(between):
        raise InputError("give --since DATE or --between FROM TO", hint="for example --since 2026-11-18")
    first, last = (since.date(), None) if since else (between[0].date(), between[1].date())
    with _store(ctx) as store:
        found = find_changes(store, first, last)
    columns = ["when", "change", "assertion", "subject", "predicate", "object", "source", "by", "graph", "note"]
    rows: list[tuple[Term | None, ...]] = [
        tuple(
            NamedNode(v) if v.startswith(("http://", "https://")) else Literal(v)
            for v in (getattr(c, k) for k in columns)
        )
        for c in found
    ]
    _emit_rows(QueryResult(columns, rows), _row_format(fmt))


# ---------------------------------------------------------------------------------------- queries / query


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(ROW_FORMATS), help="Output format (default: table on a terminal, else csv)."
)
def queries(fmt: str | None) -> None:
    """List the stored queries: name, summary and parameters.

    \b
    Example:
      ssbkg queries
    """
    from pyoxigraph import Literal

    from ssbkg.catalogue import stored_queries
    from ssbkg.stores import QueryResult, Term

    rows: list[tuple[Term | None, ...]] = []
    for q in stored_queries().values():
        params = ", ".join(
            f"{p.name} ({p.type_label}{'' if p.required else ', optional'}"
            + (f", default {q.defaults[p.name].rsplit('#', 1)[-1]}" if p.name in q.defaults else "")
            + ")"
            for p in q.parameters
        )
        rows.append((Literal(q.name), Literal(q.summary), Literal(params)))
    _emit_rows(QueryResult(["name", "summary", "parameters"], rows), _row_format(fmt))


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise InputError(f"-p {item!r} is not NAME=VALUE", hint="for example -p alliance=casip")
        out[name.strip()] = value
    return out


@cli.command()
@click.argument("name", metavar="NAME|FILE.rq")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter value (repeatable).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(ROW_FORMATS + GRAPH_FORMATS),
    help="Output format (default: table on a terminal, else csv; turtle for CONSTRUCT).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Give up after this long (exit 3).",
)
@click.option("--allow-remote", is_flag=True, help="Allow SERVICE and LOAD in a query file.")
@click.pass_context
def query(
    ctx: click.Context, name: str, params: tuple[str, ...], fmt: str | None, timeout: float | None, allow_remote: bool
) -> None:
    """Run a stored query by name, or any .rq file, with bound parameters.

    Parameters are parsed into RDF terms first: an IRI parameter takes a full IRI, a prefixed name
    (ssbid:casip), a listed value by its local name (reported) or a slug (casip).

    \b
    Examples:
      ssbkg query alliance-members -p alliance=casip
      ssbkg query alliance-members -p alliance=casip -p minCertainty=reported --format csv
      ssbkg query my-query.rq --format json
    """
    from ssbkg import running

    outcome = running.run(ctx.obj["config"], name, _parse_params(params), timeout=timeout, allow_remote=allow_remote)
    if isinstance(outcome, bool):
        click.echo("true" if outcome else "false")
    elif isinstance(outcome, list):
        from ssbkg.render import render_rdf

        rdf_fmt = fmt if fmt in GRAPH_FORMATS else "turtle"
        sys.stdout.buffer.write(render_rdf(outcome, rdf_fmt))
    else:
        if fmt in GRAPH_FORMATS:
            raise InputError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries", hint="use csv, json, table, ...")
        _emit_rows(outcome, _row_format(fmt))


def _emit_rows(result: Any, fmt: str) -> None:
    from ssbkg import render

    if fmt == "table":
        render.print_table(result.variables, [[render.short(t) for t in row] for row in result.rows])
    else:
        click.echo(render.render_rows(result, fmt), nl=False)


@cli.command()
@click.argument("text")
@click.option(
    "--format", "fmt", type=click.Choice(ROW_FORMATS), help="Output format (default: table on a terminal, else csv)."
)
@click.pass_context
def find(ctx: click.Context, text: str, fmt: str | None) -> None:
    """Find organizations, alliances, sources and people by any name, in any language.

    Searches labels, alternative labels, legal names and headlines, case-insensitively; exact
    matches come first. This is the stored query `find`.

    \b
    Examples:
      ssbkg find catl
      ssbkg find 宁德时代
    """
    from ssbkg import running

    _emit_rows(running.run(ctx.obj["config"], "find", {"text": text}), _row_format(fmt))


# ---------------------------------------------------------------------------------------- export


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["trig", "nq", "turtle", "nt", "jsonld"]),
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
    from ssbkg import loading
    from ssbkg.render import render_rdf

    with _store(ctx) as store:
        with_provenance = not no_provenance and fmt in ("trig", "nq", "jsonld")
        quads = loading.export_quads(store, list(graphs_) or None, provenance=with_provenance)
    data = render_rdf(quads, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        return
    path = Path(output)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # a reader never sees half a file
    click.echo(f"Wrote {len(quads)} triples to {output}", err=True)


# ---------------------------------------------------------------------------------------- serve


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="A loopback address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="The port.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the published graphs as a read-only SPARQL endpoint on loopback.

    Other tools can then query the graph: the default graph is the union of the published graphs,
    and Oxigraph's query page opens in a browser. It serves a snapshot taken at start; restart it
    to see later loads.

    \b
    Example:
      ssbkg serve --port 7878
      curl http://127.0.0.1:7878/query --data-urlencode 'query=SELECT (COUNT(*) AS ?n) {?s ?p ?o}'
    """
    from ssbkg.serving import serve as run_server

    run_server(lambda: _store(ctx), host, port, lambda line: click.echo(line, err=True))


def main() -> None:
    cli(prog_name="ssbkg")
