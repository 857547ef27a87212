"""`ssbkg serve`: a snapshot of the published graphs behind Oxigraph's own read-only SPARQL server.

The snapshot holds each published graph under its own name, plus a registry in which each graph is
its own current version, so that other tools see exactly what ssbkg's queries see (with the union of
the graphs as the default graph), and ssbkg itself can use the endpoint as a read-only store. The
store is read once; later loads are served after a restart.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pyoxigraph as ox

from ssbkg.errors import InputError, StoreError
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
    kinds = {g.graph: g.kind for g in store.published()}
    for kind in sorted(set(kinds.values())):
        versions = {g: reg.NewVersion(g, (g,), counts.get(g, 0), reg.NONE) for g, k in kinds.items() if k == kind}
        target.update(reg.publish(versions, kind=kind, source=f"snapshot of {store.location}"))
    target.flush()
    del target
    return len(kinds), len(quads)


def serve(
    store_opener: Callable[[], AbstractContextManager[Store]], host: str, port: int, announce: Callable[[str], None]
) -> None:
    if host not in LOOPBACK:
        raise InputError(f"--host {host} is not a loopback address", hint="ssbkg serves on 127.0.0.1, localhost or ::1")
    binary = oxigraph_binary()
    with tempfile.TemporaryDirectory(prefix="ssbkg-serve-") as tmp:
        location = Path(tmp) / "snapshot"
        with store_opener() as store:
            graphs, triples = snapshot(store, location)
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        process = subprocess.Popen(
            [binary, "serve-read-only", "--location", str(location), "--bind", bind, "--union-default-graph"]
        )
        url_host = f"[{host}]" if ":" in host else host
        announce(
            f"Serving a snapshot of {graphs} graphs ({triples} triples) read-only at "
            f"http://{url_host}:{port}/query (a query page at http://{url_host}:{port}/); Ctrl-C stops it"
        )
        try:
            code = process.wait()
        except KeyboardInterrupt:
            process.terminate()
            process.wait()
            return
        if code != 0:
            raise StoreError(f"the oxigraph server stopped with exit code {code}", hint="is the port in use?")
