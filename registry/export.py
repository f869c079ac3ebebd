"""The machine-readable export `api/circulars.json`, built from the registry (not from the HTML)."""

from __future__ import annotations

import json
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
