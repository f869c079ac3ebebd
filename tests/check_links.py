#!/usr/bin/env python3
"""Check every internal link of a built site with LinkChecker, served under its base path as GitHub Pages would.

    python3 tests/check_links.py _site --base-path /register-edaran/

Exit code 0 when no link is broken, else LinkChecker's (1). Links to other hosts are not followed: the
registry's pages cite news sites, and this machine (and CI) must not depend on them.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real hosting does; HTTP/1.0 opens a connection per file
    disable_nagle_algorithm = True  # else headers and body wait out a 40 ms delayed ACK on every file

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_folder(root: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve a folder on 127.0.0.1 in a background thread; returns its URL and the server (to shut down)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/", httpd


def check(site: Path, base_path: str) -> subprocess.CompletedProcess[str]:
    """Serve `site` at `base_path` on 127.0.0.1 and run LinkChecker over it; returns the finished run."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # run as root, LinkChecker drops to "nobody", who must still read its config
        sub = base_path.strip("/")
        if sub:  # served under the sub-path, as GitHub project pages do
            (work / "www" / sub).parent.mkdir(parents=True)
            (work / "www" / sub).symlink_to(site.resolve(), target_is_directory=True)
        url, httpd = serve_folder(work / "www" if sub else site)
        config = work / "linkcheckerrc"
        # LinkChecker allows 10 requests a second to a host by default: polite on the web, slow here.
        config.write_text("[checking]\nmaxrequestspersecond=500\n", encoding="utf-8")
        config.chmod(0o644)
        try:
            return subprocess.run(
                [sys.executable, "-m", "linkcheck", "--config", str(config), "--no-status", "--no-warnings",
                 "--threads", "8", "--ignore-url", r"^(?!http://127\.0\.0\.1:)", "--check-extern",
                 url + (sub + "/" if sub else "")],
                capture_output=True, text=True, timeout=600)
        finally:
            httpd.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--base-path", default="/", help="the path the site is built for (default: /)")
    args = parser.parse_args()
    run = check(args.site, args.base_path if args.base_path.endswith("/") else args.base_path + "/")
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
