#!/usr/bin/env python3
"""Register Edaran command line: `build`, `check` and `serve` (see README.md, "Command line")."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from registry import problems as problem_report
from registry.config import SiteConfig, check_base_url, load_config
from registry.link import Registry, link
from registry.load import load, load_synonyms, load_topics
from registry.problems import Problem
from registry.render import render
from registry.search import index_site
from registry.validate import validate
from registry.write import publish

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


def check_content(content: Path, as_of: dt.date) -> tuple[Registry | None, list[Problem]]:
    """Phase one: load, validate and link every circular; writes nothing."""
    sources, problems = load(content)
    topics, found = load_topics(content)
    problems += found
    synonyms, found = load_synonyms(content)
    problems += found
    circulars, found = validate(sources, content, topics)
    problems += found
    registry, found = link(circulars, as_of, known_ids={s.id for s in sources}, topic_names=topics,
                           synonyms=synonyms or ())
    problems += found
    return (registry if not problems else None), problems


def build_site(content: Path, config: SiteConfig, as_of: dt.date) -> Outcome:
    """Phase one, then phase two (render and index into memory) only when phase one found nothing wrong."""
    registry, problems = check_content(content, as_of)
    if registry is None:
        return Outcome(None, problems, EXIT_CONTENT)
    files, problems = render(registry, config, TEMPLATES, STATIC)
    if problems:
        return Outcome(None, problems, EXIT_CONTENT)
    bundle, problems = index_site(files, config.language)
    if problems:  # the search engine is missing or failed: a broken install, not broken content
        return Outcome(None, problems, EXIT_USAGE)
    return Outcome(files | bundle, [], EXIT_OK, registry)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="{build,check,serve}")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--content", type=Path, default=Path("content"),
                       help="folder that holds circulars/ (default: content)")
        p.add_argument("--config", type=Path, default=Path("site_config.yaml"),
                       help="site configuration (default: site_config.yaml)")
        p.add_argument("--as-of", dest="as_of", type=_date_arg, default=None,
                       help="date the statuses are computed for, YYYY-MM-DD (default: config, else today)")

    build = commands.add_parser("build", help="check the content and write the site")
    common(build)
    build.add_argument("--output", type=Path, default=Path("_site"), help="output folder (default: _site)")
    build.add_argument("--base-url", dest="base_url", default=None,
                       help="URL or path the site is served under, e.g. /register-edaran/")
    check = commands.add_parser("check", help="check the content only; writes nothing")
    common(check)
    serve = commands.add_parser("serve", help="build, serve on localhost and rebuild on every change")
    common(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--output", type=Path, default=Path("_serve"),
                       help="where the preview is written (default: _serve, never _site)")
    serve.add_argument("--base-url", dest="base_url", default="/", help="default: /")
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


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.content / "circulars").is_dir():
        print(f"error: '{args.content}' has no circulars/ folder (--content names the folder that holds it)",
              file=sys.stderr)
        return EXIT_USAGE
    base_url = getattr(args, "base_url", None)
    if base_url is not None and (why := check_base_url(base_url)):
        print(f"error: --base-url: {why}", file=sys.stderr)
        return EXIT_USAGE
    if args.command in ("build", "serve") and (why := unsafe_output(args.output, args.content, args.config)):
        print(f"error: --output {args.output}: {why}", file=sys.stderr)
        return EXIT_USAGE
    config, problems = load_config(args.config, {"base_url": base_url})
    if config is None:
        _print_problems(problems)
        return EXIT_USAGE
    as_of = args.as_of or config.as_of or dt.date.today()

    if args.command == "check":
        registry, problems = check_content(args.content, as_of)
        if problems:
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

        def rebuild() -> Outcome:
            # The config is read again on every rebuild, so an edit to it takes effect without a restart.
            fresh, config_problems = load_config(args.config, {"base_url": base_url})
            if fresh is None:
                return Outcome(None, config_problems, EXIT_USAGE)
            return build_site(args.content, fresh, args.as_of or fresh.as_of or dt.date.today())

        serve(rebuild, watch=[args.content, TEMPLATES, STATIC, args.config], output=args.output,
              host=args.host, port=args.port)
        return EXIT_OK

    outcome = build_site(args.content, config, as_of)
    if outcome.files is None:
        _print_problems(outcome.problems)
        print(f"nothing written: {args.output} is unchanged", file=sys.stderr)
        return outcome.exit_code
    try:
        publish(outcome.files, args.output)
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc}; it is unchanged", file=sys.stderr)
        return EXIT_USAGE
    assert outcome.registry is not None
    print(f"built {len(outcome.registry.entries)} circulars, {len(outcome.files)} files into {args.output} "
          f"(as of {as_of.isoformat()})")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
