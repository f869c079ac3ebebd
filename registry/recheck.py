"""The preview's quick re-check: after a save that changed only circular files, read and validate just those
files and link again only if something linking reads has changed; otherwise ask for a full check.

A full check at 10,000 circulars reads every file and links them all (about a second); the common edit
(a title, a paragraph) needs neither. The result is exactly what a full check would give: every shortcut
is taken only when its inputs are shown unchanged, and anything unusual (a new, removed or unreadable file,
an invalid one, a changed document, a linked file) falls back to the full check, which reports it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .cache import Cache, Stamp, stamp
from .link import Registry, link, link_view, with_circulars
from .load import Reader, SourceFile
from .model import Circular
from .validate import validate_again


@dataclass(frozen=True)
class Checked:
    """A content folder that passed its check: its files, their circulars (in the same order), the linked
    registry, and what a quick re-check needs to start from it."""

    content: Path
    as_of: dt.date
    sources: tuple[SourceFile, ...]
    circulars: tuple[Circular, ...]
    registry: Registry
    topics: dict[str, str] | None
    synonyms: tuple[tuple[str, ...], ...]
    files: dict[str, tuple[int, str]]  # real path -> (index in sources, path below circulars/); {}: none
    depends: tuple[tuple[str, Stamp], ...]  # the documents the circulars name, as they were checked


def checked(content: Path, as_of: dt.date, sources: list[SourceFile], circulars: list[Circular],
            registry: Registry, topics: dict[str, str] | None,
            synonyms: tuple[tuple[str, ...], ...]) -> Checked:
    """A good full check's result (no problems: every source gave its circular, in order)."""
    assert len(sources) == len(circulars)
    folder = os.path.realpath(content / "circulars")
    prefix = (content / "circulars").relative_to(content.parent).as_posix() + "/"
    files: dict[str, tuple[int, str]] = {}
    for i, source in enumerate(sources):
        rel = source.repo_path.removeprefix(prefix)
        path = os.path.join(folder, rel)
        if os.path.islink(path):  # its changes are reported under another name: always check in full
            files = {}
            break
        files[path] = (i, rel)
    depends = tuple((d.local_path, stamp(d.local_path)) for c in circulars for d in c.documents if d.local_path)
    return Checked(content, as_of, tuple(sources), tuple(circulars), registry, topics, synonyms, files, depends)


def recheck(last: Checked, changed: Iterable[str], cache: Cache) -> Checked | None:
    """`last` with the circular files at `changed` (real paths) read and checked again, or None when the
    change needs a full check: a path that is not one of last's files (a new file, a template, the
    configuration), a file gone, unreadable or invalid, a document changed, or a link problem."""
    if not last.files:
        return None
    todo: list[tuple[int, str]] = []
    for path in sorted(set(changed)):
        if path in last.files:
            todo.append(last.files[path])
        elif os.path.lexists(path):
            return None
        # else made and removed again (an editor's temporary file): the full check would not see it either
    if any(stamp(path) != was for path, was in last.depends):
        return None
    reader = Reader(last.content)
    sources = list(last.sources)
    for i, rel in todo:
        source, problem = reader.read(rel)
        if source is None or problem is not None:
            return None
        sources[i] = source
    news, problems = validate_again([sources[i] for i, _ in todo], last.content, last.topics, cache)
    if problems:
        return None
    circulars = list(last.circulars)
    for (i, _), circular in zip(todo, news, strict=True):
        assert circular is not None  # a file without problems is valid
        circulars[i] = circular
    fresh = [circulars[i] for i, _ in todo]
    if all(link_view(circulars[i]) == link_view(last.circulars[i]) for i, _ in todo):
        registry = with_circulars(last.registry, fresh)
    else:
        linked, problems = link(circulars, last.as_of, {s.id for s in sources}, last.topics, last.synonyms)
        if linked is None or problems:
            return None
        registry = linked
    return Checked(last.content, last.as_of, tuple(sources), tuple(circulars), registry, last.topics,
                   last.synonyms, last.files, last.depends)
