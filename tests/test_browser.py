"""A reader's journey in a real browser (Debian's Chromium via Playwright), on a phone-sized screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from conftest import REPO

ARTIFACTS = REPO / "test-artifacts"


def no_sideways_scroll(pg: Page) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_reader_finds_who_implemented_the_directive(page: Page, served: str, failures: list[str]) -> None:
    pg = page
    ARTIFACTS.mkdir(exist_ok=True)
    pg.goto(served)
    assert pg.title() == "Beranda · Register Edaran"
    assert no_sideways_scroll(pg)
    pg.screenshot(path=str(ARTIFACTS / "home-phone.png"), full_page=True)

    pg.get_by_role("link", name="Surat Edaran Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi "
                   "Nomor 19 Tahun 2020").first.click()
    pg.wait_for_url("**/register-edaran/edaran/se-menpanrb-19-2020/")
    table = pg.get_by_role("table")
    assert table.locator("tbody tr:not(.group)").count() == 5
    assert table.locator("tbody tr.group").count() == 5  # central government and four provinces
    assert table.locator("tbody tr", has_text="Kota Metro").locator("td").nth(1).inner_text() == "1 hari"
    assert pg.get_by_role("heading", name="Pelaksanaan").is_visible()
    assert no_sideways_scroll(pg)
    pg.screenshot(path=str(ARTIFACTS / "directive-phone.png"), full_page=True)

    table.get_by_role("link", name="Kota Metro").click()
    pg.wait_for_url("**/edaran/se-kota-metro-800-298-setda-07-2020/")
    assert pg.get_by_role("heading", level=1).inner_text().startswith("Pengaturan")
    pg.get_by_role("link", name="Kota Metro").first.click()
    pg.wait_for_url("**/wilayah/18.72/")
    pg.get_by_role("link", name="Provinsi Lampung").first.click()
    pg.wait_for_url("**/wilayah/18/")
    assert "800/298/SETDA/07/2020" in pg.inner_text("main")
    assert failures == []


@pytest.mark.parametrize("path", ["", "edaran/", "wilayah/", "penerbit/", "topik/", "tahun/2020/",
                                  "wilayah/53/", "edaran/se-bupati-belu-870-278-iii-2020/"])
def test_every_page_type_fits_a_phone(page: Page, served: str, path: str, failures: list[str]) -> None:
    pg = page
    pg.goto(served + path)
    assert no_sideways_scroll(pg), path
    assert failures == []


def test_missing_page_shows_the_404_page_links(page: Page, served: str, failures: list[str]) -> None:
    pg = page
    pg.goto(served + "404.html")
    pg.get_by_role("link", name="semua edaran").click()
    pg.wait_for_url("**/register-edaran/edaran/")
    assert pg.get_by_role("heading", level=1).inner_text() == "Semua edaran"
    assert failures == []
