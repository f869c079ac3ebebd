"""The documented commands are the ones that run, and the code stays ruff-clean."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.*?)\n```", text, flags=re.S)


def test_readme_starts_with_exactly_two_commands() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    head = text.split("---", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", head, flags=re.S)
    assert len(blocks) == 2 and all("\n" not in b for b in blocks)
    assert head.index("```sh") < head.index("The first command")
    serve, test = blocks
    assert serve.endswith("python3 build.py serve")
    assert test.endswith("python3 -m pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_every_error_code_is_documented() -> None:
    doc = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    fixtures = {p.name for p in (REPO / "tests" / "fixtures" / "invalid").iterdir()}
    for code in fixtures | {"template", "config", "read-error"}:
        assert f"| `{code}` |" in doc, code


def test_every_command_line_option_is_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    out = subprocess.run([sys.executable, "build.py", "build", "--help"], cwd=REPO, capture_output=True,
                         text=True).stdout
    for command in ("serve", "check", "new"):
        out += subprocess.run([sys.executable, "build.py", command, "--help"], cwd=REPO, capture_output=True,
                              text=True).stdout
    for option in set(re.findall(r"--[a-z-]+", out)) - {"--help"}:
        assert option in readme, option


def test_code_is_ruff_clean() -> None:
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=REPO,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
