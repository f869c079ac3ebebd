#!/usr/bin/env python3
"""Tracker benchmark: what the implementation views (coverage, charts, chains, region lists) add to a build.

    python3 bench/tracker.py                                 # the registry's own content
    python3 bench/tracker.py --content /tmp/corpus --runs 3  # any content folder (one holding circulars/)

Renders the site with the tracker views and without them, in the same run, and prints the render time
of each (best of --runs), the ratio, and the size of the directive pages.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import arguments, checked, interface_strings, site_config

import build
from registry import render as stage


def _no_tracker(*_: Any) -> dict[str, Any]:
    return {"cov": None, "chain": (), "tile_map": None, "states": (), "timeline": None, "tracker_page": False}


def main() -> None:
    args = arguments(__doc__).parse_args()
    config = site_config()
    strings = interface_strings(config)
    t0 = time.perf_counter()
    registry = checked(args.content, args.as_of)
    check = time.perf_counter() - t0
    real = stage._tracker_view
    timings: dict[str, list[float]] = {"with": [], "without": []}
    files: dict[str, bytes] = {}
    for _ in range(args.runs):
        for mode in ("with", "without"):
            stage._tracker_view = real if mode == "with" else _no_tracker  # type: ignore[assignment]
            t0 = time.perf_counter()
            out, _ = stage.render(registry, config, strings, build.TEMPLATES, build.STATIC)
            timings[mode].append(time.perf_counter() - t0)
            if mode == "with":
                files = out
    stage._tracker_view = real
    with_t, without = min(timings["with"]), min(timings["without"])
    sizes = sorted(len(files[f"edaran/{cid}/index.html"]) for cid in registry.directives)
    print(f"corpus: {args.content} ({len(registry.entries)} circulars, {len(sizes)} directives), best of {args.runs}")
    print(f"render with the tracker views {with_t:.2f} s, without {without:.2f} s: {with_t / without:.2f}x render, "
          f"{(check + with_t) / (check + without):.2f}x phase one + render")
    if sizes:
        print(f"directive pages: largest {sizes[-1] / 1024:.0f} KB, median {statistics.median(sizes) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
