"""The build's Markdown converter passes over inline patterns, block processors and whole steps whose marks a
text lacks (registry/markup.py); its HTML must be exactly Python-Markdown's own, for every body we have and for
random Markdown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import MARKDOWN, MARKDOWN_PIECES

from conftest import FIXTURES, REPO
from registry import frontmatter, markup

# Every inline mark Python-Markdown gives meaning to, with words and line ends between them.
INLINE_PIECES = ["`", "``", "\\", "[", "]", "(", ")", "![", "<", ">", "&", "&amp;", "&#38;", ";", "*", "**", "_",
                 "__", "  \n", "\n", " ", "a", "kata", "http://x.id", "/edaran/a/", "x@y.id", "<b>", "</b>",
                 "<!--", "-->", '"', "'", "[^1]", "[a]: /b", ":"]
INLINE = st.lists(st.sampled_from(INLINE_PIECES), max_size=60).map("".join)
# Every block mark Python-Markdown gives meaning to (headings both ways, rules, quotes, link definitions, tables,
# lists, code), and the whitespace the first step normalises (tabs, CR, spaces alone on a line).
BLOCK_PIECES = ["#", "# ", "###### ", "=", "===", "-", "---", "- - -", "-  -  -", "--", "_", "___", "_ _ _",
                "_  _  _", "*", "***", "* * *", "*  *  *", "* ", "+ ", "1. ", "2) ", ">", "> ", "> > ", "[a]: /b",
                "[a]:", "]:", "[a]", "|", "| a | b |", "|---|---|", "a | b", "--- | ---", "    ", "  ", " ", "\t",
                "\n", "\n\n", "\r\n", "\r", " \n", "kata", "Surat Edaran", "<p>", "&amp;", "&", "<", "\\#", "\x02",
                "\x03"]
BLOCKS = st.lists(st.sampled_from(BLOCK_PIECES), max_size=80).map("".join)


def _bodies(folder: Path) -> list[tuple[str, str]]:
    """(path, body) of every Markdown file under `folder` that has a body to convert."""
    found = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_bytes().decode("utf-8", "replace")
        part, _ = frontmatter.split(text, str(path))
        found.append((str(path), part.body if part is not None else text))
    return found


def _stock_and_ours(body: str) -> tuple[str, str]:
    return (markup.make_converter(skip_patterns=False).convert(body),
            markup.make_converter().convert(body))


def test_every_pattern_of_python_markdown_is_known() -> None:
    """A Markdown upgrade that renames or changes a pattern makes it 'always tried' (still correct, but the
    speed-up is gone): this says so."""
    converter = markup.make_converter()
    converter.convert("x")
    inline = converter.treeprocessors["inline"]
    guarded = inline._guarded  # type: ignore[attr-defined]
    assert len(guarded) == len(converter.inlinePatterns) == 14
    assert [needs for _, needs in guarded] == [
        ("`",), ("\\",), ("[",), ("[",), ("![",), ("![",), ("[",), ("![",), ("<",), ("<",), ("  \n",), ("<",),
        ("&",), ("*", "_")]


def test_every_block_processor_of_python_markdown_is_known() -> None:
    """As above, for the block processors passed over when a block lacks their marks, and the steps that are
    skipped for a text without theirs: an upgrade that changes one makes it always run."""
    converter = markup.make_converter()
    converter.convert("x")
    guarded = markup._guarded_blocks(converter.parser)
    assert [(item.name, needs) for item, (_, needs) in zip(converter.parser.blockprocessors._priority, guarded,
                                                          strict=True)] == [
        ("empty", None), ("indent", None), ("code", None), ("table", ("|",)), ("hashheader", ("#",)),
        ("setextheader", ("\n=", "\n-")), ("hr", ("--", "- -", "-  -", "__", "_ _", "_  _", "**", "* *", "*  *")),
        ("olist", None), ("ulist", None), ("quote", (">",)), ("reference", ("]:",)), ("paragraph", None)]
    assert type(converter.preprocessors["normalize_whitespace"]).__name__ == "_SkippingNormalizeWhitespace"
    assert type(converter.preprocessors["html_block"]).__name__ == "_SkippingHtmlBlock"
    assert type(converter.treeprocessors["unescape"]).__name__ == "_SkippingUnescape"
    stock = markup.make_converter(skip_patterns=False)
    assert type(stock.preprocessors["normalize_whitespace"]).__name__ == "NormalizeWhitespace"
    assert "parseBlocks" not in vars(stock.parser)


def test_same_html_for_every_body_we_have(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "bench/gen_corpus.py", "--count", "300", "--out", str(tmp_path)],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    bodies = _bodies(REPO / "content") + _bodies(FIXTURES) + _bodies(tmp_path)
    assert len(bodies) > 390
    stock, ours = markup.make_converter(skip_patterns=False), markup.make_converter()
    differ = [path for path, body in bodies if stock.reset().convert(body) != ours.reset().convert(body)]
    assert differ == []


def test_pattern_that_matches_is_still_applied() -> None:
    stock, ours = _stock_and_ours("**a** _b_ `c` [d](/e) ![f](g.png) <http://h.id> &amp; i  \nj \\*k")
    assert ours == stock
    for made in ("<strong>a</strong>", "<em>b</em>", "<code>c</code>", '<a href="/e">d</a>', "<img ",
                 '<a href="http://h.id">', "&amp;", "<br>", "*k"):
        assert made in ours


@settings(max_examples=300, deadline=None)
@given(INLINE)
def test_same_html_for_random_inline_marks(body: str) -> None:
    stock, ours = _stock_and_ours(body)
    assert ours == stock


@settings(max_examples=200, deadline=None)
@given(MARKDOWN)
def test_same_html_for_random_markdown(body: str) -> None:
    stock, ours = _stock_and_ours(body)
    assert ours == stock


@settings(max_examples=400, deadline=None)
@given(BLOCKS)
def test_same_html_for_random_blocks(body: str) -> None:
    stock, ours = _stock_and_ours(body)
    assert ours == stock


def test_blocks_with_and_without_each_mark() -> None:
    """Each skipped processor still takes a block that has its marks, the same as Python-Markdown does."""
    body = ("# Judul\n\nSub\n===\n\nLain\n---\n\n- - -\n\n> kutipan\n\n[a]: /edaran/a/\n\n[tautan][a]\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nbaris  \n \t \nakhir &amp; <b>x</b> \\# bukan judul")
    stock, ours = _stock_and_ours(body)
    assert ours == stock
    for made in ("<h2>Judul</h2>", "<h2>Sub</h2>", "<h3>Lain</h3>", "<hr>", "<blockquote>", '<a href="/edaran/a/">',
                 "<table>", "&amp;", "<b>x</b>", "# bukan judul"):
        assert made in ours


def test_pieces_cover_every_mark() -> None:
    """The random Markdown above reaches every pattern's marks."""
    pieces = "".join(INLINE_PIECES + MARKDOWN_PIECES)
    converter = markup.make_converter()
    converter.convert("x")
    for _, needs in converter.treeprocessors["inline"]._guarded:  # type: ignore[attr-defined]
        assert needs is not None and any(mark in pieces for mark in needs)
    pairs = [a + b for a in BLOCK_PIECES for b in BLOCK_PIECES]  # a mark may take two pieces in a row
    for _, needs in markup._guarded_blocks(converter.parser):
        for mark in needs or ():
            assert any(mark in pair for pair in pairs)
