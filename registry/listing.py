"""Lists of circulars cut into pages: which rows each page shows, and where each page is."""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

# A later page of a list lives under the first page's folder: "edaran/halaman/2/", "wilayah/33/halaman/2/".
# The first page keeps the list's own address, so links to a list never change as it grows.
PAGE_FOLDER = "halaman"
_LATER = re.compile(r"^(?P<base>(?:[^/]+/)+)" + PAGE_FOLDER + r"/(?P<number>[1-9][0-9]*)/index\.html$")
# Page numbers on each side of the current one that the pager links to (besides the first and the last):
# one keeps the numbers on one row of a 360 px phone (five numbers and two "…").
AROUND = 1


def page_path(base: str, number: int) -> str:
    """The folder of page `number` of the list whose first page is the folder `base` ("edaran/")."""
    return base if number == 1 else f"{base}{PAGE_FOLDER}/{number}/"


def split_path(path: str) -> tuple[str, int] | None:
    """The first page's folder and the page number of a later page's file ("edaran/halaman/2/index.html"
    -> ("edaran/", 2)), or None when `path` is not a later page (page 1 has no "halaman/1/")."""
    match = _LATER.match(path)
    if match is None or (number := int(match["number"])) < 2:
        return None
    return match["base"], number


def page_count(rows: int, size: int) -> int:
    """How many pages a list of `rows` circulars takes: at least one, which may say the list is empty."""
    return max(1, -(-rows // size))


@dataclass(frozen=True)
class Listing:
    """One page of a list: its number, how many pages the list has, where each page is, and the rows it
    shows, by section (a year, or a region's own circulars and those of its regencies and cities), in order;
    a section the page has no rows of is left out."""

    number: int
    pages: int
    base: str  # the first page's folder, relative to the site root ("edaran/")
    rows: int  # in the whole list
    first: int  # the list's row this page starts with, counted from 1
    parts: tuple[tuple[Hashable, tuple[str, ...]], ...]  # (section, circular ids on this page)

    @property
    def last(self) -> int:
        """The list's row this page ends with, counted from 1."""
        return self.first + sum(len(ids) for _, ids in self.parts) - 1

    def href(self, number: int) -> str:
        """Page `number`'s folder, relative to the site root."""
        return page_path(self.base, number)

    def part(self, section: Hashable) -> tuple[str, ...]:
        """The ids this page shows of `section` (none when it shows none)."""
        return next((ids for key, ids in self.parts if key == section), ())

    def window(self) -> list[int | None]:
        """The page numbers the pager shows: the first, the last, and those near this one; None where
        numbers are skipped."""
        shown = sorted({1, self.pages, *range(max(1, self.number - AROUND), min(self.pages, self.number + AROUND) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(n - 1 if n - (out[-1] or 0) == 2 else None)  # one skipped number is shown, not "…"
            out.append(n)
        return out


def page_of(sections: Sequence[tuple[Hashable, Sequence[str]]], size: int, number: int, base: str) -> Listing:
    """Page `number` of the list made of `sections` (section, ids) in order, `size` rows a page."""
    rows = sum(len(ids) for _, ids in sections)
    start, end = (number - 1) * size, number * size
    parts: list[tuple[Hashable, tuple[str, ...]]] = []
    offset = 0
    for key, ids in sections:
        lo, hi = max(start - offset, 0), min(end - offset, len(ids))
        if lo < hi:
            parts.append((key, tuple(ids[lo:hi])))
        offset += len(ids)
    return Listing(number, page_count(rows, size), base, rows, start + 1, tuple(parts))
