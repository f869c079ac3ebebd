"""Per-file work spread over the machine's cores: forked worker processes that inherit the stage's data."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import multiprocessing.pool
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


def _release_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc only; elsewhere nothing): the previous stage's
    garbage (file texts, parse results) would otherwise stay in this process, and be inherited by every
    worker forked after it."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@contextlib.contextmanager
def _pool(workers: int) -> Iterator[multiprocessing.pool.Pool]:
    """`workers` forked processes that share this one's memory until they write to it.

    The objects alive now are frozen out of the garbage collector's reach first: a collection in a worker
    writes to every object it visits, which would copy nearly all of the inherited memory into each worker.
    """
    settled = gc.get_freeze_count() > 0  # by `settle` (the preview): settled again after the pool
    gc.collect()
    _release_free_memory()
    gc.freeze()
    try:
        # Kept frozen here too while the pool lives: a collection in this process would write to the
        # inherited objects as well, and copy the pages it shares with the workers.
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield pool
    finally:
        if settled:
            settle()  # what the pool's work left as garbage is collected, not kept frozen
        else:
            gc.unfreeze()


def settle() -> None:
    """Keep the objects alive now out of every later garbage collection (the preview's parse cache and
    registry, after a full check): at 10,000 circulars a full collection walks them for 300 ms, and one
    falls due every few seconds while the preview renders, holding up the check of the next save. What
    became garbage since the last settle is collected first; what becomes garbage later among the frozen
    objects (the registry a quick re-check replaces) waits for the next settle."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


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
        with _pool(workers) as pool:
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


def _render_range(bounds: tuple[int, int]) -> tuple[list[tuple[str, Any]], list[Problem]]:
    pages, templates, describe, _, stop, write = _JOB
    out: list[tuple[str, Any]] = []
    problems: list[Problem] = []
    for page in pages[bounds[0]:bounds[1]]:
        give_way(stop)
        try:
            data = templates[page.template].render(page=page.path, **page.make()).encode("utf-8")
        except Exception as exc:  # reported with its template line, like every other page's problem
            if (problem := describe(exc)) not in problems:
                problems.append(problem)
            continue
        out.append((page.path, data if write is None else write(page.path, data)))
    return out, problems


def _other_work(index: int) -> tuple[Any, list[Problem]]:
    return _JOB[3][index]()


def render_pages(pages: list[Page], templates: dict[str, jinja2.Template], describe: Callable[[Exception], Problem],
                 others: Sequence[Callable[[], tuple[T, list[Problem]]]], workers: int,
                 received: Callable[[str, Any], None], take: Callable[[int, T], None],
                 write: Callable[[str, bytes], Any] | None = None,
                 stop: Callable[[], bool] | None = None) -> list[Problem]:
    """Every page rendered, and each of `others` (parts of the search index, the feeds and exports: each
    computed by one worker while the others render pages) handed to `take` (its index, its result) in order;
    returns the distinct problems of all.

    Without `write`, each page's bytes come back to this process and go to `received` (path, bytes). With
    it, the process that rendered a page calls `write` (path, bytes) itself, and only what that returns comes
    back to `received`: no page crosses between processes, and none is held here. Either way `received`
    and `take` are called here as soon as a run of pages or a result arrives, so nothing piles up.

    Problems are described in the process that met them, where the exception's traceback (the template or
    code line to report) still is. `stop`, asked between pages (or runs of them), raises CancelledError when
    it says true: the preview abandons a full render when another save comes in.
    """
    global _JOB
    problems: list[Problem] = []

    def note(found: list[Problem]) -> None:
        problems.extend(p for p in found if p not in problems)

    def add(out: list[tuple[str, Any]], found: list[Problem]) -> None:
        for path, data in out:
            received(path, data)
        note(found)

    serial = workers <= 1 or len(pages) < MIN_ITEMS or _JOB is not None
    _JOB = (pages, templates, describe, others, None if not serial else stop, write)
    try:
        if serial:
            for bounds in _ranges(len(pages)):
                add(*_render_range(bounds))
            for i, other in enumerate(others):
                give_way(stop)
                result, found = other()
                take(i, result)
                note(found)
            return problems
        with _pool(workers) as pool:
            # Queued first: they are the longest single tasks.
            pending = [pool.apply_async(_other_work, (i,)) for i in range(len(others))]
            taken = 0

            def take_ready(wait: bool) -> None:
                nonlocal taken
                while taken < len(pending) and (wait or pending[taken].ready()):
                    result, found = pending[taken].get()
                    pending[taken] = None  # type: ignore[call-overload]  # it holds the result: let it go
                    take(taken, result)
                    note(found)
                    taken += 1

            runs = pool.imap(_render_range, _ranges(len(pages)))
            while True:
                take_ready(wait=False)
                try:
                    # A short wait, so a result that arrives while pages render is taken (and freed) at once.
                    out, found = runs.next(timeout=0.05)  # type: ignore[call-arg]
                except multiprocessing.TimeoutError:
                    give_way(stop)
                    continue
                except StopIteration:
                    break
                give_way(stop)  # raising here leaves the block, which terminates the workers
                add(out, found)
            take_ready(wait=True)
        return problems
    finally:
        _JOB = None
