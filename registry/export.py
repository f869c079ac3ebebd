"""Open data built from the registry (never from the HTML): JSON, CSV, the JDIHN feed and JSON-LD."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from . import regions
from .config import SiteConfig
from .link import Entry, Registry
from .model import KIND_LABELS, RELATIONS, Circular, PartialDate, Source
from .parallel import give_way
from .write import Data, Spool

SCHEMA = Path(__file__).resolve().parent.parent / "schema" / "export.schema.json"


def _date(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def page_url(path: str, config: SiteConfig) -> str:
    """A page's URL: absolute when a full base URL is configured, else a root-relative path."""
    return (config.absolute_base or config.base_path) + path


def _source(s: Source) -> dict[str, Any]:
    return {"publisher": s.publisher, "title": s.title, "type": s.type, "url": s.url,
            "published": _date(s.published), "retrieved": _date(s.retrieved), "archived_url": s.archived_url}


def _document(cid: str, d: Any, config: SiteConfig) -> dict[str, Any]:
    return {"title": d.title, "url": d.url,
            "file_url": page_url(f"dokumen/{cid}/{d.site_name}", config) if d.file else None,
            "sha256": d.sha256}


def _links(c: Circular) -> list[dict[str, Any]]:
    """Every outgoing relation with what backs it: a quote from a source, or nothing (an editorial link)."""
    return [{"relation": name, "id": r.target, "stated": r.stated, "evidence": r.evidence, "source": r.source}
            for name in RELATIONS for r in c.relations(name)]


def circular_record(entry: Entry, config: SiteConfig) -> dict[str, Any]:
    """One circular in the export contract (README, 'Open data')."""
    c = entry.circular
    return {
        "id": c.id,
        "url": page_url(f"edaran/{c.id}/", config),
        "title": c.title,
        "number": c.number,
        "kind": c.kind,
        "region": {"code": c.region.code, "name": c.region.name, "level": c.region.level,
                   "province": c.region.province},
        "issuer": c.issuer,
        "signatory": c.signatory,
        "issued": c.issued.iso(),
        "effective_from": _date(c.effective_from),
        "effective_until": _date(c.effective_until),
        "status": entry.status,
        "addressed_to": list(c.addressed_to),
        "topics": list(c.topics),
        "implements": [r.target for r in c.implements],
        "amends": [r.target for r in c.amends],
        "extends": [r.target for r in c.extends],
        "revokes": [r.target for r in c.revokes],
        "implemented_by": list(entry.implemented_by),
        "amended_by": list(entry.amended_by),
        "extended_by": list(entry.extended_by),
        "revoked_by": list(entry.revoked_by),
        "lag_days": dict(entry.lag_days),
        "links": _links(c),
        "sources": [_source(s) for s in c.sources],
        "documents": [_document(c.id, d, config) for d in c.documents],
        "conflicts": [{"field": k.field, "value": k.value if isinstance(k.value, str) else k.value.iso(),
                       "source": k.source, "recorded_source": k.recorded_source, "note": k.note}
                      for k in c.conflicts],
    }


def _json(data: Any) -> bytes:
    # Compact: json's C encoder only runs without `indent` (the Python one is ~10x slower at 10,000
    # circulars). Non-ASCII is kept readable.
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class _JsonArray:
    """A JSON array with one item per line (so a diff between two builds shows which records changed),
    after `opening` and before `closing`, kept in a write.Spool: the text of a large one (80 to 160 MB at
    100,000 circulars) is never held in memory."""

    def __init__(self, opening: bytes = b"", closing: bytes = b"") -> None:
        self.pieces, self.closing, self.empty = Spool(), closing, True
        self.pieces.append(opening + b"[\n")

    def add(self, item: Any) -> None:
        line = json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.pieces.append(line if self.empty else b",\n" + line)
        self.empty = False

    def extend(self, items: Iterable[Any]) -> _JsonArray:
        for item in items:
            self.add(item)
        return self

    def done(self) -> Spool:
        self.pieces.append(b"\n]" + self.closing)
        return self.pieces


def _json_list(head: dict[str, Any], key: str) -> _JsonArray:
    """`head` plus a list under `key`, its items added one a line."""
    opening = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    return _JsonArray(f'{opening}{"," if head else ""}"{key}":'.encode(), b"}\n")


def circular_files(registry: Registry, config: SiteConfig) -> Iterator[tuple[str, Data]]:
    """Every circular's own file (`api/edaran/<id>.json`) as it is made, then the two files of all of them,
    `api/circulars.json` (sorted by id) and `api/circulars.csv`. One pass: each record is kept only as
    its JSON line and its CSV row, not as the record (at 100,000 circulars the records would be about
    300 MB, and the JSON text of them all made from them as much again)."""
    as_of = registry.as_of.isoformat()
    everything = _json_list({"as_of": as_of}, "circulars")
    # UTF-8 with a byte-order mark, so a spreadsheet opened by double-click reads the text as UTF-8. Each
    # row is encoded as it is written: text with one character beyond Latin-1 (the mark is one) takes two
    # or four bytes a character until it is encoded.
    rows = _EncodedLines(Spool())
    rows.parts.append("\ufeff".encode())
    writer = csv.writer(rows, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for cid, entry in registry.entries.items():
        rec = circular_record(entry, config)
        everything.add(rec)
        writer.writerow(_csv_row(rec))
        yield f"api/edaran/{cid}.json", _json({"as_of": as_of, "circular": rec})
    yield "api/circulars.json", everything.done()
    del everything
    yield "api/circulars.csv", rows.parts


class _EncodedLines:
    """What a csv.writer writes, kept as UTF-8."""

    def __init__(self, parts: Spool) -> None:
        self.parts = parts

    def write(self, text: str) -> None:
        self.parts.append(text.encode("utf-8"))


def regions_json(registry: Registry, config: SiteConfig, feeds: set[str]) -> bytes:
    """Every region that has a page (its own circulars, or for a province its regencies' and cities')."""
    regions = []
    for code, group in sorted(registry.regions.items()):
        r = group.region
        regions.append({"code": code, "name": r.name, "level": r.level, "province": r.province,
                        "url": page_url(f"wilayah/{code}/", config),
                        "feed": page_url(f"wilayah/{code}/feed.xml", config)
                        if f"wilayah/{code}/feed.xml" in feeds else None,
                        "circulars": len(group.own), "within": len(group.within)})
    return b"".join(_json_list({"as_of": registry.as_of.isoformat()}, "regions").extend(regions).done())


def schema_json() -> bytes:
    """The JSON Schema of every file under `api/` (kept in `schema/export.schema.json`)."""
    return SCHEMA.read_bytes()


# --- CSV -------------------------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "url", "title", "number", "kind", "region_code", "region_name", "level", "province_code",
               "issuer", "signatory", "issued", "effective_from", "effective_until", "status", "addressed_to",
               "topics", "implements", "amends", "extends", "revokes", "implemented_by", "amended_by",
               "extended_by", "revoked_by", "lag_days", "source_publishers", "source_urls", "document_urls")
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str | None) -> str:
    text = value or ""
    return "'" + text if text.startswith(FORMULA_START) else text


def _items(values: list[Any]) -> str:
    # Lists are joined with ";". Ids, codes and slugs cannot hold one; in names and URLs it is written %3B.
    return ";".join("" if v is None else str(v).replace(";", "%3B") for v in values)


def _csv_row(rec: dict[str, Any]) -> list[str]:
    """One circular's line of `api/circulars.csv`: RFC 4180 (CRLF, quotes where needed)."""
    row = {**rec, "region_code": rec["region"]["code"], "region_name": rec["region"]["name"],
           "level": rec["region"]["level"], "province_code": rec["region"]["province"],
           "lag_days": [rec["lag_days"][t] for t in rec["implements"]],
           "source_publishers": [s["publisher"] for s in rec["sources"]],
           "source_urls": [s["url"] for s in rec["sources"]],
           "document_urls": [d["file_url"] or d["url"] for d in rec["documents"]]}
    return [_cell(_items(row[k]) if isinstance(row[k], list) else row[k]) for k in CSV_COLUMNS]


# --- JDIHN -----------------------------------------------------------------------------------------------

# The status words JDIH members send; our finer statuses map onto them (README, "JDIHN export").
JDIHN_STATUS = {"belum berlaku": "Belum Berlaku", "berlaku": "Berlaku", "diubah": "Berlaku",
                "diperpanjang": "Berlaku", "berakhir": "Tidak Berlaku", "dicabut": "Tidak Berlaku"}
# Only the abbreviation every JDIH uses; the other kinds have several regional spellings, so none is guessed.
JDIHN_ABBREVIATIONS = {"surat-edaran": "SE"}


def jdihn_record(entry: Entry, registry: Registry, config: SiteConfig, cited_as: str) -> dict[str, str]:
    """One circular with the field names JDIHN members send to the national hub; unknown fields are ''."""
    c = entry.circular
    document = next(iter(c.documents), None)
    download = ""
    if document is not None:
        download = page_url(f"dokumen/{c.id}/{document.site_name}", config) if document.file else document.url or ""
    return {
        "idData": c.id,
        "tahun_pengundangan": str(c.issued.year),
        "tanggal_pengundangan": "",
        "tanggal_penetapan": c.issued.full.isoformat() if c.issued.full else "",
        "jenis": KIND_LABELS[c.kind],
        "noPeraturan": c.number or "",
        "judul": f"{cited_as} tentang {c.title}",
        "noPanggil": "",
        "singkatanJenis": JDIHN_ABBREVIATIONS.get(c.kind, ""),
        "cetakan": "",
        "tempatTerbit": "",  # the town where it was signed ("Ditetapkan di ..."); not recorded
        "penerbit": c.issuer,
        "deskripsiFisik": "",
        "sumber": "",  # for members, the gazette it was promulgated in; circulars have none
        "subjek": " - ".join(registry.topics[t].name for t in c.topics),
        "isbn": "",
        "status": JDIHN_STATUS[entry.status],
        "bahasa": "Indonesia",
        "bidangHukum": "",
        # The corporate heading members use: the government for a region, the office for a national body.
        "teuBadan": c.issuer if c.region.code == "ID" else f"Pemerintah {c.region.name}",
        "nomorIndukBuku": "",
        "fileDownload": (document.site_name or "") if document and document.file else "",
        "urlDownload": download,
        "abstrak": "",
        "urlabstrak": "",
        "urlDetailPeraturan": page_url(f"edaran/{c.id}/", config),
    }


def jdihn_json(registry: Registry, config: SiteConfig, cited_as: dict[str, str],
               stop: Callable[[], bool] | None = None) -> Data:
    """`api/jdihn.json`: a JSON array, as JDIH members publish it for the hub to harvest (in pieces).
    `stop` is asked every 200 circulars (see render.open_data)."""

    def records() -> Iterator[dict[str, Any]]:
        for i, (cid, e) in enumerate(registry.entries.items()):
            if i % 200 == 0:
                give_way(stop)
            yield jdihn_record(e, registry, config, cited_as[cid])

    return _JsonArray(closing=b"\n").extend(records()).done()


# --- JSON-LD ---------------------------------------------------------------------------------------------

# schema.org's LegalForceStatus for each status (README, "Structured data").
LEGAL_FORCE = {"belum berlaku": "NotInForce", "berlaku": "InForce", "diubah": "InForce",
               "diperpanjang": "InForce", "berakhir": "NotInForce", "dicabut": "NotInForce"}
# implements is an informative link (legislationApplies), not the legally binding legislationTransposes;
# an extension changes the period, not the text, so it is the general legislationChanges.
JSONLD_RELATIONS = {"implements": "legislationApplies", "amends": "legislationAmends",
                    "extends": "legislationChanges", "revokes": "legislationRepeals"}


def _place(code: str) -> dict[str, Any]:
    region = regions.lookup(code)
    assert region is not None  # every code was checked in phase one
    return {"@type": "AdministrativeArea" if code != "ID" else "Country", "name": region.name, "identifier": code}


def legislation(entry: Entry, registry: Registry, config: SiteConfig, cited_as: dict[str, str]) -> dict[str, Any]:
    """schema.org `Legislation` for a circular page, embedded as JSON-LD (with `|tojson` in the template)."""
    c = entry.circular
    jurisdiction = _place(c.region.code)
    if c.region.level in ("kabupaten", "kota") and c.region.province:
        jurisdiction["containedInPlace"] = _place(c.region.province)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": page_url(f"edaran/{c.id}/", config),
        "url": page_url(f"edaran/{c.id}/", config),
        "name": c.title,
        "alternateName": cited_as[c.id],
        "inLanguage": "id",
        "legislationType": KIND_LABELS[c.kind],
        "legislationDate": c.issued.iso(),
        "legislationJurisdiction": jurisdiction,
        "legislationPassedBy": {"@type": "GovernmentOrganization" if c.region.code == "ID" else "Organization",
                                "name": c.issuer},
        "legislationLegalForce": f"https://schema.org/{LEGAL_FORCE[entry.status]}",
    }
    if c.number:
        data["legislationIdentifier"] = c.number
    if c.effective_from:
        data["legislationDateOfApplicability"] = c.effective_from.iso()
    if c.topics:
        data["keywords"] = [registry.topics[t].name for t in c.topics]
    for name in RELATIONS:
        targets = [{"@type": "Legislation", "@id": page_url(f"edaran/{r.target}/", config),
                    "name": cited_as[r.target]} for r in c.relations(name)]
        if targets:
            data[JSONLD_RELATIONS[name]] = targets
    # The sources are reports about the circular (subjectOf), not works the circular cites.
    data["subjectOf"] = [{"@type": "NewsArticle" if s.type == "media" else "CreativeWork", "name": s.title,
                          "publisher": {"@type": "Organization", "name": s.publisher},
                          **({"url": s.url} if s.url else {}),
                          **({"datePublished": s.published.iso()} if s.published else {})} for s in c.sources]
    return data
