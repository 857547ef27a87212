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


_BRACKETED = re.compile(r" \(ssbid:([A-Za-z0-9][A-Za-z0-9._-]*)\)")


def _named_refs(text: str, suffix: str) -> str:
    """Each "what it names (ssbid:x)" as a link on what it names: the words since the last ": " or "; "."""
    out, at = [], 0
    for m in _BRACKETED.finditer(text):
        start = max(text.rfind(": ", at, m.start()), text.rfind("; ", at, m.start()))
        start = at if start < 0 else start + 2
        out += [text[at:start], f'<a href="/id/{m.group(1)}{suffix}">{text[start : m.start()]}</a>']
        at = m.end()
    return "".join(out) + text[at:]


def refs(text: str, view: Any, *, named: bool = False) -> Markup:
    """Text with each ssbid:NAME it mentions (explain's lines do) made a link to that entity's page;
    `named`: a mention in brackets after a name ("Nikkei Asia (ssbid:...)") becomes a link on the name."""
    suffix = escape(links.suffix(view.params()))
    text = str(escape(text))
    if named:
        text = _named_refs(text, str(suffix))
    link = lambda m: f'<a href="/id/{m.group(1)}{suffix}">{m.group(0)}</a>'  # noqa: E731
    # Escaped first; a link adds only slug characters and the escaped view: S704 does not apply.
    return Markup(_REF.sub(link, text))  # noqa: S704
