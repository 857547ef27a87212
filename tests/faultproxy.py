"""A fault-injecting HTTP proxy in front of a real SPARQL server, on loopback.

It never stands in for the server: requests it lets through are forwarded to the real one. Each
request is matched against the rules in order; the first that applies decides what happens.
"""

from __future__ import annotations

import contextlib
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .servers import free_port


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Rule:
    """What to do with matching requests: status/body to answer, seconds to delay, or a callback."""

    match: Callable[[Seen], bool]
    times: int = 10**9  # how many matching requests it applies to
    status: int | None = None
    body: bytes = b""
    delay: float = 0.0
    before_forward: Callable[[Seen], None] | None = None
    truncate: int | None = None  # forward, then send only this many bytes of the answer and hang up
    drop: bool = False  # close the connection without any answer
    respond: Callable[[BaseHTTPRequestHandler], None] | None = None  # write the whole answer itself
    rewrite: Callable[[bytes], bytes] | None = None  # forward, then change the answer's body
    used: int = 0


@dataclass
class FaultProxy:
    upstream: str  # e.g. http://127.0.0.1:7878
    rules: list[Rule] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    port: int = 0

    def start(self) -> FaultProxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._handle()

            def do_POST(self) -> None:
                self._handle()

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(self.command, self.path, dict(self.headers), self.rfile.read(length))
                proxy.seen.append(seen)
                for rule in proxy.rules:
                    if rule.used < rule.times and rule.match(seen):
                        rule.used += 1
                        time.sleep(rule.delay)
                        if rule.before_forward:
                            rule.before_forward(seen)
                        if rule.drop:
                            self.close_connection = True
                            return
                        if rule.respond:
                            self.close_connection = True
                            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                                rule.respond(self)
                            return
                        if rule.status is not None:
                            self._answer(rule.status, rule.body, "text/plain")
                            return
                        self._forward(seen, rule.truncate, rule.rewrite)
                        return
                self._forward(seen)

            def _answer(self, status: int, body: bytes, content_type: str, truncate: int | None = None) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body if truncate is None else body[:truncate])
                    if truncate is not None:
                        self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _forward(
                self, seen: Seen, truncate: int | None = None, rewrite: Callable[[bytes], bytes] | None = None
            ) -> None:
                headers = {k: v for k, v in seen.headers.items() if k.lower() in {"content-type", "accept"}}
                request = urllib.request.Request(
                    proxy.upstream + seen.path, data=seen.body or None, method=seen.method, headers=headers
                )
                try:
                    with urllib.request.urlopen(request, timeout=300) as r:
                        body = rewrite(r.read()) if rewrite else r.read()
                        self._answer(r.status, body, r.headers.get("Content-Type", "text/plain"), truncate)
                except urllib.error.HTTPError as e:
                    self._answer(e.code, e.read(), "text/plain")
                except OSError as e:
                    self._answer(502, str(e).encode(), "text/plain")

        self.port = free_port()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def url(self, path: str = "/query") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
