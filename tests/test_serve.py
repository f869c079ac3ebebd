"""The preview server survives a broken edit: last good site stays up, the error is shown, a fix recovers."""

from __future__ import annotations

import html
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from conftest import BUILD, CONFIG, REPO, build_into, tree_bytes

REPO_STATIC = REPO / "static"

PAGE = "edaran/se-bupati-belu-1-2020/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError):
        return ""


def wait_for(condition: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def server(fixture_site: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads would fill up and stall the server.
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, str(BUILD), "serve", "--config", str(CONFIG), "--port", str(port),
                             "--as-of", "2026-11-23"], cwd=fixture_site, stdout=log,
                            stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: "<h1" in fetch(base + PAGE)), "server did not start"
        yield base, fixture_site
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
        print((tmp_path / "serve.log").read_text())  # shown by pytest when a test fails


def test_broken_edit_keeps_last_good_site_and_shows_the_error(server: tuple[str, Path]) -> None:
    base, site = server
    source = site / "content" / "circulars" / "se-bupati-belu-1-2020.md"
    good = source.read_text()
    assert "Penyesuaian Sistem Kerja di Kabupaten Contoh" in fetch(base + PAGE)

    source.write_text(good.replace("issued: 2020-03-20", "issued: 2020-02-30"))
    assert wait_for(lambda: "error[bad-date]" in fetch(base + PAGE))
    page = fetch(base + PAGE)
    assert "content/circulars/se-bupati-belu-1-2020.md:6:9: error[bad-date]: issued: &#x27;2020-02-30&#x27;" in page
    assert "Penyesuaian Sistem Kerja di Kabupaten Contoh" in page  # the last good page is still there
    assert "error[bad-date]" in fetch(base)  # on every page, not just the broken one
    assert not (site / "_site").exists()  # the preview never touches the published output

    source.write_text(good.replace("Penyesuaian Sistem Kerja di Kabupaten Contoh", "Judul Baru"))
    assert wait_for(lambda: ">Judul Baru</h1>" in fetch(base + PAGE))
    assert "error[" not in fetch(base + PAGE)


def test_busy_port_is_a_message_not_a_traceback(fixture_site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, str(BUILD), "serve", "--config", str(CONFIG), "--port", str(port)],
                             cwd=fixture_site, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert f"error: cannot serve on 127.0.0.1:{port}: Address already in use; try another --port" in run.stderr
    assert "Traceback" not in run.stderr


class LivePage:
    """A page that counts livereload's handshakes: an edit made before the page's socket is listening is
    rebuilt, but no browser is told, so each step waits for a fresh handshake first."""

    def __init__(self, pg: Page) -> None:
        self.pg = pg
        self.hellos = 0
        pg.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: str | bytes) -> None:
        if b'"hello"' in (payload if isinstance(payload, bytes) else payload.encode()):
            self.hellos += 1

    def listening_after(self, count: int) -> None:
        for _ in range(200):
            if self.hellos > count:
                return
            self.pg.wait_for_timeout(50)
        raise AssertionError("livereload never connected")


def test_browser_reloads_shows_the_overlay_and_clears_it(server: tuple[str, Path], browser: Browser,
                                                         failures: list[str]) -> None:
    """In a real browser: an edit reloads the page by itself; a broken edit shows the problems over the last
    good page; the fix clears them; quick successive saves are each shown (livereload alone drops a reload
    within 3 s of the previous one)."""
    base, site = server
    source = site / "content" / "circulars" / "se-bupati-belu-1-2020.md"
    good = source.read_text()
    context = browser.new_context()
    live = LivePage(context.new_page())
    pg = live.pg
    pg.goto(base + PAGE)
    live.listening_after(0)
    heading = pg.locator("h1")
    assert heading.inner_text() == "Penyesuaian Sistem Kerja di Kabupaten Contoh"

    seen = live.hellos
    source.write_text(good.replace("Penyesuaian Sistem Kerja di Kabupaten Contoh", "Judul Sesudah Suntingan"))
    heading.filter(has_text="Judul Sesudah Suntingan").wait_for(timeout=20000)  # reloaded by itself
    live.listening_after(seen)

    seen = live.hellos
    source.write_text(good.replace("issued: 2020-03-20", "issued: 2020-02-30"))
    overlay = pg.locator("#build-errors")
    overlay.wait_for(timeout=20000)
    assert "se-bupati-belu-1-2020.md:6:9: error[bad-date]" in overlay.inner_text()
    assert overlay.evaluate("e => getComputedStyle(e).position") == "fixed"  # over the page, not in its flow
    assert heading.inner_text() == "Judul Sesudah Suntingan"  # the last good page stays readable beneath
    live.listening_after(seen)

    source.write_text(good)
    overlay.wait_for(state="detached", timeout=20000)
    assert heading.inner_text() == "Penyesuaian Sistem Kerja di Kabupaten Contoh"
    context.close()


def _preview(content: Path, out: Path):
    import datetime as dt

    import build
    from registry.cache import ParseCache
    from registry.config import load_config
    from registry.serve import Preview

    config, _ = load_config(CONFIG, {"base_url": "/"})
    assert config is not None
    cache = ParseCache()
    preview = Preview(lambda changed=None: build.prepare_pages(content, config, dt.date(2026, 11, 23), cache),
                      lambda outcome, stop: build.render_pages(outcome, 1, stop), out)
    return preview, cache


def test_preview_rewrites_only_the_files_that_changed(fixture_site: Path, tmp_path: Path) -> None:
    """After the first build the preview writes only files whose bytes changed and removes the ones that
    are gone; every other file keeps its inode and modification time."""
    content = fixture_site / "content"
    out = tmp_path / "_serve"
    preview, _ = _preview(content, out)
    assert preview.rebuild()

    def stamps() -> dict[str, tuple[int, int]]:
        return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
                for p in out.rglob("*") if p.is_file()}

    before = stamps()
    source = content / "circulars" / "se-bupati-belu-1-2020.md"
    source.write_text(source.read_text().replace("Penyesuaian Sistem Kerja di Kabupaten Contoh", "Judul Baru"))
    assert preview.rebuild()
    after = stamps()
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    assert "edaran/se-bupati-belu-1-2020/index.html" in changed
    assert "Judul Baru" in (out / "edaran" / "se-bupati-belu-1-2020" / "index.html").read_text()
    untouched = {"assets/style.css", "edaran/se-menteri-contoh-2-2020/index.html", "topik/index.html"}
    assert not untouched & changed
    assert "cari/indeks/meta.json" in changed  # the search index comes with the pages
    assert len(changed) < len(after) / 2
    assert preview.shown == {rel: (out / rel).read_bytes() for rel in after}  # the folder is exactly the site

    (content / "circulars" / "se-gubernur-ntt-2020.md").unlink()
    assert preview.rebuild()
    assert not (out / "edaran" / "se-gubernur-ntt-2020").exists()  # no empty folder to list either
    assert set(stamps()) == set(preview.shown or {})


def test_rebuilds_parse_only_changed_files_and_equal_a_fresh_build(fixture_site: Path, tmp_path: Path) -> None:
    """The preview re-parses only what changed (a document added beside a file counts as a change to it),
    and after a run of edits its site is byte for byte what a fresh `build` writes."""
    content = fixture_site / "content"
    out = tmp_path / "_serve"
    preview, cache = _preview(content, out)
    total = len(list((content / "circulars").rglob("*.md")))
    assert preview.rebuild()
    assert (cache.hits, cache.misses) == (0, total)

    assert preview.rebuild()
    assert (cache.hits, cache.misses) == (total, total)  # nothing changed: nothing parsed

    source = content / "circulars" / "se-bupati-belu-1-2020.md"
    good = source.read_text()
    source.write_text(good.replace("Penyesuaian Sistem Kerja di Kabupaten Contoh", "Judul Baru"))
    assert preview.rebuild()
    assert cache.misses == total + 1

    # A document named in a file but missing is an error; adding the document fixes it without touching
    # the file itself, so the cache must notice the document, not only the file.
    source.write_text(good.replace("sources:", "documents:\n  - title: Salinan\n"
                                   "    file: dokumen/belu-salinan.pdf\nsources:", 1))
    assert not preview.rebuild()
    assert "error[missing-file]" in report_of(preview)
    (fixture_site / "dokumen" / "belu-salinan.pdf").write_bytes(b"%PDF-1.4 salinan")
    assert preview.rebuild(), report_of(preview)

    fresh = tmp_path / "_site"
    build_into(fresh, content, cwd=fixture_site)
    from registry.serve import for_preview

    assert tree_bytes(out) == for_preview(tree_bytes(fresh))  # the same site, but for livereload's loader


def report_of(preview) -> str:
    from registry.problems import report

    return report(preview.problems)


def test_a_burst_of_saves_is_one_or_two_rebuilds(server: tuple[str, Path], tmp_path: Path) -> None:
    """Twenty saves in a row do not queue twenty rebuilds: saves closer together than the watcher's quiet
    time (a `git checkout`) are one change, and saves that come while a check runs are checked together
    after it (an editor saving every 10 ms: a few rebuilds, each a few tens of milliseconds)."""
    base, site = server
    source = site / "content" / "circulars" / "se-bupati-belu-1-2020.md"
    good = source.read_text()
    log = tmp_path / "serve.log"

    def burst(pause: float, last: str) -> int:
        before = log.read_text().count("rebuilt in ")
        for n in range(20):
            source.write_text(good.replace("Penyesuaian Sistem Kerja di Kabupaten Contoh", f"{last}-{n}"))
            time.sleep(pause)
        assert wait_for(lambda: f">{last}-19</h1>" in fetch(base + PAGE))
        time.sleep(1)  # nothing further is queued
        return log.read_text().count("rebuilt in ") - before

    assert 1 <= burst(0, "Judul Checkout") <= 2, log.read_text()
    assert 1 <= burst(0.01, "Judul Ke") <= 10, log.read_text()


def test_search_in_the_preview_follows_an_edit(server: tuple[str, Path], browser: Browser,
                                               failures: list[str]) -> None:
    """The search index is rebuilt after the pages (so the reload does not wait for it) and then finds
    the edited text."""
    base, site = server
    source = site / "content" / "circulars" / "se-bupati-belu-1-2020.md"
    source.write_text(source.read_text().replace("Penyesuaian Sistem Kerja di Kabupaten Contoh",
                                                 "Penyesuaian Zamrudkhatulistiwa"))
    pg = browser.new_page()
    status = pg.locator("#status")

    def found() -> bool:
        pg.goto(base + "cari/?q=zamrudkhatulistiwa")
        try:
            status.filter(has_text="untuk").wait_for(timeout=10000)
        except PlaywrightTimeoutError:  # no answer yet (a slow machine): ask again until the deadline
            return False
        return status.inner_text() == "1 edaran ditemukan untuk “zamrudkhatulistiwa”."

    assert wait_for(found, seconds=60)
    pg.close()


def test_the_server_survives_the_malformed_and_malicious_corpora(server: tuple[str, Path], tmp_path: Path) -> None:
    """The running server (its watcher, check and write threads): the whole malformed corpus at once shows
    every file's problems over the last good site; removing it recovers; the malicious corpus then builds."""
    from test_untrusted import MALFORMED, malicious_site

    base, site = server
    circulars = site / "content" / "circulars"
    corpus = sorted((MALFORMED / "content" / "circulars").iterdir())
    for source in corpus:
        shutil.copyfile(source, circulars / source.name)
    # Waiting for every file's problems: on a busy disk the copies are seconds apart, and the watcher
    # (30 ms of quiet) may check the first few on their own before the rest arrive.
    assert wait_for(lambda: "38 errors in 37 files" in html.unescape(fetch(base + PAGE)))
    overlay = html.unescape(fetch(base + PAGE))
    assert "error[yaml-tag]" in overlay and "error[internal]" not in overlay
    assert "Penyesuaian Sistem Kerja di Kabupaten Contoh" in overlay  # the last good page, beneath

    for source in corpus:
        (circulars / source.name).unlink()
    assert wait_for(lambda: "error[" not in fetch(base + PAGE) and "<h1" in fetch(base + PAGE))
    malicious_site(site)
    assert wait_for(lambda: "<h1" in fetch(base + "edaran/se-judul-01/"))
    assert "Traceback" not in (tmp_path / "serve.log").read_text()


def test_every_page_rendered_on_request_is_the_page_the_build_writes() -> None:
    """The preview serves a checked site's pages before it is written whole, one at a time: each must be
    byte for byte the built page (the real content: directives with tracker pages, regions, years)."""
    import datetime as dt

    import build
    from registry.config import load_config

    config, _ = load_config(CONFIG, {"base_url": "/"})
    assert config is not None
    prepared = build.prepare_pages(REPO / "content", config, dt.date(2026, 11, 23))
    assert prepared.site is not None and prepared.files is None
    built = build.render_pages(prepared)
    assert built.files is not None
    pages = [path for path in built.files if path.endswith(".html") or path.startswith("assets/")]
    assert any("/pelaksanaan/" in p for p in pages) and any(p.startswith("tahun/") for p in pages)
    for path in pages:
        assert prepared.site.render_file(path) == built.files[path], path
    directive = next(p for p in pages if p.endswith("/pelaksanaan/index.html")).split("/")[1]
    others = [p.split("/")[1] for p in pages if p.startswith("edaran/") and p.count("/") == 2]
    plain = next(cid for cid in others if f"edaran/{cid}/pelaksanaan/index.html" not in built.files)
    for missing in ("edaran/tidak-ada/index.html", f"edaran/{plain}/pelaksanaan/index.html",
                    f"wilayah/{directive}/pelaksanaan/index.html", "wilayah/99/index.html", "tahun/1900/index.html",
                    "api/circulars.json", "assets/../build.py", "assets/tidak-ada.css", "edaran/index.htm"):
        assert prepared.site.render_file(missing) is None, missing


def test_a_whole_site_render_gives_way_to_a_save_in_every_step() -> None:
    """The preview's background render is abandoned as soon as a save comes in, in every step: while it
    plans the pages, between pages, and within the feeds and exports, the search index's per-circular work
    and its assembly (a save waits for whatever step runs when it lands)."""
    import datetime as dt

    import build
    from registry.config import load_config
    from registry.parallel import CancelledError

    config, _ = load_config(CONFIG, {"base_url": "/"})
    assert config is not None
    site = build.prepare_pages(REPO / "content", config, dt.date(2026, 11, 23)).site
    assert site is not None
    asked: list[int] = []
    files, problems = site.render_all(1, lambda: asked.append(1) is None and False)
    assert files and not problems
    pages = len(site.plan.pages())
    assert len(asked) >= pages + 6  # asked after the pages too, not only between them
    for n in range(len(asked)):
        asked.clear()
        with pytest.raises(CancelledError):
            site.render_all(1, lambda n=n: asked.append(1) is None and len(asked) > n)
        assert len(asked) == n + 1  # the first "yes" stopped it: nothing asked again, nothing more done


def test_a_checked_edit_is_served_before_the_site_is_written_whole(fixture_site: Path, tmp_path: Path) -> None:
    """After a save the preview serves the edited page at once, rendered on request, while the written site
    still holds the last one; writing the whole site can be abandoned (another save) and then catches up."""
    content = fixture_site / "content"
    out = tmp_path / "_serve"
    preview, _ = _preview(content, out)
    assert preview.rebuild()
    assert preview.file(PAGE) is None  # written whole: the folder answers

    source = content / "circulars" / "se-bupati-belu-1-2020.md"
    edited = source.read_text().replace("Penyesuaian Sistem Kerja di Kabupaten Contoh", "Judul Baru")
    source.write_text(edited)
    assert preview.check()
    # A broken save now: the last good site is the one just served (not yet written), under the overlay.
    source.write_text(edited.replace("issued: 2020-03-20", "issued: 2020-02-30"))
    assert not preview.check()
    status, broken = preview.file(PAGE) or (0, b"")
    assert status == 200 and b">Judul Baru</h1>" in broken and b'id="build-errors"' in broken
    source.write_text(edited)
    assert preview.check()
    status, served = preview.file(PAGE) or (0, b"")
    assert status == 200 and b">Judul Baru</h1>" in served
    assert b"'unsafe-inline'" in served  # livereload's client may start, as on every previewed page
    assert b'id="build-errors"' not in served
    assert b"Judul Baru" not in (out / PAGE / "index.html").read_bytes()
    assert preview.file("assets/style.css") == (200, (REPO_STATIC / "style.css").read_bytes())
    assert preview.file("api/circulars.json") is None  # not rendered on request: the folder answers

    assert preview.complete(stop=lambda: True) is None  # abandoned: nothing written, still served on request
    assert b"Judul Baru" not in (out / PAGE / "index.html").read_bytes()
    assert preview.file(PAGE) == (200, served)

    assert preview.complete()
    assert (out / PAGE / "index.html").read_bytes() == served
    assert preview.file(PAGE) is None


def test_a_removed_circular_is_gone_from_the_preview_at_once(fixture_site: Path, tmp_path: Path) -> None:
    """A page the checked site no longer has is its 404 page, not the copy still in the written folder."""
    content = fixture_site / "content"
    preview, _ = _preview(content, tmp_path / "_serve")
    assert preview.rebuild()
    (content / "circulars" / "se-gubernur-ntt-2020.md").unlink()
    assert preview.check()
    status, page = preview.file("edaran/se-gubernur-ntt-2020/") or (0, b"")
    assert status == 404 and b"<h1" in page and b"se-gubernur-ntt-2020" not in page
    assert (tmp_path / "_serve" / "edaran" / "se-gubernur-ntt-2020" / "index.html").exists()  # until written


def test_a_page_that_fails_to_render_shows_why_and_keeps_the_save_s_own_problems(fixture_site: Path,
                                                                                tmp_path: Path) -> None:
    """A template that compiles but fails on a page: the page on request is the last written one with the
    error over it, and the whole-site render reports it; a later broken save's problems are kept beside it."""
    content = fixture_site / "content"
    out = tmp_path / "_serve"
    preview, _ = _preview(content, out)
    assert preview.rebuild()
    good = (out / PAGE / "index.html").read_bytes()
    source = content / "circulars" / "se-bupati-belu-1-2020.md"
    text = source.read_text()
    source.write_text(text.replace("Penyesuaian Sistem Kerja di Kabupaten Contoh", "Judul Baru"))
    assert preview.check()
    site = preview.pending.site
    site.templates["circular.html"] = site.env.from_string("{{ tidak_ada.sama_sekali }}")  # fails on render
    status, page = preview.file(PAGE) or (0, b"")
    assert status == 200 and b'id="build-errors"' in page and b"error[template]" in page
    assert b"Penyesuaian Sistem Kerja di Kabupaten Contoh" in page  # the last written page, beneath

    source.write_text(text.replace("issued: 2020-03-20", "issued: 2020-02-30"))  # then a broken save
    assert not preview.check()
    assert preview.complete() is False  # the checked site's render fails
    codes = sorted(p.code for p in preview.problems)
    assert codes == ["bad-date", "template"]
    written = (out / PAGE / "index.html").read_bytes()
    assert b"error[bad-date]" in written and b"error[template]" in written
    assert good.split(b"<body")[1][-2000:] in written
