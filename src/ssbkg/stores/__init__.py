"""One small interface over every kind of store, and `open_store` to pick one from a STORE string.

A store holds named graphs in versions. The content of the current versions is what queries read
(on the embedded store, as one union default graph); the registry of versions and the history of
what each changed live apart, where no query looks. Every write publishes with one compare-and-swap
update, so a reader sees a graph whole, old or new, and writers never lose each other's work
(stores/versioned.py has the algorithm, in the one `Store` class, over a backend).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeGuard

from ssbkg.errors import InputError
from ssbkg.io.terms import Term
from ssbkg.stores.base import GraphInfo, Pruned, QueryResult, Roles, StoreConfig
from ssbkg.stores.versioned import Store

__all__ = [
    "GraphInfo",
    "Pruned",
    "QueryResult",
    "Roles",
    "Store",
    "StoreConfig",
    "Term",
    "default_location",
    "is_remote",
    "open_store",
]


def default_location() -> Path:
    import platformdirs  # only when no --store is given

    return Path(platformdirs.user_data_dir("ssbkg")) / "store"


def is_remote(spec: str | None) -> TypeGuard[str]:
    """Whether a STORE string names a SPARQL server (which has no lock file and no local state)."""
    return spec is not None and spec.startswith(("http://", "https://"))


@contextmanager
def open_store(config: StoreConfig | str | None, *, write: bool = False, create: bool = False) -> Iterator[Store]:
    """Open the store a STORE string names: a path, ``oxigraph:PATH``, ``memory:`` or an http(s) URL.

    Only `create` (what `init` does) makes a new store at a path, and only in a missing or empty
    directory; the default store (no STORE) is made on first use. A path that holds no ssbkg store
    is refused before anything is written there: a mistyped --store must not answer."""
    if not isinstance(config, StoreConfig):
        config = StoreConfig(spec=config)
    spec = config.spec
    if spec == "memory:":
        from ssbkg.stores import embedded

        yield embedded.memory_store(on_create=_seed)
        return
    if is_remote(spec):
        from ssbkg.stores import remote

        remote_store = remote.open_remote(
            spec,
            update=config.update_endpoint,
            graph_store=config.graph_store_endpoint,
            user=config.user,
            password=config.password,
            digest=config.digest,
            timeout=config.http_timeout,
        )
        yield remote_store
        return
    if spec and ":" in spec.split("/", 1)[0] and not spec.startswith("oxigraph:"):
        raise InputError(
            f"unknown kind of store {spec!r}", hint="use a directory, oxigraph:PATH, memory: or an http(s) URL"
        )
    from ssbkg.stores import directory

    path = Path(spec.removeprefix("oxigraph:")).expanduser() if spec else default_location()
    made = create or not spec
    with directory.open_disk_store(
        path, write=write, wait=config.wait, create=made, on_create=_seed, holder=config.holder
    ) as store:
        yield store


def _seed(store: Store) -> None:
    # A new store starts with the bundled ontology, shapes and data (a server is seeded by `init`).
    from ssbkg.writing.seed import seed

    seed(store)
