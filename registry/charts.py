"""Charts drawn at build time as inline SVG (no JavaScript): the province tile map and the timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from . import regions
from .coverage import Coverage
from .link import Entry
from .model import PartialDate
from .strings import Strings

# Each province as a tile at its rough place on the map (column, row), west to east and north to south,
# as news sites draw countries without a map file. Short labels are the usual abbreviations.
TILES: dict[str, tuple[int, int, str]] = {
    "11": (0, 0, "ACEH"), "12": (1, 1, "SUMUT"), "14": (2, 1, "RIAU"), "21": (3, 1, "KEPRI"),
    "13": (1, 2, "SUMBAR"), "15": (2, 2, "JAMBI"), "17": (2, 3, "BKL"), "16": (3, 3, "SUMSEL"),
    "19": (4, 3, "BABEL"), "18": (3, 4, "LPG"), "36": (4, 5, "BTN"), "31": (5, 4, "DKI"), "32": (5, 5, "JABAR"),
    "33": (6, 5, "JATENG"), "34": (6, 6, "DIY"), "35": (7, 5, "JATIM"), "51": (8, 5, "BALI"), "52": (9, 5, "NTB"),
    "53": (10, 5, "NTT"), "65": (8, 0, "KALTARA"), "61": (7, 1, "KALBAR"), "64": (8, 1, "KALTIM"),
    "62": (7, 2, "KALTENG"), "63": (8, 2, "KALSEL"), "75": (10, 1, "GTLO"), "71": (11, 1, "SULUT"),
    "76": (9, 2, "SULBAR"), "72": (10, 2, "SULTENG"), "73": (9, 3, "SULSEL"), "74": (10, 3, "SULTRA"),
    "82": (12, 1, "MALUT"), "81": (12, 3, "MALUKU"), "96": (13, 1, "PBD"), "92": (14, 2, "PB"),
    "94": (15, 2, "PTENG"), "91": (16, 1, "PAPUA"), "95": (16, 2, "PPEG"), "93": (16, 3, "PSEL"),
}
TILE = 44  # px, including a 4 px gap
# Fill and label colour for each state; the legend and the text alternative say the same in words.
STATES = {
    "provinsi": ("#0a5c2b", "#ffffff"),
    "kabkota": ("#8fd19e", "#1b1f24"),
    "none": ("#eef0f2", "#3d444d"),
}


@dataclass(frozen=True)
class ProvinceState:
    code: str
    name: str
    state: str  # a key of STATES
    own: int  # the province's own implementing circulars
    within: int  # its regencies' and cities' implementing circulars


@cache
def _province_names() -> dict[str, str]:
    return {code: r.name for code in TILES if (r := regions.lookup(code))}


def province_states(cov: Coverage) -> tuple[ProvinceState, ...]:
    """Whether each of the 38 provinces, or any of its regencies and cities, has an implementation recorded."""
    names = _province_names()
    out = []
    groups = {g.code: g for g in cov.groups}
    for code in sorted(TILES):
        rows = groups[code].rows if code in groups else ()
        own = sum(1 for r in rows if r.entry.circular.region.level == "provinsi")
        within = len(rows) - own
        state = "provinsi" if own else "kabkota" if within else "none"
        out.append(ProvinceState(code, names[code], state, own, within))
    return tuple(out)


def tile_map(states: tuple[ProvinceState, ...], title: str, strings: Strings) -> str:
    """The 38 provinces as labelled squares, shaded by state; <title> and <desc> for assistive technology."""
    width = (max(c for c, _, _ in TILES.values()) + 1) * TILE
    height = (max(r for _, r, _ in TILES.values()) + 1) * TILE
    done = sum(1 for s in states if s.state != "none")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="tile-map" viewBox="0 0 {width} {height}" '
             f'role="img" aria-labelledby="peta-judul peta-ket">',
             f'<title id="peta-judul">{escape(title)}</title>',
             f'<desc id="peta-ket">{escape(strings.text("map.desc", count=done, total=len(states)))}</desc>']
    words = {"provinsi": strings.text("map.own_state"), "kabkota": strings.text("map.cities_only"),
             "none": strings.text("coverage.not_recorded")}
    for s in states:
        col, row, label = TILES[s.code]
        fill, ink = STATES[s.state]
        x, y = col * TILE, row * TILE
        parts.append(f'<g class="tile" data-code="{s.code}" data-state="{s.state}"><title>'
                     f'{escape(s.name)}: {escape(words[s.state])}</title>'
                     f'<rect x="{x}" y="{y}" width="{TILE - 4}" height="{TILE - 4}" rx="3" fill="{fill}" '
                     f'stroke="#57606a"/>'  # the outline keeps light tiles visible against the page
                     f'<text x="{x + (TILE - 4) / 2:g}" y="{y + TILE / 2 + 2:g}" fill="{ink}" font-size="9" '
                     f'text-anchor="middle">{escape(label)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Bar:
    """One timeline row: a label and a period (end None: no end date known, drawn open to the right)."""

    label: str
    group: str
    start: dt.date
    end: dt.date | None
    href: str | None


def _start(c: Entry) -> dt.date:
    return (c.circular.effective_from or c.circular.issued).earliest


def _end(c: Entry) -> dt.date | None:
    end: PartialDate | None = c.ends or c.circular.effective_until
    return end.latest if end else None


def _short(text: str, limit: int = 30) -> str:
    """A label that fits the label column: cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def timeline_bars(directive: Entry, chain: tuple[Entry, ...], cov: Coverage, strings: Strings,
                  by_province_over: int = 150) -> tuple[tuple[Bar, ...], tuple[Bar, ...]]:
    """The directive band (itself and its amendments/extensions) and one bar per implementing circular,
    or, past `by_province_over` circulars, one bar per province from its first start to its last end."""
    band = tuple(Bar(strings.text("timeline.number", number=e.circular.number) if e.circular.number else e.id, "",
                     _start(e), _end(e), e.id)
                 for e in (chain or (directive,)))
    rows = [r for g in cov.groups for r in g.rows]
    if len(rows) <= by_province_over:
        bars = tuple(Bar(r.entry.circular.region.name if r.entry.circular.region.code != "ID"
                         else r.entry.circular.issuer, g.label, _start(r.entry), _end(r.entry), r.entry.id)
                     for g in cov.groups for r in g.rows)
    else:
        bars = []
        for g in cov.groups:
            ends = [_end(r.entry) for r in g.rows]
            label = f"{g.label} ({strings.text('common.circulars', count=len(g.rows))})"
            bars.append(Bar(label, g.label, min(_start(r.entry) for r in g.rows),
                            None if None in ends else max(e for e in ends if e), None))
        bars = tuple(bars)
    return band, bars


def timeline(band: tuple[Bar, ...], bars: tuple[Bar, ...], as_of: dt.date, url: str, title: str,
             strings: Strings) -> str:
    """Rows of periods on a shared date axis, a tick every month (or quarter, or year, on long spans).

    The directive's band comes first; implementing circulars follow, grouped by province, each group
    under a heading row when there is one bar per circular.
    """
    dates = [b.start for b in (*band, *bars)] + [b.end for b in (*band, *bars) if b.end]
    first = min(dates).replace(day=1)
    last = max([*dates, min(as_of, max(dates) + dt.timedelta(days=31))])
    span = max(1, (last - first).days)
    label_w, plot_w, row_h, top = 170, 420, 16, 28
    rows: list[tuple[Bar | str, str]] = [(b, "#0b5cad") for b in band]
    group = None
    for b in bars:
        if b.href and b.group != group:
            rows.append((b.group, ""))
            group = b.group
        rows.append((b, "#2f855a"))
    height = top + (len(rows) + 1) * row_h + 8

    def x(day: dt.date) -> float:
        return label_w + (day - first).days / span * plot_w

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {label_w + plot_w + 10} '
             f'{height}" width="{label_w + plot_w + 10}" height="{height}" role="group" '
             f'aria-labelledby="linimasa-judul linimasa-ket">',
             f'<title id="linimasa-judul">{escape(title)}</title>',
             f'<desc id="linimasa-ket">{escape(strings.text("timeline.desc", count=len(bars)))}</desc>']
    step = 1 if span <= 370 else 3 if span <= 1100 else 12
    month = first
    while month <= last:
        mx = x(month)
        parts.append(f'<line x1="{mx:.1f}" y1="{top - 6}" x2="{mx:.1f}" y2="{height}" stroke="#d0d7de"/>'
                     f'<text x="{mx + 2:.1f}" y="{top - 10}" font-size="9" fill="#57606a">'
                     f'{month.month:02d}/{month.year % 100:02d}</text>')
        nm = month.month - 1 + step
        month = dt.date(month.year + nm // 12, nm % 12 + 1, 1)
    for i, (bar, colour) in enumerate(rows):
        y = top + i * row_h + (row_h if i >= len(band) else 0)
        if isinstance(bar, str):
            parts.append(f'<text class="group" x="4" y="{y + 12}" font-size="10" font-weight="bold" '
                         f'fill="#57606a">{escape(_short(bar))}</text>')
            continue
        end = bar.end or last
        width = max(2.0, x(end) - x(bar.start))
        text = escape(_short(bar.label))
        label = (f'<a href={quoteattr(url + "edaran/" + bar.href + "/")}><text x="4" y="{y + 11}" font-size="10" '
                 f'fill="#0b5cad">{text}</text></a>' if bar.href else
                 f'<text x="4" y="{y + 11}" font-size="10" fill="#1b1f24">{text}</text>')
        open_end = "" if bar.end else f'<text x="{x(end) + 2:.1f}" y="{y + 11}" font-size="10" fill="{colour}">→</text>'
        parts.append(f'<g class="bar">{label}<rect x="{x(bar.start):.1f}" y="{y + 3}" width="{width:.1f}" '
                     f'height="{row_h - 6}" fill="{colour}" rx="2"/>{open_end}</g>')
    parts.append("</svg>")
    return "".join(parts)
