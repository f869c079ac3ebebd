"""Stage 3: resolve relations between circulars and derive what is never typed by hand."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from . import listing, regions
from .model import INVERSE, RELATIONS, Circular, PartialDate, Region
from .problems import Problem
from .validate import did_you_mean, slugify

# Lower rank = higher level of government; a circular implements one of its own level or above.
LEVEL_RANK = {"nasional": 0, "provinsi": 1, "kabupaten": 2, "kota": 2}
# The relations that form chains of versions; a cycle among them is an error.
CHAIN_RELATIONS = ("amends", "extends", "revokes")
# Pages that always exist, whatever the content (see render.plan).
FIXED_PAGES = ("/", "/edaran/", "/edaran-nasional/", "/wilayah/", "/penerbit/", "/topik/", "/tahun/", "/cari/",
               "/data/", "/404.html", "/feed.xml", "/api/circulars.json", "/api/circulars.csv", "/api/regions.json",
               "/api/jdihn.json", "/api/schema.json")
CIRCULAR_PATH = re.compile(r"^/edaran/([^/]+)/?$")
OWED_LIST = re.compile(r"^(/wilayah/[^/]+/)edaran-nasional/(?:halaman/[0-9]+/)?$")
VERBS = {"implements": "implement", "amends": "amend", "extends": "extend", "revokes": "revoke"}


@dataclass(frozen=True)
class Entry:
    """A circular with everything derived from the other circulars and the as-of date."""

    circular: Circular
    implemented_by: tuple[str, ...]
    amended_by: tuple[str, ...]
    extended_by: tuple[str, ...]
    revoked_by: tuple[str, ...]
    lag_days: dict[str, int | None]  # directive id -> days from its issue to this one's, None if unknown
    status: str
    ends: PartialDate | None  # end of the period in force after extensions known as of the as-of date
    is_directive: bool  # a national circular that others implement, or that does not follow another

    @property
    def id(self) -> str:
        return self.circular.id

    def inverse(self, relation: str) -> tuple[str, ...]:
        """Ids of circulars that point here with `relation` (e.g. 'implements' -> implemented_by)."""
        return getattr(self, INVERSE[relation])


@dataclass(frozen=True)
class RegionGroup:
    """A region's page: its own circulars and, for a province, its regencies' and cities' circulars."""

    region: Region
    own: tuple[str, ...]
    within: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """Circulars sharing an issuer or a topic."""

    slug: str
    name: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Registry:
    """The whole linked registry: plain data, ordered deterministically."""

    as_of: dt.date
    entries: dict[str, Entry]  # by id, sorted by id
    chronological: tuple[str, ...]  # ids by issue date (earliest first), then id
    directives: tuple[str, ...]
    regions: dict[str, RegionGroup]
    issuers: dict[str, Group]
    topics: dict[str, Group]
    years: dict[int, tuple[str, ...]]
    synonyms: tuple[tuple[str, ...], ...] = ()  # search synonym groups (content/synonyms.yaml)


# Every field of a circular that `link` reads: a circular changed in none of them links as before, so the
# preview's quick re-check (recheck.py) swaps it into the last registry instead of linking again.
# tests/test_recheck.py links through circulars that record what is read of them. Positions (of relations,
# body links, number, issuer) are compared too, though they only place problems: a line added above one
# links again, which is slower, never wrong.
LINKED_FIELDS = ("id", "path", "region", "issuer", "issued", "number", "effective_from", "effective_until",
                 "implements", "amends", "extends", "revokes", "topics", "body_links", "positions")


def link_view(c: Circular) -> tuple[object, ...]:
    """What `link` reads of a circular (compared whole: Circular's own equality skips `positions`)."""
    return tuple(getattr(c, name) for name in LINKED_FIELDS)


def with_circulars(registry: Registry, changed: list[Circular]) -> Registry:
    """The registry with these circulars swapped in: only for circulars whose `link_view` is unchanged, for
    whom linking again would give the same registry (the entries hold the circulars; the rest holds ids)."""
    entries = dict(registry.entries)
    for c in changed:
        entries[c.id] = replace(entries[c.id], circular=c)
    return replace(registry, entries=entries)


def follows_none(c: Circular) -> bool:
    """A circular that implements, amends and extends nothing: for a national one, a directive."""
    return not (c.implements or c.amends or c.extends)


def lists_implementations(c: Circular, implemented: bool) -> bool:
    """Whether a circular's page lists its implementations, and so has a feed of them: others implement
    it, or it is a national directive (which may still have none recorded)."""
    return implemented or (c.region.level == "nasional" and follows_none(c))


def _start(c: Circular) -> PartialDate:
    return c.effective_from or c.issued


def _sort_key(c: Circular) -> tuple[dt.date, dt.date, str]:
    # A date known only to the month sorts at the month's end: "issued by then", never before a full date.
    return (c.issued.latest, c.issued.earliest, c.id)


def _check_references(by_id: dict[str, Circular], known_ids: set[str]) -> list[Problem]:
    problems = []
    ids = sorted(known_ids)
    for c in by_id.values():
        for name in RELATIONS:
            for rel in c.relations(name):
                if rel.target == c.id:
                    problems.append(Problem(c.path, rel.line, rel.col, "self-ref",
                                            f"{name}: a circular cannot {VERBS[name]} itself"))
                elif rel.target not in known_ids:
                    problems.append(Problem(c.path, rel.line, rel.col, "unknown-ref",
                                            f"{name}: '{rel.target}' is not a known circular",
                                            did_you_mean(rel.target, ids)))
    return problems


def _site_paths(by_id: dict[str, Circular], known_ids: set[str]) -> set[str]:
    """Every page path the built site will have (the same pages render.plan makes)."""
    paths = set(FIXED_PAGES) | {f"/edaran/{cid}/" for cid in known_ids} | {f"/api/edaran/{cid}.json"
                                                                         for cid in known_ids}
    implemented = {r.target for c in by_id.values() for r in c.implements}
    for c in by_id.values():
        paths.add(f"/wilayah/{c.region.code}/")
        paths.add(f"/wilayah/{c.region.code}/feed.xml")
        if c.region.province:
            paths.add(f"/wilayah/{c.region.province}/")
            paths.add(f"/wilayah/{c.region.province}/feed.xml")
        if lists_implementations(c, c.id in implemented):
            paths.add(f"/edaran/{c.id}/feed.xml")
        paths.add(f"/penerbit/{slugify(c.issuer)}/")
        paths.add(f"/tahun/{c.issued.year}/")
        paths.update(f"/topik/{t}/" for t in c.topics)
    return paths


def _check_body_links(by_id: dict[str, Circular], known_ids: set[str]) -> list[Problem]:
    """A root-relative link in a body must lead to a page of the site; a circular link to a known id."""
    problems = []
    paths = _site_paths(by_id, known_ids)
    ids = sorted(known_ids)
    for c in by_id.values():
        for link in c.body_links:
            path = link.path.split("#", 1)[0].split("?", 1)[0]
            if path in paths:
                continue
            circular = CIRCULAR_PATH.match(path)
            if circular and circular.group(1) not in known_ids:
                problems.append(Problem(c.path, link.line, link.col, "unknown-ref",
                                        f"body: link to '{link.path}' is not a known circular",
                                        did_you_mean(circular.group(1), ids)))
                continue
            hint = f"write '{path}/' with the final slash" if path + "/" in paths else None
            if (later := listing.split_path(path.lstrip("/") + "index.html")) and "/" + later[0] in paths:
                hint = (f"a list's later pages change as circulars are added: link to the list itself, "
                        f"'/{later[0]}'")
            elif (owed := OWED_LIST.match(path)) and owed.group(1) in paths:
                hint = (f"a region's list of the national directives addressed to it exists only while they are "
                        f"more than its page holds: link to the region, '{owed.group(1)}'")
            problems.append(Problem(c.path, link.line, link.col, "broken-link",
                                    f"body: link to '{link.path}' is not a page of this site", hint))
    return problems


def _check_dates_and_levels(by_id: dict[str, Circular]) -> list[Problem]:
    problems = []
    for c in by_id.values():
        for name in RELATIONS:
            for rel in c.relations(name):
                target = by_id.get(rel.target)
                if target is None or target.id == c.id:
                    continue
                if c.issued.latest < target.issued.earliest:
                    code = "negative-lag" if name == "implements" else "date-order"
                    problems.append(Problem(
                        c.path, rel.line, rel.col, code,
                        f"{name}: '{target.id}' was issued {target.issued.iso()}, after this circular "
                        f"({c.issued.iso()})", "check both issued dates, and that this is the right circular"))
                if name == "implements" and LEVEL_RANK[target.region.level] > LEVEL_RANK[c.region.level]:
                    problems.append(Problem(
                        c.path, rel.line, rel.col, "level-direction",
                        f"implements: '{target.id}' is a {target.region.level} circular; a "
                        f"{c.region.level} circular cannot implement it",
                        "implements points from the implementing circular to the directive above it"))
                elif why := _other_region(name, c, target):
                    problems.append(Problem(c.path, rel.line, rel.col, "other-region", f"{name}: {why}"))
    return problems


def _other_region(name: str, c: Circular, target: Circular) -> str | None:
    """Why `c` cannot relate to a circular of another government, or None when it can.

    A government amends, extends and revokes only its own circulars; it implements the nation's, its own
    province's, or its own.
    """
    mine, theirs = c.region, target.region
    if name != "implements":
        if mine.code != theirs.code:
            return (f"'{target.id}' is a circular of {theirs.name}; a circular of {mine.name} can only "
                    f"{VERBS[name]} circulars of its own government")
        return None
    if theirs.level == "nasional" or theirs.code in (mine.code, mine.province):
        return None
    return f"'{target.id}' is a circular of {theirs.name}, which is not {mine.name} or its province"


def _check_cycles(by_id: dict[str, Circular]) -> list[Problem]:
    """Find cycles in the amends/extends/revokes graph (Tarjan's strongly connected components)."""
    edges = {cid: sorted({r.target for n in CHAIN_RELATIONS for r in c.relations(n)
                          if r.target in by_id and r.target != cid})
             for cid, c in by_id.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for root in sorted(by_id):
        if root in index:
            continue
        # Iterative depth-first search, so a long chain cannot hit Python's recursion limit.
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    problems = []
    for component in components:
        members = set(component)
        loop = " → ".join([*component, component[0]])
        for cid in component:
            c = by_id[cid]
            for name in CHAIN_RELATIONS:
                for rel in c.relations(name):
                    if rel.target in members:
                        problems.append(Problem(c.path, rel.line, rel.col, "cycle",
                                                f"{name}: '{rel.target}' leads back to this circular "
                                                f"(cycle among {loop})"))
    return problems


def _all_ends(by_id: dict[str, Circular], extended_by: dict[str, list[str]],
              as_of: dt.date) -> dict[str, PartialDate | None]:
    """End of each circular's period in force, following extensions that had started by the as-of date.

    Iterative (an explicit stack), so a long chain of extensions cannot hit the recursion limit;
    can only be called after the cycle check has passed.
    """
    ends: dict[str, PartialDate | None] = {}
    for first in by_id:
        stack = [first]
        while stack:
            cid = stack[-1]
            if cid in ends:
                stack.pop()
                continue
            started = [e for e in extended_by.get(cid, ()) if _start(by_id[e]).earliest <= as_of]
            pending = [e for e in started if e not in ends]
            if pending:
                stack.extend(pending)
                continue
            end = by_id[cid].effective_until
            if end is not None:
                for ext in started:
                    ext_end = ends[ext]
                    if ext_end is not None and ext_end.latest > end.latest:
                        end = ext_end
            ends[cid] = end
            stack.pop()
    return ends


def _status(c: Circular, ends: PartialDate | None, inverse: dict[str, dict[str, list[str]]],
            by_id: dict[str, Circular], as_of: dt.date) -> str:
    """Status as of a date: revoked, not yet, ended, extended, amended or simply in force."""
    def happened(ids: list[str]) -> bool:
        return any(_start(by_id[i]).earliest <= as_of for i in ids)

    if happened(inverse["revokes"].get(c.id, [])):
        return "dicabut"
    if as_of < _start(c).earliest:
        return "belum berlaku"
    if ends is not None and as_of > ends.latest:
        return "berakhir"
    if happened(inverse["extends"].get(c.id, [])):
        return "diperpanjang"
    if happened(inverse["amends"].get(c.id, [])):
        return "diubah"
    return "berlaku"


def link(circulars: list[Circular], as_of: dt.date, known_ids: set[str] | None = None,
         topic_names: dict[str, str] | None = None,
         synonyms: tuple[tuple[str, ...], ...] = ()) -> tuple[Registry | None, list[Problem]]:
    """Check every cross-file rule; when all hold, build the Registry.

    `known_ids` are the ids of all files, including those that failed validation, so that a broken
    file does not also make every reference to it an error.
    """
    by_id = {c.id: c for c in sorted(circulars, key=lambda c: c.id)}
    problems = _check_references(by_id, set(by_id) | (known_ids or set()))
    problems += _check_dates_and_levels(by_id)
    problems += _check_cycles(by_id)
    problems += _check_body_links(by_id, set(by_id) | (known_ids or set()))

    numbered: dict[tuple[str, str], Circular] = {}
    for c in sorted(by_id.values(), key=lambda c: c.path):
        if c.number is None:
            continue
        key = (slugify(c.issuer), " ".join(c.number.lower().split()))
        first_numbered = numbered.setdefault(key, c)
        if first_numbered is not c:
            line, col = c.positions.get("number", (1, 1))
            problems.append(Problem(c.path, line, col, "duplicate-number",
                                    f"number '{c.number}' of {c.issuer} is already recorded in {first_numbered.path}",
                                    "one circular, one file: fix that file instead, or correct this number"))

    issuer_names: dict[str, Circular] = {}
    for c in by_id.values():
        slug = slugify(c.issuer)
        first = issuer_names.setdefault(slug, c)
        if first.issuer != c.issuer:
            line, col = c.positions.get("issuer", (1, 1))
            problems.append(Problem(c.path, line, col, "duplicate-url",
                                    f"issuer '{c.issuer}' and '{first.issuer}' (in {first.path}) would share "
                                    f"the page /penerbit/{slug}/",
                                    "spell one office the same way in every file"))
    # A reference to a file that failed validation is not an error here (that file's own problems are
    # reported), but there is no registry to build until it is fixed.
    broken = any(rel.target not in by_id for c in by_id.values() for name in RELATIONS for rel in c.relations(name))
    if problems or broken:
        return None, problems

    chronological = tuple(c.id for c in sorted(by_id.values(), key=_sort_key))
    order = {cid: i for i, cid in enumerate(chronological)}
    inverse: dict[str, dict[str, list[str]]] = {name: {} for name in RELATIONS}
    for cid in chronological:
        for name in RELATIONS:
            for rel in by_id[cid].relations(name):
                inverse[name].setdefault(rel.target, []).append(cid)

    all_ends = _all_ends(by_id, inverse["extends"], as_of)
    entries: dict[str, Entry] = {}
    for cid, c in by_id.items():
        lags: dict[str, int | None] = {}
        for rel in c.implements:
            directive, mine = by_id[rel.target].issued.full, c.issued.full
            lags[rel.target] = (mine - directive).days if directive and mine else None
        ends = all_ends[cid]
        implemented_by = tuple(inverse["implements"].get(cid, ()))
        entries[cid] = Entry(
            circular=c,
            implemented_by=implemented_by,
            amended_by=tuple(inverse["amends"].get(cid, ())),
            extended_by=tuple(inverse["extends"].get(cid, ())),
            revoked_by=tuple(inverse["revokes"].get(cid, ())),
            lag_days=lags,
            status=_status(c, ends, inverse, by_id, as_of),
            ends=ends,
            is_directive=c.region.level == "nasional" and (bool(implemented_by) or follows_none(c)),
        )

    def chrono(ids: list[str]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=order.__getitem__))

    own: dict[str, list[str]] = {}
    within: dict[str, list[str]] = {}
    for c in by_id.values():
        own.setdefault(c.region.code, []).append(c.id)
        if c.region.level in ("kabupaten", "kota"):
            assert c.region.province is not None
            within.setdefault(c.region.province, []).append(c.id)
    region_groups = {}
    for code in sorted(set(own) | set(within)):
        region = regions.lookup(code)
        assert region is not None
        region_groups[code] = RegionGroup(region, chrono(own.get(code, [])), chrono(within.get(code, [])))

    issuers: dict[str, list[str]] = {}
    topics: dict[str, list[str]] = {}
    years: dict[int, list[str]] = {}
    for c in by_id.values():
        issuers.setdefault(slugify(c.issuer), []).append(c.id)
        for topic in c.topics:
            topics.setdefault(topic, []).append(c.id)
        years.setdefault(c.issued.year, []).append(c.id)

    registry = Registry(
        as_of=as_of,
        entries=entries,
        chronological=chronological,
        directives=tuple(cid for cid in chronological if entries[cid].is_directive),
        regions=region_groups,
        issuers={s: Group(s, issuer_names[s].issuer, chrono(ids)) for s, ids in sorted(issuers.items())},
        topics={t: Group(t, (topic_names or {}).get(t, t.replace("-", " ")), chrono(ids))
                for t, ids in sorted(topics.items())},
        years={y: chrono(ids) for y, ids in sorted(years.items())},
        synonyms=synonyms,
    )
    return registry, []
