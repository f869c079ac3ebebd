"""What the benchmark scripts share: their common options, the site config and a checked registry."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import build  # noqa: E402
from registry.config import SiteConfig, load_config  # noqa: E402
from registry.link import Registry  # noqa: E402
from registry.strings import Strings, load_strings  # noqa: E402


def arguments(doc: str | None) -> argparse.ArgumentParser:
    """--content (any folder holding circulars/), --runs and --as-of; a script adds its own after."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", type=Path, default=REPO / "content")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--as-of", dest="as_of", type=dt.date.fromisoformat, default=dt.date(2026, 11, 23))
    return parser


def site_config(base_url: str = "/") -> SiteConfig:
    config, problems = load_config(REPO / "site_config.yaml", {"base_url": base_url})
    if config is None:
        sys.exit(f"config: {problems}")
    return config


def interface_strings(config: SiteConfig) -> Strings:
    """The interface catalogue for the config's language, as the build loads it."""
    strings, problems = load_strings(build.TEMPLATES, config.language)
    if strings is None:
        sys.exit(f"interface strings: {problems}")
    return strings


def checked(content: Path, as_of: dt.date) -> Registry:
    """Phase one on the content; exits with the command to see why when it has problems."""
    registry, _ = build.check_content(content, as_of)
    if registry is None:
        sys.exit("the content has problems; run: python3 build.py check --content " + str(content))
    return registry
