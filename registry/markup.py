"""Markdown bodies to safe HTML: headings moved under the page's own, internal links found and prefixed."""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html import escape

import markdown
import nh3
from markdown import blockparser, blockprocessors, inlinepatterns, util
from markdown.extensions import Extension
from markdown.extensions.tables import TableProcessor
from markdown.preprocessors import HtmlBlockPreprocessor, NormalizeWhitespace
from markdown.treeprocessors import InlineProcessor, Treeprocessor, UnescapeTreeprocessor

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
    _made_for: tuple[int, ...] = ()  # the patterns `_guarded` was made for (ids, in order)

    def run(self, tree: ET.Element, ancestors: list[str] | None = None) -> ET.Element:
        patterns = self.inlinePatterns
        current = tuple(map(id, patterns))
        if current != self._made_for:  # once per converter, not once per body: the registry stays as it is
            names = {patterns.get_index_for_name(name): name for name in _PATTERN_NEEDS if name in patterns}
            # In the registry's order, as the base class takes them by index (a registry lookup each time).
            self._guarded = [(pattern, _needs(names.get(i, ""), pattern)) for i, pattern in enumerate(patterns)]
            self._made_for = current
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


class _SkippingNormalizeWhitespace(NormalizeWhitespace):
    """Python-Markdown's first step, whose last expression (spaces alone on a line, after a line end) looks
    behind every character of the text: here it runs only when the text has a space before a line end,
    which it needs to match. Otherwise the code is Python-Markdown's own (checked: `_normalize_is_known`)."""

    def run(self, lines: list[str]) -> list[str]:
        source = '\n'.join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(self.md.tab_length)
        if " \n" in source:
            source = re.sub(r'(?<=\n) +\n', '\n', source)
        return source.split('\n')


# NormalizeWhitespace.run of the Markdown the copy above was made from: another version's is used as it is.
_NORMALIZE_SOURCE = "a99bc2f9e0d83abcd6a7155a5637176e74280f85190e3e05eb1ad20ee5366d2f"


def _normalize_is_known() -> bool:
    try:
        source = inspect.getsource(NormalizeWhitespace.run)
    except (OSError, TypeError):  # installed without its source
        return False
    return hashlib.sha256(source.encode()).hexdigest() == _NORMALIZE_SOURCE


class _SkippingHtmlBlock(HtmlBlockPreprocessor):
    """The raw HTML step feeds the whole text to an HTML parser, which hands a text with no '<' and no '&'
    back as it was, in one piece: such a text (most circulars) is passed on as it is."""

    def run(self, lines: list[str]) -> list[str]:
        for line in lines:
            if "<" in line or "&" in line:
                return super().run(lines)
        return lines


class _SkippingUnescape(UnescapeTreeprocessor):
    """The last tree step looks for the placeholders of backslash escapes in every text of the tree: a
    text without the placeholders' start mark is left as it is, as the expression would find nothing."""

    def unescape(self, text: str) -> str:
        return super().unescape(text) if util.STX in text else text


class _SkippingExtension(Extension):
    """The steps above in place of Python-Markdown's own, each only where it is exactly the stock one."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        md.treeprocessors.register(_SkippingInlineProcessor(md), "inline", 20)  # replaces the stock one
        if type(md.treeprocessors["unescape"]) is UnescapeTreeprocessor:
            md.treeprocessors.register(_SkippingUnescape(md), "unescape", 0)
        if type(md.preprocessors["html_block"]) is HtmlBlockPreprocessor:
            md.preprocessors.register(_SkippingHtmlBlock(md), "html_block", 20)
        if type(md.preprocessors["normalize_whitespace"]) is NormalizeWhitespace and _normalize_is_known():
            md.preprocessors.register(_SkippingNormalizeWhitespace(md), "normalize_whitespace", 30)


# What each of Python-Markdown's own block processors needs in a block for its test to pass, keyed by its class,
# with the expression it tests with: a processor that is not exactly this one is always tested. (The
# setext heading's expression is matched from the block's start, so its underline follows a line end.)
_BLOCK_NEEDS: dict[type, tuple[str | None, tuple[str, ...]]] = {
    blockprocessors.HashHeaderProcessor: (blockprocessors.HashHeaderProcessor.RE.pattern, ("#",)),
    blockprocessors.SetextHeaderProcessor: (blockprocessors.SetextHeaderProcessor.RE.pattern, ("\n=", "\n-")),
    # Three or more of one mark, each run apart from the next by at most two spaces.
    blockprocessors.HRProcessor: (blockprocessors.HRProcessor.SEARCH_RE.pattern,
                                  tuple(f"{mark}{gap}{mark}" for mark in "-_*" for gap in ("", " ", "  "))),
    blockprocessors.BlockQuoteProcessor: (blockprocessors.BlockQuoteProcessor.RE.pattern, (">",)),
    # Its test always passes; its run puts the block back and says False when the expression finds nothing.
    blockprocessors.ReferenceProcessor: (blockprocessors.ReferenceProcessor.RE.pattern, ("]:",)),
    TableProcessor: (None, ("|",)),  # a table's header row and every row need a '|'
}


def _block_needs(processor: blockprocessors.BlockProcessor) -> tuple[str, ...] | None:
    """The texts one of which a block must hold for `processor` to take it, or None: always tested."""
    known = _BLOCK_NEEDS.get(type(processor))
    if known is None:
        return None
    expected, needs = known
    regex = getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None)
    return needs if expected is None or getattr(regex, "pattern", None) == expected else None


def _guarded_blocks(parser: blockparser.BlockParser) -> list[tuple[blockprocessors.BlockProcessor,
                                                                   tuple[str, ...] | None]]:
    """The parser's block processors in the order it tries them, each with the marks it needs (`_block_needs`)."""
    return [(processor, _block_needs(processor)) for processor in parser.blockprocessors]


def _skipping_parse_blocks(parser: blockparser.BlockParser) -> Callable[[ET.Element, list[str]], None]:
    """BlockParser.parseBlocks, which tests every block with each of 12 processors in turn (most of them
    searching the whole block with an expression): here a processor whose marks are not in the block
    (no '#' for a heading, no '|' for a table) is passed over, as its test would fail. About a quarter off
    converting a circular; the HTML is the same (tests/test_markup.py)."""
    guarded: list[tuple[blockprocessors.BlockProcessor, tuple[str, ...] | None]] = []

    def parse_blocks(parent: ET.Element, blocks: list[str]) -> None:
        if [p for p, _ in guarded] != list(parser.blockprocessors):  # made once: the processors stay the same
            guarded[:] = _guarded_blocks(parser)
        while blocks:
            for processor, needs in guarded:
                if needs is not None:
                    block = blocks[0]  # as the base class reads it: a run that says False may change it
                    for text in needs:
                        if text in block:
                            break
                    else:
                        continue
                if processor.test(parent, blocks[0]) and processor.run(parent, blocks) is not False:
                    break

    return parse_blocks


def make_converter(skip_patterns: bool = True) -> markdown.Markdown:
    """One reusable converter (creating one per page costs more than converting). `skip_patterns=False`:
    Python-Markdown's own inline step (what the tests compare against)."""
    extensions: list[str | Extension] = ["tables", "sane_lists", _ShiftHeadingsExtension()]
    if skip_patterns:
        extensions.append(_SkippingExtension())
    converter = markdown.Markdown(extensions=extensions, output_format="html")
    if skip_patterns:  # the processors' own methods call it on the parser, so an attribute of it replaces it
        converter.parser.parseBlocks = _skipping_parse_blocks(converter.parser)  # type: ignore[method-assign]
    return converter


MAX_BODY = 8 * 1024 * 1024  # a 5 MB body (a long regulation pasted whole) builds; far past that is an attack
# Python-Markdown's inline work grows faster than the number of marks: 50,000 emphases in 5 MB take 2.5 s,
# a million take minutes. Real bodies have a few per paragraph.
MAX_MARKS = 200_000
MARK_CHARS = "*_`[<"
MAX_BRACKETS_PER_LINE = 200  # Python-Markdown's link patterns slow down quadratically on runs of '['
MAX_LIST_DEPTH = 20
# More list markers at the start of a line than lists may be nested. Each marker takes exactly one space or tab
# after it and then any whitespace, so there is one way to read a line of markers: with '[ \t]+' after a marker
# and '\s*' before the next, a line of 18 markers four spaces apart could be read 4^17 ways, all of them tried
# before the line is found to hold too few (the build hung).
_MARK = r"(?:[-*+]|\d+[.)])[ \t]"  # a list mark and the one space or tab it takes
_LIST_MARKERS = re.compile(r"^\s*(?:" + _MARK + r"\s*){" + str(MAX_LIST_DEPTH + 1) + ",}")
# Either of the nesting checks below on any line of a body at once (whitespace but a line end stands for `\s`,
# as a line holds none): a body that passes (nearly all) is not looked at line by line.
_NESTED_ANYWHERE = re.compile(r"^(?:[^\S\n]*(?:" + _MARK + r"[^\S\n]*){" + str(MAX_LIST_DEPTH + 1) + ",}|[ \t]{"
                              + str(4 * MAX_LIST_DEPTH + 1) + "})", re.MULTILINE)


def too_complex(body: str) -> tuple[int, int, str] | None:
    """(0-based line, 1-based col, why) when a body would make the Markdown parser crash or stall."""
    if len(body) > MAX_BODY:
        return 0, 1, f"the body is over {MAX_BODY // (1024 * 1024)} MB"
    if sum(body.count(ch) for ch in MARK_CHARS) > MAX_MARKS:
        return 0, 1, f"it has more than {MAX_MARKS:,} Markdown marks ({' '.join(MARK_CHARS)})"
    if body.count("[") <= MAX_BRACKETS_PER_LINE and not _NESTED_ANYWHERE.search(body):
        return None
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
    return _cleaner().clean(html)


@functools.cache
def _cleaner() -> nh3.Cleaner:
    """The allow-list made into a sanitizer once per process (nh3.clean builds one per call: a third of
    its time on a circular's body)."""
    return nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
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
