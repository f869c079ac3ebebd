"""The link stage as data: inverse relations, lag, status over time, groupings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from registry.link import Registry, link
from registry.load import load
from registry.validate import validate

DIRECTIVE = """---
title: Arahan Pusat
number: "1 Tahun 2020"
region: "ID"
issuer: Menteri Contoh
issued: 2020-03-16
effective_from: 2020-03-16
effective_until: 2020-03-31
sources:
  - publisher: Media
    title: Berita
---
"""


def circular(fields: str, issued: str = "2020-03-20", region: str = '"53.04"', issuer: str = "Bupati Belu") -> str:
    return (f'---\ntitle: Edaran\nregion: {region}\nissuer: {issuer}\nissued: {issued}\n{fields}'
            "sources:\n  - publisher: Media\n    title: Berita\n---\nIsi.\n")


def registry_of(tmp_path: Path, files: dict[str, str], as_of: str = "2026-11-23") -> Registry:
    (tmp_path / "circulars").mkdir(exist_ok=True)
    for name, text in files.items():
        (tmp_path / "circulars" / f"{name}.md").write_text(text, encoding="utf-8")
    sources, problems = load(tmp_path)
    circulars, found = validate(sources, tmp_path)
    reg, linked = link(circulars, dt.date.fromisoformat(as_of))
    assert problems + found + linked == []
    assert reg is not None
    return reg


def test_inverse_relations_and_lag(tmp_path: Path) -> None:
    reg = registry_of(tmp_path, {
        "pusat": DIRECTIVE,
        "belu": circular("implements: [pusat]\n"),
        "metro": circular("implements: [pusat]\n", issued="2020-03-17", region='"18.72"', issuer="Wali Kota Metro"),
        "sumsel": circular("implements: [pusat]\n", issued="2020-03", region='"16"', issuer="Gubernur Sumsel"),
    })
    assert reg.entries["pusat"].implemented_by == ("metro", "belu", "sumsel")
    assert reg.entries["belu"].lag_days == {"pusat": 4}
    assert reg.entries["metro"].lag_days == {"pusat": 1}
    assert reg.entries["sumsel"].lag_days == {"pusat": None}
    assert reg.directives == ("pusat",)
    assert reg.entries["belu"].is_directive is False


def test_groupings(tmp_path: Path) -> None:
    reg = registry_of(tmp_path, {
        "pusat": DIRECTIVE.replace("topics", "x") .replace("issued: 2020-03-16", "issued: 2020-03-16\ntopics: [asn]"),
        "belu": circular("topics: [asn, covid-19]\n"),
        "ntt": circular("", issued="2021-01-05", region='"53"', issuer="Gubernur Nusa Tenggara Timur"),
    })
    assert reg.regions["53"].own == ("ntt",)
    assert reg.regions["53"].within == ("belu",)
    assert reg.regions["53.04"].own == ("belu",)
    assert reg.regions["ID"].own == ("pusat",)
    assert reg.topics["asn"].ids == ("pusat", "belu")
    assert reg.topics["covid-19"].name == "covid 19"
    assert reg.years == {2020: ("pusat", "belu"), 2021: ("ntt",)}
    assert reg.issuers["bupati-belu"].name == "Bupati Belu"


@pytest.mark.parametrize(("as_of", "status", "ends"), [
    ("2020-03-10", "belum berlaku", "2020-03-31"),
    ("2020-03-20", "berlaku", "2020-03-31"),
    ("2020-03-31", "diubah", "2020-03-31"),  # amended on 30 March, extension not started yet
    ("2020-04-05", "diperpanjang", "2020-04-21"),
    ("2020-04-22", "berakhir", "2020-04-21"),
])
def test_status_over_time(tmp_path: Path, as_of: str, status: str, ends: str) -> None:
    reg = registry_of(tmp_path, {
        "pusat": DIRECTIVE,
        "ubah": circular("amends: [pusat]\n", issued="2020-03-30", region='"ID"', issuer="Menteri Contoh"),
        "panjang": circular("effective_from: 2020-04-01\neffective_until: 2020-04-21\nextends: [pusat]\n",
                            issued="2020-03-30", region='"ID"', issuer="Menteri Contoh"),
    }, as_of=as_of)
    entry = reg.entries["pusat"]
    assert entry.status == status
    assert entry.ends is not None and entry.ends.iso() == ends


def test_revocation_wins(tmp_path: Path) -> None:
    files = {"pusat": DIRECTIVE,
             "cabut": circular("revokes: [pusat]\n", issued="2020-03-25", region='"ID"', issuer="Menteri Contoh")}
    assert registry_of(tmp_path, files, as_of="2020-03-24").entries["pusat"].status == "berlaku"
    assert registry_of(tmp_path, files, as_of="2020-03-25").entries["pusat"].status == "dicabut"
    assert registry_of(tmp_path, files, as_of="2020-03-25").entries["pusat"].revoked_by == ("cabut",)


def test_open_ended_circular_stays_in_force(tmp_path: Path) -> None:
    reg = registry_of(tmp_path, {"belu": circular("effective_from: 2020-03-24\n")})
    assert reg.entries["belu"].status == "berlaku"
    assert reg.entries["belu"].ends is None


def test_long_chain_has_no_recursion_problem(tmp_path: Path) -> None:
    """A chain of 1,500 extensions is linked without hitting Python's recursion limit."""
    files = {"c0": circular("effective_until: 2020-03-21\n")}
    for i in range(1, 1500):
        files[f"c{i}"] = circular(f"effective_until: 2020-03-21\nextends: [c{i - 1}]\n")
    files["c1499"] = circular("effective_until: 2020-05-01\nextends: [c1498]\n")
    reg = registry_of(tmp_path, files, as_of="2020-04-01")
    assert reg.entries["c0"].extended_by == ("c1",)
    assert reg.entries["c0"].ends is not None and reg.entries["c0"].ends.iso() == "2020-05-01"
    assert reg.entries["c0"].status == "diperpanjang"


def test_site_paths_match_the_pages_the_build_writes(fixture_site: Path, tmp_path: Path) -> None:
    """link._site_paths (used to check body links in phase one) must list exactly the pages render writes."""
    from conftest import build_into
    from registry.link import _site_paths

    out = tmp_path / "_site"
    build_into(out, fixture_site / "content")
    content = fixture_site / "content"
    sources, _ = load(content)
    circulars, _ = validate(sources, content)
    by_id = {c.id: c for c in circulars}
    # Pages and data files; the search index's own files (word and number index) are not link targets.
    written = {"/" + p.relative_to(out).as_posix().removesuffix("index.html")
               for p in out.rglob("*") if p.suffix in (".html", ".json", ".xml", ".csv")
               and not p.relative_to(out).as_posix().startswith(("cari/indeks/", "cari/nomor/"))}
    # A directive's tracker page (edaran/<id>/pelaksanaan/) is not a target for body links: whether it exists
    # depends on coverage worked out at render time. Bodies link to the directive's own page instead.
    assert _site_paths(by_id, set(by_id)) == {p for p in written if not p.endswith("/pelaksanaan/")}
    assert any(p.endswith("/pelaksanaan/") for p in written)
