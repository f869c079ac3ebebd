#!/usr/bin/env python3
"""The floor: the least work a Python build of the same pages could do, as a baseline for bench/run.py.

    python3 bench/floor.py --content content --output /tmp/floor     # any folder holding circulars/

One process, one loop, no cache and no parallelism: for each circulars/*.md (sorted) it reads the file,
splits off the YAML front matter, loads it with PyYAML's C loader, converts the body with one reused
Python-Markdown converter (the project's extensions: tables, sane lists, headings one level down) and
renders one Jinja template (title, number, issuer, date, body) to OUT/edaran/<file name>/index.html.
Nothing else: no checks, no links, no sanitising, no lists, no search index. bench/hugo/ is the same
page for Hugo. Standard library plus the build's own pinned Jinja2, Markdown and PyYAML.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import jinja2
import markdown
import yaml
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

# Same markup as bench/hugo/layouts/single.html, so the two baselines write the same page.
TEMPLATE = """\
<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
</head>
<body>
<main>
<h1>{{ title }}</h1>
<dl>
<dt>Nomor</dt><dd>{{ number }}</dd>
<dt>Penerbit</dt><dd>{{ issuer }}</dd>
<dt>Tanggal</dt><dd>{{ issued }}</dd>
</dl>
{{ body }}
</main>
</body>
</html>
"""
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


class _ShiftHeadings(Treeprocessor):
    """The page title is the only h1: '#' becomes h2, '##' h3 (as registry/markup.py does)."""

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            if el.tag in ("h1", "h2", "h3", "h4", "h5"):
                el.tag = f"h{int(el.tag[1]) + 1}"


class _ShiftHeadingsExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 0)


def build(content: Path, output: Path) -> int:
    """Write one page per circular; returns how many."""
    converter = markdown.Markdown(extensions=["tables", "sane_lists", _ShiftHeadingsExtension()],
                                  output_format="html")
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    count = 0
    for path in sorted((content / "circulars").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = FRONT_MATTER.match(text)
        if match is None:
            raise SystemExit(f"{path}: no front matter")
        meta = yaml.load(match.group(1), Loader=yaml.CSafeLoader) or {}
        body = converter.reset().convert(text[match.end():])
        page = template.render(title=meta.get("title", ""), number=meta.get("number", ""),
                               issuer=meta.get("issuer", ""), issued=meta.get("issued", ""),
                               body=Markup(body))
        folder = output / "edaran" / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(page, encoding="utf-8")
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", type=Path, required=True, help="folder that holds circulars/")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    if not (args.content / "circulars").is_dir():
        sys.exit(f"{args.content} has no circulars/ folder")
    start = time.perf_counter()
    count = build(args.content, args.output)
    print(f"floor: {count} pages into {args.output} in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
