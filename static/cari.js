// Search page (/cari/): full-text search with facets over the site's own word index (registry/search.py,
// word_index), plus an exact lookup of circular numbers. Everything indexed came from contributors, so
// results are built with textContent, never innerHTML.

import { stem } from "./stemmer-id.js";

const form = document.getElementById("cari");
const input = form.elements.q;
const facets = [...form.querySelectorAll("select[data-facet]")];
const order = form.elements.urut;
const status = document.getElementById("status");
const results = document.getElementById("hasil");
const panel = form.querySelector("details.facets");
const panelTitle = panel.querySelector("summary");
const PAGE = 10;  // results per batch: a phone screen shows about four, and each costs a download
const EXCERPT_WORDS = 30;
const shardCount = Number(form.dataset.numberShards) || 1;

// Every word this script shows comes from the page (data-teks: the catalogue's "search_script" keys,
// templates/strings/<language>.yaml), so the interface has one wording, in one language.
const TEXT = JSON.parse(form.dataset.teks);
const plurals = new Intl.PluralRules(document.documentElement.lang);
const filtersLabel = panelTitle.textContent;

// The text of `key` split at its {placeholders}, each replaced by its value (a string, or an element such
// as a <strong>); a text with plural forms is chosen by `count`.
function parts(key, values = {}) {
  let template = TEXT[key];
  if (template === undefined) throw new Error(`no text for "${key}" in data-teks`);
  if (typeof template === "object") template = template[plurals.select(values.count)] ?? template.other;
  return template.split(/\{(\w+)\}/).map((piece, i) => {
    if (i % 2 === 0) return piece;  // the words between placeholders
    if (!(piece in values)) throw new Error(`"${key}" needs a value for {${piece}}`);
    return values[piece];
  }).filter((piece) => piece !== "");
}

// The text of `key` as one string.
function t(key, values) {
  return parts(key, values).join("");
}

// Indonesian function words: they match nearly every circular, and each costs a large file of the word index
// and time to rank, while changing no result. Dropped unless that is all there is.
const STOP_WORDS = new Set(["yang", "dan", "di", "ke", "dari", "untuk", "dengan", "dalam", "pada", "atau", "ini",
  "itu", "oleh", "bagi", "tentang", "para", "serta", "sebagai", "akan", "adalah", "tersebut", "juga", "telah",
  "agar", "karena", "kepada", "terhadap", "sejak", "hingga", "sampai"]);

// The words of a query to look up in the word index: none in '--'.
export function textQuery(query) {
  const words = tokens(query);
  const kept = words.filter((w) => !STOP_WORDS.has(w));
  return (kept.length ? kept : words).join(" ");
}

// --- Number keys: numberKey and fnv1a must equal number_key and fnv1a in registry/search.py (tested).
const SPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+/;
const NUMBER_WORD = /^(nomor|nomer|no|se)[.:-]?(?=[0-9])/;
const SKIP = new Set(["", "nomor", "nomer", "no", "no.", "no:"]);
const YEAR = new Set(["tahun", "thn", "thn.", "th", "th."]);
const DIGIT = /[0-9]/;
// What makes a query a circular number: a '/' next to a part with a digit ('19/2020', 'BKPSDMD/870/...'),
// or 'N tahun YYYY'. 'ASN tahun 2020' and 'covid-19 tahun 2020' are words, not numbers.
const SLASH_NUMBER = /[0-9][^\s/]*\s*\/\s*\S|\S\s*\/\s*[^\s/]*[0-9]/;
const YEAR_NUMBER = /(^|\s)(nomor\s+|no\.?\s*|se\s+)?[0-9][0-9a-z.-]*\s+(tahun|thn\.?|th\.?)\s+[0-9]{4}(\s|$)/i;
// Words that say "this is a circular number" without saying whose.
const GENERIC = new Set([...STOP_WORDS, "se", "surat", "edaran", "nomor", "nomer", "no", "tahun", "thn", "th",
  "instruksi", "keputusan", "peraturan", "arahan", "perihal"]);

export function numberKey(text) {
  const words = [];
  for (let word of text.normalize("NFKC").toLowerCase().split(SPACE)) {
    if (SKIP.has(word)) continue;
    if (YEAR.has(word)) word = "/";
    words.push(word.replace(NUMBER_WORD, ""));
  }
  return words.join(" ").replace(/ ?\/ ?/g, "/").replace(/^[ .,;:]+|[ .,;:]+$/g, "");
}

// A query is looked up by its whole key and by each part with a '/', as typed: an office prefix the reader
// typed ('BKD/870/...') must be the circular's own, while one left out ('870/353/IV/2020') may be anything.
export function queryKeys(query) {
  const key = numberKey(query);
  return [...new Set([key, ...key.split(" ").filter((part) => part.includes("/") && DIGIT.test(part))])];
}

export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function words(text) {
  return text.normalize("NFKC").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

// Shards of the number index; a failed download is not remembered, so the next search tries again.
// A JSON file of this site; an HTTP error status is an error.
function getJson(url, options) {
  return fetch(url, options).then((r) => {
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return r.json();
  });
}

// `load()` once per key of `cache`; a failure is not remembered, so a later search tries again.
function once(cache, key, load) {
  if (!cache.has(key)) {
    const loading = load();
    loading.catch(() => { if (cache.get(key) === loading) cache.delete(key); });
    cache.set(key, loading);
  }
  return cache.get(key);
}

const shards = new Map();
const shard = (index) => once(shards, index, () => getJson(`${form.dataset.numbers}${index}.json`));

// The circulars whose number is what the reader typed, if the query is a number at all. Words in the query
// besides the number ("Bupati Kebumen") must fit the circular, or it is listed as the same number of another.
async function lookupNumber(query) {
  if (!SLASH_NUMBER.test(query) && !YEAR_NUMBER.test(query)) return { isNumber: false, exact: [], others: [] };
  const found = new Map();
  try {
    for (const key of queryKeys(query)) {
      for (const record of (await shard(fnv1a(key) % shardCount))[key] || []) found.set(record.url, record);
    }
  } catch {
    return { isNumber: true, failed: true, exact: [], others: [] };
  }
  const extra = query.split(/\s+/).filter((w) => !DIGIT.test(w)).flatMap(words).filter((w) => !GENERIC.has(w));
  const exact = [];
  const others = [];
  for (const record of found.values()) {
    const known = ` ${words(`${record.nomor} ${record.penerbit} ${record.wilayah} ${record.judul} ${record.sinonim}`)
      .join(" ")}`;
    (extra.every((w) => known.includes(` ${w}`)) ? exact : others).push(record);
  }
  return { isNumber: true, exact, others, extra };
}

// --- The word index, loaded piece by piece from this site's /cari/indeks/ (see registry/search.py,
// word_index): meta.json names the files; a search downloads the file of each of its words, a result its
// own text file, and the filters one file with every facet's circulars.
const INDEX = form.dataset.indeks;
const PREFIX_FILES = 3;  // a word found nowhere finds the words it begins, unless that takes too many files
// How long the table of files is trusted before it is asked for again (a conditional request): a page left
// open while the site is published anew must not go on combining the old table with the new files.
const META_FRESH_MS = 5 * 60 * 1000;

// A JSON file of the index, downloaded once.
const downloads = new Map();
const download = (path) => once(downloads, path, () => getJson(`${INDEX}${path}`));

// The table of the index's files. When it names another build than the one the files downloaded so far
// belong to, they are forgotten: a circular's number may now be another circular's.
let metaLoad = null;
let metaTime = 0;
let metaVersion = null;
function meta() {
  if (!metaLoad || performance.now() - metaTime > META_FRESH_MS) {
    metaTime = performance.now();
    const loading = getJson(`${INDEX}meta.json`, { cache: "no-cache" }).then((index) => {
      if (index.versi !== metaVersion) {
        downloads.clear();
        facetLoad = null;
        metaVersion = index.versi;
      }
      return index;
    });
    loading.catch(() => { if (metaLoad === loading) metaLoad = null; });
    metaLoad = loading;
  }
  return metaLoad;
}

// After a failed search the table is asked for again: a file it named may have gone with a new build.
function forgetIndex() {
  metaLoad = null;
}

// The words of a text as the index splits them (registry/search.py, tokens).
export function tokens(text) {
  return text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
}

// Which word file holds `term`: the last whose first word is not after it. Words are sorted by UTF-16
// code units, which is how JavaScript compares strings.
function fileOf(index, term) {
  let low = 0;
  let high = index.kata.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (index.kata[mid][0] <= term) low = mid;
    else high = mid - 1;
  }
  return low;
}

// circular number -> score, for one word file's entry ([number difference, score, ...]).
function decode(flat, into, factor) {
  let number = 0;
  for (let i = 0; i < flat.length; i += 2) {
    number += flat[i];
    const score = flat[i + 1] * factor;
    if (!(into.get(number) >= score)) into.set(number, score);
  }
}

// The circulars one query word finds, with a score each, and the index's stems it matched (to highlight).
// A word no circular has (half typed, 'kebu') finds instead, at half the score, the stems of the words it
// begins: words that are their own stem ('kebut') and the others, through their stem ('kebumen' -> 'bumen').
async function findWord(index, word) {
  const term = stem(word);
  const found = new Map();
  const matched = new Set();
  if (!index.kata.length) return { found, matched };  // a registry without circulars
  const add = (file, key, factor) => {
    if (Object.hasOwn(file.kata, key)) {  // not a property every object has ('constructor')
      decode(file.kata[key], found, factor);
      matched.add(key);
    }
  };
  add(await download(`kata/${index.kata[fileOf(index, term)][1]}`), term, 1);
  if (found.size || word.length < 3) return { found, matched };
  const from = fileOf(index, word);
  let to = from;
  while (to + 1 < index.kata.length && index.kata[to + 1][0] < `${word}\uffff`) to += 1;
  if (to - from >= PREFIX_FILES) return { found, matched };
  const stems = new Set();
  for (let f = from; f <= to; f += 1) {
    const file = await download(`kata/${index.kata[f][1]}`);
    for (const key of Object.keys(file.kata)) if (key.startsWith(word)) stems.add(key);
    for (const [key, s] of Object.entries(file.bentuk)) if (key.startsWith(word)) stems.add(s);
  }
  const needed = [...new Set([...stems].map((s) => index.kata[fileOf(index, s)][1]))];
  if (needed.length > PREFIX_FILES) return { found, matched };
  const files = await Promise.all(needed.map((name) => download(`kata/${name}`)));
  for (const s of stems) add(files[needed.indexOf(index.kata[fileOf(index, s)][1])], s, 0.5);
  return { found, matched };
}

// Every facet value's circulars, as sorted numbers.
let facetLoad = null;
function facetIndex() {
  if (!facetLoad) {
    facetLoad = meta().then((index) => download(index.saring)).then((raw) => {
      const facets = {};
      for (const [name, values] of Object.entries(raw)) {
        facets[name] = {};
        for (const [value, deltas] of Object.entries(values)) {
          let n = 0;
          facets[name][value] = deltas.map((d) => (n += d));
        }
      }
      return facets;
    });
    facetLoad.catch(() => { facetLoad = null; });
  }
  return facetLoad;
}

// Stems of the words in excerpts, kept: the same words come back in result after result.
const stems = new Map();
function stemOf(word) {
  let found = stems.get(word);
  if (found === undefined) {
    if (stems.size > 50000) stems.clear();
    found = stem(word);
    stems.set(word, found);
  }
  return found;
}

// One result's line and excerpt text, with where the words the search matched are in it (the first 200).
function resultData(index, number, matched) {
  return async () => {
    const record = await download(`teks/${number}.json?v=${index.versi}`);
    const words = record.teks ? record.teks.split(/\s+/) : [];
    const locations = [];
    for (let i = 0; i < words.length && locations.length < 200; i += 1) {
      if (tokens(words[i]).some((t) => matched.has(stemOf(t)))) locations.push(i);
    }
    return { ...record, words, locations };
  };
}

// Search the word index: the circulars with every word of `text` (any, when it is null) and the chosen
// facet values, ranked by score (`sort` absent) or by date ({tanggal: "asc"|"desc"}: numbers are in date
// order). `filters` are the results per facet value, when the facet file is loaded (the reader opened the
// filters or chose one); else null.
async function searchIndex(text, { filters = {}, sort } = {}) {
  const index = await meta();
  const chosen = Object.entries(filters);
  // A facet file that failed to load fails only a search that filters, not one that merely counts.
  const facets = chosen.length ? await facetIndex() : facetLoad ? await facetLoad.catch(() => null) : null;
  let scores = null;  // number -> score; null: every circular
  const matched = new Set();
  if (text) {
    const per = await Promise.all([...new Set(tokens(text))].map((w) => findWord(index, w)));
    per.sort((a, b) => a.found.size - b.found.size);
    scores = per[0] ? new Map(per[0].found) : new Map();
    for (const other of per.slice(1)) {
      for (const [number, score] of scores) {
        const more = other.found.get(number);
        if (more === undefined) scores.delete(number);
        else scores.set(number, score + more);
      }
    }
    per.forEach((p) => p.matched.forEach((m) => matched.add(m)));
  }
  let numbers = scores ? [...scores.keys()] : [...Array(index.jumlah).keys()];
  for (const [name, value] of chosen) {
    const allowed = new Set((facets[name] || {})[value] || []);
    numbers = numbers.filter((n) => allowed.has(n));
  }
  if (sort && sort.tanggal === "asc") numbers.sort((a, b) => a - b);
  else if (sort || !scores) numbers.sort((a, b) => b - a);
  else numbers.sort((a, b) => scores.get(b) - scores.get(a) || b - a);  // equal scores: newest first
  let counts = null;
  if (facets) {
    const inResults = new Uint8Array(index.jumlah);
    numbers.forEach((n) => { inResults[n] = 1; });
    counts = {};
    for (const [name, values] of Object.entries(facets)) {
      counts[name] = {};
      for (const [value, list] of Object.entries(values)) {
        counts[name][value] = list.reduce((sum, n) => sum + inResults[n], 0);
      }
    }
  }
  return { results: numbers.map((n) => ({ data: resultData(index, n, matched) })), filters: counts };
}

// --- Reading and writing the form state (also the page's URL, so a search can be shared).
const ignored = [];

function chosenFilters() {
  const chosen = {};
  for (const select of facets) {
    if (select.value) chosen[select.dataset.facet] = select.value;
  }
  return chosen;
}

function stateFromUrl() {
  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  for (const select of [...facets, order]) {
    const wanted = (params.get(select.name) || "").trim();
    const option = [...select.options].find((o) => o.value.toLowerCase() === wanted.toLowerCase());
    select.value = option ? option.value : "";
    if (wanted && !option) ignored.push(`${select.name}=${wanted}`);
  }
}

function stateToUrl() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const select of [...facets, order]) {
    if (select.value) params.set(select.name, select.value);
  }
  const query = params.toString();
  const url = `${window.location.pathname}${query ? `?${query}` : ""}`;
  if (url !== `${window.location.pathname}${window.location.search}`) {
    window.history.replaceState(null, "", url);
  }
  const active = facets.filter((s) => s.value).length + (order.value ? 1 : 0);
  panelTitle.textContent = active ? t("filters_active", { filters: filtersLabel, count: active }) : filtersLabel;
}

// --- Rendering, with textContent only.
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// An excerpt of the circular's text around the words the search matched.
function excerpt(data, marks) {
  const all = data.words;
  const limit = all.length;
  const hits = marks ? data.locations.slice(0, 200) : [];
  let start = 0;
  let best = 0;
  for (const hit of hits) {
    const from = Math.max(0, hit - 5);
    const count = hits.filter((i) => i >= from && i < from + EXCERPT_WORDS).length;
    if (count > best) [best, start] = [count, from];
  }
  start = Math.max(0, Math.min(start, limit - EXCERPT_WORDS));
  const end = Math.min(limit, start + EXCERPT_WORDS);
  const marked = new Set(hits);
  const p = el("p", "excerpt");
  if (start > 0) p.append("… ");
  for (let i = start; i < end; i += 1) {
    if (i > start) p.append(" ");
    p.append(marked.has(i) ? el("mark", "", all[i]) : all[i]);
  }
  if (end < limit) p.append(" …");
  return p;
}

function resultItem({ url, title, number, region, issuer, issued, statusText, badge }, data, marks) {
  const li = el("li", badge ? "result exact" : "result");
  const h = el("h3");
  const a = el("a", "", title);
  a.href = url;
  h.append(a);
  li.append(h);
  if (badge) li.append(el("span", "badge", badge));
  const meta = el("p", "meta");
  meta.append([number ? t("number", { number }) : t("without_number"), issuer, region, issued]
    .filter(Boolean).join(" · "));
  if (statusText) meta.append(" · ", el("span", "status", statusText));
  li.append(meta);
  if (data && data.words.length) li.append(excerpt(data, marks));
  return li;
}

function fromIndex(data) {
  return {
    url: data.url, title: data.judul, number: data.nomor, region: data.wilayah, issued: data.terbit,
    statusText: data.status,
  };
}

function fromNumberIndex(record, badge) {
  return {
    url: record.url, title: record.judul, number: record.nomor, issuer: record.penerbit, region: record.wilayah,
    issued: record.terbit, statusText: record.status, badge,
  };
}

// Counts next to each facet value for the search on screen. A facet with a value chosen shows none (its
// other values would all read 0, since facets combine), and values with no result are greyed out.
function updateFacetCounts(counts) {
  for (const select of facets) {
    const values = counts && !select.value ? counts[select.dataset.facet] : null;
    for (const option of select.options) {
      if (!option.value) continue;
      const n = values ? values[option.value] || 0 : null;
      option.textContent = n === null ? option.value : `${option.value} (${n})`;
      option.disabled = n === 0;
    }
  }
}

// --- One search: the number index and the word index, rendered together.
let current = 0;

// The next PAGE full-text results from `from` on, leaving out circulars already listed by number.
async function take(all, from, listed) {
  const out = [];
  let next = from;
  while (out.length < PAGE && next < all.length) {
    const batch = all.slice(next, next + PAGE - out.length);
    next += batch.length;
    for (const data of await Promise.all(batch.map((r) => r.data()))) {
      if (!listed.has(data.url)) out.push(data);
    }
  }
  return { shown: out, next };
}

function moreButton(list, all, listed, from, marks) {
  const button = el("button", "more", t("more"));
  button.type = "button";
  let next = from;
  button.addEventListener("click", async () => {
    if (button.disabled) return;
    button.disabled = true;  // a second tap while loading would add the same results twice
    const mine = current;
    let more;
    try {
      more = await take(all, next, listed);
    } catch (error) {  // a lost connection: say so, and let the reader try again
      forgetIndex();
      status.textContent = t("failed");
      button.disabled = false;
      console.warn(error);
      return;
    }
    if (mine !== current) return;
    next = more.next;
    const items = more.shown.map((d) => resultItem(fromIndex(d), d, marks));
    list.append(...items);
    if (items.length) items[0].querySelector("a").focus();  // keyboard users carry on where the new ones start
    if (next >= all.length) button.remove();
    else button.disabled = false;
  });
  return button;
}

function numberSection(title, records, badge) {
  const section = el("section", "number-matches");
  section.append(el("h2", "", title));
  const list = el("ol", "results");
  records.forEach((r) => list.append(resultItem(fromNumberIndex(r, badge))));
  section.append(list);
  return section;
}

async function run() {
  const mine = ++current;
  const started = performance.now();
  const query = input.value.trim();
  const filters = chosenFilters();
  stateToUrl();
  // One letter matches thousands of words (and their index files); wait for a second one.
  const tooShort = query.length === 1 && !DIGIT.test(query);
  const text = tooShort ? "" : textQuery(query);
  const blocks = [];
  if (ignored.length) {
    blocks.push(el("p", "notice", t("ignored_filters", { filters: ignored.join(", ") })));
  }
  if (!text && !Object.keys(filters).length) {
    results.replaceChildren(...blocks);
    status.textContent = tooShort ? t("too_short") : query ? t("none_for_query", { query: t("quoted", { query }) }) : "";
    updateFacetCounts(null);
    done(query, started);
    return;
  }
  const newest = { tanggal: "desc" };
  const sort = order.value === "terbaru" ? newest : order.value === "terlama" ? { tanggal: "asc" }
    : text ? undefined : newest;
  const [found, number] = await Promise.all([
    searchIndex(text || null, { filters, sort }),
    query ? lookupNumber(query) : { exact: [], others: [] }]);
  if (mine !== current) return;
  const listed = new Set([...number.exact, ...number.others].map((m) => m.url));
  const first = await take(found.results, 0, listed);
  if (mine !== current) return;

  const quoted = t("quoted", { query });
  const said = [];
  const nearMiss = number.isNumber && !number.exact.length;
  if (number.exact.length) {
    blocks.push(numberSection(t("exact_heading"), number.exact, t("exact_badge")));
    said.push(t("exact_count", { count: number.exact.length }));
  } else if (number.failed) {
    blocks.push(el("p", "notice", t("numbers_failed")));
    said.push(t("numbers_failed_status"));
  } else if (number.isNumber && number.others.length) {
    const miss = el("p", "notice no-exact");
    miss.append(...parts("other_issuer", { words: el("strong", "", number.extra.join(" ")) }));
    blocks.push(miss);
    said.push(t("other_issuer_status", { query: quoted }));
  } else if (number.isNumber) {
    const miss = el("p", "notice no-exact");
    miss.append(...parts("unknown_number", { query: el("strong", "", query) }));
    if (found.results.length) miss.append(" ", t("unknown_number_partial"));
    blocks.push(miss);
    said.push(t("unknown_number_status", { query: quoted }));
  }
  if (number.others.length) {
    blocks.push(numberSection(t("others_heading"), number.others, ""));
    if (number.exact.length) said.push(t("others_count", { count: number.others.length }));
  }
  if (first.shown.length) {
    const section = el("section", "text-matches");
    const heading = el("h2", number.isNumber ? "" : "visually-hidden", t("text_heading"));
    section.append(heading);
    const list = el("ol", "results");
    const marks = !nearMiss;  // a near miss highlights nothing: the highlighted number would not be the one asked for
    first.shown.forEach((d) => list.append(resultItem(fromIndex(d), d, marks)));
    section.append(list);
    if (first.next < found.results.length) section.append(moreButton(list, found.results, listed, first.next, marks));
    blocks.push(section);
  }
  results.replaceChildren(...blocks);
  const count = found.results.length;
  if (number.isNumber && !number.failed) {
    said.push(count ? t("number_words_count", { count }) : "");
  } else if (text) {
    said.push(count ? t("found_for_query", { count, query: quoted }) : t("none_for_query", { query: quoted }));
  } else {
    said.push(count ? t("found_with_filters", { count }) : t("none_with_filters"));
  }
  status.textContent = said.filter(Boolean).join(" ");
  updateFacetCounts(found.filters);
  done(query, started);
  if ((panel.open || Object.keys(filters).length) && !found.filters) countFacets();
}

// Facet counts need the facet file (about 250 KB, 60 KB compressed, at 10,000 circulars), so it is loaded
// only once the reader opens the filters or uses one; then the counts are filled in for the search on screen.
function countFacets() {
  const mine = current;
  facetIndex().then(async () => {
    const query = input.value.trim();
    const text = query.length === 1 && !DIGIT.test(query) ? "" : textQuery(query);
    if (mine !== current || (!text && !Object.keys(chosenFilters()).length)) return;
    const again = await searchIndex(text || null, { filters: chosenFilters() });
    if (mine === current) updateFacetCounts(again.filters);
  }).catch(() => {});
}

// Marks the results as those of the URL's search (tests and the benchmark wait for it) and says how long it took.
function done(query, started) {
  results.dataset.untuk = new URLSearchParams(window.location.search).toString();
  form.dispatchEvent(new CustomEvent("cari:selesai", { detail: { query, ms: performance.now() - started } }));
}

// One search at a time: while one runs, further keystrokes only note that the newest text must be searched
// next, so a fast typist never queues up searches for every letter.
let running = false;
let again = false;
function schedule() {
  if (running) {
    again = true;
    return;
  }
  running = true;
  run().catch((error) => {
    forgetIndex();
    status.textContent = t("failed");
    console.warn(error);
  }).finally(() => {
    running = false;
    // Shown under the first results, not before them: appearing early, it would be pushed down the
    // screen when they arrive (a layout shift).
    browse.hidden = false;
    ignored.length = 0;
    if (again) {
      again = false;
      schedule();
    }
  });
}

// --- Wiring.
const browse = document.getElementById("jelajah");
form.hidden = false;
document.getElementById("tanpa-js").hidden = true;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  schedule();
});
input.addEventListener("input", schedule);
for (const select of [...facets, order]) select.addEventListener("change", schedule);
panel.addEventListener("toggle", () => {
  if (panel.open && results.dataset.untuk) countFacets();
});
document.getElementById("hapus-saringan").addEventListener("click", () => {
  for (const select of [...facets, order]) select.value = "";
  schedule();
});
stateFromUrl();
if (input.value || Object.keys(chosenFilters()).length || ignored.length) {
  schedule();
} else {
  browse.hidden = false;
  input.focus();
  meta().catch(() => {});  // load the index's table of files while the reader types
}
