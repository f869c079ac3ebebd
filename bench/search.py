#!/usr/bin/env python3
"""Search benchmark: index time and size, and what a reader's browser downloads and waits for on /cari/.

    python3 bench/search.py                                  # the registry's own content
    python3 bench/search.py --content /tmp/corpus --runs 3   # any content folder (one holding circulars/)

Times are medians of --runs; the indexing stage is reported as a ratio against the rest of the build
measured in the same run (the word index is made inside the render stage; it is timed here alone, from the
same registry). Browser figures come from Debian's Chromium (/usr/bin/chromium) on the built site served
locally.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from common import arguments, checked, interface_strings, site_config  # noqa: E402

import build  # noqa: E402
from registry import search  # noqa: E402
from registry.render import Site, render  # noqa: E402
from registry.write import publish  # noqa: E402

# Text files GitHub Pages sends gzip-compressed.
COMPRESSED_BY_SERVER = (".html", ".css", ".js", ".json")


def _median(values: list[float]) -> float:
    return statistics.median(values)


def time_build(content: Path, runs: int, as_of: dt.date) -> dict[str, float]:
    """Median seconds of each stage of the in-memory build (the render includes the word index, which is
    also timed alone), and the files of the last run."""
    config = site_config()
    strings = interface_strings(config)
    stages: dict[str, list[float]] = {"check": [], "render": [], "index": []}
    files: dict[str, bytes] = {}
    for _ in range(runs):
        t0 = time.perf_counter()
        registry = checked(content, as_of)
        t1 = time.perf_counter()
        files, problems = render(registry, config, strings, build.TEMPLATES, build.STATIC)
        t2 = time.perf_counter()
        if problems:
            sys.exit(problems[0].text())
        site = Site(registry, config, strings, build.TEMPLATES, build.STATIC)
        search._STEMS.clear()  # as cold as in the build's worker, where the render did not fill them
        search._FORM.clear()
        t3 = time.perf_counter()
        search.word_index(search.documents(registry, search.index_order(registry), config.base_path,
                                           site.issued_text, site.plan.words))
        t4 = time.perf_counter()
        stages["check"].append(t1 - t0)
        stages["render"].append(t2 - t1 - (t4 - t3))
        stages["index"].append(t4 - t3)
    result = {name: _median(times) for name, times in stages.items()}
    result["files"] = files  # type: ignore[assignment]
    return result


def index_size(site: Path) -> tuple[int, int]:
    files = [p for d in ("cari/indeks", "cari/nomor") for p in (site / d).rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def wire_bytes(site: Path, base: str, urls: list[str]) -> tuple[int, int]:
    """Bytes of the files behind `urls`: as served here (no compression) and as GitHub Pages sends them."""
    plain = compressed = 0
    for url in urls:
        rel = url.split("?", 1)[0].removeprefix(base)
        path = site / (rel + "index.html" if rel.endswith("/") or not rel else rel)
        data = path.read_bytes()
        plain += len(data)
        compressed += len(gzip.compress(data, mtime=0)) if path.suffix in COMPRESSED_BY_SERVER else len(data)
    return plain, compressed


def browser_figures(site: Path, queries: list[str]) -> list[dict[str, object]]:
    """For each query, on a fresh page: the downloads after the HTML page, and ms from typing to results."""
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, serve_folder

    base, httpd = serve_folder(site)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for query in queries:
            context = browser.new_context(viewport=PHONE)
            pg = context.new_page()
            seen: list[str] = []
            pg.on("response", lambda r, seen=seen: seen.append(r.url) if r.ok else None)
            pg.goto(base + "cari/", wait_until="networkidle")  # the page and the index table it preloads
            pg.evaluate("""() => { window.__done = new Promise(resolve => document.getElementById('cari')
                .addEventListener('cari:selesai', e => resolve(e.detail), { once: true })); }""")
            t0 = time.perf_counter()
            pg.get_by_label("Kata kunci atau nomor edaran").fill(query)
            detail = pg.evaluate("window.__done")
            wall = (time.perf_counter() - t0) * 1000
            pg.wait_for_load_state("networkidle")
            after_page = [u for u in seen if not u.rstrip("/").endswith("/cari")]
            typed = typed_ms(browser, base, query)
            plain, sent = wire_bytes(site, base, after_page)
            rows.append({"query": query, "ms_in_page": detail["ms"], "ms_wall": wall, "requests": len(after_page),
                         "bytes": plain, "bytes_gzip": sent, "ms_typed": typed,
                         "results": pg.locator("#status").inner_text()})
            context.close()
        browser.close()
    httpd.shutdown()
    return rows


def typed_ms(browser: object, base: str, query: str) -> float:
    """Typed as a reader types (a key every 150 ms) on a fresh page: ms from the last key to its results."""
    from conftest import PHONE

    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.goto(base + "cari/", wait_until="networkidle")
    pg.evaluate("""() => { window.__seen = []; document.getElementById('cari').addEventListener('cari:selesai',
        e => window.__seen.push([e.detail.query, performance.now()])); }""")
    box = pg.get_by_label("Kata kunci atau nomor edaran")
    box.press_sequentially(query[:-1], delay=150)
    pg.wait_for_timeout(150)
    start = pg.evaluate("performance.now()")
    box.press(query[-1])
    pg.wait_for_function("q => window.__seen.some(s => s[0] === q)", arg=query)
    end = pg.evaluate("q => window.__seen.find(s => s[0] === q)[1]", query)
    context.close()
    return end - start


def sample_queries(files: dict[str, bytes]) -> list[str]:
    """Queries a reader might type, taken from the corpus itself: a phrase, a region, a number, a near miss."""
    circulars = json.loads(files["api/circulars.json"])["circulars"]
    numbered = [c for c in circulars if c["number"]]
    regional = [c for c in circulars if c["region"]["level"] != "nasional"]
    middle = numbered[len(numbered) // 2]
    near = middle["number"][:-1] + ("1" if middle["number"][-1] != "1" else "2")
    return ["pencegahan penyebaran", regional[len(regional) // 3]["region"]["name"], middle["number"], near,
            "kerja dari rumah"]


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--no-browser", action="store_true", help="skip the browser figures")
    args = parser.parse_args()

    stages = time_build(args.content, args.runs, args.as_of)
    files = stages.pop("files")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "_site"
        publish(files, site)  # type: ignore[arg-type]
        size, count = index_size(site)
        pages = len(list((site / "edaran").glob("*/index.html")))
        rest = stages["check"] + stages["render"]
        print(f"corpus: {args.content} ({pages} circulars), median of {args.runs} runs")
        print(f"build phase one {stages['check']:.2f} s, render without the index {stages['render']:.2f} s, "
              f"search index {stages['index']:.2f} s (one process)")
        print(f"search index / rest of the build ({rest:.2f} s): {stages['index'] / rest:.2f}x")
        print(f"index on disk: {size / 1024:.0f} KB in {count} files ({size / pages / 1024:.1f} KB per circular)")
        if args.no_browser:
            return
        rows = browser_figures(site, sample_queries(files))
    print("first query on a loaded /cari/ page (bytes after the HTML page; gzip as GitHub Pages sends text):")
    for row in rows:
        print(f"  {row['query'][:40]!r:44} {row['ms_in_page']:6.1f} ms to results ({row['ms_wall']:.0f} ms wall; "
              f"typed key by key: {row['ms_typed']:.0f} ms after the last key), "
              f"{row['requests']:3d} requests, {row['bytes'] / 1024:6.1f} KB ({row['bytes_gzip'] / 1024:6.1f} KB gzip)"
              f" — {row['results']}")
    print(f"worst: {max(r['ms_in_page'] for r in rows):.1f} ms to results pasted, "
          f"{max(r['ms_typed'] for r in rows):.0f} ms after the last key typed, "
          f"{max(r['bytes_gzip'] for r in rows) / 1024:.1f} KB gzip downloaded")


if __name__ == "__main__":
    main()
