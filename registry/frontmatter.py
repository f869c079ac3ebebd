"""Split a content file into YAML front matter and Markdown body, keeping file-absolute positions."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

try:  # The C loader is ~8x faster; fall back so a machine without libyaml still builds.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .problems import Problem


@dataclass(frozen=True)
class Split:
    """Front matter text, the body, and the 1-based file line where each starts."""

    yaml_text: str
    yaml_line: int
    body: str
    body_line: int


def split(text: str, path: str) -> tuple[Split | None, list[Problem]]:
    """Find the `---` fences; the front matter must open on the file's first line."""
    # Lines end at "\n" only, as editors count them (str.splitlines also breaks at U+2028 and friends).
    if not text.strip():
        return None, [Problem(path, 1, 1, "front-matter", "the file is empty",
                              "a circular starts with a '---' line, its fields, and another '---' line; "
                              "`python3 build.py new` writes one for you")]
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return None, [Problem(path, 1, 1, "front-matter",
                              "the file must start with a '---' line that opens the YAML front matter")]
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n").rstrip() == "---":
            return Split("".join(lines[1:i]), 2, "".join(lines[i + 1:]), i + 2), []
    return None, [Problem(path, 1, 1, "front-matter",
                          "the front matter opened on line 1 is never closed by a '---' line")]


# Far beyond any real circular; past these, the YAML parser's C code can exhaust the stack (a crash, not an error).
MAX_FRONT_MATTER = 256 * 1024
MAX_NESTING = 64


def _too_deep(text: str) -> tuple[int, int] | None:
    """0-based (line, col) where '[' / '{' nesting first exceeds MAX_NESTING, ignoring quoted text roughly."""
    for number, row in enumerate(text.split("\n")):
        if len(row) <= 2 * MAX_NESTING:  # too short for either (most lines: the checks below are slow)
            continue
        # Block nesting: "- - - x" on one line, or indentation deeper than any real field needs.
        stripped = row.lstrip(" ")
        dashes = len(re.match(r"^(?:-[ \t]+)*", stripped).group(0).split("-")) - 1
        if dashes > MAX_NESTING or len(row) - len(stripped) > 4 * MAX_NESTING:
            return number, 0
    if text.count("[") + text.count("{") <= MAX_NESTING:  # cannot nest that deep
        return None
    depth, quote, line, col = 0, "", 0, 0
    for ch in text:
        if ch == "\n":
            line, col = line + 1, 0
            continue
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return line, col
        elif ch in "]}":
            depth = max(0, depth - 1)
        col += 1
    return None


def compose(part: Split, path: str) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse the front matter into a node tree whose marks are shifted to file lines."""
    if len(part.yaml_text) > MAX_FRONT_MATTER:
        return None, [Problem(path, part.yaml_line, 1, "yaml-syntax",
                              f"the front matter is over {MAX_FRONT_MATTER // 1024} KB; it holds fields, not text")]
    if (deep := _too_deep(part.yaml_text)) is not None:
        return None, [Problem(path, part.yaml_line + deep[0], deep[1] + 1, "yaml-syntax",
                              f"lists or mappings are nested more than {MAX_NESTING} deep")]
    try:
        node = yaml.compose(part.yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = part.yaml_line + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            what = f"{exc.problem} ({exc.context}"
            if exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
                what += f" that starts on line {part.yaml_line + exc.context_mark.line}"
            what += ")"
        return None, [Problem(path, line, col, "yaml-syntax", f"invalid YAML: {what}", _hint(part, exc))]
    except yaml.reader.ReaderError as exc:  # a control character or a bad byte
        before = part.yaml_text[: exc.position]
        line = part.yaml_line + before.count("\n")
        col = exc.position - (before.rfind("\n") + 1) + 1
        return None, [Problem(path, line, col, "yaml-syntax",
                              f"invalid YAML: character {exc.character!r} is not allowed ({exc.reason})")]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises the kinds above
        return None, [Problem(path, part.yaml_line, 1, "yaml-syntax", f"invalid YAML: {exc}")]
    # Only a text with these characters can hold a tag, an anchor or an alias; most files skip the scan.
    if any(ch in part.yaml_text for ch in "!&*") and (problems := _forbidden_features(part, path)):
        return None, problems  # not the tree: a tree built from aliases can be exponentially large to walk
    return node, []


YAML_TAG = "tag:yaml.org,2002:"


def _tag_name(tag: str) -> str:
    """A tag as it was written: '!!python/object', not 'tag:yaml.org,2002:python/object'."""
    return "!!" + tag[len(YAML_TAG):] if tag.startswith(YAML_TAG) else tag


def _forbidden_features(part: Split, path: str) -> list[Problem]:
    """Explicit tags (`!!python/object`, `!!str`, `!x`), anchors (`&a`) and aliases (`*a`).

    Front matter holds plain values; a tag asks the reader to build some other kind of object, and an
    alias repeats a value (an "alias bomb" repeats it billions of times). Neither has a use here.
    """
    problems = []
    for event in yaml.parse(part.yaml_text, Loader=_Loader):
        line, col = part.yaml_line + event.start_mark.line, event.start_mark.column + 1
        if isinstance(event, yaml.AliasEvent):
            problems.append(Problem(path, line, col, "yaml-anchor", f"alias '*{event.anchor}' is not allowed",
                                    "write the value out in full where it is needed"))
            continue
        if getattr(event, "anchor", None):
            problems.append(Problem(path, line, col, "yaml-anchor", f"anchor '&{event.anchor}' is not allowed",
                                    "remove it; write the value out in full where it is needed"))
        tag = getattr(event, "tag", None)
        # A quoted or plain scalar has no tag of its own (None, or "!" for a quoted one, which PyYAML's
        # C parser reports only when written); a written tag is any other value.
        if tag is not None and not (tag == "!" and isinstance(event, yaml.ScalarEvent) and event.style):
            problems.append(Problem(path, line, col, "yaml-tag",
                                    f"the YAML tag '{_tag_name(tag)}' is not allowed: front matter holds only "
                                    "text, numbers, dates, lists and fields",
                                    "remove the tag; to keep a value as text, put it in quotes"))
    return problems


def pos(node: yaml.Node, part: Split) -> tuple[int, int]:
    """1-based file line and column of a node."""
    return part.yaml_line + node.start_mark.line, node.start_mark.column + 1


def _hint(part: Split, exc: yaml.MarkedYAMLError) -> str | None:
    """Plain advice for the YAML mistakes contributors make most."""
    mark = exc.problem_mark
    lines = part.yaml_text.splitlines()
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "\t" in line or (exc.problem or "").startswith("found character '\\t'"):
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in (exc.problem or ""):
        return "a value that contains ': ' must be in quotes, e.g. title: \"COVID-19: Sistem Kerja\""
    if "while scanning a quoted scalar" in (exc.context or ""):
        return "a quotation mark is opened but never closed"
    if "flow" in (exc.context or ""):
        return "a value starting with '[' or '{' is read as a list; put the whole value in quotes"
    return None
