"""The content model as typed, frozen dataclasses (see ../shared/content-model.md)."""

from __future__ import annotations

import calendar
import datetime as dt
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .bodies import StoredBody

KINDS = ("surat-edaran", "instruksi", "keputusan", "peraturan", "arahan")
# The kinds' own names, as documents and JDIHN call them: data like region names, so not in the interface
# catalogue (templates/strings/); the open data and a circular's cited name use them too.
KIND_LABELS = {
    "surat-edaran": "Surat Edaran",
    "instruksi": "Instruksi",
    "keputusan": "Keputusan",
    "peraturan": "Peraturan",
    "arahan": "Arahan",
}
SOURCE_TYPES = ("official-document", "official-announcement", "media")
ADDRESSEE_CLASSES = ("menteri", "kepala-lembaga", "gubernur", "bupati", "walikota", "opd")
RELATIONS = ("implements", "amends", "extends", "revokes")
# Inverse name of each relation, as stored on the target circular.
INVERSE = {"implements": "implemented_by", "amends": "amended_by",
           "extends": "extended_by", "revokes": "revoked_by"}
LEVELS = ("nasional", "provinsi", "kabupaten", "kota")
STATUSES = ("belum berlaku", "berlaku", "diubah", "diperpanjang", "berakhir", "dicabut")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def full(self) -> dt.date | None:
        """The date, when it is known to the day."""
        if self.month is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)

    @property
    def earliest(self) -> dt.date:
        """First day the date can be."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """Last day the date can be."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """`YYYY-MM-DD`, `YYYY-MM` or `YYYY`, as written in the content."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass(frozen=True)
class Region:
    """A Kemendagri region, or the nation ("ID")."""

    code: str
    name: str
    level: str  # one of LEVELS
    province: str | None  # code of the province a regency/city belongs to; the province's own code for a province


@dataclass(frozen=True)
class Source:
    """Where the facts of a circular come from."""

    publisher: str
    title: str
    type: str = "media"
    url: str | None = None
    published: PartialDate | None = None
    retrieved: PartialDate | None = None
    archived_url: str | None = None


@dataclass(frozen=True)
class Document:
    """The official text of a circular: a URL or a file in the repository."""

    title: str
    url: str | None = None
    file: str | None = None  # relative to the repository root
    sha256: str | None = None
    local_path: str | None = field(default=None, compare=False)  # where `file` is on disk, checked to exist

    @property
    def site_name(self) -> str | None:
        """The file's name on the site, under /dokumen/<circular id>/."""
        return Path(self.file).name if self.file else None


# Fields whose value sources can disagree on; `conflicts:` records the other value (see CONTRIBUTING.md).
CONFLICT_FIELDS = ("title", "number", "signatory", "issued", "effective_from", "effective_until")


@dataclass(frozen=True)
class Conflict:
    """Sources disagree on a field: the file records one value (from `recorded_source`); `source` says `value`."""

    field: str
    value: str | PartialDate
    source: int  # 1-based index into the circular's sources
    recorded_source: int
    note: str | None = None


@dataclass(frozen=True)
class Relation:
    """A link to another circular, with the quote that states it when a source does."""

    target: str
    evidence: str | None = None
    source: int | None = None  # 1-based index into the circular's sources
    line: int = 0
    col: int = 0

    @property
    def stated(self) -> bool:
        """True when a source states the link; False for an editorial link."""
        return self.evidence is not None


@dataclass(frozen=True)
class BodyLink:
    """A root-relative link in a body ("/edaran/x/"), with where it is written in the file."""

    path: str
    line: int
    col: int


def pack_body(body_html: str) -> bytes:
    """A body as Circular keeps it: level 1 (fast) makes 7 KB of HTML about 2.7 KB, and unpacks in ~25 µs."""
    return zlib.compress(body_html.encode("utf-8"), 1)


# The fields whose place a later stage reports a problem at (link.py: a number or issuer another file
# already has). Only their positions are kept: every field's would be a tenth of the registry's memory.
LOCATED_FIELDS = ("number", "issuer")


@dataclass(frozen=True)
class Circular:
    """One circular as written in its file, validated but not yet linked to others."""

    id: str
    path: str  # as shown in problems
    repo_path: str  # relative to the repository root, e.g. "content/circulars/x.md" (for edit links)
    title: str
    region: Region
    issuer: str
    issued: PartialDate
    sources: tuple[Source, ...]
    body_line: int
    # The sanitised HTML body (root-relative internal links, prefixed with the base path at render), zlib-
    # compressed: it is most of a circular's size, and read only twice a build (its page, its search entry).
    # A build keeps it in a file instead (bodies.py).
    body_packed: bytes | StoredBody
    body_links: tuple[BodyLink, ...]
    number: str | None = None
    kind: str = "surat-edaran"
    signatory: str | None = None
    effective_from: PartialDate | None = None
    effective_until: PartialDate | None = None
    implements: tuple[Relation, ...] = ()
    amends: tuple[Relation, ...] = ()
    extends: tuple[Relation, ...] = ()
    revokes: tuple[Relation, ...] = ()
    addressed_to: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    documents: tuple[Document, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    # 1-based (line, col) of the values of LOCATED_FIELDS, for problems found after validation (link.py).
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)

    @property
    def body_html(self) -> str:
        """The sanitised HTML body (see `pack_body`)."""
        packed = self.body_packed
        return zlib.decompress(packed if isinstance(packed, bytes) else packed.read()).decode("utf-8")

    @property
    def title_supplied(self) -> bool:
        """True when no source prints the subject and the registry wrote the title (in [brackets])."""
        return self.title.startswith("[")

    def relations(self, name: str) -> tuple[Relation, ...]:
        """The relation list called `name` (one of RELATIONS)."""
        return getattr(self, name)
