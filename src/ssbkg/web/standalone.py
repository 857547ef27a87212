"""The evidence page on one alliance as a file (`ssbkg report`): the site's alliance page, rendered
through the site's templates into a frame that carries its stylesheet and script inline, so the
file opens anywhere and fetches nothing. Its links lead to the sources themselves (the reports'
addresses) and to the page's own rows, never to the site."""

from __future__ import annotations

from collections.abc import Mapping

from ssbkg.evidence import network
from ssbkg.evidence.alliance import Evidence, Source, gather
from ssbkg.stores import Store
from ssbkg.web.pages import View
from ssbkg.web.templating import HERE, environment


class FileLinks:
    """What the templates' `links` gives on a page that stands alone: http(s) addresses only (any other
    scheme would run or open something on the reader's machine), else a place on the page."""

    def __init__(self, sources: Mapping[str, Source]) -> None:
        self.sources = sources

    def entity(self, kind: str, iri: str, view: Mapping[str, str]) -> str:
        source = self.sources.get(iri) if kind == "sources" else None
        href = (source.url or iri) if source is not None else iri
        if href.lower().startswith(("http://", "https://")):
            return href
        return "#sources" if kind == "sources" else "#members"

    @staticmethod
    def own(iri: str) -> bool:
        return False  # no page of ssbkg's to link to: an entity's IRI is linked as an address

    @staticmethod
    def suffix(view: Mapping[str, str], extra: Mapping[str, str] | None = None) -> str:
        return ""


def page(store: Store, alliance: str, *, as_of: str | None = None, min_certainty: str | None = None) -> str:
    """The report for one alliance, as one self-contained HTML page."""
    found = gather(store, alliance, as_of=as_of, min_certainty=min_certainty)
    return render(found, network.svg_for_html(found))


def render(e: Evidence, picture: str) -> str:
    return (
        environment()
        .get_template("alliance.html")
        .render(
            layout="standalone.html",
            links=FileLinks(e.sources),
            view=View(as_of=e.as_of),
            e=e,
            picture=picture,
            left_out="",
            css=(HERE / "static" / "site.css").read_text(encoding="utf-8"),
            script=(HERE / "static" / "tables.js").read_text(encoding="utf-8"),
        )
    )
