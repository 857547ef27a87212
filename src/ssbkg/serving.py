"""`ssbkg serve`: a snapshot of the published graphs behind Oxigraph's own read-only SPARQL server.

The snapshot holds each published graph under its own name, plus a registry in which each graph is
its own current version (with its real load time, agent and source), so that other tools see exactly
what ssbkg's queries see (with the union of the graphs as the default graph), and ssbkg itself can
use the endpoint as a read-only store. The store is read once; later loads are served after a
restart. SIGTERM, SIGINT and SIGHUP stop the server and remove the snapshot.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pyoxigraph as ox

from ssbkg.errors import InputError, StoreError
from ssbkg.namespaces import XSD
from ssbkg.stores import Store
from ssbkg.stores import registry as reg

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def oxigraph_binary() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise StoreError("the oxigraph server is not installed", hint="pip install oxigraph")
    return found


def snapshot(store: Store, directory: Path) -> tuple[int, int]:
    """Write the published graphs and a matching registry into a new store; (graphs, triples)."""
    quads = store.quads()
    target = ox.Store(str(directory))
    target.bulk_extend(quads)
    counts: dict[str, int] = {}
    for q in quads:
        name = str(getattr(q.graph_name, "value", ""))
        counts[name] = counts.get(name, 0) + 1
    infos = store.published()
    for g in infos:
        version = {g.graph: reg.NewVersion(g.graph, (g.graph,), counts.get(g.graph, 0), reg.NONE)}
        when = ox.Literal(g.loaded_at, datatype=ox.NamedNode(XSD + "dateTime"))
        target.update(reg.publish(version, kind=g.kind, source=g.loaded_from, agent=g.agent or None, when=when))
    target.flush()
    del target
    return len(infos), len(quads)


def _check_port(host: str, port: int) -> None:
    """Fail before anything is printed or copied if the port is taken (the server would only say so
    with a backtrace)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as e:
            raise StoreError(
                f"cannot serve on {host}:{port}: {e.strerror or e}", hint="choose another --port, or stop what uses it"
            ) from None


class _Stop(Exception):
    """A signal asked the server to stop."""


def _stop(signum: int, _frame: object) -> None:
    raise _Stop(signum)


def _wait_until_up(process: subprocess.Popen[bytes], host: str, port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            first = next((line for line in log.read_text(errors="replace").splitlines() if line.strip()), "")
            raise StoreError(f"the oxigraph server did not start: {first or f'exit code {process.returncode}'}")
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise StoreError("the oxigraph server did not start within 60 s", hint="see its log above")


def serve(
    store_opener: Callable[[], AbstractContextManager[Store]], host: str, port: int, announce: Callable[[str], None]
) -> None:
    if host not in LOOPBACK:
        raise InputError(f"--host {host} is not a loopback address", hint="ssbkg serves on 127.0.0.1, localhost or ::1")
    binary = oxigraph_binary()
    _check_port(host, port)
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        with tempfile.TemporaryDirectory(prefix="ssbkg-serve-") as tmp:
            location, log = Path(tmp) / "snapshot", Path(tmp) / "server.log"
            with store_opener() as store:
                graphs, triples = snapshot(store, location)
            bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [binary, "serve-read-only", "--location", str(location), "--bind", bind, "--union-default-graph"],
                    stdout=out,
                    stderr=out,
                    env={**os.environ, "RUST_BACKTRACE": "0"},
                )
            try:
                _wait_until_up(process, host, port, log)
                url_host = f"[{host}]" if ":" in host else host
                announce(
                    f"Serving a snapshot of {graphs} graphs ({triples} triples) read-only at "
                    f"http://{url_host}:{port}/query (a query page at http://{url_host}:{port}/); Ctrl-C stops it"
                )
                code = process.wait()
                if code != 0:
                    raise StoreError(f"the oxigraph server stopped with exit code {code}", hint="see its log above")
            except (KeyboardInterrupt, _Stop):
                return
            finally:
                _end(process)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
