"""Stage 2: turn each file into a typed Circular, reporting every broken rule of the content model."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

import markdown
import yaml

from . import frontmatter, listing, markup, parallel, regions
from .cache import Cache, Parsed, pack, stamp, unpack
from .load import SourceFile
from .model import (
    ADDRESSEE_CLASSES,
    CONFLICT_FIELDS,
    KINDS,
    LOCATED_FIELDS,
    RELATIONS,
    SOURCE_TYPES,
    BodyLink,
    Circular,
    Conflict,
    Document,
    PartialDate,
    Relation,
    Source,
    pack_body,
)
from .problems import Problem

if TYPE_CHECKING:
    from .bodies import BodyFile

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")  # \Z: "$" would allow a final newline
ID_MAX = 80
# Ids whose page would take a folder the site uses for something else (listing.PAGE_FOLDER).
RESERVED_IDS = frozenset({listing.PAGE_FOLDER})
# What `build.py new` writes where a value is still needed.
TODO = re.compile(r"^\s*TODO\b")
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
URL_SCHEMES = ("http://", "https://")
HOST_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", re.IGNORECASE)

FIELDS = ("title", "number", "kind", "region", "issuer", "signatory", "issued", "effective_from",
          "effective_until", *RELATIONS, "addressed_to", "topics", "sources", "documents", "conflicts")
REQUIRED = ("title", "region", "issuer", "issued", "sources")
SOURCE_FIELDS = ("publisher", "title", "type", "url", "published", "retrieved", "archived_url")
DOCUMENT_FIELDS = ("title", "url", "file", "sha256")
RELATION_FIELDS = ("id", "evidence", "source")
CONFLICT_KEYS = ("field", "value", "source", "recorded_source", "note")

T = TypeVar("T")


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    """A hint naming the closest choice, when one is close enough to be a likely typo."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def parse_date(raw: str) -> tuple[PartialDate | None, str | None]:
    """YYYY-MM-DD, YYYY-MM or YYYY as a PartialDate, or why it is not one."""
    match = DATE_PATTERN.match(raw)
    if not match:
        return None, f"'{raw}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY"
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None, f"'{raw}' is not a real date"
    return PartialDate(year, month, day), None


@functools.lru_cache(maxsize=65536)  # a build slugs every issuer name several times; there are few of them
def slugify(text: str) -> str:
    """Lowercase-hyphenated form of a phrase, as topics and ids are written."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _FileChecker:
    """Checks one file's front matter; holds only that file's position data and problems."""

    def __init__(self, source: SourceFile, part: frontmatter.Split, topics: dict[str, str] | None,
                 repo_root: Path) -> None:
        self.src = source
        self.part = part
        self.topics = topics
        self.repo_root = repo_root
        self.problems: list[Problem] = []
        self.consulted: list[Path] = []  # other files the result depends on (documents), for the preview cache

    # -- reporting ---------------------------------------------------------------------------
    def at(self, node: yaml.Node, code: str, message: str, hint: str | None = None) -> None:
        line, col = frontmatter.pos(node, self.part)
        self.problems.append(Problem(self.src.path, line, col, code, message, hint))

    def at_top(self, code: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.src.path, 1, 1, code, message, hint))

    # -- structure ---------------------------------------------------------------------------
    def mapping(self, node: yaml.MappingNode, where: str, allowed: tuple[str, ...],
                ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Keys of a mapping with their key and value nodes; unknown and repeated keys are problems."""
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.at(key_node, "bad-type", f"{where}a field name must be plain text")
                continue
            key = key_node.value
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f"known fields: {', '.join(allowed)}"
                self.at(key_node, "unknown-field", f"{where}unknown field '{key}'", hint)
                continue
            if key in out:
                first_line, _ = frontmatter.pos(out[key][0], self.part)
                self.at(key_node, "duplicate-key", f"{where}'{key}' is given twice (first on line {first_line})")
                continue
            out[key] = (key_node, value_node)
        return out

    def text(self, node: yaml.Node, name: str) -> str | None:
        """A non-empty text value. A value YAML reads as something else (NO as false, 16.10 as 16.1, 010
        as 8, 12:30 as 750) must be quoted, so every YAML reader of the file gets the text that is shown."""
        if not isinstance(node, yaml.ScalarNode):
            self.at(node, "bad-type", f"{name} must be text, not a {_kind_of(node)}")
            return None
        if node.tag == "tag:yaml.org,2002:null" or not node.value.strip():
            self.at(node, "missing-field", f"{name} is empty")
            return None
        if node.tag != "tag:yaml.org,2002:str":
            self.at(node, "bad-type", f"{name}: YAML reads {node.value} as {_reading(node)}; put it in quotes",
                    f'write {name.rsplit(".", 1)[-1]}: "{node.value}"')
            return None
        if TODO.match(node.value):  # left by `build.py new`: a file is not done until every TODO is filled
            self.at(node, "todo", f"{name} still says TODO", "fill it in from a source (the comment beside it "
                    "says what goes there)")
            return None
        return " ".join(node.value.split())

    def date(self, node: yaml.Node, name: str) -> PartialDate | None:
        """A date written YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known."""
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.at(node, "bad-date", f"{name} must be a date (YYYY-MM-DD, YYYY-MM or YYYY)")
            return None
        raw = node.value.strip()
        value, why = parse_date(raw)
        if why:
            self.at(node, "bad-date", f"{name}: {why}")
        return value

    def url(self, node: yaml.Node, name: str) -> str | None:
        value = self.text(node, name)
        if value is None:
            return None
        if not value.startswith(URL_SCHEMES):
            self.at(node, "bad-url", f"{name}: '{value}' is not an http or https URL")
            return None
        try:
            host = urlsplit(value).hostname or ""
        except ValueError:
            host = ""
        if not HOST_PATTERN.match(host) or " " in value:  # `text` turned every run of whitespace into one space
            self.at(node, "bad-url", f"{name}: '{value}' is not a complete web address",
                    "copy the full address from the browser's address bar (no spaces, a real domain)")
            return None
        return value

    def items(self, node: yaml.Node, name: str) -> list[yaml.Node]:
        """The entries of a list; anything else is a problem that says how to write a list."""
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.at(node, "bad-type", f"{name} must be a list, not a {_kind_of(node)}",
                    f"write {name}: [ ... ] or one '- ' line per entry")
            return []
        return list(node.value)

    def each(self, node: yaml.Node, name: str, parse: Callable[[yaml.Node, str], T | None]) -> tuple[T, ...]:
        out = []
        for i, item in enumerate(self.items(node, name), start=1):
            value = parse(item, f"{name}[{i}]")
            if value is not None:
                out.append(value)
        return tuple(out)

    # -- fields ------------------------------------------------------------------------------
    def source(self, node: yaml.Node, name: str) -> Source | None:
        if not isinstance(node, yaml.MappingNode):
            self.at(node, "bad-type", f"{name} must be a mapping with publisher and title")
            return None
        fields = self.mapping(node, f"{name}: ", SOURCE_FIELDS)
        missing = [f for f in ("publisher", "title") if f not in fields]
        for f in missing:
            self.at(node, "missing-field", f"{name}: '{f}' is required")
        values: dict[str, object] = {}
        for key, (_, value) in fields.items():
            where = f"{name}.{key}"
            if key in ("url", "archived_url"):
                values[key] = self.url(value, where)
            elif key in ("published", "retrieved"):
                values[key] = self.date(value, where)
            elif key == "type":
                values[key] = self.choice(value, where, SOURCE_TYPES)
            else:
                values[key] = self.text(value, where)
        if missing or any(values.get(k) is None for k in fields):
            return None
        return Source(**values)  # type: ignore[arg-type]

    def document(self, node: yaml.Node, name: str) -> Document | None:
        if not isinstance(node, yaml.MappingNode):
            self.at(node, "bad-type", f"{name} must be a mapping with title and url or file")
            return None
        fields = self.mapping(node, f"{name}: ", DOCUMENT_FIELDS)
        ok = True
        if "title" not in fields:
            self.at(node, "missing-field", f"{name}: 'title' is required")
            ok = False
        if "url" not in fields and "file" not in fields:
            self.at(node, "missing-field", f"{name}: give 'url' or 'file'")
            ok = False
        values: dict[str, str | None] = {}
        for key, (_, value) in fields.items():
            where = f"{name}.{key}"
            if key == "url":
                values[key] = self.url(value, where)
            elif key == "file":
                values[key] = self.repo_file(value, where)
            elif key == "sha256":
                digest = self.text(value, where)
                if digest is not None and not SHA256_PATTERN.match(digest):
                    self.at(value, "bad-value", f"{where}: expected 64 lowercase hexadecimal characters")
                    digest = None
                values[key] = digest
            else:
                values[key] = self.text(value, where)
        if not ok or any(v is None for v in values.values()):
            return None
        local = None
        if values.get("file"):
            file_node = fields["file"][1]
            self.consulted.append(self.repo_root / str(values["file"]))
            target = (self.repo_root / str(values["file"])).resolve()
            if not target.is_relative_to(self.repo_root.resolve()):
                self.at(file_node, "bad-value", f"{name}.file: '{values['file']}' leads outside the repository")
                return None
            if not target.is_file():
                self.at(file_node, "missing-file",
                        f"{name}.file: '{values['file']}' does not exist in the repository")
                return None
            local = str(target)
            if values.get("sha256"):
                actual = hashlib.sha256(target.read_bytes()).hexdigest()
                if actual != values["sha256"]:
                    self.at(fields["sha256"][1], "sha256-mismatch",
                            f"{name}.sha256 does not match '{values['file']}' (its SHA-256 is {actual})")
                    return None
        return Document(**values, local_path=local)  # type: ignore[arg-type]

    def repo_file(self, node: yaml.Node, name: str) -> str | None:
        """A path inside the repository: relative, with no way out of it."""
        value = self.text(node, name)
        if value is None:
            return None
        path = Path(value)
        if path.is_absolute() or ".." in path.parts or "\\" in value:
            self.at(node, "bad-value", f"{name}: '{value}' must be a relative path inside the repository")
            return None
        return path.as_posix()

    def choice(self, node: yaml.Node, name: str, choices: tuple[str, ...]) -> str | None:
        value = self.text(node, name)
        if value is None:
            return None
        if value not in choices:
            self.at(node, "bad-value", f"{name}: '{value}' is not one of {', '.join(choices)}",
                    did_you_mean(value, choices))
            return None
        return value

    def relation(self, node: yaml.Node, name: str, n_sources: int) -> Relation | None:
        line, col = frontmatter.pos(node, self.part)
        if isinstance(node, yaml.ScalarNode):
            target = self.ref_id(node, name)
            return None if target is None else Relation(target, line=line, col=col)
        if not isinstance(node, yaml.MappingNode):
            self.at(node, "bad-type", f"{name} must be a circular id or a mapping with id, evidence and source")
            return None
        fields = self.mapping(node, f"{name}: ", RELATION_FIELDS)
        if "id" not in fields:
            self.at(node, "missing-field", f"{name}: 'id' is required")
            return None
        id_node = fields["id"][1]
        target = self.ref_id(id_node, f"{name}.id")
        evidence = self.text(fields["evidence"][1], f"{name}.evidence") if "evidence" in fields else None
        source: int | None = None
        if "source" in fields:
            snode = fields["source"][1]
            if not (isinstance(snode, yaml.ScalarNode) and snode.tag == "tag:yaml.org,2002:int"):
                self.at(snode, "bad-type", f"{name}.source must be the number of an entry in sources (1, 2, ...)")
                return None
            source = int(snode.value)
            if not 1 <= source <= n_sources:
                self.at(snode, "bad-source-ref",
                        f"{name}.source: there is no source {source}; this file lists {n_sources}")
                return None
        if evidence is not None and source is None:
            self.at(fields["evidence"][0], "missing-field",
                    f"{name}: evidence needs 'source', the number of the source it quotes")
            return None
        if source is not None and "evidence" not in fields:
            self.at(fields["source"][0], "missing-field", f"{name}: 'source' is given without 'evidence'")
            return None
        if target is None:
            return None
        id_line, id_col = frontmatter.pos(id_node, self.part)
        return Relation(target, evidence=evidence, source=source, line=id_line, col=id_col)

    def source_number(self, node: yaml.Node, name: str, n_sources: int) -> int | None:
        """A 1-based index into this file's sources."""
        if not (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int"):
            self.at(node, "bad-type", f"{name} must be the number of an entry in sources (1, 2, ...)")
            return None
        number = int(node.value)
        if not 1 <= number <= n_sources:
            self.at(node, "bad-source-ref", f"{name}: there is no source {number}; this file lists {n_sources}")
            return None
        return number

    def conflict(self, node: yaml.Node, name: str, n_sources: int,
                 recorded: dict[str, object]) -> Conflict | None:
        """Another source's value for a field: which field, the value, who says it, and who the file follows."""
        if not isinstance(node, yaml.MappingNode):
            self.at(node, "bad-type", f"{name} must be a mapping with field, value, source and recorded_source")
            return None
        fields = self.mapping(node, f"{name}: ", CONFLICT_KEYS)
        for key in ("field", "value", "source", "recorded_source"):
            if key not in fields:
                self.at(node, "missing-field", f"{name}: '{key}' is required")
                return None
        field = self.choice(fields["field"][1], f"{name}.field", CONFLICT_FIELDS)
        if field is None:
            return None
        value_node = fields["value"][1]
        value = (self.date(value_node, f"{name}.value") if field in ("issued", "effective_from", "effective_until")
                 else self.text(value_node, f"{name}.value", quoted=field == "number"))
        source = self.source_number(fields["source"][1], f"{name}.source", n_sources)
        recorded_source = self.source_number(fields["recorded_source"][1], f"{name}.recorded_source", n_sources)
        note = self.text(fields["note"][1], f"{name}.note") if "note" in fields else None
        if value is None or source is None or recorded_source is None:
            return None
        if recorded.get(field) is None:
            self.at(fields["field"][1], "missing-field",
                    f"{name}: the file records no '{field}' to set against this value", f"add {field}: first")
            return None
        if recorded[field] == value:
            self.at(value_node, "bad-value", f"{name}.value is the value the file already records")
            return None
        if source == recorded_source:
            self.at(fields["source"][1], "bad-value",
                    f"{name}: source and recorded_source are the same source; a source does not disagree with itself")
            return None
        return Conflict(field, value, source, recorded_source, note)

    def ref_id(self, node: yaml.Node, name: str) -> str | None:
        value = self.text(node, name)
        if value is None:
            return None
        if not ID_PATTERN.match(value):
            hint = (f"did you mean '{value.lower()}'?" if ID_PATTERN.match(value.lower()) else
                    "ids are lowercase letters, digits and single hyphens, e.g. se-menpanrb-19-2020")
            self.at(node, "bad-id", f"{name}: '{value}' is not a circular id{_unseen(value)}", hint)
            return None
        return value

    def region_code(self, node: yaml.Node, name: str) -> str | None:
        value = self.text(node, name)
        if value is None:
            return None
        if not regions.CODE_FORMAT.match(value):
            self.at(node, "bad-value", f"{name}: '{value}' is not a region code",
                    "write \"ID\" for a national body, or a Kemendagri code like \"53\" or \"53.04\"")
            return None
        if regions.lookup(value) is None:
            self.at(node, "unknown-region", f"{name}: '{value}' is not in {regions.LIST_NAME}",
                    regions.hint_for(value))
            return None
        return value

    def addressee(self, node: yaml.Node, name: str) -> str | None:
        value = self.text(node, name)
        if value is None:
            return None
        if value in ADDRESSEE_CLASSES:
            return value
        if regions.CODE_FORMAT.match(value) and value != "ID":
            return self.region_code(node, name)
        self.at(node, "bad-value", f"{name}: '{value}' is not one of {', '.join(ADDRESSEE_CLASSES)} "
                "or a region code", did_you_mean(value, ADDRESSEE_CLASSES))
        return None

    def topic(self, node: yaml.Node, name: str) -> str | None:
        value = self.text(node, name)
        if value is None:
            return None
        if not ID_PATTERN.match(value):
            self.at(node, "bad-value", f"{name}: '{value}' is not a topic slug",
                    f"write '{slugify(value)}'" if slugify(value) else None)
            return None
        if self.topics is not None and value not in self.topics:
            self.at(node, "unknown-topic", f"{name}: '{value}' is not in the topic list (content/topics.yaml)",
                    did_you_mean(value, sorted(self.topics)) or "add it to content/topics.yaml first")
            return None
        return value


def _unseen(text: str) -> str:
    """Name the characters an id may not hold that a reader cannot tell apart: look-alike letters from
    other scripts (Cyrillic 'е' for 'e'), zero-width and direction marks."""
    odd = [ch for ch in dict.fromkeys(text) if not ch.isascii()]
    if not odd:
        return ""
    names = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}" for ch in odd[:3])
    return f" (it holds {names}; ids are ASCII only)"


def _reading(node: yaml.ScalarNode) -> str:
    """What a plain scalar becomes for a YAML reader, in words: 'false', 'the number 16.1', 'a date'."""
    try:
        value = yaml.safe_load(node.value)
    except (yaml.YAMLError, ValueError):  # an impossible date such as 2020-02-30
        return "a date"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    return "something other than text"


def _kind_of(node: yaml.Node) -> str:
    return {yaml.MappingNode: "mapping", yaml.SequenceNode: "list"}.get(type(node), "single value")


def locate_links(body: str, body_line: int, targets: list[str]) -> tuple[BodyLink, ...]:
    """Where each link target is written in the body, so a problem can point at it.

    Link syntax ("](x", "]: x", 'href="x') is preferred over a bare mention (which may sit in code);
    the search goes forward from the previous link, then wraps, so repeated links map in order.
    """
    lines = body.split("\n")
    found: list[BodyLink] = []
    row, col = 0, 0

    def search(needle: str, skip: int) -> tuple[int, int] | None:
        for i in list(range(row, len(lines))) + list(range(0, row + 1)):
            start = lines[i].find(needle, col if i == row else 0)
            if start >= 0:
                return i, start + skip
        return None

    for target in targets:
        needle = html.unescape(target)
        place = None
        for prefix in ("](", "]: ", 'href="', "href='", "<"):
            place = search(prefix + needle, len(prefix))
            if place:
                break
        place = place or search(needle, 0)
        if place is None:  # written in a form we cannot find (e.g. entity-encoded): point at the body's start
            found.append(BodyLink(target, body_line, 1))
            continue
        row, col = place[0], place[1] + len(needle)
        found.append(BodyLink(target, body_line + place[0], place[1] + 1))
    return tuple(found)


def validate_file(source: SourceFile, content_dir: Path, converter: markdown.Markdown | None = None,
                  topics: dict[str, str] | None = None,
                  consulted: list[Path] | None = None) -> tuple[Circular | None, list[Problem]]:
    """Check one file against every rule that needs only that file, and convert its body.

    The other files it reads (documents named in it) are added to `consulted`, when given.
    """
    problems: list[Problem] = []
    if not ID_PATTERN.match(source.id) or len(source.id) > ID_MAX:
        problems.append(Problem(source.path, 1, 1, "bad-id",
                                f"file name '{source.id}.md' is not a valid id{_unseen(source.id)}",
                                "use lowercase letters, digits and single hyphens, at most 80 characters, "
                                f"e.g. '{slugify(source.id)[:ID_MAX] or 'se-menpanrb-19-2020'}.md'"))
    elif source.id in RESERVED_IDS:
        problems.append(Problem(source.path, 1, 1, "bad-id",
                                f"file name '{source.id}.md' is reserved: edaran/{source.id}/ holds the later "
                                "pages of the list of all circulars",
                                "name the file after the circular's kind, issuer, number and year, "
                                "e.g. 'se-menpanrb-19-2020.md'"))
    part, split_problems = frontmatter.split(source.text, source.path)
    if part is None:
        return None, problems + split_problems
    root, yaml_problems = frontmatter.compose(part, source.path)
    if yaml_problems:
        return None, problems + yaml_problems
    check = _FileChecker(source, part, topics, content_dir.parent)
    check.problems = problems
    if consulted is not None:
        check.consulted = consulted
    if root is None:
        check.at_top("missing-field", f"the front matter is empty; required fields: {', '.join(REQUIRED)}")
        return None, check.problems
    if not isinstance(root, yaml.MappingNode):
        check.at(root, "bad-type", "the front matter must be a mapping of fields (name: value)")
        return None, check.problems

    fields = check.mapping(root, "", FIELDS)
    # A misspelt required field is already reported (with a did-you-mean); do not report it missing too.
    misspelt = {p.hint[len("did you mean '"):-2] for p in check.problems
                if p.code == "unknown-field" and p.hint and p.hint.startswith("did you mean '")}
    for name in REQUIRED:
        if name not in fields and name not in misspelt:
            check.at_top("missing-field", f"required field '{name}' is missing")
    values: dict[str, object] = {}
    positions = {name: frontmatter.pos(fields[name][1], part) for name in LOCATED_FIELDS if name in fields}

    def get(name: str, parse: Callable[[yaml.Node, str], object]) -> None:
        if name in fields:
            values[name] = parse(fields[name][1], name)

    get("title", check.text)
    get("number", check.text)
    get("kind", lambda n, w: check.choice(n, w, KINDS))
    get("region", check.region_code)
    get("issuer", check.text)
    if isinstance(values.get("issuer"), str) and not slugify(values["issuer"]):  # type: ignore[arg-type]
        check.at(fields["issuer"][1], "bad-value", "issuer: write the office's name in Latin letters, "
                 "e.g. 'Bupati Belu'")
        values["issuer"] = None
    get("signatory", check.text)
    for name in ("issued", "effective_from", "effective_until"):
        get(name, check.date)
    get("sources", lambda n, w: check.each(n, w, check.source))
    sources_node = fields["sources"][1] if "sources" in fields else None
    n_sources = len(sources_node.value) if isinstance(sources_node, yaml.SequenceNode) else 0
    for name in RELATIONS:
        get(name, lambda n, w: check.each(n, w, lambda item, where: check.relation(item, where, n_sources)))
    get("addressed_to", lambda n, w: check.each(n, w, check.addressee))
    get("topics", lambda n, w: check.each(n, w, check.topic))
    get("documents", lambda n, w: check.each(n, w, check.document))
    get("conflicts", lambda n, w: check.each(n, w, lambda item, where: check.conflict(item, where, n_sources, values)))

    title = values.get("title")
    if isinstance(title, str) and ("[" in title or "]" in title) and not (
            title.startswith("[") and title.endswith("]") and title[1:-1].strip()
            and "[" not in title[1:-1] and "]" not in title[1:-1]):
        check.at(fields["title"][1], "bad-value", "title: a title written by the registry is wrapped whole in "
                 "one pair of [square brackets], with text inside")
    if isinstance(title, str) and title.lower().startswith("tentang "):
        check.at(fields["title"][1], "bad-value", "title: leave out the word 'tentang'",
                 f"write title: {title[len('tentang '):]}")
    if sources_node is not None and (
            (isinstance(sources_node, yaml.SequenceNode) and not sources_node.value)
            or (isinstance(sources_node, yaml.ScalarNode) and sources_node.tag == "tag:yaml.org,2002:null")):
        check.at(sources_node, "missing-field", "sources: at least one source is required")
    start, until = values.get("effective_from"), values.get("effective_until")
    if isinstance(start, PartialDate) and isinstance(until, PartialDate) and until.latest < start.earliest:
        check.at(fields["effective_until"][1], "date-range",
                 f"effective_until {until.iso()} is before effective_from {start.iso()}")
    for name in RELATIONS:
        seen: set[str] = set()
        for rel in values.get(name) or ():
            assert isinstance(rel, Relation)
            if rel.target in seen:
                check.problems.append(Problem(source.path, rel.line, rel.col, "duplicate-ref",
                                              f"{name}: '{rel.target}' is listed twice"))
            seen.add(rel.target)
    names = [Path(d.file).name for d in values.get("documents") or () if isinstance(d, Document) and d.file]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        check.at(fields["documents"][1], "bad-value", f"documents: two files are named '{dup}'; "
                 "each document of one circular needs its own file name")
    for row, line in enumerate(part.body.split("\n")):
        if TODO.match(line.strip()):
            check.problems.append(Problem(source.path, part.body_line + row, line.find("TODO") + 1, "todo",
                                          "body: the summary still says TODO",
                                          "write a short summary in Indonesian from the sources"))
    if check.problems or any(values.get(name) is None for name in fields):
        return None, check.problems
    region = regions.lookup(values["region"])  # type: ignore[arg-type]
    assert region is not None
    complex_at = markup.too_complex(part.body)
    if complex_at is None:
        try:
            body_html = markup.to_html(converter or markup.make_converter(), part.body)
        except RecursionError:
            complex_at = (0, 1, "its structure is nested too deeply to convert")
    if complex_at is not None:
        row, col, why = complex_at
        return None, [Problem(source.path, part.body_line + row, col, "body-too-complex",
                              f"body: {why}", "write plain paragraphs, lists and tables")]
    body_links = locate_links(part.body, part.body_line, markup.internal_links(body_html))
    relative = markup.relative_links(body_html)
    for link in locate_links(part.body, part.body_line, relative):
        check.problems.append(Problem(source.path, link.line, link.col, "broken-link",
                                      f"body: relative link '{link.path}' points somewhere else on every page",
                                      "write links from the site root, e.g. /edaran/se-menpanrb-19-2020/"))
    if relative:
        return None, check.problems
    circular = Circular(
        id=source.id,
        path=source.path,
        repo_path=source.repo_path,
        title=values["title"],  # type: ignore[arg-type]
        region=region,
        issuer=values["issuer"],  # type: ignore[arg-type]
        issued=values["issued"],  # type: ignore[arg-type]
        sources=values["sources"],  # type: ignore[arg-type]
        body_line=part.body_line,
        body_packed=pack_body(body_html),
        body_links=body_links,
        number=values.get("number"),  # type: ignore[arg-type]
        kind=values.get("kind", "surat-edaran"),  # type: ignore[arg-type]
        signatory=values.get("signatory"),  # type: ignore[arg-type]
        effective_from=values.get("effective_from"),  # type: ignore[arg-type]
        effective_until=values.get("effective_until"),  # type: ignore[arg-type]
        implements=values.get("implements", ()),  # type: ignore[arg-type]
        amends=values.get("amends", ()),  # type: ignore[arg-type]
        extends=values.get("extends", ()),  # type: ignore[arg-type]
        revokes=values.get("revokes", ()),  # type: ignore[arg-type]
        addressed_to=values.get("addressed_to", ()),  # type: ignore[arg-type]
        topics=values.get("topics", ()),  # type: ignore[arg-type]
        documents=values.get("documents", ()),  # type: ignore[arg-type]
        conflicts=values.get("conflicts", ()),  # type: ignore[arg-type]
        positions=positions,
    )
    return circular, check.problems


_converter: markdown.Markdown | None = None  # one per process: creating one costs more than converting


def parse_file(source: SourceFile, content_dir: Path, topics: dict[str, str] | None) -> Parsed:
    """`validate_file` with what a cache keeps: its result and the other files it read."""
    global _converter
    _converter = _converter or markup.make_converter()
    consulted: list[Path] = []
    circular, found = validate_file(source, content_dir, _converter, topics, consulted)
    return Parsed(circular, tuple(found), tuple((str(p), stamp(p)) for p in consulted))


def _cache_key(source: SourceFile, content_dir: Path, topics_key: object) -> object:
    """Everything `validate_file` reads besides other files (see cache.ParseCache)."""
    return (source.id, source.repo_path, source.text, topics_key, str(content_dir))


def validate_again(files: list[SourceFile], content_dir: Path, topics: dict[str, str] | None,
                   cache: Cache) -> tuple[list[Circular | None], list[Problem]]:
    """Validate some files of a registry checked before, whose ids have not changed (the preview's quick
    re-check, recheck.py): each one's circular (None when invalid), and their problems."""
    topics_key = tuple(sorted(topics.items())) if topics is not None else None
    circulars: list[Circular | None] = []
    problems: list[Problem] = []
    for source in files:
        key = _cache_key(source, content_dir, topics_key)
        result = cache.get(source.path, key)
        if result is None:
            result = parse_file(source, content_dir, topics)
            cache.put(source.path, key, result)
        circulars.append(result.circular)
        problems.extend(result.problems)
    return circulars, problems


def validate(files: list[SourceFile], content_dir: Path, topics: dict[str, str] | None = None,
             cache: Cache | None = None, workers: int = 1,
             bodies: BodyFile | None = None) -> tuple[list[Circular], list[Problem]]:
    """Validate every file (never stopping at the first bad one) and check ids are unique.

    `topics` is the vocabulary from content/topics.yaml; None accepts any topic slug. With a `cache`, a file
    whose text and inputs are unchanged since it was last parsed is not parsed again. The files that are
    parsed are spread over `workers` processes. With `bodies`, each circular's body is moved there as its
    result comes in (after the cache has it), so the bodies are never all in memory.
    """
    problems: list[Problem] = []
    first_path: dict[str, str] = {}
    topics_key = tuple(sorted(topics.items())) if topics is not None else None
    results: dict[str, Parsed] = {}
    todo: list[tuple[SourceFile, object]] = []
    for source in files:
        if source.id in first_path:
            results[source.path] = Parsed(None, (Problem(
                source.path, 1, 1, "duplicate-id", f"id '{source.id}' is already used by {first_path[source.id]}",
                "ids are file names and must be unique across all folders"),), ())
            continue
        first_path[source.id] = source.path
        key = _cache_key(source, content_dir, topics_key)
        if cache is not None and (hit := cache.get(source.path, key)) is not None:
            results[source.path] = _kept(hit, bodies)
        else:
            todo.append((source, key))
    # A disk cache stores each result pickled and compressed: forked workers do that themselves, and send
    # the bytes (smaller than the objects, and the same bytes the cache keeps).
    forking = parallel.forks(len(todo), workers)
    packed = cache is not None and cache.stores_packed and forking
    if forking:
        regions.preload()

    def parse(source: SourceFile) -> Parsed | bytes:
        result = parse_file(source, content_dir, topics)
        return pack(result) if packed else result

    for (source, key), got in zip(todo, parallel.map_ordered(parse, [s for s, _ in todo], workers), strict=True):
        if isinstance(got, bytes):
            assert cache is not None
            cache.put_packed(source.path, key, got)
            result = unpack(got)
        else:
            if cache is not None:
                cache.put(source.path, key, got)
            result = got
        results[source.path] = _kept(result, bodies)
    circulars: list[Circular] = []
    for source in files:  # in the order the files were found, whichever process parsed them
        result = results[source.path]
        problems.extend(result.problems)
        if result.circular is not None:
            circulars.append(result.circular)
    if cache is not None:
        cache.keep_only(set(first_path.values()))
    return circulars, problems


def _kept(result: Parsed, bodies: BodyFile | None) -> Parsed:
    """`result` with its circular's body moved to `bodies` (when there is one of each)."""
    if bodies is None or result.circular is None:
        return result
    return replace(result, circular=bodies.keep(result.circular))
