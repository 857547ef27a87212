"""Every URL the pages link to, made in one place: an entity's page by its kind, a query's page and its
API forms, each carrying the day and the level of certainty the reader chose."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping

from ssbkg.namespaces import SSBID, compact

# The page kinds, by the class of what a page shows; anything else has an organization page (every
# entity's facts and claims, whatever it is).
KINDS = {
    "Alliance": "alliances",
    "Report": "sources",
    "Source": "sources",
    "AnalystNote": "sources",
    "Testimony": "sources",
}
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def suffix(view: Mapping[str, str], extra: Mapping[str, str] | None = None) -> str:
    pairs = {k: v for k, v in {**view, **(extra or {})}.items() if v}
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""


def entity(kind: str, iri: str, view: Mapping[str, str]) -> str:
    """/organizations/catl, or /organizations?iri=... for an IRI outside ssbkg's own names."""
    slug = iri.removeprefix(SSBID)
    if iri.startswith(SSBID) and _SLUG.match(slug):
        return f"/{kind}/{urllib.parse.quote(slug)}{suffix(view)}"
    return f"/{kind}{suffix(view, {'iri': iri})}"


def query(name: str, params: Mapping[str, str]) -> str:
    return f"/queries/{urllib.parse.quote(name)}{suffix(params)}"


def api(name: str, params: Mapping[str, str], ext: str) -> str:
    return f"/api/queries/{urllib.parse.quote(name)}.{ext}{suffix(params)}"


def short(iri: str) -> str:
    """An IRI as a reader sees it: ssbid:catl."""
    return compact(iri)


def id_page(iri: str, view: Mapping[str, str]) -> str:
    """/id/SLUG: the page of whatever ssbkg names so, found by its kind."""
    return f"/id/{urllib.parse.quote(iri.removeprefix(SSBID))}{suffix(view)}"


def twin(iri: str, ext: str, view: Mapping[str, str]) -> str:
    """The data twin of an entity's page: /id/catl.json, /id/catl.ttl."""
    if own(iri):
        return f"/id/{urllib.parse.quote(iri.removeprefix(SSBID))}.{ext}{suffix(view)}"
    return f"/id{suffix(view, {'iri': iri, 'format': ext})}"


def own(iri: str) -> bool:
    return iri.startswith(SSBID) and bool(_SLUG.match(iri.removeprefix(SSBID)))
