#!/usr/bin/env python3
"""Open-data benchmark: what the exports and feeds (JSON, CSV, JDIHN, JSON-LD, Atom) cost in a build.

    python3 bench/opendata.py                                 # the registry's own content
    python3 bench/opendata.py --content /tmp/corpus --runs 3  # any content folder (one holding circulars/)

Renders the whole site (pages and open data) and, in the same run, builds the open-data files alone; prints
the time of each (best of --runs), the share of the render that the open data takes, and the files' sizes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import arguments, checked, interface_strings, site_config

import build
from registry import export, feeds
from registry import render as stage


def main() -> None:
    args = arguments(__doc__).parse_args()
    config = site_config("https://example.org/")
    strings = interface_strings(config)
    labels = stage.labels_from(strings)
    registry = checked(args.content, args.as_of)
    whole: list[float] = []
    alone: list[float] = []
    files: dict[str, bytes] = {}
    for _ in range(args.runs):
        t0 = time.perf_counter()
        files, _ = stage.render(registry, config, strings, build.TEMPLATES, build.STATIC)
        whole.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        cited = {cid: stage.short_name(e.circular) for cid, e in registry.entries.items()}
        issued = {cid: stage.tanggal(e.circular.issued) for cid, e in registry.entries.items()}
        stamps = {cid: feeds.updated(e) for cid, e in registry.entries.items()}
        site_feeds = feeds.feeds_for(registry, cited, config.title, strings)
        dict(stage.open_data(registry, config, cited, issued, site_feeds, stamps, strings, labels))
        for entry in registry.entries.values():
            export.legislation(entry, registry, config, cited)  # rendered into each circular page
        alone.append(time.perf_counter() - t0)
    w, a = min(whole), min(alone)
    print(f"corpus: {args.content} ({len(registry.entries)} circulars), best of {args.runs}")
    print(f"render (pages and open data) {w:.2f} s; open data alone {a:.2f} s: {a / w:.2f} of the render")
    sizes = {"api/circulars.json": 0, "api/circulars.csv": 0, "api/jdihn.json": 0, "api/edaran/*.json": 0,
             "feeds": 0}
    count = 0
    for path, data in files.items():
        if path.startswith("api/edaran/"):
            sizes["api/edaran/*.json"] += len(data)
        elif path.endswith("feed.xml"):
            sizes["feeds"] += len(data)
            count += 1
        elif path in sizes:
            sizes[path] = len(data)
    print("sizes: " + ", ".join(f"{k} {v / 1024:,.0f} KB" for k, v in sizes.items()) + f" ({count} feeds)")


if __name__ == "__main__":
    main()
