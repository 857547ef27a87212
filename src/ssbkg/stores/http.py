"""One HTTP exchange with a SPARQL server, bounded as trusted HTTP clients bound it.

- A deadline for the whole exchange, connection to last byte: a server that sends a byte a second
  cannot hold a command forever (a socket timeout alone bounds each read, not the answer).
- A cap on what an answer may weigh: an endless body is refused before it fills the memory.
- Credentials for the store's own origin only, and no redirect that leaves it; a POST is never turned
  into a body-less GET (the 301/302/303 rule of browsers): such a redirect is refused, saying where it
  pointed, and the user can name that address as the store.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import http.client
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ssbkg.errors import StoreError

DEFAULT_MAX_ANSWER_MB = 2048  # SSBKG_MAX_ANSWER_MB; an export of a million assertions is about 1.5 GB
_CHUNK = 1 << 16


def max_answer_bytes() -> int:
    text = os.environ.get("SSBKG_MAX_ANSWER_MB", "")
    try:
        mb = int(text) if text.strip() else DEFAULT_MAX_ANSWER_MB
    except ValueError:
        from ssbkg.errors import InputError

        raise InputError(f"SSBKG_MAX_ANSWER_MB={text!r} is not a whole number of megabytes") from None
    return max(1, mb) << 20


@dataclass(frozen=True)
class Answer:
    body: bytes
    headers: Mapping[str, str]


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str
    digest: bool


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


class Expired(Exception):
    pass


class _Clock:
    """The deadline of one exchange and the sockets it opened, shut when it passes."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            self.expired = True
            raise Expired
        return left

    def watch(self, sock: socket.socket) -> None:
        self._sockets.append(sock)

    def _expire(self) -> None:
        # A read blocked in the kernel returns when its socket is shut down from here.
        self.expired = True
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self._timer.cancel()


def _connection(base: type[http.client.HTTPConnection], clock: _Clock) -> Callable[..., Any]:
    class Bounded(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            self.timeout = clock.left()
            super().connect()
            clock.watch(self.sock)

    return functools.partial(Bounded)


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, clock: _Clock) -> None:
        super().__init__()
        self._clock = clock

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_connection(http.client.HTTPConnection, self._clock), req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, clock: _Clock) -> None:
        super().__init__()
        self._clock = clock

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_connection(http.client.HTTPSConnection, self._clock), req)


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follows a 307 or 308 within the origin, with its method and body; refuses every other redirect."""

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        where = redact(newurl)
        if origin(newurl) != origin(req.full_url):
            raise StoreError(
                f"{redact(req.full_url)} redirected to {where}, another origin: not followed",
                hint="credentials and queries go only where you point; give that address as --store if you trust it",
            )
        if code not in (307, 308) and req.get_method() != "GET":
            raise StoreError(
                f"{redact(req.full_url)} answered {code}, a redirect to {where} that would drop the request's body",
                hint=f"give {where} as the endpoint",
            )
        return urllib.request.Request(  # noqa: S310 (the same origin, so http or https)
            newurl, data=req.data, headers=dict(req.header_items()), method=req.get_method()
        )


def redact(url: str) -> str:
    """A URL as it may appear in a message: no user or password."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def exchange(
    request: urllib.request.Request,
    *,
    deadline: float,
    credentials: Credentials | None,
    max_bytes: int | None = None,
) -> Answer:
    """Send a request and read its whole answer within `deadline` seconds and `max_bytes`. An HTTP
    error is raised as urllib's HTTPError, its body read (and capped) into `.body`."""
    if origin(request.full_url)[0] not in ("http", "https"):
        raise StoreError(f"{redact(request.full_url)} is not an http(s) URL: not sent")
    limit = max_bytes if max_bytes is not None else max_answer_bytes()
    clock = _Clock(deadline)
    handlers: list[urllib.request.BaseHandler] = [_HTTP(clock), _HTTPS(clock), _SameOrigin()]
    if credentials is not None:
        if credentials.digest:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, request.full_url, credentials.user, credentials.password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        else:
            token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode("ascii")
            request.add_unredirected_header("Authorization", f"Basic {token}")
    opener = urllib.request.build_opener(*handlers)
    try:
        try:
            response = opener.open(request, timeout=clock.left())
        except urllib.error.HTTPError as e:
            e.body = _read(e, clock, 1 << 20, url=request.full_url, truncate=True)  # type: ignore[attr-defined]
            raise
        with response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            return Answer(_read(response, clock, limit, url=request.full_url), headers)
    except Expired:
        raise _late(request, deadline) from None
    except (OSError, http.client.HTTPException) as e:
        # Every socket timeout is set from the clock, so a timeout is the deadline, even when the
        # socket's fires a moment before the clock's timer does.
        if clock.expired or isinstance(e, TimeoutError) or isinstance(getattr(e, "reason", None), TimeoutError):
            raise _late(request, deadline) from None
        raise
    finally:
        clock.stop()


def _late(request: urllib.request.Request, deadline: float) -> StoreError:
    return StoreError(
        f"{redact(request.full_url)} did not answer in full within {deadline:g} s",
        hint="a slow or stalled server; --http-timeout sets the deadline for each request",
    )


def _read(response: Any, clock: _Clock, limit: int, *, url: str, truncate: bool = False) -> bytes:
    parts: list[bytes] = []
    size = 0
    while True:
        clock.left()
        try:
            chunk = response.read(_CHUNK)
        except http.client.IncompleteRead:
            if clock.expired:
                raise Expired from None
            raise
        if not chunk:
            if clock.expired:
                raise Expired
            missing = getattr(response, "length", None)
            if missing:  # read(n) returns b"" where read() would raise: the body was cut short
                raise http.client.IncompleteRead(b"".join(parts), missing)
            return b"".join(parts)
        size += len(chunk)
        if size > limit:
            if truncate:
                return b"".join(parts)
            raise StoreError(
                f"{redact(url)} sent an answer larger than {limit >> 20} MB: not read further",
                hint="set SSBKG_MAX_ANSWER_MB for larger answers, or ask a narrower question",
            )
        parts.append(chunk)
