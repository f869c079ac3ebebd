"""Publishing: the GitHub workflows and forms validate, run the documented commands, and the site built
under a sub-path has no broken internal link (checked by LinkChecker, a real consumer)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import html5lib
import yaml
from check_links import check as linkcheck

from conftest import AS_OF, REPO, build_into, run_cli

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
FORMS = sorted((REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))


def readme_test_command() -> str:
    from test_docs import readme_commands

    return readme_commands()[1]


def steps(workflow: str) -> list[dict]:
    data = yaml.safe_load((REPO / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))
    return [s for job in data["jobs"].values() for s in job["steps"]]


def test_workflows_and_issue_forms_validate() -> None:
    for schema, files in (("vendor.github-workflows", WORKFLOWS), ("vendor.github-issue-forms",
                          [f for f in FORMS if f.name != "config.yml"]),
                          ("vendor.github-issue-config", [REPO / ".github" / "ISSUE_TEMPLATE" / "config.yml"])):
        assert files
        run = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stdout + run.stderr


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    broken = tmp_path / "ci.yml"
    broken.write_text("name: ci\non: push\njobs:\n  test:\n    steps: []\n", encoding="utf-8")  # no runs-on
    run = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                          str(broken)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1


def test_ci_runs_the_documented_commands() -> None:
    runs = [s.get("run", "") for s in steps("ci.yml")]
    assert "python3 -m pip install -r requirements.txt && python3 build.py check --format github" in runs
    assert readme_test_command() in runs  # the very command README gives a new contributor
    assert "python3 build.py build --base-url /register-edaran/" in runs
    assert "python3 tests/check_links.py _site --base-path /register-edaran/" in runs
    assert runs.index(readme_test_command()) < runs.index("python3 tests/check_links.py _site --base-path "
                                                          "/register-edaran/")


def test_pages_workflow_builds_with_the_pages_url_and_deploys_safely() -> None:
    data = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    on = data[True] if True in data else data["on"]  # YAML 1.1 reads the key `on` as true
    assert on["push"]["branches"] == ["main"]
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert data["concurrency"]["group"] and data["concurrency"]["cancel-in-progress"] is False
    uses = [s.get("uses", "") for s in steps("pages.yml")]
    for action in ("actions/checkout@", "actions/setup-python@", "actions/configure-pages@",
                   "actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert any(u.startswith(action) for u in uses), action
    build = next(s["run"] for s in steps("pages.yml") if "build.py build" in s.get("run", ""))
    assert '--base-url "${{ steps.pages.outputs.base_url }}/"' in build


def test_every_action_is_pinned_to_a_commit() -> None:
    """A tag like @v4 can be moved to other code; a commit cannot. The comment says which release it is."""
    for workflow in WORKFLOWS:
        lines = [line for line in workflow.read_text(encoding="utf-8").splitlines() if "uses:" in line]
        assert lines, workflow
        for line in lines:
            assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), (workflow.name, line)


def test_subpath_site_has_no_broken_internal_link(subpath_site: Path) -> None:
    run = linkcheck(subpath_site, "/register-edaran/")
    assert run.returncode == 0, run.stdout[-3000:]
    assert " 0 errors found" in run.stdout
    checked = int(run.stdout.split(" links in ")[1].split(" URLs")[0])
    assert checked > 100  # pages, feeds, exports, assets


def test_link_check_finds_a_missing_page(fixture_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build_into(out, fixture_site / "content", "--base-url", "/repo/")
    shutil.rmtree(out / "edaran" / "se-menteri-contoh-2-2020")
    run = linkcheck(out, "/repo/")
    assert run.returncode == 1
    assert "/repo/edaran/se-menteri-contoh-2-2020/" in run.stdout and "404" in run.stdout


def test_circular_pages_offer_edit_and_report_links(fixture_site: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    text = (REPO / "site_config.yaml").read_text(encoding="utf-8")
    config.write_text(text.replace('repository_url: ""', 'repository_url: "https://github.com/contoh/register"'),
                      encoding="utf-8")
    out = tmp_path / "_site"
    run = run_cli("build", "--content", fixture_site / "content", "--output", out, "--config", config,
                  "--as-of", AS_OF, cwd=tmp_path)
    assert run.code == 0, run.err
    page = out / "edaran" / "se-bupati-belu-1-2020" / "index.html"
    doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    links = {"".join(a.itertext()): a.get("href") for a in doc.iter("a")}
    assert links["Sunting halaman ini"] == \
        "https://github.com/contoh/register/edit/main/content/circulars/se-bupati-belu-1-2020.md"
    report = urlsplit(links["Laporkan kesalahan"])
    assert (report.netloc, report.path) == ("github.com", "/contoh/register/issues/new")
    assert parse_qs(report.query) == {
        "template": ["koreksi-data.yml"], "title": ["Koreksi: Surat Edaran Bupati Belu Nomor 870/1/III/2020"],
        "edaran": ["se-bupati-belu-1-2020 (content/circulars/se-bupati-belu-1-2020.md)"]}
    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / "koreksi-data.yml").read_text(encoding="utf-8"))
    assert "edaran" in [field.get("id") for field in form["body"]]  # the pre-filled field exists
    # Without a repository URL there is nowhere to send the reader: no links at all.
    plain = (REPO / "tests" / "golden" / "edaran" / "se-bupati-belu-1-2020" / "index.html").read_text()
    assert "Sunting halaman ini" not in plain and "Laporkan kesalahan" not in plain
