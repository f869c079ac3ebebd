#!/usr/bin/env python3
"""Lighthouse scores for the home, search, a circular and a directive page of a built site.

`python3 tests/lighthouse.py [--content DIR]` builds the site for the local address it is served at (so
canonical links match), serves it with gzip as GitHub Pages does, runs Lighthouse (npm, in tests/node_modules)
in Debian's Chromium on each page and prints the four scores; reports go to test-artifacts/lighthouse/.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
LIGHTHOUSE = TESTS / "node_modules" / ".bin" / "lighthouse"
REPORTS = REPO / "test-artifacts" / "lighthouse"
PAGES = {"beranda": "", "cari": "cari/?q=kerja+dari+rumah", "edaran": "edaran/se-bupati-kebumen-060-1160-2020/",
         "nasional": "edaran/se-menpanrb-19-2020/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
# What the test requires: accessibility 1.0, the other categories at least 0.95.
TARGET = {"performance": 0.95, "accessibility": 1.0, "best-practices": 0.95, "seo": 0.95}
TEXT = (".html", ".css", ".js", ".json", ".xml", ".txt", ".csv")


class _Gzip(http.server.SimpleHTTPRequestHandler):
    """Static files, text ones gzip-compressed when the browser asks (GitHub Pages does the same)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.endswith("/"):
            path = path / "index.html"
        if not (path.is_file() and path.suffix in TEXT and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        data = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


def _run(url: str, name: str) -> dict[str, float]:
    """One Lighthouse run of one page: its four scores; its reports are written to REPORTS."""
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output=html",
                    f"--output-path={REPORTS / name}", f"--chrome-flags={CHROME_FLAGS}"],
                   check=True, timeout=180, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
    report = REPORTS / f"{name}.json"
    (REPORTS / f"{name}.report.json").replace(report)
    categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
    return {c: categories[c]["score"] for c in CATEGORIES}


def scores(content: Path) -> dict[str, dict[str, float]]:
    """Page name -> category -> score (0 to 1)."""
    if not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse is missing: run `python3 tests/install_tools.py`")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "_site"
        subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--content", str(content), "--output",
                        str(site), "--config", str(REPO / "site_config.yaml"), "--as-of", "2026-11-23",
                        "--base-url", base], check=True, capture_output=True)
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Gzip, directory=str(site)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            result = {}
            for name, path in PAGES.items():
                runs = [_run(base + path, name)]
                # Performance varies with what else the machine is doing (total blocking time is measured
                # main-thread work); as Lighthouse's docs advise, a page short of the target is measured three
                # times and the median counts.
                if any(runs[0][c] < TARGET[c] for c in CATEGORIES):
                    runs += [_run(base + path, name) for _ in range(2)]
                result[name] = {c: statistics.median(r[c] for r in runs) for c in CATEGORIES}
            return result
        finally:
            httpd.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=REPO / "content")
    args = parser.parse_args()
    print(f"{'page':10} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    for name, row in scores(args.content).items():
        print(f"{name:10} " + " ".join(f"{row[c]:>15.2f}" for c in CATEGORIES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
