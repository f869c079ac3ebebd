"""The preview server survives a broken edit: last good site stays up, the error is shown, a fix recovers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import BUILD, CONFIG

PAGE = "edaran/se-bupati-belu-1-2020/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError):
        return ""


def wait_for(condition: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def server(fixture_site: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(BUILD), "serve", "--config", str(CONFIG), "--port", str(port),
                             "--as-of", "2026-11-23"], cwd=fixture_site, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: "<h1" in fetch(base + PAGE)), "server did not start"
        yield base, fixture_site
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_broken_edit_keeps_last_good_site_and_shows_the_error(server: tuple[str, Path]) -> None:
    base, site = server
    source = site / "content" / "circulars" / "se-bupati-belu-1-2020.md"
    good = source.read_text()
    assert "Penyesuaian Sistem Kerja di Kabupaten Contoh" in fetch(base + PAGE)

    source.write_text(good.replace("issued: 2020-03-20", "issued: 2020-02-30"))
    assert wait_for(lambda: "error[bad-date]" in fetch(base + PAGE))
    page = fetch(base + PAGE)
    assert "content/circulars/se-bupati-belu-1-2020.md:6:9: error[bad-date]: issued: &#x27;2020-02-30&#x27;" in page
    assert "Penyesuaian Sistem Kerja di Kabupaten Contoh" in page  # the last good page is still there
    assert "error[bad-date]" in fetch(base)  # on every page, not just the broken one
    assert not (site / "_site").exists()  # the preview never touches the published output

    source.write_text(good.replace("Penyesuaian Sistem Kerja di Kabupaten Contoh", "Judul Baru"))
    assert wait_for(lambda: ">Judul Baru</h1>" in fetch(base + PAGE))
    assert "error[" not in fetch(base + PAGE)


def test_busy_port_is_a_message_not_a_traceback(fixture_site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, str(BUILD), "serve", "--config", str(CONFIG), "--port", str(port)],
                             cwd=fixture_site, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert f"error: cannot serve on 127.0.0.1:{port}: Address already in use; try another --port" in run.stderr
    assert "Traceback" not in run.stderr
