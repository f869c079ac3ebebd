"""The benchmark corpus generator writes valid, deterministic content with every level of government."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO

COUNT = 60


def generate(out: Path, seed: int = 1) -> str:
    """Run the generator's command line into `out`; its summary line."""
    run = subprocess.run([sys.executable, "bench/gen_corpus.py", "--count", str(COUNT), "--out", str(out),
                          "--seed", str(seed)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout


def contents(folder: Path) -> dict[str, bytes]:
    """Every generated file by name, as bytes."""
    return {path.name: path.read_bytes() for path in sorted((folder / "circulars").glob("*.md"))}


def test_generated_corpus_passes_the_check_and_is_deterministic(tmp_path: Path) -> None:
    summary = generate(tmp_path / "a")
    assert re.fullmatch(rf"wrote {COUNT} circulars to .+ \(2 national, 6 provincial, 52 regency/city\) "
                        r"in \d+\.\d s\n", summary), summary
    files = contents(tmp_path / "a")
    assert len(files) == COUNT

    check = subprocess.run([sys.executable, "build.py", "check", "--content", str(tmp_path / "a")], cwd=REPO,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"ok: {COUNT} circulars checked, no problems" in check.stdout

    # The same seed gives the same bytes; another seed gives another corpus.
    generate(tmp_path / "b")
    assert contents(tmp_path / "b") == files
    generate(tmp_path / "c", seed=2)
    assert contents(tmp_path / "c") != files

    texts = [data.decode() for data in files.values()]
    regions = [m.group(1) for text in texts if (m := re.search(r'^region: "([^"]+)"$', text, re.MULTILINE))]
    assert len(regions) == COUNT and "ID" in regions
    assert any(re.fullmatch(r"\d\d", r) for r in regions)  # a province
    assert any(re.fullmatch(r"\d\d\.\d\d", r) for r in regions)  # a regency or city
    assert any("\nimplements:\n" in text for text in texts)
    assert all(text.startswith("---\n# Data sintetis") for text in texts)  # each file says it is invented
