"""Preview server: rebuild on every change; a failed rebuild keeps the last good site and shows why."""

from __future__ import annotations

import html
import os
import re
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from .problems import Problem, report
from .write import publish, sync


class _Outcome(Protocol):
    files: dict[str, bytes] | None
    problems: list[Problem]


BANNER_ID = "build-errors"
# Shown when the very first build fails: there is no good site yet to keep.
NO_SITE_YET = (b'<!DOCTYPE html>\n<html lang="id">\n<head><meta charset="utf-8">'
               b'<meta name="viewport" content="width=device-width, initial-scale=1">'
               b"<title>Build gagal</title></head>\n<body>\n<p>Belum ada versi situs yang berhasil dibangun. "
               b"Perbaiki kesalahan di atas; halaman ini dimuat ulang sendiri.</p>\n</body>\n</html>\n")


def error_banner(problems: list[Problem]) -> bytes:
    """A block listing the problems, put at the top of every page while the content is broken."""
    text = html.escape(report(problems))
    # Fixed over the top of the page (an overlay), so the last good page stays as it was beneath it.
    return (f'<section id="{BANNER_ID}" role="alert" style="position:fixed;top:0;left:0;right:0;'
            'max-height:60vh;overflow:auto;z-index:2147483647;box-shadow:0 2px 8px rgba(0,0,0,.4);'
            'background:#fde8e8;color:#5c0000;border:3px solid #b00020;padding:1rem;margin:0;'
            'font:14px/1.4 monospace;white-space:pre-wrap">'
            "<strong>Build gagal. Yang tampil di bawah ini versi terakhir yang berhasil dibangun.</strong>\n"
            f"{text}</section>").encode()


def with_banner(files: dict[str, bytes], problems: list[Problem]) -> dict[str, bytes]:
    """The last good site with the error banner right after each page's <body> tag."""
    banner = error_banner(problems)
    out = {}
    for path, data in files.items():
        if path.endswith(".html"):
            data = re.sub(rb"(<body[^>]*>)", lambda m: m.group(1) + banner, data, count=1)
        out[path] = data
    return out


class Rebuilder:
    """Runs the build and publishes either the new site or the last good one with the errors on it."""

    def __init__(self, build: Callable[[], _Outcome], output: Path) -> None:
        self.build = build
        self.output = output
        self.last_good: dict[str, bytes] | None = None
        self.shown: dict[str, bytes] | None = None  # exactly what `output` holds now

    def _show(self, files: dict[str, bytes]) -> int:
        """Put `files` in `output`: a whole swap the first time, then only the files that changed."""
        if self.shown is None:
            publish(files, self.output)
            touched = len(files)
        else:
            touched = sync(files, self.output, self.shown)
        self.shown = files
        return touched

    def __call__(self) -> bool:
        try:
            outcome = self.build()
            files, problems = outcome.files, outcome.problems
        except Exception as exc:
            files, problems = None, [Problem("build", 1, 1, "internal", f"{type(exc).__name__}: {exc}")]
        if files is not None:
            self.last_good = files
            touched = self._show(files)
            print(f"rebuilt: ok ({touched} files written or removed)", file=sys.stderr)
            return True
        sys.stderr.write(report(problems))
        shown = self.last_good or {"index.html": NO_SITE_YET, "404.html": NO_SITE_YET}
        self._show(with_banner(shown, problems))
        return False


def port_problem(host: str, port: int) -> str | None:
    """Why the preview cannot listen on host:port (checked first, so it is a message, not a traceback)."""
    try:
        socket.create_server((host, port)).close()
    except OSError as exc:
        return os.strerror(exc.errno) if exc.errno else str(exc)
    return None


def serve(build: Callable[[], _Outcome], watch: Sequence[Path], output: Path, host: str, port: int) -> None:
    """Build once, then serve `output` with livereload, rebuilding whenever a watched path changes."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    rebuild = Rebuilder(build, output)
    rebuild()

    def on_change() -> None:
        rebuild()
        # livereload drops a reload that comes within about 3 s of the previous one (its guard against
        # many files changing at once), so a quick second save was rebuilt but never shown. Every change
        # seen in one poll is already one rebuild here, so each finished rebuild must reach the browser.
        # (1.0, not 0: a false value would make livereload start its watcher again.)
        LiveReloadHandler._last_reload_time = 1.0

    server = Server()
    for path in watch:
        server.watch(str(path), on_change, delay=0.2)
    print(f"serving on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    server.serve(host=host, port=port, root=str(output), open_url_delay=None, restart_delay=0)
