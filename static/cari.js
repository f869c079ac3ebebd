// Search page (/cari/): Pagefind full-text search with facets, plus an exact lookup of circular numbers.
// Everything indexed came from contributors, so results are built with textContent, never innerHTML.

const form = document.getElementById("cari");
const input = form.elements.q;
const facets = [...form.querySelectorAll("select[data-facet]")];
const order = form.elements.urut;
const status = document.getElementById("status");
const results = document.getElementById("hasil");
const PAGE = 10;  // results per batch: a phone screen shows about four, and each costs a download
const shardCount = Number(form.dataset.numberShards) || 1;
const panel = form.querySelector("details.facets");
// Indonesian function words: they match nearly every circular, and each costs Pagefind a large index
// chunk and hundreds of milliseconds of ranking, while changing no result. Dropped unless that is all there is.
const STOP_WORDS = new Set(["yang", "dan", "di", "ke", "dari", "untuk", "dengan", "dalam", "pada", "atau", "ini",
  "itu", "oleh", "bagi", "tentang", "para", "serta", "sebagai", "akan", "adalah", "tersebut", "juga", "telah",
  "agar", "karena", "kepada", "terhadap", "sejak", "hingga", "sampai"]);

export function textQuery(query) {
  const words = query.split(/\s+/).filter(Boolean);
  const kept = words.filter((w) => !STOP_WORDS.has(w.toLowerCase()));
  return (kept.length ? kept : words).join(" ");
}

// --- Number keys: keep identical to number_key / number_keys in registry/search.py (a test compares them).
const SPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+/;
const NUMBER_WORD = /^(nomor|nomer|no)[.:]?(?=[0-9])/;
const SKIP = new Set(["", "nomor", "nomer", "no", "no.", "no:"]);
const YEAR = new Set(["tahun", "thn", "thn."]);
const DIGIT = /[0-9]/;

export function numberKey(text) {
  const words = [];
  for (let word of text.normalize("NFKC").toLowerCase().split(SPACE)) {
    if (SKIP.has(word)) continue;
    if (YEAR.has(word)) word = "/";
    words.push(word.replace(NUMBER_WORD, ""));
  }
  return words.join(" ").replace(/ ?\/ ?/g, "/").replace(/^[ .,;:]+|[ .,;:]+$/g, "");
}

export function numberKeys(number) {
  const key = numberKey(number);
  const keys = [key];
  for (const part of key.split(" ")) {
    if (part.includes("/") && DIGIT.test(part)) {
      keys.push(part);
      const segments = part.split("/");
      while (segments.length && !DIGIT.test(segments[0])) segments.shift();
      if (segments.length > 1) keys.push(segments.join("/"));
    }
  }
  return [...new Set(keys.filter(Boolean))];
}

export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const shards = new Map();
function shard(index) {
  if (!shards.has(index)) {
    shards.set(index, fetch(`${form.dataset.numbers}${index}.json`)
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({})));
  }
  return shards.get(index);
}

// Circulars whose number is exactly what the reader typed (after normalising), and whether it looked like one.
async function lookupNumber(query) {
  const keys = numberKeys(query);
  const looksLikeNumber = keys.some((k) => k.includes("/") && DIGIT.test(k));
  if (!DIGIT.test(query)) return { looksLikeNumber, matches: [] };
  const seen = new Set();
  const matches = [];
  for (const key of keys) {
    const found = (await shard(fnv1a(key) % shardCount))[key] || [];
    for (const record of found) {
      if (!seen.has(record.url)) {
        seen.add(record.url);
        matches.push(record);
      }
    }
  }
  return { looksLikeNumber, matches };
}

// --- Pagefind, loaded once from this site's own /pagefind/ folder.
let engine = null;
function pagefind() {
  if (!engine) {
    engine = import(`${form.dataset.bundle}pagefind.js`).then(async (pf) => {
      await pf.options({ baseUrl: form.dataset.base, excerptLength: 24 });
      await pf.init();
      return pf;
    });
  }
  return engine;
}

// --- Reading and writing the form state (also the page's URL, so a search can be shared).
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
    const wanted = params.get(select.name) || "";
    select.value = [...select.options].some((o) => o.value === wanted) ? wanted : "";
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
}

// --- Rendering, with textContent only.
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function excerpt(html) {
  // Pagefind's excerpt is the indexed text with < and > escaped and <mark> around matching words.
  const p = el("p", "excerpt");
  html.split(/<mark>|<\/mark>/).forEach((part, i) => {
    const text = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    p.append(i % 2 ? el("mark", "", text) : text);
  });
  return p;
}

function resultItem({ url, title, number, region, issued, statusText, text, exact }) {
  const li = el("li", exact ? "result exact" : "result");
  const h = el("h3");
  const a = el("a", "", title);
  a.href = url;
  h.append(a);
  li.append(h);
  if (exact) li.append(el("span", "badge", "Nomor persis"));
  const meta = el("p", "meta");
  meta.append([number ? `Nomor ${number}` : "Tanpa nomor", region, issued].filter(Boolean).join(" · "));
  if (statusText) {
    meta.append(" · ");
    meta.append(el("span", "status", statusText));
  }
  li.append(meta);
  if (text) li.append(excerpt(text));
  return li;
}

function fromPagefind(data) {
  return {
    url: data.url, title: data.meta.title || data.url, number: data.meta.nomor, region: data.meta.wilayah,
    issued: data.meta.terbit, statusText: data.meta.status, text: data.excerpt, exact: false,
  };
}

function fromNumberIndex(record) {
  return {
    url: record.url, title: record.judul, number: record.nomor, region: record.wilayah,
    issued: record.terbit, statusText: record.status, text: "", exact: true,
  };
}

function updateFacetCounts(counts) {
  for (const select of facets) {
    const values = counts && counts[select.dataset.facet];
    for (const option of select.options) {
      if (!option.value) continue;
      const n = values ? values[option.value] || 0 : null;
      option.textContent = n === null ? option.value : `${option.value} (${n})`;
    }
  }
}

// --- One search: the number index and Pagefind, rendered together; a newer search makes older ones stale.
let current = 0;
let allFilters = null;

// The next PAGE full-text results from `from` on, leaving out circulars already shown as exact matches.
async function take(all, from, exactUrls) {
  const out = [];
  let next = from;
  while (out.length < PAGE && next < all.length) {
    const batch = all.slice(next, next + PAGE - out.length);
    next += batch.length;
    for (const data of await Promise.all(batch.map((r) => r.data()))) {
      if (!exactUrls.has(data.url)) out.push(data);
    }
  }
  return { shown: out, next };
}

function moreButton(list, all, exactUrls, from) {
  const button = el("button", "more", "Tampilkan lebih banyak");
  button.type = "button";
  let next = from;
  button.addEventListener("click", async () => {
    const mine = current;
    const more = await take(all, next, exactUrls);
    if (mine !== current) return;
    next = more.next;
    const items = more.shown.map((d) => resultItem(fromPagefind(d)));
    list.append(...items);
    if (items.length) items[0].querySelector("a").focus();  // keyboard users carry on where the new ones start
    if (next >= all.length) button.remove();
  });
  return button;
}

async function run() {
  const mine = ++current;
  const started = performance.now();
  const query = input.value.trim();
  const filters = chosenFilters();
  stateToUrl();
  // One letter matches thousands of words (and their index files); wait for a second one.
  const tooShort = query.length === 1 && !DIGIT.test(query);
  if ((!query || tooShort) && !Object.keys(filters).length) {
    results.replaceChildren();
    status.textContent = tooShort ? "Ketik sedikitnya dua huruf." : "";
    updateFacetCounts(null);
    done(query, started);
    return;
  }
  const newest = { tanggal: "desc" };
  const sort = order.value === "terbaru" ? newest : order.value === "terlama" ? { tanggal: "asc" }
    : query ? undefined : newest;
  const [pf, number] = await Promise.all([pagefind(), query ? lookupNumber(query) : { matches: [] }]);
  const found = await pf.search(tooShort ? null : textQuery(query) || null, { filters, sort });
  if (mine !== current) return;
  const exactUrls = new Set(number.matches.map((m) => m.url));
  const first = await take(found.results, 0, exactUrls);
  if (mine !== current) return;

  const blocks = [];
  const quoted = `“${query}”`;
  const said = [];
  if (number.matches.length) {
    const section = el("section", "exact-matches");
    section.append(el("h2", "", `Nomor ${quoted}`));
    const list = el("ol", "results");
    number.matches.forEach((m) => list.append(resultItem(fromNumberIndex(m))));
    section.append(list);
    blocks.push(section);
    said.push(`${number.matches.length} edaran bernomor persis ${quoted}.`);
  } else if (number.looksLikeNumber) {
    const miss = el("p", "notice no-exact");
    miss.append("Tidak ada edaran bernomor ", el("strong", "", query), " di register.");
    if (found.results.length) {
      miss.append(" Hasil di bawah hanya memuat sebagian kata dari nomor itu; nomornya tidak sama.");
    }
    blocks.push(miss);
    said.push(`Tidak ada edaran bernomor ${quoted}.`);
  }
  if (first.shown.length) {
    const section = el("section", "text-matches");
    if (number.matches.length || number.looksLikeNumber) section.append(el("h2", "", "Hasil pencarian teks"));
    const list = el("ol", "results");
    first.shown.forEach((d) => list.append(resultItem(fromPagefind(d))));
    section.append(list);
    if (first.next < found.results.length) section.append(moreButton(list, found.results, exactUrls, first.next));
    blocks.push(section);
  }
  results.replaceChildren(...blocks);
  const where = query && !tooShort ? ` untuk ${quoted}` : " dengan saringan ini";
  said.push(found.results.length ? `${found.results.length} edaran ditemukan${where}.`
    : `Tidak ada edaran yang cocok${where}.`);
  status.textContent = said.join(" ");
  updateFacetCounts(found.filters);
  done(query, started);
  if (panel.open || Object.keys(filters).length) countFacets();
}

// Facet counts need every facet's index (about 200 KB at 10,000 circulars), so they are loaded only once
// the reader opens the filters or uses one, then the counts are filled in for the search on screen.
function countFacets() {
  if (!allFilters) {
    allFilters = pagefind().then((pf) => pf.filters());
  }
  const mine = current;
  allFilters.then(async () => {
    const pf = await pagefind();
    const query = textQuery(input.value.trim());
    if (mine !== current || (!query && !Object.keys(chosenFilters()).length)) return;
    const again = await pf.search(query || null, { filters: chosenFilters() });
    if (mine === current) updateFacetCounts(again.filters);
  });
}

// Marks the results as those of the URL's search (tests and the benchmark wait for it) and says how long it took.
function done(query, started) {
  results.dataset.untuk = new URLSearchParams(window.location.search).toString();
  form.dispatchEvent(new CustomEvent("cari:selesai", { detail: { query, ms: performance.now() - started } }));
}

// --- Wiring.
form.hidden = false;
document.getElementById("tanpa-js").hidden = true;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  schedule();
});
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
    status.textContent = "Pencarian gagal dimuat. Muat ulang halaman, atau telusuri menurut wilayah atau tahun.";
    console.warn(error);
  }).finally(() => {
    running = false;
    if (again) {
      again = false;
      schedule();
    }
  });
}

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
if (Object.keys(chosenFilters()).length || order.value) panel.open = true;
if (input.value || Object.keys(chosenFilters()).length) {
  schedule();
} else {
  input.focus();
  pagefind();  // load the engine while the reader types
}
