"""Per-file work spread over the machine's cores: forked worker processes that inherit the stage's data."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import jinja2

    from .problems import Problem
    from .render import Page

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more than it saves (forking and sending the results back).
MIN_ITEMS = 400
# Items per task: small enough that both workers stay busy to the end, large enough to amortise a task.
CHUNK = 200

# What the current job's workers read. Forked workers inherit it, so the registry, compiled templates and
# closures are never pickled; only item ranges go to the workers and results come back.
_JOB: Any = None


def cores() -> int:
    """How many processors this process may run on (a container's limit, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _ranges(count: int) -> list[tuple[int, int]]:
    return [(start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]


def _map_range(bounds: tuple[int, int]) -> list[Any]:
    items, function = _JOB
    return [function(item) for item in items[bounds[0]:bounds[1]]]


def map_ordered(function: Callable[[T], R], items: Sequence[T], workers: int) -> Iterator[R]:
    """`function` over `items`, in order, in `workers` forked processes (here when that is not worth it).

    Results must pickle; `function` and `items` need not (they are inherited).
    """
    global _JOB
    if workers <= 1 or len(items) < MIN_ITEMS or _JOB is not None:
        yield from map(function, items)
        return
    _JOB = (items, function)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for results in pool.imap(_map_range, _ranges(len(items))):
                yield from results
    finally:
        _JOB = None


class CancelledError(Exception):
    """Raised by `render_pages` when its `stop` says the result is no longer wanted."""


def give_way(stop: Callable[[], bool] | None) -> None:
    """Raise CancelledError when `stop` says the work is no longer wanted (a new save in the preview)."""
    if stop is not None and stop():
        raise CancelledError


def _render_range(bounds: tuple[int, int]) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    pages, templates, describe, _, stop = _JOB
    out: list[tuple[str, bytes]] = []
    problems: list[Problem] = []
    for page in pages[bounds[0]:bounds[1]]:
        give_way(stop)
        try:
            out.append((page.path, templates[page.template].render(page=page.path, **page.make()).encode("utf-8")))
        except Exception as exc:  # reported with its template line, like every other page's problem
            if (problem := describe(exc)) not in problems:
                problems.append(problem)
    return out, problems


def _other_work(index: int) -> tuple[Any, list[Problem]]:
    return _JOB[3][index]()


def render_pages(pages: list[Page], templates: dict[str, jinja2.Template], describe: Callable[[Exception], Problem],
                 others: Sequence[Callable[[], tuple[T, list[Problem]]]], workers: int,
                 stop: Callable[[], bool] | None = None) -> tuple[dict[str, bytes], list[Problem], list[T]]:
    """Every page rendered (path -> bytes, in plan order), the results of `others` in order (parts of the
    search index, the feeds and exports: each computed by one worker while the others render pages), and
    the distinct problems of all.

    Problems are described in the process that met them, where the exception's traceback (the template or
    code line to report) still is. `stop`, asked between pages (or chunks of them), raises CancelledError when
    it says true: the preview abandons a full render when another save comes in.
    """
    global _JOB
    files: dict[str, bytes] = {}
    problems: list[Problem] = []

    def add(out: list[tuple[str, bytes]] | dict[str, bytes], found: list[Problem]) -> None:
        files.update(out)
        problems.extend(p for p in found if p not in problems)

    serial = workers <= 1 or len(pages) < MIN_ITEMS or _JOB is not None
    _JOB = (pages, templates, describe, others, None if not serial else stop)
    results: list[T] = []
    found: list[Problem] = []
    try:
        if serial:
            add(*_render_range((0, len(pages))))
            for other in others:
                give_way(stop)
                result, found_here = other()
                results.append(result)
                found += found_here
        else:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                # Queued first: they are the longest single tasks.
                pending = [pool.apply_async(_other_work, (i,)) for i in range(len(others))]
                for out, found_here in pool.imap(_render_range, _ranges(len(pages))):
                    give_way(stop)  # raising here leaves the block, which terminates the workers
                    add(out, found_here)
                for task in pending:
                    result, found_here = task.get()
                    results.append(result)
                    found += found_here
        problems.extend(p for p in found if p not in problems)
        return files, problems, results
    finally:
        _JOB = None
