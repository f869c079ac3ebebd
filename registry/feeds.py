"""Files for feed readers and crawlers: Atom feeds (their frame built with an XML library, the entries as the same
bytes in text), `sitemap.xml`, `robots.txt`."""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

from .config import SiteConfig
from .export import page_url
from .link import Entry, Registry, lists_implementations
from .model import PartialDate
from .strings import Strings

ATOM = "http://www.w3.org/2005/Atom"
# Entry and feed ids are URNs derived from the circular's permanent id, so they survive a move of the site
# to another address (an id that changes makes every reader show every entry again as new).
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/register-edaran")
# A feed carries the newest entries; the complete lists are in api/circulars.json and api/circulars.csv.
FEED_LIMIT = 100


@dataclass(frozen=True)
class Feed:
    """One Atom feed: where it goes, what it is called, which page it belongs to, and its circulars."""

    path: str  # e.g. "wilayah/33/feed.xml"
    title: str
    subtitle: str
    page: str  # the HTML page it follows, e.g. "wilayah/33/"
    ids: tuple[str, ...]
    fallback: PartialDate  # the feed's `updated` when it has no entries yet (a directive nobody followed)


def urn(name: str) -> str:
    """A permanent Atom id: 'urn:uuid:...' from a name such as 'edaran/se-menpanrb-19-2020'."""
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, name)}"


def updated(entry: Entry) -> dt.date:
    """When a record last changed, from its content: the latest of its issue date and its sources' dates.
    Never the build time, so two builds of the same content are byte-identical."""
    c = entry.circular
    dates = [c.issued.earliest] + [d.earliest for s in c.sources for d in (s.published, s.retrieved) if d]
    return max(dates)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def feeds_for(registry: Registry, cited_as: dict[str, str], site_title: str, strings: Strings) -> list[Feed]:
    """The whole registry, every region page, and every circular whose page lists its implementations."""
    first = registry.entries[registry.chronological[0]].circular.issued if registry.chronological \
        else PartialDate(registry.as_of.year, registry.as_of.month, registry.as_of.day)
    feeds = [Feed("feed.xml", site_title, strings.text("feed.site_subtitle"),
                  "", tuple(registry.entries), first)]
    central = strings.text("region.central")
    for code, group in registry.regions.items():
        name = central if code == "ID" else group.region.name
        subtitle = (strings.text("feed.region_subtitle_within", name=name) if group.within
                    else strings.text("feed.region_subtitle", name=name))
        feeds.append(Feed(f"wilayah/{code}/feed.xml", strings.text("feed.region_title", site=site_title, name=name),
                          subtitle, f"wilayah/{code}/", group.own + group.within, first))
    for cid, entry in registry.entries.items():
        if lists_implementations(entry.circular, bool(entry.implemented_by)):
            followers = entry.implemented_by + entry.amended_by + entry.extended_by + entry.revoked_by
            feeds.append(Feed(f"edaran/{cid}/feed.xml", strings.text("feed.circular_title", name=cited_as[cid]),
                              strings.text("feed.circular_subtitle", name=cited_as[cid]),
                              f"edaran/{cid}/", tuple(dict.fromkeys(followers)), entry.circular.issued))
    return feeds


def _text(value: str) -> str:
    """Character data escaped as ElementTree escapes it."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def _attr(value: str) -> str:
    """An attribute value escaped as ElementTree escapes it (double-quoted)."""
    value = _text(value)
    for raw, escaped in (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        if raw in value:
            value = value.replace(raw, escaped)
    return value


def _entry_xml(entry: Entry, registry: Registry, config: SiteConfig, cited_as: dict[str, str], summary: str,
               stamp: dt.date, level_labels: dict[str, str]) -> bytes:
    """One <entry>, indented as a child of <feed>, without the whitespace after it: the same bytes
    ElementTree writes for it (tests/test_untrusted.py holds them to that), made as text because a feed's
    entries are most of its work (11,000 of them at 10,000 circulars, three times as fast this way)."""
    c = entry.circular
    page, data = page_url(f"edaran/{c.id}/", config), page_url(f"api/edaran/{c.id}.json", config)
    lines = ["<entry>",
             f"<id>{urn(f'edaran/{c.id}')}</id>",
             f"<title>{_text(f'{cited_as[c.id]}: {c.title}')}</title>",
             f'<link rel="alternate" type="text/html" href="{_attr(page)}" />',
             f'<link rel="related" type="application/json" href="{_attr(data)}" />']
    if c.issued.full:  # a date known only to the month would be a made-up day here
        lines.append(f"<published>{_stamp(c.issued.full)}</published>")
    lines.append(f"<updated>{_stamp(stamp)}</updated>")
    lines.append(f'<category term="{_attr(c.region.level)}" label="{_attr(level_labels[c.region.level])}" />')
    for topic in c.topics:
        lines.append(f'<category term="{_attr(topic)}" label="{_attr(registry.topics[topic].name)}" />')
    lines.append(f'<summary type="text">{_text(summary)}</summary>' if summary else '<summary type="text" />')
    return ("\n    ".join(lines) + "\n  </entry>").encode("utf-8")


# Stands for the entries while the rest of a feed is serialised (a name no feed element has).
_ENTRIES = "register-edaran-entries"


def atom(feed: Feed, registry: Registry, config: SiteConfig, cited_as: dict[str, str],
         summaries: dict[str, str], stamps: dict[str, dt.date], level_labels: dict[str, str],
         made: dict[str, bytes] | None = None) -> bytes:
    """One feed as RFC 4287 Atom, newest entries first. `summaries` and `stamps` (each circular's
    `updated`) are computed once for all feeds, since a circular is in up to three of them; `level_labels`
    name the level category of each entry. `made` keeps each entry's XML for the next feed that has it."""
    made = {} if made is None else made
    entries = sorted((registry.entries[i] for i in feed.ids),
                     key=lambda e: (stamps[e.id], e.circular.issued.latest, e.id), reverse=True)[:FEED_LIMIT]
    # Unqualified names under an xmlns attribute: ElementTree would otherwise invent an "ns0:" prefix.
    root = ET.Element("feed", {"xmlns": ATOM, "{http://www.w3.org/XML/1998/namespace}lang": config.language})
    ET.SubElement(root, "id").text = urn(feed.path)
    ET.SubElement(root, "title").text = feed.title
    ET.SubElement(root, "subtitle").text = feed.subtitle
    ET.SubElement(root, "link", rel="self", type="application/atom+xml",
                  href=page_url(feed.path, config))
    ET.SubElement(root, "link", rel="alternate", type="text/html", href=page_url(feed.page, config))
    ET.SubElement(root, "updated").text = _stamp(
        max((stamps[e.id] for e in entries), default=feed.fallback.earliest))
    author = ET.SubElement(root, "author")
    ET.SubElement(author, "name").text = config.title
    ET.SubElement(author, "uri").text = page_url("", config)
    if entries:
        ET.SubElement(root, _ENTRIES)
    ET.indent(root)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    if not entries:
        return xml
    for e in entries:
        if e.id not in made:
            made[e.id] = _entry_xml(e, registry, config, cited_as, summaries[e.id], stamps[e.id], level_labels)
    # The entries are serialised once for all the feeds they are in, and put where the stand-in is.
    return xml.replace(f"<{_ENTRIES} />".encode(), b"\n  ".join(made[e.id] for e in entries), 1)


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(pages: Iterable[str], config: SiteConfig, lastmod: dict[str, dt.date]) -> bytes | None:
    """`sitemap.xml` for every HTML page (not 404.html), or None when no full base URL is configured:
    the sitemap protocol needs absolute URLs, and a path alone does not say on which host the site is.
    `lastmod` (circular pages) comes from the content's dates, like a feed entry's `updated`."""
    base = config.absolute_base
    if base is None:
        return None
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    for page in sorted(pages):
        if page.endswith(".html") and page != "404.html":
            url = ET.SubElement(root, "url")
            ET.SubElement(url, "loc").text = base + page.removesuffix("index.html")
            if page in lastmod:
                ET.SubElement(url, "lastmod").text = lastmod[page].isoformat()
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(config: SiteConfig) -> bytes:
    """`robots.txt`: everything may be crawled; it names the sitemap when there is one."""
    lines = ["User-agent: *", "Allow: /"]
    if config.absolute_base:
        lines.append(f"Sitemap: {config.absolute_base}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")
