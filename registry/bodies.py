"""Circular bodies kept in a temporary file during a build, out of the registry's memory."""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Circular


class BodyFileError(OSError):
    """The body file cannot be written (build.py reports it, and leaves the output as it was)."""


class BodyFile:
    """An unnamed temporary file the build's compressed bodies are appended to, each read back by its place.

    A body is most of a circular's size (about 1.8 KB compressed), and read only twice a build (its page,
    its search entry). Held in memory, the bodies are about 180 MB at 100,000 circulars, and each forked
    render worker copies every memory page of them it reads (Python writes a reference count into every
    object it touches). Read back with `os.pread`, which any process forked after they were written can
    do at the same time: it does not move a file position the processes share.
    (write.Spool keeps the largest exports in one the same way.)
    """

    def __init__(self, folder: str | None = None) -> None:
        # Removed by the system when closed, even after a crash; unbuffered, so pread sees every write at once.
        self._file = tempfile.TemporaryFile(dir=folder, buffering=0)  # noqa: SIM115 - closed by close()
        self._end = 0
        self._lock = threading.Lock()

    def keep(self, circular: Circular) -> Circular:
        """`circular` with its body moved here (the same circular when it is already)."""
        if not isinstance(circular.body_packed, bytes):
            return circular
        data = circular.body_packed
        # A copy with one field changed, made directly: dataclasses.replace runs the frozen class's __init__
        # (a guarded setattr per field), 30 µs a circular in the process the parse workers wait on.
        moved = object.__new__(type(circular))
        moved.__dict__.update(circular.__dict__, body_packed=StoredBody(self, self.append(data), len(data)))
        return moved

    def append(self, data: bytes) -> int:
        """Write `data` at the end; returns where it starts (for `read`)."""
        done = 0
        try:
            with self._lock:
                self._file.seek(self._end)  # after a read on a system without pread
                while done < len(data):  # a raw file may take fewer bytes than given (in principle)
                    done += self._file.write(memoryview(data)[done:])
                start, self._end = self._end, self._end + len(data)
        except OSError as exc:  # the disk is full, say: not a content problem, and not a crash
            raise BodyFileError(str(exc)) from exc
        return start

    @property
    def size(self) -> int:
        """How many bytes have been appended."""
        return self._end

    def read(self, offset: int, length: int) -> bytes:
        if hasattr(os, "pread"):
            data = os.pread(self._file.fileno(), length, offset)
        else:  # Windows (no pread, and no forked processes either): one reader at a time
            with self._lock:
                self._file.seek(offset)
                data = self._file.read(length)
        if len(data) != length:
            raise OSError(f"body file cut short: {len(data)} of {length} bytes at {offset}")
        return data

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> BodyFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


@dataclass(frozen=True, slots=True)
class StoredBody:
    """Where a circular's compressed body is in a BodyFile."""

    file: BodyFile
    offset: int
    length: int

    def read(self) -> bytes:
        return self.file.read(self.offset, self.length)
