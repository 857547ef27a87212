"""ssbkg: a provenance-aware knowledge graph of industry alliances, built from sourced claims.

The library's face, for a notebook or a script (docs/library.md has an example of each)::

    import ssbkg

    with ssbkg.open_store("memory:") as store:
        members = ssbkg.query(store, "alliance-members", {"alliance": "casip"})

The names below are imported when first used, so that `import ssbkg` stays cheap: the CLI's query
path does not pay for the gate, rdflib or pySHACL.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ssbkg.errors import InputError, NotConformant, NothingWritten, SsbkgError, StoreError

__version__ = "0.8.0"

# name -> the module that holds it
_FACE = {
    "open_store": "ssbkg.stores",
    "StoreConfig": "ssbkg.stores",
    "Store": "ssbkg.stores",
    "QueryResult": "ssbkg.stores",
    "load_files": "ssbkg.writing.loading",
    "validate_files": "ssbkg.writing.loading",
    "query": "ssbkg.querying.running",
    "stored_queries": "ssbkg.querying.catalogue",
    "Claim": "ssbkg.writing.claim_triples",
    "record": "ssbkg.writing.claims",
    "retract": "ssbkg.writing.retraction",
    "infer": "ssbkg.writing.inference",
    "explain": "ssbkg.evidence.explain",
    "changes": "ssbkg.evidence.changes",
}

__all__ = [
    "Claim",
    "InputError",
    "NotConformant",
    "NothingWritten",
    "QueryResult",
    "SsbkgError",
    "Store",
    "StoreConfig",
    "StoreError",
    "__version__",
    "changes",
    "explain",
    "infer",
    "load_files",
    "open_store",
    "query",
    "record",
    "retract",
    "stored_queries",
    "validate_files",
]

if TYPE_CHECKING:
    from ssbkg.evidence.changes import changes
    from ssbkg.evidence.explain import explain
    from ssbkg.querying.catalogue import stored_queries
    from ssbkg.querying.running import query
    from ssbkg.stores import QueryResult, Store, StoreConfig, open_store
    from ssbkg.writing.claim_triples import Claim
    from ssbkg.writing.claims import record
    from ssbkg.writing.inference import infer
    from ssbkg.writing.loading import load_files, validate_files
    from ssbkg.writing.retraction import retract


def __getattr__(name: str) -> Any:
    module = _FACE.get(name)
    if module is None:
        raise AttributeError(f"module 'ssbkg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found once
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
