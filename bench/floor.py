#!/usr/bin/env python3
"""The floor: the least work a Python build of the same pages could do, as a baseline for bench/run.py.

    python3 bench/floor.py --content content --output /tmp/floor     # any folder holding circulars/

By default one process, one loop, no cache and no parallelism: for each circulars/*.md (sorted) it reads the file,
splits off the YAML front matter, loads it with PyYAML's C loader, converts the body with one reused
Python-Markdown converter (the project's extensions: tables, sane lists, headings one level down) and
renders one Jinja template (title, number, issuer, date, body) to OUT/edaran/<file name>/index.html.
Nothing else: no checks, no links, no sanitising, no lists, no search index. bench/hugo/ is the same
page for Hugo. Standard library plus the build's own pinned Jinja2, Markdown and PyYAML.

    python3 bench/floor.py --content DIR --output OUT --jobs 2 --registry    # the least Python build

With --registry the body goes through the registry's own converter and sanitiser (registry/markup.py's
`to_html`: the same extensions, made faster, then nh3), which every circular's page needs; with --jobs N the
files are shared among N forked processes in runs of 200, each taken by whichever process is free, as
build.py shares its parse. Both together are the least work these pages need with Python-Markdown and nh3,
shared as build.py shares it: bench/run.py reports it beside Hugo, as a measure of how close to Hugo a build
made with them can come on the machine it runs on.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
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


def _converter(registry: bool) -> Callable[[str], str]:
    """Body Markdown to HTML: Python-Markdown with the project's extensions, or (registry) the registry's
    own converter and sanitiser."""
    if registry:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from registry import markup

        made = markup.make_converter()
        return lambda body: markup.to_html(made, body)
    converter = markdown.Markdown(extensions=["tables", "sane_lists", _ShiftHeadingsExtension()],
                                  output_format="html")
    return lambda body: converter.reset().convert(body)


class FloorError(Exception):
    """A circular the floor cannot read (no front matter): the message names it."""


@functools.cache
def _tools(registry: bool) -> tuple[Callable[[str], str], jinja2.Template]:
    """The converter and the template, made once per process."""
    return _converter(registry), jinja2.Environment(autoescape=True).from_string(TEMPLATE)


def _write_pages(paths: list[Path], output: Path, registry: bool) -> int:
    """One page for each of `paths`, in order; returns how many."""
    convert, template = _tools(registry)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        match = FRONT_MATTER.match(text)
        if match is None:  # an exception, not SystemExit: a pool's worker passes only exceptions back
            raise FloorError(f"{path}: no front matter")
        meta = yaml.load(match.group(1), Loader=yaml.CSafeLoader) or {}
        body = convert(text[match.end():])
        page = template.render(title=meta.get("title", ""), number=meta.get("number", ""),
                               issuer=meta.get("issuer", ""), issued=meta.get("issued", ""),
                               body=Markup(body))
        folder = output / "edaran" / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(page, encoding="utf-8")
    return len(paths)


RUN = 200  # files a process takes at a time with --jobs (build.py's parse takes them in runs of 200 too)


def build(content: Path, output: Path, jobs: int = 1, registry: bool = False) -> int:
    """Write one page per circular; returns how many. With `jobs` > 1, that many forked processes take the
    sorted files in runs of RUN, each run by whichever process is free. Raises FloorError."""
    paths = sorted((content / "circulars").glob("*.md"))
    if jobs <= 1:
        return _write_pages(paths, output, registry)
    runs = [(paths[i:i + RUN], output, registry) for i in range(0, len(paths), RUN)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return sum(pool.map(_write_run, runs, chunksize=1))


def _write_run(run: tuple[list[Path], Path, bool]) -> int:
    """`_write_pages` in a pool's process, looked up there (so a test may wrap it before the fork)."""
    return _write_pages(*run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", type=Path, required=True, help="folder that holds circulars/")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="processes to share the files among (default 1; this machine can use "
                             f"{len(os.sched_getaffinity(0))})")
    parser.add_argument("--registry", action="store_true",
                        help="convert and sanitise bodies with the registry's own registry/markup.py")
    args = parser.parse_args()
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if not (args.content / "circulars").is_dir():
        sys.exit(f"{args.content} has no circulars/ folder")
    start = time.perf_counter()
    try:
        count = build(args.content, args.output, args.jobs, args.registry)
    except FloorError as exc:
        sys.exit(str(exc))
    print(f"floor: {count} pages into {args.output} in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
