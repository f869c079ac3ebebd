"""Markdown bodies to safe HTML: headings moved under the page's own, links made base-relative."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# What legal text needs, and nothing that can run script or restyle the page.
ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody",
                "tr", "th", "td", "em", "strong", "a", "blockquote", "code", "pre", "hr", "sub", "sup", "del"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


class _Adjust(Treeprocessor):
    """Shift headings one level down (the page title is the only h1) and prefix root-relative links."""

    def __init__(self, md: markdown.Markdown, base_path: str) -> None:
        super().__init__(md)
        self.base_path = base_path

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            if el.tag in ("h1", "h2", "h3", "h4", "h5"):
                el.tag = f"h{int(el.tag[1]) + 1}"
            elif el.tag == "a":
                href = el.get("href", "")
                # "/edaran/x/" in a body means the registry's own page, wherever the site is served.
                if href.startswith("/") and not href.startswith("//"):
                    el.set("href", self.base_path + href.lstrip("/"))


class _AdjustExtension(Extension):
    def __init__(self, base_path: str) -> None:
        super().__init__()
        self.base_path = base_path

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        md.treeprocessors.register(_Adjust(md, self.base_path), "register_adjust", 0)


def make_converter(base_path: str) -> markdown.Markdown:
    """One reusable converter per build (creating one per page costs more than converting)."""
    return markdown.Markdown(
        extensions=["tables", "sane_lists", _AdjustExtension(base_path)],
        output_format="html",
    )


def to_html(converter: markdown.Markdown, body: str) -> str:
    """Convert and sanitise one body; raw HTML that is not on the allow-list is removed."""
    html = converter.reset().convert(body)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")
