"""The search benchmark runs (its figures are reported in notes, never asserted as timings)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_search_benchmark_runs_on_the_real_content() -> None:
    run = subprocess.run([sys.executable, "bench/search.py", "--runs", "1"], cwd=REPO, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "(10 circulars)" in run.stdout or "circulars), median of 1 runs" in run.stdout
    assert "search index / Pagefind CLI alone" in run.stdout
    lines = [line for line in run.stdout.splitlines() if "ms to results (" in line]
    assert len(lines) == 5 and all("edaran" in line for line in lines)


def test_tracker_benchmark_runs_on_the_real_content() -> None:
    run = subprocess.run([sys.executable, "bench/tracker.py", "--runs", "1"], cwd=REPO, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "x render" in run.stdout and "directive pages: largest" in run.stdout


def test_open_data_benchmark_runs_on_the_real_content() -> None:
    run = subprocess.run([sys.executable, "bench/opendata.py", "--runs", "1"], cwd=REPO, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "(10 circulars)" in run.stdout and "of the render" in run.stdout and "feeds)" in run.stdout


def test_preview_benchmark_runs_on_the_real_content() -> None:
    run = subprocess.run([sys.executable, "bench/serve.py", "--runs", "1"], cwd=REPO, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "(10 circulars), 1 saves" in run.stdout and "save to reload: median" in run.stdout
