"""Lists in pages: every list of circulars (all of them, each region's, issuer's, topic's and year's) and of
national directives (all of them, those addressed to a region) is cut into pages of `page_size` rows that
together show exactly the whole list, linked to each other, in the sitemap, served alike by the preview, and
usable on a phone."""

from __future__ import annotations

import datetime as dt
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from conftest import AS_OF, CONFIG, REPO, build_into, run_cli, tree_bytes, watch_page

SIZE = 5
BASE_URL = "https://example.org/"  # a full address, so the sitemap is written (at the root path: links are "/...")
LISTS = re.compile(r"^(edaran/|(wilayah|penerbit|topik|tahun)/[^/]+/)index\.html$")


def _config(folder: Path, page_size: object) -> Path:
    text = re.sub(r"(?m)^page_size:.*$", f"page_size: {page_size}", CONFIG.read_text(encoding="utf-8"))
    assert f"page_size: {page_size}" in text
    path = folder / f"config-{page_size}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 generated circulars over several years, regions (provinces with their regencies) and issuers."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, "bench/gen_corpus.py", "--count", "60", "--out", str(out)], cwd=REPO,
                   check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def sites(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The corpus built whole (every list on one page) and in pages of SIZE rows (with a sitemap)."""
    root = tmp_path_factory.mktemp("sites")
    whole, paged = root / "whole", root / "paged"
    build_into(whole, corpus, "--config", _config(root, 10000), "--no-cache")
    build_into(paged, corpus, "--config", _config(root, SIZE), "--no-cache", "--base-url", BASE_URL)
    return whole, paged


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "html.parser")


def _rows(soup: BeautifulSoup) -> list[str]:
    return [a["href"] for a in soup.select("main ul.circulars a.title")]


@pytest.mark.parametrize("size", [SIZE, 1])
def test_every_list_in_pages_shows_the_whole_list_once_in_order(corpus: Path, sites: tuple[Path, Path], size: int,
                                                               tmp_path: Path) -> None:
    """Each list's pages, followed by their "next" links, show its rows as the whole list does (at size 1
    every list has several pages, an issuer's too; at SIZE, pages of several rows)."""
    whole, paged = sites
    if size != SIZE:
        paged = tmp_path / "paged"
        build_into(paged, corpus, "--config", _config(tmp_path, size), "--no-cache")
    lists = sorted(p for p in tree_bytes(whole) if LISTS.match(p))
    assert "edaran/index.html" in lists and any(p.startswith("wilayah/") for p in lists)
    long_ones = set()  # the kinds of list that took more than one page
    for first in lists:
        base = first.removesuffix("index.html")
        expected = _rows(_soup(whole / first))
        pages = max(1, math.ceil(len(expected) / size))
        if pages > 1:
            long_ones.add(first.split("/")[0])
        seen: list[str] = []
        path = first
        for number in range(1, pages + 1):
            assert path == (first if number == 1 else f"{base}halaman/{number}/index.html")
            soup = _soup(paged / path)
            rows = _rows(soup)
            assert 0 < len(rows) <= size or len(expected) == 0, path
            seen += rows
            following = soup.select_one('nav.pager a[rel="next"]')
            previous = soup.select_one('nav.pager a[rel="prev"]')
            if pages == 1:
                assert soup.select_one("nav.pager") is None and "halaman" not in soup.title.text, path
                break
            assert soup.select_one('nav.pager a[aria-current="page"]').text == str(number)
            first_row, last_row = (number - 1) * size + 1, (number - 1) * size + len(rows)
            shown = (f"Edaran ke-{first_row} sampai ke-{last_row}" if last_row > first_row
                     else f"Edaran ke-{first_row}") + f" dari {len(expected)} (halaman {number} dari {pages})."
            assert shown in soup.select_one("main").text, path
            assert (number == 1) == ("halaman" not in soup.title.text), path
            description = soup.select_one('meta[name="description"]')["content"]
            crumbs = [a["href"] for a in soup.select("nav.breadcrumb a")]
            if not first.startswith("edaran/"):  # a later page's breadcrumb ends at the list's first page
                assert (crumbs[-1] == "/" + base) == (number > 1), (path, crumbs)
            if number > 1:
                assert f"(halaman {number} dari {pages})" in soup.title.text
                assert description.endswith(f" Halaman {number} dari {pages}."), path
                assert previous is not None and previous["href"] == "/" + (
                    base if number == 2 else f"{base}halaman/{number - 1}/")
            else:
                assert previous is None
            for link in soup.select("nav.pager a"):  # every number shown leads to a page of this list
                href = link["href"]
                assert href == "/" + base or re.fullmatch(f"/{re.escape(base)}halaman/[0-9]+/", href), href
                assert (paged / href.lstrip("/") / "index.html").is_file(), (path, href)
            if number == pages:
                assert following is None
            else:
                assert following is not None
                path = following["href"].lstrip("/") + "index.html"
        assert seen == expected, first
        assert not (paged / base / "halaman" / "1").exists()
        assert not (paged / base / "halaman" / str(pages + 1)).exists()
    assert long_ones >= {"edaran", "wilayah", "topik", "tahun"} | ({"penerbit"} if size == 1 else set())


def test_region_pages_show_what_the_region_is_owed_on_the_first_page_only(sites: tuple[Path, Path]) -> None:
    _, paged = sites
    provinces = [p for p in tree_bytes(paged) if re.match(r"^wilayah/\d\d/halaman/2/index\.html$", p)]
    assert provinces
    owed = 0  # first pages that list the directives addressed to the region
    for later in provinces:
        first = _soup(paged / later.replace("halaman/2/", ""))
        assert first.select_one("#kabkota") is not None
        owed += first.select_one("#arahan") is not None
        second = _soup(paged / later)
        assert second.select_one("#kabkota") is None and second.select_one("#arahan") is None
        assert second.select_one("h1").text == first.select_one("h1").text
        # The own circulars come first, then the regencies' and cities': each under its own heading.
        for soup in (first, second):
            headings = [h["id"] for h in soup.select("main section > h2") if h["id"].startswith("edaran-")]
            assert headings in (["edaran-sendiri"], ["edaran-kabkota"], ["edaran-sendiri", "edaran-kabkota"])
    assert owed > 0


def test_the_list_of_all_circulars_keeps_each_row_under_its_year(sites: tuple[Path, Path]) -> None:
    whole, paged = sites

    def by_year(soup: BeautifulSoup) -> list[tuple[str, str]]:
        return [(section.h2.text, a["href"]) for section in soup.select("main section")
                for a in section.select("ul.circulars a.title")]

    expected = by_year(_soup(whole / "edaran/index.html"))
    assert len({year for year, _ in expected}) > 1
    pages = sorted(paged.glob("edaran/halaman/*/index.html"), key=lambda p: int(p.parent.name))
    seen = by_year(_soup(paged / "edaran/index.html"))
    for page in pages:
        seen += by_year(_soup(page))
    assert seen == expected
    years = _soup(paged / "edaran/index.html").select('main a[href^="/tahun/"]')
    assert [a.text for a in years] == sorted({year for year, _ in expected}, reverse=True)


def test_every_page_is_in_the_sitemap(sites: tuple[Path, Path]) -> None:
    _, paged = sites
    sitemap = (paged / "sitemap.xml").read_text(encoding="utf-8")
    later = [p for p in tree_bytes(paged) if "/halaman/" in p]
    assert len(later) > 20
    for path in later:
        assert f"/{path.removesuffix('index.html')}</loc>" in sitemap, path


def test_the_preview_serves_each_page_as_the_build_writes_it(corpus: Path, sites: tuple[Path, Path],
                                                           tmp_path: Path) -> None:
    import build
    from registry.config import load_config

    _, paged = sites
    config, _ = load_config(_config(tmp_path, SIZE), {"base_url": BASE_URL})
    assert config is not None and config.page_size == SIZE
    site = build.prepare_pages(corpus, config, dt.date.fromisoformat(AS_OF)).site
    assert site is not None
    built = tree_bytes(paged)
    later = [p for p in built if "/halaman/" in p]
    for path in [*later, "edaran/index.html"]:
        assert site.render_file(path) == built[path], path
    last = max(int(p.split("/")[2]) for p in later if p.startswith("edaran/halaman/"))
    circular = next(p for p in built if re.match(r"^edaran/[^/]+/index\.html$", p) and "halaman" not in p)
    for missing in ("edaran/", "tahun/2020/", "xhalaman/2/index.html", "edaran/halaman/2/",
                    "edaran/halaman/1/index.html", f"edaran/halaman/{last + 1}/index.html",
                    "edaran/halaman/02/index.html", "edaran/halaman/index.html", "wilayah/99/halaman/2/index.html",
                    circular.replace("index.html", "halaman/2/index.html"), "wilayah/halaman/2/index.html"):
        assert site.render_file(missing) is None, missing


@pytest.mark.parametrize(("value", "shown"), [("0", "0"), ("10001", "10001"), ("'10'", "'10'"), ("true", "True"),
                                              ("2.5", "2.5"), ("null", "None")])
def test_a_page_size_that_is_not_a_whole_number_in_range_is_a_config_error(tmp_path: Path, value: str,
                                                                           shown: str) -> None:
    config = _config(tmp_path, value)
    line = config.read_text(encoding="utf-8").splitlines().index(f"page_size: {value}") + 1
    run = run_cli("check", "--content", REPO / "content", "--config", config, cwd=tmp_path)
    assert run.code == 2
    assert run.err == (f"{config.name}:{line}:1: error[config]: page_size must be a whole number from 1 to 10,000 "
                       f"(circulars per page of a list), not {shown}\n1 error in 1 file\n")


def test_a_circular_cannot_take_the_folder_of_the_lists_later_pages(tmp_path: Path) -> None:
    source = next((REPO / "content" / "circulars").glob("*.md")).read_text(encoding="utf-8")
    content = tmp_path / "content"
    (content / "circulars").mkdir(parents=True)
    (content / "circulars" / "halaman.md").write_text(source, encoding="utf-8")
    run = run_cli("check", "--content", content, "--config", CONFIG, "--as-of", AS_OF, cwd=tmp_path)
    assert run.code == 1
    assert ("content/circulars/halaman.md:1:1: error[bad-id]: file name 'halaman.md' is reserved: edaran/halaman/ "
            "holds the later pages of the list of all circulars\n  hint: name the file after the circular's kind, "
            "issuer, number and year, e.g. 'se-menpanrb-19-2020.md'\n") in run.err


def test_a_reader_on_a_phone_pages_through_the_list(sites: tuple[Path, Path], browser: Browser,
                                                    failures: list[str]) -> None:
    from check_links import serve_folder
    from test_accessibility import AXE, PHONE_NARROW, fits_the_screen, violations

    _, paged = sites
    url, httpd = serve_folder(paged)
    ctx = browser.new_context(viewport=PHONE_NARROW, bypass_csp=True)  # bypass: axe is injected inline
    try:
        pg = ctx.new_page()
        watch_page(pg, failures)
        pg.goto(url + "edaran/")
        pg.get_by_role("navigation", name="Halaman daftar").get_by_role("link", name="Berikutnya").click()
        pg.wait_for_url(url + "edaran/halaman/2/")
        assert "(halaman 2 dari" in pg.title()
        current = pg.get_by_role("navigation", name="Halaman daftar").locator('[aria-current="page"]')
        assert current.inner_text() == "2"
        pg.get_by_role("link", name="Halaman 3").click()
        pg.wait_for_url(url + "edaran/halaman/3/")
        pg.get_by_role("link", name="Sebelumnya").click()
        pg.wait_for_url(url + "edaran/halaman/2/")
        assert violations(pg, AXE.read_text(encoding="utf-8")) == []
        fits_the_screen(pg, "edaran/halaman/2/")
        assert failures == []
    finally:
        ctx.close()
        httpd.shutdown()


@pytest.mark.parametrize(("rows", "size", "pages"), [(0, 5, 1), (1, 5, 1), (5, 5, 1), (6, 5, 2), (10, 5, 2), (11, 5, 3),
                                                   (10_000, 100, 100), (10_001, 100, 101)])
def test_a_list_takes_as_many_pages_as_its_rows_need(rows: int, size: int, pages: int) -> None:
    from registry import listing

    assert listing.page_count(rows, size) == pages
    ids = [f"se-{i}" for i in range(rows)]
    cut = [listing.page_of([("a", ids[:rows // 3]), ("b", ids[rows // 3:])], size, n, "edaran/")
           for n in range(1, pages + 1)]
    assert [cid for page in cut for _, part in page.parts for cid in part] == ids
    assert all(page.pages == pages and page.rows == rows for page in cut)
    if rows:  # an empty list has one page, which says so
        assert [(page.first, page.last) for page in cut] == [
            (n * size + 1, min(rows, (n + 1) * size)) for n in range(pages)]


@pytest.mark.parametrize(("number", "pages", "shown"), [
    (1, 1, [1]), (1, 2, [1, 2]), (2, 2, [1, 2]), (1, 10, [1, 2, None, 10]), (4, 10, [1, 2, 3, 4, 5, None, 10]),
    (5, 10, [1, None, 4, 5, 6, None, 10]), (6, 10, [1, None, 5, 6, 7, None, 10]), (10, 10, [1, None, 9, 10]),
    (6, 9, [1, None, 5, 6, 7, 8, 9])])
def test_the_pager_shows_the_first_last_and_nearby_pages(number: int, pages: int, shown: list[int | None]) -> None:
    """One skipped number is shown itself, not as '…', which would take as much room."""
    from registry import listing

    assert listing.Listing(number, pages, "edaran/", pages * 5, 1, ()).window() == shown


@pytest.mark.parametrize(("path", "parts"), [
    ("edaran/halaman/2/index.html", ("edaran/", 2)), ("wilayah/33.05/halaman/12/index.html", ("wilayah/33.05/", 12)),
    ("edaran/halaman/1/index.html", None), ("edaran/halaman/02/index.html", None), ("halaman/2/index.html", None),
    ("xhalaman/2/index.html", None), ("edaran/halaman/2/", None), ("edaran/halaman/2/feed.xml", None)])
def test_a_later_pages_address_names_its_list_and_number(path: str, parts: tuple[str, int] | None) -> None:
    from registry import listing

    assert listing.split_path(path) == parts


def test_new_refuses_the_reserved_id(tmp_path: Path) -> None:
    (tmp_path / "content" / "circulars").mkdir(parents=True)
    run = run_cli("new", "--region", "53.04", "--issued", "2020-04-01", "--issuer", "Bupati Belu", "--title", "Kerja",
                  "--id", "halaman", cwd=tmp_path)
    assert run.code == 2
    assert run.err.startswith("error: --id 'halaman' is reserved: edaran/halaman/ holds the later pages of the list "
                              "of all circulars\n")
    assert not (tmp_path / "content" / "circulars" / "halaman.md").exists()


@pytest.fixture(scope="module")
def many_directives(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """400 generated circulars (more than ten national directives), built whole and in pages of SIZE rows."""
    root = tmp_path_factory.mktemp("many")
    subprocess.run([sys.executable, "bench/gen_corpus.py", "--count", "400", "--out", str(root / "corpus")],
                   cwd=REPO, check=True, capture_output=True)
    whole, paged = root / "whole", root / "paged"
    build_into(whole, root / "corpus", "--config", _config(root, 10000), "--no-cache")
    build_into(paged, root / "corpus", "--config", _config(root, SIZE), "--no-cache")
    return whole, paged


def _pages(site: Path, base: str) -> list[BeautifulSoup]:
    """Every page of the list whose first page is `base`, in order, found by following "next" links."""
    soups = [_soup(site / base / "index.html")]
    while (following := soups[-1].select_one('nav.pager a[rel="next"]')) is not None:
        soups.append(_soup(site / following["href"].lstrip("/") / "index.html"))
    return soups


def _directives(soup: BeautifulSoup) -> list[tuple[str, str]]:
    return [(li.select_one("a.title")["href"], li.select_one(".count").text)
            for li in soup.select("main ul.directives > li")]


def _owed(soup: BeautifulSoup) -> list[tuple[str, bool]]:
    return [(li.a["href"], li.strong is not None) for li in soup.select("main ul.directives-status > li")]


def test_the_home_page_shows_the_newest_directives_and_links_to_all_of_them(many_directives: tuple[Path, Path],
                                                                            ) -> None:
    """At 100,000 circulars there are about 3,000 national directives: all on the home page made it 865 KB."""
    whole, paged = many_directives
    listed = _directives(_soup(whole / "edaran-nasional" / "index.html"))
    assert len(listed) > 10
    issued = {a["href"]: i for i, a in enumerate(_soup(whole / "edaran" / "index.html").select("main a.title"))}
    assert [issued[href] for href, _ in listed] == sorted(issued[href] for href, _ in listed)  # newest first
    home = _soup(whole / "index.html")
    assert _directives(home) == listed[:10]
    assert home.select_one('main a[href="/edaran-nasional/"]').text == \
        f"Semua {len(listed)} edaran nasional dan pelaksanaannya"
    pages = _pages(paged, "edaran-nasional/")
    assert [row for soup in pages for row in _directives(soup)] == listed
    assert len(pages) == math.ceil(len(listed) / SIZE)


def test_a_region_owed_more_directives_than_a_page_links_to_their_list(many_directives: tuple[Path, Path]) -> None:
    """The region's first page says how many of the directives addressed to it have an implementation recorded
    and links to their list in pages; with room for all, it lists them itself (newest first, both)."""
    whole, paged = many_directives
    # With room for every directive on a region's page (the whole build), no region has a list of its own.
    assert sum(bool(_owed(_soup(p))) for p in whole.glob("wilayah/*/index.html")) > 10
    assert not list(whole.glob("wilayah/*/edaran-nasional"))
    checked = 0
    for first in sorted(whole.glob("wilayah/*/index.html")):
        expected = _owed(_soup(first))
        code = first.parent.name
        page = _soup(paged / "wilayah" / code / "index.html")
        if len(expected) <= SIZE:
            assert _owed(page) == expected
            assert not (paged / "wilayah" / code / "edaran-nasional").exists()
            continue
        checked += 1
        assert _owed(page) == []
        done, label = sum(d for _, d in expected), page.h1.text
        summary = page.select_one("#arahan + p")
        assert summary.text == (f"{done} dari {len(expected)} edaran nasional untuk {label} sudah memiliki edaran "
                                f"pelaksana yang tercatat. Daftar {len(expected)} edaran nasional untuk {label}.")
        assert summary.a["href"] == f"/wilayah/{code}/edaran-nasional/"
        pages = _pages(paged, f"wilayah/{code}/edaran-nasional/")
        assert [row for soup in pages for row in _owed(soup)] == expected
        assert len(pages) == math.ceil(len(expected) / SIZE)
        assert pages[0].h1.text == f"Edaran nasional untuk {label}"
    assert checked > 10


def test_the_preview_serves_the_directive_lists_as_built(many_directives: tuple[Path, Path], tmp_path: Path) -> None:
    import build
    from registry.config import load_config

    whole, paged = many_directives
    config, _ = load_config(_config(tmp_path, SIZE), {})
    assert config is not None
    site = build.prepare_pages(paged.parent / "corpus", config, dt.date.fromisoformat(AS_OF)).site
    assert site is not None
    built = tree_bytes(paged)
    lists = [p for p in built if p.startswith("edaran-nasional/") or re.match(r"^wilayah/[^/]+/edaran-nasional/", p)]
    assert len(lists) > 20
    for path in lists:
        assert site.render_file(path) == built[path], path
    last = max(int(p.split("/")[2]) for p in lists if p.startswith("edaran-nasional/halaman/"))
    for missing in ("wilayah/ID/edaran-nasional/index.html", "wilayah/99/edaran-nasional/index.html",
                    "edaran-nasional/halaman/1/index.html", f"edaran-nasional/halaman/{last + 1}/index.html"):
        assert site.render_file(missing) is None, missing
    # A region whose directives all fit on its page (every one, with room for 10,000) has no list of them.
    config, _ = load_config(_config(tmp_path, 10000), {})
    assert config is not None
    roomy = build.prepare_pages(paged.parent / "corpus", config, dt.date.fromisoformat(AS_OF)).site
    assert roomy is not None
    owed = next(p.parent.name for p in sorted(whole.glob("wilayah/*/index.html")) if _owed(_soup(p)))
    assert roomy.render_file(f"wilayah/{owed}/index.html") == (whole / "wilayah" / owed / "index.html").read_bytes()
    assert roomy.render_file(f"wilayah/{owed}/edaran-nasional/index.html") is None


def test_a_reader_on_a_phone_finds_every_directive(many_directives: tuple[Path, Path], browser: Browser,
                                                   failures: list[str]) -> None:
    from check_links import serve_folder
    from test_accessibility import AXE, PHONE_NARROW, fits_the_screen, violations

    _, paged = many_directives
    url, httpd = serve_folder(paged)
    ctx = browser.new_context(viewport=PHONE_NARROW, bypass_csp=True)  # bypass: axe is injected inline
    axe = AXE.read_text(encoding="utf-8")
    try:
        pg = ctx.new_page()
        watch_page(pg, failures)
        pg.goto(url)
        pg.get_by_role("link", name=re.compile(r"^Semua \d+ edaran nasional")).click()
        pg.wait_for_url(url + "edaran-nasional/")
        pg.get_by_role("link", name="Berikutnya").click()
        pg.wait_for_url(url + "edaran-nasional/halaman/2/")
        assert violations(pg, axe) == []
        fits_the_screen(pg, "edaran-nasional/halaman/2/")
        pg.goto(url + "wilayah/33/")
        pg.get_by_role("link", name=re.compile(r"^Daftar \d+ edaran nasional untuk")).click()
        pg.wait_for_url(url + "wilayah/33/edaran-nasional/")
        assert violations(pg, axe) == []
        fits_the_screen(pg, "wilayah/33/edaran-nasional/")
        assert failures == []
    finally:
        ctx.close()
        httpd.shutdown()
