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

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _check_port(host: str, port: int) -> None:
    """Fail before anything is printed if the port is taken or the address is not this machine's."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
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
    app = create_app(config, timeout=timeout, folders=folders)
    app.state.site.reader.run(lambda store: store.published())  # a wrong --store fails here, in its words
    url_host = f"[{host}]" if ":" in host else host

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                announce(f"Serving the evidence site at http://{url_host}:{port}/ (read-only); Ctrl-C stops it")

    server = Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off"))
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.run()
    except (KeyboardInterrupt, _Stop):
        return
    finally:
        signal.signal(signal.SIGTERM, previous)
    if not server.started:
        raise StoreError(f"cannot serve on {host}:{port}", hint="see the server's message above")
