"""What the command modules share: opening the store, options, rendering rows and reports."""

from __future__ import annotations

import datetime
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ssbkg.errors import InputError
from ssbkg.io.formats import ROW_FORMATS

if TYPE_CHECKING:
    from ssbkg.stores import Store


class Seconds(click.FloatRange):
    """A number of seconds: FloatRange, which lets nan and inf through (nan compares with nothing)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        seconds = super().convert(value, param, ctx)
        if seconds != seconds or seconds in (float("inf"), float("-inf")):
            self.fail(f"{value!r} is not a number of seconds: give one like 30", param, ctx)
        return seconds


class Day(click.ParamType):  # type: ignore[type-arg]  # generic in newer click only
    """A calendar day written YYYY-MM-DD, checked as one (2024-02-30 is no day), given as a date."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.fail(f"{value!r} is not a day: a day is written YYYY-MM-DD, like 2024-02-13", param, ctx)
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is no day of the calendar (check the month and the day)", param, ctx)


@contextmanager
def open_for(ctx: click.Context, *, write: bool = False, create: bool = False) -> Iterator[Store]:
    from ssbkg.stores import open_store

    with open_store(ctx.obj["config"], write=write, create=create) as store:
        yield store


def row_format(fmt: str | None) -> str:
    return fmt or ("table" if sys.stdout.isatty() else "csv")


# The names other tools give the syntaxes (rapper, riot, rdflib), each to the one ssbkg calls it.
SYNTAX_ALIASES = {
    "ttl": "turtle", "n3": "turtle", "ntriples": "nt", "n-triples": "nt", "nquads": "nq", "n-quads": "nq",
    "json-ld": "jsonld", "xml": "rdfxml", "rdf": "rdfxml", "rdf/xml": "rdfxml", "owl": "rdfxml",
}  # fmt: skip


def _syntax(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    name = SYNTAX_ALIASES.get(value.lower(), value.lower())
    if name not in ("turtle", "trig", "nt", "nq", "jsonld", "rdfxml"):
        raise click.BadParameter(
            f"{value!r} is not a syntax ssbkg reads: turtle (ttl), trig, nt, nq, jsonld or rdfxml (xml)"
        )
    return name


syntax_option = click.option(
    "--syntax",
    metavar="turtle|trig|nt|nq|jsonld|rdfxml",
    callback=_syntax,
    help="The input syntax (default: from the file name; needed for -); ttl, json-ld, xml also do.",
)
agent_option = click.option(
    "--agent",
    envvar="SSBKG_AGENT",
    metavar="NAME|IRI",
    help="Who is writing, recorded as PROV with the graph (default: your user name). Env: SSBKG_AGENT.",
)
strict_option = click.option("--strict", is_flag=True, help="Warnings (sh:Warning) block too.")


def _remember_report_format(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    # The group prints a refused batch's report, once, in the format the command was asked for.
    ctx.meta[REPORT_FORMAT] = value
    return value


REPORT_FORMAT = "ssbkg.report_format"
report_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    callback=_remember_report_format,
    help="How to print the validation report; for load, json also prints what was loaded (graphs, triples, "
    "skipped claims) on stdout.",
)


class Feedback:
    """What a person waiting at a terminal sees of a load: a bar for the bytes read (large files), and
    what it is doing (reading, validating, writing) on one line, with the seconds it has taken so far,
    cleared at the end. Nothing when stderr is not a terminal."""

    def __init__(self, bar: Any = None, task: Any = None, *, line: bool = False) -> None:
        import threading

        self._bar, self._task, self._line = bar, task, line
        self._text, self._since = "", 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        if line:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()

    def advance(self, n: int) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, n)

    def phase(self, text: str) -> None:
        import time

        if self._bar is not None:
            self._bar.update(self._task, description=text)
        elif self._line:
            with self._lock:
                self._text, self._since = text, time.monotonic()
                self._show()

    def _show(self) -> None:
        import time

        seconds = time.monotonic() - self._since
        sys.stderr.write(f"\r\x1b[2K{self._text} …" + (f" {seconds:.0f} s" if seconds >= 1 else ""))
        sys.stderr.flush()

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            with self._lock:
                if self._text:
                    self._show()

    def done(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self._line and self._text:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()


@contextmanager
def progress(files: tuple[str, ...]) -> Iterator[Feedback]:
    if not sys.stderr.isatty():
        yield Feedback()
        return
    sizes = [Path(f).stat().st_size for f in files if f != "-" and Path(f).is_file()]
    if sum(sizes) < 5_000_000:
        feedback = Feedback(line=True)
        try:
            yield feedback
        finally:
            feedback.done()
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn, TransferSpeedColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("reading", total=sum(sizes))
        yield Feedback(bar, task)


@contextmanager
def waiting(what: str, after: float = 1.0) -> Iterator[None]:
    """On a terminal, a query that runs longer than `after` seconds shows what runs and for how long,
    on one line of stderr that is cleared when it ends; piped, nothing."""
    if not sys.stderr.isatty():
        yield
        return
    import threading
    import time

    done = threading.Event()
    start = time.monotonic()
    shown = []

    def tick() -> None:
        frames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
        n = 0
        if done.wait(after):
            return
        while not done.wait(0.2):
            sys.stderr.write(f"\r\x1b[2K{frames[n % len(frames)]} running {what} … {time.monotonic() - start:.1f} s")
            sys.stderr.flush()
            shown.append(n)
            n += 1

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        yield
    finally:
        done.set()
        ticker.join()
        if shown:  # clear the line only if something was written on it
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()


def write_output(data: bytes, output: str | None) -> None:
    """To a file, whole or not at all (a reader never sees half of it), or to standard output.

    Only a regular file is replaced, by renaming a finished copy over it; a symbolic link is followed
    (the file it points at is replaced, the link stays), and a pipe, a device or a terminal is written
    through, never replaced by a file."""
    import os
    import stat

    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        return
    path = Path(output)
    try:
        if path.is_dir():
            raise InputError(f"cannot write {output}: it is a folder", hint="give a file name, like report.html")
        # What the name leads to (/dev/stdout leads through /proc/self/fd/1 to a pipe with no path).
        info = path.stat() if path.exists() else None
        if info is not None and not stat.S_ISREG(info.st_mode):
            with path.open("wb") as out:  # a pipe or a device: what is written goes straight through
                out.write(data)
            return
        target = path.resolve() if path.is_symlink() else path
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
            if info is not None:
                tmp.chmod(stat.S_IMODE(info.st_mode))  # the file keeps who may read it
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as e:
        raise InputError(
            f"cannot write {output}: {e.strerror or e}", hint="check the folder exists and is writable"
        ) from None


def report_duplicates(found: list[Any]) -> None:
    from ssbkg.gate.results import compact

    for d in found:
        click.echo(
            f"Skipped {compact(d.assertion)}: the same claim from the same source is already recorded as "
            f"{compact(d.existing)}",
            err=True,
        )


def print_report(report: Any, fmt: str, *, err: bool = False) -> None:
    from ssbkg.gate import report as reports
    from ssbkg.io import terminal

    text = reports.format_report(report, fmt)
    if fmt not in ("json", "turtle"):
        width = terminal.stderr_width() if err else terminal.terminal_width()
        text = terminal.fit(terminal.printable(text), width)
    click.echo(text, nl=False, err=err)


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise InputError(f"-p {item!r} is not NAME=VALUE", hint="for example -p alliance=casip")
        out[name.strip()] = value
    return out


row_format_option = click.option(
    "--format", "fmt", type=click.Choice(ROW_FORMATS), help="Output format (default: table on a terminal, else csv)."
)
columns_option = click.option(
    "--columns",
    metavar="NAME,...",
    help="Only these columns, in this order (default: all; on a terminal, those that fit).",
)


def emit_rows(result: Any, fmt: str, columns: str | None = None) -> None:
    from ssbkg.io import render, terminal

    if columns:
        result = render.select_columns(result, [c.strip() for c in columns.split(",") if c.strip()])
    if fmt == "table":
        shown = [[render.short(t) for t in row] for row in result.rows]
        width = terminal.terminal_width()
        click.echo(terminal.render(result.variables, shown, width, result.roles, chosen=bool(columns)), nl=False)
    else:
        text = render.render_rows(result, fmt)
        # On a terminal, data's control characters are shown, never obeyed; a file or a pipe gets them.
        on_screen = sys.stdout.isatty() and fmt not in ("json", "jsonl")
        click.echo(terminal.printable(text, keep="\r\n") if on_screen else text, nl=False)
