"""The preview server's memory of per-file results, so a rebuild parses only the files that changed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Circular
    from .problems import Problem

# (modification time in ns, size) of a file, or None when it does not exist.
Stamp = tuple[int, int] | None


def stamp(path: Path | str) -> Stamp:
    """What a file looks like from outside: enough to notice that a document was added, removed or replaced."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


@dataclass(frozen=True)
class Parsed:
    """What validating one file gave: the circular (if valid), its problems, and the other files it read."""

    circular: Circular | None
    problems: tuple[Problem, ...]
    depends: tuple[tuple[str, Stamp], ...]


class ParseCache:
    """Validation results by file, reused while the file's text and every input to its checks are unchanged.

    The key holds everything `validate_file` reads besides other files: the id, the repository path, the
    full text (compared, not hashed, so two texts never collide) and the topic vocabulary. Other files it
    read (documents) are checked by stamp. The code cannot change under a running server, and the site
    configuration is not an input to parsing, so neither is in the key. Lives only in memory.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[object, Parsed]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, path: str, key: object) -> Parsed | None:
        found = self._entries.get(path)
        if found is None or found[0] != key or any(stamp(p) != s for p, s in found[1].depends):
            self.misses += 1
            return None
        self.hits += 1
        return found[1]

    def put(self, path: str, key: object, result: Parsed) -> None:
        self._entries[path] = (key, result)

    def keep_only(self, paths: set[str]) -> None:
        """Forget files that are gone, so memory does not grow with every rename."""
        for path in set(self._entries) - paths:
            del self._entries[path]
