"""Stage 5: write the rendered site into a staging folder and swap it in whole, or not at all."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from .bodies import BodyFile


def _staging_path(output: Path, label: str) -> Path:
    # A sibling, so the final renames stay on one filesystem and are atomic.
    return output.with_name(f".{output.name}.{label}-{os.getpid()}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, but belongs to someone else
        pass
    return True


def _clean_stale(output: Path) -> None:
    """Remove what a build that was killed left beside `output` (its pid is in the name, and it is gone).

    If it was killed between its two renames, its "old" folder is the last whole site: put it back first.
    """
    for leftover in sorted(output.parent.glob(f".{output.name}.*-*")):
        label, _, pid = leftover.name[len(output.name) + 2:].rpartition("-")
        if label not in ("staging", "old") or not pid.isdigit() or (int(pid) != os.getpid() and _alive(int(pid))):
            continue
        if label == "old" and not output.exists():
            leftover.rename(output)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


class Spool:
    """A large file's bytes, appended as they are made and kept in an unnamed temporary file (a BodyFile),
    not in memory: at 100,000 circulars `api/circulars.json`, `.csv` and `jdihn.json` are 160, 70 and 80 MB,
    made by the main process while a render helper shares its memory (they were most of the build's peak).
    Each time it is iterated it gives its bytes from the start, in pieces."""

    PIECE = 1 << 20

    def __init__(self) -> None:
        self._file = BodyFile()  # removed by the system once the spool is dropped, even after a crash
        self._waiting: list[bytes] = []  # appended since the last write: one write a piece, not one a line
        self._size = 0

    def append(self, data: bytes) -> None:
        self._waiting.append(data)
        self._size += len(data)
        if self._size >= self.PIECE:
            self._write()

    def _write(self) -> None:
        self._file.append(b"".join(self._waiting))
        self._waiting.clear()
        self._size = 0

    def __iter__(self) -> Iterator[bytes]:
        self._write()
        end = self._file.size
        for offset in range(0, end, self.PIECE):
            yield self._file.read(offset, min(self.PIECE, end - offset))


# A file's bytes, or its bytes in pieces (never joined): a list, or a Spool for the largest exports.
Data = bytes | list[bytes] | Spool


def joined(data: Data) -> bytes:
    """A file's bytes in one piece."""
    return data if isinstance(data, bytes) else b"".join(data)


def _same(path: Path, data: Data) -> bool:
    """Whether `path` is a regular file holding exactly `data` (the size is checked before reading)."""
    pieces = [data] if isinstance(data, bytes) else data
    try:
        if path.is_symlink() or path.stat().st_size != sum(map(len, pieces)):
            return False
        with open(path, "rb") as handle:
            return all(handle.read(len(piece)) == piece for piece in pieces)
    except OSError:
        return False


# A new file, never an existing one: one already there (put before, by another process) is removed first.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _create(target: Path, data: Data) -> os.stat_result:
    """Write `data` as a new file named `target`; returns the file's status once written. A file already
    there (put before, by another process) is removed first, never written through: it may be a hard link to
    the live output's file. With the system's own calls: a site is tens of thousands of small files, and
    open()'s buffered file object costs more than writing one (it asks whether the file is a terminal)."""
    try:
        fd = os.open(target, _NEW_FILE, 0o666)
    except FileExistsError:
        target.unlink()
        fd = os.open(target, _NEW_FILE, 0o666)
    try:
        for piece in [data] if isinstance(data, bytes) else data:
            view = memoryview(piece)
            while view:  # a write may take fewer bytes than given
                view = view[os.write(fd, view):]
        return os.fstat(fd)
    finally:
        os.close(fd)


class Stored(NamedTuple):
    """What `Staging.put` did with a file: written (or linked from the last build), and its size and
    modification time as the output's record of itself keeps them (state.py's manifest)."""

    written: bool
    size: int
    mtime_ns: int


class Staging:
    """A staging folder beside `output`, filled one file at a time (`put`, as the site is rendered, so it is
    never held whole in memory), then swapped in whole (`commit`) or removed (`abort`): `output` is never
    half-written, and is left as it was on any failure.

    A file whose bytes equal the same file in the current output (the last build) is linked, not written: it
    keeps its date, so uploads and caches see only what changed, and an unchanged site costs no writes.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.absolute()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.path = _staging_path(self.output, "staging")
        _clean_stale(self.output)
        self.path.mkdir()
        self.previous = self.output if self.output.is_dir() else None
        self.fresh: set[str] = set()  # the files written, not linked from the last build
        # Every file put (its path under the site's root) with its [size, modification time in ns], as
        # state.manifest would find them once the folder is swapped in: known from the writes, so the output
        # need not be walked again (at 100,000 circulars, 317,000 files: 6 s).
        self.manifest: dict[str, list[int]] = {}
        self._folders: set[Path] = {self.path}

    def put(self, rel: str, data: Data) -> Stored:
        """Add one file (its path under the site's root, and its bytes); returns whether it was written
        (else linked from the last build), with its size and time. A forked worker may call it: it then
        writes only the file, and the main process records it with `note`. A second `put` of a path
        replaces the first."""
        target = self.path / rel
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        status = None
        if self.previous is not None and _same(old := self.previous / rel, data):
            try:
                os.link(old, target)
                status = os.stat(target, follow_symlinks=False)
            except OSError:  # a file system without hard links, or a path put before: write it
                pass
        written = status is None
        if status is None:
            status = _create(target, data)
        stored = Stored(written, status.st_size, status.st_mtime_ns)
        self.note(rel, stored)
        return stored

    def note(self, rel: str, stored: Stored) -> None:
        """Record a file `put` in another process (what `put` returned there)."""
        self.manifest[rel] = [stored.size, stored.mtime_ns]
        if stored.written:
            self.fresh.add(rel)
        else:
            self.fresh.discard(rel)

    def write(self, files: dict[str, bytes]) -> None:
        """Add files (path -> bytes), in sorted order."""
        for rel in sorted(files):
            self.put(rel, files[rel])

    def commit(self) -> int:
        """Swap the staging folder in as `output`; returns how many files were written (not linked).

        The old output is renamed away before the staging folder takes its name, so there is a moment
        with no output folder at all; it is never a half-written one.
        """
        old = _staging_path(self.output, "old")
        if self.output.exists():
            self.output.rename(old)
        try:
            self.path.rename(self.output)
        except BaseException:
            if old.exists():
                old.rename(self.output)
            self.abort()
            raise
        shutil.rmtree(old, ignore_errors=True)
        return len(self.fresh)

    def abort(self) -> None:
        """Remove the staging folder; `output` stays as it was."""
        shutil.rmtree(self.path, ignore_errors=True)


def publish(files: dict[str, bytes], output: Path) -> int:
    """Replace `output` with exactly `files`; returns how many files were written (the rest were the same
    bytes as before, and are kept, see Staging). On any failure `output` is left as it was."""
    staging = Staging(output)
    try:
        staging.write(files)
    except BaseException:
        staging.abort()
        raise
    return staging.commit()


def sync(files: dict[str, bytes], output: Path, previous: dict[str, bytes], last: tuple[str, ...] = ()) -> int:
    """Bring `output` (which holds exactly `previous`) to exactly `files`, writing only the files whose bytes
    changed and removing the ones that are gone; returns how many files were written or removed.

    For the preview server: a whole-folder swap on every save would make the browser and the server
    re-read every file. Each file is replaced by a rename, so no reader sees a half-written page. The
    paths in `last` (tables naming other files: the search index's) are written after all the others, so
    a reader who gets the new table finds every file it names.
    """
    touched = 0
    for rel in sorted(files, key=lambda path: (path in last, path)):
        if previous.get(rel) != files[rel]:
            target = output / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            temporary.write_bytes(files[rel])
            temporary.replace(target)
            touched += 1
    for rel in sorted(set(previous) - set(files)):
        gone = output / rel
        gone.unlink(missing_ok=True)
        touched += 1
        # An empty folder left behind would be served as a directory listing instead of a 404.
        for folder in gone.parents:
            if folder == output or any(folder.iterdir()):
                break
            folder.rmdir()
    return touched
