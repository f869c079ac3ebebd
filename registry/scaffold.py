"""`build.py new`: write a new circular file from a few facts, every other field explained in a comment."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from . import regions
from .model import KINDS
from .validate import ID_MAX, ID_PATTERN, RESERVED_IDS, parse_date, slugify

# How ids start, by kind (the content model's examples: se-menpanrb-19-2020).
ID_PREFIX = {"surat-edaran": "se", "instruksi": "instruksi", "keputusan": "keputusan",
             "peraturan": "peraturan", "arahan": "arahan"}
REQUIRED = ("region", "issued", "issuer", "title")
USAGE = """\
build.py new writes content/circulars/<id>.md for a new circular. It needs:
  --region CODE     whose circular: "ID" for a national body, else the Kemendagri code ("33", "33.05")
  --issued DATE     the date signed: YYYY-MM-DD, or YYYY-MM / YYYY when the sources only give that
  --issuer TEXT     the office that issued it: "Bupati Kebumen", "Menteri Sosial"
  --title TEXT      the subject as printed (perihal / tentang), without the word "tentang"
and may take:
  --number TEXT     the number as printed ("060/1160 Tahun 2020"); leave out when no source gives it
  --kind KIND       surat-edaran (default), instruksi, keputusan, peraturan, arahan
  --id ID           the file's id, when the one derived from kind, issuer and number is not wanted
Example:
  python3 build.py new --region 33.05 --number "060/1160 Tahun 2020" --issued 2020-03-26 \\
      --title "Penyesuaian Sistem Kerja ASN" --issuer "Bupati Kebumen"
Then fill in every TODO (sources above all) and run: python3 build.py check
"""


@dataclass(frozen=True)
class NewCircular:
    """What `new` was asked for; None where an option was not given."""

    region: str | None = None
    issued: str | None = None
    issuer: str | None = None
    title: str | None = None
    number: str | None = None
    kind: str = "surat-edaran"
    id: str | None = None


def derive_id(kind: str, issuer: str, number: str | None, issued: str) -> str:
    """'se' + issuer + number (without 'Nomor'/'Tahun'), or the year when there is no number; at most
    ID_MAX characters, cut at a hyphen."""
    tail = slugify(re.sub(r"\b(nomor|no|tahun|thn)\b\.?", " ", number or "", flags=re.IGNORECASE))
    if issued[:4] not in tail.split("-"):  # the year keeps two circulars with the same short number apart
        tail = f"{tail}-{issued[:4]}".strip("-")
    prefix = ID_PREFIX[kind]
    # A long issuer is cut at a word, never the number or the year: they tell two circulars apart.
    room = ID_MAX - len(prefix) - len(tail) - 2
    who = slugify(issuer)
    if len(who) > room:
        who = who[:room + 1].rsplit("-", 1)[0] if room > 0 else ""
    return "-".join(part for part in (prefix, who, tail) if part)[:ID_MAX].strip("-")


def problems_with(request: NewCircular) -> list[str]:
    """Why the request cannot make a valid file (each a full sentence), or nothing."""
    found = [f"--{name} is required" for name in REQUIRED if not (getattr(request, name) or "").strip()]
    if request.region and regions.lookup(request.region) is None:
        hint = regions.hint_for(request.region)
        found.append(f"--region '{request.region}' is not in {regions.LIST_NAME}" + (f"; {hint}" if hint else ""))
    if request.issued and (why := parse_date(request.issued)[1]):
        found.append(f"--issued {why}")
    if request.kind not in KINDS:
        found.append(f"--kind '{request.kind}' is not one of {', '.join(KINDS)}")
    if request.id is not None and (not ID_PATTERN.match(request.id) or len(request.id) > ID_MAX):
        found.append(f"--id '{request.id}' must be lowercase letters, digits and single hyphens, "
                     f"at most {ID_MAX} characters")
    elif request.id in RESERVED_IDS:
        found.append(f"--id '{request.id}' is reserved: edaran/{request.id}/ holds the later pages of the list of "
                     "all circulars")
    return found


def _q(text: str) -> str:
    """A YAML double-quoted string (JSON's quoting is valid YAML and escapes everything needed)."""
    return json.dumps(text.strip(), ensure_ascii=False)


def render(request: NewCircular, cid: str) -> str:
    """The new file: the given facts, TODOs where a value is needed, optional fields commented out."""
    level = regions.lookup(request.region or "")
    where = level.name if level else request.region
    number = f"number: {_q(request.number)}" if request.number else \
        '# number: "..."  # the number as printed; left out because no number was given'
    return f"""---
# yaml-language-server: $schema=../../schema/circular.schema.json
# A new circular for {where}. Every fact must come from a source listed under `sources`.
# Fill in each TODO, uncomment (remove the "# ") the optional fields you have a source for,
# then run: python3 build.py check   (see CONTRIBUTING.md)
title: {_q(request.title or "TODO")}
{number}
kind: {request.kind}
region: {_q(request.region or "TODO")}  # {where}
issuer: {_q(request.issuer or "TODO")}
issued: {request.issued}  # date signed: YYYY-MM-DD, or YYYY-MM / YYYY when that is all the sources give
# signatory: "..."  # who signed, as printed ("JT. Ose Luan, Wakil Bupati Belu")
# effective_from: YYYY-MM-DD  # first day in force, if a source says
# effective_until: YYYY-MM-DD  # last day in force; leave out when open-ended
# implements: [se-menpanrb-19-2020]  # ids of the directives it follows up (menindaklanjuti), OR instead,
#                                       with the source's own words as evidence (source: number in sources):
# implements:
#   - {{id: se-menpanrb-19-2020, evidence: "menindaklanjuti Surat Edaran ...", source: 1}}
# amends: []  # ids it changes (mengubah)
# extends: []  # ids whose period it extends (memperpanjang)
# revokes: []  # ids it revokes (mencabut)
# addressed_to: [bupati, walikota]  # menteri, kepala-lembaga, gubernur, bupati, walikota, opd, "33.05"
# topics: [covid-19]  # slugs from content/topics.yaml
sources:
  # Where the facts above come from: a news article, an official announcement or the letter itself.
  - publisher: TODO  # who published it: "Kompas.com", "Pemerintah Kabupaten Kebumen"
    title: TODO  # the article's or document's title, as printed
    # type: media  # media (default), official-announcement or official-document
    # url: https://...  # http(s) link, if it is online
    # published: YYYY-MM-DD  # when it was published
    # retrieved: YYYY-MM-DD  # when you read it
    # archived_url: https://web.archive.org/...  # a saved copy, if there is one
# documents:  # the official text, if you have it
#   - title: Salinan surat edaran
#     url: https://...  # or file: dokumen/<name>.pdf (a file in the repository) with sha256: "..."
---
TODO: a short summary of what the circular says, in Indonesian, from the sources (not copied from an article).
"""
