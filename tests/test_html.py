"""Every built page parses as HTML without errors, and no page links to a missing file."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from html5lib.constants import namespaces

from conftest import build_into

HTML_NS = namespaces["html"]


def pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def parse_strict(path: Path) -> object:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_bytes())


def links(document: object) -> list[str]:
    found = []
    for el in document.iter():  # type: ignore[attr-defined]
        for attr in ("href", "src"):
            if attr in el.attrib:
                found.append(el.attrib[attr])
    return found


def broken_links(root: Path, base_path: str) -> list[str]:
    """Internal links (relative or under base_path) whose target file does not exist."""
    broken = []
    for page in pages(root):
        page_url = base_path + page.relative_to(root).as_posix()
        for link in links(parse_strict(page)):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external: sources and documents, checked by hand, not here
            path = parts.path
            if not path:
                continue  # a fragment on the same page
            if not path.startswith("/"):
                path = page_url.rsplit("/", 1)[0] + "/" + path
            if not path.startswith(base_path):
                broken.append(f"{page_url} -> {link} (outside {base_path})")
                continue
            target = root / unquote(path[len(base_path):])
            if path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page_url} -> {link}")
    return broken


@pytest.mark.parametrize("site_name", ["real_site", "subpath_site"])
def test_every_page_parses_without_errors(site_name: str, request: pytest.FixtureRequest) -> None:
    root: Path = request.getfixturevalue(site_name)
    assert len(pages(root)) > 30
    for page in pages(root):
        try:
            parse_strict(page)
        except html5lib.html5parser.ParseError as exc:
            pytest.fail(f"{page.relative_to(root)}: {exc}")


def test_no_page_links_to_a_missing_file(real_site: Path) -> None:
    assert broken_links(real_site, "/") == []


def test_sub_path_links_resolve(subpath_site: Path) -> None:
    """Served from /register-edaran/, every internal link, including those in Markdown bodies, stays inside it."""
    assert broken_links(subpath_site, "/register-edaran/") == []
    home = (subpath_site / "index.html").read_text()
    assert 'href="/register-edaran/assets/style.css"' in home
    assert 'href="/register-edaran/edaran/se-menpanrb-19-2020/"' in home
    assert 'href="/edaran/' not in home


def test_body_links_get_the_base_path(fixture_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build_into(out, fixture_site / "content", "--base-url", "/repo/")
    page = (out / "edaran" / "se-menteri-contoh-1-2020" / "index.html").read_text()
    assert 'href="/repo/edaran/se-menteri-contoh-2-2020/"' in page
    raw = (out / "edaran" / "se-menteri-contoh-2-2020" / "index.html").read_text()
    assert '<a href="/repo/edaran/se-menteri-contoh-1-2020/" rel="noopener noreferrer">edaran asal</a>' in raw
    assert broken_links(out, "/repo/") == []


def test_link_checker_finds_a_broken_link(fixture_site: Path, tmp_path: Path) -> None:
    """The walker itself must be able to fail: a body link to a page that does not exist."""
    out = tmp_path / "_site"
    build_into(out, fixture_site / "content")
    (out / "edaran" / "se-menteri-contoh-2-2020" / "index.html").unlink()
    assert any("se-menteri-contoh-2-2020" in b for b in broken_links(out, "/"))


def test_untrusted_markup_in_bodies_is_removed(fixture_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build_into(out, fixture_site / "content")
    for page in pages(out):
        doc = parse_strict(page)
        scripts = [el for el in doc.iter() if el.tag == "script"]  # type: ignore[attr-defined]
        data = [el for el in scripts if el.get("type") == "application/ld+json"]
        code = [el for el in scripts if el not in data]
        # The only scripts that run are the site's own files: no inline script, nothing from content.
        # A circular page also carries JSON-LD, which browsers never execute; it must parse as JSON.
        expected = {out / "cari" / "index.html": ["/assets/cari.js"]}.get(page, [])
        if page.parent.parent == out / "edaran":
            expected = ["/assets/salin.js"]
            assert len(data) == 1 and json.loads(data[0].text)["@type"] == "Legislation", page
        else:
            assert data == [], page
        assert [el.get("src") for el in code] == expected, page
        assert all(not (el.text or "").strip() for el in code), page
    body = (out / "edaran" / "se-bupati-belu-1-2020" / "index.html").read_text()
    assert "alert" not in body
