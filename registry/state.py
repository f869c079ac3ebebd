"""What the last build published: a fingerprint of all its inputs and a list of its output files, so a
build whose inputs and output are both unchanged can stop after reading the inputs."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .cache import Stamp, code_version, stamp
from .load import walk

# (size, modification time in ns) of each output file, by path relative to the output folder.
Manifest = dict[str, list[int]]


@dataclass(frozen=True)
class LastBuild:
    """The record of one published build."""

    key: str
    circulars: int
    files: int
    manifest: Manifest
    depends: list[tuple[str, Stamp]]  # files outside the content folder that it read (documents)


def _files(root: Path) -> Iterable[tuple[str, str]]:
    """Every file under `root` in a fixed order, as (full path, path relative to root with '/').

    Strings, not Path objects: a warm build walks tens of thousands of files and does little else.
    """
    top = str(root)
    for folder, dirs, names in os.walk(top):
        dirs.sort()
        prefix = os.path.relpath(folder, top).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in sorted(names):
            yield os.path.join(folder, name), prefix + name


def inputs_key(folders: Iterable[Path], files: Iterable[Path], settings: str) -> str:
    """A hash of every file in `folders` (content, templates, static), of `files` and of `settings` (the
    resolved configuration, the date, the code version): equal keys mean the same site."""
    digest = hashlib.sha256(f"{code_version()}\0{settings}".encode("utf-8", "surrogatepass"))
    for root in folders:
        for full, rel in _files(root):
            with contextlib.suppress(OSError):  # a file that vanishes while we read changes the key anyway
                with open(full, "rb") as handle:
                    data = handle.read()
                digest.update(f"\0{rel}\0{len(data)}\0".encode("utf-8", "surrogatepass"))
                digest.update(data)
    for path in files:
        with contextlib.suppress(OSError):
            digest.update(f"\0{path}\0".encode("utf-8", "surrogatepass") + path.read_bytes())
    return digest.hexdigest()


def manifest(output: Path) -> Manifest:
    """Every file in the output folder with its size and modification time, in no particular order (the
    record is written with sorted keys): each folder's entries as the system lists them, unsorted (a build
    at 100,000 circulars has 317,000 files in 100,000 folders)."""
    found: Manifest = {}
    for parts, entry in walk(str(output)):
        with contextlib.suppress(OSError):
            if not entry.is_dir(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                found["/".join(parts)] = [st.st_size, st.st_mtime_ns]
    return found


def _record_path(cache: Path, output: Path) -> Path:
    # One record per output folder: the same cache may serve builds into several folders.
    return cache / f"last-build-{hashlib.sha256(str(output.absolute()).encode()).hexdigest()[:16]}.json"


def read(cache: Path, output: Path) -> LastBuild | None:
    """The record of the last build published into `output`, if any (an unreadable one counts as none)."""
    try:
        raw = json.loads(_record_path(cache, output).read_text(encoding="utf-8"))
        return LastBuild(raw["key"], raw["circulars"], raw["files"], raw["manifest"],
                         [(p, tuple(s) if s else None) for p, s in raw["depends"]])  # type: ignore[misc]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write(cache: Path, output: Path, key: str, circulars: int, depends: Iterable[str], files: Manifest) -> None:
    """Record what was just published into `output`, whose files are `files` (its manifest, as the build knew
    it from writing them: write.Staging); failing to is never an error (the next build is full)."""
    record = {"key": key, "circulars": circulars, "files": len(files), "manifest": files,
              "depends": [[p, stamp(p)] for p in sorted(set(depends))]}
    target = _record_path(cache, output)
    with contextlib.suppress(OSError):
        cache.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
        temporary.replace(target)


def unchanged(last: LastBuild | None, key: str, output: Path) -> bool:
    """Whether `output` still holds exactly what the last build published, built from inputs with `key`."""
    if last is None or last.key != key or any(stamp(p) != s for p, s in last.depends):
        return False
    return manifest(output) == last.manifest
