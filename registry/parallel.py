"""Per-file work spread over the machine's cores: forked worker processes that inherit the stage's code and data."""

from __future__ import annotations

import collections
import contextlib
import ctypes
import functools
import gc
import multiprocessing
import multiprocessing.pool
import os
import threading
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
# Render tasks the forked helpers (all of them together) are given before fresh ones replace them (see
# `_share`): a second or two of work each, so the fork (about 60 ms at 100,000 circulars) costs little.
TASKS_PER_FORK = 6

# What the current job's workers read. Forked workers inherit it, so the registry, compiled templates and
# closures are never pickled; only the parse's items and the render's task numbers go to the workers, and
# results come back.
_JOB: Any = None


def _release_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc only; elsewhere nothing): the previous stage's
    garbage (file texts, parse results) would otherwise stay in this process, and be inherited by every
    worker forked after it."""
    if (libc := _libc()) is not None:
        libc.malloc_trim(0)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library, loaded once (the render hands memory back after every task)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc only: raises AttributeError elsewhere
    except (OSError, AttributeError):
        return None
    return libc


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """The objects alive now frozen out of the garbage collector's reach while workers forked from this
    process live: a collection in a worker writes to every object it visits, which would copy nearly all of
    the inherited memory into each worker; one in this process would write to them as well, and copy the
    pages it shares with the workers."""
    settled = gc.get_freeze_count() > 0  # by `settle` (the preview): settled again after the pool
    # The garbage's memory is handed back by `_fork`, before each fork (in a one-off build, the young
    # generations' only: see no_full_collections).
    gc.collect(_COLLECTED)
    gc.freeze()
    try:
        yield
    finally:
        if settled:
            settle()  # what the pool's work left as garbage is collected, not kept frozen
        else:
            gc.unfreeze()


class WorkerLostError(RuntimeError):
    """A forked worker ended before finishing its work (killed: out of memory, say). A pool starts a new
    worker in its place but never runs the lost task again, so waiting for its result would never end."""

    def __init__(self) -> None:
        super().__init__("a worker process ended before finishing its work (killed, or out of memory?)")


# How long to wait for a result before looking whether a worker has ended (a second is nothing next to a
# stalled build, and looking costs a few microseconds).
_LOOK_EVERY = 1.0


def _workers(pool: multiprocessing.pool.Pool) -> frozenset[int | None]:
    """The pool's worker processes now. A pool replaces a worker that ends (workers here never end on their
    own: no task limit), so a set that differs from the one it started with means one was lost."""
    return frozenset(process.pid for process in pool._pool)  # type: ignore[attr-defined]  # no public list


def _fork(workers: int) -> multiprocessing.pool.Pool:
    """`workers` processes forked now, sharing this one's memory until they write to it."""
    _release_free_memory()  # not inherited: what the last task freed
    return multiprocessing.get_context("fork").Pool(workers)


@contextlib.contextmanager
def _pool(workers: int) -> Iterator[multiprocessing.pool.Pool]:
    """`workers` forked processes for one job (see `_frozen`)."""
    with _frozen(), _fork(workers) as pool:
        yield pool


# The oldest generation a collection before forking goes through: all of them, unless `no_full_collections`.
_COLLECTED = 2


def no_full_collections() -> None:
    """For a process that runs one build or check and ends: the garbage collector's full collections left
    out (the young generations, where short-lived cycles are, are still collected). A full collection walks
    every object alive, the registry included: about 2 s at 100,000 circulars, falling due more and more
    often as the registry grows (in one build at 100,000, 13 s of planning pages and recording the output
    took about 4 s in a fresh process). In builds measured, they found next to nothing to free. (Python
    3.11's collector: the third threshold counts younger collections between full ones.)"""
    global _COLLECTED
    first, second, _ = gc.get_threshold()
    gc.set_threshold(first, second, 1 << 30)
    _COLLECTED = 1


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


def _map_items(items: list[Any]) -> list[Any]:
    function = _JOB
    return [function(item) for item in items]


def forks(count: int, workers: int) -> bool:
    """Whether `map_ordered` would spread `count` items over forked processes (else it maps them here)."""
    return workers > 1 and count >= MIN_ITEMS and _JOB is None


def map_ordered(function: Callable[[T], R], items: Sequence[T], workers: int) -> Iterator[R]:
    """`function` over `items`, in order, in `workers` forked processes (here when that is not worth it).

    Items and results must pickle; `function` need not (it is inherited). The items are sent, not
    inherited: a worker reading an inherited object writes its reference count, which copies the memory
    page it is on into the worker (at 100,000 circulars, the first page of every file's text: about 200
    MB per worker), while sending one costs about what reading it does.
    """
    global _JOB
    if not forks(len(items), workers):
        yield from map(function, items)
        return
    _JOB = function
    try:
        with _pool(workers) as pool:
            started = _workers(pool)
            found = pool.imap(_map_items, (items[start:end] for start, end in _ranges(len(items))))
            while True:
                try:
                    results = found.next(_LOOK_EVERY)
                except StopIteration:
                    return
                except multiprocessing.TimeoutError:
                    if _workers(pool) != started:
                        raise WorkerLostError from None
                    continue
                yield from results
    finally:
        _JOB = None


class CancelledError(Exception):
    """Raised by `render_pages` when its `stop` says the result is no longer wanted."""


def give_way(stop: Callable[[], bool] | None) -> None:
    """Raise CancelledError when `stop` says the work is no longer wanted (a new save in the preview)."""
    if stop is not None and stop():
        raise CancelledError


def _render_range(bounds: tuple[int, int], stop: Callable[[], bool] | None = None,
                  ) -> tuple[list[tuple[str, Any]], list[Problem]]:
    pages, templates, describe, _, write = _JOB
    out: list[tuple[str, Any]] = []
    problems: list[Problem] = []
    for page in pages[bounds[0]:bounds[1]]:
        give_way(stop)
        try:
            if (context := page.make()) is None:  # not a page after all
                continue
            data = templates[page.template].render(page=page.path, **context).encode("utf-8")
        except Exception as exc:  # reported with its template line, like every other page's problem
            if (problem := describe(exc)) not in problems:
                problems.append(problem)
            continue
        out.append((page.path, data if write is None else write(page.path, data)))
    return out, problems


# One unit of render_pages' work: a run of pages (its bounds), or one of `others` (its index).
Task = tuple[str, Any]


def _run(task: Task, stop: Callable[[], bool] | None = None) -> tuple[Any, list[Problem]]:
    kind, arg = task
    try:
        if kind == "pages":
            return _render_range(arg, stop)
        give_way(stop)
        return _JOB[3][arg](stop)
    finally:
        # Rendering leaves the C heap with free holes that malloc keeps (tens of MB per process at 10,000
        # circulars over a build): handed back after each task, about 2 ms a time.
        _release_free_memory()


def render_pages(pages: list[Page], templates: dict[str, jinja2.Template], describe: Callable[[Exception], Problem],
                 others: Sequence[Callable[[Callable[[], bool] | None], tuple[T, list[Problem]]]], workers: int,
                 received: Callable[[str, Any], None],
                 take: Callable[[int, T, Callable[[], bool] | None], None],
                 write: Callable[[str, bytes], Any] | None = None,
                 stop: Callable[[], bool] | None = None) -> list[Problem]:
    """Every page rendered, and each of `others` (parts of the search index, the feeds and exports; each
    called with the `stop` to ask between its files) handed to `take` (its index, its result, and what to
    ask between the files of a long piece of work made from it, as the others do) in order; returns the
    distinct problems of all, in the order of the work that met them (pages, then others).

    The work is spread over `workers` processes: this one and `workers - 1` forked ones (see `_share`).
    This process working too, instead of waiting for two forked ones, keeps one copy fewer of what the
    pages read: a forked worker copies every page of inherited memory whose objects it touches (Python
    writes a reference count into each object it reads).

    Without `write`, each page's bytes go to `received` (path, bytes) here. With it, the process that
    rendered a page calls `write` (path, bytes) itself, and only what that returns comes back to
    `received`: no page crosses between processes, and none is held here. Either way `received` and
    `take` are called here as soon as a run of pages or a result is in, so nothing piles up.

    Problems are described in the process that met them, where the exception's traceback (the template or
    code line to report) still is. `stop`, asked between pages (or runs of them), raises CancelledError when
    it says true: the preview abandons a full render when another save comes in.
    """
    global _JOB
    tasks: list[Task] = [("pages", bounds) for bounds in _ranges(len(pages))]
    tasks += [("other", i) for i in range(len(others))]
    found_by: dict[int, list[Problem]] = {}
    waiting: dict[int, Any] = {}  # others' results that came in before an earlier one's
    taken = 0

    def finish(index: int, value: tuple[Any, list[Problem]], between: Callable[[], bool] | None) -> None:
        nonlocal taken
        (kind, arg), (result, found) = tasks[index], value
        found_by[index] = found
        if kind == "pages":
            for path, data in result:
                received(path, data)
            return
        waiting[arg] = result
        while taken in waiting:
            take(taken, waiting.pop(taken), between)
            taken += 1

    serial = not forks(len(pages), workers)
    _JOB = (pages, templates, describe, others, write)
    try:
        if serial:
            for index, task in enumerate(tasks):
                finish(index, _run(task, stop), stop)
        else:
            _share(tasks, finish, workers - 1, stop)
    finally:
        _JOB = None
    problems: list[Problem] = []
    for index in sorted(found_by):
        problems.extend(p for p in found_by[index] if p not in problems)
    return problems


def _share(tasks: list[Task],
           finish: Callable[[int, tuple[Any, list[Problem]], Callable[[], bool] | None], None], helpers: int,
           stop: Callable[[], bool] | None) -> None:
    """Run every task, `helpers` forked processes taking the pages from the front and this one the others
    (the search index's parts in order, then the exports and feeds: each reads every circular) and then
    pages from the back, until they meet; `finish` (index, result, what to ask between files) here,
    for each as it is done.

    The helpers are replaced by freshly forked ones once each has run TASKS_PER_FORK tasks (checked here
    between tasks, and between the files of a long task of this process's own). A forked process copies
    every page of inherited memory whose objects it reads, and this process every page it writes that a
    helper still shares: over a whole render either would come to a second copy of the registry (at
    100,000 circulars, about a gigabyte). A fresh helper starts with no copies, and runs of pages touch
    only their own circulars. (Where the two ends meet, a helper may take one of the others.) What `finish`
    makes of a result here asks the same between its files (the word index put together from its parts:
    15 s at 100,000 circulars, through which the helpers would otherwise wait once their tasks are done).
    """
    others = [i for i, (kind, _) in enumerate(tasks) if kind == "other"]
    order = [i for i, (kind, _) in enumerate(tasks) if kind != "other"] + others[::-1]
    front, back = 0, len(order) - 1
    lock = threading.Lock()  # `front`, `back` and `budget` move in this thread and in the pool's result thread
    running: collections.deque[tuple[int, multiprocessing.pool.AsyncResult[Any]]] = collections.deque()
    pool: multiprocessing.pool.Pool | None = None
    started: frozenset[int | None] = frozenset()  # the current helpers, as forked (see `_workers`)
    budget = 0  # tasks the current helpers may still be given

    def collect(block: bool) -> None:
        if block and running:
            running[0][1].wait(0.05)  # short: `stop` is asked between waits
            if not running[0][1].ready() and pool is not None and _workers(pool) != started:
                raise WorkerLostError
        while running and running[0][1].ready():
            index, result = running.popleft()
            finish(index, result.get(), mine_stop)

    def dispatch() -> None:  # with `lock` held
        nonlocal front, budget
        if pool is not None and front <= back and budget > 0:
            index, front, budget = order[front], front + 1, budget - 1
            running.append((index, pool.apply_async(_run, (tasks[index],), callback=again, error_callback=again)))

    def again(_: object) -> None:
        # In the pool's result thread, the moment a helper finishes a task: the next is queued at once,
        # whatever this thread is doing (a long task of its own, or taking a result).
        with lock, contextlib.suppress(ValueError):  # ValueError: the pool is closing (after an error here)
            dispatch()

    def refresh() -> None:
        """Fresh helpers, when the current ones have spent their budget and finished (their results, kept
        by the pool's AsyncResults, are taken later, in order) and work is left for them."""
        nonlocal pool, budget, started
        with lock:
            if pool is not None and (budget > 0 or front > back or not all(r.ready() for _, r in running)):
                return
        if pool is not None:
            pool.terminate()
        pool = _fork(helpers)
        started = _workers(pool)
        with lock:
            budget = TASKS_PER_FORK * helpers
            for _ in range(2 * helpers):  # two queued per helper: the next is there when it finishes one
                dispatch()

    def mine_stop() -> bool:  # asked between the files of this process's own tasks
        if stop is not None and stop():
            return True
        refresh()
        return False

    with _frozen():
        try:
            refresh()
            while True:
                collect(block=False)
                refresh()
                with lock:
                    mine = None if front > back else order[back]
                    back -= mine is not None
                if mine is not None:
                    finish(mine, _run(tasks[mine], mine_stop), mine_stop)
                elif running:
                    give_way(stop)  # raising here leaves the block, which terminates the helpers
                    collect(block=True)
                else:
                    return
        finally:
            if pool is not None:
                pool.terminate()
