"""Open data (issue 5): every export read back by a real consumer, and checked against the content and pages."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import feedparser
import html5lib
import jsonschema
import pytest
from playwright.sync_api import Page
from test_real_content import CONTENT, front_matter

from conftest import AS_OF, REPO, build_into, run_cli, write_site

IDS = {p.stem for p in CONTENT.glob("*.md")}
BASE = "https://example.github.io/register-edaran/"
ATOM = "{http://www.w3.org/2005/Atom}"
RELATIONS = ("implements", "amends", "extends", "revokes")
INVERSE = {"implements": "implemented_by", "amends": "amended_by", "extends": "extended_by",
           "revokes": "revoked_by"}
CSV_HEADER = ["id", "url", "title", "number", "kind", "region_code", "region_name", "level", "province_code",
              "issuer", "signatory", "issued", "effective_from", "effective_until", "status", "addressed_to",
              "topics", "implements", "amends", "extends", "revokes", "implemented_by", "amended_by",
              "extended_by", "revoked_by", "lag_days", "source_publishers", "source_urls", "document_urls"]


def load(site: Path, name: str) -> Any:
    return json.loads((site / "api" / name).read_text(encoding="utf-8"))


def records(site: Path) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in load(site, "circulars.json")["circulars"]}


def validator(site: Path, definition: str | None = None) -> jsonschema.Draft202012Validator:
    schema = load(site, "schema.json")
    if definition:
        schema = {**schema, "oneOf": [{"$ref": f"#/$defs/{definition}"}]}
    return jsonschema.Draft202012Validator(schema)


def ids_of(items: list[Any]) -> list[str]:
    return [i if isinstance(i, str) else i["id"] for i in items]


# --- JSON --------------------------------------------------------------------------------------------------

def test_every_json_file_validates_against_the_published_schema(subpath_site: Path) -> None:
    schema = load(subpath_site, "schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    files = {"circulars.json": "circulars_file", "regions.json": "regions_file", "jdihn.json": "jdihn_file"}
    files |= {f"edaran/{cid}.json": "circular_file" for cid in IDS}
    assert sorted(p.relative_to(subpath_site / "api").as_posix() for p in (subpath_site / "api").rglob("*.json")
                  if p.name != "schema.json") == sorted(files)
    for name, definition in files.items():
        data = load(subpath_site, name)
        validator(subpath_site).validate(data)  # the whole schema: exactly one file type matches
        validator(subpath_site, definition).validate(data)


@pytest.mark.parametrize("change, where", [
    (lambda r: r.pop("issuer"), "a required field missing"),
    (lambda r: r.update(status="aktif"), "a status the model does not have"),
    (lambda r: r.update(issued="2020-13-01"), "an impossible month"),
    (lambda r: r.update(implements=["Not An Id"]), "an id that is not an id"),
    (lambda r: r.update(colour="red"), "a field the contract does not have"),
    (lambda r: r["sources"][0].update(url="javascript:alert(1)"), "a source URL that is not http(s)"),
])
def test_the_schema_rejects_a_broken_record(subpath_site: Path, change: Any, where: str) -> None:
    """The schema is not vacuous: each of these edits to a real record makes it invalid."""
    data = copy.deepcopy(load(subpath_site, "edaran/se-menpanrb-19-2020.json"))
    change(data["circular"])
    assert not validator(subpath_site).is_valid(data), where


def test_exports_hold_exactly_the_content(subpath_site: Path) -> None:
    recs = records(subpath_site)
    assert list(recs) == sorted(IDS)
    for path in sorted(CONTENT.glob("*.md")):
        fm, rec = front_matter(path), recs[path.stem]
        assert rec["url"] == f"{BASE}edaran/{path.stem}/"
        assert load(subpath_site, f"edaran/{path.stem}.json") == {"as_of": AS_OF, "circular": rec}
        assert rec["topics"] == fm.get("topics", [])
        assert rec["addressed_to"] == [str(a) for a in fm.get("addressed_to", [])]
        links = [(name, i if isinstance(i, str) else i["id"], not isinstance(i, str) and "evidence" in i)
                 for name in RELATIONS for i in fm.get(name, [])]
        assert [(x["relation"], x["id"], x["stated"]) for x in rec["links"]] == links
        assert [(k["field"], str(k["value"])) for k in rec["conflicts"]] == [
            (k["field"], str(k["value"])) for k in fm.get("conflicts", [])]
    assert recs["se-kota-metro-800-298-setda-07-2020"]["conflicts"][0]["field"] == "effective_from"


# The headings of a circular page's relation groups (render.RELATION_LABELS), and what each lists.
HEADINGS = {"Menindaklanjuti": "implements", "Ditindaklanjuti oleh": "implemented_by",
            "Mengubah": "amends", "Diubah oleh": "amended_by", "Memperpanjang": "extends",
            "Diperpanjang oleh": "extended_by", "Mencabut": "revokes", "Dicabut oleh": "revoked_by"}


def page_relations(page: Path) -> dict[str, list[str]]:
    """What a circular page lists under each relation heading; its implementations table as implemented_by."""
    doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    found: dict[str, list[str]] = {}

    def targets(el: Any) -> list[str]:
        return [m[1] for a in el.iter("a")
                if (m := re.fullmatch(r"/register-edaran/edaran/([a-z0-9-]+)/", a.get("href", "")))]

    for section in doc.iter("section"):
        classes = section.get("class", "").split()
        if "relations" in classes:
            heading = None
            for child in section:
                if child.tag == "h3":
                    heading = HEADINGS["".join(child.itertext()).strip()]
                elif child.tag == "ul" and heading:
                    found[heading] = targets(child)
        if "implementations" in classes:
            found["implemented_by"] = [t for table in section.iter("table") for t in targets(table)]
    return found


def test_relations_in_the_exports_are_the_ones_on_the_pages(subpath_site: Path) -> None:
    """Each relation, in each direction, lists on the page exactly what the export and the files say."""
    recs = records(subpath_site)
    inverse: dict[str, dict[str, list[str]]] = {cid: {} for cid in IDS}
    for path in sorted(CONTENT.glob("*.md")):
        for name in RELATIONS:
            for target in ids_of(front_matter(path).get(name, [])):
                inverse[target].setdefault(INVERSE[name], []).append(path.stem)
    for cid, rec in recs.items():
        fm = front_matter(CONTENT / f"{cid}.md")
        on_page = page_relations(subpath_site / "edaran" / cid / "index.html")
        for name in RELATIONS:
            assert rec[name] == ids_of(fm.get(name, [])), (cid, name)
            assert sorted(rec[INVERSE[name]]) == sorted(inverse[cid].get(INVERSE[name], [])), (cid, name)
            for key in (name, INVERSE[name]):
                assert sorted(on_page.get(key, [])) == sorted(rec[key]), (cid, key)
    assert len(page_relations(subpath_site / "edaran" / "se-menpanrb-19-2020" / "index.html")["implemented_by"]) >= 5


def test_regions_json_counts_every_region_page(subpath_site: Path) -> None:
    data = load(subpath_site, "regions.json")["regions"]
    pages = {p.parent.name for p in (subpath_site / "wilayah").glob("*/index.html")}
    assert [r["code"] for r in data] == sorted(pages)
    regions = [str(front_matter(p)["region"]) for p in CONTENT.glob("*.md")]
    for r in data:
        assert r["circulars"] == regions.count(r["code"])
        assert r["within"] == sum(1 for code in regions if code.startswith(r["code"] + ".")), r["code"]
        assert r["url"] == f"{BASE}wilayah/{r['code']}/"
        assert r["feed"] == f"{BASE}wilayah/{r['code']}/feed.xml"
        assert (subpath_site / "wilayah" / r["code"] / "feed.xml").is_file()
    belu = next(r for r in data if r["code"] == "53.04")
    assert (belu["name"], belu["level"], belu["province"]) == ("Kabupaten Belu", "kabupaten", "53")


def test_jdihn_export_maps_each_circular(subpath_site: Path) -> None:
    rows = load(subpath_site, "jdihn.json")
    recs = records(subpath_site)
    assert [r["idData"] for r in rows] == list(recs)
    by_id = {r["idData"]: r for r in rows}
    kebumen = by_id["se-bupati-kebumen-060-1160-2020"]  # issued "2020-03": no full date to give
    assert kebumen["tahun_pengundangan"] == "2020"
    assert kebumen["tanggal_penetapan"] == ""
    assert kebumen["noPeraturan"] == "060/1160 Tahun 2020"
    assert kebumen["jenis"] == "Surat Edaran" and kebumen["singkatanJenis"] == "SE"
    assert kebumen["judul"] == ("Surat Edaran Bupati Kebumen Nomor 060/1160 Tahun 2020 tentang "
                                + recs["se-bupati-kebumen-060-1160-2020"]["title"])
    assert kebumen["teuBadan"] == "Pemerintah Kabupaten Kebumen"
    assert kebumen["tempatTerbit"] == kebumen["sumber"] == ""  # not recorded; circulars have no gazette
    assert kebumen["urlDetailPeraturan"] == f"{BASE}edaran/se-bupati-kebumen-060-1160-2020/"
    menpan = by_id["se-menpanrb-19-2020"]
    assert menpan["tanggal_penetapan"] == "2020-03-16"
    assert menpan["status"] == "Tidak Berlaku"  # berakhir
    assert menpan["bahasa"] == "Indonesia"
    assert menpan["teuBadan"] == "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi"
    assert all(r["tanggal_pengundangan"] == "" for r in rows)  # circulars are not promulgated


# --- CSV ---------------------------------------------------------------------------------------------------

def read_csv(site: Path) -> tuple[bytes, list[dict[str, str]]]:
    raw = (site / "api" / "circulars.csv").read_bytes()
    with io.StringIO(raw.decode("utf-8-sig"), newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == CSV_HEADER
        return raw, list(reader)


def test_csv_round_trips_the_real_content(subpath_site: Path) -> None:
    raw, rows = read_csv(subpath_site)
    assert raw.startswith(b"\xef\xbb\xbf" + b"id,url,title,")  # the BOM, then the header
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")  # RFC 4180 line ends
    recs = records(subpath_site)
    assert [r["id"] for r in rows] == list(recs)
    for row in rows:
        rec = recs[row["id"]]
        for key in ("url", "title", "kind", "issuer", "issued", "status"):
            assert row[key] == rec[key]
        for key in ("number", "signatory", "effective_from", "effective_until"):
            assert row[key] == (rec[key] or "")
        assert (row["region_code"], row["region_name"], row["level"], row["province_code"]) == (
            rec["region"]["code"], rec["region"]["name"], rec["region"]["level"], rec["region"]["province"] or "")
        for key in RELATIONS + tuple(INVERSE.values()) + ("topics", "addressed_to"):
            assert (row[key].split(";") if row[key] else []) == rec[key], key
        assert row["lag_days"] == ";".join("" if rec["lag_days"][t] is None else str(rec["lag_days"][t])
                                           for t in rec["implements"])
        assert row["source_urls"].split(";") == [s["url"] or "" for s in rec["sources"]]
    assert next(r for r in rows if r["id"] == "se-bupati-belu-870-278-iii-2020")["lag_days"] == "4"


HOSTILE = """---
title: "=HYPERLINK(\\"https://evil.example\\";\\"klik\\") – Penyesuaian Kerja Pegawai di Tanah Papua: ‘WFH’ é"
number: "-1/2020"
region: "ID"
issuer: "@Menteri Contoh"
issued: 2020-03-16
sources:
  - publisher: "Kantor Berita; Jaringan Contoh"
    title: Berita
    url: https://media.example/a;b?c=1
---
Isi.
"""


def test_csv_keeps_non_ascii_text_and_neutralises_formulas(tmp_path: Path) -> None:
    """A spreadsheet must show the text as written and never run a cell as a formula."""
    out = tmp_path / "_site"
    build_into(out, write_site(tmp_path, {"se-contoh-1-2020.md": HOSTILE}))
    _, rows = read_csv(out)
    row = rows[0]
    assert row["title"] == "'=HYPERLINK(\"https://evil.example\";\"klik\") – Penyesuaian Kerja Pegawai di Tanah " \
                           "Papua: ‘WFH’ é"
    assert row["number"] == "'-1/2020"
    assert row["issuer"] == "'@Menteri Contoh"
    assert row["source_publishers"] == "Kantor Berita%3B Jaringan Contoh"  # ";" separates list items
    assert row["source_urls"] == "https://media.example/a%3Bb?c=1"
    assert load(out, "circulars.json")["circulars"][0]["issuer"] == "@Menteri Contoh"  # JSON is not a spreadsheet


# --- Atom --------------------------------------------------------------------------------------------------

def feed_files(site: Path) -> list[Path]:
    return sorted(site.rglob("feed.xml"))


def content_updated(cid: str) -> str:
    """The newest date in a circular's file: its issue date and its sources' dates (day 1 for a month)."""
    fm = front_matter(CONTENT / f"{cid}.md")

    def day(value: Any) -> dt.date:
        text = str(value)
        return dt.date.fromisoformat(text + "-01" * (2 - text.count("-")))

    dates = [day(fm["issued"])] + [day(s[k]) for s in fm["sources"] for k in ("published", "retrieved") if k in s]
    return max(dates).isoformat() + "T00:00:00Z"


def test_every_feed_parses_cleanly_and_links_to_real_pages(subpath_site: Path) -> None:
    feeds = feed_files(subpath_site)
    assert len(feeds) >= 5
    for path in feeds:
        raw = path.read_bytes()
        ET.fromstring(raw)  # well-formed XML
        parsed = feedparser.parse(raw)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        rel = path.relative_to(subpath_site).as_posix()
        assert parsed.feed.links[0].rel == "self" and parsed.feed.links[0].href == BASE + rel
        ids = [e.id for e in parsed.entries]
        assert len(ids) == len(set(ids)) and all(i.startswith("urn:uuid:") for i in ids)
        for e in parsed.entries:
            cid = e.link.removeprefix(BASE + "edaran/").removesuffix("/")
            assert (subpath_site / "edaran" / cid / "index.html").is_file()
            assert e.updated == content_updated(cid)
            assert (subpath_site / "api" / "edaran" / f"{cid}.json").is_file()
        updated = [e.updated for e in parsed.entries]
        assert updated == sorted(updated, reverse=True)  # newest first
        if updated:
            assert parsed.feed.updated == updated[0]


def test_sitemap_dates_circular_pages_from_their_content(subpath_site: Path) -> None:
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = ET.parse(subpath_site / "sitemap.xml").getroot().findall(f"{ns}url")
    dated = {u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod") for u in urls if u.find(f"{ns}lastmod") is not None}
    assert dated == {f"{BASE}edaran/{cid}/": content_updated(cid)[:10] for cid in IDS}


def entry_ids(site: Path, rel: str) -> set[str]:
    parsed = feedparser.parse((site / rel).read_bytes())
    return {e.link.removeprefix(BASE + "edaran/").removesuffix("/") for e in parsed.entries}


def test_feeds_hold_the_circulars_of_their_page(subpath_site: Path) -> None:
    recs = records(subpath_site)
    assert entry_ids(subpath_site, "feed.xml") == IDS
    regions = {cid: str(front_matter(CONTENT / f"{cid}.md")["region"]) for cid in IDS}
    for path in (subpath_site / "wilayah").glob("*/feed.xml"):
        code = path.parent.name
        expected = {cid for cid, r in regions.items() if r == code or r.startswith(code + ".")}
        assert entry_ids(subpath_site, f"wilayah/{code}/feed.xml") == expected, code
    directive = recs["se-menpanrb-19-2020"]
    followers = {i for key in INVERSE.values() for i in directive[key]}
    assert len(followers) >= 5
    assert entry_ids(subpath_site, "edaran/se-menpanrb-19-2020/feed.xml") == followers
    # Only circulars whose page lists implementations have a feed of them.
    assert {p.parent.name for p in (subpath_site / "edaran").glob("*/feed.xml")} == {
        cid for cid, r in recs.items() if r["implemented_by"]
        or (r["region"]["level"] == "nasional" and not (r["implements"] or r["amends"] or r["extends"]))}


def test_every_page_links_its_feeds(subpath_site: Path) -> None:
    for page in subpath_site.rglob("*.html"):
        doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        feeds = [link.get("href") for link in doc.iter("link")
                 if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"]
        assert feeds[0] == "/register-edaran/feed.xml", page
        for href in feeds:
            assert (subpath_site / href.removeprefix("/register-edaran/")).is_file(), (page, href)
        rel = page.relative_to(subpath_site).as_posix()
        if m := re.fullmatch(r"(wilayah/[^/]+/)index.html", rel):
            assert f"/register-edaran/{m[1]}feed.xml" in feeds
        if rel == "edaran/se-menpanrb-19-2020/index.html":
            assert feeds[1:] == ["/register-edaran/edaran/se-menpanrb-19-2020/feed.xml",
                                 "/register-edaran/wilayah/ID/feed.xml"]
        if rel == "edaran/se-bupati-belu-870-278-iii-2020/index.html":
            assert feeds[1:] == ["/register-edaran/wilayah/53.04/feed.xml"]


DATED = """---
title: Edaran Contoh
region: "33.05"
issuer: Bupati Kebumen
issued: 2020-03-16
sources:
  - publisher: Media Contoh
    title: Berita Pertama
    published: 2020-03-17
  - publisher: Media Lain
    title: Berita Kedua
    published: 2020-04
---
Isi.
"""


def test_feed_dates_come_from_the_content_not_the_clock(tmp_path: Path) -> None:
    """`updated` is the newest date in the file (here a source published in April 2020), whatever the
    as-of date or the day of the build; so a feed is byte-identical across as-of dates."""
    content = write_site(tmp_path, {"se-contoh-1-2020.md": DATED})
    first, second = tmp_path / "a" / "_site", tmp_path / "b" / "_site"
    first.parent.mkdir()
    second.parent.mkdir()
    build_into(first, content)
    run = run_cli("build", "--content", content, "--output", second, "--config", REPO / "site_config.yaml",
                  "--as-of", "2031-01-01", cwd=tmp_path)
    assert run.code == 0, run.err
    parsed = feedparser.parse((first / "feed.xml").read_bytes())
    assert parsed.feed.updated == parsed.entries[0].updated == "2020-04-01T00:00:00Z"
    assert parsed.entries[0].published == "2020-03-16T00:00:00Z"
    for rel in ("feed.xml", "wilayah/33.05/feed.xml", "wilayah/33/feed.xml"):
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_feed_ids_do_not_depend_on_where_the_site_is(subpath_site: Path, real_site: Path) -> None:
    """Moving the site to another address changes the links, never the ids (readers would see duplicates)."""
    for rel in ("feed.xml", "edaran/se-menpanrb-19-2020/feed.xml", "wilayah/33/feed.xml"):
        here, there = (feedparser.parse((s / rel).read_bytes()) for s in (subpath_site, real_site))
        assert here.feed.id == there.feed.id
        assert [e.id for e in here.entries] == [e.id for e in there.entries]
        assert [e.link for e in here.entries] != [e.link for e in there.entries]


def test_a_feed_carries_the_newest_hundred(tmp_path: Path) -> None:
    files = {}
    for i in range(1, 106):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=i)
        files[f"se-contoh-{i}-2020.md"] = (
            f"---\ntitle: Edaran Contoh {i}\nregion: \"33.05\"\nissuer: Bupati Kebumen\nissued: {day}\n"
            "sources:\n  - publisher: Media\n    title: Berita\n---\nIsi.\n")
    out = tmp_path / "_site"
    build_into(out, write_site(tmp_path, files))
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert parsed.bozo == 0
    assert [e.title.split(":")[1].strip() for e in parsed.entries] == [f"Edaran Contoh {i}"
                                                                       for i in range(105, 5, -1)]
    assert len(load(out, "circulars.json")["circulars"]) == 105  # the exports are never cut


# --- JSON-LD -----------------------------------------------------------------------------------------------

LEGAL_FORCE = {"belum berlaku": "NotInForce", "berlaku": "InForce", "diubah": "InForce",
               "diperpanjang": "InForce", "berakhir": "NotInForce", "dicabut": "NotInForce"}
JSONLD_RELATION = {"implements": "legislationApplies", "amends": "legislationAmends",
                   "extends": "legislationChanges", "revokes": "legislationRepeals"}


def jsonld(page: Path) -> list[Any]:
    doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    return [json.loads(s.text) for s in doc.iter("script") if s.get("type") == "application/ld+json"]


def test_every_circular_page_describes_itself_as_legislation(subpath_site: Path) -> None:
    recs = records(subpath_site)
    kinds = {"surat-edaran": "Surat Edaran", "instruksi": "Instruksi"}
    for cid, rec in recs.items():
        [data] = jsonld(subpath_site / "edaran" / cid / "index.html")
        assert data["@context"] == "https://schema.org" and data["@type"] == "Legislation"
        assert data["@id"] == data["url"] == rec["url"]
        assert data["name"] == rec["title"]
        assert data.get("legislationIdentifier") == rec["number"] or (rec["number"] is None
                                                                     and "legislationIdentifier" not in data)
        assert data["legislationDate"] == rec["issued"]
        assert data["legislationType"] == kinds[rec["kind"]]
        assert data["legislationJurisdiction"]["identifier"] == rec["region"]["code"]
        assert data["legislationPassedBy"]["name"] == rec["issuer"]
        assert data["legislationLegalForce"] == "https://schema.org/" + LEGAL_FORCE[rec["status"]]
        assert data.get("legislationDateOfApplicability") == rec["effective_from"]
        for name, prop in JSONLD_RELATION.items():
            assert [t["@id"] for t in data.get(prop, [])] == [f"{BASE}edaran/{t}/" for t in rec[name]], (cid, name)
        assert [s.get("url") for s in data["subjectOf"]] == [s["url"] for s in rec["sources"]]
    belu = jsonld(subpath_site / "edaran" / "se-bupati-belu-870-278-iii-2020" / "index.html")[0]
    assert belu["legislationJurisdiction"]["containedInPlace"]["name"] == "Provinsi Nusa Tenggara Timur"
    assert [t["@id"] for t in belu["legislationApplies"]] == [f"{BASE}edaran/se-menpanrb-19-2020/"]
    for page in subpath_site.rglob("*.html"):
        if not page.relative_to(subpath_site).as_posix().startswith("edaran/") or page.parent.name == "edaran":
            assert jsonld(page) == [], page


BREAKOUT = """---
title: "Judul </script><script>alert(1)</script> <!-- {{ 7*7 }} & 'kutip' \\"ganda\\""
region: "ID"
issuer: "Menteri </script> ]]>"
issued: 2020-03-16
sources:
  - publisher: Media
    title: Berita
---
Isi.
"""


def test_a_title_cannot_break_out_of_the_json_ld(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build_into(out, write_site(tmp_path, {"se-contoh-1-2020.md": BREAKOUT}))
    page = out / "edaran" / "se-contoh-1-2020" / "index.html"
    [data] = jsonld(page)
    assert data["name"] == "Judul </script><script>alert(1)</script> <!-- {{ 7*7 }} & 'kutip' \"ganda\""
    assert data["legislationPassedBy"]["name"] == "Menteri </script> ]]>"
    doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    assert [s.get("src") for s in doc.iter("script") if s.get("type") != "application/ld+json"] == [
        "/assets/salin.js"]
    assert "</script><script>alert" not in page.read_text()
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert feed.bozo == 0 and feed.entries[0].title.endswith(data["name"])


# --- Citation ----------------------------------------------------------------------------------------------

def test_citation_box_copies_the_citation_and_the_link(served: str, page: Page, failures: list[str]) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(served + "edaran/se-bupati-kebumen-060-1160-2020/")
    citation = page.locator("#kutipan")
    today = page.evaluate("new Intl.DateTimeFormat('id-ID', {day: 'numeric', month: 'long', year: 'numeric'})"
                          ".format(new Date())")
    permalink = f"{BASE}edaran/se-bupati-kebumen-060-1160-2020/"
    expected = ("Bupati Kebumen. Surat Edaran Nomor 060/1160 Tahun 2020 tentang Penyesuaian Sistem Kerja ASN "
                "dalam Upaya Pencegahan Penyebaran Covid-19. Maret 2020. Register Edaran, "
                f"{permalink} (diakses {today}).")
    assert citation.inner_text() == expected
    page.get_by_role("button", name="Salin kutipan").click()
    status = page.locator(".cite-box [role=status]")
    status.filter(has_text="Kutipan disalin.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == expected
    page.get_by_role("button", name="Salin tautan").click()
    status.filter(has_text="Tautan disalin.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == permalink  # no tracking parameters
    assert failures == []


def test_citation_without_javascript_asks_for_the_access_date(browser: Any, served: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(served + "edaran/se-menpanrb-19-2020/")
    assert pg.locator("#kutipan").inner_text().endswith("(diakses [tanggal akses]).")
    assert not pg.get_by_role("button", name="Salin kutipan").is_visible()  # no button that cannot work
    context.close()


def test_citation_link_is_absolute_when_the_site_knows_only_its_path(real_site: Path, browser: Any,
                                                                     failures: list[str]) -> None:
    from conftest import serve_folder, watch_page

    url, httpd = serve_folder(real_site)
    try:
        context = browser.new_context()
        pg = context.new_page()
        watch_page(pg, failures)
        pg.goto(url + "edaran/se-menpanrb-19-2020/")
        assert pg.locator("#alamat-tetap").inner_text() == url + "edaran/se-menpanrb-19-2020/"
        assert f"Register Edaran, {url}edaran/se-menpanrb-19-2020/ (diakses" in pg.locator("#kutipan").inner_text()
        context.close()
    finally:
        httpd.shutdown()
    assert failures == []
