"""schema/circular.schema.json (for editors) and the validator (`build.py check`) agree on every fixture:
the schema rejects exactly the files whose problem is in the shape of one file's front matter, and
accepts the rest, which need the calendar, the region list or the other files to judge."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import FIXTURES, REPO

SCHEMA = json.loads((REPO / "schema" / "circular.schema.json").read_text(encoding="utf-8"))
# Problems a schema of one file's front matter can see. Every other code needs more than the shape: a real
# calendar (bad-date on 30 February), the Kemendagri list, the other files, the repository, or the body.
SHAPE = {"bad-type", "bad-url", "bad-value", "missing-field", "unknown-field", "todo", "duplicate-ref"}
CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


class EditorLoader(yaml.SafeLoader):
    """YAML as the YAML language server reads it (YAML 1.2 core schema): dates stay strings."""


EditorLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def front_matter(path: Path) -> Any:
    """The front matter as an editor sees it, or None when the file is not YAML front matter at all."""
    try:
        text = path.read_text(encoding="utf-8")
        head = text.split("---\n", 2)[1] if text.startswith("---\n") else None
        return yaml.load(head, Loader=EditorLoader) if head is not None else None
    except (UnicodeDecodeError, IndexError, yaml.YAMLError):
        return None


def schema_errors(folder: Path) -> list[str]:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    found = []
    for path in sorted(folder.rglob("*.md")):
        data = front_matter(path)
        if data is not None:
            found += [f"{path.name}: {e.json_path}: {e.message}" for e in validator.iter_errors(data)]
    return found


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("case", CASES)
def test_schema_and_validator_agree_on_invalid_fixtures(case: str) -> None:
    errors = schema_errors(FIXTURES / "invalid" / case / "content")
    expected = (FIXTURES / "invalid" / case / "expected.txt").read_text(encoding="utf-8")
    codes = set(re.findall(r"error\[([a-z0-9-]+)\]", expected))  # every problem the validator reports
    if codes & SHAPE:
        assert errors, f"the validator reports {codes & SHAPE}; the schema should reject too"
    else:
        assert errors == [], f"{codes} are not shape problems, yet the schema rejects: {errors}"


@pytest.mark.parametrize("folder", [REPO / "content", FIXTURES / "site" / "content"])
def test_schema_accepts_every_valid_file(folder: Path) -> None:
    assert list(folder.rglob("*.md"))
    assert schema_errors(folder) == []


def test_every_circular_names_the_schema_for_editors() -> None:
    circulars = REPO / "content" / "circulars"
    for path in circulars.rglob("*.md"):
        up = "../" * (len(path.relative_to(circulars).parts) + 1)  # a file in a sub-folder is one level deeper
        line = path.read_text(encoding="utf-8").split("\n")[1]
        assert line == f"# yaml-language-server: $schema={up}schema/circular.schema.json", path
        assert (path.parent / line.split("=", 1)[1]).resolve() == REPO / "schema" / "circular.schema.json"
