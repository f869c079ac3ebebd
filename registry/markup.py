"""Markdown bodies to safe HTML: headings moved under the page's own, internal links found and prefixed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import escape

import markdown
import nh3
from markdown import inlinepatterns, util
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor, Treeprocessor

# What legal text needs, and nothing that can run script or restyle the page.
ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody",
                "tr", "th", "td", "em", "strong", "a", "blockquote", "code", "pre", "hr", "sub", "sup", "del"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# nh3 serialises every attribute as name="value", so the final HTML can be read with a pattern.
_ROOT_HREF = re.compile(r'href="/(?!/)([^"]*)"')


class _ShiftHeadings(Treeprocessor):
    """The page title is the only h1: a body's '#' becomes h2, '##' h3, and so on."""

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            if el.tag in ("h1", "h2", "h3", "h4", "h5"):
                el.tag = f"h{int(el.tag[1]) + 1}"


class _ShiftHeadingsExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 0)


# What each of Python-Markdown's own inline patterns needs in a text to match at all, keyed by the name it
# registers the pattern under, with the expression it registers: a pattern that is not exactly this one
# (another extension's, or a later Markdown's) is always tried.
_PATTERN_NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "backtick": (inlinepatterns.BACKTICK_RE, ("`",)),
    "escape": (inlinepatterns.ESCAPE_RE, ("\\",)),
    "reference": (inlinepatterns.REFERENCE_RE, ("[",)),
    "link": (inlinepatterns.LINK_RE, ("[",)),
    "image_link": (inlinepatterns.IMAGE_LINK_RE, ("![",)),
    "image_reference": (inlinepatterns.IMAGE_REFERENCE_RE, ("![",)),
    "short_reference": (inlinepatterns.REFERENCE_RE, ("[",)),
    "short_image_ref": (inlinepatterns.IMAGE_REFERENCE_RE, ("![",)),
    "autolink": (inlinepatterns.AUTOLINK_RE, ("<",)),
    "automail": (inlinepatterns.AUTOMAIL_RE, ("<",)),
    "linebreak": (inlinepatterns.LINE_BREAK_RE, ("  \n",)),
    "html": (inlinepatterns.HTML_RE, ("<",)),
    "entity": (inlinepatterns.ENTITY_RE, ("&",)),
}


def _needs(name: str, pattern: inlinepatterns.Pattern) -> tuple[str, ...] | None:
    """The texts one of which must occur for `pattern` to match, or None when it must always be tried."""
    if type(pattern).__module__ != inlinepatterns.__name__:
        return None
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):  # '*' and '_' emphasis: its delimiters
        return tuple(pattern.tokens)
    known = _PATTERN_NEEDS.get(name)
    return known[1] if known is not None and pattern.pattern == known[0] else None


class _SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's inline step, which tries each of its 14 patterns' expressions on every run of text:
    here a pattern whose marks are not in the text at all (no '[' for a link, no '`' for code) is passed
    over as not matching, which is what trying it would find. Most of a circular is plain words, so this
    takes a quarter off converting it; the HTML is the same (tests/test_markup.py compares every body)."""

    _guarded: list[tuple[inlinepatterns.Pattern, tuple[str, ...] | None]]

    def run(self, tree: ET.Element, ancestors: list[str] | None = None) -> ET.Element:
        patterns = self.inlinePatterns
        names = {patterns.get_index_for_name(name): name for name in _PATTERN_NEEDS if name in patterns}
        # In the registry's order, as the base class takes them by index (a registry lookup each time).
        self._guarded = [(pattern, _needs(names.get(i, ""), pattern)) for i, pattern in enumerate(patterns)]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, index: int = 0) -> str:  # noqa: N802
        # The base class's loop (treeprocessors.InlineProcessor.__handleInline), with the check added.
        if isinstance(data, util.AtomicString):
            return data
        guarded, apply = self._guarded, self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        while index < len(guarded):
            pattern, needs = guarded[index]
            if needs is not None:
                for text in needs:
                    if text in data:
                        break
                else:  # none of its marks: it cannot match
                    index, start = index + 1, 0
                    continue
            data, matched, start = apply(pattern, data, index, start)
            if not matched:
                index += 1
        return data


class _SkippingInlineExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        md.treeprocessors.register(_SkippingInlineProcessor(md), "inline", 20)  # replaces the stock one


def make_converter(skip_patterns: bool = True) -> markdown.Markdown:
    """One reusable converter (creating one per page costs more than converting). `skip_patterns=False`:
    Python-Markdown's own inline step (what the tests compare against)."""
    extensions: list[str | Extension] = ["tables", "sane_lists", _ShiftHeadingsExtension()]
    if skip_patterns:
        extensions.append(_SkippingInlineExtension())
    return markdown.Markdown(extensions=extensions, output_format="html")


MAX_BODY = 8 * 1024 * 1024  # a 5 MB body (a long regulation pasted whole) builds; far past that is an attack
# Python-Markdown's inline work grows faster than the number of marks: 50,000 emphases in 5 MB take 2.5 s,
# a million take minutes. Real bodies have a few per paragraph.
MAX_MARKS = 200_000
MARK_CHARS = "*_`[<"
MAX_BRACKETS_PER_LINE = 200  # Python-Markdown's link patterns slow down quadratically on runs of '['
MAX_LIST_DEPTH = 20
_LIST_MARKERS = re.compile(r"^(?:\s*(?:[-*+]|\d+[.)])[ \t]+){" + str(MAX_LIST_DEPTH + 1) + ",}")


def too_complex(body: str) -> tuple[int, int, str] | None:
    """(0-based line, 1-based col, why) when a body would make the Markdown parser crash or stall."""
    if len(body) > MAX_BODY:
        return 0, 1, f"the body is over {MAX_BODY // (1024 * 1024)} MB"
    if sum(body.count(ch) for ch in MARK_CHARS) > MAX_MARKS:
        return 0, 1, f"it has more than {MAX_MARKS:,} Markdown marks ({' '.join(MARK_CHARS)})"
    indent_limit = 4 * MAX_LIST_DEPTH
    for i, line in enumerate(body.split("\n")):
        if line.count("[") > MAX_BRACKETS_PER_LINE:
            return i, line.index("[") + 1, f"more than {MAX_BRACKETS_PER_LINE} '[' on one line"
        if _LIST_MARKERS.match(line) or len(line) - len(line.lstrip(" \t")) > indent_limit:
            return i, 1, f"lists are nested more than {MAX_LIST_DEPTH} deep"
    return None


def to_html(converter: markdown.Markdown, body: str) -> str:
    """Convert and sanitise one body; raw HTML that is not on the allow-list is removed.

    Root-relative links ("/edaran/x/") stay root-relative here; `with_base` prefixes them per site.
    """
    html = converter.reset().convert(body)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")


def internal_links(html: str) -> list[str]:
    """Root-relative link targets in sanitised HTML, in order (Markdown, reference-style and raw HTML alike)."""
    return ["/" + m.group(1) for m in _ROOT_HREF.finditer(html)]


_ANY_HREF = re.compile(r'href="([^"]*)"')


def relative_links(html: str) -> list[str]:
    """Links with neither a scheme nor a leading '/' or '#': they resolve differently on each page."""
    return [h for h in _ANY_HREF.findall(html)
            if h and not h.startswith(("/", "#")) and ":" not in h.split("/", 1)[0]]


def wrap_tables(html: str, label: str) -> str:
    """Put each table of a body in a focusable, labelled box that scrolls sideways on a phone (the page
    itself must not). nh3 writes every table tag bare, so the tag can be matched as text."""
    if "<table>" not in html:
        return html
    box = f'<div class="table-wrap" tabindex="0" role="region" aria-label="{escape(label, quote=True)}"><table>'
    return html.replace("<table>", box).replace("</table>", "</table></div>")


def with_base(html: str, base_path: str) -> str:
    """Prefix root-relative links with the path the site is served under, e.g. '/register-edaran/'."""
    if base_path == "/":
        return html
    return _ROOT_HREF.sub(lambda m: f'href="{base_path}{m.group(1)}"', html)
