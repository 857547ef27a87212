"""Reading an article: an HTML or text file, standard input or an http(s) URL, to its main text and
what it says of itself (headline, date, publisher or site name, canonical URL, language).

HTML goes to trafilatura, which finds the article's text and metadata in the page; the size read is
capped and a page too large or nested too deep is refused before it is parsed. A URL is fetched as the
remote stores fetch: one deadline for the whole exchange, a cap on the answer, no credentials."""

from __future__ import annotations

import re
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ssbkg.errors import InputError, StoreError

MAX_BYTES = 10 * 1024 * 1024  # an article page larger than this is not an article
FETCH_SECONDS = 30.0


@dataclass
class Article:
    text: str
    headline: str = ""
    date: str = ""  # YYYY-MM-DD, YYYY-MM or YYYY, as the page says it
    publisher: str = ""  # the publisher's or the site's name, as the page says it
    url: str = ""
    language: str = ""
    where: str = ""  # the file or URL it was read from, for messages


def read(source: str) -> Article:
    """The article `source` names: a file, `-` (standard input) or an http(s) URL."""
    if re.match(r"^https?://", source, re.IGNORECASE):
        data, kind = _fetch(source)
        return _parse(data, source, html=kind != "text/plain", url=source)
    if source == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{source} does not exist", hint="give an HTML or text file, - or an http(s) URL")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(f"{source} is larger than {MAX_BYTES // (1024 * 1024)} MB", hint="save the article alone")
    html = source.lower().endswith((".html", ".htm", ".xhtml")) or bool(re.match(rb"\s*<", data[:512]))
    return _parse(data, source, html=html, url="")


def _fetch(url: str) -> tuple[bytes, str]:
    from ssbkg.stores.http import exchange

    # An http(s) URL only (read checked it; exchange checks again).
    headers = {"User-Agent": "ssbkg-intake", "Accept": "text/html, text/plain"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        answer = exchange(request, deadline=FETCH_SECONDS, credentials=None, max_bytes=MAX_BYTES)
    except urllib.error.HTTPError as e:
        raise StoreError(
            f"{url} answered HTTP {e.code}", hint="check the address; save the page and give the file"
        ) from None
    except (OSError, ValueError) as e:
        raise StoreError(
            f"cannot fetch {url}: {getattr(e, 'reason', e)}", hint="save the page and give the file"
        ) from None
    return answer.body, answer.headers.get("content-type", "").split(";")[0].strip().lower()


def _decode(data: bytes, where: str) -> str:
    """Text in UTF-8 (a byte-order mark dropped), else in the charset the page declares."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        declared = re.search(rb"""charset=["']?([A-Za-z0-9_-]+)""", data[:4096])
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
        raise InputError(
            f"{where}: not UTF-8 text (byte {e.start + 1} is 0x{data[e.start]:02x}), and it declares no charset "
            "that reads it",
            hint="save it as UTF-8, or convert it with iconv -t UTF-8",
        ) from None


def _parse(data: bytes, where: str, *, html: bool, url: str) -> Article:
    text = _decode(data, where)
    if not html:
        return Article(text=text.strip(), url=url, where=where)
    import trafilatura

    # Nesting deeper than any article's is a page built to hurt a parser: refused before it is read.
    depth = max_depth = 0
    for m in re.finditer(r"<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>", text[:MAX_BYTES]):
        depth += -1 if m.group(1) else (0 if m.group(3) else 1)
        max_depth = max(max_depth, depth)
        if max_depth > 2000:
            raise InputError(f"{where}: HTML nested more than 2,000 deep", hint="this is not an article page")
    document = trafilatura.bare_extraction(text, url=url or None, with_metadata=True, include_comments=False)
    if document is None:
        return Article(text="", url=url, where=where)
    found = document if isinstance(document, dict) else document.as_dict()
    date = str(found.get("date") or "")
    return Article(
        text=str(found.get("text") or "").strip(),
        headline=str(found.get("title") or ""),
        date=date,
        publisher=str(found.get("sitename") or found.get("hostname") or ""),
        url=str(found.get("url") or url or ""),
        language=str(found.get("language") or ""),
        where=where,
    )
