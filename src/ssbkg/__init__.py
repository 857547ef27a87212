"""ssbkg: a provenance-aware knowledge graph of industry alliances, built from sourced claims."""

from ssbkg.errors import SsbkgError

__version__ = "0.1.0"

__all__ = ["SsbkgError", "__version__"]
