"""What the site answers before any route runs: only its own host names, only its own pages' requests
for the costly parts, and nothing larger than it will read.

- **Host names.** On loopback the site answers only `localhost`, `127.0.0.1` and `[::1]` (any port):
  a page on another domain whose name is re-pointed at 127.0.0.1 (DNS rebinding) sends its own
  name, and is refused (400). `ssbkg serve --host NAME` adds that name; `0.0.0.0` or `::` answers any,
  as the warning at start-up says.
- **Other sites' pages.** A browser says where a request comes from (`Sec-Fetch-Site`, `Origin`). A
  request another site's page makes is refused (403) unless it only opens one of the site's pages
  (a link followed): the API and the SPARQL endpoint answer only this site's pages, and programs
  (curl, scripts, OpenRefine), which send neither header.
- **Sizes.** An address longer than `MAX_URL` is refused (414), a body longer than `MAX_BODY` (413)
  before it is read when its length is given, and as soon as it passes the limit when it is not.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Collection, MutableMapping
from typing import Any

from ssbkg.errors import InputError

MAX_URL = 32 * 1024
MAX_BODY = 1024 * 1024
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
ANY_ADDRESS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 (naming them, not binding)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


class TooLarge(InputError):
    """A request body past MAX_BODY (413)."""


def allowed_hosts(listen: str) -> frozenset[str] | None:
    """The host names served when listening on `listen`: None for any."""
    if listen in ANY_ADDRESS:
        return None
    return LOOPBACK_NAMES | {listen.strip("[]").lower()}


def host_name(header: str) -> str:
    """`example.org:7878` -> `example.org`; `[::1]:7878` -> `::1`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


class Guard:
    """ASGI middleware: the checks above, then the application."""

    def __init__(self, app: App, *, hosts: Collection[str] | None) -> None:
        self.app = app
        self.hosts = None if hosts is None else frozenset(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refused = self.refusal(scope, headers)
        if refused is None:
            await self.app(scope, receive, send)
            return
        status, message, hint = refused
        body = json.dumps({"error": message, "hint": hint}).encode()
        extra = [(b"connection", b"close")] if status == 413 else []
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *extra,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str, str] | None:
        host = headers.get("host", "")
        if self.hosts is not None and host_name(host) not in self.hosts:
            return (
                400,
                f"this site does not answer to the host name {host!r}",
                "open it as http://localhost:PORT/ or http://127.0.0.1:PORT/; ssbkg serve --host NAME serves NAME too",
            )
        path: str = scope.get("path", "")
        if len(scope.get("raw_path") or path) + len(scope.get("query_string") or b"") > MAX_URL:
            return 414, f"the address is longer than {MAX_URL // 1024} KiB", "send a long query as a POST body"
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            return 413, f"the request body is longer than {MAX_BODY // 1024} KiB", "send a shorter query"
        if _from_elsewhere(scope, headers, host) and not _follows_a_link(scope, headers, path):
            return (
                403,
                "this request comes from another site's page, which may not use this site",
                "open the page on this site itself, or ask from a program (curl, a script)",
            )
        return None


def _from_elsewhere(scope: Scope, headers: dict[str, str], host: str) -> bool:
    """Whether a browser says another site's page (or a sandboxed one) sent it."""
    if headers.get("sec-fetch-site", "none") not in ("same-origin", "none"):
        return True
    origin = headers.get("origin")
    return origin is not None and origin.lower() != f"{scope.get('scheme', 'http')}://{host}".lower()


def _follows_a_link(scope: Scope, headers: dict[str, str], path: str) -> bool:
    """A page of the site opened from a link elsewhere: the page shows in the reader's window, where the
    other site cannot read it, and is cut off at the time limit like any page."""
    return (
        scope["method"] in ("GET", "HEAD")
        and headers.get("sec-fetch-mode") == "navigate"
        and "origin" not in headers
        and not path.startswith(("/api/", "/sparql"))
    )
