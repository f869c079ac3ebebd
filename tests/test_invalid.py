"""One invalid fixture per error code: exact message, exit code 1, and nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import AS_OF, CONFIG, FIXTURES, run_cli

CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir())
# Codes the validator can emit that need a fixture; a new code without one fails test_every_code_has_a_fixture.
CODES = {"front-matter", "yaml-syntax", "unknown-field", "duplicate-key", "missing-field", "bad-type",
         "bad-value", "bad-date", "bad-url", "bad-id", "unknown-region", "date-range", "bad-source-ref",
         "duplicate-ref", "missing-file", "encoding", "unknown-ref", "self-ref", "cycle", "negative-lag",
         "date-order", "level-direction", "duplicate-id", "duplicate-url", "broken-link", "other-region",
         "not-markdown", "unknown-topic", "topics-file", "synonyms-file", "sha256-mismatch",
         "duplicate-number", "todo", "yaml-tag", "yaml-anchor"}


def test_every_code_has_a_fixture() -> None:
    assert set(CASES) == CODES
    source = "".join(p.read_text() for p in (FIXTURES.parent.parent / "registry").glob("*.py"))
    for code in CODES:
        assert f'"{code}"' in source, f"{code} is not emitted by the code any more"


@pytest.mark.parametrize("case", CASES)
def test_check_reports_exact_problem(case: str, tmp_path: Path, update_golden: bool) -> None:
    site = tmp_path / case
    shutil.copytree(FIXTURES / "invalid" / case, site)
    run = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    expected_file = FIXTURES / "invalid" / case / "expected.txt"
    if update_golden:
        expected_file.write_text(run.err, encoding="utf-8")
    assert run.code == 1
    assert run.err == expected_file.read_text(encoding="utf-8")
    assert f"error[{case}]" in run.err
    assert run.out == ""


@pytest.mark.parametrize("case", CASES)
def test_check_github_format_annotates_the_line(case: str, tmp_path: Path, update_golden: bool) -> None:
    """`check --format github` prints one ::error command per problem on stdout (GitHub shows each on the
    pull request's line); the plain report still goes to stderr for the log."""
    site = tmp_path / case
    shutil.copytree(FIXTURES / "invalid" / case, site)
    run = run_cli("check", "--format", "github", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    expected_file = FIXTURES / "invalid" / case / "expected-github.txt"
    if update_golden:
        expected_file.write_text(run.out, encoding="utf-8")
    assert run.code == 1
    assert run.out == expected_file.read_text(encoding="utf-8")
    assert run.err == (FIXTURES / "invalid" / case / "expected.txt").read_text(encoding="utf-8")
    *annotations, summary = run.out.splitlines()
    assert all(line.startswith("::error file=content/") for line in annotations)
    assert summary == f"::error title=check::{run.err.splitlines()[-1]} (all of them are in the log)"
    assert f",title={case}::" in run.out


def test_github_format_escapes_what_would_break_the_command() -> None:
    from registry.problems import Problem, github

    line = github([Problem("content/circulars/a,b.md", 3, 7, "bad-value", "50% done\nnext: line", "use 'x'")])
    assert line == ("::error file=content/circulars/a%2Cb.md,line=3,col=7,title=bad-value::"
                    "50%25 done%0Anext: line%0Ahint: use 'x'\n"
                    "::error title=check::1 error in 1 file (all of them are in the log)\n")


@pytest.mark.parametrize("case", CASES)
def test_build_writes_nothing(case: str, tmp_path: Path) -> None:
    site = tmp_path / case
    shutil.copytree(FIXTURES / "invalid" / case, site)
    run = run_cli("build", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert run.code == 1
    assert f"error[{case}]" in run.err
    assert "nothing written: _site is unchanged" in run.err
    assert not (site / "_site").exists()
    assert not [p for p in site.iterdir() if p.name.startswith("._site")]  # no staging folder left


def test_all_problems_in_all_files_are_reported(tmp_path: Path) -> None:
    """Problems from different files and stages come out together, sorted, and counted."""
    site = tmp_path / "many"
    for case in ("bad-date", "unknown-field", "unknown-ref", "cycle"):
        shutil.copytree(FIXTURES / "invalid" / case / "content", site / "content", dirs_exist_ok=True)
    run = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert run.code == 1
    lines = [line for line in run.err.splitlines() if "error[" in line]
    assert [line.split(": error[")[1].split("]")[0] for line in lines] == [
        "cycle", "cycle", "unknown-ref", "unknown-field", "bad-date", "unknown-ref"]
    assert lines == sorted(lines)
    assert run.err.endswith("6 errors in 6 files\n")


def test_several_problems_in_one_file(tmp_path: Path) -> None:
    site = tmp_path / "one"
    (site / "content" / "circulars").mkdir(parents=True)
    (site / "content" / "circulars" / "se-banyak-salah.md").write_text(
        '---\ntitle: tentang Edaran\nregion: 53.04\nissued: 2020-13-01\ntopcs: [asn]\n'
        'sources:\n  - publisher: Koran\n    url: ftp://x.example/a\n---\n', encoding="utf-8")
    run = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert run.code == 1
    p = "content/circulars/se-banyak-salah.md"
    assert run.err == (
        f"{p}:1:1: error[missing-field]: required field 'issuer' is missing\n"
        f"{p}:2:8: error[bad-value]: title: leave out the word 'tentang'\n"
        "  hint: write title: Edaran\n"
        f"{p}:3:9: error[bad-type]: region: YAML reads 53.04 as the number 53.04; put it in quotes\n"
        '  hint: write region: "53.04"\n'
        f"{p}:4:9: error[bad-date]: issued: '2020-13-01' is not a real date\n"
        f"{p}:5:1: error[unknown-field]: unknown field 'topcs'\n"
        "  hint: did you mean 'topics'?\n"
        f"{p}:7:5: error[missing-field]: sources[1]: 'title' is required\n"
        f"{p}:8:10: error[bad-url]: sources[1].url: 'ftp://x.example/a' is not an http or https URL\n"
        "7 errors in 1 file\n")


@pytest.mark.parametrize("title", ['"[Perpanjangan Kerja dari Rumah"', '"[]"', '"[Judul] tambahan"'])
def test_supplied_title_brackets_must_wrap_the_whole_title(tmp_path: Path, title: str) -> None:
    site = tmp_path / "brackets"
    (site / "content" / "circulars").mkdir(parents=True)
    (site / "content" / "circulars" / "se-kurung.md").write_text(
        f'---\ntitle: {title}\nregion: "53.04"\nissuer: Bupati Belu\nissued: 2020-04\n'
        "sources:\n  - publisher: Koran\n    title: Berita\n---\n", encoding="utf-8")
    run = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert run.code == 1
    assert run.err == ("content/circulars/se-kurung.md:2:8: error[bad-value]: title: a title written by the "
                       "registry is wrapped whole in one pair of [square brackets], with text inside\n"
                       "1 error in 1 file\n")


@pytest.mark.parametrize(("front", "message"), [
    ("addressed_to: " + "[" * 200_000, "5:79: error[yaml-syntax]: lists or mappings are nested more than 64 deep"),
    ("title: '" + "x" * 300_000 + "'", "2:1: error[yaml-syntax]: the front matter is over 256 KB"),
])
def test_hostile_front_matter_is_an_error_not_a_crash(tmp_path: Path, front: str, message: str) -> None:
    site = tmp_path / "hostile"
    (site / "content" / "circulars").mkdir(parents=True)
    (site / "content" / "circulars" / "se-x.md").write_text(
        f'---\nregion: "53.04"\nissuer: Bupati Belu\nissued: 2020-04\n{front}\n---\n', encoding="utf-8")
    run = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert run.code == 1
    assert f"content/circulars/se-x.md:{message}" in run.err


def test_document_symlink_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for publishing\n")
    site = tmp_path / "site"
    (site / "dokumen").mkdir(parents=True)
    (site / "dokumen" / "naskah.txt").symlink_to(secret)
    (site / "content" / "circulars").mkdir(parents=True)
    (site / "content" / "circulars" / "se-tautan.md").write_text(
        '---\ntitle: Edaran\nregion: "53.04"\nissuer: Bupati Belu\nissued: 2020-04\nsources:\n'
        "  - publisher: Koran\n    title: Berita\ndocuments:\n  - title: Naskah\n    file: dokumen/naskah.txt\n---\n",
        encoding="utf-8")
    run = run_cli("build", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert run.code == 1
    assert ("content/circulars/se-tautan.md:11:11: error[bad-value]: documents[1].file: 'dokumen/naskah.txt' "
            "leads outside the repository") in run.err
    assert not (site / "_site").exists()


def _one_file(tmp_path: Path, fields: str = "", body: str = "Isi.\n") -> Path:
    site = tmp_path / "site"
    (site / "content" / "circulars").mkdir(parents=True, exist_ok=True)
    (site / "content" / "circulars" / "se-x.md").write_text(
        f'---\ntitle: Edaran\nregion: "53.04"\nissuer: Bupati Belu\nissued: 2020-04\n{fields}'
        "sources:\n  - publisher: Koran\n    title: Berita\n---\n" + body, encoding="utf-8")
    return site


# Inputs a reviewer used to crash or fool the build; each must be one clear problem and exit 1.
@pytest.mark.parametrize(("fields", "body", "expected"), [
    ("", "- " * 1000 + "x\n", "10:1: error[body-too-complex]: body: lists are nested more than 20 deep"),
    ("", "Isi.\n\n" + "-    " * 30 + "x\n", "12:1: error[body-too-complex]: body: lists are nested more than 20 deep"),
    ("", "[" * 10_000 + "\n", "10:1: error[body-too-complex]: body: more than 200 '[' on one line"),
    ("topics:\n" + "- " * 30_000 + "x\n", "", "7:1: error[yaml-syntax]: lists or mappings are nested more than 64"),
    ("", "Lihat [lampiran](lampiran.pdf) ini.\n",
     "10:18: error[broken-link]: body: relative link 'lampiran.pdf' points somewhere else on every page"),
    ("implements: [SE-Menpanrb-19-2020]\n", "",
     "6:14: error[bad-id]: implements[1]: 'SE-Menpanrb-19-2020' is not a circular id\n"
     "  hint: did you mean 'se-menpanrb-19-2020'?"),
    ("", "Lihat [daftar](/tahun/2020/halaman/2/).\n",
     "10:16: error[broken-link]: body: link to '/tahun/2020/halaman/2/' is not a page of this site\n"
     "  hint: a list's later pages change as circulars are added: link to the list itself, '/tahun/2020/'"),
    ("", "Lihat [daftar](/wilayah/53.04/edaran-nasional/).\n",
     "10:16: error[broken-link]: body: link to '/wilayah/53.04/edaran-nasional/' is not a page of this site\n"
     "  hint: a region's list of the national directives addressed to it exists only while they are more than "
     "its page holds: link to the region, '/wilayah/53.04/'"),
])
def test_hostile_or_mistaken_input_is_one_clear_problem(tmp_path: Path, fields: str, body: str, expected: str) -> None:
    site = _one_file(tmp_path, fields, body)
    run = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert f"content/circulars/se-x.md:{expected}" in run.err


def test_line_of_spaced_list_marks_is_checked_at_once(tmp_path: Path) -> None:
    """18 list marks four spaces apart (fewer than the 21 that are refused): the nesting check used to try
    every way of reading the spaces (4^17) before saying the line was fine, and the check never ended."""
    site = _one_file(tmp_path, body="Isi.\n\n" + "-    " * 18 + "x\n")
    run = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)  # run_cli gives up after 120 s
    assert run.code == 0, run.err
    assert run.err == ""


def test_issuer_without_letters_is_refused(tmp_path: Path) -> None:
    site = _one_file(tmp_path)
    path = site / "content" / "circulars" / "se-x.md"
    path.write_text(path.read_text().replace("issuer: Bupati Belu", 'issuer: "—"'))
    run = run_cli("build", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert run.code == 1
    assert "se-x.md:4:9: error[bad-value]: issuer: write the office's name in Latin letters" in run.err


def test_folder_named_like_a_circular_is_reported(tmp_path: Path) -> None:
    site = _one_file(tmp_path)
    (site / "content" / "circulars" / "se-folder.md").mkdir()
    (site / "content" / "circulars" / "se-hilang.md").symlink_to(site / "content" / "circulars" / "nowhere.md")
    run = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert run.code == 1
    assert ("content/circulars/se-folder.md:1:1: error[not-markdown]: 'se-folder.md' is not read: only files "
            "and real folders hold circulars") in run.err
    assert "content/circulars/se-hilang.md:1:1: error[read-error]: cannot read the file" in run.err


def test_links_that_loop_or_pass_through_a_file_are_reported_not_a_crash(tmp_path: Path) -> None:
    site = _one_file(tmp_path)
    circulars = site / "content" / "circulars"
    (circulars / "se-putar.md").symlink_to(circulars / "se-putar.md")  # a link to itself
    (circulars / ".se-putar.md").symlink_to(circulars / ".se-putar.md")  # hidden, and looping
    (circulars / "se-lewat.md").symlink_to(circulars / "se-x.md" / "b")  # through a file: not a folder
    run = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert "content/circulars/se-putar.md:1:1: error[read-error]: cannot read the file: Too many levels" in run.err
    assert "content/circulars/se-lewat.md:1:1: error[read-error]: cannot read the file: Not a directory" in run.err
    assert ".se-putar.md" not in run.err  # a hidden link (an editor's lock file) is not reported
    assert "2 errors in 2 files" in run.err


def test_conflicts_are_checked(tmp_path: Path) -> None:
    """`conflicts:` records another source's value; every way to get it wrong is reported where it is."""
    site = tmp_path / "conflicts"
    (site / "content" / "circulars").mkdir(parents=True)
    (site / "content" / "circulars" / "se-dua-sumber-2020.md").write_text(
        "---\ntitle: Sistem Kerja\nregion: \"53.04\"\nissuer: Bupati Belu\nissued: 2020-03-20\n"
        "sources:\n  - publisher: Koran A\n    title: Berita A\n  - publisher: Koran B\n    title: Berita B\n"
        "conflicts:\n"
        "  - {field: issued, value: 2020-03-21, source: 2, recorded_source: 1}\n"
        "  - {field: isued, value: 2020-03-21, source: 2, recorded_source: 1}\n"
        "  - {field: issued, value: 2020-03-20, source: 2, recorded_source: 1}\n"
        "  - {field: issued, value: 2020-03-21, source: 3, recorded_source: 1}\n"
        "  - {field: issued, value: 2020-03-21, source: 1, recorded_source: 1}\n"
        "  - {field: effective_until, value: 2020-03-31, source: 2, recorded_source: 1}\n"
        "  - {field: issued, value: 2020-03-21}\n"
        "---\n", encoding="utf-8")
    run = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    p = "content/circulars/se-dua-sumber-2020.md"
    assert run.code == 1
    assert run.err == (
        f"{p}:13:13: error[bad-value]: conflicts[2].field: 'isued' is not one of title, number, signatory, "
        "issued, effective_from, effective_until\n  hint: did you mean 'issued'?\n"
        f"{p}:14:28: error[bad-value]: conflicts[3].value is the value the file already records\n"
        f"{p}:15:48: error[bad-source-ref]: conflicts[4].source: there is no source 3; this file lists 2\n"
        f"{p}:16:48: error[bad-value]: conflicts[5]: source and recorded_source are the same source; "
        "a source does not disagree with itself\n"
        f"{p}:17:13: error[missing-field]: conflicts[6]: the file records no 'effective_until' to set against "
        "this value\n  hint: add effective_until: first\n"
        f"{p}:18:5: error[missing-field]: conflicts[7]: 'source' is required\n"
        "6 errors in 1 file\n")


def test_a_reference_to_a_broken_file_reports_that_file_without_crashing(tmp_path: Path) -> None:
    site = tmp_path / "broken-target"
    (site / "content" / "circulars").mkdir(parents=True)
    (site / "content" / "circulars" / "se-menteri-1-2020.md").write_text(
        "---\ntitle: Sistem Kerja\nregion: ID\nissuer: Menteri Contoh\nissued: 2020-13-01\n"
        "sources:\n  - publisher: Koran\n    title: Berita\n---\n", encoding="utf-8")
    (site / "content" / "circulars" / "se-bupati-1-2020.md").write_text(
        "---\ntitle: Pelaksanaan\nregion: \"53.04\"\nissuer: Bupati Belu\nissued: 2020-03-20\n"
        "implements: [se-menteri-1-2020]\nsources:\n  - publisher: Koran\n    title: Berita\n---\n",
        encoding="utf-8")
    for command in ("check", "build"):
        run = run_cli(command, "--config", CONFIG, "--as-of", AS_OF, cwd=site)
        assert run.code == 1
        assert "Traceback" not in run.err
        assert run.err.startswith("content/circulars/se-menteri-1-2020.md:5:9: error[bad-date]: issued: "
                                  "'2020-13-01' is not a real date\n1 error in 1 file\n")
