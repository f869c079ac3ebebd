"""The preview's quick re-check: after a save that changed only circular files, read and validate just those
files and link again only if something linking reads has changed; otherwise ask for a full check.

A full check at 10,000 circulars reads every file and links them all (about a second); the common edit
(a title, a paragraph) needs neither. Each shortcut is taken only when its inputs are shown unchanged
(the files by the watcher's notifications, and by stamp before the preview writes the whole site, so a
missed notification is not a lasting stale page), and anything unusual (a new, removed, unreadable,
invalid or linked file, a removed folder, a changed document, a link problem) falls back to the full
check, which reports it. Tests compare the preview after each kind of save with a fresh build
(tests/test_recheck.py).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cache import Cache, Stamp, stamp
from .link import Registry, link, link_view, with_circulars
from .load import Reader, SourceFile
from .model import Circular
from .validate import validate_again


@dataclass(frozen=True)
class Checked:
    """A content folder that passed its check: its circulars (in the order of its files), the linked
    registry, and what a quick re-check needs to start from it (no file's text: the parse cache has it)."""

    content: Path
    as_of: dt.date
    ids: frozenset[str]
    rels: tuple[str, ...]  # each circular's file, below circulars/
    circulars: tuple[Circular, ...]
    registry: Registry
    topics: dict[str, str] | None
    synonyms: tuple[tuple[str, ...], ...]
    # Set by `watching` (the preview only: a build never needs them). Path as the watcher reports it ->
    # (index in circulars, path below circulars/, stamp when read); {} when a quick re-check cannot be
    # trusted (a file is a link, reported under another name) or nothing is watched.
    files: dict[str, tuple[int, str, Stamp]] = field(default_factory=dict)
    folders: frozenset[str] = frozenset()  # circulars/ and every folder below it that holds a file of `files`
    depends: tuple[tuple[str, Stamp], ...] = ()  # the documents the circulars name, as they were checked


def _documents(circulars: Iterable[Circular]) -> tuple[tuple[str, Stamp], ...]:
    return tuple((d.local_path, stamp(d.local_path)) for c in circulars for d in c.documents if d.local_path)


def checked(content: Path, as_of: dt.date, sources: list[SourceFile], circulars: list[Circular],
            registry: Registry, topics: dict[str, str] | None,
            synonyms: tuple[tuple[str, ...], ...]) -> Checked:
    """A good full check's result (no problems: every source gave its circular, in order)."""
    prefix = (content / "circulars").relative_to(content.parent).as_posix() + "/"
    rels = tuple(s.repo_path.removeprefix(prefix) for s in sources) if len(sources) == len(circulars) else ()
    return Checked(content, as_of, frozenset(s.id for s in sources), rels, tuple(circulars), registry, topics,
                   synonyms)


def watching(last: Checked) -> Checked:
    """`last` with what the preview's quick re-check compares against: every file by the path the watcher
    reports it under (serve.py watches the resolved content folder, and reports paths below it as named
    there), with its stamp, and the stamps of the documents the circulars name. Taken right after the
    full check: a file changed since is then seen as changed."""
    root = os.path.join(str(last.content.resolve()), "circulars")
    files: dict[str, tuple[int, str, Stamp]] = {}
    folders = {root}
    usable = len(last.rels) == len(last.circulars)
    for i, rel in enumerate(last.rels if usable else ()):
        path = os.path.join(root, *rel.split("/"))
        if os.path.islink(path):  # its changes are reported under another name: always check in full
            usable = False
            break
        files[path] = (i, rel, stamp(path))
        folders.add(os.path.dirname(path))
    return replace(last, files=files if usable else {}, folders=frozenset(folders),
                   depends=_documents(last.circulars))


def _needs_full_check(last: Checked, path: str) -> bool:
    """A path the watcher reported that is not one of last's files: anything that exists now (a new file,
    a template, the configuration), and anything gone but a stray file in a folder of circulars (an editor's
    temporary file, made and removed before the check; a full check would not see it either)."""
    if os.path.lexists(path):
        return True
    return path in last.folders or os.path.dirname(path) not in last.folders


def unnoticed(last: Checked) -> frozenset[str]:
    """last's files whose stamp has changed since it was checked: the preview asks before it writes the
    whole site, so a save whose notification was lost (the system's queue overflowed during a checkout)
    is checked too. Not on every save: it takes 40 ms at 10,000 files."""
    return frozenset(path for path, (_, _, was) in last.files.items() if stamp(path) != was)


def recheck(last: Checked, changed: Iterable[str], cache: Cache) -> Checked | None:
    """`last` with the circular files at `changed` (paths as the watcher reports them) read and checked
    again, or None when the change needs a full check."""
    if not last.files:
        return None
    todo: set[str] = set()
    for path in changed:
        if path in last.files:
            todo.add(path)
        elif _needs_full_check(last, path):
            return None
    if any(stamp(path) != was for path, was in last.depends):
        return None
    reader = Reader(last.content)
    files = dict(last.files)
    fresh: list[tuple[int, SourceFile]] = []
    for path in sorted(todo):
        i, rel, _ = last.files[path]
        now = stamp(path)
        if now is None or os.path.islink(path):  # removed, or replaced by a link: the full check says why
            return None
        source, problem = reader.read(rel)
        if source is None or problem is not None:
            return None
        fresh.append((i, source))
        files[path] = (i, rel, now)
    news, problems = validate_again([s for _, s in fresh], last.content, last.topics, cache)
    if problems:
        return None
    circulars = list(last.circulars)
    for (i, _), circular in zip(fresh, news, strict=True):
        if circular is None:
            return None
        circulars[i] = circular
    if all(link_view(circulars[i]) == link_view(last.circulars[i]) for i, _ in fresh):
        registry = with_circulars(last.registry, [circulars[i] for i, _ in fresh])
    else:
        linked, problems = link(circulars, last.as_of, set(last.ids), last.topics, last.synonyms)
        if linked is None or problems:
            return None
        registry = linked
    return replace(last, circulars=tuple(circulars), registry=registry, files=files,
                   depends=_documents(circulars))
