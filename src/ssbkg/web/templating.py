"""The one Jinja environment every page is rendered through: the site's pages and the standalone
evidence page that `ssbkg report` writes (web/standalone.py), autoescaped, with the names the
templates share. Jinja only: the command line renders a report without Starlette."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ssbkg import __version__
from ssbkg.evidence.network import node_id
from ssbkg.namespaces import compact
from ssbkg.vocab import LEVELS, SAID, STYLES
from ssbkg.web import links

HERE = Path(__file__).parent
_REF = re.compile(r"ssbid:([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])")


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined)
    env.globals.update(
        layout="base.html",  # what a page extends: the site's frame, or standalone.html for a file
        links=links,
        compact=compact,
        levels=LEVELS,
        said=SAID,
        styles=STYLES,
        version=__version__,
        node_id=node_id,
    )
    env.filters["refs"] = refs
    return env


def refs(text: str, view: Any) -> Markup:
    """Text with each ssbid:NAME it mentions (explain's lines do) made a link to that entity's page."""
    suffix = links.suffix(view.params())
    link = lambda m: f'<a href="/id/{m.group(1)}{escape(suffix)}">{m.group(0)}</a>'  # noqa: E731
    # Escaped first; a link adds only slug characters and the escaped view: S704 does not apply.
    return Markup(_REF.sub(link, str(escape(text))))  # noqa: S704
