#!/usr/bin/env python3
"""Register Edaran command line: `build`, `check`, `serve` and `new` (see README.md, "Command line")."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from registry import parallel, scaffold, state
from registry import problems as problem_report
from registry.bodies import BodyFile, BodyFileError
from registry.cache import Cache, DiskCache, ParseCache, code_version
from registry.config import SiteConfig, check_base_url, load_config
from registry.export import SCHEMA
from registry.link import Registry, link
from registry.load import load, load_synonyms, load_topics
from registry.problems import Problem
from registry.recheck import Checked, checked, recheck, unnoticed, watching
from registry.render import Site, prepare
from registry.strings import load_strings
from registry.validate import validate
from registry.write import Staging

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class Outcome:
    """What one run of the pipeline produced: the site (if any), its problems, and the exit code."""

    files: dict[str, bytes] | None
    problems: list[Problem]
    exit_code: int
    registry: Registry | None = None
    config: SiteConfig | None = None  # what it was built with
    site: Site | None = None  # ready to render (phase one passed), whether or not `files` were rendered yet
    checked: Checked | None = None  # phase one's result, for the preview's quick re-check
    note: str = ""  # how phase one was done, for the preview's log


def check_content(content: Path, as_of: dt.date, cache: Cache | None = None,
                  workers: int = 1) -> tuple[Registry | None, list[Problem]]:
    """Phase one: load, validate and link every circular; writes nothing. `cache` keeps per-file results
    (the preview's in memory, or on disk between builds); the files it lacks are parsed by `workers`."""
    checked, problems = check_files(content, as_of, cache, workers)
    return (checked.registry if checked is not None else None), problems


def check_files(content: Path, as_of: dt.date, cache: Cache | None = None, workers: int = 1,
                bodies: BodyFile | None = None) -> tuple[Checked | None, list[Problem]]:
    """`check_content`, keeping what the preview's quick re-check starts from (recheck.py). With `bodies`,
    the circulars' bodies are kept there instead of in memory (the build's)."""
    sources, problems = load(content)
    topics, found = load_topics(content)
    problems += found
    synonyms, found = load_synonyms(content)
    problems += found
    circulars, found = validate(sources, content, topics, cache, workers, bodies)
    problems += found
    registry, found = link(circulars, as_of, known_ids={s.id for s in sources}, topic_names=topics,
                           synonyms=synonyms or ())
    problems += found
    if problems or registry is None:
        return None, problems
    return checked(content, as_of, sources, circulars, registry, topics, synonyms or ()), []


def prepare_pages(content: Path, config: SiteConfig, as_of: dt.date, cache: Cache | None = None,
                  workers: int = 1, rechecked: Checked | None = None, previous: Site | None = None,
                  bodies: BodyFile | None = None) -> Outcome:
    """Phase one, then the site ready to render (templates compiled): `site`, but no `files` yet.
    `rechecked` is phase one already done (the preview's quick re-check); `previous` the preview's last
    good site (render.prepare); `bodies` where the bodies are kept (check_files)."""
    # Read on every build, so the preview picks up an edited catalogue; like a config error, a missing or
    # broken one is exit code 2, before the content is even read.
    strings, problems = load_strings(TEMPLATES, config.language)
    if strings is None:
        return Outcome(None, problems, EXIT_USAGE)
    good, problems = (rechecked, []) if rechecked is not None else check_files(content, as_of, cache, workers,
                                                                                bodies)
    if good is None:
        return Outcome(None, problems, EXIT_CONTENT)
    site, problems = prepare(good.registry, config, strings, TEMPLATES, STATIC, previous)
    if site is None:
        return Outcome(None, problems, EXIT_CONTENT)
    return Outcome(None, [], EXIT_OK, good.registry, config, site, good)


def render_pages(outcome: Outcome, workers: int = 1, stop: Callable[[], bool] | None = None) -> Outcome:
    """Phase two for a prepared site: the pages, feeds and exports. `stop` may abandon it (CancelledError)."""
    if outcome.site is None:
        return outcome
    files, problems = outcome.site.render_all(workers, stop)
    if problems:
        return Outcome(None, problems, EXIT_CONTENT)
    return Outcome(files, [], EXIT_OK, outcome.registry, outcome.config, outcome.site, outcome.checked)


def build_pages(content: Path, config: SiteConfig, as_of: dt.date, cache: Cache | None = None,
                workers: int = 1) -> Outcome:
    """Phase one, then the pages, feeds and exports (phase two) only when phase one found nothing wrong."""
    return render_pages(prepare_pages(content, config, as_of, cache, workers), workers)


def write_site(site: Site, output: Path, workers: int = 1) -> tuple[list[Problem], state.Manifest, int]:
    """Phases two and three for a prepared site: every file rendered straight into a staging folder (the
    site is never held whole in memory), swapped in as `output` only when all are made without a problem.
    Returns the problems (then `output` is unchanged), the files the site has with their sizes and times
    (state.py's manifest), and how many were written (the rest were linked: unchanged since the last
    build)."""
    staging = Staging(output)
    try:
        problems = site.render_into(staging.put, workers, note=staging.note)
        if problems:
            staging.abort()
            return problems, {}, 0
    except BaseException:
        staging.abort()
        raise
    return [], staging.manifest, staging.commit()


def preview_checks(content: Path, config_path: Path, overrides: dict[str, object], as_of: dt.date | None,
                   cache: ParseCache, jobs: list[int]) -> tuple[Callable[[frozenset[str] | None], Outcome],
                                                           Callable[[], frozenset[str]]]:
    """The preview's phase one, run for every save (serve.py's `Prepare`): given the paths changed since
    the last call when the watcher knows them, else None. `cache` keeps per-file parsing between calls;
    `jobs[0]` is how many processes may parse. Also returns what finds the files changed since the last good
    check that no call was told of (serve.py's `Missed`)."""
    good: tuple[Checked, SiteConfig, Site] | None = None  # the last good check, its config and its site
    since_good: set[str] | None = None  # every path changed since it (None: not known, so check everything)

    def prepare(changed: frozenset[str] | None = None) -> Outcome:
        nonlocal good, since_good
        since_good = None if changed is None or since_good is None else since_good | changed
        # The config is read again on every rebuild, so an edit to it takes effect without a restart.
        config, problems = load_config(config_path, overrides)
        if config is None:
            return Outcome(None, problems, EXIT_USAGE)
        day = as_of or config.as_of or dt.date.today()
        # A save that changed only circular files is checked again on its own (recheck.py): the same result
        # as a full check, without reading and linking every file.
        quick, again = None, 0
        if since_good is not None and good is not None and good[1] == config and good[0].as_of == day:
            quick = recheck(good[0], since_good, cache)
            again = sum(path in good[0].files for path in since_good)
        outcome = prepare_pages(content, config, day, cache, jobs[0], quick, good[2] if good else None)
        if outcome.checked is None or outcome.site is None:
            return outcome
        good, since_good = (quick or watching(outcome.checked), config, outcome.site), set()
        if quick is None:
            parallel.settle()  # the parse cache and registry just made live on: keep collections off them
            return replace(outcome, note=f"{len(outcome.checked.ids)} files checked")
        return replace(outcome, note=f"{again} changed file{'s' if again != 1 else ''} checked again")

    def missed() -> frozenset[str]:
        if good is None or since_good is None:  # the next check reads every file anyway
            return frozenset()
        return unnoticed(good[0]) - since_good

    return prepare, missed


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="{build,check,serve,new}")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--content", type=Path, default=Path("content"),
                       help="folder that holds circulars/ (default: content)")
        p.add_argument("--config", type=Path, default=Path("site_config.yaml"),
                       help="site configuration (default: site_config.yaml)")
        p.add_argument("--as-of", dest="as_of", type=_date_arg, default=None,
                       help="date the statuses are computed for, YYYY-MM-DD (default: config, else today)")
        p.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="processes for the per-file work (default: the number of processors, here "
                            f"{parallel.cores()}; for serve, 1, and only its first build uses more)")

    build = commands.add_parser("build", help="check the content and write the site")
    common(build)
    build.add_argument("--output", type=Path, default=Path("_site"), help="output folder (default: _site)")
    build.add_argument("--base-url", dest="base_url", default=None,
                       help="URL or path the site is served under, e.g. /register-edaran/")
    build.add_argument("--cache", type=Path, default=Path(".build-cache"),
                       help="folder for results kept between builds, so unchanged files are not parsed again and "
                            "an unchanged site is not rebuilt (default: .build-cache; safe to delete at any time)")
    build.add_argument("--no-cache", dest="no_cache", action="store_true",
                       help="parse every file, and neither read nor write the cache")
    check = commands.add_parser("check", help="check the content only; writes nothing")
    common(check)
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="text (default): path:line:col: error[code]: message on stderr; github: GitHub "
                            "Actions ::error commands on stdout, so problems show on the pull request's lines")
    serve = commands.add_parser("serve", help="build, serve on localhost and rebuild on every change")
    common(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--output", type=Path, default=Path("_serve"),
                       help="where the preview is written (default: _serve, never _site)")
    serve.add_argument("--base-url", dest="base_url", default="/", help="default: /")
    new = commands.add_parser("new", help="write a new circular file with every field explained; "
                                          "run without options to see what it needs")
    new.add_argument("--content", type=Path, default=Path("content"),
                     help="folder that holds circulars/ (default: content)")
    new.add_argument("--region", help='"ID" for a national body, else a Kemendagri code ("33.05")')
    new.add_argument("--issued", help="date signed: YYYY-MM-DD, YYYY-MM or YYYY")
    new.add_argument("--issuer", help='the office that issued it ("Bupati Kebumen")')
    new.add_argument("--title", help="the subject as printed, without 'tentang'")
    new.add_argument("--number", help='the number as printed ("060/1160 Tahun 2020")')
    new.add_argument("--kind", default="surat-edaran", help="surat-edaran (default), instruksi, keputusan, ...")
    new.add_argument("--id", dest="id", help="the id, when the derived one is not wanted")
    return parser.parse_args(argv)


def _date_arg(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)") from None


def unsafe_output(output: Path, content: Path, config: Path) -> str | None:
    """Why an output folder must not be used: the build replaces it whole, so it may hold no sources."""
    out = output.resolve()
    for path in (Path.cwd().resolve(), HERE, content.resolve(), config.resolve(), TEMPLATES, STATIC):
        if path == out or out in path.parents:
            return f"the build replaces this folder whole, and it holds {path}; choose a separate folder"
    for path in (content.resolve(), TEMPLATES, STATIC):
        if path in out.parents:
            return f"it is inside {path}, which holds sources; choose a separate folder"
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").is_file():
        return "it holds files but no index.html, so it is not a previous build; it would be replaced whole"
    return None


def _print_problems(problems: list[Problem]) -> None:
    sys.stderr.write(problem_report.report(problems))


def new_circular(args: argparse.Namespace) -> int:
    """`new`: write content/circulars/<id>.md from the options; never overwrite, never prompt."""
    request = scaffold.NewCircular(region=args.region, issued=args.issued, issuer=args.issuer, title=args.title,
                                   number=args.number, kind=args.kind, id=args.id)
    if not any((args.region, args.issued, args.issuer, args.title, args.number, args.id)):
        sys.stderr.write(scaffold.USAGE)
        return EXIT_USAGE
    if why := scaffold.problems_with(request):
        print("\n".join(f"error: {w}" for w in why), file=sys.stderr)
        print("run `python3 build.py new` without options to see what it needs", file=sys.stderr)
        return EXIT_USAGE
    cid = args.id or scaffold.derive_id(args.kind, args.issuer, args.number, args.issued)
    target = args.content / "circulars" / f"{cid}.md"
    if clash := [p for p in (args.content / "circulars").rglob(f"{cid}.md")]:
        print(f"error: {clash[0]} already exists (id '{cid}'); if it is this circular, edit that file; if it "
              "is another one, give this one its own --id", file=sys.stderr)
        return EXIT_USAGE
    with open(target, "x", encoding="utf-8", newline="\n") as f:  # "x": never overwrite, even in a race
        f.write(scaffold.render(request, cid))
    print(f"created {target}: fill in every TODO, then run: python3 build.py check")
    return EXIT_OK


def main(argv: list[str] | None = None, alone: bool = False) -> int:
    """The command line; `alone`: this process runs nothing else and ends after it (build.py run as a script)."""
    args = parse_args(argv)
    if alone and args.command in ("build", "check"):
        parallel.no_full_collections()  # the preview runs on: it collects after each full check (settle)
    if not (args.content / "circulars").is_dir():
        print(f"error: '{args.content}' has no circulars/ folder (--content names the folder that holds it)",
              file=sys.stderr)
        return EXIT_USAGE
    if args.command == "new":
        return new_circular(args)
    base_url = getattr(args, "base_url", None)
    if base_url is not None and (why := check_base_url(base_url)):
        print(f"error: --base-url: {why}", file=sys.stderr)
        return EXIT_USAGE
    if args.command in ("build", "serve") and (why := unsafe_output(args.output, args.content, args.config)):
        print(f"error: --output {args.output}: {why}", file=sys.stderr)
        return EXIT_USAGE
    config, problems = load_config(args.config, {"base_url": base_url})
    if config is None:
        if args.command == "check" and args.format == "github":  # shown on the config file's line too
            sys.stdout.write(problem_report.github(problems))
        _print_problems(problems)
        return EXIT_USAGE
    as_of = args.as_of or config.as_of or dt.date.today()
    # The preview renders in one process unless told otherwise: after its first build it renders beside the
    # server's threads, where forking is unsafe (see below).
    workers = max(1, args.jobs if args.jobs is not None else 1 if args.command == "serve" else parallel.cores())
    # The configuration is part of the key: a result is reused only with the settings it was made with.
    # Only `build` keeps a cache: `check` promises to write nothing, and the preview keeps its own in memory.
    disk_cache = None if args.command != "build" or args.no_cache else DiskCache(
        args.cache, f"{code_version()}\0{config!r}")

    if args.command == "check":
        try:
            registry, problems = check_content(args.content, as_of, workers=workers)
        except parallel.WorkerLostError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if problems:
            if args.format == "github":
                sys.stdout.write(problem_report.github(problems))
            _print_problems(problems)
            return EXIT_CONTENT
        assert registry is not None
        print(f"ok: {len(registry.entries)} circulars checked, no problems")
        return EXIT_OK

    if args.command == "serve":
        from registry.serve import port_problem, serve  # imported here: livereload is only needed for serving

        if reason := port_problem(args.host, args.port):
            print(f"error: cannot serve on {args.host}:{args.port}: {reason}; try another --port", file=sys.stderr)
            return EXIT_USAGE

        # --jobs serves the first build only: later ones run beside the server's threads, and a worker
        # forked while another thread holds a lock (Jinja's cache, a lazily computed value) would hang.
        jobs = [workers]
        prepare, missed = preview_checks(args.content, args.config, {"base_url": base_url}, args.as_of, ParseCache(),
                                         jobs)

        def complete(outcome: Outcome, stop: Callable[[], bool]) -> Outcome:
            try:
                return render_pages(outcome, jobs[0], stop)
            finally:
                jobs[0] = 1

        serve(prepare, complete, missed, watch=[args.content, TEMPLATES, STATIC, args.config],
              output=args.output, host=args.host, port=args.port)
        return EXIT_OK

    try:
        return build_site(args, config, as_of, workers, disk_cache)
    except parallel.WorkerLostError as exc:  # the staging folder is already gone (write_site)
        print(f"error: {exc}; nothing written: {args.output} is unchanged", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if disk_cache is not None:
            disk_cache.close()  # the process may end without the interpreter's teardown (exit_now)


def build_site(args: argparse.Namespace, config: SiteConfig, as_of: dt.date, workers: int,
               disk_cache: DiskCache | None) -> int:
    """`build` after its options are checked: phase one, then the site written and swapped in."""
    key = ""
    if disk_cache is not None:
        # Nothing the site is made from has changed, and the output is as the last build left it: done.
        key = state.inputs_key([args.content, TEMPLATES, STATIC], [args.config, Path(__file__).resolve(), SCHEMA],
                               f"{config!r}\0{as_of.isoformat()}")
        last = state.read(args.cache, args.output)
        if last is not None and state.unchanged(last, key, args.output):
            print(f"built {last.circulars} circulars, {last.files} files into {args.output} "
                  f"(as of {as_of.isoformat()}): nothing changed since the last build")
            return EXIT_OK
    # The bodies wait in a file beside the output (on its disk: a temporary folder may be memory itself)
    # until their pages are rendered: at 100,000 circulars they would be 180 MB of the registry.
    try:
        args.output.resolve().parent.mkdir(parents=True, exist_ok=True)
        bodies = BodyFile(str(args.output.resolve().parent))
    except OSError as exc:
        print(f"error: cannot write beside {args.output}: {exc}; it is unchanged", file=sys.stderr)
        return EXIT_USAGE
    with bodies:
        try:
            outcome = prepare_pages(args.content, config, as_of, disk_cache, workers, bodies=bodies)
        except BodyFileError as exc:
            print(f"error: cannot write beside {args.output}: {exc}; it is unchanged", file=sys.stderr)
            return EXIT_USAGE
        if disk_cache is not None:
            disk_cache.save()  # also after a failed build: the files that were fine need no parsing next time
        if outcome.site is None:
            _print_problems(outcome.problems)
            print(f"nothing written: {args.output} is unchanged", file=sys.stderr)
            return outcome.exit_code
        try:
            problems, files, written = write_site(outcome.site, args.output, workers)
        except OSError as exc:
            print(f"error: cannot write {args.output}: {exc}; it is unchanged", file=sys.stderr)
            return EXIT_USAGE
    if problems:
        _print_problems(problems)
        print(f"nothing written: {args.output} is unchanged", file=sys.stderr)
        return EXIT_CONTENT
    assert outcome.registry is not None
    if disk_cache is not None:
        documents = [d.local_path for e in outcome.registry.entries.values() for d in e.circular.documents
                     if d.local_path]
        state.write(args.cache, args.output, key, len(outcome.registry.entries), documents, files)
    print(f"built {len(outcome.registry.entries)} circulars, {len(files)} files into {args.output} "
          f"(as of {as_of.isoformat()}; {written} written, the rest unchanged)")
    return EXIT_OK


def exit_now(code: int) -> None:
    """End the process without the interpreter's teardown, which frees the registry object by object (about a
    second at 10,000 circulars, after the site is already published), when nothing else is running: the
    output is swapped in, the cache closed, no worker or thread left (else, after the preview, the usual
    exit, which waits for them). Only the streams need flushing; a reader that went away is not an error."""
    if multiprocessing.active_children() or threading.active_count() > 1:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main(alone=True))
