"""Stage 5: write the rendered site into a staging folder and swap it in whole, or not at all."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def _staging_path(output: Path, label: str) -> Path:
    # A sibling, so the final renames stay on one filesystem and are atomic.
    return output.with_name(f".{output.name}.{label}-{os.getpid()}")


def write_files(files: dict[str, bytes], root: Path) -> None:
    """Write path -> bytes under root (a fresh folder), in sorted order."""
    for rel in sorted(files):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[rel])


def publish(files: dict[str, bytes], output: Path) -> None:
    """Replace `output` with exactly `files`. On any failure `output` is left as it was.

    The old output is renamed away before the staging folder takes its name, so there is a moment
    with no output folder at all; it is never a half-written one.
    """
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = _staging_path(output, "staging")
    old = _staging_path(output, "old")
    for leftover in (staging, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    try:
        staging.mkdir()
        write_files(files, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if output.exists():
        output.rename(old)
    try:
        staging.rename(output)
    except BaseException:
        if old.exists():
            old.rename(output)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
