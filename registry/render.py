"""Stage 4: plan every page of the site and render it into memory (nothing is written here)."""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import hashlib
import re
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import jinja2.bccache
import jinja2.ext
from babel.dates import format_date
from jinja2.lexer import Token, TokenStream
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from . import charts, coverage, export, feeds, listing, markup, parallel, search
from .config import SiteConfig
from .link import Entry, Registry
from .model import (
    ADDRESSEE_CLASSES,
    CONFLICT_FIELDS,
    INVERSE,
    KIND_LABELS,
    LEVELS,
    RELATIONS,
    SOURCE_TYPES,
    STATUSES,
    Circular,
    PartialDate,
    Region,
)
from .problems import Problem, display_path
from .strings import PLACEHOLDER, MissingStringError, Strings
from .validate import slugify
from .write import Data, joined

# The catalogue groups that name a value of the content model, one key per value ('status.berlaku'); the
# pages, feeds and search index all take these labels from here. A relation has a key for each direction.
LABEL_GROUPS: dict[str, tuple[str, ...]] = {
    "level": LEVELS,
    "level_noun": ("provinsi", "kabupaten", "kota"),  # in running text: "38 pemerintah provinsi"
    "status": STATUSES,
    "source_type": SOURCE_TYPES,
    "addressee": ADDRESSEE_CLASSES,
    "relation": RELATIONS + tuple(INVERSE[name] for name in RELATIONS),
    "conflict_field": CONFLICT_FIELDS,
    "facet": search.FACETS,
}
Labels = dict[str, dict[str, str]]
LATEST_ON_HOME = 10
# National directives on the home page, newest first; all of them are listed at /edaran-nasional/ (at 100,000
# circulars there are about 3,000, which made a home page of 865 KB).
DIRECTIVES_ON_HOME = 10
# Circulars per task of the word index's per-circular work (about 0.4 s each): the workers share it.
DOCUMENTS_PER_TASK = 1000
# Tracker views (coverage and charts) kept by SitePlan.tracker: see there.
TRACKERS_KEPT = 8


@functools.lru_cache(maxsize=65536)  # Babel takes about 45 µs a call, and a site shows few distinct dates
def tanggal(value: PartialDate | None, short: bool = False) -> str:
    """A date in Indonesian, only as precise as it is known: '17 Maret 2020', 'Maret 2020', '2020'
    (short, for tables: '17 Mar 2020')."""
    if value is None:
        return ""
    if value.day is not None:
        return format_date(value.earliest, "d MMM y" if short else "d MMMM y", locale="id")
    if value.month is not None:
        return format_date(value.earliest, "LLL y" if short else "LLLL y", locale="id")
    return str(value.year)


def short_name(c: Circular) -> str:
    """How a circular is cited: 'Surat Edaran Menteri Sosial Nomor 2 Tahun 2020'."""
    kind = KIND_LABELS[c.kind]
    if c.number:
        return f"{kind} {c.issuer} Nomor {c.number}"
    return f"{kind} {c.issuer} ({tanggal(c.issued)})"


def labels_from(strings: Strings) -> Labels:
    """Every label group of LABEL_GROUPS, looked up once per build."""
    return {group: strings.labels(group, names) for group, names in LABEL_GROUPS.items()}


def _relations_view(entry: Entry, registry: Registry, with_table: bool,
                    relation_labels: dict[str, str]) -> list[dict[str, Any]]:
    """Both directions of every relation, each item with the evidence quote and its source if stated.

    When the page has an implementations table, 'implemented by' is left to the table.
    """
    groups = []
    for name in RELATIONS:
        outward, inward = relation_labels[name], relation_labels[INVERSE[name]]
        items = [{"entry": registry.entries[rel.target], "relation": rel,
                  "source": entry.circular.sources[rel.source - 1] if rel.source else None}
                 for rel in entry.circular.relations(name)]
        if items:
            groups.append({"label": outward, "name": name, "items": items})
        items = []
        for other_id in () if (with_table and name == "implements") else entry.inverse(name):
            other = registry.entries[other_id].circular
            rel = next(r for r in other.relations(name) if r.target == entry.id)
            items.append({"entry": registry.entries[other_id], "relation": rel,
                          "source": other.sources[rel.source - 1] if rel.source else None})
        if items:
            groups.append({"label": inward, "name": INVERSE[name], "items": items})
    return groups


def describe(entry: Entry, cited_as: dict[str, str], issued_text: dict[str, str], strings: Strings,
             relation_labels: dict[str, str]) -> str:
    """A circular in two sentences, for feed readers: what it is, who issued it when, what it follows."""
    c = entry.circular
    facts = {"name": cited_as[c.id], "title": c.title, "date": issued_text[c.id], "region": c.region.name}
    parts = [strings.text("feed.summary_central", **facts) if c.region.code == "ID"
             else strings.text("feed.summary", **facts)]
    for name in RELATIONS:
        targets = [cited_as[r.target] for r in c.relations(name)]
        if targets:
            parts.append(strings.text("feed.summary_relation", relation=relation_labels[name],
                                      targets="; ".join(targets)))
    return " ".join(parts)


def _repository_links(entry: Entry, config: SiteConfig, cited_as: str, strings: Strings) -> dict[str, str | None]:
    """"Sunting halaman ini" (the file in the repository's editor) and "Laporkan kesalahan" (a new issue
    from the "Koreksi data" form, with the circular filled in); none when no repository is configured."""
    repo = config.repository_url
    if not repo:
        return {"edit_url": None, "report_url": None}
    c = entry.circular
    query = urlencode({"template": "koreksi-data.yml", "title": strings.text("cite.report_title", name=cited_as),
                       "edaran": f"{c.id} ({c.repo_path})"})
    return {"edit_url": f"{repo}/edit/main/{c.repo_path}", "report_url": f"{repo}/issues/new?{query}"}


def _tracked(entry: Entry) -> bool:
    """Whether a circular's implementation is tracked: a directive, or one that others implement (it has
    a table of implementations, coverage and perhaps a tracker page)."""
    return entry.is_directive or bool(entry.implemented_by)


def _tracker_view(entry: Entry, registry: Registry, config: SiteConfig,
                  owed: dict[str, tuple[Region, ...]], cited_as: str, strings: Strings,
                  position: dict[str, int] | None = None) -> dict[str, Any]:
    """Coverage, version chain, province map and timeline of a circular (the charts only for directives)."""
    chain = coverage.chain(entry, registry, position)
    view: dict[str, Any] = {"cov": None, "chain": chain, "tile_map": None, "states": (), "timeline": None,
                            "tracker_page": False}
    if entry.id not in owed:
        return view
    cov = coverage.coverage(entry, registry, owed[entry.id], strings.text("region.central"))
    view["cov"] = cov
    if cov.levels and entry.circular.region.level == "nasional":  # the map is of all 38 provinces
        view["states"] = charts.province_states(cov)
        title = strings.text("map.title", name=cited_as)
        view["tile_map"] = Markup(charts.tile_map(view["states"], title, strings))
    if cov.groups:
        band, bars = charts.timeline_bars(entry, chain, cov, strings)
        view["timeline"] = Markup(charts.timeline(band, bars, registry.as_of, config.base_path,
                                                  strings.text("timeline.title", name=cited_as), strings))
    # The charts and the list of governments still owed get a page of their own (edaran/<id>/pelaksanaan/).
    view["tracker_page"] = bool(view["tile_map"] or view["timeline"] or cov.missing_count)
    return view


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template renders it, and what computes its context.

    The context is computed when the page is rendered (in a worker, or by the preview on request), so
    planning the whole site costs little and a single page can be rendered without the others.
    """

    path: str  # relative to the site root, e.g. "edaran/se-menpanrb-19-2020/index.html"
    template: str
    # None: no page after all (a tracker page is known to be needed only once its coverage is worked out)
    make: Callable[[], dict[str, Any] | None]


_FIXED_PAGES = (("index.html", "home.html"), ("data/index.html", "data.html"), ("wilayah/index.html", "regions.html"),
                ("penerbit/index.html", "issuers.html"), ("topik/index.html", "topics.html"),
                ("tahun/index.html", "years.html"), ("cari/index.html", "search.html"), ("404.html", "404.html"))
_CIRCULAR = re.compile(r"^edaran/([^/]+)/(pelaksanaan/)?index\.html$")
# The first page's folder of each list of circulars but the whole one ("edaran/"): see SitePlan._lists_at.
_LIST_BASE = re.compile(r"^(wilayah|penerbit|topik|tahun)/([^/]+)/$")
_REGION_DIRECTIVES = re.compile(r"^wilayah/([^/]+)/edaran-nasional/$")


class SitePlan:
    """Every page of one build and what they share (labels, dates, feeds, coverage), computed once.

    `pages()` is the whole site in a fixed order; `page(path)` is one page, for the preview.
    """

    def __init__(self, registry: Registry, config: SiteConfig, strings: Strings, labels: Labels,
                 site_feeds: list[feeds.Feed], cited_as: dict[str, str], issued_text: dict[str, str],
                 number_shards: int) -> None:
        self.registry, self.config, self.strings, self.labels = registry, config, strings, labels
        self.cited_as, self.issued_text, self.number_shards = cited_as, issued_text, number_shards
        self.site_feeds = site_feeds
        self.feed_of = {f.page: f for f in site_feeds}
        self.words = search.words_from(labels, strings)
        self.table_label = strings.text("circular.body_table")
        self._trackers: collections.OrderedDict[str, dict[str, Any]] = collections.OrderedDict()
        self._owed: dict[str, tuple[Region, ...] | None] = {}
        self._directives_owed: dict[str, tuple[str, ...]] | None = None

    def owed_by(self, cid: str) -> tuple[Region, ...] | None:
        """Who one circular is owed by, if it is a directive or has implementations (one page needs only
        its own: the preview renders one page without working out every directive's)."""
        if cid not in self._owed:
            entry = self.registry.entries[cid]
            self._owed[cid] = (coverage.owed_governments(entry) if _tracked(entry)
                               else None)
        return self._owed[cid]

    @functools.cached_property
    def recorded(self) -> dict[str, frozenset[str]]:
        """Where each national directive has an implementation recorded (coverage.recorded)."""
        return coverage.recorded(self.registry, self.registry.directives)

    @functools.cached_property
    def position(self) -> dict[str, int]:
        return coverage.chronological_positions(self.registry)

    @property
    def directives_owed(self) -> dict[str, tuple[str, ...]]:
        """The national directives each region's government is owed (coverage.directives_owed)."""
        return self.owed_directives()

    def owed_directives(self, stop: Callable[[], bool] | None = None) -> dict[str, tuple[str, ...]]:
        """`directives_owed`, worked out once; `stop` (asked every 100 directives: about 0.1 s at 10,000
        circulars, up to a second at 100,000) abandons it, and it is worked out again when next asked."""
        parallel.give_way(stop)  # also when already worked out: a render asks the same whenever it runs
        if self._directives_owed is None:
            self._directives_owed = coverage.directives_owed(self.registry.directives, self.owed_by,
                                                             lambda: parallel.give_way(stop))
        return self._directives_owed

    def tracker(self, cid: str) -> dict[str, Any]:
        """A circular's coverage, chain and charts (shared by its page and its tracker page)."""
        if (view := self._trackers.get(cid)) is None:
            owed = self.owed_by(cid)
            view = _tracker_view(self.registry.entries[cid], self.registry, self.config,
                                 {} if owed is None else {cid: owed}, self.cited_as[cid], self.strings, self.position)
            # Only the last few are kept: a circular's two pages that use its view are rendered one after
            # the other, and all of them (about 50 KB each, with charts) would be 150 MB at 100,000.
            if len(self._trackers) >= TRACKERS_KEPT:
                # The preview renders in two threads (a page asked for, the whole site): popitem is one
                # step for the interpreter, and the other thread may have taken the last one meanwhile.
                with contextlib.suppress(KeyError):
                    self._trackers.popitem(last=False)
            self._trackers[cid] = view
        return view

    def _fixed(self, path: str, template: str) -> Page:
        registry = self.registry
        contexts: dict[str, Callable[[], dict[str, Any]]] = {
            "index.html": lambda: {"latest": tuple(reversed(registry.chronological))[:LATEST_ON_HOME],
                                   "directives": tuple(reversed(registry.directives))[:DIRECTIVES_ON_HOME]},
            "data/index.html": lambda: {"feed_count": len(self.site_feeds)},
            "cari/index.html": lambda: {
                "facets": search.facet_options((search.facet_values(e, registry, self.words)
                                                for e in registry.entries.values()), self.words),
                "facet_labels": self.labels["facet"], "number_shards": self.number_shards},
        }
        return Page(path, template, contexts.get(path, dict))

    def _circular(self, cid: str) -> dict[str, Any]:
        registry, entry = self.registry, self.registry.entries[cid]
        c = entry.circular
        return {
            "entry": entry, "c": c,
            "body": markup.wrap_tables(markup.with_base(c.body_html, self.config.base_path), self.table_label),
            "relations": _relations_view(entry, registry, _tracked(entry),
                                         self.labels["relation"]),
            **self.tracker(cid),
            **_repository_links(entry, self.config, self.cited_as[cid], self.strings),
            "page_feeds": [f for f in (self.feed_of.get(f"edaran/{cid}/"),
                                       self.feed_of.get(f"wilayah/{c.region.code}/")) if f],
            "jsonld": export.legislation(entry, registry, self.config, self.cited_as)}

    def _circular_page(self, cid: str) -> Page:
        return Page(f"edaran/{cid}/index.html", "circular.html", lambda: self._circular(cid))

    def _has_tracker_page(self, cid: str) -> bool:
        return self.owed_by(cid) is not None and self.tracker(cid)["tracker_page"]

    def _tracker_page(self, cid: str) -> Page:
        """The circular's tracker page if it has one: whether it does is decided when the page is made (its
        coverage and charts, about 1.5 ms a directive, are worked out there, in the worker that renders
        it, not here for all of them before any page is rendered)."""
        entry = self.registry.entries[cid]
        return Page(f"edaran/{cid}/pelaksanaan/index.html", "tracker.html",
                    lambda: {"entry": entry, "c": entry.circular, **self.tracker(cid)}
                    if self._has_tracker_page(cid) else None)

    def _list_pages(self, base: str, template: str, sections: list[tuple[Any, tuple[str, ...]]],
                    context: Callable[[int], dict[str, Any]]) -> list[Page]:
        """The pages of one list of circulars: `sections` (section, ids in the order shown) cut into pages of
        `page_size` rows, the first at `base` ("edaran/"), each with `context` (of its number) and its
        `listing`."""
        size = self.config.page_size
        count = listing.page_count(sum(len(ids) for _, ids in sections), size)
        return [self._list_page(base, template, sections, context, number) for number in range(1, count + 1)]

    def _list_page(self, base: str, template: str, sections: list[tuple[Any, tuple[str, ...]]],
                   context: Callable[[int], dict[str, Any]], number: int) -> Page:
        return Page(listing.page_path(base, number) + "index.html", template, lambda: {
            **context(number), "listing": listing.page_of(sections, self.config.page_size, number, base)})

    def _circulars_pages(self) -> list[Page]:
        """Every circular, newest first, under its year."""
        years = self.registry.years
        return self._list_pages("edaran/", "circulars.html",
                                [(year, tuple(reversed(years[year]))) for year in reversed(years)], lambda _: {})

    def _directives_pages(self) -> list[Page]:
        """Every national directive, newest first, with how many implementations it has."""
        return self._list_pages("edaran-nasional/", "directives.html",
                                [("all", tuple(reversed(self.registry.directives)))], lambda _: {})

    def _region_directives_pages(self, code: str, stop: Callable[[], bool] | None = None) -> list[Page]:
        """The national directives addressed to a region, newest first, each with whether it has one
        recorded, when there are more than its page shows (page_size); none otherwise. `stop`: see pages."""
        owed = self.owed_directives(stop).get(code, ())
        if len(owed) <= self.config.page_size:
            return []
        group = self.registry.regions[code]
        return self._list_pages(f"wilayah/{code}/edaran-nasional/", "region_directives.html",
                                [("all", tuple(reversed(owed)))], lambda _: {"group": group, "done": frozenset(
                                    e.id for e, done in coverage.region_directives(code, self.registry,
                                                                                   self.directives_owed,
                                                                                   self.recorded) if done)})

    def _region_pages(self, code: str) -> list[Page]:
        group = self.registry.regions[code]

        def context(number: int) -> dict[str, Any]:
            first = number == 1  # the only page that shows them
            # Newest first, as in every list of the site.
            directives = tuple(reversed(coverage.region_directives(code, self.registry, self.directives_owed,
                                                                   self.recorded))) if first else ()
            return {"page_feeds": [self.feed_of[f"wilayah/{code}/"]], "group": group, "directives": directives,
                    # Past a page's worth, the first page says how many are recorded and links to their list.
                    "directives_listed": len(directives) > self.config.page_size,
                    "directives_done": sum(done for _, done in directives),
                    "children": coverage.children(code, self.registry)
                    if first and group.region.level == "provinsi" else ()}
        return self._list_pages(f"wilayah/{code}/", "region.html",
                                [("own", tuple(reversed(group.own))), ("within", tuple(reversed(group.within)))],
                                context)

    def _issuer_pages(self, slug: str) -> list[Page]:
        group = self.registry.issuers[slug]
        return self._list_pages(f"penerbit/{slug}/", "issuer.html", [(slug, tuple(reversed(group.ids)))],
                                lambda _: {"group": group})

    def _topic_pages(self, slug: str) -> list[Page]:
        group = self.registry.topics[slug]
        return self._list_pages(f"topik/{slug}/", "topic.html", [(slug, tuple(reversed(group.ids)))],
                                lambda _: {"group": group})

    def _year_pages(self, year: Any) -> list[Page]:
        ids = self.registry.years[year]
        return self._list_pages(f"tahun/{year}/", "year.html", [(year, tuple(reversed(ids)))],
                                lambda _: {"year": year, "ids": ids})

    def _lists_at(self, base: str) -> list[Page] | None:
        """The pages of the list of circulars (or of national directives) whose first page is the folder
        `base`, or None when no list starts there."""
        if base == "edaran/":
            return self._circulars_pages()
        if base == "edaran-nasional/":
            return self._directives_pages()
        if (owed := _REGION_DIRECTIVES.match(base)) and owed.group(1) in self.registry.regions:
            return self._region_directives_pages(owed.group(1)) or None
        if not (match := _LIST_BASE.match(base)):
            return None
        kind, key = match.groups()
        registry = self.registry
        if kind == "wilayah" and key in registry.regions:
            return self._region_pages(key)
        if kind == "penerbit" and key in registry.issuers:
            return self._issuer_pages(key)
        if kind == "topik" and key in registry.topics:
            return self._topic_pages(key)
        if kind == "tahun":
            years = {str(year): year for year in registry.years}
            return self._year_pages(years[key]) if key in years else None
        return None

    def pages(self, stop: Callable[[], bool] | None = None, lists_last: bool = False) -> list[Page]:
        """Every HTML page of the site, in a fixed order (with each page that may turn out not to be one:
        see _tracker_page). `stop`, asked every 100 circulars, abandons it (CancelledError).

        The pages that list circulars (the whole list, the national directives, each region's, issuer's,
        topic's and year's, and the directives addressed to a region) come first, so the workers end on the
        circulars' own pages, which take about the same time each, and finish together; or, with `lists_last`, last: the
        preview renders in one thread and starts again after every save, and the check of a save waits for
        the page in progress."""
        fixed = [self._fixed(path, template) for path, template in _FIXED_PAGES]
        lists = self._circulars_pages() + self._directives_pages()
        lists += [page for code in self.registry.regions for page in self._region_pages(code)]
        lists += [page for slug in self.registry.issuers for page in self._issuer_pages(slug)]
        lists += [page for slug in self.registry.topics for page in self._topic_pages(slug)]
        lists += [page for year in self.registry.years for page in self._year_pages(year)]

        def owed_lists() -> list[Page]:  # the first asks who each directive is owed by: after the circulars'
            # pages in the preview, which a save interrupts as early as it can
            return [page for code in self.registry.regions for page in self._region_directives_pages(code, stop)]

        if not lists_last:
            lists += owed_lists()
        pages: list[Page] = [] if lists_last else fixed + lists
        for i, cid in enumerate(self.registry.entries):
            if i % 100 == 0:
                parallel.give_way(stop)
            pages.append(self._circular_page(cid))
            if _tracked(self.registry.entries[cid]):  # may have one (see _tracker_page)
                pages.append(self._tracker_page(cid))
        return pages + lists + owed_lists() + fixed if lists_last else pages

    def page(self, path: str) -> Page | None:
        """The page at `path` ("edaran/<id>/index.html"), or None when the site has no such page."""
        for fixed, template in _FIXED_PAGES:
            if path == fixed:
                return self._fixed(path, template)
        if not path.endswith("index.html"):
            return None
        later = listing.split_path(path)
        base, number = later if later is not None else (path.removesuffix("index.html"), 1)
        if (lists := self._lists_at(base)) is not None:
            return lists[number - 1] if number <= len(lists) else None
        if later is not None or not (match := _CIRCULAR.match(path)):
            return None
        cid, tracker = match.groups()
        if cid not in self.registry.entries:
            return None
        if not tracker:
            return self._circular_page(cid)
        return self._tracker_page(cid) if self._has_tracker_page(cid) else None


class InlineStrings(jinja2.ext.Extension):
    """Writes each `{{ t("key") }}` that has no values into the template as its text, when it is compiled.

    A directive page shows about a hundred catalogue texts and a build renders every page, so calling t() for
    words that never change would slow every build noticeably. A key the catalogue lacks is left as the call,
    which reports it at render time with its template line.
    """

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        environment.extend(interface_strings=None)  # set by make_environment

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        strings: Strings = self.environment.interface_strings  # type: ignore[attr-defined]
        pending: list[Token] = []
        for token in stream:
            if not pending and token.type != "variable_begin":
                yield token
                continue
            pending.append(token)
            if token.type != "variable_end":
                continue
            inner = [(tok.type, tok.value) for tok in pending[1:-1]]
            key = inner[2][1] if len(inner) == 4 else None
            if ([kind for kind, _ in inner] == ["name", "lparen", "string", "rparen"] and inner[0][1] == "t"
                    and isinstance(text := strings.texts.get(key), str) and not PLACEHOLDER.search(text)):
                yield Token(pending[0].lineno, "data", str(strings.html(key)))
            else:
                yield from pending
            pending = []


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of the process (the preview compiles them once, not on
    every save). A template is reused only if its source is unchanged (Jinja checks that) and compiled with
    the same catalogue, since InlineStrings writes the catalogue's texts into the compiled code."""

    LIMIT = 256  # compiled templates kept (a preview session edits templates; the old versions go)

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        # Jinja also runs filters on constants when it compiles ('assets/x.css'|url is stored with the
        # base path in it), so the configuration is part of the key as well as the catalogue.
        strings: Strings = environment.interface_strings  # type: ignore[attr-defined]
        salt = repr((sorted(strings.texts.items()), environment.globals.get("site")))
        key = f"{hashlib.sha256(salt.encode()).hexdigest()}\0{name}"
        return super().get_bucket(environment, key, filename, source)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.store.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(self.store) >= self.LIMIT:
            self.store.pop(next(iter(self.store)))  # the oldest
        self.store[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledTemplates()


def make_environment(templates_dir: Path, config: SiteConfig, strings: Strings, labels: Labels) -> jinja2.Environment:
    """Jinja with autoescaping on and StrictUndefined, so a template typo fails instead of rendering blank.

    `t("key", name=value)` is the catalogue's text for `key` (README, "Interface strings").
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=[InlineStrings],
        bytecode_cache=_COMPILED,
        # Each build (and each preview rebuild) makes its own environment: a template cannot change under
        # one, and checking (a stat of base.html and macros.html for every page) would be wasted.
        auto_reload=False,
    )
    env.interface_strings = strings  # type: ignore[attr-defined]
    base = config.base_path

    def url(path: str) -> str:
        return base + path.lstrip("/")

    def angka(value: float) -> str:
        """A number as Indonesians write it: '2', '2,5'."""
        return f"{value:.1f}".replace(".", ",").removesuffix(",0")

    def script_json(group: str) -> Markup:
        """A catalogue group as JSON for a script's data- attribute, what `|tojson` makes of it (safe inside
        single quotes), made once per build instead of once per page."""
        return htmlsafe_json_dumps(strings.group(group), dumps=env.policies["json.dumps_function"],
                                   **env.policies["json.dumps_kwargs"])

    env.filters.update(tanggal=tanggal, url=url, short_name=short_name,
                       slugify=slugify, angka=angka)
    env.globals.update(
        site=config, base=base, t=strings.html, script_json=functools.cache(script_json),
        kind_labels=KIND_LABELS,
        level_labels=labels["level"], level_nouns=labels["level_noun"], status_labels=labels["status"],
        source_type_labels=labels["source_type"], addressee_labels=labels["addressee"],
        field_labels=labels["conflict_field"],
    )
    return env


def _template_problem(exc: Exception, templates_dir: Path) -> Problem:
    """Name the template file and line where rendering failed (Jinja rewrites tracebacks to them); for a
    missing interface string, the template line or the registry/ code line that asked for it."""
    line, where = 1, templates_dir
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        line, where = exc.lineno, Path(exc.filename)
    else:
        code, caller = Path(__file__).resolve().parent, None
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            filename = Path(frame.f_code.co_filename)
            if filename.suffix == ".html" and filename.is_relative_to(templates_dir.resolve()):
                line, where = lineno, filename
            elif filename.parent == code and filename.name != "strings.py":
                caller = (lineno, filename)  # the innermost line of registry/ code
        if isinstance(exc, MissingStringError) and where == templates_dir and caller:
            line, where = caller
    if isinstance(exc, MissingStringError):
        return Problem(display_path(where), line, 1, "strings", exc.message,
                       "every key a template or the code uses must be in templates/strings/<language>.yaml")
    message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
    return Problem(display_path(where), line, 1, "template", message)


def open_data(registry: Registry, config: SiteConfig, cited_as: dict[str, str], issued_text: dict[str, str],
              site_feeds: list[feeds.Feed], stamps: dict[str, dt.date], strings: Strings,
              labels: Labels, stop: Callable[[], bool] | None = None) -> Iterator[tuple[str, Data]]:
    """The exports and feeds (README, "Open data"), built from the registry, not from the pages, each file
    as soon as it is made (path, bytes, or the largest in pieces: write.Data): at 10,000 circulars they are
    about 90 MB, never held together. `stop`, asked every 200 circulars (a tenth of a second) and 50 feeds
    and between exports, abandons it (parallel.CancelledError); in a build, asking is also when the main
    process replaces render helpers that have run their share (parallel._share)."""
    for i, (path, data) in enumerate(export.circular_files(registry, config)):
        if i % 200 == 0:
            parallel.give_way(stop)
        yield path, data
    parallel.give_way(stop)
    yield "api/regions.json", export.regions_json(registry, config, {f.path for f in site_feeds})
    yield "api/jdihn.json", export.jdihn_json(registry, config, cited_as, stop)
    yield "api/schema.json", export.schema_json()
    parallel.give_way(stop)
    summaries: dict[str, str] = {}
    for i, (cid, e) in enumerate(registry.entries.items()):
        if i % 1000 == 0:
            parallel.give_way(stop)
        summaries[cid] = describe(e, cited_as, issued_text, strings, labels["relation"])
    made: dict[str, bytes] = {}
    for i, feed in enumerate(site_feeds):
        if i % 50 == 0:
            parallel.give_way(stop)
        yield feed.path, feeds.atom(feed, registry, config, cited_as, summaries, stamps, labels["level"], made)


class PerCircular(dict[str, str]):
    """A text for each circular id, made the first time it is asked for: the preview renders the few pages
    a reader opens right after each save, which need a few of 10,000."""

    def __init__(self, registry: Registry, make: Callable[[Circular], str]) -> None:
        super().__init__()
        self.entries, self.make = registry.entries, make

    def __missing__(self, cid: str) -> str:
        value = self[cid] = self.make(self.entries[cid].circular)
        return value


def _same_feeds(previous: Site, registry: Registry, config: SiteConfig, strings: Strings) -> bool:
    """Whether `registry` is the previous site's with some circulars swapped in (link.with_circulars: every
    grouping the very same object) and none of those is cited differently: then the list of feeds and the
    number index's shards are the previous site's (40 ms of the preview's check of a save at 10,000)."""
    before = previous.registry
    if previous.config != config or previous.strings is not strings or before.as_of != registry.as_of:
        return False
    if any(getattr(before, name) is not getattr(registry, name)
           for name in ("chronological", "directives", "regions", "issuers", "topics", "years", "synonyms")):
        return False
    if before.entries.keys() != registry.entries.keys():
        return False
    return all(short_name(e.circular) == previous.cited_as[cid] for cid, e in registry.entries.items()
               if e.circular is not before.entries[cid].circular)


class Site:
    """One build's site, ready to render: its plan, compiled templates and shared values.

    `render_all` makes every file (the build); `render_page` makes one page (the preview, on request).
    """

    def __init__(self, registry: Registry, config: SiteConfig, strings: Strings, templates_dir: Path,
                 static_dir: Path, previous: Site | None = None) -> None:
        self.registry, self.config, self.strings = registry, config, strings
        self.templates_dir, self.static_dir = templates_dir, static_dir
        self.labels = labels = labels_from(strings)
        env = make_environment(templates_dir.resolve(), config, strings, labels)
        env.globals.update(reg=registry, as_of=PartialDate(registry.as_of.year, registry.as_of.month,
                                                             registry.as_of.day))
        # Computed once and shared by the pages, the search index and the feeds.
        self.issued_text = PerCircular(registry, lambda c: tanggal(c.issued))
        self.cited_as = PerCircular(registry, short_name)
        if previous is not None and _same_feeds(previous, registry, config, strings):
            self.site_feeds, shards = previous.site_feeds, previous.plan.number_shards
        else:
            self.site_feeds = feeds.feeds_for(registry, self.cited_as, config.title, strings)
            shards = search.number_shard_count(registry)
        self.plan = SitePlan(registry, config, strings, labels, self.site_feeds, self.cited_as, self.issued_text,
                             shards)
        self.env = env
        self.templates: dict[str, jinja2.Template] = {}

    def compile(self) -> None:
        """Compile every template before any page is rendered (and before the workers are forked, so they
        share the compiled code): a syntax error is one problem, not one per page."""
        env = self.env
        row: dict[str, Any] = {}  # the row macro, set once macros.html is loaded (which needs list_item defined)
        env.globals["list_item"] = functools.cache(lambda cid, show_region: row["macro"](cid, show_region))
        row["macro"] = env.get_template("macros.html").module.circular_item  # type: ignore[attr-defined]
        self.templates = {name: env.get_template(name) for name in sorted({t for _, t in _FIXED_PAGES} | {
            "circulars.html", "circular.html", "tracker.html", "region.html", "issuer.html", "topic.html",
            "year.html", "directives.html", "region_directives.html"})}

    def describe(self, exc: Exception) -> Problem:
        """The template or code line a rendering error came from, as a problem."""
        return _template_problem(exc, self.templates_dir)

    def render_page(self, path: str) -> bytes | None:
        """One page as the build writes it, or None when the site has no page at `path`.

        Raises what rendering raised; `describe` turns it into a problem.
        """
        page = self.plan.page(path)
        if page is None:
            return None
        context = page.make()
        assert context is not None, "plan.page returns only pages that exist"
        return self.templates[page.template].render(page=page.path, **context).encode("utf-8")

    def render_file(self, path: str) -> bytes | None:
        """One page or static file as the build writes it, or None when it is something else (feeds,
        exports, documents) or not part of the site. Raises what rendering raised."""
        if path.startswith("assets/"):
            target = self.static_dir / path.removeprefix("assets/")
            inside = target.resolve().is_relative_to(self.static_dir.resolve())
            return target.read_bytes() if inside and target.is_file() else None
        return self.render_page(path)

    def render_all(self, workers: int = 1,
                   stop: Callable[[], bool] | None = None) -> tuple[dict[str, bytes], list[Problem]]:
        """The whole site as path -> bytes, held in memory (the preview, tests); see `render_into`."""
        files: dict[str, bytes] = {}
        problems = self.render_into(files.__setitem__, workers, stop=stop)
        return ({} if problems else files), problems

    def render_into(self, put: Callable[[str, Data], Any], workers: int = 1,
                    note: Callable[[str, Any], None] | None = None,
                    stop: Callable[[], bool] | None = None) -> list[Problem]:
        """Every page, the static files, documents, search indexes, exports and feeds, each handed to `put`
        (path, bytes) as soon as it is made, so a build never holds the whole site. With `note`, `put` is
        called in the worker process that made the file (it writes to disk: no file crosses between
        processes), with the largest exports in pieces (write.Data), and `note` (path, what `put`
        returned) here; without it, `put` is called here, always with bytes.
        `workers` > 1 renders in that many forked processes (see parallel.py); `stop` can abandon the work
        (parallel.CancelledError). When problems are returned, what was put is incomplete: discard it."""
        try:
            return self._render_into(put, note, workers, stop)
        except MissingStringError as exc:  # asked for by Python code (a template's is reported with its page)
            return [self.describe(exc)]

    def _open_data_task(self, stamps: dict[str, dt.date], out: Callable[[str, Data], Any],
                        stop: Callable[[], bool] | None) -> tuple[dict[str, Any], list[Problem]]:
        """The number index, exports and feeds, each handed to `out` as it is made (path -> what `out`
        returned), or the code line that asked for a string the catalogue lacks (found here, in the process
        that ran it, where the traceback is). `stop` may abandon it."""
        registry, config = self.registry, self.config
        made: dict[str, Any] = {}
        try:
            _, files = search.number_index(registry, config.base_path, self.issued_text, self.plan.words)
            for path, data in files.items():
                made[path] = out(path, data)
            for path, data in open_data(registry, config, self.cited_as, self.issued_text, self.site_feeds, stamps,
                                        self.strings, self.labels, stop):
                made[path] = out(path, data)
            return made, []
        except MissingStringError as exc:
            return {}, [self.describe(exc)]

    def _documents_task(self, ids: list[str], start: int, out: Callable[[str, bytes], Any],
                        stop: Callable[[], bool] | None) -> tuple[tuple[search.WordIndex, list[tuple[str, Any]]],
                                                                  list[Problem]]:
        """The word index's part for the circulars `ids` (numbered from `start`), and their `teks` files
        (path, bytes or what `out` returned)."""
        docs = search.documents(self.registry, ids, self.config.base_path, self.issued_text, self.plan.words, stop)
        part, texts = search.WordIndex(start), []
        for number, doc in enumerate(docs, start):
            path, data = search.text_file(number, doc)
            part.add(doc, path, hashlib.sha256(data).digest())
            texts.append((path, out(path, data)))
        return (part, texts), []

    def _render_into(self, put: Callable[[str, Data], Any], note: Callable[[str, Any], None] | None,
                     workers: int, stop: Callable[[], bool] | None) -> list[Problem]:
        registry, config = self.registry, self.config
        paths: list[str] = []  # every file's path, for the sitemap

        def out(path: str, data: Data) -> Any:  # in the process that made the file: what goes to `received`
            return joined(data) if note is None else put(path, data)

        def received(path: str, value: Any) -> None:  # here, for a file made in any process
            paths.append(path)
            if note is None:
                put(path, value)
            else:
                note(path, value)

        def emit(path: str, data: bytes) -> None:  # a file made here
            received(path, out(path, data))

        stamps = {cid: feeds.updated(e) for cid, e in registry.entries.items()}
        pages = self.plan.pages(stop, lists_last=workers <= 1)
        # The word index's per-circular part in runs of circulars, spread over the workers like the pages;
        # the index itself is then made here from their parts.
        order = search.index_order(registry)
        # The exports and feeds last: the documents are taken in order as they arrive, and would wait
        # behind them (held in memory) if they came first.
        others: list[Callable[[Callable[[], bool] | None], tuple[Any, list[Problem]]]] = [
            functools.partial(self._documents_task, order[i:i + DOCUMENTS_PER_TASK], i, out)
            for i in range(0, len(order), DOCUMENTS_PER_TASK)]
        others.append(functools.partial(self._open_data_task, stamps, out))
        index = search.WordIndex()
        last_part = len(others) - 2  # -1: no circulars, no parts

        def finish_index(between: Callable[[], bool] | None) -> None:
            for path, data in index.finish(between):
                emit(path, data)

        def take(i: int, result: Any, between: Callable[[], bool] | None) -> None:
            # The word index's parts, in order; then the number index, exports and feeds.
            if i > last_part:
                for path, value in result.items():
                    received(path, value)
                return
            part, texts = result
            index.merge(part)
            for path, value in texts:
                received(path, value)
            if i == last_part:  # made now, while the workers still render pages, not after them
                finish_index(between)

        if workers > 1:  # worked out here once, not again in each forked helper (fresh ones every few tasks)
            self.plan.position  # noqa: B018 - a cached property
        problems = parallel.render_pages(pages, self.templates, self.describe, others, workers, received, take,
                                         None if note is None else put, stop)
        if problems:
            return problems
        del pages
        parallel.give_way(stop)
        if last_part < 0:
            finish_index(stop)
        for path in sorted(self.static_dir.rglob("*")) if self.static_dir.is_dir() else []:
            if path.is_file():
                emit("assets/" + path.relative_to(self.static_dir).as_posix(), path.read_bytes())
        for cid, entry in registry.entries.items():
            for doc in entry.circular.documents:
                if doc.local_path:  # checked to exist, inside the repository, in phase one
                    emit(f"dokumen/{cid}/{doc.site_name}", Path(doc.local_path).read_bytes())
        lastmod = {f"edaran/{cid}/index.html": day for cid, day in stamps.items()}
        if (site_map := feeds.sitemap(paths, config, lastmod)) is not None:
            emit("sitemap.xml", site_map)
        emit("robots.txt", feeds.robots(config))
        return []


def prepare(registry: Registry, config: SiteConfig, strings: Strings, templates_dir: Path,
            static_dir: Path, previous: Site | None = None) -> tuple[Site | None, list[Problem]]:
    """The site ready to render, or the problem that stops it (a template that does not compile, a string
    the code asks for that the catalogue lacks). `previous`: the preview's last site, whose feed list is
    kept when the registry differs from its only in circulars swapped in."""
    try:
        site = Site(registry, config, strings, templates_dir, static_dir, previous)
    except MissingStringError as exc:  # asked for by Python code (a template's is reported with its page)
        return None, [_template_problem(exc, templates_dir)]
    try:
        site.compile()
    except Exception as exc:  # a syntax error, or an error running macros.html's top level
        return None, [_template_problem(exc, templates_dir)]
    return site, []


def render(registry: Registry, config: SiteConfig, strings: Strings, templates_dir: Path,
           static_dir: Path, workers: int = 1) -> tuple[dict[str, bytes], list[Problem]]:
    """Render every page, copy static files and add the data export: the whole site as path -> bytes."""
    site, problems = prepare(registry, config, strings, templates_dir, static_dir)
    if site is None:
        return {}, problems
    return site.render_all(workers)
