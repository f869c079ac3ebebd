"""Shared fixtures: run the real command line on fixture sites built in tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUILD = REPO / "build.py"
CONFIG = REPO / "site_config.yaml"
AS_OF = "2026-11-23"  # a fixed date so statuses, and therefore outputs, never depend on today


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden and the expected.txt of invalid fixtures from this build")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@dataclass(frozen=True)
class Run:
    """The result of one command-line run."""

    code: int
    out: str
    err: str


def run_cli(*args: str | Path, cwd: Path) -> Run:
    """Run build.py as a user would, in `cwd`, and capture what it prints."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, str(BUILD), *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=120)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def write_site(root: Path, files: dict[str, str]) -> Path:
    """A content folder under root with the given circular files; returns the content folder."""
    content = root / "content"
    (content / "circulars").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (content / "circulars" / name).write_text(text, encoding="utf-8")
    return content


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/site in tmp_path (so tests may edit it); returns the copy's root."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    return root


def build_into(out: Path, content: Path, *extra: str, cwd: Path | None = None) -> Run:
    run = run_cli("build", "--content", content, "--output", out, "--config", CONFIG, "--as-of", AS_OF,
                  *extra, cwd=cwd or out.parent)
    assert run.code == 0, run.err
    return run


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The registry's own content, built once per test session at the root path."""
    out = tmp_path_factory.mktemp("real") / "_site"
    build_into(out, REPO / "content")
    return out


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The registry's own content built for serving under /register-edaran/ (GitHub project pages)."""
    out = tmp_path_factory.mktemp("sub") / "_site"
    build_into(out, REPO / "content", "--base-url", "https://example.github.io/register-edaran/")
    return out


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under root as relative path -> bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()
