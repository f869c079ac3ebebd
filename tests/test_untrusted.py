"""Untrusted content: a malicious corpus builds into a site with nothing executable in any output, and a
malformed corpus is reported file by file, never as a crash."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import markdown
import pytest
from playwright.sync_api import Browser
from scan_output import scan_html, scan_site

import build
from conftest import (
    AS_OF,
    BUILD,
    CONFIG,
    FIXTURES,
    REPO,
    build_into,
    run_cli,
    serve_folder,
    tree_bytes,
    watch_page,
    write_site,
)
from registry import feeds
from registry.config import load_config
from registry.export import page_url
from registry.problems import visible
from registry.render import short_name

# Markdown bodies that run script when rendered without sanitising (OWASP filter-evasion cheat sheet and
# Markdown's own ways to write a link). Each is one circular's body in the malicious corpus.
BODY_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](javascript&#58;alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klik][ref]\n\n[ref]: javascript:alert(1)",
    "![gambar](javascript:alert(1))",
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="jav&#x09;ascript:alert(1)">klik</a>',
    '<a href=" javascript:alert(1)">klik</a>',
    '<a href="vbscript:msgbox(1)">klik</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>kirim</button></form>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<details open ontoggle=alert(1)>",
    '<img src="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<input onfocus=alert(1) autofocus>",
    "<<script>script>alert(1)<</script>/script>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;"
    "&#39;&#88;&#83;&#83;&#39;&#41;>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="data:text/html,<script>alert(1)</script>">klik</a>',
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
]
# Titles that attack the places a title goes: attributes, the JSON-LD block, feeds, the CSV, the templates.
TITLE_VECTORS = [
    "</script><script>alert(1)</script>",
    "<!--<script>alert(1)//",
    "]]><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "'><img src=x onerror=alert(1)>",
    "{{ 7*7 }} {% if true %}jinja{% endif %}",
    "=HYPERLINK(\"http://contoh.example\",\"klik\")",
    "@SUM(1+1)",
]


def _circular(title: str, body: str, url: str = "https://contoh.example/berita") -> str:
    q = json.dumps  # a JSON string is a YAML double-quoted string: any text goes in as it is
    # A title may hold square brackets only around the whole of it (the validator's rule), so a vector with
    # brackets ("]]>") goes into the source's name, title and the body instead.
    shown = title if not any(ch in title for ch in "[]") else "Edaran dengan kurung siku"
    return (f"---\ntitle: {q(shown)}\nregion: \"53.04\"\nissuer: Bupati Belu\nissued: 2020-03-20\n"
            f"sources:\n  - publisher: {q(title)}\n    title: {q(title)}\n    url: {q(url)}\n---\n{body}\n")


def malicious_site(root: Path) -> Path:
    write_site(root, {
        **{f"se-badan-{i:02d}.md": _circular(f"Edaran {i}", body) for i, body in enumerate(BODY_VECTORS, 1)},
        **{f"se-judul-{i:02d}.md": _circular(title, title, f'https://contoh.example/{i}"><script>alert(1)</script>')
           for i, title in enumerate(TITLE_VECTORS, 1)}})
    return root


@pytest.fixture(scope="module")
def malicious_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = malicious_site(tmp_path_factory.mktemp("xss"))
    out = site / "_site"
    build_into(out, site / "content", cwd=site)
    return out


def test_the_corpus_is_large_enough() -> None:
    assert len(BODY_VECTORS) + len(TITLE_VECTORS) >= 30


def test_nothing_executable_in_any_output(malicious_build: Path) -> None:
    assert len(list((malicious_build / "edaran").glob("se-*"))) == len(BODY_VECTORS) + len(TITLE_VECTORS)
    assert scan_site(malicious_build) == []


# These two attack sanitisers (mutation XSS: harmless as parsed, dangerous once re-serialised) or need a
# browser's scripting-enabled parse of <noscript>; the browser test below is what shows they never run.
SANITISER_ATTACKS = {BODY_VECTORS[-3], BODY_VECTORS[-1]}


@pytest.mark.parametrize("vector", [v for v in BODY_VECTORS if v not in SANITISER_ATTACKS])
def test_the_scanner_catches_each_body_vector_unsanitised(vector: str) -> None:
    """Proof the scanner works: the same bodies converted without the sanitiser are each caught."""
    assert scan_html(f"<!DOCTYPE html><html><body>{markdown.markdown(vector)}</body></html>")


@pytest.mark.parametrize("title", [t for t in TITLE_VECTORS if "<" in t or '"' in t])
def test_the_scanner_catches_each_markup_title_unescaped(title: str) -> None:
    page = (f'<!DOCTYPE html><html><head><meta name="description" content="{title}">'
            f'<script type="application/ld+json">{{"name": "{title}"}}</script></head>'
            f"<body><h1>{title}</h1></body></html>")
    assert scan_html(page)


def test_the_scanner_catches_formulas_and_links_in_data(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text('title\r\n=HYPERLINK("x")\r\n', encoding="utf-8")
    (tmp_path / "a.json").write_text('{"url": "javascript:alert(1)"}', encoding="utf-8")
    (tmp_path / "feed.xml").write_text('<feed><content type="html">&lt;img src=x onerror=alert(1)&gt;</content>'
                                       "</feed>", encoding="utf-8")
    assert len(scan_site(tmp_path)) == 3


def test_titles_render_literally(malicious_build: Path) -> None:
    """Jinja syntax in a title is text, and so are the markup titles: shown, not run."""
    page = (malicious_build / "edaran" / "se-judul-06" / "index.html").read_text(encoding="utf-8")
    assert ">{{ 7*7 }} {% if true %}jinja{% endif %}</h1>" in page
    page = (malicious_build / "edaran" / "se-judul-01" / "index.html").read_text(encoding="utf-8")
    assert ">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    csv_text = (malicious_build / "api" / "circulars.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in csv_text and "'@SUM(1+1)" in csv_text


def test_no_script_runs_in_the_browser(malicious_build: Path, browser: Browser) -> None:
    """Every page of the malicious build, and a search that lists the vectors, in Chromium: no dialog opens,
    no script error, no request leaves the site, and the Content-Security-Policy is never violated."""
    url, httpd = serve_folder(malicious_build)
    failures: list[str] = []
    context = browser.new_context()
    pg = context.new_page()
    watch_page(pg, failures)
    pg.on("dialog", lambda d: (failures.append(f"dialog: {d.message}"), d.dismiss()))
    try:
        for path in sorted(malicious_build.glob("edaran/*/index.html")):
            pg.goto(url + path.parent.relative_to(malicious_build).as_posix() + "/")
            for link in pg.locator("main a").all()[:40]:
                href = link.get_attribute("href") or ""
                assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:")), href
        pg.goto(url + "cari/?q=alert")
        pg.locator("#status").filter(has_text="ditemukan").wait_for(timeout=15000)
        assert pg.locator("#hasil li").count() > 0
        assert pg.locator("#hasil script, #hasil img, #hasil svg").count() == 0  # results are text only
    finally:
        context.close()
        httpd.shutdown()
    assert failures == []


def test_content_security_policy_on_every_page(malicious_build: Path) -> None:
    policy = ('<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src \'self\'; '
              "style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
              "base-uri 'none'; form-action 'self'\">")
    pages = list(malicious_build.rglob("*.html"))
    assert pages and all(policy in p.read_text(encoding="utf-8") for p in pages)


# --- malformed files --------------------------------------------------------------------------------------

MALFORMED = FIXTURES / "malformed"


def test_malformed_corpus_is_reported_file_by_file(tmp_path: Path, update_golden: bool) -> None:
    """37 files, one defect each, each with its exact message; the BOM + CRLF file among them is fine."""
    site = tmp_path / "malformed"
    shutil.copytree(MALFORMED, site)
    run = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    expected = MALFORMED / "expected.txt"
    if update_golden:
        expected.write_text(run.err, encoding="utf-8")
    assert run.code == 1
    assert run.err == expected.read_text(encoding="utf-8")
    assert "Traceback" not in run.err
    defective = [p for p in (site / "content" / "circulars").iterdir() if "sah" not in p.name]
    assert len(defective) >= 30
    reported = {line.split(":", 1)[0] for line in run.err.splitlines() if ": error[" in line}
    # every file, each once at least; names with invisible characters are shown with them spelt out
    assert reported == {f"content/circulars/{visible(p.name)}" for p in defective}
    # A bidi override printed raw would reorder the rest of the line in a terminal or CI log.
    assert not any(unicodedata.category(ch) == "Cf" for ch in run.err)
    annotations = run_cli("check", "--format", "github", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert "<U+202E>0202" in annotations.out and not any(unicodedata.category(ch) == "Cf" for ch in annotations.out)
    build = run_cli("build", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert build.code == 1 and not (site / "_site").exists()


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    site = tmp_path / "bom"
    (site / "content" / "circulars").mkdir(parents=True)
    shutil.copy(MALFORMED / "content" / "circulars" / "m99-bom-crlf-sah.md", site / "content" / "circulars")
    build_into(site / "_site", site / "content", cwd=site)
    page = (site / "_site" / "edaran" / "m99-bom-crlf-sah" / "index.html").read_text(encoding="utf-8")
    assert ">Edaran dengan BOM dan CRLF</h1>" in page


def test_links_out_of_the_content_folder_are_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "rahasia.txt"
    secret.write_text("KATA-SANDI-RAHASIA\n", encoding="utf-8")
    site = tmp_path / "site"
    (site / "content" / "circulars").mkdir(parents=True)
    (site / "content" / "circulars" / "se-tautan.md").symlink_to(secret)
    run = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert run.code == 1
    assert run.err == ("content/circulars/se-tautan.md:1:1: error[not-markdown]: 'se-tautan.md' is not read: it is "
                       "a link to something outside the content folder\n"
                       "  hint: put the file itself in content/circulars/\n1 error in 1 file\n")
    assert "KATA-SANDI" not in run.err


def test_a_five_megabyte_body_builds(tmp_path: Path) -> None:
    site = tmp_path / "besar"
    paragraph = ("Pegawai negeri sipil bekerja dari rumah sesuai ketentuan yang berlaku di instansi masing-masing, "
                 "dengan *tetap* memperhatikan pelayanan publik. ") * 6 + "\n\n"
    body = paragraph * (5 * 1024 * 1024 // len(paragraph)) + "Akhir naskah."
    write_site(site, {"se-panjang.md": _circular("Edaran Panjang", body)})
    build_into(site / "_site", site / "content", cwd=site)
    page = (site / "_site" / "edaran" / "se-panjang" / "index.html").read_text(encoding="utf-8")
    assert len(page) > 5 * 1024 * 1024 and "<p>Akhir naskah.</p>" in page


def test_a_build_killed_midway_leaves_the_last_site_and_the_next_build_cleans_up(fixture_site: Path) -> None:
    """SIGKILL while the new site is being written: the published folder is the previous build, and the
    next build removes the half-written staging folder."""
    out = fixture_site / "_site"
    build_into(out, fixture_site / "content", cwd=fixture_site)
    before = tree_bytes(out)
    # Enough pages that writing them takes a moment to catch.
    template = (fixture_site / "content" / "circulars" / "se-bupati-belu-1-2020.md").read_text(encoding="utf-8")
    for i in range(1500):
        (fixture_site / "content" / "circulars" / f"se-salinan-{i}.md").write_text(
            template.replace('number: "870/1/III/2020"', f'number: "999/{i}/2020"')
                    .replace("implements:", "x-implements:").split("x-implements:")[0]
            + "sources:\n  - publisher: Koran Contoh\n    title: Pemkab Terapkan Kerja dari Rumah\n---\nIsi.\n",
            encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(BUILD), "build", "--config", str(CONFIG), "--as-of", AS_OF],
                            cwd=fixture_site, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    staging = [p for p in fixture_site.iterdir() if p.name.startswith(".") and "staging" in p.name]
    deadline = time.monotonic() + 120
    while not staging and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
        staging = [p for p in fixture_site.iterdir() if p.name.startswith(".") and "staging" in p.name]
    assert staging, f"the build ended before writing: {proc.stderr.read() if proc.stderr else ''}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert tree_bytes(out) == before  # readers still get the whole previous site
    assert any(p.exists() for p in staging)  # a stale, half-written staging folder is left behind
    build_into(out, fixture_site / "content", cwd=fixture_site)
    assert not [p for p in fixture_site.iterdir() if p.name.startswith(".") and "_site" in p.name]
    assert (out / "edaran" / "se-salinan-1499" / "index.html").exists()


# --- the preview ------------------------------------------------------------------------------------------


def test_the_preview_survives_every_malformed_and_every_malicious_file(fixture_site: Path, tmp_path: Path) -> None:
    """Each malformed file dropped into a previewed site: the rebuild fails with that file's problems (never
    an internal error), the last good pages stay, under the overlay; taking it out recovers. Then the whole
    malicious corpus: it builds and is indexed like the published site."""
    import datetime as dt

    import build
    from registry.cache import ParseCache
    from registry.config import load_config
    from registry.serve import BANNER_ID, Preview

    config, _ = load_config(CONFIG, {"base_url": "/"})
    assert config is not None
    content, out = fixture_site / "content", tmp_path / "_serve"
    cache = ParseCache()
    preview = Preview(lambda changed=None: build.prepare_pages(content, config, dt.date.fromisoformat(AS_OF), cache),
                      lambda outcome, stop: build.render_pages(outcome, 1, stop), out)
    assert preview.rebuild()
    page = out / "edaran" / "se-bupati-belu-1-2020" / "index.html"
    good = page.read_bytes()
    malformed = [p for p in (MALFORMED / "content" / "circulars").iterdir() if "sah" not in p.name]
    assert len(malformed) >= 30
    circulars = content / "circulars"
    for source in sorted(malformed):
        added = circulars / source.name
        shutil.copyfile(source, added)
        assert not preview.rebuild(), source.name
        codes = {p.code for p in preview.problems}
        assert "internal" not in codes, preview.problems
        assert any(p.path.endswith(source.name) for p in preview.problems), (source.name, preview.problems)
        shown = page.read_bytes()
        assert f'id="{BANNER_ID}"'.encode() in shown and good.split(b"<body")[1][-4000:] in shown
        added.unlink()
        assert preview.rebuild(), preview.problems
        assert page.read_bytes() == good

    (circulars / "se-tautan.md").symlink_to(tmp_path / "rahasia.txt")  # a link out of the folder (to nothing)
    assert not preview.rebuild()
    assert [p.code for p in preview.problems] == ["not-markdown"]
    (circulars / "se-tautan.md").unlink()

    malicious_site(fixture_site)
    assert preview.rebuild(), preview.problems
    assert scan_site(out) == []


def _entry_by_elementtree(entry: Any, registry: Any, config: Any, cited: str, summary: str, stamp: dt.date,
                          labels: dict[str, str]) -> bytes:
    """A feed entry as ElementTree writes it: what registry/feeds.py's text-built entries must equal."""
    c = entry.circular
    wrapper = ET.Element("feed")
    el = ET.SubElement(wrapper, "entry")
    ET.SubElement(el, "id").text = feeds.urn(f"edaran/{c.id}")
    ET.SubElement(el, "title").text = f"{cited}: {c.title}"
    ET.SubElement(el, "link", rel="alternate", type="text/html", href=page_url(f"edaran/{c.id}/", config))
    ET.SubElement(el, "link", rel="related", type="application/json", href=page_url(f"api/edaran/{c.id}.json", config))
    if c.issued.full:
        ET.SubElement(el, "published").text = f"{c.issued.full.isoformat()}T00:00:00Z"
    ET.SubElement(el, "updated").text = f"{stamp.isoformat()}T00:00:00Z"
    ET.SubElement(el, "category", term=c.region.level, label=labels[c.region.level])
    for topic in c.topics:
        ET.SubElement(el, "category", term=topic, label=registry.topics[topic].name)
    ET.SubElement(el, "summary", type="text").text = summary
    ET.indent(wrapper)
    el.tail = None
    return ET.tostring(el, encoding="utf-8")


@pytest.mark.parametrize("base_url", ["/", 'https://contoh.example/a&b"<c>/'])
def test_feed_entries_are_the_bytes_elementtree_writes(tmp_path: Path, base_url: str) -> None:
    """Feed entries are made as text for speed; for the malicious titles, the real content, awkward base URLs
    and summaries holding every character XML escapes, they are byte for byte what ElementTree writes."""
    site = malicious_site(tmp_path)
    config, problems = load_config(REPO / "site_config.yaml", {"base_url": base_url})
    assert config is not None, problems
    labels = {"nasional": 'Nasional & "pusat"', "provinsi": "Provinsi <p>", "kabupaten": "Kab\tupaten\n",
              "kota": "Kota\r"}
    compared = 0
    for content in (site / "content", REPO / "content"):
        registry, problems = build.check_content(content, dt.date.fromisoformat(AS_OF))
        assert registry is not None, problems
        for i, (cid, entry) in enumerate(registry.entries.items()):
            summary = ["", "a & b < c > d \" e ' f\n\tg\r", entry.circular.title][i % 3]
            stamp = feeds.updated(entry)
            cited = short_name(entry.circular)
            expected = _entry_by_elementtree(entry, registry, config, cited, summary, stamp, labels)
            assert feeds._entry_xml(entry, registry, config, {cid: cited}, summary, stamp, labels) == expected, cid
            compared += 1
    assert compared >= 30
