"""The machine-readable export `api/circulars.json`, built from the registry (not from the HTML)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from .config import SiteConfig
from .link import Entry, Registry
from .model import PartialDate, Source


def _date(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def _source(s: Source) -> dict[str, Any]:
    return {"publisher": s.publisher, "title": s.title, "type": s.type, "url": s.url,
            "published": _date(s.published), "retrieved": _date(s.retrieved), "archived_url": s.archived_url}


def circular_record(entry: Entry, config: SiteConfig) -> dict[str, Any]:
    """One circular in the export contract (README, 'Data export')."""
    c = entry.circular
    base = config.absolute_base or config.base_path
    return {
        "id": c.id,
        "url": f"{base}edaran/{c.id}/",
        "title": c.title,
        "number": c.number,
        "kind": c.kind,
        "region": {"code": c.region.code, "name": c.region.name, "level": c.region.level},
        "issuer": c.issuer,
        "signatory": c.signatory,
        "issued": c.issued.iso(),
        "effective_from": _date(c.effective_from),
        "effective_until": _date(c.effective_until),
        "status": entry.status,
        "implements": [r.target for r in c.implements],
        "amends": [r.target for r in c.amends],
        "extends": [r.target for r in c.extends],
        "revokes": [r.target for r in c.revokes],
        "implemented_by": list(entry.implemented_by),
        "amended_by": list(entry.amended_by),
        "extended_by": list(entry.extended_by),
        "revoked_by": list(entry.revoked_by),
        "lag_days": dict(entry.lag_days),
        "sources": [_source(s) for s in c.sources],
    }


def circulars_json(registry: Registry, config: SiteConfig) -> bytes:
    """All circulars, sorted by id, as UTF-8 JSON (non-ASCII kept readable)."""
    data = {"as_of": registry.as_of.isoformat(),
            "circulars": [circular_record(e, config) for e in registry.entries.values()]}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(pages: list[str], config: SiteConfig) -> bytes | None:
    """`sitemap.xml` for every HTML page (not 404.html), or None when no full base URL is configured:
    the sitemap protocol needs absolute URLs, and a path alone does not say on which host the site is."""
    base = config.absolute_base
    if base is None:
        return None
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    for page in sorted(pages):
        if page.endswith(".html") and page != "404.html":
            ET.SubElement(ET.SubElement(root, "url"), "loc").text = base + page.removesuffix("index.html")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(config: SiteConfig) -> bytes:
    """`robots.txt`: everything may be crawled; it names the sitemap when there is one."""
    lines = ["User-agent: *", "Allow: /"]
    if config.absolute_base:
        lines.append(f"Sitemap: {config.absolute_base}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")
