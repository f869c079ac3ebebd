"""Implementation tracking: who a national directive is owed by, who is recorded, how fast, and version chains."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from . import regions
from .link import Entry, Registry
from .model import Region

# addressed_to class -> the level of government it owes an implementation from.
OWED_LEVEL = {"gubernur": "provinsi", "bupati": "kabupaten", "walikota": "kota"}
CENTRAL_CLASSES = ("menteri", "kepala-lembaga")


@cache
def governments() -> tuple[Region, ...]:
    """Every province, regency and city in the official Kemendagri list (38 + 514), in code order."""
    # Looked up code by code (two digits each: provinces 11-96, their regencies 01-79): the package's
    # list of children would load its 83,000 villages too, 12 MB that every build worker would inherit.
    out = []
    for p in range(10, 100):
        if (province := regions.lookup(f"{p}")) is not None:
            out.append(province)
            out += [r for i in range(1, 100) if (r := regions.lookup(f"{p}.{i:02d}")) is not None]
    return tuple(out)


@dataclass(frozen=True)
class Row:
    """One implementing circular in a directive's table."""

    entry: Entry
    lag: int | None
    stated: bool
    evidence: str | None
    source: str | None  # publisher of the source that states the link


@dataclass(frozen=True)
class Group:
    """A table group: the central government, or one province with its regencies and cities."""

    label: str
    code: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Level:
    """How many governments of one level the directive is owed by, and how many are recorded."""

    level: str
    owed: int
    recorded: int


@dataclass(frozen=True)
class LagStats:
    """Days from the directive to its implementations, over those with both dates known to the day."""

    fastest: tuple[int, tuple[Entry, ...]]
    median: float
    slowest: tuple[int, tuple[Entry, ...]]
    known: int
    unknown: int


@dataclass(frozen=True)
class Coverage:
    """Everything the directive page says about its implementation."""

    groups: tuple[Group, ...]
    levels: tuple[Level, ...]  # only levels the directive is addressed to
    central: int  # national bodies with a recorded implementing circular
    central_owed: bool  # addressed to ministers or heads of agencies (no official count to compare with)
    missing: tuple[tuple[Region, tuple[Region, ...]], ...]  # province -> owed governments with none recorded
    missing_count: int
    lags: LagStats | None
    regions: int  # regional governments with a recorded implementing circular
    by_level: dict[str, int]  # ... of them by level


def _row(entry: Entry, directive: Entry) -> Row:
    rel = next(r for r in entry.circular.implements if r.target == directive.id)
    source = entry.circular.sources[rel.source - 1].publisher if rel.source else None
    return Row(entry, entry.lag_days[directive.id], rel.stated, rel.evidence, source)


def lag_stats(rows: tuple[Row, ...]) -> LagStats | None:
    """Fastest, median and slowest lag, with the circulars at each end (ties are all named)."""
    known = [r for r in rows if r.lag is not None]
    if not known:
        return None
    lags = [r.lag for r in known if r.lag is not None]
    low, high = min(lags), max(lags)
    return LagStats(fastest=(low, tuple(r.entry for r in known if r.lag == low)),
                    median=statistics.median(lags),
                    slowest=(high, tuple(r.entry for r in known if r.lag == high)),
                    known=len(known), unknown=len(rows) - len(known))


def owed_governments(directive: Entry) -> tuple[Region, ...]:
    """The regional governments a directive is addressed to, by class ('bupati') or by region code.

    A class means every such government under the issuer: all of Indonesia's for a national circular,
    the province's own regencies and cities for a governor's; a regency or city has none below it.
    """
    region = directive.circular.region
    classes = set(directive.circular.addressed_to)
    levels = {OWED_LEVEL[c] for c in classes if c in OWED_LEVEL}
    codes = {c for c in classes if c not in OWED_LEVEL and c not in CENTRAL_CLASSES and c != "opd"}

    def under_issuer(g: Region) -> bool:
        if region.level == "nasional":
            return True
        return region.level == "provinsi" and g.province == region.code and g.level != "provinsi"

    return tuple(g for g in governments() if (g.level in levels and under_issuer(g)) or g.code in codes)


def coverage(directive: Entry, registry: Registry, owed: tuple[Region, ...],
             central_label: str) -> Coverage:
    """The directive's implementations grouped by province, its addressees (`owed`, see `owed`) with none
    recorded, and lag statistics. `central_label` names the group of national bodies."""
    rows = tuple(_row(registry.entries[i], directive) for i in directive.implemented_by)
    central = tuple(r for r in rows if r.entry.circular.region.level == "nasional")
    by_province: dict[str, list[Row]] = {}
    for r in rows:
        region = r.entry.circular.region
        if region.level != "nasional":
            assert region.province is not None
            by_province.setdefault(region.province, []).append(r)
    groups = [Group(central_label, "ID", central)] if central else []
    for code in sorted(by_province):
        province = regions.lookup(code)
        assert province is not None
        # The province's own circulars first, then its regencies' and cities', each in date order.
        ordered = sorted(by_province[code], key=lambda r: r.entry.circular.region.level != "provinsi")
        groups.append(Group(province.name, code, tuple(ordered)))

    recorded = {r.entry.circular.region.code for r in rows}
    regional = {r.entry.circular.region.code: r.entry.circular.region.level for r in rows
                if r.entry.circular.region.level != "nasional"}
    levels = tuple(Level(level, sum(1 for g in owed if g.level == level),
                         sum(1 for g in owed if g.level == level and g.code in recorded))
                   for level in ("provinsi", "kabupaten", "kota") if any(g.level == level for g in owed))
    missing: dict[str, list[Region]] = {}
    for g in owed:
        if g.code not in recorded:
            missing.setdefault(g.province or g.code, []).append(g)
    missing_groups = tuple((regions.lookup(code), tuple(found)) for code, found in missing.items())
    return Coverage(
        groups=tuple(groups),
        levels=levels,
        central=len({r.entry.circular.issuer for r in central}),
        central_owed=any(c in CENTRAL_CLASSES for c in directive.circular.addressed_to),
        missing=tuple((p, m) for p, m in missing_groups if p is not None),
        missing_count=sum(len(m) for m in missing.values()),
        lags=lag_stats(rows),
        regions=len(regional),
        by_level={level: sum(1 for lv in regional.values() if lv == level)
                  for level in ("provinsi", "kabupaten", "kota")},
    )


def chain(entry: Entry, registry: Registry, position: dict[str, int] | None = None) -> tuple[Entry, ...]:
    """Every circular in the same line of versions (amends, extends, revokes), in date order; () when alone.

    `position`: each id's place in `registry.chronological`, when the caller asks for many chains (building
    it costs as much as the whole walk, for each of thousands of circulars).
    """
    seen = {entry.id}
    todo = [entry.id]
    while todo:
        current = registry.entries[todo.pop()]
        c = current.circular
        linked = [r.target for r in (*c.amends, *c.extends, *c.revokes)]
        linked += [*current.amended_by, *current.extended_by, *current.revoked_by]
        for other in linked:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    if len(seen) == 1:
        return ()
    order = position if position is not None else chronological_positions(registry)
    return tuple(registry.entries[cid] for cid in sorted(seen, key=order.__getitem__))


def chronological_positions(registry: Registry) -> dict[str, int]:
    """Each circular's place in date order."""
    return {cid: i for i, cid in enumerate(registry.chronological)}


def recorded(registry: Registry, ids: Iterable[str]) -> dict[str, frozenset[str]]:
    """For each of the circulars `ids`, the codes of the regions with a circular recorded as implementing it."""
    return {cid: frozenset(registry.entries[i].circular.region.code for i in registry.entries[cid].implemented_by)
            for cid in ids}


def directives_owed(directives: Iterable[str], owed_by: Callable[[str], Iterable[Region] | None],
                    between: Callable[[], None] | None = None) -> dict[str, tuple[str, ...]]:
    """For each region code, the `directives` (in their order) addressed to its government (`owed_by`: who
    one directive is owed by). Every region page asks it: kept by region, it is one reference per pair (a
    set of codes per directive was 110 MB at 100,000 circulars). `between` is called every 100 directives
    (the preview's way to abandon the work)."""
    by_code: dict[str, dict[str, None]] = {}
    for i, cid in enumerate(directives):
        if between is not None and i and i % 100 == 0:
            between()
        for g in owed_by(cid) or ():
            by_code.setdefault(g.code, {})[cid] = None
    return {code: tuple(cids) for code, cids in by_code.items()}


def region_directives(code: str, registry: Registry, owed: dict[str, tuple[str, ...]],
                      recorded: dict[str, frozenset[str]]) -> tuple[tuple[Entry, bool], ...]:
    """The national directives addressed to a region's government (`owed`: from `directives_owed`), each
    with whether it has one recorded (`recorded`: of every directive)."""
    return tuple((registry.entries[cid], code in recorded[cid]) for cid in owed.get(code, ()))


def children(province: str, registry: Registry) -> tuple[tuple[Region, int], ...]:
    """A province's regencies and cities with how many circulars of their own each has."""
    return tuple((g, len(registry.regions[g.code].own) if g.code in registry.regions else 0)
                 for g in governments() if g.level != "provinsi" and g.province == province)
