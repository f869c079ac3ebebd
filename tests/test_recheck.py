"""The preview's quick re-check of a save (recheck.py) gives exactly what a full check and a fresh build give."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import build
from conftest import AS_OF, CONFIG, REPO, build_into, tree_bytes
from registry.cache import ParseCache
from registry.link import LINKED_FIELDS, link
from registry.load import load, load_synonyms, load_topics
from registry.model import RELATIONS, Circular
from registry.serve import Preview, for_preview
from registry.validate import validate

BELU = "se-bupati-belu-1-2020.md"
NTT = "se-gubernur-ntt-2020.md"


class Recording:
    """A circular that notes every field read of it (a relation list read through `relations` too)."""

    def __init__(self, circular: Circular, seen: set[str]) -> None:
        self._circular, self._seen = circular, seen

    def __getattr__(self, name: str) -> object:
        if name == "relations":
            return lambda relation: (self._seen.add(relation), self._circular.relations(relation))[1]
        self._seen.add(name)
        return getattr(self._circular, name)


def test_link_reads_no_field_outside_linked_fields() -> None:
    """A quick re-check swaps a circular into the last registry when its LINKED_FIELDS are unchanged; that
    is only right if `link` reads nothing else. Linking the registry's own content (relations of every
    kind, extensions, body links) through circulars that note what is read shows what it reads."""
    content = REPO / "content"
    sources, _ = load(content)
    topics, _ = load_topics(content)
    synonyms, _ = load_synonyms(content)
    circulars, problems = validate(sources, content, topics)
    assert not problems
    seen: set[str] = set()
    registry, problems = link([Recording(c, seen) for c in circulars], dt.date.fromisoformat(AS_OF),  # type: ignore[misc]
                              {s.id for s in sources}, topics, synonyms or ())
    assert registry is not None and not problems
    assert {"issued", "region", "implements", "extends", "body_links"} <= seen  # the recording works
    assert seen <= set(LINKED_FIELDS), f"link reads {sorted(seen - set(LINKED_FIELDS))}: add to LINKED_FIELDS"
    assert set(LINKED_FIELDS) <= {f.name for f in dataclasses.fields(Circular)}
    assert set(RELATIONS) <= set(LINKED_FIELDS)


def _preview(content: Path, out: Path) -> tuple[Preview, ParseCache]:
    preview, cache, _ = _preview_missed(content, out)
    return preview, cache


def _preview_missed(content: Path, out: Path) -> tuple[Preview, ParseCache, Callable[[], frozenset[str]]]:
    cache = ParseCache()
    checks, missed = build.preview_checks(content, CONFIG, {"base_url": "/"}, dt.date.fromisoformat(AS_OF), cache,
                                          [1])
    return Preview(checks, lambda outcome, stop: build.render_pages(outcome, 1, stop), out), cache, missed


def _watched(path: Path) -> frozenset[str]:
    """The path as the watcher reports it: below the resolved content folder."""
    return frozenset({str(path.parent.resolve() / path.name)})


def _edit(path: Path, old: str, new: str) -> frozenset[str]:
    """Replace `old` in the file; its path as the watcher reports it."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return _watched(path)


def _same_as_fresh_build(preview: Preview, content: Path, tmp_path: Path, name: str) -> None:
    assert preview.complete()
    fresh = tmp_path / name
    build_into(fresh, content, "--no-cache", cwd=content.parent)
    assert tree_bytes(preview.output) == for_preview(tree_bytes(fresh))


def test_a_save_of_one_file_is_checked_on_its_own_and_gives_a_fresh_builds_site(fixture_site: Path,
                                                                                  tmp_path: Path) -> None:
    content = fixture_site / "content"
    circulars = content / "circulars"
    preview, cache = _preview(content, tmp_path / "_serve")
    assert preview.rebuild()
    files = len(list(circulars.glob("*.md")))
    assert preview.pending is None and preview.good is not None

    # A new title: one file read and parsed again, nothing linked again.
    assert preview.check(_edit(circulars / BELU, "Penyesuaian Sistem Kerja", "Judul Baru"))
    assert preview.pending is not None and preview.pending.note == "1 changed file checked again"
    assert cache.misses == files + 1
    assert b"Judul Baru" in (preview.file(f"edaran/{BELU[:-3]}/") or (0, b""))[1]
    _same_as_fresh_build(preview, content, tmp_path, "fresh-1")

    # A changed date and relation: linked again (statuses, lags and lists change), still checked quickly.
    changed = _edit(circulars / BELU, "issued: 2020-03-20", "issued: 2020-03-23")
    changed |= _edit(circulars / BELU, "effective_until: 2020-03-31", "effective_until: 2020-04-30")
    assert preview.check(changed)
    assert preview.pending is not None and preview.pending.note == "1 changed file checked again"
    _same_as_fresh_build(preview, content, tmp_path, "fresh-2")

    # A directive's kind (in place of a line, so no position moves and nothing is linked again): it is
    # cited differently, in its feed's title too, so the last site's feed list is not kept.
    directive = circulars / "se-menteri-contoh-1-2020.md"
    assert preview.check(_edit(directive, "signatory: Pejabat Contoh", "kind: instruksi"))
    assert preview.pending is not None and preview.pending.note == "1 changed file checked again"
    _same_as_fresh_build(preview, content, tmp_path, "fresh-3")
    assert b"Pelaksanaan Instruksi Menteri Contoh" in (preview.output / "edaran" / "se-menteri-contoh-1-2020" /
                                                       "feed.xml").read_bytes()


def test_a_broken_save_then_a_save_of_another_file_checks_both(fixture_site: Path, tmp_path: Path) -> None:
    """The changes since the last good check are all checked again, not only the latest save's: a file
    broken in one save and fixed (or not) later is never taken from the last good check."""
    content = fixture_site / "content"
    circulars = content / "circulars"
    preview, _ = _preview(content, tmp_path / "_serve")
    assert preview.rebuild()
    belu = circulars / BELU
    good = belu.read_text(encoding="utf-8")

    assert not preview.check(_edit(belu, "issued: 2020-03-20", "issued: 2020-13-45"))
    assert [p.code for p in preview.problems] == ["bad-date"]
    # Another file saved while this one is still broken: still broken, though only the other changed now.
    assert not preview.check(_edit(circulars / NTT, "Tanggal persis", "Tanggal yang persis"))
    assert [p.code for p in preview.problems] == ["bad-date"]

    belu.write_text(good, encoding="utf-8")
    assert preview.check(_watched(belu))
    assert preview.pending is not None and preview.pending.note == "2 changed files checked again"
    assert preview.problems == []
    _same_as_fresh_build(preview, content, tmp_path, "fresh")


def test_a_change_the_quick_check_cannot_take_is_checked_in_full(fixture_site: Path, tmp_path: Path) -> None:
    """A new file, a removed one, the topic list: every file is read and checked again."""
    content = fixture_site / "content"
    circulars = content / "circulars"
    preview, _ = _preview(content, tmp_path / "_serve")
    assert preview.rebuild()
    files = len(list(circulars.glob("*.md")))

    added = circulars / "se-bupati-belu-2-2020.md"
    added.write_text((circulars / BELU).read_text(encoding="utf-8").replace('"870/1/III/2020"', '"870/2/III/2020"'),
                     encoding="utf-8")
    assert preview.check(_watched(added))
    assert preview.pending is not None and preview.pending.note == f"{files + 1} files checked"
    assert preview.file("edaran/se-bupati-belu-2-2020/") is not None

    added.unlink()
    assert preview.check(_watched(added))
    assert preview.pending is not None and preview.pending.note == f"{files} files checked"
    assert (preview.file("edaran/se-bupati-belu-2-2020/") or (0,))[0] == 404

    # An editor's temporary file, made and gone before the check, is not a change to check.
    assert preview.check(_watched(circulars / ".judul.md.swp"))
    assert preview.pending is not None and preview.pending.note == "0 changed files checked again"

    topics = content / "topics.yaml"
    assert preview.check(_edit(topics, "Kerja dari rumah", "Bekerja dari rumah"))
    assert preview.pending is not None and preview.pending.note == f"{files} files checked"
    assert b"Bekerja dari rumah" in (preview.file("topik/kerja-dari-rumah/") or (0, b""))[1]
    _same_as_fresh_build(preview, content, tmp_path, "fresh")

    # The topic list removed (a checkout of a branch without it): any topic is accepted, named by its slug.
    topics.unlink()
    assert preview.check(_watched(topics))
    assert preview.pending is not None and preview.pending.note == f"{files} files checked"
    _same_as_fresh_build(preview, content, tmp_path, "fresh-without-topics")


def test_a_folder_moved_away_is_checked_in_full(fixture_site: Path, tmp_path: Path) -> None:
    """Moving a folder of circulars out of the content is reported as the folder alone: its files go."""
    content = fixture_site / "content"
    folder = content / "circulars" / "arsip"
    folder.mkdir()
    shutil.move(content / "circulars" / NTT, folder / NTT)
    preview, _ = _preview(content, tmp_path / "_serve")
    assert preview.rebuild()
    assert (preview.output / "edaran" / "se-gubernur-ntt-2020" / "index.html").is_file()

    shutil.move(folder, tmp_path / "arsip")
    assert preview.check(_watched(folder))
    assert (preview.file("edaran/se-gubernur-ntt-2020/") or (0,))[0] == 404
    _same_as_fresh_build(preview, content, tmp_path, "fresh")


def test_a_change_the_watcher_missed_is_still_checked(fixture_site: Path, tmp_path: Path) -> None:
    """Before the whole site is written, every file's stamp is compared: a save whose notification was
    lost (the system's queue overflowed during a checkout) is found and checked; a file already known to
    have changed since the last good check (still broken) is not found again and again."""
    content = fixture_site / "content"
    circulars = content / "circulars"
    preview, _, missed = _preview_missed(content, tmp_path / "_serve")
    assert preview.rebuild()
    assert missed() == frozenset()
    assert preview.check(_watched(circulars / ".4913"))  # vim's test file, made and removed
    unnoticed = _edit(circulars / BELU, "Penyesuaian Sistem Kerja", "Judul Tanpa Pemberitahuan")
    assert missed() == unnoticed
    assert preview.check(missed())
    assert b"Judul Tanpa Pemberitahuan" in (preview.file(f"edaran/{BELU[:-3]}/") or (0, b""))[1]
    assert missed() == frozenset()

    assert not preview.check(_edit(circulars / NTT, "issued: 2020-03", "issued: 2020-13"))
    assert missed() == frozenset()


def test_a_document_named_in_a_quick_check_is_watched_after_it(fixture_site: Path, tmp_path: Path) -> None:
    """A document added to a circular in a quick check, then removed: the next save reports it missing."""
    content = fixture_site / "content"
    circulars = content / "circulars"
    preview, _ = _preview(content, tmp_path / "_serve")
    assert preview.rebuild()
    document = fixture_site / "dokumen" / "belu-salinan.pdf"
    document.write_bytes(b"%PDF-1.4 salinan")
    assert preview.check(_edit(circulars / BELU, "sources:", "documents:\n  - title: Salinan\n"
                                                           "    file: dokumen/belu-salinan.pdf\nsources:"))
    assert preview.pending is not None and preview.pending.note == "1 changed file checked again"

    document.unlink()  # outside the watched folders: no notification
    assert not preview.check(_edit(circulars / NTT, "Tanggal persis", "Tanggal yang persis"))
    assert [p.code for p in preview.problems] == ["missing-file"]


def test_a_file_replaced_by_a_link_is_checked_in_full(fixture_site: Path, tmp_path: Path) -> None:
    """A link is never followed by the quick check: the full check refuses one that leads outside."""
    content = fixture_site / "content"
    circulars = content / "circulars"
    preview, _ = _preview(content, tmp_path / "_serve")
    assert preview.rebuild()
    outside = tmp_path / "rahasia.md"
    outside.write_text((circulars / BELU).read_text(encoding="utf-8").replace("Penyesuaian", "Rahasia"))
    (circulars / BELU).unlink()
    (circulars / BELU).symlink_to(outside)
    preview.check(_watched(circulars / BELU))
    assert "not-markdown" in [p.code for p in preview.problems]
    assert b"Rahasia" not in (preview.file(f"edaran/{BELU[:-3]}/") or (0, b""))[1]
