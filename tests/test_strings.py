"""The interface strings catalogue (templates/strings/<language>.yaml): complete, used, wired, and the only
place reader-facing words are written (README, "Interface strings")."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup

from conftest import AS_OF, CONFIG, REPO, tree_bytes
from registry.render import LABEL_GROUPS
from registry.strings import MissingStringError, Strings, load_strings

TEMPLATES = REPO / "templates"
CATALOGUE = TEMPLATES / "strings" / "id.yaml"
# Each script reads one catalogue group from its page's data-teks attribute.
SCRIPTS = {REPO / "static" / "cari.js": "search_script", REPO / "static" / "salin.js": "cite_script"}
# How each kind of file asks for a text; every call must name its key literally, so this finds them all.
TEMPLATE_CALL = re.compile(r"""\bt\(\s*(["'])([^"']+)\1""")
PYTHON_CALL = re.compile(r"""\bstrings\.text\(\s*(["'])([^"']+)\1""")
SCRIPT_CALL = re.compile(r"""\b(?:t|parts)\(\s*"([^"]+)\"""")
SCRIPT_GROUP = re.compile(r"""\bscript_json\(\s*"([^"]+)"\s*\)""")


def catalogue() -> Strings:
    strings, problems = load_strings(TEMPLATES, "id")
    assert strings is not None, problems
    return strings


def template_keys() -> dict[str, set[str]]:
    """Key -> the templates that use it; fails on a call whose key is not written out."""
    used: dict[str, set[str]] = {}
    for path in sorted(TEMPLATES.glob("*.html")):
        text = path.read_text(encoding="utf-8")
        found = TEMPLATE_CALL.findall(text)
        assert len(found) == len(re.findall(r"\bt\(", text)), f"{path.name}: a t() call without a literal key"
        for _, key in found:
            used.setdefault(key, set()).add(path.name)
    return used


def python_keys() -> set[str]:
    used = set()
    for path in sorted((REPO / "registry").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        found = PYTHON_CALL.findall(text)
        assert len(found) == len(re.findall(r"\bstrings\.text\(", text)), f"{path.name}: a key not written out"
        used |= {key for _, key in found}
    return used | {f"{group}.{name}" for group, names in LABEL_GROUPS.items() for name in names}


def script_keys() -> set[str]:
    used = set()
    for path, group in SCRIPTS.items():
        text = path.read_text(encoding="utf-8")
        found = SCRIPT_CALL.findall(text)
        # Besides the definitions, only t() passing its own `key` on to parts() names no key.
        others = re.findall(r"(?<!function )\b(?:t|parts)\((?!\s*\")[^,)]*", text)
        assert found and others in ([], ["parts(key"]), f"{path.name}: {others}"
        used |= {f"{group}.{key}" for key in found}
    return used


# --- (a) every key used exists, every key is used ----------------------------------------------------------

def test_every_key_used_exists_and_every_key_is_used() -> None:
    keys = set(catalogue().texts)
    used = set(template_keys()) | python_keys() | script_keys()
    assert sorted(used - keys) == [], "used but not in templates/strings/id.yaml"
    assert sorted(keys - used) == [], "in templates/strings/id.yaml but used nowhere (dead strings)"


def test_each_script_group_is_given_to_its_script() -> None:
    """The pages hand the scripts exactly the groups they read."""
    given = set()
    for path in TEMPLATES.glob("*.html"):
        given |= set(SCRIPT_GROUP.findall(path.read_text(encoding="utf-8")))
    assert given == set(SCRIPTS.values())


def test_every_language_has_the_same_keys_and_placeholders() -> None:
    """A translation is complete only with every key, each with the same {placeholders} (here: id only)."""
    reference = catalogue()
    for path in sorted(CATALOGUE.parent.glob("*.yaml")):
        other, problems = load_strings(TEMPLATES, path.stem)
        assert other is not None, problems
        assert set(other.texts) == set(reference.texts), path.name
        for key, text in reference.texts.items():
            assert _placeholders(other.texts[key]) == _placeholders(text), f"{path.name}: {key}"


def _placeholders(text: object) -> set[str]:
    forms = text.values() if isinstance(text, dict) else [text]
    return {name for form in forms for name in re.findall(r"\{(\w+)\}", str(form))}


def test_texts_used_inside_attributes_have_no_double_quote() -> None:
    """Catalogue words are written as they are (page text keeps its straight quotes), so a text that ends up
    inside a double-quoted attribute, including a page's title and description (meta tags), must not hold '"'."""
    texts = catalogue().texts
    quoted = {key for key, text in texts.items() if '"' in str(text)}
    jinja = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
    for path in sorted(TEMPLATES.glob("*.html")):
        source = path.read_text(encoding="utf-8")
        # Jinja blanked out with same-length filler, so a '>' inside an expression is not taken for a tag's end.
        masked = jinja.sub(lambda m: "x" * len(m.group()), source)
        for match in TEMPLATE_CALL.finditer(source):
            if match.group(2) not in quoted:
                continue
            line = source[source.rfind("\n", 0, match.start()) + 1:source.find("\n", match.start())]
            in_tag = masked.rfind("<", 0, match.start()) > masked.rfind(">", 0, match.start())
            in_meta = line.startswith(("{% block title %}", "{% block description %}"))
            assert not (in_tag or in_meta), f"{path.name}: {match.group(2)} has a '\"' and is used in an attribute"


# --- (b) no reader-facing words left in the templates ------------------------------------------------------

# The only text allowed between tags: file names and URL path patterns shown as code or as a download's
# name on the data and 404 pages ("circulars.json", "api/edaran/<id>.json", "<id>/"); they are not words.
PATH_TEXT = re.compile(r"^(?:[a-z0-9_-]+/)*(?:[a-z0-9_-]+|<id>)(?:\.(?:json|csv|xml)|/)$")
# Attributes a reader sees or hears (screen readers read aria-label and title; placeholder is shown).
VISIBLE_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt", "label", "aria-description", "aria-placeholder"}
# <meta content> shown by search engines and link previews; the other metas hold protocol values.
VISIBLE_META = {"description", "og:title", "og:description", "og:site_name", "og:locale"}
LETTER = re.compile(r"[^\W\d_]")


class _Words(HTMLParser):
    """Letters left in text nodes and visible attributes once the Jinja is gone."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if LETTER.search(text) and not PATH_TEXT.match(text):
            self.found.append(f"text {text!r}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, value in attrs:
            visible = name in VISIBLE_ATTRIBUTES or (
                tag == "meta" and name == "content" and (named.get("name") or named.get("property")) in VISIBLE_META
            ) or (tag == "input" and name == "value" and named.get("type") in ("submit", "button", "reset"))
            if visible and value and LETTER.search(value):
                self.found.append(f"<{tag} {name}={value!r}>")


def strip_jinja(source: str) -> str:
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "", source, flags=re.S)


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_no_words_are_written_in_templates(path: Path) -> None:
    parser = _Words()
    parser.feed(strip_jinja(path.read_text(encoding="utf-8")))
    parser.close()
    assert parser.found == [], f"{path.name}: put these in templates/strings/id.yaml"


def test_the_word_check_finds_words() -> None:
    """The check above must be able to fail: inline words, a visible attribute, and the allowed paths."""
    parser = _Words()
    parser.feed(strip_jinja('<p>{{ t("a") }} Cari</p><input placeholder="Cari" value="x">'
                            '<meta name="description" content="Semua edaran"><meta name="viewport" content="width=1">'
                            '<code>api/edaran/&lt;id&gt;.json</code> <a>feed.xml</a>'))
    assert parser.found == ["text 'Cari'", "<input placeholder='Cari'>", "<meta content='Semua edaran'>"]


# Words any Indonesian sentence has; a script's own vocabulary (its stop-word list) is single words.
INDONESIAN = re.compile(r"\b(yang|tidak|dan|untuk|dengan|ada|di|ke|dari|sudah|nomor|edaran|salin)\b", re.I)


def test_no_words_are_written_in_the_scripts() -> None:
    """The scripts' messages come from data-teks: no Indonesian phrase is left in a string literal."""
    for path in SCRIPTS:
        code = re.sub(r"^\s*//[^\n]*", "", path.read_text(encoding="utf-8"), flags=re.M)  # comments quote texts
        for literal in re.findall(r"\"([^\"\n]*)\"|`([^`\n]*)`", code):
            text = "".join(literal)
            assert not (" " in text.strip() and INDONESIAN.search(text)), f"{path.name}: {text!r}"


# --- the lookup itself ------------------------------------------------------------------------------------

def _strings(texts: dict[str, object], language: str = "id") -> Strings:
    return Strings(language, "templates/strings/x.yaml", texts)  # type: ignore[arg-type]


def test_values_are_escaped_and_catalogue_text_is_plain() -> None:
    """Reader data stays escaped inside a catalogue text; the template's own markup (Markup) is kept."""
    strings = _strings({"a": "Edaran {title} & {link} <id>"})
    out = strings.html("a", title='<script>alert(1)</script>"', link=Markup('<a href="/">x</a>'))
    assert out == 'Edaran &lt;script&gt;alert(1)&lt;/script&gt;&#34; &amp; <a href="/">x</a> &lt;id&gt;'
    assert isinstance(out, Markup)
    assert strings.text("a", title="<b>", link="c") == "Edaran <b> & c <id>"


def test_plural_forms_follow_the_language() -> None:
    """A key may hold plural forms; the language's own rule picks one by `count` (Indonesian has no plural)."""
    texts = {"n": {"one": "{count} circular", "other": "{count} circulars"}}
    assert _strings(texts, "en").text("n", count=1) == "1 circular"
    assert _strings(texts, "en").text("n", count=3) == "3 circulars"
    assert _strings(texts, "id").text("n", count=1) == "1 circulars"  # Indonesian: always 'other'


def test_a_missing_key_or_value_is_an_error_never_a_blank() -> None:
    strings = _strings({"a": "{count} edaran"})
    with pytest.raises(MissingStringError, match=r"'b' is not in templates/strings/x\.yaml"):
        strings.text("b")
    with pytest.raises(MissingStringError, match=r"'a' has the placeholder \{count\}, but no value was given"):
        strings.html("a")


def test_catalogue_mistakes_are_reported_with_their_line(tmp_path: Path) -> None:
    (tmp_path / "strings").mkdir()
    (tmp_path / "strings" / "id.yaml").write_text(
        "nav:\n  home: Beranda\n  years: 2020\n  home: lagi\n  empty: ''\nn:\n  one: satu\n", encoding="utf-8")
    strings, problems = load_strings(tmp_path, "id")
    assert strings is None
    where = f"{tmp_path / 'strings' / 'id.yaml'}"
    assert [p.text().split("\n")[0] for p in problems] == [
        f"{where}:3:3: error[strings]: 'nav.years' must be a non-empty text",
        f"{where}:4:3: error[strings]: 'nav.home' is given twice",
        f"{where}:5:3: error[strings]: 'nav.empty' must be a non-empty text",
        f"{where}:6:1: error[strings]: 'n' has plural forms, which must all be texts and include 'other'",
    ]
    _, problems = load_strings(tmp_path, "../x")
    assert "is not a language tag" in problems[0].message


# --- (c) and (d): through the command line, on a copy of the program ------------------------------------

def program_copy(root: Path) -> Path:
    """build.py with its registry/, templates/, static/ and schema/ in `root`, to run with edited templates."""
    for folder in ("registry", "templates", "static", "schema"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "build.py", root / "build.py")
    return root


def run(build_py: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """The copied program's command line, run in its own folder (so paths print relative to it)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, str(build_py), *map(str, args)], cwd=build_py.parent,
                          capture_output=True, text=True, env=env, timeout=300)


def _build(build_py: Path, content: Path, out: Path, config: Path = CONFIG) -> subprocess.CompletedProcess[str]:
    return run(build_py, "build", "--content", content, "--output", out, "--config", config, "--as-of", AS_OF)


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_a_missing_catalogue_file_is_a_configuration_error(fixture_site: Path, tmp_path: Path) -> None:
    config = tmp_path / "site_config.yaml"
    config.write_text(CONFIG.read_text(encoding="utf-8").replace("language: id", "language: en"), encoding="utf-8")
    out = tmp_path / "_site"
    done = _build(REPO / "build.py", fixture_site / "content", out, config)
    assert done.returncode == 2
    assert ("templates/strings/en.yaml:1:1: error[strings]: there are no interface strings for language 'en' "
            "(site_config.yaml): this file does not exist\n  hint: languages that have them: id;") in done.stderr
    assert "nothing written" in done.stderr and not out.exists()


def test_a_missing_key_names_the_line_that_uses_it(fixture_site: Path, tmp_path: Path) -> None:
    """A key deleted from the catalogue: the template line and the Python line that ask for it, exit code 1."""
    build_py = program_copy(tmp_path / "program") / "build.py"
    catalogue_copy = build_py.parent / "templates" / "strings" / "id.yaml"
    original = catalogue_copy.read_text(encoding="utf-8")
    home, feed = "  latest: Edaran terbaru\n", "  site_subtitle: Edaran terbaru di register\n"
    assert original.count(home) == original.count(feed) == 1
    catalogue_copy.write_text(original.replace(home, "").replace(feed, ""), encoding="utf-8")
    out = tmp_path / "_site"
    done = _build(build_py, fixture_site / "content", out)
    assert done.returncode == 1
    # Python code asks first (the feeds are planned before any page), so the build stops there.
    line = _line_of(build_py.parent / "registry" / "feeds.py", '"feed.site_subtitle"')
    assert (f"registry/feeds.py:{line}:1: error[strings]: 'feed.site_subtitle' is not in "
            "templates/strings/id.yaml\n") in done.stderr
    assert not out.exists()
    # Put that one back: now the home page's template line is named.
    catalogue_copy.write_text(original.replace(home, ""), encoding="utf-8")
    done = _build(build_py, fixture_site / "content", out)
    assert done.returncode == 1, done.stderr
    line = _line_of(build_py.parent / "templates" / "home.html", 't("home.latest")')
    assert f"templates/home.html:{line}:1: error[strings]: 'home.latest' is not in templates/strings/id.yaml" \
        in done.stderr
    assert "1 error in 1 file" in done.stderr and not out.exists()


def test_changing_a_value_changes_the_site(fixture_site: Path, tmp_path: Path) -> None:
    """(d) One value each from a template, the Python code and a script: the site changes by exactly that."""
    build_py = program_copy(tmp_path / "program") / "build.py"
    before, after = tmp_path / "before", tmp_path / "after"
    assert _build(build_py, fixture_site / "content", before).returncode == 0
    catalogue_copy = build_py.parent / "templates" / "strings" / "id.yaml"
    edits = {"Langsung ke isi": "Lompat ke isi",  # page.skip, every page
             "Edaran terbaru di register": "Edaran paling baru",  # feed.site_subtitle, feed.xml
             "Ketik sedikitnya dua huruf.": "Ketik dua huruf atau lebih."}  # search_script.too_short, cari.js's
    text = catalogue_copy.read_text(encoding="utf-8")
    for old, new in edits.items():
        assert text.count(old) == 1
        text = text.replace(old, new)
    catalogue_copy.write_text(text, encoding="utf-8")
    assert _build(build_py, fixture_site / "content", after).returncode == 0
    one, two = tree_bytes(before), tree_bytes(after)
    changed = set()
    for path, data in one.items():
        if path.startswith("cari/indeks/"):
            continue  # the index holds the page text, so it changes along with it
        expected = data.decode("utf-8", "replace")
        for old, new in edits.items():
            expected = expected.replace(old, new)
        assert two[path].decode("utf-8", "replace") == expected, path
        if two[path] != data:
            changed.add(path)
    assert {"index.html", "feed.xml", "cari/index.html"} <= changed
    assert "Lompat ke isi" in (after / "index.html").read_text(encoding="utf-8")
    assert html.escape("Ketik dua huruf atau lebih.") in (after / "cari" / "index.html").read_text(encoding="utf-8")


def test_error_code_is_documented() -> None:
    assert "| `strings` |" in (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
