"""A store directory on disk: its layout, the checks before anything is written into a path, making
and seeding a new store, the 0.2.0 migration, cleaning up after a killed write, and opening it under
the lock (shared to read, exclusive to write).
"""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ssbkg.errors import InputError, StoreError
from ssbkg.namespaces import HISTORY_BASE, REGISTRY_GRAPH
from ssbkg.stores import migration
from ssbkg.stores.embedded import EmbeddedBackend, open_oxigraph
from ssbkg.stores.lock import StoreLock
from ssbkg.stores.versioned import Store

LAYOUT = "2"  # 1: versions and registry in one store (0.2.0); 2: content apart from registry and history
HISTORY_DIR = "ssbkg-history"


def _layout(path: Path) -> str | None:
    """The layout of a store directory: None if it is new."""
    marker = path / "ssbkg.layout"
    if marker.exists():
        return marker.read_text(encoding="utf-8").strip()
    return "1" if (path / "ssbkg.seeded").exists() else None


def _mark_layout(path: Path) -> None:
    tmp = path / "ssbkg.layout.tmp"
    with tmp.open("w", encoding="utf-8") as f:
        f.write(LAYOUT + "\n")
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path / "ssbkg.layout")


@contextmanager
def open_disk_store(
    path: Path,
    *,
    write: bool,
    wait: float,
    create: bool = False,
    on_create: Callable[[Store], object] | None = None,
    holder: str = "",
) -> Iterator[Store]:
    if path.is_symlink() and not path.exists():  # a link to nowhere, or a loop of links
        raise InputError(
            f"the store path {path} is a symbolic link to {path.readlink()}, which leads to no directory",
            hint="point the link at a directory, or give the directory itself",
        )
    if path.exists() and not path.is_dir():
        raise InputError(f"the store path {path} is a file, not a store directory", hint="give a directory")
    above = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if above is not None:
        raise InputError(f"the store path {path} is below {above}, which is a file", hint="give a directory")
    fresh = _layout(path) is None
    if fresh:
        _check_new(path, create=create)
    while True:
        layout = _layout(path)
        if layout is not None and layout not in ("1", LAYOUT):
            raise StoreError(f"the store {path} has layout {layout}, newer than this ssbkg knows", hint="upgrade ssbkg")
        if layout != LAYOUT or (path / "ssbkg.dirty").exists():
            # First use, a store of 0.2.0, or a write that died: put it right under the exclusive lock.
            with StoreLock(path, exclusive=True, wait=wait, holder=holder):
                _prepare(path, on_create)
        with StoreLock(path, exclusive=write, wait=wait, holder=holder):
            if not write and (path / "ssbkg.dirty").exists():
                continue  # a writer died between our checks: put it right first
            backend = EmbeddedBackend(open_oxigraph(path, write=write), str(path), path / HISTORY_DIR, write=write)
            try:
                yield Store(backend, created=fresh)
            finally:
                backend.close(wrote=write)
            return


def _check_new(path: Path, *, create: bool) -> None:
    """Refuse, before writing anything, to open a path that holds no ssbkg store, unless asked to create
    one there and the directory is missing or empty (a lock file of an earlier try aside)."""
    if (path / "ssbkg.stores.lock").exists() and (path / HISTORY_DIR).exists():
        return  # a first use that was killed part way: _prepare finishes it
    entries = [p.name for p in path.iterdir()] if path.is_dir() else []
    if (path / "CURRENT").exists() or any(n.startswith("OPTIONS-") for n in entries):
        raise StoreError(
            f"{path} is an Oxigraph store that ssbkg did not make; ssbkg will not write into it",
            hint="ssbkg keeps every graph of its store under its own bookkeeping; copy the data in with "
            "`oxigraph dump` and `ssbkg load`, into a store of its own (ssbkg --store NEW-PATH init)",
        )
    if not create:
        where = "does not exist" if not path.exists() else "holds no ssbkg store"
        named = "the current directory" if str(path) == "." else str(path)
        raise StoreError(
            f"{named} {where}",
            hint=f"check the path, or create a store there with: ssbkg --store {path} init",
        )
    if [n for n in entries if n != "ssbkg.stores.lock"]:
        raise StoreError(
            f"{path} is a directory with other files in it, not an ssbkg store",
            hint="give init a new or empty directory, e.g. ssbkg --store ./casip-store init",
        )


def _prepare(path: Path, on_create: Callable[[Store], object] | None) -> None:
    """Make a new store (given to `on_create`, under the exclusive lock, before any other process sees
    it), migrate one of 0.2.0, or clean up after a dead write (exclusive lock held)."""
    layout = _layout(path)
    if layout is None:
        shutil.rmtree(path / HISTORY_DIR, ignore_errors=True)
        backend = EmbeddedBackend(open_oxigraph(path, write=True), str(path), path / HISTORY_DIR)
        backend.sweep()  # whatever an earlier, killed first use left
        if on_create is not None:
            on_create(Store(backend, created=True))
        _mark_layout(path)
        (path / "ssbkg.seeded").touch()
        backend.close()
        return
    if layout == "1":
        _migrate(path)
    backend = EmbeddedBackend(open_oxigraph(path, write=True), str(path), path / HISTORY_DIR)
    backend.sweep()
    (path / "ssbkg.dirty").unlink(missing_ok=True)
    backend.close()


def _migrate(path: Path) -> None:
    """Layout 1 to layout 2, on disk (the exclusive lock held)."""
    history = path / HISTORY_DIR
    shutil.rmtree(history, ignore_errors=True)  # a migration that died part way starts again
    content = open_oxigraph(path, write=True)
    old = EmbeddedBackend(content, str(path), content)  # layout 1: the registry is in the content
    migration.upgrade_history(old)
    meta = ox.Store(str(history))
    for graph in content.named_graphs():
        name = str(getattr(graph, "value", ""))
        if name == REGISTRY_GRAPH or name.startswith(HISTORY_BASE):
            meta.extend(content.quads_for_pattern(None, None, None, graph))
    meta.flush()
    del meta, content, old
    gc.collect()  # pyoxigraph closes a store when its last reference goes
    (path / "ssbkg.dirty").touch()  # the sweep that follows removes the registry and retired versions
    _mark_layout(path)
