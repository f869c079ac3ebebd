"""Finds anything executable in a built site: script that is not the site's own, event handlers, dangerous
URL schemes, JSON that breaks out of its script block, spreadsheet formulas. Used by test_untrusted.py."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "srcdoc", "codebase",
                  "cite", "ping", "dynsrc", "lowsrc", "content"}
# Not <form>: the site's own search box is one (a form's javascript: action is caught as a URL).
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
OWN_SCRIPTS = ("assets/salin.js", "assets/cari.js")
_JSON_BLOCK = re.compile(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script", re.S | re.I)


def _dangerous_url(value: str) -> bool:
    # Browsers drop ASCII whitespace and control characters inside a scheme ("jav&#x09;ascript:").
    squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
    if "url=" in squeezed:  # <meta http-equiv=refresh content="0;url=javascript:...">
        squeezed = squeezed.split("url=", 1)[1]
    return squeezed.startswith(DANGEROUS_SCHEMES)


def scan_html(text: str, where: str = "page") -> list[str]:
    """Everything in one HTML document that could run script, as 'where: what' lines."""
    found = []
    doc = html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.rsplit("}", 1)[-1].lower()
        if tag == "script":
            kind = (el.get("type") or "").lower()
            if kind == "application/ld+json":
                try:
                    json.loads(el.text or "")
                except ValueError:
                    found.append(f"{where}: a JSON script block that does not parse (broken out of?)")
            elif not (el.get("src") or "").endswith(OWN_SCRIPTS) or (el.text or "").strip():
                found.append(f"{where}: script {el.get('src') or (el.text or '')[:60]!r}")
        if tag in FORBIDDEN_ELEMENTS:
            found.append(f"{where}: <{tag}> element")
        if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            found.append(f"{where}: meta refresh")
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()  # xlink:href arrives as {http://www.w3.org/1999/xlink}href
            if local.startswith("on"):
                found.append(f"{where}: event handler {local}= on <{tag}>")
            elif (local in URL_ATTRIBUTES or local.endswith("href")) and _dangerous_url(value):
                if not (tag == "link" and el.get("rel") == "icon" and value == "data:,"):  # the site's empty icon
                    found.append(f"{where}: {local}={value[:60]!r} on <{tag}>")
            elif local == "style" and re.search(r"javascript:|expression\(", value, re.I):
                found.append(f"{where}: script in a style attribute on <{tag}>")
    for block in _JSON_BLOCK.findall(text):
        if "<!--" in block or "<script" in block.lower():
            found.append(f"{where}: '<!--' or '<script' inside a JSON script block")
    return found


def _json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


def scan_site(root: Path) -> list[str]:
    """Every finding in every output file of a built site: pages, feeds, sitemap, JSON, CSV."""
    found: list[str] = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        if rel.startswith("assets/"):
            continue  # the site's scripts: checked in the browser test
        if path.suffix == ".html":
            found += scan_html(path.read_text(encoding="utf-8"), rel)
        elif path.suffix == ".xml":
            tree = ET.parse(path)  # built with an XML library, so it must parse
            for el in tree.iter():
                if el.get("type") == "html" and el.text:
                    found += scan_html(el.text, f"{rel} <{el.tag}>")
                for name, value in el.attrib.items():
                    if name == "href" and _dangerous_url(value):
                        found.append(f"{rel}: href={value!r}")
                if el.tag.endswith("loc") and _dangerous_url(el.text or ""):
                    found.append(f"{rel}: loc {el.text!r}")
        elif path.suffix == ".json":
            for text in _json_strings(json.loads(path.read_text(encoding="utf-8"))):
                if _dangerous_url(text):
                    found.append(f"{rel}: {text[:60]!r}")
        elif path.suffix == ".csv":
            for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        found.append(f"{rel}: formula cell {cell[:40]!r}")
    return found
