"""`ssbkg serve`: the evidence site (ssbkg.web) under uvicorn, read-only, on loopback by default.

The store is read live, one request at a time or many sharing one open store (web/reader.py), so a
claim written in another terminal shows on the next page. SIGTERM and SIGINT stop the server once the
requests in flight are answered; the command then exits 0.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable, Sequence
from pathlib import Path

from ssbkg.errors import StoreError
from ssbkg.stores import StoreConfig
from ssbkg.web.guard import MAX_URL, allowed_hosts

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _check_port(host: str, port: int) -> None:
    """Fail before anything is printed if the port is taken or the address is not this machine's."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As uvicorn binds: connections of a server just stopped (TIME_WAIT) do not hold the port.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as e:
            raise StoreError(
                f"cannot serve on {host}:{port}: {e.strerror or e}", hint="choose another --port, or stop what uses it"
            ) from None


class _Stop(Exception):
    """SIGTERM asked the server to stop (uvicorn raises the signal again once it has stopped)."""


def _stop(signum: int, _frame: object) -> None:
    raise _Stop(signum)


def serve(
    config: StoreConfig,
    host: str,
    port: int,
    announce: Callable[[str], None],
    *,
    timeout: float = 30.0,
    folders: Sequence[Path] = (),
) -> None:
    """Serve until SIGINT or SIGTERM; `announce` is told the address once the site answers."""
    import uvicorn

    from ssbkg.web.app import create_app

    if host not in LOOPBACK:
        announce(
            f"Warning: serving on {host}, not loopback: anyone who can reach this machine can read every "
            "graph in the store (the site never writes)"
        )
    _check_port(host, port)
    app = create_app(config, timeout=timeout, folders=folders, hosts=allowed_hosts(host))
    site = app.state.site
    site.reader.run(lambda store: store.published())  # a wrong --store fails here, in its words
    if site.workers is not None:
        site.workers.warm()
    url_host = f"[{host}]" if ":" in host else host

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                announce(f"Serving the evidence site at http://{url_host}:{port}/ (read-only); Ctrl-C stops it")

    # h11 refuses a request head past its limit with a bare 400: above MAX_URL, so that guard says 414.
    head = 2 * MAX_URL
    config_ = uvicorn.Config(
        app, host=host, port=port, log_level="warning", lifespan="off", h11_max_incomplete_event_size=head
    )
    server = Server(config_)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.run()
    except (KeyboardInterrupt, _Stop):
        return
    finally:
        signal.signal(signal.SIGTERM, previous)
        site.close()
    if not server.started:
        raise StoreError(f"cannot serve on {host}:{port}", hint="see the server's message above")
