#!/usr/bin/env python3
"""Preview benchmark: time from saving a circular to the browser showing the rebuilt page.

    python3 bench/serve.py                                   # the registry's own content
    python3 bench/serve.py --content /tmp/corpus --runs 3    # any content folder (one holding circulars/)

Copies the content to a temporary folder, starts `build.py serve` on it, opens a circular in Debian's
Chromium, then changes that circular's title --runs times; each time it measures from the file write to
the first frame of the reloaded page showing the new title, as the page itself records it (Playwright,
which drives the browser from another process, notices it later, by up to its 500 ms polling step).
Prints the first build's time and the median save-to-reload time.
bench/run.py uses the same functions (`preview`, and `save_to_reload` for `hugo server`).
"""

from __future__ import annotations

import argparse
import dataclasses
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


# Run in every page the browser loads: when its DOM is ready, the time (ms since the epoch) of its next
# frame and the title it shows then. Wall clock on both sides: the browser and this script share it.
SHOWN = """document.addEventListener("DOMContentLoaded", () => {
  const title = (document.querySelector("h1") || {}).textContent || "";
  requestAnimationFrame(() => { window.__shown = {time: Date.now(), title: title}; });
});"""


@dataclasses.dataclass
class Reloads:
    """What one server run measured: seconds until the page was first served, and per save."""

    first: float
    times: list[float]
    log: str


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(url: str, limit: float, proc: subprocess.Popen[bytes], log: Path, failed: str | None) -> float:
    """Seconds until url answers; a server that exits, or logs `failed` (a pattern), ends the wait."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode} before serving {url}:\n"
                               + log.read_text(errors="replace")[-2000:])
        if failed and re.search(failed, text := log.read_text(errors="replace"), re.M):
            raise RuntimeError(f"the server's first build failed:\n{text[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the preview did not come up within {limit:.0f} s")


def _set_title(path: Path, title: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[at] = f'title: "{title}"'
    path.write_text("\n".join(lines), encoding="utf-8")


def save_to_reload(command: list[str], cwd: Path, page_url: str, target: Path, runs: int, timeout: float,
                   env: dict[str, str] | None = None, failed: str | None = None,
                   reload_timeout: float | None = None) -> Reloads:
    """Start a live-reloading server, open page_url in Chromium, retitle `target` --runs times.

    Works with any server speaking the livereload protocol (`build.py serve`, `hugo server`). The target
    file is restored when done, and the server's output is returned as its log. `failed` is a pattern
    that, found in the log before the page is served, means the first build failed. `timeout` bounds the
    first build, `reload_timeout` (default the same) each save.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    reload_timeout = reload_timeout or timeout
    original = target.read_bytes()
    # The server's output goes to a file: a pipe nobody reads would fill up and stall the server.
    log_path = cwd / f"server-{time.monotonic_ns()}.log"
    log = log_path.open("w")
    proc = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=env)
    times: list[float] = []
    try:
        first = _wait_up(page_url, timeout, proc, log_path, failed)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            pg = browser.new_page()
            pg.add_init_script(SHOWN)
            hellos: list[float] = []
            pg.on("websocket", lambda ws: ws.on("framereceived", lambda f: hellos.append(time.monotonic())
                                                if "hello" in str(f) else None))
            pg.goto(page_url)
            for run in range(runs):
                deadline = time.monotonic() + 60
                while not hellos:  # the page must be listening before the save, or no one is told
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{page_url} never opened its live-reload connection")
                    pg.wait_for_timeout(20)
                # A server that validates by Last-Modified alone (hugo server) answers a reload with 304, and
                # the browser keeps the old page, when the page is rewritten within the second it was served
                # in; a person does not save twice a second, so the next save waits for the next second.
                pg.wait_for_timeout(1000 - time.time() % 1 * 1000 + 10)
                hellos.clear()
                marker = f"Uji Pratinjau {run}"
                start = time.time()
                _set_title(target, marker)
                try:
                    pg.locator("h1").filter(has_text=marker).wait_for(timeout=reload_timeout * 1000)
                    shown = pg.wait_for_function(
                        "m => window.__shown && window.__shown.title.includes(m) ? window.__shown : null",
                        arg=marker, timeout=10_000).json_value()
                except PlaywrightTimeout:
                    raise RuntimeError(f"save {run + 1}: the new title was not shown within {reload_timeout:.0f} s"
                                       ) from None
                times.append(shown["time"] / 1000 - start)
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        target.write_bytes(original)
    return Reloads(first, times, log_path.read_text(errors="replace"))


def first_circular(content: Path) -> Path:
    """The circular whose page the benchmarks open and edit: the first by name."""
    return sorted((content / "circulars").rglob("*.md"))[0]


def preview(content: Path, work: Path, runs: int, timeout: float, as_of: str = "2026-11-23",
            reload_timeout: float | None = None) -> tuple[Reloads, list[float]]:
    """`build.py serve` on `content` (edited in place, then restored), writing into `work`.

    Also returns the server's own rebuild times (from noticing the change to the site written: the
    rest of save-to-reload is the browser), the first build's left out.
    """
    target = first_circular(content)
    port = free_port()
    command = [sys.executable, str(REPO / "build.py"), "serve", "--content", str(content.resolve()), "--config",
               str(REPO / "site_config.yaml"), "--port", str(port), "--as-of", as_of,
               "--output", str((work / "_serve").resolve())]
    # The build's summary line when the first build has errors ("2 errors in 1 file"): no page will come.
    result = save_to_reload(command, work, f"http://127.0.0.1:{port}/edaran/{target.stem}/", target, runs, timeout,
                            failed=r"^\d+ errors? in \d+ files?", reload_timeout=reload_timeout)
    rebuilds = [float(m) for m in re.findall(r"rebuilt in ([0-9.]+) s", result.log)]
    return result, rebuilds[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", type=Path, default=REPO / "content")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for a build")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        shutil.copytree(args.content, site / "content")
        try:
            result, rebuilds = preview(site / "content", site, args.runs, args.timeout)
        except RuntimeError as e:
            sys.exit(str(e))
    times = result.times
    count = len(list(args.content.rglob("*.md")))
    print(f"corpus: {args.content} ({count} circulars), {args.runs} saves")
    print(f"first build until the page is served: {result.first:.1f} s")
    print(f"save to reload: median {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
    if rebuilds:
        print(f"of which the rebuild (server log): median {statistics.median(rebuilds) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
