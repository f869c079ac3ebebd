"""`build.py new`: a new circular file that explains itself, passes `check` once its TODOs are filled,
and never overwrites anything."""

from __future__ import annotations

from pathlib import Path

from conftest import AS_OF, CONFIG, build_into, run_cli

KEBUMEN = ("--region", "33.05", "--number", "060/1160 Tahun 2020", "--issued", "2020-03-26",
           "--title", "Penyesuaian Sistem Kerja ASN", "--issuer", "Bupati Kebumen")
FILE = "content/circulars/se-bupati-kebumen-060-1160-2020.md"


def empty_site(tmp_path: Path) -> Path:
    (tmp_path / "content" / "circulars").mkdir(parents=True)
    return tmp_path


def test_without_options_it_says_what_it_needs(tmp_path: Path) -> None:
    site = empty_site(tmp_path)
    run = run_cli("new", cwd=site)
    assert run.code == 2
    for option in ("--region", "--issued", "--issuer", "--title", "--number", "--kind", "--id"):
        assert f"  {option} " in run.err
    assert "python3 build.py new --region 33.05" in run.err
    assert not any((site / "content" / "circulars").iterdir())


def test_new_file_passes_check_once_its_todos_are_filled(tmp_path: Path) -> None:
    site = empty_site(tmp_path)
    run = run_cli("new", *KEBUMEN, cwd=site)
    assert run.code == 0, run.err
    assert run.out == f"created {FILE}: fill in every TODO, then run: python3 build.py check\n"
    path = site / FILE
    text = path.read_text(encoding="utf-8")
    assert 'title: "Penyesuaian Sistem Kerja ASN"' in text and 'region: "33.05"  # Kabupaten Kebumen' in text
    # Unfilled, it is refused, and every TODO is named with its line.
    check = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert check.code == 1
    lines = text.split("\n")
    todo_lines = [i + 1 for i, line in enumerate(lines) if "TODO" in line and not line.lstrip().startswith("#")]
    assert len(todo_lines) == 3
    assert [line.split(":")[1] for line in check.err.splitlines() if "error[todo]" in line] == [
        str(n) for n in todo_lines]
    assert check.err.endswith("3 errors in 1 file\n")
    filled = (text.replace("publisher: TODO", "publisher: Media Contoh")
              .replace("title: TODO", "title: Bupati Kebumen Terbitkan Edaran")
              .replace("# signatory: \"...\"", "signatory: \"Bupati Contoh\"")
              .replace("# effective_from: YYYY-MM-DD", "effective_from: 2020-03-26")
              .replace("    # url: https://...", "    url: https://media.example/berita")
              .replace("    # published: YYYY-MM-DD", "    published: 2020-03-27"))
    filled = filled[:filled.rindex("TODO")] + "Pegawai bekerja dari rumah.\n"
    path.write_text(filled, encoding="utf-8")
    check = run_cli("check", "--config", CONFIG, "--as-of", AS_OF, cwd=site)
    assert check.code == 0, check.err
    assert check.out == "ok: 1 circulars checked, no problems\n"
    out = site / "_site"
    build_into(out, site / "content")
    page = (out / "edaran" / "se-bupati-kebumen-060-1160-2020" / "index.html").read_text(encoding="utf-8")
    assert "Penyesuaian Sistem Kerja ASN" in page and "Bupati Contoh" in page


def test_it_never_overwrites(tmp_path: Path) -> None:
    site = empty_site(tmp_path)
    assert run_cli("new", *KEBUMEN, cwd=site).code == 0
    (site / FILE).write_text("edited by hand\n", encoding="utf-8")
    again = run_cli("new", *KEBUMEN, cwd=site)
    assert again.code == 2
    assert again.err == (f"error: {FILE} already exists (id 'se-bupati-kebumen-060-1160-2020'); if it is this "
                         "circular, edit that file; if it is another one, give this one its own --id\n")
    assert (site / FILE).read_text(encoding="utf-8") == "edited by hand\n"
    nested = site / "content" / "circulars" / "2020"
    nested.mkdir()
    (site / FILE).rename(nested / "se-bupati-kebumen-060-1160-2020.md")  # the same id in a sub-folder
    assert run_cli("new", *KEBUMEN, cwd=site).code == 2
    assert not (site / FILE).exists()


def test_bad_options_are_named_and_nothing_is_written(tmp_path: Path) -> None:
    site = empty_site(tmp_path)
    run = run_cli("new", "--region", "33.99", "--issued", "26-03-2020", "--issuer", "Bupati Kebumen",
                  "--kind", "memo", "--id", "SE_Kebumen", cwd=site)
    assert run.code == 2
    errors = [line for line in run.err.splitlines() if line.startswith("error: ")]
    assert errors[0] == "error: --title is required"
    assert errors[1].startswith("error: --region '33.99' is not in the Kemendagri list")
    assert "33.05 Kabupaten Kebumen" in errors[1]  # the province's real codes, to spot the typo
    assert errors[2] == "error: --issued '26-03-2020' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY"
    assert errors[3].startswith("error: --kind 'memo' is not one of surat-edaran, instruksi")
    assert errors[4].startswith("error: --id 'SE_Kebumen' must be lowercase letters")
    assert not any((site / "content" / "circulars").iterdir())


def test_an_impossible_date_is_refused_like_check_refuses_it(tmp_path: Path) -> None:
    site = empty_site(tmp_path)
    run = run_cli("new", *KEBUMEN[:4], "--issued", "2020-02-30", *KEBUMEN[6:], cwd=site)
    assert run.code == 2
    assert "error: --issued '2020-02-30' is not a real date" in run.err.splitlines()
    assert not any((site / "content" / "circulars").iterdir())


def test_ids_are_derived_like_the_existing_ones(tmp_path: Path) -> None:
    from registry.scaffold import derive_id

    assert derive_id("surat-edaran", "Bupati Belu", "870/278/III/2020", "2020-03-20") == \
        "se-bupati-belu-870-278-iii-2020"
    assert derive_id("surat-edaran", "Gubernur Sumatera Selatan", None, "2020-03") == \
        "se-gubernur-sumatera-selatan-2020"
    assert derive_id("instruksi", "Bupati Kebumen", "Nomor 5 Tahun 2021", "2021") == \
        "instruksi-bupati-kebumen-5-2021"
    long = derive_id("surat-edaran", "Menteri " + "Sangat Panjang " * 10, "1 Tahun 2020", "2020")
    assert len(long) <= 80 and long.endswith("-1-2020")  # the issuer is shortened, never the number
    office = "Kepala Dinas Kesehatan Pengendalian Penduduk dan Keluarga Berencana Kabupaten Contoh"
    assert derive_id("surat-edaran", office, "443.2/1234/2020", "2020-03-01") != \
        derive_id("surat-edaran", office, "443.2/1300/2020", "2020-03-01")
    assert derive_id("surat-edaran", "Bupati Kebumen", "Tahun", "2021-01") == "se-bupati-kebumen-2021"
    assert derive_id("surat-edaran", "Bupati Kebumen", "12", "2021-01") == "se-bupati-kebumen-12-2021"
    site = empty_site(tmp_path)
    run = run_cli("new", "--region", "ID", "--issued", "2020", "--issuer", "Menteri Sosial",
                  "--title", "Contoh", "--id", "se-mensos-contoh", cwd=site)
    assert run.code == 0 and (site / "content" / "circulars" / "se-mensos-contoh.md").is_file()
    text = (site / "content" / "circulars" / "se-mensos-contoh.md").read_text(encoding="utf-8")
    assert '# number: "..."' in text  # no number given: left out, with a comment saying why
