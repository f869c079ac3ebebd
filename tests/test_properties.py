"""Property-based tests: random front matter and Markdown either build or are reported as problems (exit 1);
the build never raises, never hangs and never writes outside its output folder."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import build
from conftest import AS_OF, CONFIG, FIXTURES, run_cli, tree_bytes

SITE = FIXTURES / "site"
CIRCULARS = sorted((SITE / "content" / "circulars").glob("*.md"))
TARGET = CIRCULARS[0]  # the file the examples rewrite; the others stay valid around it
VALID_FIELDS = TARGET.read_text(encoding="utf-8").split("---\n")[1]
PROBLEM_LINE = re.compile(r"^[^\n:]+:\d+:\d+: error\[[a-z-]+\]: .+$")
FIELDS = ["title", "number", "region", "issuer", "signatory", "issued", "effective_from", "effective_until",
          "addressed_to", "topics", "implements", "amends", "revokes", "sources", "documents", "kind", "summary"]
# Pieces that Markdown, HTML and YAML give meaning to, so random text reaches the parsers' odd corners.
MARKDOWN_PIECES = ["# ", "## ", "* ", "1. ", "> ", "    ", "```", "`", "**", "_", "*", "[", "]", "(", ")", "![",
                   "<", ">", "</", "&#", ";", "|", "---", "\n", "\n\n", "http://", "javascript:", "data:", "<script>",
                   "onerror=", '"', "'", "{{", "}}", "{%", "\\", "[^1]", "\t", "\r\n", "\u202e", "\u200b", "\x00"]
YAML_PIECES = [": ", "- ", "  ", "\n", "---", "...", "!", "!!", "&a", "*a", "{", "}", "[", "]", "'", '"', "#",
               "|", ">", "?", "%", "@", "`", "NO", "yes", "010", "16.10", "12:30", "2020-02-30", "~", "\t"]
TIMEOUT_S = 60  # far beyond any example here; only a hang reaches it


def _texts() -> st.SearchStrategy[str]:
    return st.text(max_size=40) | st.sampled_from(["", "ID", "53.04", "se-menteri-contoh-1-2020", "2020-03-20"])


SCALARS = (st.none() | st.booleans() | st.integers(-10**6, 10**20) | st.floats(allow_nan=True) | _texts()
           | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(["id", "evidence", "source", "title", "url", "publisher",
                                                         "file", "published"]) | st.text(max_size=8),
                                        inner, max_size=4), max_leaves=12)
WORDS = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), max_size=12)
# Mostly Markdown's own syntax between words; arbitrary text (controls included) now and then.
# (A length drawn first: left to itself, Hypothesis keeps lists short and rarely combines the pieces.)
MARKDOWN = st.integers(0, 120).flatmap(lambda n: st.lists(
    st.sampled_from(MARKDOWN_PIECES) | WORDS | st.text(max_size=4), min_size=n, max_size=n)).map("".join)
RAW_YAML = st.lists(st.sampled_from(YAML_PIECES) | st.sampled_from(FIELDS) | st.text(max_size=8),
                    max_size=40).map("".join)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """A valid circular's fields with some replaced, removed or added, dumped as YAML; or raw YAML-ish text."""
    if draw(st.integers(0, 4)) == 0:
        return draw(RAW_YAML)
    fields: dict[str, Any] = yaml.safe_load(VALID_FIELDS)
    for _ in range(draw(st.integers(0, 3))):  # none: the Markdown alone is random, and the page is built
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace" or action == "add":
            fields[draw(st.sampled_from(FIELDS) if action == "replace" else st.text(max_size=12))] = draw(VALUES)
        elif fields:
            fields.pop(draw(st.sampled_from(sorted(fields))))
    return yaml.safe_dump(fields, allow_unicode=draw(st.booleans()), sort_keys=False)


def _circular(fields: str, body: str) -> str:
    return f"---\n{fields}{'' if fields.endswith(chr(10)) else chr(10)}---\n{body}"


@contextmanager
def _site(text: str | bytes) -> Iterator[Path]:
    """A copy of the fixture site in a fresh folder, with TARGET replaced by `text`; yields the site root."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        shutil.copytree(SITE, root)
        target = root / "content" / "circulars" / TARGET.name
        target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        yield root


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail (rather than wait forever) if the code inside runs longer than `seconds`."""
    def expired(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _check_in_process(root: Path) -> None:
    """Phase one in this process: a registry and no problems, or no registry and well-formed problems."""
    with _deadline(TIMEOUT_S):
        registry, problems = build.check_content(root / "content", dt.date.fromisoformat(AS_OF))
    assert (registry is None) == bool(problems)
    for problem in problems:
        assert PROBLEM_LINE.match(problem.text().split("\n")[0]), problem.text()


# The profile (tests/conftest.py) sets how many examples: fixed ones by default, fresh ones with
# `--hypothesis-profile=explore`. A whole build costs about a second, so it gets a twelfth as many.
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
BUILDS = settings(PROPERTY, max_examples=max(1, settings.default.max_examples // 12))


@PROPERTY
@given(body=MARKDOWN)
def test_random_markdown_checks_or_reports(body: str) -> None:
    with _site(_circular(VALID_FIELDS, body)) as root:
        _check_in_process(root)


@PROPERTY
@given(fields=front_matter(), body=MARKDOWN)
def test_random_front_matter_checks_or_reports(fields: str, body: str) -> None:
    with _site(_circular(fields, body)) as root:
        _check_in_process(root)


@PROPERTY
@given(text=st.text(max_size=300) | st.binary(max_size=300))
def test_random_files_check_or_report(text: str | bytes) -> None:
    with _site(text) as root:
        _check_in_process(root)


@BUILDS
@given(fields=st.just(VALID_FIELDS) | front_matter(), body=MARKDOWN)
def test_random_builds_exit_0_or_1_and_write_only_the_output(fields: str, body: str) -> None:
    """The real command line, pages, feeds, exports and search index: exit 0 with a site, or exit 1 with
    problems and nothing written; no traceback; every file outside the output folder is as it was."""
    with _site(_circular(fields, body)) as root:
        before = tree_bytes(root.parent)
        # Without the cache, which is the one other thing a build writes (tests/test_incremental.py).
        run = run_cli("build", "--config", CONFIG, "--as-of", AS_OF, "--output", "_site", "--no-cache", cwd=root)
        assert run.code in (0, 1), run.err
        assert "Traceback" not in run.err
        after = tree_bytes(root.parent)
        outside = {rel for rel in before.keys() | after.keys()
                   if not rel.startswith("site/_site/") and before.get(rel) != after.get(rel)}
        assert not outside
        if run.code == 0:
            assert (root / "_site" / "index.html").is_file() and run.err == ""
        else:
            assert not (root / "_site").exists()
            lines = [line for line in run.err.splitlines() if not line.startswith("  hint: ")]
            assert lines[-1] == "nothing written: _site is unchanged"
            assert all(PROBLEM_LINE.match(line) for line in lines[:-2]), run.err
