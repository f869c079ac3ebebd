#!/usr/bin/env python3
"""Preview benchmark: time from saving a circular to the browser showing the rebuilt page.

    python3 bench/serve.py                                   # the registry's own content
    python3 bench/serve.py --content /tmp/corpus --runs 3    # any content folder (one holding circulars/)

Copies the content to a temporary folder, starts `build.py serve` on it, opens a circular in Debian's
Chromium, then changes that circular's title --runs times; each time it measures from the file write to
the new title in the reloaded page. Prints the first build's time and the median save-to-reload time.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(url: str, limit: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the preview did not come up within {limit:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", type=Path, default=REPO / "content")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for a build")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        shutil.copytree(args.content, site / "content")
        target = sorted((site / "content" / "circulars").rglob("*.md"))[0]
        cid = target.stem
        port = _port()
        log = (site / "serve.log").open("w")
        proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--config",
                                 str(REPO / "site_config.yaml"), "--port", str(port), "--as-of", "2026-11-23",
                                 "--output", str(site / "_serve")], cwd=site, stdout=log, stderr=subprocess.STDOUT)
        try:
            page_url = f"http://127.0.0.1:{port}/edaran/{cid}/"
            first = _wait_up(page_url, args.timeout)
            times = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                pg = browser.new_page()
                hellos: list[float] = []
                pg.on("websocket", lambda ws: ws.on("framereceived", lambda f: hellos.append(time.monotonic())
                                                    if "hello" in str(f) else None))
                pg.goto(page_url)
                for run in range(args.runs):
                    while not hellos:  # the page must be listening before the save, or no one is told
                        pg.wait_for_timeout(20)
                    hellos.clear()
                    text = target.read_text(encoding="utf-8")
                    marker = f"Uji Pratinjau {run}"
                    lines = text.split("\n")
                    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
                    lines[at] = f'title: "{marker}"'
                    start = time.monotonic()
                    target.write_text("\n".join(lines), encoding="utf-8")
                    pg.locator("h1").filter(has_text=marker).wait_for(timeout=args.timeout * 1000)
                    times.append(time.monotonic() - start)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()
        # The server's own figure: from noticing the change to the site written (the rest is the browser).
        rebuilds = [float(m) for m in re.findall(r"rebuilt in ([0-9.]+) s", (site / "serve.log").read_text())]
    count = len(list(args.content.rglob("*.md")))
    print(f"corpus: {args.content} ({count} circulars), {args.runs} saves")
    print(f"first build until the page is served: {first:.1f} s")
    print(f"save to reload: median {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
    if rebuilds[1:]:
        print(f"of which the rebuild (server log): median {statistics.median(rebuilds[1:]) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
