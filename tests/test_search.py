"""Search (/cari/) in a real browser: stemming, exact numbers, synonyms, facets, shareable URLs, no script."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import pickle
import random
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

import build
from conftest import AS_OF, PHONE, REPO, build_into, serve_folder, watch_page, write_site
from registry import render
from registry.search import (
    WordIndex,
    documents,
    fnv1a,
    index_order,
    number_key,
    text_file,
    tokens,
    word_index,
    words_from,
)
from registry.strings import load_strings

SE19 = "se-menpanrb-19-2020"


def _circulars(site: Path) -> list[dict]:
    return json.loads((site / "api" / "circulars.json").read_text())["circulars"]


def search(pg: Page, served: str, query: str = "", **filters: str) -> None:
    """Open /cari/ with a query in its URL, as a shared link would, and wait for the results."""
    params = {"q": query, **filters} if query else filters
    pg.goto(f"{served}cari/?{urllib.parse.urlencode(params)}")
    wait_for_results(pg)


def wait_for_results(pg: Page) -> None:
    """Wait until the results on screen are those of the search in the page's URL."""
    # Polled with evaluate, not wait_for_function: the pages' Content-Security-Policy forbids the eval
    # that wait_for_function uses in the page.
    for _ in range(400):
        if pg.evaluate("() => document.getElementById('hasil').dataset.untuk === "
                       "new URLSearchParams(location.search).toString()"):
            return
        pg.wait_for_timeout(25)
    raise AssertionError("the results never matched the search in the URL")


def result_links(pg: Page) -> list[str]:
    """The circular ids of the results, in order (exact number matches first)."""
    hrefs = pg.locator("#hasil li h3 a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    return [h.rstrip("/").rsplit("/", 1)[1] for h in hrefs]


def random_strings(seed: int, alphabet: str, count: int, longest: int) -> list[str]:
    """`count` strings of up to `longest` characters from `alphabet`, the same ones every run."""
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)]


def in_search_page(pg: Page, served: str, call: str, cases: list[str]) -> list[object]:
    """The JavaScript expression `call` for each case `c`, run in the search page with its module as `m`."""
    pg.goto(served + "cari/")
    return pg.evaluate("async (cases) => { const m = await import(new URL('../assets/cari.js', location.href)"
                       f".href); return cases.map(c => {call}); }}", cases)


@contextlib.contextmanager
def site_in_browser(browser: Browser, content: Path, failures: list[str]) -> Iterator[tuple[str, Page]]:
    """Build `content` into a folder beside it, serve it, and open a phone-sized page that records failures."""
    out = content.parent / "_site"
    build_into(out, content)
    url, httpd = serve_folder(out)
    context = browser.new_context(viewport=PHONE)
    try:
        pg = context.new_page()
        watch_page(pg, failures)
        yield url, pg
    finally:
        context.close()
        httpd.shutdown()


@pytest.mark.parametrize("word", ["cegah", "mencegah", "sebar", "pencegahan penyebaran"])
def test_indonesian_stemming_finds_se19(page: Page, served: str, failures: list[str], word: str) -> None:
    search(page, served, word)
    assert SE19 in result_links(page)
    assert page.locator("#hasil mark").count() > 0  # the excerpt highlights what matched
    assert failures == []


def test_every_real_number_finds_its_circular_first(page: Page, served: str, subpath_site: Path,
                                                    failures: list[str]) -> None:
    numbered = [c for c in _circulars(subpath_site) if c["number"]]
    assert len(numbered) >= 10
    for c in numbered:
        for typed in (c["number"], c["number"].lower(), f"Nomor {c['number']}"):
            search(page, served, typed)
            assert result_links(page)[0] == c["id"], typed
            first = page.locator("#hasil li").first
            expect(first.locator(".badge")).to_have_text("Nomor persis")
            expect(page.locator(".no-exact")).to_have_count(0)
    assert failures == []


@pytest.mark.parametrize(("typed", "expected"), [
    ("SE 19 tahun 2020", SE19),
    ("se menpan-rb no. 19/2020", SE19),
    ("Nomor 19 Tahun 2020", SE19),
    ("870/353/IV/2020", "se-bupati-belu-870-353-iv-2020"),  # typed without the office prefix BKPSDMD/
    ("060/1160/2020", "se-bupati-kebumen-060-1160-2020"),
])
def test_numbers_as_readers_type_them(page: Page, served: str, failures: list[str], typed: str,
                                      expected: str) -> None:
    search(page, served, typed)
    assert result_links(page)[0] == expected
    expect(page.locator("#hasil li.exact")).to_have_count(1)
    assert failures == []


@pytest.mark.parametrize("typed", ["870/278/III/2021", "870/278/II/2020", "060/1161 Tahun 2020",
                                   "SE 19 tahun 2021", "1061/BKD.I/2019"])
def test_near_miss_number_is_not_offered_as_a_match(page: Page, served: str, failures: list[str],
                                                    typed: str) -> None:
    search(page, served, typed)
    expect(page.locator("#hasil li.exact")).to_have_count(0)
    expect(page.locator(".no-exact")).to_contain_text(f"Tidak ada edaran bernomor {typed} di register.")
    expect(page.locator("#status")).to_contain_text(f"Tidak ada edaran bernomor “{typed}”.")
    assert failures == []


@pytest.mark.parametrize(("query", "expected"), [
    ("kebumen", {"se-bupati-kebumen-060-1160-2020"}),
    ("Belu", {"se-bupati-belu-870-278-iii-2020", "se-bupati-belu-870-353-iv-2020"}),
    ("kota metro", {"se-kota-metro-800-298-setda-07-2020"}),
])
def test_region_name_finds_its_circulars_first(page: Page, served: str, failures: list[str], query: str,
                                               expected: set[str]) -> None:
    search(page, served, query)
    assert set(result_links(page)[: len(expected)]) == expected
    assert failures == []


KEBUMEN = "se-bupati-kebumen-060-1160-2020"


@pytest.mark.parametrize(("typed", "expected"), [
    ("WFH", KEBUMEN),  # the page says "kerja dari rumah"
    ("PNS", "se-bupati-belu-870-278-iii-2020"),  # it says "ASN"
    ("MenPAN-RB", SE19),  # it says "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi"
    ("Pemkab Kebumen", KEBUMEN),  # issued by the Bupati of Kabupaten Kebumen
    ("Jateng", KEBUMEN),  # Kebumen is in Jawa Tengah
])
def test_synonyms_find_what_the_documents_call_otherwise(page: Page, served: str, subpath_site: Path,
                                                         failures: list[str], typed: str, expected: str) -> None:
    html = (subpath_site / "edaran" / expected / "index.html").read_text()
    assert typed.split()[0].lower() not in html.lower()  # the premise: only the synonym list can find it
    search(page, served, typed)
    assert expected in result_links(page)
    assert failures == []


def test_facets_narrow_and_combine(page: Page, served: str, failures: list[str]) -> None:
    pg = page
    search(pg, served, "kerja")
    everything = len(result_links(pg))
    pg.get_by_text("Saring dan urutkan").click()  # the filters are folded away until asked for
    pg.get_by_label("Provinsi", exact=True).select_option("Nusa Tenggara Timur")
    expect(pg.locator("#status")).to_contain_text("2 edaran ditemukan")
    assert set(result_links(pg)) == {"se-bupati-belu-870-278-iii-2020", "se-bupati-belu-870-353-iv-2020"}
    assert everything > 2
    assert "provinsi=Nusa+Tenggara+Timur" in pg.url
    # The facet shows how many results each value has within the current search.
    expect(pg.get_by_label("Tahun", exact=True).locator("option", has_text="2020")).to_have_text("2020 (2)")
    level = pg.get_by_label("Tingkat", exact=True)
    expect(level.locator("option", has_text="Nasional")).to_be_disabled()  # no national circular is in NTT
    expect(level.locator("option", has_text="Kabupaten")).to_have_text("Kabupaten (2)")
    pg.get_by_label("Status", exact=True).select_option("Berakhir")  # facets combine
    wait_for_results(pg)
    expect(pg.locator("#status")).to_contain_text("2 edaran ditemukan")
    assert "status=Berakhir" in pg.url and "provinsi=Nusa+Tenggara+Timur" in pg.url
    expect(pg.locator("summary")).to_have_text("Saring dan urutkan (2 aktif)")
    pg.get_by_role("button", name="Hapus semua saringan").click()
    expect(pg.locator("#status")).to_have_text(f"{everything} edaran ditemukan untuk “kerja”.")
    assert failures == []


def _day(issued: str) -> str:
    """The date a circular sorts by: its first possible day ('2020-03' -> '2020-03-01')."""
    return (issued + "-01-01")[:10] if len(issued) < 10 else issued


def test_filters_alone_list_circulars_newest_first(page: Page, served: str, subpath_site: Path,
                                                   failures: list[str]) -> None:
    circulars = {c["id"]: c for c in _circulars(subpath_site)}
    search(page, served, tingkat="Nasional")
    shown = result_links(page)
    assert sorted(shown) == sorted(i for i, c in circulars.items() if c["region"]["level"] == "nasional")
    days = [_day(circulars[i]["issued"]) for i in shown]
    assert days == sorted(days, reverse=True) and len(set(days)) > 2  # in the order shown, newest first
    assert failures == []


def test_sort_by_date(page: Page, served: str, subpath_site: Path, failures: list[str]) -> None:
    issued = {c["id"]: _day(c["issued"]) for c in _circulars(subpath_site)}
    search(page, served, "kerja", urut="terlama")
    oldest_first = [issued[i] for i in result_links(page)]
    assert oldest_first == sorted(oldest_first)
    page.get_by_text("Saring dan urutkan").click()
    page.get_by_label("Urutkan").select_option("terbaru")
    wait_for_results(page)
    newest_first = [issued[i] for i in result_links(page)]
    assert newest_first == sorted(newest_first, reverse=True)
    assert "urut=terbaru" in page.url
    assert failures == []


def test_typing_searches_and_the_url_follows(page: Page, served: str, failures: list[str]) -> None:
    pg = page
    pg.goto(served + "cari/")
    box = pg.get_by_label("Kata kunci atau nomor edaran")
    expect(box).to_be_focused()
    expect(pg.locator("#tanpa-js")).to_be_hidden()
    box.press("k")
    expect(pg.locator("#status")).to_have_text("Ketik sedikitnya dua huruf.")
    box.press_sequentially("ebumen")
    expect(pg.locator("#status")).to_have_text("1 edaran ditemukan untuk “kebumen”.")
    assert pg.url.endswith("/cari/?q=kebumen")
    pg.reload()  # the URL is the search: reloading (or sharing it) shows the same results
    expect(pg.locator("#status")).to_have_text("1 edaran ditemukan untuk “kebumen”.")
    expect(box).to_have_value("kebumen")
    assert failures == []


def test_header_box_on_every_page_leads_to_search_by_keyboard(page: Page, served: str,
                                                              failures: list[str]) -> None:
    pg = page
    pg.goto(served + "edaran/se-bupati-belu-870-278-iii-2020/")
    pg.get_by_role("searchbox", name="Cari edaran").fill("belu")
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/register-edaran/cari/?q=belu")
    expect(pg.locator("#status")).to_contain_text("edaran ditemukan untuk “belu”")
    # Keyboard only: from the search box, Tab reaches the button, the facets, and then the results.
    pg.get_by_label("Kata kunci atau nomor edaran").focus()
    for _ in range(30):
        pg.keyboard.press("Tab")
        if pg.evaluate("document.activeElement.closest('#hasil') !== null"):
            break
    assert pg.evaluate("document.activeElement.tagName") == "A"
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/edaran/se-bupati-belu-*/")
    assert failures == []


def test_result_count_is_announced(page: Page, served: str, failures: list[str]) -> None:
    search(page, served, "kebumen")
    status = page.locator("#status")
    assert status.get_attribute("aria-live") == "polite"
    assert status.get_attribute("role") == "status"
    expect(status).to_have_text("1 edaran ditemukan untuk “kebumen”.")
    assert failures == []


def test_more_results_on_request(browser: Browser, tmp_path: Path) -> None:
    """Past the first 10 results, a button shows the next ones and moves focus to the first of them."""
    files = {f"se-bupati-kebumen-{n}-2020.md": (
        f"---\ntitle: Penyesuaian Sistem Kerja Pegawai Tahap {n}\nnumber: \"800/{n}/2020\"\n"
        f"region: \"33.05\"\nissuer: Bupati Kebumen\nissued: 2020-03-{n:02d}\n"
        "sources:\n  - publisher: Contoh\n    title: Contoh berita\n---\nIsi edaran tahap {n}.\n")
        for n in range(1, 26)}
    failures: list[str] = []
    with site_in_browser(browser, write_site(tmp_path / "many", files), failures) as (url, pg):
        search(pg, url, "penyesuaian")
        expect(pg.locator("#status")).to_have_text("25 edaran ditemukan untuk “penyesuaian”.")
        expect(pg.locator("#hasil li")).to_have_count(10)
        more = pg.get_by_role("button", name="Tampilkan lebih banyak")
        more.click()
        expect(pg.locator("#hasil li")).to_have_count(20)
        expect(pg.locator("#hasil li").nth(10).locator("a")).to_be_focused()
        more.dblclick()  # an impatient double tap loads the next batch once
        expect(pg.locator("#hasil li")).to_have_count(25)
        assert len(set(result_links(pg))) == 25
        expect(pg.get_by_role("button", name="Tampilkan lebih banyak")).to_have_count(0)
    assert failures == []


def test_hostile_text_is_shown_as_text_in_results(browser: Browser, tmp_path: Path) -> None:
    """Indexed text comes from contributors: markup in it must be shown, never run."""
    evil = "<img src=x onerror=window.__pwned=1> <script>window.__pwned=2</script>"
    files = {"se-bupati-kebumen-1-2020.md": (
        "---\ntitle: \"Penyesuaian <b>Kerja</b> <img src=x onerror=window.__pwned=3>\"\n"
        "number: \"800/<i>1</i>/2020\"\n"
        "region: \"33.05\"\nissuer: Bupati Kebumen\nissued: 2020-03-01\n"
        "sources:\n  - publisher: Contoh\n    title: Contoh berita\n---\n"
        f"Penyesuaian jam kerja. `{evil}` &lt;mark&gt;bukan sorotan&lt;/mark&gt;\n")}
    dialogs: list[str] = []
    with site_in_browser(browser, write_site(tmp_path / "evil", files), []) as (url, pg):
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for query in ("penyesuaian", "800/<i>1</i>/2020", "onerror"):
            search(pg, url, query)
            assert pg.locator("#hasil img, #hasil script, #hasil b, #hasil i").count() == 0
            assert pg.evaluate("window.__pwned") is None
        search(pg, url, "penyesuaian")
        assert "<b>Kerja</b>" in pg.locator("#hasil li h3").first.inner_text()
        assert "<img src=x" in pg.locator("#hasil .excerpt").first.inner_text()
        search(pg, url, "sorotan")
        assert "<mark>bukan sorotan</mark>" in pg.locator("#hasil .excerpt").first.inner_text()  # as text
        expect(pg.locator("#hasil mark", has_text="bukan")).to_have_count(0)
        search(pg, url, "800/<i>1</i>/2020")
        expect(pg.locator("#hasil li.exact .meta")).to_contain_text("Nomor 800/<i>1</i>/2020")
    assert dialogs == []


def test_without_javascript_the_page_offers_browsing(browser: Browser, served: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(served + "cari/?q=kebumen")
        expect(pg.locator("#tanpa-js")).to_be_visible()
        expect(pg.locator("main")).to_contain_text("Pencarian memerlukan JavaScript")
        expect(pg.get_by_label("Kata kunci atau nomor edaran")).to_be_hidden()
        pg.locator("main").get_by_role("link", name="wilayah").first.click()
        pg.wait_for_url("**/register-edaran/wilayah/")
    finally:
        context.close()


def test_browser_and_build_normalise_numbers_alike(page: Page, served: str, failures: list[str]) -> None:
    """cari.js and registry/search.py each implement number_key and fnv1a; the keys must agree exactly."""
    cases = ["Nomor 19 Tahun 2020", "SE 19 tahun 2020", "no. 19/2020", "No.19/2020", "NO: 19 / 2020",
             "BKPSMD 870/278/III/2020", "BKPSDMD/870/353/IV/2020", "060/1160 Tahun 2020", "  1061/BKD.I/2020.",
             "800/298/SETDA/07/2020", "Ｎｏｍｏｒ　１９　Ｔａｈｕｎ　２０２０", "443.5/12-A/Dinkes/2021", "SE-19/2020",
             "HK.02.01/MENKES/202/2020", "nomor\u00a019\u2009tahun\t2020", "kebumen covid 19", "İSTANBUL/1/2020",
             "19 thn 2020", "19 th 2020", "B-123/ MENPANRB /03/2020", "/2020", "tahun", "", "x/y", "nomorx/1",
             "٣/٢٠٢٠", "١٩ tahun ٢٠٢٠", "Ⅻ/2020", "ǅ/1"]
    cases += random_strings(3, "0123456789/ .-:abcnoSETtahunNOMR\u00a0\u3000٣١Ⅻİǅ", 400, 24)
    got = in_search_page(page, served, "[m.numberKey(c), m.fnv1a(m.numberKey(c))]", cases)
    assert got == [[number_key(c), fnv1a(number_key(c))] for c in cases]
    assert failures == []


def test_index_is_published_with_the_site(real_site: Path) -> None:
    index = real_site / "cari" / "indeks"
    meta = json.loads((index / "meta.json").read_text())
    pages = sorted(p.parent.name for p in (real_site / "edaran").glob("*/index.html"))
    assert meta["jumlah"] == len(pages)  # every circular, nothing else
    texts = [json.loads((index / "teks" / f"{n}.json").read_text()) for n in range(meta["jumlah"])]
    assert sorted(t["url"].rstrip("/").rsplit("/", 1)[1] for t in texts) == pages
    assert all((index / "kata" / name).is_file() for _, name in meta["kata"])
    assert (index / meta["saring"]).is_file()
    assert (real_site / "cari" / "nomor" / "0.json").is_file()


def test_function_words_do_not_change_results(page: Page, served: str, failures: list[str]) -> None:
    """'dari' is on every page; dropping it saves a download and ranking time but loses no result."""
    search(page, served, "kerja dari rumah")
    with_stop_word = result_links(page)
    search(page, served, "kerja rumah")
    assert result_links(page) == with_stop_word != []
    assert failures == []


def test_a_plain_search_downloads_no_facet_index(page: Page, served: str, failures: list[str]) -> None:
    """Facet counts cost every facet's index; they are fetched only when the reader opens the filters."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    search(page, served, "kebumen")
    assert not [u for u in fetched if "/cari/indeks/saring/" in u]
    page.get_by_text("Saring dan urutkan").click()
    expect(page.get_by_label("Tahun", exact=True).locator("option", has_text="2020")).to_have_text("2020 (1)")
    assert [u for u in fetched if "/cari/indeks/saring/" in u]
    assert failures == []


@pytest.mark.parametrize("typed", ["Surat Edaran Bupati Kebumen Nomor 19 Tahun 2020", "SE Mensos 19 tahun 2020"])
def test_right_number_wrong_issuer_is_not_an_exact_match(page: Page, served: str, failures: list[str],
                                                         typed: str) -> None:
    search(page, served, typed)
    expect(page.locator("#hasil li.exact")).to_have_count(0)
    expect(page.locator(".no-exact")).to_contain_text("Tidak ada edaran bernomor itu yang cocok dengan")
    other = page.locator(".number-matches", has_text="Nomor yang sama, penerbit atau wilayah lain")
    expect(other.locator("li")).to_have_count(1)
    expect(other.locator("li .meta")).to_contain_text("Menteri Pendayagunaan Aparatur Negara")
    assert failures == []


def test_a_wrong_office_prefix_is_not_an_exact_match(page: Page, served: str, failures: list[str]) -> None:
    search(page, served, "BKD/870/278/III/2020")  # the circular's number is BKPSMD 870/278/III/2020
    expect(page.locator("#hasil li.exact")).to_have_count(0)
    expect(page.locator(".no-exact")).to_contain_text("Tidak ada edaran bernomor BKD/870/278/III/2020")
    assert failures == []


@pytest.mark.parametrize("typed", ["ASN tahun 2020", "pencegahan covid-19 tahun 2020", "tahun 2020",
                                   "kerja dari rumah 2020"])
def test_phrases_with_a_year_are_not_numbers(page: Page, served: str, failures: list[str], typed: str) -> None:
    search(page, served, typed)
    expect(page.locator(".no-exact")).to_have_count(0)
    expect(page.locator("#status")).to_contain_text(f"edaran ditemukan untuk “{typed}”")
    assert failures == []


def test_number_index_that_fails_to_load_is_not_a_no(page: Page, served: str, failures: list[str]) -> None:
    """On a flaky connection the page must not claim a number does not exist; the next search retries."""
    page.route("**/cari/nomor/*.json", lambda route: route.fulfill(status=503, body="sibuk"))
    search(page, served, "870/278/III/2020")
    expect(page.locator("#hasil")).to_contain_text("Daftar nomor edaran tidak dapat dimuat")
    expect(page.locator(".no-exact")).to_have_count(0)
    page.unroute("**/cari/nomor/*.json")
    box = page.get_by_label("Kata kunci atau nomor edaran")
    box.fill("870/278/III/2020 ")
    wait_for_results(page)
    assert result_links(page)[0] == "se-bupati-belu-870-278-iii-2020"
    expect(page.locator("#hasil li.exact")).to_have_count(1)
    assert [f for f in failures if "/cari/nomor/" not in f and "status of 503" not in f] == []


@pytest.mark.parametrize(("typed", "hidden_term"), [("WFH", "WFH"), ("PNS", "PNS"), ("Jateng", "Jateng")])
def test_excerpts_never_show_the_synonym_list(page: Page, served: str, failures: list[str], typed: str,
                                              hidden_term: str) -> None:
    search(page, served, typed)
    assert page.locator("#hasil .excerpt").count() > 0
    for text in page.locator("#hasil .excerpt").all_inner_texts():
        assert "⁂" not in text and "; Pegawai Negeri Sipil;" not in text and "; work from home;" not in text
    assert failures == []


def test_filter_values_in_the_url_are_forgiving_and_never_silent(page: Page, served: str,
                                                                 failures: list[str]) -> None:
    search(page, served, "kerja", tingkat="kabupaten")  # lower case, as someone typed it into the address
    expect(page.get_by_label("Tingkat", exact=True)).to_have_value("Kabupaten")
    expect(page.locator("#status")).to_contain_text("edaran ditemukan")
    search(page, served, "kerja", tahun="1999")
    expect(page.locator("#hasil")).to_contain_text("Saringan yang tidak dikenal diabaikan: tahun=1999.")
    assert failures == []


def test_without_the_synonym_list_those_words_find_nothing(browser: Browser, tmp_path: Path) -> None:
    """The other half of the synonym test: the same site built without content/synonyms.yaml."""
    content = tmp_path / "site" / "content"
    shutil.copytree(REPO / "content", content)
    (content / "synonyms.yaml").unlink()
    with site_in_browser(browser, content, []) as (url, pg):
        for typed in ("Jateng", "Pemkab Kebumen"):
            search(pg, url, typed)
            assert KEBUMEN not in result_links(pg), typed


def test_browser_and_build_split_words_alike(page: Page, served: str, failures: list[str]) -> None:
    """The index's words (registry/search.py, tokens) and a query's (cari.js) must be the same words."""
    cases = ["Pencegahan COVID-19 di Kab. Kebumen", "BKPSDMD/870/353/IV/2020", "kerja_dari_rumah", "Ｎｏｍｏｒ　１９",
             "İSTANBUL", "ǅemal", "Ⅻ tahun", "٣/٢٠٢٠", "café naïve", "e\u0301", "😀 emoji", "中文 kata", "x²", "½",
             "", "  ", "a-b—c–d", "O'Neil", "ASN/PNS", "\u00a0\u2009"]
    cases += random_strings(5, "abcAB 019/_-.éÉıİǅⅫ٣²½\u0301\u00a0中😀", 300, 20)
    got = in_search_page(page, served, "m.tokens(c)", cases)
    assert got == [tokens(c) for c in cases]
    assert failures == []


def test_a_word_found_nowhere_finds_the_words_it_begins(page: Page, served: str, failures: list[str]) -> None:
    """Half a word ('kebu') finds the circulars with a word it begins; a whole word that the index has
    ('belu') finds only its own, not every circular with a longer word it begins ('belum')."""
    search(page, served, "kebu")
    assert KEBUMEN in result_links(page)
    assert page.locator("#hasil mark", has_text="Kebumen").count() > 0
    search(page, served, "belu")
    assert set(result_links(page)) == {"se-bupati-belu-870-278-iii-2020", "se-bupati-belu-870-353-iv-2020"}
    assert failures == []


@pytest.mark.parametrize(("typed", "expected"), [
    ("Nasir", "se-kota-metro-800-298-setda-07-2020"),  # the signatory, named only in the facts list
    ("wali", SE19),  # an addressee, "Para Wali Kota" on the page (its front matter says `walikota`)
])
def test_what_the_facts_list_says_is_searchable(page: Page, served: str, failures: list[str], typed: str,
                                                expected: str) -> None:
    search(page, served, typed)
    assert expected in result_links(page)
    assert failures == []


@pytest.mark.parametrize("typed", ["constructor", "__proto__", "toString", "--", "«»"])
def test_odd_queries_find_nothing_without_failing(page: Page, served: str, failures: list[str], typed: str) -> None:
    """Words that are names of every JavaScript object's properties, or no word at all, are just not found."""
    search(page, served, typed)
    expect(page.locator("#status")).to_have_text(f"Tidak ada edaran yang cocok untuk “{typed}”.")
    assert failures == []


def test_no_words_with_a_filter_lists_what_the_filter_finds(page: Page, served: str, failures: list[str]) -> None:
    search(page, served, "--", tingkat="Nasional")
    expect(page.locator("#status")).to_contain_text("edaran ditemukan dengan saringan ini")
    assert result_links(page) and failures == []


def test_excerpt_text_keeps_words_that_inline_markup_splits() -> None:
    from registry.search import plain_text

    html = '<p>Pen<em>cegah</em>an <a href="/x">COVID</a>-19</p><ul><li>satu</li><li>dua &amp; tiga &lt;b&gt;</li></ul>'
    assert plain_text(html) == "Pencegahan COVID-19 satu dua & tiga <b>"


def test_word_index_made_in_parts_is_the_index_made_whole() -> None:
    # A build's workers each make the part of the word index for a run of circulars; the main process
    # merges them in order. Any split must give the same files as adding every circular to one index.
    checked, problems = build.check_content(REPO / "content", dt.date.fromisoformat(AS_OF))
    assert checked is not None and not problems
    strings, _ = load_strings(REPO / "templates", "id")
    assert strings is not None
    words = words_from(render.labels_from(strings), strings)
    order = index_order(checked)
    docs = documents(checked, order, "/", {cid: "" for cid in order}, words)
    whole = word_index(docs)
    for size in (1, 3, len(docs)):
        merged = WordIndex()
        for start in range(0, len(docs), size):
            part = WordIndex(start)
            for number, doc in enumerate(docs[start:start + size], start):
                path, data = text_file(number, doc)
                part.add(doc, path, hashlib.sha256(data).digest())
            merged.merge(pickle.loads(pickle.dumps(part)))  # as it comes back from a worker
        files = dict(merged.finish())
        assert files == {path: data for path, data in whole.items() if "/teks/" not in path}
    with pytest.raises(ValueError, match="part starts at 3, not 0"):
        WordIndex().merge(WordIndex(3))
