"""Stage 4: plan every page of the site and render it into memory (nothing is written here)."""

from __future__ import annotations

import datetime as dt
import functools
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import jinja2.ext
from babel.dates import format_date
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup

from . import charts, coverage, export, feeds, markup, parallel, search
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


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template renders it, and with what."""

    path: str  # relative to the site root, e.g. "edaran/se-menpanrb-19-2020/index.html"
    template: str
    context: dict[str, Any]


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


def plan(registry: Registry, config: SiteConfig, bodies: dict[str, str], number_shards: int,
         site_feeds: list[feeds.Feed], cited_as: dict[str, str], issued_text: dict[str, str],
         strings: Strings, labels: Labels, workers: int = 1) -> list[Page]:
    """Every HTML page of the site, in a fixed order."""
    feed_of = {f.page: f for f in site_feeds}
    pages = [Page("index.html", "home.html", {
        "latest": tuple(reversed(registry.chronological))[:LATEST_ON_HOME]}),
        Page("data/index.html", "data.html", {"feed_count": len(site_feeds)}),
        Page("edaran/index.html", "circulars.html", {}),
        Page("wilayah/index.html", "regions.html", {}),
        Page("penerbit/index.html", "issuers.html", {}),
        Page("topik/index.html", "topics.html", {}),
        Page("tahun/index.html", "years.html", {}),
        Page("404.html", "404.html", {})]
    # Computed once for the whole site: each circular's search fields (its page and the facet lists of
    # /cari/ both use them), who each directive is owed by, and who has implemented it.
    words = search.words_from(labels, strings)
    ids = list(registry.entries)
    fields = dict(zip(ids, parallel.map_ordered(  # reads every body: worth both cores
        lambda cid: search.search_fields(registry.entries[cid], registry, issued_text[cid], words), ids, workers),
        strict=True))
    pages.insert(-1, Page("cari/index.html", "search.html", {
        "facets": search.facet_options(fields.values(), words), "facet_labels": labels["facet"],
        "number_shards": number_shards}))
    owed = coverage.owed(registry)
    recorded = coverage.recorded(registry)
    position = coverage.chronological_positions(registry)
    for cid, entry in registry.entries.items():
        tracker = _tracker_view(entry, registry, config, owed, cited_as[cid], strings, position)
        pages.append(Page(f"edaran/{cid}/index.html", "circular.html", {
            "entry": entry, "c": entry.circular, "body": bodies[cid],
            "relations": _relations_view(entry, registry, entry.is_directive or bool(entry.implemented_by),
                                         labels["relation"]),
            **tracker,
            **_repository_links(entry, config, cited_as[cid], strings),
            "search": fields[cid],
            "page_feeds": [f for f in (feed_of.get(f"edaran/{cid}/"),
                                       feed_of.get(f"wilayah/{entry.circular.region.code}/")) if f],
            "jsonld": export.legislation(entry, registry, config, cited_as)}))
        if tracker["tracker_page"]:
            pages.append(Page(f"edaran/{cid}/pelaksanaan/index.html", "tracker.html",
                              {"entry": entry, "c": entry.circular, **tracker}))
    codes = coverage.owed_codes(owed)
    for code, group in registry.regions.items():
        pages.append(Page(f"wilayah/{code}/index.html", "region.html", {
            "page_feeds": [feed_of[f"wilayah/{code}/"]],
            "group": group, "directives": coverage.region_directives(code, registry, codes, recorded),
            "children": coverage.children(code, registry) if group.region.level == "provinsi" else ()}))
    for slug, group in registry.issuers.items():
        pages.append(Page(f"penerbit/{slug}/index.html", "issuer.html", {"group": group}))
    for slug, group in registry.topics.items():
        pages.append(Page(f"topik/{slug}/index.html", "topic.html", {"group": group}))
    for year, ids in registry.years.items():
        pages.append(Page(f"tahun/{year}/index.html", "year.html", {"year": year, "ids": ids}))
    return pages


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
    )
    env.interface_strings = strings  # type: ignore[attr-defined]
    base = config.base_path

    def url(path: str) -> str:
        return base + path.lstrip("/")

    def angka(value: float) -> str:
        """A number as Indonesians write it: '2', '2,5'."""
        return f"{value:.1f}".replace(".", ",").removesuffix(",0")

    env.filters.update(tanggal=tanggal, url=url, short_name=short_name,
                       slugify=slugify, angka=angka)
    env.globals.update(
        site=config, base=base, t=strings.html, script_strings=functools.cache(strings.group),
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
              labels: Labels) -> dict[str, bytes]:
    """The exports and feeds (README, "Open data"), built from the registry, not from the pages."""
    records = export.records(registry, config)
    files = {"api/circulars.json": export.circulars_json(registry, records),
             **export.circular_files(registry, records),
             "api/regions.json": export.regions_json(registry, config, {f.path for f in site_feeds}),
             "api/circulars.csv": export.circulars_csv(records),
             "api/jdihn.json": export.jdihn_json(registry, config, cited_as),
             "api/schema.json": export.schema_json()}
    summaries = {cid: describe(e, cited_as, issued_text, strings, labels["relation"])
                 for cid, e in registry.entries.items()}
    made: dict[str, bytes] = {}
    for feed in site_feeds:
        files[feed.path] = feeds.atom(feed, registry, config, cited_as, summaries, stamps, labels["level"], made)
    return files


def _open_data_or_problem(registry: Registry, config: SiteConfig, cited_as: dict[str, str],
                          issued_text: dict[str, str], site_feeds: list[feeds.Feed], stamps: dict[str, dt.date],
                          strings: Strings, labels: Labels,
                          templates_dir: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """open_data, or the code line that asked for a string the catalogue lacks (found here, in the process
    that ran it, where the traceback is)."""
    try:
        return open_data(registry, config, cited_as, issued_text, site_feeds, stamps, strings, labels), []
    except MissingStringError as exc:
        return {}, [_template_problem(exc, templates_dir)]


def render(registry: Registry, config: SiteConfig, strings: Strings, templates_dir: Path,
           static_dir: Path, workers: int = 1) -> tuple[dict[str, bytes], list[Problem]]:
    """Render every page, copy static files and add the data export: the whole site as path -> bytes.

    `workers` > 1 renders the pages in that many forked processes (see parallel.py).
    """
    try:
        return _render(registry, config, strings, templates_dir, static_dir, workers)
    except MissingStringError as exc:  # asked for by Python code (a template's is reported with its page)
        return {}, [_template_problem(exc, templates_dir)]


def _render(registry: Registry, config: SiteConfig, strings: Strings, templates_dir: Path,
            static_dir: Path, workers: int) -> tuple[dict[str, bytes], list[Problem]]:
    table_label = strings.text("circular.body_table")
    bodies = {cid: markup.wrap_tables(markup.with_base(e.circular.body_html, config.base_path), table_label)
              for cid, e in registry.entries.items()}
    labels = labels_from(strings)
    env = make_environment(templates_dir.resolve(), config, strings, labels)
    env.globals.update(reg=registry, as_of=PartialDate(registry.as_of.year, registry.as_of.month,
                                                         registry.as_of.day))
    # Computed once and shared by the pages, the search index and the feeds.
    issued_text = {cid: tanggal(e.circular.issued) for cid, e in registry.entries.items()}
    cited_as = {cid: short_name(e.circular) for cid, e in registry.entries.items()}
    stamps = {cid: feeds.updated(e) for cid, e in registry.entries.items()}
    number_shards, files = search.number_index(registry, config.base_path, issued_text,
                                               search.words_from(labels, strings))
    site_feeds = feeds.feeds_for(registry, cited_as, config.title, strings)
    pages = plan(registry, config, bodies, number_shards, site_feeds, cited_as, issued_text, strings, labels,
                 workers)
    # Every template is compiled before any page is rendered (and before the workers are forked, so they
    # share the compiled code): a syntax error is one problem, not one per page.
    row: dict[str, Any] = {}  # the row macro, set once macros.html is loaded (which needs list_item defined)
    env.globals["list_item"] = functools.cache(lambda cid, show_region: row["macro"](cid, show_region))
    try:
        row["macro"] = env.get_template("macros.html").module.circular_item  # type: ignore[attr-defined]
        templates = {name: env.get_template(name) for name in sorted({page.template for page in pages})}
    except Exception as exc:
        return {}, [_template_problem(exc, templates_dir)]
    rendered, problems, data = parallel.render_pages(
        pages, templates, lambda exc: _template_problem(exc, templates_dir),
        lambda: _open_data_or_problem(registry, config, cited_as, issued_text, site_feeds, stamps, strings, labels,
                                      templates_dir), workers)
    files.update(rendered)
    for path in sorted(static_dir.rglob("*")) if static_dir.is_dir() else []:
        if path.is_file():
            files["assets/" + path.relative_to(static_dir).as_posix()] = path.read_bytes()
    for cid, entry in registry.entries.items():
        for doc in entry.circular.documents:
            if doc.local_path:  # checked to exist, inside the repository, in phase one
                files[f"dokumen/{cid}/{doc.site_name}"] = Path(doc.local_path).read_bytes()
    files.update(data)
    lastmod = {f"edaran/{cid}/index.html": day for cid, day in stamps.items()}
    if (site_map := feeds.sitemap(list(files), config, lastmod)) is not None:
        files["sitemap.xml"] = site_map
    files["robots.txt"] = feeds.robots(config)
    return files, problems

