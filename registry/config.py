"""Site configuration: a typed, frozen SiteConfig read from site_config.yaml."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .problems import Problem, display_path
from .validate import did_you_mean

KEYS = ("title", "description", "base_url", "repository_url", "language", "as_of", "page_size")
# Circulars per page of a list (all circulars, a region's, an issuer's, a topic's, a year's): 100 rows are
# about 40 KB of HTML, light enough for a phone on a slow connection; a list of 10,000 on one page is 4 MB.
PAGE_SIZE = 100
PAGE_SIZE_MAX = 10_000


@dataclass(frozen=True)
class SiteConfig:
    """What the site is called, where it is published, and the default as-of date."""

    title: str
    description: str
    base_url: str  # "https://user.github.io/repo/" or a path such as "/repo/"
    repository_url: str  # empty: no "edit this circular" links
    language: str
    as_of: dt.date | None  # None: the day of the build
    page_size: int = PAGE_SIZE  # circulars per page of a list

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, with leading and trailing slashes."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def absolute_base(self) -> str | None:
        """The full base URL when one is configured (needed for absolute links in exports)."""
        parts = urlsplit(self.base_url)  # checked by check_base_url before a SiteConfig exists
        return f"{parts.scheme}://{parts.netloc}{self.base_path}" if parts.scheme and parts.netloc else None


def check_base_url(value: str) -> str | None:
    """Why a base URL is unusable, or None when it is fine."""
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        return f"base_url is not a URL ({exc})"
    if any(ch.isspace() for ch in value):
        return "base_url must not contain spaces"
    if parts.query or parts.fragment:
        return "base_url must not have a query or fragment"
    if parts.scheme and parts.scheme not in ("http", "https"):
        return f"base_url must be http(s) or a path starting with '/', not '{value}'"
    if not parts.scheme and not value.startswith("/"):
        return f"base_url must be a full URL or a path starting with '/', not '{value}'"
    return None


def load_config(path: Path, overrides: dict[str, object]) -> tuple[SiteConfig | None, list[Problem]]:
    """Read and check the config file; command-line overrides (base_url, as_of) win over it."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(shown, 1, 1, "config", f"cannot read the config file: {exc}")]
    try:
        data = yaml.safe_load(text) or {}
        node = yaml.compose(text) if text.strip() else None
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date like 2026-02-30
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Problem(shown, line, col, "config", f"invalid YAML: {getattr(exc, 'problem', exc)}")]
    if not isinstance(data, dict):
        return None, [Problem(shown, 1, 1, "config", "the config must be a mapping of settings")]
    lines = {k.value: (k.start_mark.line + 1, k.start_mark.column + 1)
             for k, _ in (node.value if isinstance(node, yaml.MappingNode) else [])}
    problems = []

    def bad(key: str, message: str, hint: str | None = None) -> None:
        line, col = lines.get(key, (1, 1))
        problems.append(Problem(shown, line, col, "config", message, hint))

    for key in data:
        if key not in KEYS:
            bad(str(key), f"unknown setting '{key}'", did_you_mean(str(key), KEYS))
    values = {**data, **{k: v for k, v in overrides.items() if v is not None}}
    for key in ("title", "description", "base_url", "language"):
        if not isinstance(values.get(key), str) or not values[key].strip():
            bad(key, f"'{key}' must be a non-empty text")
    repo = values.get("repository_url") or ""
    if not isinstance(repo, str) or (repo and not repo.startswith(("https://", "http://"))):
        bad("repository_url", "'repository_url' must be an http(s) URL or empty")
    if isinstance(values.get("base_url"), str) and (why := check_base_url(values["base_url"])):
        bad("base_url", why)
    as_of = values.get("as_of")
    if isinstance(as_of, str):
        try:
            as_of = dt.date.fromisoformat(as_of)
        except ValueError:
            bad("as_of", f"as_of: '{as_of}' is not a date (YYYY-MM-DD)")
    elif as_of is not None and not isinstance(as_of, dt.date):
        bad("as_of", "as_of must be a date (YYYY-MM-DD) or null for the day of the build")
    page_size = values.get("page_size", PAGE_SIZE)
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= PAGE_SIZE_MAX:
        bad("page_size", f"page_size must be a whole number from 1 to {PAGE_SIZE_MAX:,} (circulars per page of "
                         f"a list), not {page_size!r}")
    if problems:
        return None, problems
    return SiteConfig(
        title=values["title"].strip(),
        description=values["description"].strip(),
        base_url=values["base_url"].strip(),
        repository_url=repo.rstrip("/"),
        language=values["language"].strip(),
        as_of=as_of if isinstance(as_of, dt.date) else None,
        page_size=page_size,
    ), []
