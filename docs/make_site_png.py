"""Make docs/site.png, the README's picture of the evidence site, and docs/report.png, the guide's of
the evidence report: `python docs/make_site_png.py`.

Starts `ssbkg serve` on a fresh store of the bundled data and photographs the CASIP page in headless
Chromium (Debian's), 1280 pixels wide; then writes `ssbkg report casip` and photographs it, 1400 wide.
Chinese names need a CJK font (Debian's fonts-noto-cjk), or they show as empty boxes."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

PORT = 7931


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "store")
        subprocess.run([sys.executable, "-m", "ssbkg", "--store", store, "init"], check=True)
        server = subprocess.Popen([sys.executable, "-m", "ssbkg", "--store", store, "serve", "--port", str(PORT)])
        try:
            for _ in range(600):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=5)
                    break
                except OSError:
                    time.sleep(0.1)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                page.goto(f"http://127.0.0.1:{PORT}/alliances/casip?asOf=2024-03-01")
                page.screenshot(path=str(Path(__file__).with_name("site.png")))
                report = Path(tmp) / "casip.html"
                command = [sys.executable, "-m", "ssbkg", "--store", store, "report", "casip", "-o", str(report)]
                subprocess.run(command, check=True)
                page = browser.new_page(viewport={"width": 1400, "height": 2000})
                page.goto(report.as_uri())
                page.screenshot(path=str(Path(__file__).with_name("report.png")))
                browser.close()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
