"""Real SPARQL servers for the tests, started on free loopback ports with temporary storage.

Oxigraph's server comes from the `oxigraph` package on PyPI; Virtuoso from Debian's
`virtuoso-opensource` (.ci/run installs it). Each server is stopped when the test session ends.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
STARTUP = 180  # seconds a server may take to answer on a busy machine; a broken one never does


class ServerExitedEarly(RuntimeError):
    """The server process ended before it answered (on a port taken meanwhile, for one)."""


@dataclass
class Server:
    name: str
    query_url: str
    process: subprocess.Popen[bytes]
    directory: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until(check, seconds: float, what: str, process: subprocess.Popen[bytes], log: Path) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerExitedEarly(f"{what} exited early: {log.read_text(errors='replace')[-2000:]}")
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer within {seconds} s: {log.read_text(errors='replace')[-2000:]}")


def listening(pid: int, port: int) -> bool:
    """Whether process `pid` holds the listening socket of loopback `port`. A port found free can be
    taken by another server (another test worker's, a benchmark's) before ours binds it; that one would
    answer in ours's place, and a test would read and write another store."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(fields[9])
    held = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):  # closed meanwhile
                held.add(str(fd.readlink()))
    except OSError:  # the process has ended
        return False
    return any(f"socket:[{inode}]" in held for inode in inodes)


def _answers(url: str) -> bool:
    try:
        query = urllib.parse.urlencode({"query": "ASK {}"})
        with urllib.request.urlopen(f"{url}?{query}", timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def oxigraph_available() -> str | None:
    return shutil.which("oxigraph")


def on_a_free_port(start: Callable[[Path], Server], directory: Path, attempts: int = 3) -> Server:
    """Start a server, again on other ports if it exits early: a port found free can be taken by another
    test process (pytest-xdist) before the server binds it."""
    for attempt in range(attempts):
        try:
            return start(directory)
        except ServerExitedEarly:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def start_oxigraph(directory: Path, *options: str) -> Server:
    """An Oxigraph server on a free loopback port, storing in `directory`, with `serve`'s `options`."""
    return on_a_free_port(lambda d: _start_oxigraph(d, options), directory)


def _start_oxigraph(directory: Path, options: tuple[str, ...]) -> Server:
    binary = oxigraph_available()
    if binary is None:
        raise RuntimeError("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    log = directory / "oxigraph.log"
    process = subprocess.Popen(
        [binary, "serve", "--location", str(directory / "data"), "--bind", f"127.0.0.1:{port}", *options],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/query"
    _wait_until(lambda: listening(process.pid, port) and _answers(url), STARTUP, "oxigraph serve", process, log)
    return Server("oxigraph-server", url, process, directory)


def virtuoso_available() -> str | None:
    binary = shutil.which("virtuoso-t")
    return binary if binary and VIRTUOSO_INI.exists() and shutil.which("isql-vt") else None


def start_virtuoso(directory: Path, *, buffers: int = 20000, max_rows: int | None = None) -> Server:
    """A Virtuoso on free loopback ports; `buffers` 8 kB pages of cache (the tests' small default);
    `max_rows` its cap on an answer's rows (ResultSetMaxRows; the tests keep Debian's 10,000)."""
    return on_a_free_port(lambda d: _start_virtuoso(d, buffers=buffers, max_rows=max_rows), directory)


def _start_virtuoso(directory: Path, *, buffers: int, max_rows: int | None) -> Server:
    binary = virtuoso_available()
    if binary is None:
        raise RuntimeError("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    sql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text(encoding="utf-8")
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db", str(directory))
    ini = re.sub(r"(?m)^ServerPort\s*=\s*1111", f"ServerPort = {sql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort\s*=\s*8890", f"ServerPort = {http_port}", ini)
    # A small database for tests: less memory, quicker start.
    ini = re.sub(r"(?m)^NumberOfBuffers\s*=.*$", f"NumberOfBuffers = {buffers}", ini)
    ini = re.sub(r"(?m)^MaxDirtyBuffers\s*=.*$", f"MaxDirtyBuffers = {buffers * 3 // 4}", ini)
    if max_rows is not None:
        ini = re.sub(r"(?m)^ResultSetMaxRows\s*=.*$", f"ResultSetMaxRows = {max_rows}", ini)
    (directory / "virtuoso.lck").unlink(missing_ok=True)  # left by an attempt on a port taken meanwhile
    config = directory / "virtuoso.ini"
    config.write_text(ini, encoding="utf-8")
    log = directory / "virtuoso.stdout"
    process = subprocess.Popen(
        [binary, "+configfile", str(config), "+foreground"],
        cwd=directory,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{http_port}/sparql"

    def ours() -> bool:
        return listening(process.pid, http_port) and listening(process.pid, sql_port) and _answers(url)

    _wait_until(ours, STARTUP, "virtuoso-t", process, log)
    for statement in ('GRANT SPARQL_UPDATE TO "SPARQL";', "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"):
        subprocess.run(
            ["isql-vt", str(sql_port), "dba", "dba", f"exec={statement}"],
            check=True,
            capture_output=True,
            timeout=STARTUP,
        )
    return Server("virtuoso", url, process, directory)


def required_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}
