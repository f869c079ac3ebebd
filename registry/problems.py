"""Problems found in content or config, and how they are printed."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place: a file, a 1-based line and column, a stable code."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str | None = None

    def text(self) -> str:
        """Format as `path:line:col: error[code]: message`, plus an indented hint line."""
        head = f"{visible(self.path)}:{self.line}:{self.col}: error[{self.code}]: {visible(self.message)}"
        return head if self.hint is None else f"{head}\n  hint: {visible(self.hint)}"


def visible(text: str) -> str:
    """Text with invisible and direction-changing characters shown as <U+XXXX>: printed raw, a bidi override
    from a contributed file would reorder the rest of the line in a terminal or CI log (Trojan Source)."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in _HIDDEN and ch != "\n" else ch for ch in text)


# Control, format (zero-width, bidi), line/paragraph separators, private-use, surrogate and unassigned.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})


def display_path(path: Path) -> str:
    """A path as the author should see it: relative to the working folder when inside it."""
    if not path.is_absolute():
        return path.as_posix()
    try:
        rel = Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return path.as_posix() if rel.parts[:1] == ("..",) else rel.as_posix()


def count(problems: list[Problem]) -> str:
    """'3 errors in 2 files'."""
    files = len({p.path for p in problems})
    noun = "error" if len(problems) == 1 else "errors"
    return f"{len(problems)} {noun} in {files} file{'s' if files != 1 else ''}"


def report(problems: list[Problem]) -> str:
    """Every problem, sorted by file and position, then a one-line count."""
    return "\n".join([p.text() for p in sorted(problems)] + [count(problems)]) + "\n"


def _escape(text: str, prop: bool = False) -> str:
    """GitHub workflow-command escaping: always % CR LF; in properties also ':' and ','."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github(problems: list[Problem]) -> str:
    """Every problem as a GitHub Actions `::error` command, so it is shown on the line in the pull request."""
    lines = []
    for p in sorted(problems):
        message = visible(p.message if p.hint is None else f"{p.message}\nhint: {p.hint}")
        lines.append(f"::error file={_escape(visible(p.path), True)},line={p.line},col={p.col},"
                     f"title={_escape(p.code, True)}::{_escape(message)}")
    if lines:  # GitHub shows only the first few annotations of a step; the count says how many there are
        lines.append(f"::error title=check::{_escape(count(problems))} (all of them are in the log)")
    return "\n".join(lines) + "\n" if lines else ""
