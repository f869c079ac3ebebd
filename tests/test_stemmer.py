"""static/stemmer-id.js, run in a real browser, stems every word exactly as the Python snowballstemmer does."""

from __future__ import annotations

import random
import re
import unicodedata

import snowballstemmer
from playwright.sync_api import Page

from conftest import REPO

STEMMER = snowballstemmer.stemmer("indonesian")
WORD = re.compile(r"[^\W_]+")

# What stemming does to some words of the registry, including the algorithm's surprises: "se-" is not a
# prefix but "-lah" is a particle (sekolah) and "-ku" a possessive (berlaku); mem- before a vowel becomes p-
# and then "-i" goes (memakai); men- drops a stem's t- for good (menulis); nothing goes once two vowels are
# left (kerjakan); and after a first-order prefix a second-order one goes only if a suffix went (diperbesar).
KNOWN = {
    "mencegah": "cegah",
    "penyebaran": "sebar",
    "pencegahan": "cegah",
    "kebijakannya": "bijak",
    "bekerja": "kerja",
    "dipertanggungjawabkan": "tanggungjawab",
    "persyaratannya": "syarat",
    "ditetapkan": "tetap",
    "pemerintah": "perintah",
    "keputusan": "putus",
    "belajar": "ajar",
    "surat": "surat",
    "memakai": "paka",
    "mengatakan": "ata",
    "sekolah": "seko",
    "diperbesar": "perbesar",
    "berlaku": "berla",
    "menulis": "ulis",
    "kerjakan": "rjakan",
}

# Words chosen to take every branch of the algorithm (the comment says which).
HAND_PICKED = [
    # too few vowels to touch, and words that must not change
    "", "a", "di", "ke", "buku", "baju", "surat", "tidak", "edaran", "covid", "ini", "kan", "lah", "nya",
    "rapat", "kerja", "semua", "bahwa", "antara",
    # particles -kah, -lah, -pun; possessives -ku, -mu, -nya; both; and what is left too short after them
    "bukukah", "bacalah", "apapun", "bukuku", "bukumu", "bukunya", "rumahnyalah", "bukunyapun", "apakah",
    "dialah", "kamipun", "bajunya", "rumahku",
    # first-order prefixes: di-, ke-, me-, meng-, meny- (to s-), men-, mem- (to p- before a vowel), ter-
    "dibaca", "dimakan", "kesehatan", "keadilan", "melihat", "mengambil", "mengatakan", "menyapu",
    "menyesal", "menyanyi", "menyrap", "menulis", "mencegah", "memakai", "membaca", "memukul", "terbaca",
    "terpilih", "kekuatan", "meng", "meny", "menya", "memulai",
    # peng-, peny- (to s-), pen-, pem- (to p- before a vowel)
    "pengawasan", "penyebaran", "penyakit", "penyelenggaraan", "pencegahan", "penulis", "pemakai",
    "pembaca", "pemerintah", "penyrap", "pengetahuan", "pemeriksaan",
    # second-order prefixes: ber-, be- + consonant + "er", bel-/pel- of belajar/pelajar, per-, pe-
    "berlari", "berbicara", "bekerja", "beserta", "belajar", "pelajar", "pelajaran", "belum", "pelari",
    "perbaikan", "peraturan", "perjalanan", "pekerjaan", "petani", "pesawat", "bekal", "berkerja", "bebera",
    "beperan", "pengajar", "pemberlakuan", "perbesar", "bersama", "bertanggungjawab",
    # suffixes -kan, -an, -i, with and without prefixes (and "-si", which keeps its i)
    "makanan", "duduki", "lakukan", "tetapkan", "ditetapkan", "diperbesar", "memperbaiki", "diberikan",
    "dikenai", "menghormati", "keputusan", "pendidikan", "pekerjaannya", "kebijakannya", "persyaratannya",
    "dipertanggungjawabkan", "diperkenalkan", "dipersilakan", "informasi", "menyosialisasikan", "sosialisasi",
    "diisi", "dikuasai", "pembinaan", "bermain", "berlaku", "berlakukan", "terlaksanakan", "kerjakan",
    "pekerjakan", "berkeadilan", "pemasukan", "pemasukkan",
    # words with "ker", "be"/"pe" that are not prefixes, and se- (not a prefix in this algorithm)
    "kerjasama", "mengerjakan", "bekerjasama", "sekolah", "sebaiknya", "seharusnya", "sekretaris", "perak",
    "beras", "bela", "pelan", "pelajarannya", "belajarlah",
    # non-ASCII letters, and a character outside the BMP where "be" + consonant + "er" looks at one character
    "bé", "bekérja", "bеkerja", "dı", "menüjukan", "be😀erja", "be😀😀erja", "pe😀erjaan", "di😀an", "😀kan",
    "memb😀kan", "中文", "ke中ati", "menyé", "bekerja😀", "🇮🇩", "pelajar😀lah",
]

# Letters of Indonesian words (weighted towards the ones the rules look for) plus a few that are not, and
# the affixes, for random words built like real ones.
ALPHABET = "aaaeeiioouubcdfghjkkllmmnnnpprrsstuwyz" + "éüı😀中"
PREFIXES = ["", "", "di", "ke", "se", "me", "meng", "meny", "men", "mem", "peng", "peny", "pen", "pem", "ber", "be",
            "bel", "per", "pe", "pel", "ter"]
SUFFIXES = ["", "", "kan", "an", "i", "si", "kah", "lah", "pun", "ku", "mu", "nya"]


def random_words(rng: random.Random) -> list[str]:
    """Random strings of 0-15 letters, and random letters between random prefixes and suffixes."""
    def letters(most: int) -> str:
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, most)))

    plain = [letters(15) for _ in range(4000)]
    affixed = [rng.choice(PREFIXES) + rng.choice(PREFIXES) + letters(7) + rng.choice(SUFFIXES) + rng.choice(SUFFIXES)
               for _ in range(4000)]
    return plain + affixed


def browser_stems(page: Page, served: str, words: list[str]) -> list[str]:
    """Stem words with static/stemmer-id.js on the served search page."""
    page.goto(served + "cari/")
    return page.evaluate("""async (words) => {
        const m = await import(new URL('../assets/stemmer-id.js', location.href).href);
        return words.map(w => m.stem(w));
    }""", words)


def content_words() -> set[str]:
    """Every distinct lowercase word of the registry's Markdown files."""
    words: set[str] = set()
    for path in sorted((REPO / "content").rglob("*.md")):
        words.update(WORD.findall(unicodedata.normalize("NFKC", path.read_text(encoding="utf-8")).lower()))
    return words


def test_browser_and_build_stem_alike(page: Page, served: str, failures: list[str]) -> None:
    """The registry's words, words for every rule and random strings stem the same in JavaScript and Python."""
    corpus = sorted(content_words())
    assert len(corpus) > 500  # the content was read
    words = corpus + HAND_PICKED + list(KNOWN) + random_words(random.Random(7))
    expected = [STEMMER.stemWord(w) for w in words]
    got = browser_stems(page, served, words)
    mismatches = [(w, js, py) for w, js, py in zip(words, got, expected, strict=True) if js != py]
    assert mismatches == []
    assert sum(w != s for w, s in zip(words, expected, strict=True)) > 3000  # many words did change
    assert failures == []


def test_known_stems(page: Page, served: str, failures: list[str]) -> None:
    """A few words of the registry and their stems, the same from the Python package and the browser."""
    assert {w: STEMMER.stemWord(w) for w in KNOWN} == KNOWN
    assert dict(zip(KNOWN, browser_stems(page, served, list(KNOWN)), strict=True)) == KNOWN
    assert failures == []
