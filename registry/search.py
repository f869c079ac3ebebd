"""Stage 4b: the search index: the circulars' words, facets and result lines, and the number index."""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache

from snowballstemmer.indonesian_stemmer import IndonesianStemmer

from .link import Entry, Registry
from .model import KIND_LABELS
from .parallel import give_way
from .strings import Strings

# The facets readers filter by, also the /cari/ URL parameters (labels: 'facet.<name>').
FACETS = ("tingkat", "provinsi", "wilayah", "penerbit", "tahun", "status", "jenis", "topik")
# Where the word index and the number index live in the site.
INDEX_DIR = "cari/indeks"
NUMBER_DIR = "cari/nomor"
# Numbers per shard of the number index: a lookup downloads one shard, a few KB even at 10,000 circulars.
NUMBERS_PER_SHARD = 128
# Bytes of JSON per file of the word index: a search downloads the file of each word it has (gzip makes it
# about a third), so small enough for a slow phone connection, large enough that 10,000 circulars need only
# a few hundred files. A word found on very many circulars makes its file larger (at 10,000, up to ~90 KB).
WORDS_PER_FILE = 48_000
# How much a word counts where it appears: the title says most about a circular, the number, issuer, region
# and topics next, the body least; the synonyms added to a page (other names of its words) count least.
WEIGHT_TITLE, WEIGHT_META, WEIGHT_BODY, WEIGHT_SYNONYM = 5, 3, 1, 0.5
# BM25's usual constants: how fast repeating a word stops adding, and how much a long text is discounted.
BM25_K1, BM25_B = 1.2, 0.75
# Whitespace as the browser's copy of number_key (static/cari.js) sees it; keep the two identical.
_SPACE = re.compile(r"[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+")
_NUMBER_WORD = re.compile(r"^(nomor|nomer|no|se)[.:\-]?(?=[0-9])")
_TOKEN = re.compile(r"[^\W_]+")  # a word of the index: letters and digits (cari.js: [\p{L}\p{N}]+)
_DIGIT = re.compile("[0-9]")  # ASCII only, as in cari.js
# Tags in a sanitised body: inline ones join what they wrap to its neighbours ('Pen<em>cegah</em>an' is one
# word), the others separate words.
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|code|em|i|mark|s|small|span|strong|sub|sup|u)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Words:
    """The interface words the index carries as facet values and result lines (from the catalogue)."""

    levels: Mapping[str, str]
    statuses: Mapping[str, str]
    addressees: Mapping[str, str]
    central: str  # the "region" of national circulars


def words_from(labels: Mapping[str, Mapping[str, str]], strings: Strings) -> Words:
    """The search index's words: level, status and addressee labels, and the name for national bodies."""
    return Words(labels["level"], labels["status"], labels["addressee"], strings.text("region.central"))


def number_key(text: str) -> str:
    """A circular number reduced to how readers may type it: case, spaces, 'Nomor'/'No.', 'Tahun' as '/'.

    'Nomor 19 Tahun 2020' and 'no. 19/2020' both become '19/2020'. static/cari.js has the same function.
    """
    words = []
    for word in _SPACE.split(unicodedata.normalize("NFKC", text).lower()):
        if word in ("", "nomor", "nomer", "no", "no.", "no:"):
            continue
        if word in ("tahun", "thn", "thn.", "th", "th."):
            word = "/"
        words.append(_NUMBER_WORD.sub("", word))
    joined = " ".join(words)
    joined = re.sub(r" ?/ ?", "/", joined)
    return joined.strip(" .,;:")


def number_keys(number: str) -> tuple[str, ...]:
    """Every key a number is found under: its whole key, each part with a '/', and that part without
    a leading letters-only prefix ('BKPSDMD/870/353/IV/2020' is also found as '870/353/iv/2020').

    A reader's query is looked up by its whole key and its parts as typed (cari.js), so a prefix the
    reader did type must be the circular's own."""
    key = number_key(number)
    keys = [key]
    for part in key.split(" "):
        if "/" in part and _DIGIT.search(part):
            keys.append(part)
            segments = part.split("/")
            while segments and not _DIGIT.search(segments[0]):
                segments.pop(0)
            if len(segments) > 1:
                keys.append("/".join(segments))
    return tuple(dict.fromkeys(k for k in keys if k))


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes: which shard a number key is in (cari.js computes it the same way)."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def _words(text: str) -> str:
    """Lowercase words separated by single spaces, padded, so ' term ' matches whole words only."""
    return _padded(tokens(text))


def _padded(words: list[str]) -> str:
    return " " + " ".join(words) + " "


def province_name(entry: Entry, registry: Registry) -> str | None:
    """The province a regional circular belongs to, without the word 'Provinsi' ('Nusa Tenggara Timur')."""
    region = entry.circular.region
    if region.level == "nasional" or region.province not in registry.regions:
        return None
    return registry.regions[region.province].region.name.removeprefix("Provinsi ")


def region_line(entry: Entry, registry: Registry, central: str) -> str:
    """Where a circular is from, as a result shows it: 'Kabupaten Belu, Nusa Tenggara Timur' (national
    bodies: `central`)."""
    region = entry.circular.region
    if region.code == "ID":
        return central
    province = province_name(entry, registry)
    return f"{region.name}, {province}" if province and region.level != "provinsi" else region.name


def facet_values(entry: Entry, registry: Registry, words: Words) -> dict[str, tuple[str, ...]]:
    """The value(s) of each facet for one circular, as the reader sees them."""
    c = entry.circular
    province = province_name(entry, registry)
    return {
        "tingkat": (words.levels[c.region.level],),
        "provinsi": (province,) if province else (),
        "wilayah": (words.central if c.region.code == "ID" else c.region.name,),
        "penerbit": (c.issuer,),
        "tahun": (str(c.issued.year),),
        "status": (words.statuses[entry.status],),
        "jenis": (KIND_LABELS[c.kind],),
        "topik": tuple(registry.topics[t].name for t in c.topics),
    }


@cache
def _term(term: str) -> str:
    """A synonym term normalised like page text; the same few terms are looked for on every page."""
    return _words(term)


def synonym_terms(text: str, groups: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """The terms to add to a page so every synonym of a word on it finds it: for each group with a
    term in `text`, the group's other terms."""
    return _synonyms(tokens(text), groups)


def _government(entry: Entry) -> tuple[str, ...]:
    """A regional circular comes from that region's government, which readers name ("Pemkab Kebumen")."""
    region = entry.circular.region
    return () if region.code == "ID" else (f"Pemerintah {region.name}",)


def facet_options(pages: Iterable[Mapping[str, tuple[str, ...]]], words: Words) -> dict[str, list[str]]:
    """Every value of every facet on the circular pages (their `facet_values`), in the order the search
    page lists them."""
    values: dict[str, set[str]] = {name: set() for name in FACETS}
    for filters in pages:
        for name, found in filters.items():
            values[name].update(found)
    order = {"tingkat": list(words.levels.values()), "status": list(words.statuses.values())}
    out = {}
    for name, found in values.items():
        if name in order:
            out[name] = [v for v in order[name] if v in found]
        elif name == "tahun":
            out[name] = sorted(found, reverse=True)
        else:
            out[name] = sorted(found, key=lambda v: (v.casefold(), v))
    return out


def number_shard_count(registry: Registry) -> int:
    """How many shards the number index has (the search page needs the count to find a key's shard)."""
    circulars = sum(1 for e in registry.entries.values() if e.circular.number)
    return max(1, -(-circulars // NUMBERS_PER_SHARD))


def number_index(registry: Registry, base_path: str, tanggal: dict[str, str],
                 words: Words) -> tuple[int, dict[str, bytes]]:
    """The exact-number index: key -> the circulars with that number, split into small JSON shards."""
    records: dict[str, list[dict[str, str]]] = {}
    for cid in registry.chronological:
        entry = registry.entries[cid]
        c = entry.circular
        if not c.number:
            continue
        region = region_line(entry, registry, words.central)
        for key in number_keys(c.number):
            records.setdefault(key, []).append({
                "url": f"{base_path}edaran/{cid}/", "nomor": c.number, "judul": c.title,
                "penerbit": c.issuer, "wilayah": region,
                # Other names of the issuer and region, so "SE MenPAN-RB 19/2020" is checked against
                # "Menteri Pendayagunaan Aparatur Negara ..." before it is called an exact match.
                "sinonim": " ".join(synonym_terms(f"{c.issuer} {region}", registry.synonyms) + _government(entry)),
                "terbit": tanggal[cid], "status": words.statuses[entry.status]})
    shards = number_shard_count(registry)
    split: list[dict[str, list[dict[str, str]]]] = [{} for _ in range(shards)]
    for key in sorted(records):
        split[fnv1a(key) % shards][key] = records[key]
    files = {f"{NUMBER_DIR}/{i}.json": json.dumps(shard, ensure_ascii=False, sort_keys=True,
                                                  separators=(",", ":")).encode("utf-8")
             for i, shard in enumerate(split)}
    return shards, files


# --- The word index: what static/cari.js searches (README, "Search (`/cari/`)": "How the index is made").

# The pure-Python stemmer, which static/stemmer-id.js is a port of (snowballstemmer.stemmer() would hand the
# work to PyStemmer, another build of the algorithm, wherever that happens to be installed).
_STEMMER = IndonesianStemmer()
# Stems by word (a corpus has far fewer distinct words than words), and the words that are not their own
# stem, each mapped to the one copy of it that every circular's forms share.
_STEMS: dict[str, str] = {}
_FORM: dict[str, str] = {}


def stem(word: str) -> str:
    """The Snowball Indonesian stem of a lowercase word ('pencegahan' -> 'cegah'); static/stemmer-id.js is
    the same algorithm for the reader's query."""
    found = _STEMS.get(word)
    if found is None:
        found = _STEMS[word] = _STEMMER.stemWord(word)
        if found != word:
            _FORM[word] = word
    return found


def tokens(text: str) -> list[str]:
    """The words of `text` as the index and the search page split them: lowercase letters and digits."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).lower())


def plain_text(body_html: str) -> str:
    """A circular's sanitised body as text: no tags, entities decoded, whitespace collapsed. It is shown
    in excerpts with textContent, so '&lt;b&gt;' in the body is the text '<b>', never markup."""
    text = _TAG.sub(" ", _INLINE_TAG.sub("", body_html))
    return " ".join(html.unescape(text).split())


@dataclass(frozen=True)
class Document:
    """One circular as the word index sees it: its result line, the text excerpts come from, its stems with
    their weighted counts and its weighted length (both doubled to integers: weights are multiples of 0.5),
    its words that are not their own stem, and its facet values."""

    result: dict[str, str]  # url, judul, nomor, wilayah, terbit, status
    text: str
    counts: dict[str, int]
    length: int
    forms: frozenset[str]
    filters: dict[str, tuple[str, ...]]


def _synonyms(words: list[str], groups: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """synonym_terms for a text already split into words."""
    padded = _padded(words)
    extra: list[str] = []
    for group in groups:
        present = [t for t in group if _term(t) in padded]
        if present:
            extra += [t for t in group if t not in present]
    return tuple(dict.fromkeys(extra))


def _counts(fields: Iterable[tuple[float, list[str]]]) -> tuple[dict[str, int], int, frozenset[str]]:
    """Each stem's weighted count in `fields` (weight, words), doubled; their weighted length, doubled; and
    the words that stem to something else."""
    counts: dict[str, int] = {}
    length = 0
    forms = set()
    for weight, words in fields:
        units = int(weight * 2)
        assert units == weight * 2, "field weights are multiples of 0.5"
        length += units * len(words)
        for word, n in Counter(words).items():
            s = _STEMS.get(word) or stem(word)
            counts[s] = counts.get(s, 0) + units * n
            if s != word:
                forms.add(_FORM[word])  # one string per distinct word, not one per circular
    return counts, length, frozenset(forms)


def document(entry: Entry, registry: Registry, base_path: str, tanggal: str, words: Words) -> Document:
    """What the index holds of one circular."""
    c = entry.circular
    filters = facet_values(entry, registry, words)
    region = region_line(entry, registry, words.central)
    body = plain_text(c.body_html)
    # What the page says of the circular besides its title and body, as the reader sees it there.
    meta = tokens(" ".join([c.number or "", c.issuer, c.signatory or "", KIND_LABELS[c.kind], *filters["tingkat"],
                            region, tanggal, *filters["topik"], *(words.addressees.get(a, a) for a in c.addressed_to)]))
    title, body_words = tokens(c.title), tokens(body)
    synonyms = _government(entry) + _synonyms(title + meta + body_words, registry.synonyms)
    result = {"url": f"{base_path}edaran/{c.id}/", "judul": c.title, "nomor": c.number or "", "wilayah": region,
              "terbit": tanggal, "status": filters["status"][0]}
    counts, length, forms = _counts(((WEIGHT_TITLE, title), (WEIGHT_META, meta), (WEIGHT_BODY, body_words),
                                     (WEIGHT_SYNONYM, tokens(" ".join(synonyms)))))
    return Document(result, body, counts, length, forms, filters)


def index_order(registry: Registry) -> list[str]:
    """The circulars oldest first by the first day each may have been signed on ('2020-03' as 1 March): a
    circular's number in the index is its place in this order, so sorting results by date is sorting them
    by number."""
    return sorted(registry.entries, key=lambda cid: (registry.entries[cid].circular.issued.earliest,
                                                     registry.entries[cid].circular.issued.latest, cid))


def documents(registry: Registry, ids: Sequence[str], base_path: str, tanggal: Mapping[str, str], words: Words,
              stop: Callable[[], bool] | None = None) -> list[Document]:
    """The documents of the circulars `ids` (a run of `index_order`). `stop`, asked every 100 circulars,
    abandons the work (CancelledError): the preview makes the index in the thread that writes the site,
    and a new save must not wait for it."""
    out = []
    for i, entry in enumerate(registry.entries[cid] for cid in ids):
        if i % 100 == 0:
            give_way(stop)
        out.append(document(entry, registry, base_path, tanggal[entry.circular.id], words))
    return out


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _deltas(numbers: Iterable[int]) -> list[int]:
    """Ascending numbers as differences from the previous one: shorter JSON."""
    out, last = [], 0
    for n in numbers:
        out.append(n - last)
        last = n
    return out


class WordIndex:
    """The word index made one document at a time, in the order that numbers them (`add` each, then
    `finish`), so a build holds each document only while adding it, never all of them at once.

    Files (all under INDEX_DIR):
    - `meta.json`: how many circulars, the first word of each word file and its name, the facet file's name;
    - `kata/<hash>.json`: a sorted range of words: under "kata" each stem with its circulars and a BM25
      score per circular ([number, score, number, score, ...], numbers as differences), so a search sums
      scores; under "bentuk" each word of the circulars that is not its own stem, with its stem, so half a
      word ('kebu') finds the stem of the words it begins ('kebumen' -> 'bumen');
    - `saring/<hash>.json`: each facet value's circulars, loaded only when the reader uses the filters;
    - `teks/<number>.json`: one circular's result line and the text its excerpt is taken from.
    File names of word and facet files are their content's hash: a reader never mixes two builds' files.
    """

    def __init__(self, start: int = 0) -> None:
        # A part made elsewhere (a worker's run of documents) numbers them from `start`; see `merge`.
        self.start = start
        # stem -> number, count, number, count, ... (a C array: a tenth of the memory of a list of ints)
        self._postings: dict[str, array[int]] = {}
        self._lengths: array[int] = array("i")
        self._forms: set[str] = set()
        self._facets: dict[str, dict[str, array[int]]] = {name: {} for name in FACETS}
        self._texts = bytearray()  # each teks file's path and hash in number order: the version covers them

    def add(self, doc: Document, text_path: str, text_digest: bytes) -> None:
        """Take the next document (its text may be gone: it is in its `teks` file, see text_file), with that
        file's path and hash (the index's version covers it)."""
        number = self.start + len(self._lengths)
        self._lengths.append(doc.length)
        self._forms |= doc.forms
        for s, count in doc.counts.items():
            if (found := self._postings.get(s)) is None:
                self._postings[s] = found = array("i")
            found.append(number)
            found.append(count)
        for name, values in doc.filters.items():
            facet = self._facets[name]
            for value in values:
                if (numbers := facet.get(value)) is None:
                    facet[value] = numbers = array("i")
                numbers.append(number)
        self._texts += text_path.encode() + b"\0" + text_digest

    def merge(self, part: WordIndex) -> None:
        """Take the documents of `part`, a WordIndex that numbers them from where this one's end (the
        parts of a build come from its workers, a few compact arrays each, instead of every document)."""
        if part.start != self.start + len(self._lengths):
            raise ValueError(f"part starts at {part.start}, not {self.start + len(self._lengths)}")
        self._lengths.extend(part._lengths)
        self._forms |= part._forms
        for s, numbers in part._postings.items():
            if (found := self._postings.get(s)) is None:
                self._postings[s] = numbers
            else:
                found.extend(numbers)
        for name, values in part._facets.items():
            facet = self._facets[name]
            for value, numbers in values.items():
                if (found := facet.get(value)) is None:
                    facet[value] = numbers
                else:
                    found.extend(numbers)
        self._texts += part._texts

    def finish(self, stop: Callable[[], bool] | None = None) -> Iterator[tuple[str, bytes]]:
        """The word files, the facet file and, last, `meta.json` (path, bytes), each as soon as it is made, so
        the whole index is never held at once. `stop`, asked every 1,000 words or 20,000 postings (the
        commonest words have a posting for most circulars), abandons it
        (CancelledError), as in `documents`."""
        postings, lengths, forms = self._postings, self._lengths, self._forms
        total = len(lengths)
        average = (sum(lengths) / total) if total else 1.0
        # BM25's length part per circular (doubled lengths: their ratio is the same; doubled counts are
        # compared with twice it below).
        norm = [BM25_K1 * (1 - BM25_B + BM25_B * length / average) for length in lengths]
        # The index's version: of the teks files, then of every other file in the order they are made.
        digest = hashlib.sha256(self._texts)
        chunks: list[list[str]] = []
        stems: list[bytes] = []
        words: list[bytes] = []
        size = 0

        def close() -> tuple[str, bytes]:
            nonlocal stems, words, size
            data = b'{"kata":{' + b",".join(stems) + b'},"bentuk":{' + b",".join(words) + b"}}"
            name = f"{INDEX_DIR}/kata/{hashlib.sha256(data).hexdigest()[:12]}.json"
            chunks[-1].append(name.rsplit("/", 1)[1])
            stems, words, size = [], [], 0
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
            return name, data

        # In the order of UTF-16 code units, as the browser compares strings when it looks for a word's file.
        since = 0  # postings made since `stop` was last asked
        for i, key in enumerate(sorted(postings.keys() | forms, key=lambda t: t.encode("utf-16-be"))):
            if i % 1000 == 0 or since >= 20_000:
                give_way(stop)
                since = 0
            if not stems and not words:
                chunks.append([key])
            if (found := postings.get(key)) is not None:
                n = len(found) // 2
                since += n
                idf = math.log(1 + (total - n + 0.5) / (n + 0.5))
                numbers, counts = found[0::2], found[1::2]
                scale = 10 * idf * (BM25_K1 + 1)
                scores = [round(scale * c / (c + 2 * norm[number])) or 1
                          for number, c in zip(numbers, counts, strict=True)]
                part = _json(key) + b":" + _json([x for pair in zip(_deltas(numbers), scores, strict=True)
                                                  for x in pair])
                stems.append(part)
                size += len(part)
            if key in forms:
                part = _json(key) + b":" + _json(stem(key))
                words.append(part)
                size += len(part)
            if size >= WORDS_PER_FILE:
                yield close()
        if stems or words:
            yield close()
        data = _json({name: {value: _deltas(numbers) for value, numbers in sorted(values.items())}
                      for name, values in self._facets.items()})
        facet_file = f"saring/{hashlib.sha256(data).hexdigest()[:12]}.json"
        digest.update(f"{INDEX_DIR}/{facet_file}\0{len(data)}\0".encode())
        digest.update(data)
        yield f"{INDEX_DIR}/{facet_file}", data
        yield f"{INDEX_DIR}/meta.json", _json({"versi": digest.hexdigest()[:12], "jumlah": total,
                                               "kata": chunks, "saring": facet_file})


def text_file(number: int, doc: Document) -> tuple[str, bytes]:
    """The `teks` file of the circular numbered `number`: its result line and the text of its excerpts."""
    return f"{INDEX_DIR}/teks/{number}.json", _json({**doc.result, "teks": doc.text})


def without_text(doc: Document) -> Document:
    """`doc` as WordIndex.add needs it: without the result line and text, which are in its `teks` file."""
    return replace(doc, result={}, text="")


def word_index(docs: Iterable[Document], stop: Callable[[], bool] | None = None) -> dict[str, bytes]:
    """Every file of the word index for `docs` (in the order that numbers them), path -> bytes; see
    WordIndex, which makes them one document at a time."""
    index = WordIndex()
    files: dict[str, bytes] = {}
    for number, doc in enumerate(docs):
        path, data = text_file(number, doc)
        index.add(doc, path, hashlib.sha256(data).digest())
        files[path] = data
    files.update(dict(index.finish(stop)))
    return files
