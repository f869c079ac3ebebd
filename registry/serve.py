"""Preview server: rebuild on every change; a failed rebuild keeps the last good site and shows why.

After a save the content is checked and linked (only changed files are parsed again; a save that changed
only circular files is checked on its own, without reading and linking every file: recheck.py) and the
browser is reloaded at once: until the whole site is rendered, pages and static files are rendered when the browser
asks for them, from the new registry, byte for byte what the build writes. Three threads besides the web
server's: one waits for changes on disk, one checks the content and reloads the browser, one renders and
writes the whole site, search index included (abandoned when another save comes in).
"""

from __future__ import annotations

import html
import mimetypes
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

from . import search
from .parallel import CancelledError
from .problems import Problem, report
from .write import publish, sync


class _Site(Protocol):
    def render_file(self, path: str) -> bytes | None: ...
    def describe(self, exc: Exception) -> Problem: ...


class _Outcome(Protocol):
    files: dict[str, bytes] | None
    problems: list[Problem]
    site: _Site | None
    note: str  # how the check was done ("1 changed file checked again")


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
    # Styled by the site's own style.css: the pages' Content-Security-Policy allows no inline style.
    return (f'<section id="{BANNER_ID}" role="alert">'
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


# Phase one and the site ready to render (`site`), or problems; given the paths changed since the last
# call, when they are known (the preview's watcher), so a save of one file may be checked on its own.
Prepare = Callable[[frozenset[str] | None], _Outcome]
Complete = Callable[[_Outcome, Callable[[], bool]], _Outcome]  # every file of a prepared site (`files`)
Missed = Callable[[], Iterable[str]]  # files changed since the last good check that no notification told of
# How long a burst of saves must be quiet before it is rebuilt (an editor's write-then-rename, a
# `git checkout`); changes made during a rebuild are rebuilt together once it ends.
QUIET_MS = 30


# How long after a save's check the whole site starts to be rendered and written (seconds).
WRITE_AFTER = 1.0


# livereload starts its client with an inline script, which the pages' Content-Security-Policy forbids.
# Only the preview (local, showing the contributor's own files) lets inline script run; the published
# site keeps the strict policy, and the test suite checks it in Chromium.
_STRICT_SCRIPTS = b"script-src 'self'"
_PREVIEW_SCRIPTS = b"script-src 'self' 'unsafe-inline'"


def for_preview(files: dict[str, bytes]) -> dict[str, bytes]:
    """The site with livereload's client allowed to start on every page."""
    return {path: data.replace(_STRICT_SCRIPTS, _PREVIEW_SCRIPTS, 1) if path.endswith(".html") else data
            for path, data in files.items()}


class Preview:
    """The site being previewed: the last good pages, the last good check, and what `output` holds now."""

    def __init__(self, prepare: Prepare, complete: Complete, output: Path) -> None:
        self.prepare = prepare
        self.complete_site = complete
        self.output = output
        self.lock = threading.Lock()  # one writer of `output` (and of the fields below) at a time
        self.good: _Outcome | None = None  # the last build that succeeded
        # The last good check, not yet written whole: its pages are served on request (under the overlay
        # while a later save is broken), so the last good site is the last one the contributor saw.
        self.pending: _Outcome | None = None
        self.preparing = False  # a save is being checked: a full render in progress gives way to it
        self.generation = 0  # counts successful checks, so older pages are not published
        self.check_problems: list[Problem] = []  # why the last save failed its check, or nothing
        self.render_problems: list[Problem] = []  # why the last good check's site failed to render, or nothing
        self.shown: dict[str, bytes] | None = None  # exactly what `output` holds now

    @property
    def problems(self) -> list[Problem]:
        """Everything the overlay shows: the last save's check, and the rendering of the last good one."""
        return self.check_problems + self.render_problems

    def _site(self) -> dict[str, bytes]:
        """The last good site, under the error overlay while the content is broken."""
        files = self.good.files if self.good is not None and self.good.files is not None else None
        if files is None:
            return with_banner({"index.html": NO_SITE_YET, "404.html": NO_SITE_YET}, self.problems)
        files = for_preview(files)
        return with_banner(files, self.problems) if self.problems else files

    def _show(self) -> int:
        """Put the site in `output`: a whole swap the first time, then only the files that changed."""
        files = self._site()
        if self.shown is None:
            publish(files, self.output)
            touched = len(files)
        else:
            touched = sync(files, self.output, self.shown, last=(f"{search.INDEX_DIR}/meta.json",))
        self.shown = files
        return touched

    def check(self, changed: frozenset[str] | None = None) -> bool:
        """Check and link the content (`changed`: the paths changed since the last check, when known);
        when it is good, serve its pages on request from now on, else show the last good site with the
        problems over it."""
        start = time.monotonic()
        self.preparing = True
        try:
            outcome: _Outcome | None = self.prepare(changed)
            problems = outcome.problems if outcome is not None else []
        except Exception as exc:  # a bug must not stop the preview: show it like any other problem
            outcome, problems = None, [Problem("build", 1, 1, "internal", f"{type(exc).__name__}: {exc}")]
        finally:
            self.preparing = False
        with self.lock:
            ok = outcome is not None and outcome.site is not None and not problems
            if ok:
                self.pending, self.check_problems, self.render_problems = outcome, [], []
                self.generation += 1
            else:
                self.check_problems = problems
                self._show()
        if ok:
            assert outcome is not None
            how = f"{outcome.note}; " if outcome.note else ""
            print(f"rebuilt in {time.monotonic() - start:.2f} s: ok ({how}pages are rendered on request until the "
                  "whole site is written)", file=sys.stderr)
        else:
            sys.stderr.write(report(problems))
        return ok

    def complete(self, stop: Callable[[], bool] = lambda: False) -> bool | None:
        """Render the last good check's site whole and write it to `output` (under the overlay if a later
        save is broken): True when written, False when rendering failed (the problems are shown), None
        when there was nothing to write, `stop` abandoned it, or a newer save was checked meanwhile."""
        with self.lock:
            pending, generation = self.pending, self.generation
        if pending is None:
            return None
        start = time.monotonic()
        try:
            outcome: _Outcome | None = self.complete_site(pending, stop)
            problems = outcome.problems if outcome is not None else []
        except CancelledError:
            return None
        except Exception as exc:  # a bug must not stop the preview: show it like any other problem
            outcome, problems = None, [Problem("build", 1, 1, "internal", f"{type(exc).__name__}: {exc}")]
        with self.lock:
            if generation != self.generation:  # a newer save was checked; its own render follows
                return None
            self.pending = None
            ok = outcome is not None and outcome.files is not None
            if ok:
                self.good, self.render_problems = outcome, []  # a later broken save's problems stay
            else:
                self.render_problems = problems
            touched = self._show()
        if ok:
            print(f"wrote the site in {time.monotonic() - start:.2f} s ({touched} files written or removed)",
                  file=sys.stderr)
        else:
            sys.stderr.write(report(problems))
        return ok

    def rebuild(self) -> bool:
        """Check the content, then render and write the whole site."""
        return self.check() and bool(self.complete())

    def file(self, path: str) -> tuple[int, bytes] | None:
        """Status and bytes of a page or static file of the last good check, rendered now while its site
        is not yet written whole (URL path from the root: "edaran/<id>/", "assets/style.css"); None:
        serve `output` as it is. A page the checked site does not have is its 404 page."""
        # No lock: the web server must not wait while a whole site is being compared and written, and
        # each of these is one read of a field another thread replaces whole.
        pending, problems = self.pending, self.problems
        site = pending.site if pending is not None else None
        if site is None:
            return None
        rel = path + "index.html" if path.endswith("/") or not path else path
        status = 200
        try:
            data = site.render_file(rel)
            if data is None and (rel == "index.html" or rel.endswith("/index.html")):
                status, rel, data = 404, "404.html", site.render_file("404.html")
        except Exception as exc:  # this page cannot be rendered: the last written one, under the reason
            problems = [*problems, site.describe(exc)]
            good = self.good.files if self.good is not None and self.good.files is not None else {}
            data = good.get(rel, NO_SITE_YET)
        if data is None:
            return None
        files = for_preview({rel: data})
        return status, (with_banner(files, problems) if problems else files)[rel]


class Changes:
    """The paths changed on disk (below the resolved watched folders) since the check thread last took
    them; `event` is set on a change."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._lock = threading.Lock()
        self._paths: set[str] = set()

    def add(self, paths: Iterable[str]) -> None:
        with self._lock:
            self._paths.update(paths)
        self.event.set()

    def take(self) -> frozenset[str]:
        with self._lock:
            paths, self._paths = frozenset(self._paths), set()
        return paths


def _watch(paths: Sequence[Path], changes: Changes, stop: threading.Event) -> list[threading.Thread]:
    """Threads that add to `changes` whatever changes under `paths` (folders, or single files)."""
    import watchfiles

    # Resolved roots: the paths reported are below them as named there (recheck.watching).
    folders = [str(p.resolve()) for p in paths if p.is_dir()]
    files = {str(p.resolve()) for p in paths if not p.is_dir()}

    def loop(roots: list[str], recursive: bool, wanted: Callable[[str], bool]) -> None:
        for batch in watchfiles.watch(*roots, recursive=recursive, step=QUIET_MS, stop_event=stop,
                                      watch_filter=lambda change, path: wanted(path), ignore_permission_denied=True):
            changes.add(path for _, path in batch)

    default = watchfiles.DefaultFilter()  # skips editor swap files, .git, __pycache__
    threads = []
    if folders:
        threads.append(threading.Thread(target=loop, args=(folders, True, lambda p: default(None, p)),
                                        daemon=True))
    if files:
        # A single file is watched through its folder: editors save by replacing the file, which would end
        # a watch on the file itself.
        parents = sorted({str(Path(f).parent) for f in files})
        threads.append(threading.Thread(target=loop, args=(parents, False, lambda p: str(Path(p).resolve()) in files),
                                        daemon=True))
    return threads


def _forever(work: Callable[[], object], wanted: threading.Event, stop: threading.Event) -> threading.Thread:
    """A thread that runs `work` each time `wanted` is set (once for any number of sets while it runs)."""
    def loop() -> None:
        while not stop.is_set():
            if wanted.wait(timeout=0.5):
                wanted.clear()
                work()
    return threading.Thread(target=loop, daemon=True)


def port_problem(host: str, port: int) -> str | None:
    """Why the preview cannot listen on host:port (checked first, so it is a message, not a traceback)."""
    try:
        socket.create_server((host, port)).close()
    except OSError as exc:
        return os.strerror(exc.errno) if exc.errno else str(exc)
    return None


def serve(prepare: Prepare, complete: Complete, missed: Missed, watch: Sequence[Path], output: Path, host: str,
          port: int) -> None:
    """Build once, then serve `output` with livereload, rebuilding whenever a watched path changes."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler, StaticFileHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class NoPolling(Watcher):  # type: ignore[misc]
        """livereload's own watcher polls every 0.8 s and reloads on its own; ours tells it when."""

        def start(self, callback: Callable[[], None]) -> bool:
            return True

    # The whole site is rendered in a thread beside the server's: hand the interpreter over sooner than
    # every 5 ms, so a save's notification, its check and the browser's requests are not kept waiting.
    sys.setswitchinterval(0.001)
    changes, complete_wanted, stop = Changes(), threading.Event(), threading.Event()
    changed = changes.event
    # Watching from before the first build: a save made while it runs is checked right after it.
    watchers = _watch(watch, changes, stop)
    for thread in watchers:
        thread.start()
    preview = Preview(prepare, complete, output)
    preview.rebuild()

    class Files(StaticFileHandler):  # type: ignore[misc]
        """The checked site's pages rendered on request until it is written whole, then `output`."""

        rendered = False

        def compute_etag(self) -> str | None:
            return None if self.rendered else super().compute_etag()  # no-store: nothing to revalidate

        async def get(self, path: str, include_body: bool = True) -> None:
            served = preview.file(path)
            if served is None:
                await super().get(path, include_body)
                return
            self.rendered = True
            status, data = served
            self.set_status(status)
            page = not path or path.endswith(("/", ".html"))
            self.set_header("Content-Type", "text/html; charset=UTF-8" if page
                            else mimetypes.guess_type(path)[0] or "application/octet-stream")
            self.set_header("Cache-Control", "no-store")
            self.finish(data if include_body else None)

    class PreviewServer(Server):  # type: ignore[misc]
        def get_web_handlers(self, script: bytes) -> list[tuple[str, type, dict[str, str]]]:
            return [(r"/(.*)", Files, {"path": self.root or ".", "default_filename": self.default_filename})]

    loop = IOLoop.current()

    def reload() -> None:
        loop.add_callback(LiveReloadHandler.reload_waiters, "*")

    def check() -> None:
        paths = changes.take()
        if not paths:  # taken by the check before (the event was set again after it was cleared)
            return
        preview.check(paths)
        complete_wanted.set()  # also after a broken save: the last good check may not be written yet
        reload()

    def write_whole() -> None:
        # Not at once: the browser is reloading, and its pages, rendered on request, would wait for the
        # interpreter's lock while a thread renders the whole site.
        stop.wait(WRITE_AFTER)
        if unnoticed := set(missed()):  # a notification was lost: check those first (this render then stops)
            changes.add(unnoticed)
            return
        written = preview.complete(lambda: changed.is_set() or preview.preparing or stop.is_set())
        if written is False:  # a page failed to render: show why
            reload()

    threads = [_forever(check, changed, stop), _forever(write_whole, complete_wanted, stop)]
    for thread in threads:
        thread.start()
    server = PreviewServer(watcher=NoPolling())
    print(f"serving on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve(host=host, port=port, root=str(output), open_url_delay=None, restart_delay=0)
    finally:
        stop.set()
