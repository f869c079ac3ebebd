"""Stage 1: find and read every circular file under `<content>/circulars/`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .problems import Problem, display_path


@dataclass(frozen=True)
class SourceFile:
    """A content file as read from disk: its id (the file stem), the path to show, its text."""

    id: str
    path: str
    repo_path: str  # relative to the folder that holds the content folder
    text: str


def find_files(content_dir: Path) -> tuple[list[Path], list[Path]]:
    """Every `*.md` below `circulars/` and every other file there, sorted so output never depends on disk order.

    Hidden files (".gitkeep", editor swap files) are neither.
    """
    root = content_dir / "circulars"
    markdown, other = [], []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        (markdown if path.suffix == ".md" else other).append(path)
    return markdown, other


def load(content_dir: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Read each file as UTF-8; a file that is not readable text becomes a problem, not a crash."""
    files: list[SourceFile] = []
    problems: list[Problem] = []
    markdown, other = find_files(content_dir)
    for path in other:
        # A circular saved as "x.md.txt" or "x.MD" would otherwise vanish from the registry without a word.
        problems.append(Problem(display_path(path), 1, 1, "not-markdown",
                                f"'{path.name}' is not read: circular files must end in '.md'",
                                f"rename it to '{path.name.split('.')[0]}.md'"))
    for path in markdown:
        shown = display_path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(shown, 1, 1, "read-error", f"cannot read the file: {exc.strerror}"))
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            problems.append(Problem(shown, line, col, "encoding",
                                    f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                                    "save the file as UTF-8"))
            continue
        repo_path = path.relative_to(content_dir.parent).as_posix()
        files.append(SourceFile(id=path.stem, path=shown, repo_path=repo_path, text=text))
    return files, problems
