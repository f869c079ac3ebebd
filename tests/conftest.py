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
from check_links import serve_folder
from hypothesis import settings
from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUILD = REPO / "build.py"
CONFIG = REPO / "site_config.yaml"
AS_OF = "2026-11-23"  # a fixed date so statuses, and therefore outputs, never depend on today
PHONE = {"width": 390, "height": 844}
# Debian's Chromium, headless, kept off the network (this machine has none beyond the package registries).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# Property tests (test_properties.py): the same examples on every run by default, so a pull request's check
# never fails on luck; `pytest --hypothesis-profile=explore tests/test_properties.py` draws thousands of new ones.
settings.register_profile("default", max_examples=150, derandomize=True)
settings.register_profile("explore", max_examples=3000)


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
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def served(subpath_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site under /register-edaran/, as GitHub project pages serve it."""
    root = tmp_path_factory.mktemp("www")
    (root / "register-edaran").symlink_to(subpath_site, target_is_directory=True)
    url, httpd = serve_folder(root)
    yield url + "register-edaran/"
    httpd.shutdown()


@pytest.fixture
def failures() -> list[str]:
    """Failed or off-site requests, console errors and script errors; a test ends by asserting there were none."""
    return []


@pytest.fixture
def page(browser: Browser, failures: list[str]) -> Iterator[Page]:
    """A phone-sized page that records into `failures` everything a reader should never hit."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    pg = context.new_page()
    watch_page(pg, failures)
    yield pg
    context.close()


def watch_page(pg: Page, failures: list[str]) -> None:
    """Record failed requests, requests leaving 127.0.0.1, console errors and uncaught script errors."""
    pg.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # net::ERR_ABORTED is the browser cancelling a request because the reader left the page; not a fault.
    pg.on("requestfailed", lambda r: None if r.failure == "net::ERR_ABORTED"
          else failures.append(f"failed {r.url}: {r.failure}"))
    pg.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1:", "data:", "blob:"))
          else failures.append(f"off-site request {r.url}"))
    pg.on("console", lambda m: failures.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: failures.append(f"script error: {e}"))
