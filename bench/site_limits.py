"""What the site's limits cost and save: `python bench/site_limits.py [ROUNDS] [TIMEOUT]`.

Starts `ssbkg serve --timeout TIMEOUT` (default 3 s) on a fresh store of the bundled data, then ROUNDS
times (default 5): sends a query that would run for hours (a four-way cross product) and, a second
later, waits for the store's write lock as `ssbkg claim` does; prints the median time from the
query's deadline to the lock being granted (before issue 35: the hours the query ran). Then POSTs
256 MB to /sparql, with a length and chunked, and prints the server's memory (its own and its
children's resident set) before and after (before issue 35: about 780 MB more)."""

from __future__ import annotations

import http.client
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def rss_mb(pid: int) -> float:
    """The resident set of a process and its children, in MB."""
    total = 0
    pids = [
        pid,
        *(int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()),
    ]
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
    return total / 1024


def post_256mb(port: int, chunked: bool) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    block = b"#" * (1024 * 1024)
    try:
        if chunked:
            connection.request(
                "POST",
                "/sparql",
                body=(block for _ in range(256)),
                headers={"Content-Type": "application/sparql-query"},
                encode_chunked=True,
            )
        else:
            connection.putrequest("POST", "/sparql")
            connection.putheader("Content-Type", "application/sparql-query")
            connection.putheader("Content-Length", str(256 * 1024 * 1024))
            connection.endheaders()
            for _ in range(256):
                connection.send(block)
    except OSError:
        pass  # answered and closed before the rest was sent
    status = connection.getresponse().status
    connection.close()
    return status


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    from ssbkg.stores.lock import StoreLock

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        subprocess.run([sys.executable, "-m", "ssbkg", "--store", str(store), "init"], check=True, capture_output=True)
        with socket.socket() as free:
            free.bind(("127.0.0.1", 0))
            port = free.getsockname()[1]
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ssbkg",
                "--store",
                str(store),
                "serve",
                "--port",
                str(port),
                "--timeout",
                str(timeout),
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        assert server.stderr is not None
        for line in server.stderr:
            if "Serving" in line:
                break
        try:
            delays = []
            path = "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
            for _ in range(rounds):
                status: list[int] = []

                def ask(into: list[int] = status) -> None:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
                    connection.request("GET", path)
                    into.append(connection.getresponse().status)

                sent = time.monotonic()
                asking = threading.Thread(target=ask)
                asking.start()
                time.sleep(1)
                with StoreLock(store, exclusive=True, wait=3600, holder="bench"):
                    granted = time.monotonic()
                asking.join()
                delays.append(granted - (sent + timeout))
                assert status == [504], status
            print(
                f"deadline {timeout:g} s; the writer's lock granted after the deadline, median of {rounds}: "
                f"{statistics.median(delays) * 1000:.0f} ms "
                f"(min {min(delays) * 1000:.0f}, max {max(delays) * 1000:.0f})"
            )
            before = rss_mb(server.pid)
            statuses = [post_256mb(port, chunked=False), post_256mb(port, chunked=True)]
            after = rss_mb(server.pid)
            print(
                f"256 MB POSTs answered {statuses}; server and children resident: "
                f"{before:.0f} MB before, {after:.0f} MB after"
            )
        finally:
            server.terminate()
            server.wait(60)


if __name__ == "__main__":
    main()
