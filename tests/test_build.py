"""Whole builds: golden output, reproducibility, atomic publishing, sub-path links, exit codes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import jinja2
import pytest

import build
from conftest import AS_OF, CONFIG, REPO, build_into, run_cli, tree_bytes
from registry import write

GOLDEN = Path(__file__).resolve().parent / "golden"


def test_golden_output(fixture_site: Path, tmp_path: Path, update_golden: bool) -> None:
    """The fixture site builds to exactly tests/golden (refresh on purpose: pytest --update-golden).

    One folder is checked another way rather than copied into tests/golden: assets/ must be static/ byte
    for byte.
    """
    out = tmp_path / "_site"
    build_into(out, fixture_site / "content")
    elsewhere = ("assets",)
    built = {path: data for path, data in tree_bytes(out).items() if path.split("/", 1)[0] not in elsewhere}
    assert tree_bytes(out / "assets") == tree_bytes(REPO / "static")
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN, ignore=lambda folder, names: list(elsewhere) if Path(folder) == out else [])
    golden = tree_bytes(GOLDEN)
    assert sorted(built) == sorted(golden)
    for path, data in built.items():
        assert data == golden[path], f"{path} differs from tests/golden/{path}"


def test_second_build_is_byte_identical(fixture_site: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    build_into(first, fixture_site / "content")
    build_into(second, fixture_site / "content")
    assert tree_bytes(first) == tree_bytes(second)
    build_into(first, fixture_site / "content")  # rebuilding over an existing output changes nothing
    assert tree_bytes(first) == tree_bytes(second)


def test_as_of_changes_only_what_depends_on_it(fixture_site: Path, tmp_path: Path) -> None:
    early, late = tmp_path / "early", tmp_path / "late"
    run_cli("build", "--content", fixture_site / "content", "--output", early, "--config", CONFIG,
            "--as-of", "2020-03-20", cwd=tmp_path)
    build_into(late, fixture_site / "content")
    page = "edaran/se-menteri-contoh-1-2020/index.html"
    assert 'status-berlaku">Berlaku<' in (early / page).read_text()
    assert "per 20 Maret 2020" in (early / page).read_text()
    assert 'status-berakhir">Berakhir<' in (late / page).read_text()


def _build_in_process(monkeypatch: pytest.MonkeyPatch, site: Path, out: Path) -> int:
    monkeypatch.chdir(site)
    return build.main(["build", "--content", "content", "--output", str(out), "--config", str(CONFIG),
                       "--as-of", AS_OF])


def test_failure_mid_render_leaves_previous_output_untouched(
        fixture_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "_site"
    build_into(out, fixture_site / "content")
    before = tree_bytes(out)
    (fixture_site / "content" / "circulars" / "se-gubernur-ntt-2020.md").unlink()  # a real change
    real_render = jinja2.Template.render
    calls = {"n": 0}

    def failing_render(self: jinja2.Template, *args: object, **kwargs: object) -> str:
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk on fire")
        return real_render(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", failing_render)
    assert _build_in_process(monkeypatch, fixture_site, out) == 1
    err = capsys.readouterr().err
    assert "error[template]: RuntimeError: disk on fire" in err
    assert "nothing written" in err
    assert calls["n"] > 5  # it went on rendering the other pages to report everything
    assert tree_bytes(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{out.name}.")] == []  # no staging left


def test_failure_mid_write_leaves_previous_output_untouched(
        fixture_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "_site"
    build_into(out, fixture_site / "content")
    before = tree_bytes(out)
    (fixture_site / "content" / "circulars" / "se-gubernur-ntt-2020.md").unlink()
    real_create = write._create
    calls = {"n": 0}

    def failing_create(target: Path, data: bytes) -> os.stat_result:
        calls["n"] += 1
        if calls["n"] == 7:
            raise OSError(28, "No space left on device")
        return real_create(target, data)

    monkeypatch.setattr(write, "_create", failing_create)
    assert _build_in_process(monkeypatch, fixture_site, out) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert tree_bytes(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{out.name}.")] == []  # no staging left


def test_template_error_names_template_and_line(
        fixture_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    page = templates / "issuer.html"
    lines = page.read_text().splitlines()
    lines.insert(5, "{{ group.nmae }}")
    page.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(build, "TEMPLATES", templates)
    out = tmp_path / "_site"
    assert _build_in_process(monkeypatch, fixture_site, out) == 1
    err = capsys.readouterr().err
    expected = "error[template]: 'registry.link.Group object' has no attribute 'nmae'"
    assert f"{templates / 'issuer.html'}:6:1: {expected}" in err
    assert not out.exists()


def test_check_writes_nothing(fixture_site: Path) -> None:
    before = tree_bytes(fixture_site)
    run = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=fixture_site)
    assert run.code == 0
    assert run.out == "ok: 4 circulars checked, no problems\n"
    assert tree_bytes(fixture_site) == before
    assert sorted(p.name for p in fixture_site.iterdir()) == ["content", "dokumen"]


@pytest.mark.parametrize(("args", "message"), [
    (["build", "--content", "nowhere"], "error: 'nowhere' has no circulars/ folder"),
    (["build", "--as-of", "2020-02-30"], "argument --as-of: '2020-02-30' is not a date (YYYY-MM-DD)"),
    (["build", "--base-url", "register-edaran"], "error: --base-url: base_url must be a full URL or a path"),
    (["publish"], "invalid choice: 'publish'"),
    ([], "the following arguments are required"),
])
def test_usage_errors_exit_2(fixture_site: Path, args: list[str], message: str) -> None:
    run = run_cli(*args, "--config", CONFIG, cwd=fixture_site) if args and args[0] == "build" \
        else run_cli(*args, cwd=fixture_site)
    assert run.code == 2
    assert message in run.err
    assert not (fixture_site / "_site").exists()


@pytest.mark.parametrize("output", [".", "content", "content/circulars", ".."])
def test_output_that_holds_sources_is_refused(fixture_site: Path, output: str) -> None:
    before = tree_bytes(fixture_site)
    run = run_cli("build", "--output", output, "--config", CONFIG, cwd=fixture_site)
    assert run.code == 2
    assert f"error: --output {output}: " in run.err and "choose a separate folder" in run.err
    assert tree_bytes(fixture_site) == before


def test_config_errors_exit_2(fixture_site: Path) -> None:
    config = fixture_site / "site_config.yaml"
    config.write_text("title: Register\ndescription: x\nbase_url: /\nlanguge: id\nas_of: kemarin\n")
    run = run_cli("build", "--config", config, cwd=fixture_site)
    assert run.code == 2
    assert run.err == (
        "site_config.yaml:1:1: error[config]: 'language' must be a non-empty text\n"
        "site_config.yaml:4:1: error[config]: unknown setting 'languge'\n"
        "  hint: did you mean 'language'?\n"
        "site_config.yaml:5:1: error[config]: as_of: 'kemarin' is not a date (YYYY-MM-DD)\n"
        "3 errors in 1 file\n")
    github = run_cli("check", "--format", "github", "--config", config, cwd=fixture_site)
    assert github.code == 2 and github.err == run.err
    assert github.out.splitlines()[1] == ("::error file=site_config.yaml,line=4,col=1,title=config::"
                                          "unknown setting 'languge'%0Ahint: did you mean 'language'?")
    missing = run_cli("build", "--config", "nope.yaml", cwd=fixture_site)
    assert missing.code == 2 and "nope.yaml:1:1: error[config]: cannot read the config file" in missing.err


def test_api_json_is_served_under_sub_path(subpath_site: Path) -> None:
    import json

    data = json.loads((subpath_site / "api" / "circulars.json").read_text())
    assert data["circulars"][0]["url"].startswith("https://example.github.io/register-edaran/edaran/")


@pytest.mark.parametrize(("config_text", "args", "message"), [
    ("as_of: 2026-02-30\n", [], "site_config.yaml:1:1: error[config]: invalid YAML"),
    ("", ["--base-url", "http://[::1/"], "error: --base-url: base_url is not a URL"),
])
def test_bad_config_values_exit_2_without_traceback(fixture_site: Path, config_text: str, args: list[str],
                                                    message: str) -> None:
    config = fixture_site / "site_config.yaml"
    config.write_text("title: R\ndescription: d\nbase_url: /\nlanguage: id\n" + config_text)
    run = run_cli("build", "--config", config, *args, cwd=fixture_site)
    assert run.code == 2
    assert message in run.err and "Traceback" not in run.err


def test_output_folder_that_is_not_a_build_is_refused(fixture_site: Path, tmp_path: Path) -> None:
    other = tmp_path / "docs"
    other.mkdir()
    (other / "notes.txt").write_text("mine\n")
    run = run_cli("build", "--output", other, "--config", CONFIG, cwd=fixture_site)
    assert run.code == 2
    assert "it holds files but no index.html, so it is not a previous build" in run.err
    assert (other / "notes.txt").read_text() == "mine\n"


def test_sitemap_lists_every_page_with_absolute_urls(subpath_site: Path, real_site: Path) -> None:
    import xml.etree.ElementTree as ET

    base = "https://example.github.io/register-edaran/"
    root = ET.parse(subpath_site / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert root.tag == f"{ns}urlset"
    locs = [loc.text for loc in root.iter(f"{ns}loc")]
    pages = {base + p.relative_to(subpath_site).as_posix().removesuffix("index.html")
             for p in subpath_site.rglob("*.html") if p.name != "404.html"}
    assert len(locs) == len(set(locs)) and set(locs) == pages
    assert (subpath_site / "robots.txt").read_text().splitlines()[-1] == f"Sitemap: {base}sitemap.xml"
    # Built for "/" only, the host is unknown, so there is no sitemap (its URLs must be absolute).
    assert not (real_site / "sitemap.xml").exists()
    assert "Sitemap:" not in (real_site / "robots.txt").read_text()


def test_every_page_names_its_canonical_url_and_open_graph(subpath_site: Path, real_site: Path) -> None:
    import html5lib

    base = "https://example.github.io/register-edaran/"
    for page in sorted(subpath_site.rglob("*.html")):
        rel = page.relative_to(subpath_site).as_posix()
        doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        links = [el.get("href") for el in doc.iter("link") if el.get("rel") == "canonical"]
        og = {el.get("property"): el.get("content") for el in doc.iter("meta") if el.get("property")}
        if rel == "404.html":
            assert links == [] and og == {}
            continue
        url = base + rel.removesuffix("index.html")
        assert links == [url] and og["og:url"] == url, rel
        assert og["og:title"] == doc.find("head").find("title").text.rsplit(" · ", 1)[0], rel
        assert og["og:locale"] == "id_ID" and og["og:description"]
    # Built for "/" only: the canonical link is the path, and there is no og:url (it must be absolute).
    home = (real_site / "index.html").read_text()
    assert '<link rel="canonical" href="/">' in home and "og:url" not in home
