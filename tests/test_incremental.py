"""Fast builds stay correct: workers, the on-disk cache, unchanged-site detection and writing only changes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import build
from conftest import AS_OF, CONFIG, REPO, Run, build_into, run_cli
from registry import parallel, render, state
from registry.cache import DiskCache, Parsed
from registry.write import Staging, sync

CIRCULAR = "se-gubernur-ntt-2020.md"  # a circular of the fixture site


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: what changes when a file is written again."""
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_workers_build_the_same_bytes_as_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # The real content is small, so the pool is forced on, in chunks of three files (and the word index in
    # parts of three circulars, merged in the main process), to run every path of it. With workers, each
    # writes the pages it renders into the staging folder itself: the count reported and the files written
    # must still be the whole site.
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    monkeypatch.setattr(render, "DOCUMENTS_PER_TASK", 3)
    pools: list[str] = []
    real = parallel.multiprocessing.get_context
    monkeypatch.setattr(parallel.multiprocessing, "get_context", lambda method: pools.append(method) or real(method))
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        code = build.main(["build", "--content", str(REPO / "content"), "--output", str(out), "--config",
                           str(CONFIG), "--as-of", AS_OF, "--no-cache", "--jobs", jobs])
        assert code == 0
        outputs[jobs] = tree(out)
        assert f", {len(outputs[jobs])} files into {out} " in capsys.readouterr().out
        if jobs == "1":
            assert pools == []  # one process: nothing forked
    assert outputs["1"] == outputs["2"]
    assert len(outputs["2"]) > 80
    # Again into the same folder: the workers find every file unchanged and link it; nothing is written.
    out = tmp_path / "jobs2"
    before = stamps(out)
    assert build.main(["build", "--content", str(REPO / "content"), "--output", str(out), "--config",
                       str(CONFIG), "--as-of", AS_OF, "--no-cache", "--jobs", "2"]) == 0
    assert "; 0 written, the rest unchanged)" in capsys.readouterr().out
    assert stamps(out) == before
    # Only with --jobs 2, twice: the parse, then the render (its helpers replaced by fresh ones as they go).
    assert set(pools) == {"fork"} and len(pools) >= 4


def test_a_file_put_twice_by_two_workers_never_changes_the_live_site(tmp_path: Path) -> None:
    # A worker links an unchanged file from the live output; if another process then puts the same path
    # (it does not know the first did), it must replace the link, not write through it into the live site.
    site = tmp_path / "_site"
    site.mkdir()
    (site / "index.html").write_bytes(b"live")
    staging = Staging(site)
    assert staging.put("index.html", b"live").written is False  # linked
    assert staging.put("index.html", b"new").written is True
    assert (site / "index.html").read_bytes() == b"live"
    staging.abort()
    assert (site / "index.html").read_bytes() == b"live"


def test_a_file_put_in_pieces_is_compared_and_written_as_its_bytes(tmp_path: Path) -> None:
    # The largest exports are handed to the writer in pieces, never joined: one whose bytes are the last
    # build's is linked; one that differs anywhere (even at the same size) is written whole.
    site = tmp_path / "_site"
    site.mkdir()
    (site / "api.json").write_bytes(b"[\n1,\n2\n]\n")
    (site / "b.json").write_bytes(b"[\n1,\n2\n]\n")
    staging = Staging(site)
    assert staging.put("api.json", [b"[\n", b"1", b",\n2", b"\n]\n"]).written is False  # linked
    assert staging.put("b.json", [b"[\n", b"1", b",\n3", b"\n]\n"]).written is True  # same size, one byte differs
    assert staging.put("c.json", [b"[", b"]"]).written is True
    staging.commit()
    assert [(site / n).read_bytes() for n in ("api.json", "b.json", "c.json")] == [
        b"[\n1,\n2\n]\n", b"[\n1,\n3\n]\n", b"[]"]


def test_the_preview_writes_the_search_index_table_after_the_files_it_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A reader who gets the new meta.json while the preview rewrites the site must find every file it names.
    order: list[str] = []
    real = Path.replace
    monkeypatch.setattr(Path, "replace", lambda self, target: order.append(Path(target).name) or real(self, target))
    files = {"cari/indeks/meta.json": b"{}", "cari/indeks/saring/b.json": b"1", "cari/indeks/teks/0.json": b"2",
             "index.html": b"3"}
    sync(files, tmp_path, {}, last=("cari/indeks/meta.json",))
    assert order[-1] == "meta.json" and sorted(order) == sorted(Path(p).name for p in files)


def test_problems_found_by_workers_are_all_reported_in_file_order(fixture_site: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "CHUNK", 1)
    circulars = fixture_site / "content" / "circulars"
    names = sorted(p.name for p in circulars.glob("*.md"))[:3]
    for name in names:
        path = circulars / name
        path.write_text(path.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    code = build.main(["check", "--content", str(fixture_site / "content"), "--config", str(CONFIG),
                       "--as-of", AS_OF, "--jobs", "2"])
    assert code == 1
    err = capsys.readouterr().err
    reported = [line.split(":")[0] for line in err.splitlines() if "error[unknown-field]" in line]
    assert [Path(p).name for p in reported] == names


def test_a_second_build_finds_nothing_changed_and_writes_nothing(fixture_site: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "_site", tmp_path / "cache"
    first = build_into(out, fixture_site / "content", "--cache", str(cache))
    assert "written" in first.out
    before, files = stamps(out), tree(out)
    second = build_into(out, fixture_site / "content", "--cache", str(cache))
    assert "nothing changed since the last build" in second.out
    assert stamps(out) == before and tree(out) == files


def test_the_record_of_the_output_made_while_writing_is_the_output_itself(
        fixture_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The build records each file's size and time as it writes or links it (in whichever process did), instead
    # of walking the output afterwards: the record must be exactly what a walk finds, or the next build would
    # rebuild an unchanged site (or, worse, keep a changed one). Workers forced on, in small runs.
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "CHUNK", 2)
    monkeypatch.setattr(render, "DOCUMENTS_PER_TASK", 2)
    out, cache = tmp_path / "_site", tmp_path / "cache"
    args = ["build", "--content", str(fixture_site / "content"), "--output", str(out), "--config", str(CONFIG),
            "--as-of", AS_OF, "--cache", str(cache), "--jobs", "2"]
    path = fixture_site / "content" / "circulars" / CIRCULAR
    for edit in ("", "\nKalimat tambahan untuk uji.\n"):  # all written; then nearly all linked
        path.write_text(path.read_text(encoding="utf-8") + edit, encoding="utf-8")
        assert build.main(args) == 0
        record = state.read(cache, out)
        assert record is not None and len(record.manifest) > 40
        assert record.manifest == state.manifest(out)
    assert build.main(args) == 0
    assert state.unchanged(state.read(cache, out), record.key, out)


def test_after_one_edit_only_the_changed_files_are_written(fixture_site: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "_site", tmp_path / "cache"
    build_into(out, fixture_site / "content", "--cache", str(cache))
    before = stamps(out)
    path = fixture_site / "content" / "circulars" / CIRCULAR
    path.write_text(path.read_text(encoding="utf-8") + "\nKalimat tambahan untuk uji.\n", encoding="utf-8")
    run = build_into(out, fixture_site / "content", "--cache", str(cache))
    after = stamps(out)
    rewritten = sorted(p for p in after if before.get(p) != after[p])
    assert f"{len(rewritten)} written" in run.out
    assert f"edaran/{CIRCULAR[:-3]}/index.html" in rewritten
    assert len(rewritten) < len(after) / 2  # the rest kept their file (inode and date)
    # And the result is exactly what a build from nothing makes.
    fresh = tmp_path / "fresh"
    build_into(fresh, fixture_site / "content", "--no-cache")
    assert tree(out) == tree(fresh)


@pytest.mark.parametrize("change", ["template", "static", "config", "schema", "as-of", "output"])
def test_any_change_to_what_the_site_is_made_of_rebuilds_it(change: str, fixture_site: Path,
                                                            tmp_path: Path) -> None:
    # The templates and static files are copied, so this test can change them.
    repo = tmp_path / "repo"
    repo.mkdir()
    for part in ("build.py", "registry", "templates", "static", "schema", "site_config.yaml"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
        copy(REPO / part, repo / part)
    out, cache = tmp_path / "_site", tmp_path / "cache"
    content = fixture_site / "content"
    args = ["build", "--content", content, "--output", out, "--cache", cache, "--as-of", AS_OF]
    assert run_cli_in(repo, *args).code == 0
    as_of = AS_OF
    if change == "template":
        page = repo / "templates" / "404.html"
        page.write_text(page.read_text(encoding="utf-8").replace("</", "\n</", 1), encoding="utf-8")
    elif change == "static":
        (repo / "static" / "style.css").write_text("body{}\n", encoding="utf-8")
    elif change == "config":
        config = repo / "site_config.yaml"
        config.write_text(config.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    elif change == "schema":
        schema = repo / "schema" / "export.schema.json"
        schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "as-of":
        as_of = "2026-11-24"
    else:  # someone deleted a file of the output
        (out / "404.html").unlink()
    run = run_cli_in(repo, *args[:-1], as_of)
    assert run.code == 0, run.err
    assert "nothing changed" not in run.out
    assert (out / "404.html").is_file()


def run_cli_in(repo: Path, *args: str | Path) -> Run:
    """build.py of a copy of the repository (its templates and static files), run as a user would."""
    proc = subprocess.run([sys.executable, str(repo / "build.py"), *map(str, args)], cwd=repo,
                          capture_output=True, text=True, timeout=120)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def test_a_broken_cache_is_never_an_error(fixture_site: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "_site", tmp_path / "cache"
    cache.mkdir()
    (cache / DiskCache.FILE).write_bytes(b"this is not a database" * 100)
    build_into(out, fixture_site / "content", "--cache", str(cache))
    expected = tree(out)
    # Rows that do not unpickle (written by other code) are parsed again.
    with sqlite3.connect(cache / DiskCache.FILE) as db:
        db.execute("UPDATE parsed SET value = x'00'")
    for record in cache.glob("last-build-*.json"):
        record.write_text("{not json", encoding="utf-8")
    shutil.rmtree(out)
    build_into(out, fixture_site / "content", "--cache", str(cache))
    assert tree(out) == expected


def test_a_cache_made_with_other_settings_or_code_is_not_used(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path, "code-1")
    result = Parsed(None, (), ())
    cache.put("a.md", ("a", "text"), result)
    cache.save()
    assert DiskCache(tmp_path, "code-1").get("a.md", ("a", "text")) == result
    assert DiskCache(tmp_path, "code-2").get("a.md", ("a", "text")) is None
    assert DiskCache(tmp_path, "code-1").get("a.md", ("a", "text changed")) is None


@pytest.mark.parametrize(("key", "other"), [
    (("a", "text"), ("a", "text", None)), (("a", "text"), ("at", "ext")), (("a", "text"), ("a", "text\0")),
    (("a", "text"), ("a", "'text'")), (("a", "text"), ("a", b"text")), (("a", "text"), "('a', 'text')"),
    (("a", "text"), ("a", "tëxt")), (("a", "text"), ("a", "text", "")), (("a", "None"), ("a", None)),
    (("a", "1"), ("a", 1)), ("x", ("x",)), (("a", ("b", "c")), ("a", "b", "c"))])
def test_a_result_is_found_only_by_its_own_key(tmp_path: Path, key: object, other: object) -> None:
    """Keys are hashed part by part (not through repr): parts that run together alike, a part of another
    type, one more part, or a tuple of one part for the part itself, are another key."""
    cache = DiskCache(tmp_path, "code")
    cache.put("a.md", key, Parsed(None, (), ()))
    cache.save()
    assert DiskCache(tmp_path, "code").get("a.md", other) is None
    assert DiskCache(tmp_path, "code").get("a.md", key) == Parsed(None, (), ())


def test_results_parsed_by_workers_are_packed_there_and_found_by_the_next_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # With a disk cache, each worker pickles and compresses its results itself and the main process stores
    # those bytes as they are (it never packs one: `put` would): the circulars are the ones a single process
    # makes without a cache, and the next build finds every file in the cache.
    from registry.load import load, load_topics
    from registry.validate import validate

    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    content = REPO / "content"
    sources, _ = load(content)
    topics, _ = load_topics(content)
    expected = validate(sources, content, topics)
    assert expected[0] and not expected[1]

    from registry import validate as validate_module

    def packed_here(*_: object) -> None:
        raise AssertionError("the main process packed a result")

    monkeypatch.setattr(DiskCache, "put", packed_here)
    packers = tmp_path / "packers"  # the process id of each `pack` call, one line each (workers cannot return it)
    real_pack = validate_module.pack

    def pack(result: Parsed) -> bytes:
        with packers.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return real_pack(result)

    monkeypatch.setattr(validate_module, "pack", pack)
    hashed: list[object] = []
    real_hash = DiskCache._hash
    monkeypatch.setattr(DiskCache, "_hash", lambda self, key: hashed.append(key) or real_hash(self, key))
    first = DiskCache(tmp_path / "cache", "code")
    assert validate(sources, content, topics, first, workers=2) == expected
    assert (first.hits, first.misses) == (0, len(sources))
    pids = packers.read_text().split()
    assert len(pids) == len(sources) and str(os.getpid()) not in pids
    assert len(hashed) == len(sources)  # once each: looked up, then stored under the same hash
    first.save()
    first.close()
    again = DiskCache(tmp_path / "cache", "code")
    assert validate(sources, content, topics, again, workers=2) == expected
    assert (again.hits, again.misses) == (len(sources), 0)


def test_results_written_in_batches_are_all_kept_and_aged_out_together(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # A cold build writes its results in batches (so it never holds them all): every batch must be found by
    # the next build, and entries no build used for KEEP_BUILDS builds must still go.
    monkeypatch.setattr(DiskCache, "FLUSH_EVERY", 2)
    result = Parsed(None, (), ())
    first = DiskCache(tmp_path, "code")
    for name in "abcde":
        first.put(f"{name}.md", (name, "text"), result)
    with sqlite3.connect(tmp_path / DiskCache.FILE) as db:  # two batches are written before `save`
        assert db.execute("SELECT count(*) FROM parsed").fetchone()[0] == 4
    first.save()
    first.close()
    again = DiskCache(tmp_path, "code")
    assert [again.get(f"{n}.md", (n, "text")) for n in "abcde"] == [result] * 5
    assert again.hits == 5 and again.misses == 0
    again.save()
    again.close()
    for _ in range(DiskCache.KEEP_BUILDS):  # builds that use only "a"
        later = DiskCache(tmp_path, "code")
        assert later.get("a.md", ("a", "text")) == result
        later.save()
        later.close()
    last = DiskCache(tmp_path, "code")
    assert last.get("a.md", ("a", "text")) == result
    assert [last.get(f"{n}.md", (n, "text")) for n in "bcde"] == [None] * 4


def test_a_build_without_cache_leaves_none(fixture_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build_into(out, fixture_site / "content", "--no-cache", cwd=tmp_path)
    assert not (tmp_path / ".build-cache").exists()
    run = run_cli("build", "--content", fixture_site / "content", "--output", out, "--config", CONFIG,
                  "--as-of", AS_OF, cwd=tmp_path)
    assert run.code == 0 and (tmp_path / ".build-cache").is_dir()  # the default place, beside the output
    assert os.listdir(tmp_path / ".build-cache")


def test_a_missing_string_in_the_exports_names_the_same_line_with_workers(
        fixture_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # The feeds and exports are made in a worker when there are two: the code line that asked for the
    # missing string must still be the one reported, as with one process.
    templates = tmp_path / "templates"
    shutil.copytree(build.TEMPLATES, templates)
    catalogue = templates / "strings" / "id.yaml"
    line = '  summary: "{name} tentang {title}. Diterbitkan {date}, {region}."\n'
    text = catalogue.read_text(encoding="utf-8")
    assert text.count(line) == 1
    catalogue.write_text(text.replace(line, ""), encoding="utf-8")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    site = tmp_path / "_site"
    args = ["build", "--content", str(fixture_site / "content"), "--output", str(site), "--config", str(CONFIG),
            "--as-of", AS_OF, "--no-cache"]
    assert build.main([*args, "--jobs", "2"]) == 0  # the last good site, before the catalogue loses a string
    before = stamps(site)
    monkeypatch.setattr(build, "TEMPLATES", templates)
    errors = {}
    for jobs in ("1", "2"):
        capsys.readouterr()
        code = build.main([*args, "--jobs", jobs])
        assert code == 1
        errors[jobs] = capsys.readouterr().err
    assert "registry/render.py:" in errors["1"] and "error[strings]: 'feed.summary' is not in" in errors["1"]
    assert errors["2"] == errors["1"]
    # The workers had already written pages into the staging folder: it is gone, and the site untouched.
    assert f"nothing written: {site} is unchanged" in errors["2"]
    assert stamps(site) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


# A build whose forked workers are killed where the test says: every file's parse ("parse"), or every run
# of pages a render helper takes ("render"). Run in a process of its own, so a hang fails the test (timeout)
# instead of stopping the suite.
_KILLED_WORKER = """
import os, signal, sys
sys.path.insert(0, {repo!r})
import build
from registry import parallel, validate
parallel.MIN_ITEMS, parallel.CHUNK = 1, 1
here = os.getpid()

def killed(function):
    def run(*args, **kwargs):
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        return function(*args, **kwargs)
    return run

if sys.argv[1] == "parse":
    validate.parse_file = killed(validate.parse_file)
else:
    parallel._render_range = killed(parallel._render_range)
sys.exit(build.main(sys.argv[2:]))
"""


@pytest.mark.parametrize("stage", ["parse", "render"])
def test_a_killed_worker_is_an_error_not_a_hang(fixture_site: Path, tmp_path: Path, stage: str) -> None:
    # A worker the system kills (out of memory, say) is replaced by the pool, but its task is never run
    # again: the build used to wait for that result for ever. Now it says so, and the last site stays.
    site = tmp_path / "_site"
    build_into(site, fixture_site / "content", "--no-cache", cwd=tmp_path)
    before = stamps(site)
    driver = tmp_path / "killed_worker.py"
    driver.write_text(_KILLED_WORKER.format(repo=str(REPO)), encoding="utf-8")
    run = subprocess.run([sys.executable, str(driver), stage, "build", "--content", str(fixture_site / "content"),
                          "--output", str(site), "--config", str(CONFIG), "--as-of", AS_OF, "--no-cache",
                          "--jobs", "2"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert run.stderr == ("error: a worker process ended before finishing its work (killed, or out of memory?); "
                          f"nothing written: {site} is unchanged\n")
    assert stamps(site) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_killed_worker_in_check_is_an_error_not_a_hang(fixture_site: Path, tmp_path: Path) -> None:
    driver = tmp_path / "killed_worker.py"
    driver.write_text(_KILLED_WORKER.format(repo=str(REPO)), encoding="utf-8")
    run = subprocess.run([sys.executable, str(driver), "parse", "check", "--content", str(fixture_site / "content"),
                          "--config", str(CONFIG), "--as-of", AS_OF, "--jobs", "2"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == "error: a worker process ended before finishing its work (killed, or out of memory?)\n"


def test_a_render_shared_with_a_worker_stops_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    # The preview's first build may render with a worker; a save during it abandons the render at once:
    # CancelledError from the main process's own work, the worker's queue fed from another thread
    # meanwhile, and nothing left running (the test would hang, or the next render fail).
    import datetime as dt

    from registry.config import load_config
    from registry.parallel import CancelledError

    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "CHUNK", 1)
    config, _ = load_config(CONFIG, {"base_url": "/"})
    assert config is not None
    site = build.prepare_pages(REPO / "content", config, dt.date.fromisoformat(AS_OF)).site
    assert site is not None
    whole, problems = site.render_all(1)
    assert whole and not problems
    # The helper slowed down, so this process renders most pages itself and asks `stop` between them well
    # past 20 times, however fast the machine: else a helper that never waits could leave it too few asks.
    here, render_range = os.getpid(), parallel._render_range

    def slow_in_helpers(bounds: tuple[int, int], stop: Callable[[], bool] | None = None) -> Any:
        if os.getpid() != here:
            time.sleep(0.05)
        return render_range(bounds, stop)

    monkeypatch.setattr(parallel, "_render_range", slow_in_helpers)
    for after in (1, 5, 20):
        asked: list[int] = []
        with pytest.raises(CancelledError):
            site.render_all(2, lambda after=after, asked=asked: asked.append(1) is None and len(asked) > after)
        assert len(asked) == after + 1  # the first "yes" stopped it
    files, problems = site.render_all(2)  # and the next render, shared again, makes the whole site
    assert not problems and files == whole


def test_render_helpers_are_replaced_by_fresh_ones_and_every_result_is_taken_in_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A forked helper copies the memory it reads; so that the copies never add up to a second registry,
    # each helper runs TASKS_PER_FORK tasks and is replaced. With one task per helper: no helper process
    # ran two, more than one ran, and `take` still got every result in order.
    import time

    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "TASKS_PER_FORK", 1)

    def task(stop: object) -> tuple[int, list[object]]:
        time.sleep(0.05)
        return os.getpid(), []

    taken: list[tuple[int, int]] = []
    problems = parallel.render_pages([], {}, repr, [task] * 12, 2, lambda path, data: None,
                                     lambda i, pid, between: taken.append((i, pid)))
    assert problems == []
    assert [i for i, _ in taken] == list(range(12))
    helpers = [pid for _, pid in taken if pid != os.getpid()]
    assert len(helpers) >= 2 and len(set(helpers)) == len(helpers), taken


def test_helpers_are_replaced_while_a_result_is_made_into_files_here(monkeypatch: pytest.MonkeyPatch) -> None:
    # The word index is put together here from its parts (15 s at 100,000 circulars). `take` is given what
    # to ask between its files: a helper that has run its tasks meanwhile is replaced then, not left waiting.
    import time

    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "TASKS_PER_FORK", 1)
    forks: list[int] = []
    fork = parallel._fork
    monkeypatch.setattr(parallel, "_fork", lambda n: forks.append(n) or fork(n))

    def task(stop: object) -> tuple[int, list[object]]:
        time.sleep(0.05)
        return os.getpid(), []

    forked_while_taking: list[int] = []

    def take(i: int, pid: int, between: Callable[[], bool] | None) -> None:
        if i == 0:  # the first result, taken while the first helper runs the only task it may
            before, end = len(forks), time.monotonic() + 5
            while len(forks) == before and time.monotonic() < end:
                if between is not None:
                    assert between() is False
                time.sleep(0.01)
            forked_while_taking.append(len(forks) - before)

    assert parallel.render_pages([], {}, repr, [task] * 12, 2, lambda path, data: None, take) == []
    assert forked_while_taking == [1]


def test_a_build_keeps_the_bodies_in_a_file_and_every_process_reads_them_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The build's registry holds no body (about 180 MB at 100,000 circulars): each is in a temporary file,
    # read back by the page and the search entry that need it, in whichever process renders them.
    import datetime as dt

    from registry.bodies import BodyFile, StoredBody
    from registry.config import load_config

    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    config, _ = load_config(CONFIG, {"base_url": "/"})
    assert config is not None
    as_of = dt.date.fromisoformat(AS_OF)
    plain = build.prepare_pages(REPO / "content", config, as_of)
    assert plain.registry is not None and plain.site is not None
    with BodyFile(str(tmp_path)) as bodies:
        kept = build.prepare_pages(REPO / "content", config, as_of, workers=2, bodies=bodies)
        assert kept.registry is not None and kept.site is not None
        circulars = [e.circular for e in kept.registry.entries.values()]
        assert circulars and all(isinstance(c.body_packed, StoredBody) for c in circulars)
        assert [c.body_html for c in circulars] == [e.circular.body_html for e in plain.registry.entries.values()]
        assert kept.site.render_all(2) == plain.site.render_all(1)
    assert list(tmp_path.iterdir()) == []  # the file never had a name: nothing is left behind



def test_a_body_file_that_cannot_be_written_is_an_error_not_a_crash(tmp_path: Path) -> None:
    # The build keeps the bodies in a file beside the output. When that file cannot grow (here a limit of
    # 2 KB on any file the build writes, as a full disk would be), the build says so, exits 2 and leaves
    # the output as it was.
    import resource

    out = tmp_path / "_site"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--content", str(REPO / "content"),
                           "--output", str(out), "--config", str(CONFIG), "--as-of", AS_OF, "--no-cache"],
                          capture_output=True, text=True, preexec_fn=limit, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert f"error: cannot write beside {out}: " in proc.stderr and "; it is unchanged" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
