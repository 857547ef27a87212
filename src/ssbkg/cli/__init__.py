"""The ssbkg command line: each command parses its options, calls one library function, renders."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import click

from ssbkg import __version__
from ssbkg.cli import queries as query_commands
from ssbkg.cli._common import Seconds
from ssbkg.errors import NotConformant, NothingWritten, SsbkgError

# Commands in modules of their own, imported only when run or listed: `ssbkg query` starts faster.
LAZY_COMMANDS = {name: "ssbkg.cli.evidence" for name in ("claim", "retract", "infer", "explain", "changes", "find")}
LAZY_COMMANDS |= {"report": "ssbkg.cli.report", "graph": "ssbkg.cli.report"}
LAZY_COMMANDS |= {name: "ssbkg.cli.graphs" for name in ("load", "validate", "graphs", "drop", "export")}
LAZY_COMMANDS |= {"init": "ssbkg.cli.store", "prune": "ssbkg.cli.store", "intake": "ssbkg.cli.intake"}


class Group(click.Group):
    """Maps every error to its exit code once, with one `Error:` line and no traceback unless --debug.
    Loads the commands of LAZY_COMMANDS on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            module = importlib.import_module(LAZY_COMMANDS[cmd_name])
            for command in module.COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def main(self, args: Any = None, *posargs: Any, **kwargs: Any) -> Any:
        given = list(sys.argv[1:] if args is None else args)
        bad = _not_utf8(given)
        if bad is not None:
            _error(bad, "type it again in UTF-8 (check the terminal's or the script's encoding); nothing was done")
            sys.exit(2)
        return super().main(given, *posargs, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NotConformant as e:
            from ssbkg.cli._common import REPORT_FORMAT, print_report

            print_report(e.report, ctx.meta.get(REPORT_FORMAT, "text"))
            _error(e.message, e.hint or "fix what the report above says, then run the command again")
            ctx.exit(1)
        except NothingWritten as e:
            click.echo(f"Nothing written: {e.message}", err=True)
            ctx.exit(e.exit_code)
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


def _not_utf8(args: list[str]) -> str | None:
    """What names the first argument that holds bytes that are not UTF-8 (Python keeps them as lone
    surrogates, which no file, store or terminal can take), or None."""
    for i, arg in enumerate(args):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            option, _, value = shown.partition("=")
            if arg.startswith("--") and value:
                return f"{option}: the value {value!r} is not UTF-8"
            if i > 0 and args[i - 1].startswith("-") and args[i - 1] != "-":
                return f"{args[i - 1]}: the value {shown!r} is not UTF-8"
            return f"the argument {shown!r} is not UTF-8"
    return None


def _error(message: str, hint: str | None = None) -> None:
    from ssbkg.io.terminal import fit, printable, stderr_width

    text = printable(f"Error: {message}") + (printable(f"\nHint: {hint}") if hint else "")
    click.echo(fit(text, stderr_width()), err=True)


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
    type=Seconds(min=0),
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
    type=Seconds(min=0, min_open=True),
    default=30.0,
    show_default=True,
    envvar="SSBKG_HTTP_TIMEOUT",
    metavar="SECONDS",
    help="The deadline of each request to a remote store, from connecting to the last byte. Env: SSBKG_HTTP_TIMEOUT.",
)
@click.option(
    "--queries",
    "query_folder",
    envvar="SSBKG_QUERIES",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of your own stored queries (.rq), listed and run beside the bundled ones. Env: SSBKG_QUERIES.",
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
    query_folder: Path | None,
    debug: bool,
) -> None:
    """Who belongs to an industry alliance, how sure we are, and who said so.

    A knowledge graph of sourced claims, in an embedded Oxigraph store.

    \b
    Example:
      ssbkg query alliance-members -p alliance=casip
    """
    import os

    from ssbkg.stores import StoreConfig

    # Credentials come from the environment only, never from the command line (where `ps` shows them).
    config = StoreConfig(
        store,
        wait,
        update_endpoint,
        graph_store_endpoint,
        http_timeout,
        user=os.environ.get("SSBKG_USER"),
        password=os.environ.get("SSBKG_PASSWORD"),
        digest=os.environ.get("SSBKG_AUTH", "basic").lower() == "digest",
        holder=f"ssbkg {ctx.invoked_subcommand}",
    )
    ctx.obj = {"config": config, "debug": debug, "folders": (query_folder,) if query_folder else ()}


# The commands on queries are always loaded: they are what runs most often.
for _command in query_commands.COMMANDS:
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="ssbkg")
