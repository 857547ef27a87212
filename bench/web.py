"""Page times of the evidence site: `python bench/web.py [ROUNDS] [ASSERTIONS]`.

Starts `ssbkg serve` on a fresh store of the bundled data (with ASSERTIONS more from bench/generate.py,
and then pages about the generated organizations, reports and alliances) and asks each page ROUNDS times (default 30)
from a bounded Python client on loopback, one request at a time; prints the median and the 90th
percentile of the time to the last byte, per page, beside the goal of 100 ms, and apart from them the
first request's time (made before the page is kept)."""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PAGES = [
    "/",
    "/alliances/casip",
    "/alliances/casip?asOf=2024-03-01",
    "/organizations/catl",
    "/sources/report-electrive-2024-02-13",
    "/queries/alliance-members?alliance=casip",
    "/api/queries/alliance-members.csv?alliance=casip",
]
# At scale: the selective pages (CASIP's, one organization, one report, one query about one of them),
# and the generated alliance's page, which gathers about a fifth of every assertion.
AT_SCALE = [
    "/alliances/casip",
    "/organizations/gen-org-7",
    "/sources/gen-report-3",
    "/queries/organization-profile?organization=gen-org-7",
    "/api/queries/organization-profile.csv?organization=gen-org-7",
    "/api/queries/claims-by-source.csv?report=gen-report-3",
    "/alliances/gen-alliance-0",
]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    assertions = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "store")
        subprocess.run([sys.executable, "-m", "ssbkg", "--store", store, "init"], check=True, capture_output=True)
        pages = PAGES
        if assertions:
            sys.path.insert(0, str(Path(__file__).parent))
            from generate import write_store

            data = Path(tmp) / "generated.nt"
            write_store(assertions, data)
            load = [sys.executable, "-m", "ssbkg", "--store", store, "load", "--skip-validation", str(data)]
            subprocess.run(load, check=True, capture_output=True)
            pages = PAGES[:1] + AT_SCALE
        with socket.socket() as free:  # a port no one uses now
            free.bind(("127.0.0.1", 0))
            port = free.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "ssbkg", "--store", store, "serve", "--port", str(port)])
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(600):
                if server.poll() is not None:
                    sys.exit(f"ssbkg serve ended with exit {server.returncode}")
                try:
                    urllib.request.urlopen(base + "/static/tables.js", timeout=30).read()  # keeps no page
                    break
                except OSError:
                    time.sleep(0.1)
            # The first request gathers the page; the rest find it kept for the store's state (web/cache.py).
            width = max(len(p) for p in pages)
            print(f"{'page':<{width}} {'first ms':>9} {'median ms':>10} {'p90 ms':>8}  goal")
            for page in pages:
                times = []
                for _ in range(rounds):
                    start = time.perf_counter()
                    try:
                        urllib.request.urlopen(base + page, timeout=60).read()
                    except urllib.error.HTTPError as e:  # 504: past serve's --timeout (30 s)
                        print(f"{page:<{width}} HTTP {e.code} after {time.perf_counter() - start:.1f} s")
                        break
                    times.append(1000 * (time.perf_counter() - start))
                if len(times) < rounds:
                    continue
                first, rest = times[0], times[1:]
                p90 = statistics.quantiles(rest, n=10)[-1]
                print(f"{page:<{width}} {first:>9.1f} {statistics.median(rest):>10.1f} {p90:>8.1f}  100 ms")
        finally:
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
