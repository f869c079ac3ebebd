"""Stage 1: find and read every circular file under `<content>/circulars/`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import frontmatter
from .problems import Problem, display_path

TOPICS_FILE = "topics.yaml"
SYNONYMS_FILE = "synonyms.yaml"


@dataclass(frozen=True)
class SourceFile:
    """A content file as read from disk: its id (the file stem), the path to show, its text."""

    id: str
    path: str
    repo_path: str  # relative to the folder that holds the content folder
    text: str


def walk(root: str) -> Iterator[tuple[tuple[str, ...], os.DirEntry[str]]]:
    """Every entry below `root` with its path parts, without entering linked folders (as Path.rglob)."""
    stack: list[tuple[tuple[str, ...], str]] = [((), root)]
    while stack:
        parts, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            here = (*parts, entry.name)
            yield here, entry
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((here, entry.path))
            except OSError:
                continue


# What a link or a name means, asked as pathlib asks it: a link that loops, or that passes through a file,
# is neither a file nor a folder (a loop named *.md is then read, and that fails with a message).
def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _leads_inside(link: Path, inside: Path) -> bool:
    """Whether a link resolves to somewhere inside `inside` (a loop counts as inside: reading it fails)."""
    try:
        return link.resolve().is_relative_to(inside)
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a loop
        return True


def find_files(content_dir: Path) -> tuple[list[str], list[tuple[Path, str, str | None]]]:
    """Every `*.md` below `circulars/` (as a path relative to it, with '/'), and every other file there
    with why it is not read (and a hint), sorted so output never depends on disk order.

    Hidden files (".gitkeep", editor swap files) are neither, except a hidden `*.md`, which is someone's
    circular that would silently vanish. A link is followed only to something inside the content folder.
    """
    root = content_dir / "circulars"
    inside = content_dir.resolve()
    markdown: list[str] = []
    skipped: list[tuple[Path, str, str | None]] = []
    # os.scandir, not Path.rglob: its entries know their type without another system call, which matters
    # at tens of thousands of files (the preview reads the folder on every save).
    for parts, entry in sorted(walk(str(root)), key=lambda item: item[0]):
        name = entry.name
        markdown_name = name.endswith(".md") and name != ".md"  # Path.suffix of ".md" is ""
        is_file, is_dir = _is_file(entry), _is_dir(entry)
        if any(part.startswith(".") for part in parts):
            # Emacs' ".#x.md" lock files are links, and vim's swap files do not end in .md: neither is reported.
            if (markdown_name and is_file and not entry.is_symlink()
                    and not any(part.startswith(".") for part in parts[:-1])):
                skipped.append((root.joinpath(*parts), "a name starting with '.' is hidden",
                                f"rename it to '{name.lstrip('.')}'"))
            continue
        symlink = entry.is_symlink()
        if symlink and not _leads_inside(Path(entry.path), inside):
            # A link in a pull request could point at any file on the machine that builds the site.
            skipped.append((Path(entry.path), "it is a link to something outside the content folder",
                            "put the file itself in content/circulars/"))
        elif is_file or (markdown_name and not is_dir):
            if markdown_name:
                markdown.append("/".join(parts))  # a dangling link fails to read, and says so
            else:  # a circular saved as "x.md.txt" or "x.MD" would otherwise vanish without a word
                skipped.append((Path(entry.path), "circular files must end in '.md'",
                                f"rename it to '{name.split('.')[0]}.md'"))
        elif markdown_name or (symlink and is_dir):
            # A folder named x.md, or a linked folder (not followed, to stay in the repository).
            skipped.append((Path(entry.path), "only files and real folders hold circulars", None))
    return markdown, skipped


def load(content_dir: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Read each file as UTF-8; a file that is not readable text becomes a problem, not a crash."""
    files: list[SourceFile] = []
    markdown, skipped = find_files(content_dir)
    problems = [Problem(display_path(path), 1, 1, "not-markdown", f"'{path.name}' is not read: {why}", hint)
                for path, why, hint in skipped]
    reader = Reader(content_dir)
    for rel in markdown:
        source, problem = reader.read(rel)
        if problem is not None:
            problems.append(problem)
        elif source is not None:
            files.append(source)
    return files, problems


class Reader:
    """Reads circular files of one content folder by their path below `circulars/`."""

    def __init__(self, content_dir: Path) -> None:
        # Every file's shown and repository path, from its folder's (computed once: thousands of files).
        self.shown_root = display_path(content_dir / "circulars")
        self.repo_root = (content_dir / "circulars").relative_to(content_dir.parent).as_posix()
        self.folder = str(content_dir / "circulars")

    def read(self, rel: str) -> tuple[SourceFile | None, Problem | None]:
        """The file `rel` ('a/b.md'), or the problem that stops it being read."""
        shown = rel if self.shown_root == "." else f"{self.shown_root}/{rel}"
        try:
            with open(os.path.join(self.folder, rel), "rb") as handle:
                raw = handle.read()
        except OSError as exc:
            return None, Problem(shown, 1, 1, "read-error", f"cannot read the file: {exc.strerror}")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            return None, Problem(shown, line, col, "encoding",
                                 f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                                 "save the file as UTF-8")
        stem = rel.rpartition("/")[2].removesuffix(".md")  # Path.stem
        return SourceFile(id=stem, path=shown, repo_path=f"{self.repo_root}/{rel}", text=text), None


def load_topics(content_dir: Path) -> tuple[dict[str, str] | None, list[Problem]]:
    """The topic vocabulary (`<content>/topics.yaml`: slug -> display name), or None when there is none."""
    path = content_dir / TOPICS_FILE
    if not path.is_file():
        return None, []
    node, problems = _compose(path, "topics-file", "the topic list")
    if problems:
        return None, problems
    shown = display_path(path)
    if node is None:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        return None, [Problem(shown, 1, 1, "topics-file", "the topic list must be 'slug: Name' lines")]
    topics: dict[str, str] = {}
    problems = []
    for key, value in node.value:
        where = (key.start_mark.line + 1, key.start_mark.column + 1)
        slug = key.value if isinstance(key, yaml.ScalarNode) else ""
        name = value.value.strip() if isinstance(value, yaml.ScalarNode) and value.value else ""
        if not slug or not all(part.isalnum() and part == part.lower() for part in slug.split("-")):
            problems.append(Problem(shown, *where, "topics-file", f"'{slug}' is not a topic slug (like 'covid-19')"))
        elif not name:
            problems.append(Problem(shown, *where, "topics-file", f"'{slug}' needs a name after the colon"))
        elif slug in topics:
            problems.append(Problem(shown, *where, "topics-file", f"'{slug}' is listed twice"))
        else:
            topics[slug] = name
    return (topics if not problems else None), problems


def _compose(path: Path, code: str, what: str) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse a small YAML vocabulary file into nodes that keep their line numbers.

    It goes through the front matter parser, so it gets the same size and nesting limits and hints.
    """
    shown = display_path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(shown, 1, 1, code, f"cannot read {what}: {exc}", "save the file as UTF-8")]
    return frontmatter.compose(frontmatter.Split(text, 1, "", 1), shown)


def load_synonyms(content_dir: Path) -> tuple[tuple[tuple[str, ...], ...] | None, list[Problem]]:
    """The search synonym groups (`<content>/synonyms.yaml`: a list of lists of terms), or () when absent.

    Any term of a group finds the pages that use any other term of it, so a term may be in one group only.
    """
    path = content_dir / SYNONYMS_FILE
    if not path.is_file():
        return (), []
    node, problems = _compose(path, "synonyms-file", "the synonym list")
    if node is None:
        return (None if problems else ()), problems
    shown = display_path(path)
    example = "write each group as a list of two or more terms, like '- [WFH, bekerja dari rumah]'"
    if not isinstance(node, yaml.SequenceNode):
        return None, [Problem(shown, node.start_mark.line + 1, node.start_mark.column + 1, "synonyms-file",
                              "the synonym list must be a list of groups", example)]
    groups: list[tuple[str, ...]] = []
    seen: dict[str, int] = {}
    for group in node.value:
        where = (group.start_mark.line + 1, group.start_mark.column + 1)
        if not isinstance(group, yaml.SequenceNode) or len(group.value) < 2:
            problems.append(Problem(shown, *where, "synonyms-file", "a group needs two or more terms", example))
            continue
        terms = []
        for term in group.value:
            at = (term.start_mark.line + 1, term.start_mark.column + 1)
            text = " ".join(term.value.split()) if isinstance(term, yaml.ScalarNode) else ""
            if not text or not any(ch.isalnum() for ch in text):
                problems.append(Problem(shown, *at, "synonyms-file", "a term must be a word or phrase"))
            elif (folded := text.casefold()) in seen:
                problems.append(Problem(shown, *at, "synonyms-file",
                                        f"'{text}' is already in the group on line {seen[folded]}",
                                        "a term can be in one group only; merge the two groups"))
            else:
                seen[folded] = where[0]
                terms.append(text)
        groups.append(tuple(terms))
    return (tuple(groups) if not problems else None), problems
