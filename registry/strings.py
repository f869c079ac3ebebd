"""Interface strings: every word the site shows readers, from one catalogue per language.

The catalogue is `templates/strings/<language>.yaml` (README, "Interface strings"): keys grouped by page or
area (`home.intro`), plain-text values with named placeholders (`{count}`). Templates use it through `t()`,
Python code through `Strings.text`, the scripts through a `data-teks` attribute on their page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml
from babel import Locale, UnknownLocaleError
from markupsafe import Markup, escape

from . import frontmatter
from .problems import Problem, display_path

STRINGS_DIR = "strings"  # inside the templates folder
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# A mapping with only these keys (CLDR plural categories) is one text in several plural forms, chosen by the
# `count` value with the language's own rule; Indonesian needs none, so its catalogue has only plain texts.
PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})
# A BCP 47 language tag ("id", "en", "pt-BR"): also what makes it safe to use as a file name.
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

Text = str | Mapping[str, str]


class MissingStringError(LookupError):
    """A key the catalogue does not have, or a placeholder the caller gave no value for."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Split once per text (a directive page asks for a hundred texts, a build for every page): the words and
# the placeholder names, alternating ("{count} edaran" -> "", "count", " edaran").
@functools.lru_cache(maxsize=8192)
def _pieces(template: str) -> tuple[str, ...]:
    return tuple(PLACEHOLDER.split(template))


@functools.lru_cache(maxsize=8192)
def _html_pieces(template: str) -> tuple[str, ...]:
    # Catalogue values are plain text, so '<' and '&' are shown as written. Quotes are left alone: page text
    # keeps its straight quotes, and no value used inside an attribute has one (tests/test_strings.py).
    return tuple(p.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") if i % 2 == 0 else p
                 for i, p in enumerate(_pieces(template)))


@dataclass(frozen=True)
class Strings:
    """One language's catalogue, keys flattened to dotted names ('home.intro')."""

    language: str
    path: str  # the catalogue file, as messages show it
    texts: Mapping[str, Text]

    def text(self, key: str, /, **values: object) -> str:
        """The text of `key` with its placeholders filled in, as plain text (feeds, SVG, the search index)."""
        return self._fill(key, _pieces(self._pick(key, values)), values, str)

    def html(self, key: str, /, **values: object) -> Markup:
        """The text of `key` for a page: its own words as written, every value HTML-escaped unless Markup."""
        return Markup(self._fill(key, _html_pieces(self._pick(key, values)), values, escape))

    def labels(self, group: str, names: Iterable[str]) -> dict[str, str]:
        """One label per name, from the keys `<group>.<name>` (status, level, ... values of the content model)."""
        return {name: self.text(f"{group}.{name}") for name in names}

    def group(self, group: str) -> dict[str, Text]:
        """Every key under `group` without the prefix, as a script gets them (placeholders left in)."""
        prefix = group + "."
        found = {key[len(prefix):]: text for key, text in self.texts.items() if key.startswith(prefix)}
        if not found:
            raise MissingStringError(f"'{group}' has no keys in {self.path}")
        return {key: dict(text) if isinstance(text, Mapping) else text for key, text in found.items()}

    def _pick(self, key: str, values: Mapping[str, object]) -> str:
        try:
            found = self.texts[key]
        except KeyError:
            raise MissingStringError(f"'{key}' is not in {self.path}") from None
        if isinstance(found, str):
            return found
        count = values.get("count")
        form = "other"
        if isinstance(count, int | float) and not isinstance(count, bool):
            try:
                form = Locale.parse(self.language.replace("-", "_")).plural_form(count)
            except (UnknownLocaleError, ValueError):
                form = "other"
        return found.get(form, found["other"])

    @staticmethod
    def _fill(key: str, pieces: tuple[str, ...], values: Mapping[str, object],
              convert: Callable[[object], str]) -> str:
        if len(pieces) == 1:
            return pieces[0]
        out = list(pieces)
        for i in range(1, len(out), 2):
            if out[i] not in values:
                raise MissingStringError(f"'{key}' has the placeholder {{{out[i]}}}, but no value was given for it")
            out[i] = convert(values[out[i]])
        return "".join(out)


def catalogue_path(templates_dir: Path, language: str) -> Path:
    """Where the catalogue for `language` lives."""
    return templates_dir / STRINGS_DIR / f"{language}.yaml"


def load_strings(templates_dir: Path, language: str) -> tuple[Strings | None, list[Problem]]:
    """Read `templates/strings/<language>.yaml`; every way it can be unusable is a `strings` problem."""
    folder = templates_dir / STRINGS_DIR
    if not LANGUAGE.match(language):
        return None, [Problem(display_path(folder), 1, 1, "strings",
                              f"language '{language}' (site_config.yaml) is not a language tag like 'id' or 'en'")]
    path = catalogue_path(templates_dir, language)
    shown = display_path(path)
    if not path.is_file():
        have = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
        return None, [Problem(shown, 1, 1, "strings",
                              f"there are no interface strings for language '{language}' (site_config.yaml): "
                              "this file does not exist",
                              f"languages that have them: {', '.join(have) or 'none'}; to translate the site, "
                              "copy templates/strings/id.yaml to this name and translate every value")]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(shown, 1, 1, "strings", f"cannot read the interface strings: {exc}",
                              "save the file as UTF-8")]
    strings, problems = _parse(language, shown, text)
    return strings, list(problems)


@functools.lru_cache(maxsize=4)
def _parse(language: str, shown: str, text: str) -> tuple[Strings | None, tuple[Problem, ...]]:
    """The catalogue in `text`. Kept for the same text: the preview reads it on every save."""
    node, problems = frontmatter.compose(frontmatter.Split(text, 1, "", 1), shown)
    if problems:
        return None, tuple(problems)
    texts: dict[str, Text] = {}
    if not isinstance(node, yaml.MappingNode):
        return None, (Problem(shown, 1, 1, "strings", "the interface strings must be a mapping of keys to texts"),)
    problems = _flatten(node, "", shown, texts)
    return (Strings(language, shown, MappingProxyType(texts)) if not problems else None), tuple(problems)


def _flatten(node: yaml.MappingNode, prefix: str, shown: str, texts: dict[str, Text]) -> list[Problem]:
    """Walk one mapping of the catalogue into `texts`; a group is a mapping, a text a quoted or plain string."""
    problems = []
    seen: set[str] = set()
    for key_node, value in node.value:
        where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        name = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        key = prefix + name
        message, hint = None, None
        if not isinstance(name, str) or not name.strip() or "." in name:
            message = f"'{key}' is not a key: a key is a name without dots (a group is a nested mapping)"
        elif name in seen:
            message = f"'{key}' is given twice"
        elif isinstance(value, yaml.MappingNode):
            forms = {k.value for k, _ in value.value if isinstance(k, yaml.ScalarNode)}
            if forms and forms <= PLURAL_FORMS:
                plural = {k.value: v.value for k, v in value.value if _is_text(v)}
                if "other" not in forms or len(plural) != len(value.value):
                    message = f"'{key}' has plural forms, which must all be texts and include 'other'"
                else:
                    texts[key] = MappingProxyType(plural)
            else:
                problems += _flatten(value, key + ".", shown, texts)
        elif not _is_text(value):
            message = f"'{key}' must be a non-empty text"
            hint = "a value YAML reads as a number, a date or yes/no needs quotes"
        else:
            texts[key] = value.value
        seen.add(name)
        if message:
            problems.append(Problem(shown, *where, "strings", message, hint))
    return problems


def _is_text(node: yaml.Node) -> bool:
    """A non-empty string: a YAML value that reads as a number, a date or a boolean must be quoted."""
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and node.value != ""
