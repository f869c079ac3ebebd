"""Stage 4b: what the search page needs: facets and synonyms on each page, a number index, the Pagefind index."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import pickle
import re
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cbor2

from .cache import Cache
from .link import Entry, Registry
from .model import KIND_LABELS
from .problems import Problem, display_path
from .strings import Strings

# The facets readers filter by: Pagefind filter name, also the /cari/ URL parameter (labels: 'facet.<name>').
FACETS = ("tingkat", "provinsi", "wilayah", "penerbit", "tahun", "status", "jenis", "topik")
# Where the Pagefind bundle and the number index live in the site.
BUNDLE_DIR = "pagefind"
NUMBER_DIR = "cari/nomor"
# Numbers per shard of the number index: a lookup downloads one shard, a few KB even at 10,000 circulars.
NUMBERS_PER_SHARD = 128
# The files of Pagefind's bundle that the search page uses; its ready-made UIs are left out.
_BUNDLE_KEEP = re.compile(r"^(pagefind\.js|pagefind-worker\.js|pagefind-entry\.json|.*\.pf_meta|wasm\.[^/]+"
                          r"|(index|fragment|filter)/[^/]+)$")
# Whitespace as the browser's copy of number_key (static/cari.js) sees it; keep the two identical.
_SPACE = re.compile(r"[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+")
_NUMBER_WORD = re.compile(r"^(nomor|nomer|no|se)[.:\-]?(?=[0-9])")
_WORDS = re.compile(r"[^\w]+|_")
_DIGIT = re.compile("[0-9]")  # ASCII only, as in cari.js
# The pages Pagefind indexes: one per circular (the other pages list circulars and would only add noise).
INDEXED_PAGE = re.compile(r"^edaran/[^/]+/index\.html$")
INDEXED_GLOB = "edaran/*/index.html"  # the same pages, as Pagefind's --glob


@dataclass(frozen=True)
class Words:
    """The interface words the index carries as facet values and result lines (from the catalogue)."""

    levels: Mapping[str, str]
    statuses: Mapping[str, str]
    central: str  # the "region" of national circulars


def words_from(labels: Mapping[str, Mapping[str, str]], strings: Strings) -> Words:
    """The search index's words: level and status labels, and the name for national bodies."""
    return Words(labels["level"], labels["status"], strings.text("region.central"))


@dataclass(frozen=True)
class SearchFields:
    """What one circular page tells Pagefind: result metadata, facet values, sort key and synonym terms."""

    meta: dict[str, str]
    filters: dict[str, tuple[str, ...]]
    date: str
    synonyms: tuple[str, ...]


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
    return " " + " ".join(_WORDS.sub(" ", unicodedata.normalize("NFKC", text).lower()).split()) + " "


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


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
    words = _words(text)
    extra: list[str] = []
    for group in groups:
        present = [t for t in group if _term(t) in words]
        if present:
            extra += [t for t in group if t not in present]
    return tuple(dict.fromkeys(extra))


def _government(entry: Entry) -> tuple[str, ...]:
    """A regional circular comes from that region's government, which readers name ("Pemkab Kebumen")."""
    region = entry.circular.region
    return () if region.code == "ID" else (f"Pemerintah {region.name}",)


def search_fields(entry: Entry, registry: Registry, tanggal: str, words: Words) -> SearchFields:
    """Everything the circular page carries for the search index (see templates/circular.html)."""
    c = entry.circular
    filters = facet_values(entry, registry, words)
    region = region_line(entry, registry, words.central)
    meta = {"nomor": c.number or "", "wilayah": region, "terbit": tanggal, "status": filters["status"][0]}
    government = _government(entry)
    searchable = " ".join([c.title, c.number or "", c.issuer, KIND_LABELS[c.kind], region, *government,
                           " ".join(filters["topik"]), _plain(c.body_html)])
    return SearchFields(meta=meta, filters=filters, date=c.issued.earliest.isoformat(),
                        synonyms=government + synonym_terms(searchable, registry.synonyms))


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


# Pagefind's index files are gzip of this signature followed by CBOR.
_SIGNATURE = b"pagefind_dcd"


def _decode(data: bytes) -> object:
    raw = gzip.decompress(data)
    if not raw.startswith(_SIGNATURE):
        raise ValueError("not a Pagefind index file")
    return cbor2.loads(raw[len(_SIGNATURE):])


def _encode(value: object) -> bytes:
    return gzip.compress(_SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _named(prefix: str, data: bytes, length: int) -> str:
    return f"{prefix}_{hashlib.sha256(data).hexdigest()[:length]}"


def stable_bundle(bundle: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with its facet files in a fixed order, so the same site always gives the same bytes.

    Pagefind 1.5 writes each facet's values, and the list of facets in its metadata file, in hash-map
    order, which differs from run to run (Pagefind issue #638: only fragments were made stable). Those
    files are rewritten sorted and renamed by their content; everything else is kept as Pagefind wrote it.
    """
    entry_path = f"{BUNDLE_DIR}/pagefind-entry.json"
    entry = json.loads(bundle[entry_path])
    out = {path: data for path, data in bundle.items()
           if not path.startswith(f"{BUNDLE_DIR}/filter/") and not path.endswith(".pf_meta")}
    for language, info in sorted(entry["languages"].items()):
        meta = _decode(bundle[f"{BUNDLE_DIR}/pagefind.{info['hash']}.pf_meta"])
        # [version, pages, index chunks, filters as [name, file hash], sorts, meta fields]
        if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
            raise ValueError("unexpected layout of Pagefind's metadata file")
        filters = []
        for name, old in meta[3]:
            filter_name, values = _decode(bundle[f"{BUNDLE_DIR}/filter/{old}.pf_filter"])
            data = _encode([filter_name, sorted(values, key=lambda value: value[0])])
            new = _named(language, data, 7)
            out[f"{BUNDLE_DIR}/filter/{new}.pf_filter"] = data
            filters.append([name, new])
        meta[3] = sorted(filters)
        data = _encode(meta)
        info["hash"] = _named(language, data, 10)
        out[f"{BUNDLE_DIR}/pagefind.{info['hash']}.pf_meta"] = data
    out[entry_path] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out


def pagefind_binary() -> Path | None:
    """The Pagefind executable shipped by the `pagefind[bin]` package (PAGEFIND_BINARY_PATH overrides it)."""
    if path := os.environ.get("PAGEFIND_BINARY_PATH"):
        return Path(path)
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except FileNotFoundError:
        return None


def _read_bundle(out: Path) -> tuple[dict[str, bytes], str | None]:
    """The bundle Pagefind wrote in `out` (the files the search page uses), made stable, or why not."""
    bundle = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and _BUNDLE_KEEP.match(rel):
            bundle[f"{BUNDLE_DIR}/{rel}"] = path.read_bytes()
    if f"{BUNDLE_DIR}/pagefind.js" not in bundle:
        return {}, "Pagefind wrote no pagefind.js"
    try:
        return stable_bundle(bundle), None
    except (ValueError, KeyError, TypeError, OSError, cbor2.CBORDecodeError) as exc:
        return {}, f"Pagefind's output is not in the expected format ({exc}); is the pinned version installed?"


class IndexRun:
    """Pagefind indexing a site's circular pages in the background; `result()` waits for the bundle.

    Pagefind reads files: the build starts it on the staging folder as soon as the circular pages are
    there and writes the rest of the site meanwhile (Pagefind uses one core; writing, the other).
    """

    def __init__(self, done: tuple[dict[str, bytes], str | None] | None = None, key: str = "",
                 cache: Cache | None = None) -> None:
        self._done = done
        self._key, self._cache = key, cache
        self._process: subprocess.Popen[bytes] | None = None
        self._work: tempfile.TemporaryDirectory[str] | None = None

    def start(self, site: Path, language: str) -> None:
        binary = pagefind_binary()
        if binary is None:
            self._done = {}, ("the Pagefind binary is missing; install it with: "
                              "python3 -m pip install -r requirements.txt")
            return
        self._work = tempfile.TemporaryDirectory(prefix="register-edaran-search-")
        work = Path(self._work.name)
        command = [str(binary), "--site", str(site), "--glob", INDEXED_GLOB, "--output-path", str(work / "bundle"),
                   "--force-language", language, "--silent"]
        try:
            with open(work / "log", "wb") as log:  # a file, not a pipe: nobody reads a pipe until the end
                self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        except OSError as exc:
            self._done = {}, f"cannot run Pagefind ({binary}): {exc.strerror or exc}"
            self.close()

    def result(self) -> tuple[dict[str, bytes], list[Problem]]:
        """The bundle (site path -> bytes), or the problem that stopped it."""
        if self._done is None:
            assert self._process is not None and self._work is not None
            code = self._process.wait()
            work = Path(self._work.name)
            if code != 0:
                said = " ".join((work / "log").read_text(errors="replace").split())
                self._done = {}, f"Pagefind failed (exit {code}): {said[:500]}"
            else:
                self._done = _read_bundle(work / "bundle")
                if self._done[1] is None and self._cache is not None:
                    self._cache.put_blob("search-bundle", self._key,
                                         pickle.dumps(self._done[0], protocol=pickle.HIGHEST_PROTOCOL))
            self.close()
        bundle, why = self._done
        if why is None:
            return bundle, []
        binary = pagefind_binary()
        where = display_path(binary) if binary is not None and binary.exists() else "requirements.txt"
        return {}, [Problem(where, 1, 1, "search-index", f"cannot build the search index: {why}")]

    def close(self) -> None:
        """Stop Pagefind if it still runs, and remove its working folder."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._work is not None:
            self._work.cleanup()
            self._work = None


def _cached(pages: dict[str, bytes], language: str, cache: Cache | None) -> tuple[str, IndexRun | None]:
    """The key of the bundle for `pages`, and that bundle if an earlier build left it in `cache`."""
    if cache is None:
        return "", None
    key = _bundle_key(pages, language)
    if (stored := cache.blob("search-bundle", key)) is not None:
        with contextlib.suppress(pickle.UnpicklingError, EOFError, TypeError, ValueError):
            return key, IndexRun((pickle.loads(stored), None))
    return key, None


def start_index(site: Path, files: dict[str, bytes], language: str, cache: Cache | None = None) -> IndexRun:
    """Start indexing the circular pages of `files`, already written under `site`; with a `cache`, the
    bundle of an earlier build whose indexed pages were the same is reused and nothing runs.

    Pagefind is the slowest part of a build and cannot update an index, only make one.
    """
    key, cached = _cached({path: data for path, data in files.items() if INDEXED_PAGE.match(path)}, language,
                          cache)
    if cached is not None:
        return cached
    run = IndexRun(key=key, cache=cache)
    run.start(site, language)
    return run


def _bundle_key(pages: dict[str, bytes], language: str) -> str:
    """What the bundle is made from: every indexed page's bytes, the language and the indexer's version."""
    digest = hashlib.sha256(f"{language}\0{indexer_version()}".encode())
    for path in sorted(pages):
        digest.update(f"{path}\0{len(pages[path])}\0".encode())
        digest.update(pages[path])
    return digest.hexdigest()


def indexer_version() -> str:
    """Which Pagefind builds the index (its binary's path, size and date), for keys of cached results."""
    binary = pagefind_binary()
    return f"{binary}:{_version(binary)}"


@cache
def _version(binary: Path | None) -> str:
    try:
        return f"{binary.stat().st_size}:{binary.stat().st_mtime_ns}" if binary else "none"
    except OSError:
        return "none"


def index_site(files: dict[str, bytes], language: str,
               cache: Cache | None = None) -> tuple[dict[str, bytes], list[Problem]]:
    """Stage 4b: the Pagefind bundle for the rendered circular pages, from memory (the preview; the build
    indexes its staging folder, see start_index). The pages go to a private temporary folder first."""
    pages = {path: data for path, data in files.items() if INDEXED_PAGE.match(path)}
    key, cached = _cached(pages, language, cache)
    if cached is not None:
        return cached.result()
    with tempfile.TemporaryDirectory(prefix="register-edaran-pages-") as tmp:
        for rel, data in pages.items():
            target = Path(tmp) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        run = IndexRun(key=key, cache=cache)
        run.start(Path(tmp), language)
        try:
            return run.result()
        finally:
            run.close()
