"""Find live markup from hostile entries in any file of a built site, whatever its format.

Every active part of a hostile payload carries `MARKER` (`<img src=x onerror=alert('xsscanary')>`,
`<xsscanary>`, `data-xsscanary`). Text is harmless wherever it lands; what must never happen
is that the marker turns up as *structure*: an element, an attribute name, a script or style
body, a new BibTeX field, a new RIS record, a spreadsheet formula. The scanner reads each file
the way its consumers do and reports where the marker became structure, plus a few things that
are dangerous whatever their origin (event-handler attributes, `javascript:` URLs, frames).

Every file is scanned, so outputs added later (feeds, exports, search indexes) are covered
without a change here. Formats are recognised by name and content; a text format the scanner
does not know is checked fail-closed: no raw tag or script carrying the marker may appear in
it. A format whose strings are plain text for every consumer (a CSL-JSON export, say) may be
declared in `PLAIN_TEXT_JSON` with the reason.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

MARKER = "xsscanary"
"""Carried by every active part of every hostile payload; matched case-insensitively."""

PLAIN_TEXT_JSON: dict[str, str] = {
    "pagefind/fragment/*.pf_fragment.json": (
        "Pagefind's record of a page: plain text that the header search "
        "(docs/javascripts/catalogue-search.js) shows with textContent; excerpts are rebuilt "
        "as text nodes around <mark> (tests/browser/test_hostile_site.py types the payloads)"
    ),
    "catalogue.json": "the entries as written, for programs; the entry model says titles and "
    "abstracts are plain text with inline TeX, never HTML",
    "map/papers-*.json": (
        "the map's titles and slugs: docs/javascripts/catalogue-map.js sets a title only as "
        "textContent and a slug only into a paper's address (tests/browser/test_map.py)"
    ),
}
"""Glob of site paths -> why the strings of these JSON files are never read as HTML."""

PLAIN_DATA: dict[str, str] = {
    "pagefind/*.bin": (
        "Pagefind's binary indexes (words, filter values, page list): data that its "
        "WebAssembly reads, never markup; what reaches a page goes through the search box as "
        "text, as for fragments"
    ),
}
"""Glob of site paths -> why these binary files are not scanned for markup."""

BINARY_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".woff", ".woff2", ".ttf",
    ".otf", ".eot", ".pdf", ".wasm",
}  # fmt: skip

# Attributes whose value the browser follows or runs.
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "srcset", "poster", "data", "cite", "background",
    "xlink:href", "ping", "manifest", "icon", "codebase", "longdesc", "lowsrc", "dynsrc",
}  # fmt: skip
# Attributes that legitimately hold entry text (a description, a tooltip).
TEXT_ATTRIBUTES = {"content", "title", "alt", "aria-label", "placeholder", "value", "label"}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
JSON_SCRIPT_TYPES = {"application/json", "application/ld+json", "importmap", "speculationrules"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:text/html", "data:image/svg")
# HTML-ish elements of XML formats (RSS `description`, `content:encoded`; Atom `type="html"`).
RSS_HTML_ELEMENTS = {"description", "{http://purl.org/rss/1.0/modules/content/}encoded"}
ATOM_NS = "{http://www.w3.org/2005/Atom}"

_RAW_TAG_RE = re.compile(r"<[A-Za-z/!?][^<>]{0,4000}>")
_RAW_SCRIPT_RE = re.compile(r"<script\b[^>]*>(.{0,20000}?)(?:</script|$)", re.I | re.S)
_JS_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\(/)")
_SPACE_AND_CONTROL_RE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_TEX_DANGER_RE = re.compile(
    r"\\(input|include|write|immediate|openout|openin|read|catcode|def|edef|gdef|let|csname|"
    r"special|directlua|jobname|newwrite|newread|href|url|scantokens|everyeof|lowercase|"
    r"uppercase|expandafter|string|detokenize|pdfobj|pdfannot|pdfstartlink|usepackage|"
    r"RequirePackage|InputIfFileExists|IfFileExists|includegraphics|ShellEscape)"
    r"(?![A-Za-z])|\^\^"  # `^^5c` is a backslash to TeX
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_RIS_LINE_RE = re.compile(r"^([A-Z][A-Z0-9])  -( |$)")


@dataclass(frozen=True)
class Finding:
    """One place where entry text became structure (or something always dangerous appeared)."""

    path: str
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.where}: {self.what}"


def scan_site(site_dir: Path) -> list[Finding]:
    """Every finding in every file under `site_dir`."""
    findings: list[Finding] = []
    for file in sorted(site_dir.rglob("*")):
        if file.is_file():
            rel = file.relative_to(site_dir).as_posix()
            findings.extend(scan_bytes(rel, file.read_bytes()))
    return findings


def scan_bytes(path: str, data: bytes) -> list[Finding]:
    """Findings in one file, read as its consumers read it."""
    suffix = Path(path).suffix.lower()
    if data[:2] == b"\x1f\x8b":  # gzip: sitemap.xml.gz, Pagefind's fragments and indexes
        inner = gzip.decompress(data)
        if inner.startswith(b"pagefind_dcd"):
            inner = inner[len(b"pagefind_dcd") :]
            inner_path = path + (".json" if inner.lstrip()[:1] in (b"{", b"[") else ".bin")
            return scan_bytes(inner_path, inner)
        return scan_bytes(path[: -len(".gz")] if suffix == ".gz" else path + ".bin", inner)
    if suffix in BINARY_SUFFIXES or any(fnmatch(path, pattern) for pattern in PLAIN_DATA):
        return []
    text = data.decode("utf-8", errors="replace")
    scanner = _SCANNERS.get(suffix, scan_raw_text)
    return scanner(path, text)


# --- HTML ----------------------------------------------------------------------------------


class _HtmlScanner(HTMLParser):
    def __init__(self, path: str, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.where = where
        self.findings: list[Finding] = []
        self._raw: tuple[str, dict[str, str]] | None = None  # open <script> or <style>
        self._raw_text: list[str] = []

    def _find(self, what: str) -> None:
        line, _ = self.getpos()
        self.findings.append(Finding(self.path, f"{self.where}line {line}", what))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if _marked(tag):
            self._find(f"element <{tag}> from entry text")
        if tag in FORBIDDEN_ELEMENTS:
            self._find(f"<{tag}> element")
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            self._check_attribute(tag, name, value, values)
        if tag in ("script", "style"):
            self._raw = (tag, values)
            self._raw_text = []

    handle_startendtag = handle_starttag

    def _check_attribute(self, tag: str, name: str, value: str, attrs: dict[str, str]) -> None:
        if _marked(name):
            self._find(f"attribute {name!r} on <{tag}> from entry text")
        if name.startswith("on"):
            self._find(f"event handler {name}={value[:60]!r} on <{tag}>")
        if name in ("style", "srcdoc") and _marked(value):
            self._find(f"{name} attribute on <{tag}> carries entry markup")
        if name in URL_ATTRIBUTES or name.endswith(":href"):
            if _dangerous_url(value):
                self._find(f"{name}={value[:60]!r} on <{tag}> is a script URL")
        elif not (name in TEXT_ATTRIBUTES or name.startswith("aria-")) and _dangerous_url(value):
            self._find(f"{name}={value[:60]!r} on <{tag}> holds a script URL")
        if tag == "meta" and name == "content" and attrs.get("http-equiv", "").lower() == "refresh":
            target = value.split("=", 1)[1] if "=" in value else ""
            if _dangerous_url(target) or _marked(target):
                self._find(f"meta refresh to {target[:60]!r}")

    def handle_endtag(self, tag: str) -> None:
        if self._raw is not None and tag == self._raw[0]:
            self._check_raw_element("".join(self._raw_text))
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw is not None:
            self._raw_text.append(data)

    def handle_comment(self, data: str) -> None:
        if _marked(data) and "<" in data:
            self._find("comment holding entry markup (conditional comments run in old browsers)")

    def _check_raw_element(self, body: str) -> None:
        assert self._raw is not None
        tag, attrs = self._raw
        kind = attrs.get("type", "").lower()
        if tag == "script" and kind in JSON_SCRIPT_TYPES:
            # Data, not code, whatever it holds; but text that broke out of it leaves it broken.
            try:
                json.loads(body)
            except ValueError:
                self._find("JSON script that does not parse: entry text broke out of it")
            return
        if not _marked(body):
            return
        self._find(f"<{tag}> body carries entry text: {body.strip()[:80]!r}")

    def close(self) -> None:
        # An unclosed <script> swallows the rest of the page; the parser would drop that text.
        unparsed = self.rawdata if self._raw is not None else ""
        super().close()
        if self._raw is not None:
            self._check_raw_element("".join(self._raw_text) + unparsed)


def scan_html(path: str, text: str, where: str = "") -> list[Finding]:
    """Findings in an HTML document or fragment."""
    scanner = _HtmlScanner(path, where)
    scanner.feed(text)
    scanner.close()
    return scanner.findings


# --- XML -------------------------------------------------------------------------------------


def scan_xml(path: str, text: str) -> list[Finding]:
    """Findings in an XML file: markup from entries, and HTML carried inside feed elements."""
    try:
        root = ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError as exc:
        return [Finding(path, "document", f"is not well-formed XML ({exc})")]
    findings: list[Finding] = []
    for element in root.iter():
        tag = str(element.tag)
        if _marked(tag):
            findings.append(Finding(path, tag, "element from entry text"))
        for name, value in element.attrib.items():
            if _marked(name):
                findings.append(Finding(path, tag, f"attribute {name!r} from entry text"))
            if name.endswith("href") and _dangerous_url(value):
                findings.append(Finding(path, tag, f"{name}={value[:60]!r} is a script URL"))
        kind = element.attrib.get("type", "")
        if kind in ("html", "text/html") or tag in RSS_HTML_ELEMENTS:
            findings += scan_html(path, element.text or "", f"{tag} (HTML) ")
        elif kind in ("xhtml", "application/xhtml+xml"):
            inner = "".join(ElementTree.tostring(child, "unicode") for child in element)
            findings += scan_html(path, inner, f"{tag} (XHTML) ")
    return findings


# --- JSON and JavaScript ----------------------------------------------------------------------


def scan_json(path: str, text: str) -> list[Finding]:
    """Findings in JSON: every string is read as HTML (fail-closed) unless the file is known
    to hold plain text (`PLAIN_TEXT_JSON`)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return [Finding(path, "document", f"is not valid JSON ({exc})")]
    if any(fnmatch(path, pattern) for pattern in PLAIN_TEXT_JSON):
        return []
    findings: list[Finding] = []
    for where, value in _strings(data, "$"):
        if _marked(value) and "<" in value:
            findings += scan_html(path, value, f"{where} (read as HTML) ")
    return findings


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(str(key), f"{where}.<key>")
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def scan_javascript(path: str, text: str) -> list[Finding]:
    """Findings in JavaScript: string escapes (`\\u003c`) decoded, then read as raw text."""

    def unescape(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else "/"

    return scan_raw_text(path, _JS_ESCAPE_RE.sub(unescape, text))


# --- Text formats of citations and spreadsheets -------------------------------------------------


def scan_bibtex(path: str, text: str) -> list[Finding]:
    """Findings in BibTeX: a field or entry made from entry text, a TeX command that reads or
    writes files, unbalanced braces, or raw HTML."""
    findings = [
        Finding(path, f"line {_line_of(text, m.start())}", f"TeX command {m.group()!r}")
        for m in _TEX_DANGER_RE.finditer(text)
    ]
    depth = 0
    # BibTeX counts every brace, escaped or not (`\}` closes a field as `}` does): so do we.
    for index, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                findings.append(Finding(path, f"line {_line_of(text, index)}", "unbalanced }"))
                depth = 0
        elif ch == "@" and depth == 0:
            head = text[index : index + 200]
            if _marked(head.split(",", 1)[0]):
                findings.append(Finding(path, f"line {_line_of(text, index)}", "entry from text"))
        elif ch == "=" and depth == 1:
            name = re.findall(r"([A-Za-z_:-]+)\s*$", text[max(0, index - 100) : index])
            if name and _marked(name[-1]):
                where = f"line {_line_of(text, index)}"
                findings.append(Finding(path, where, f"field {name[-1]!r} from entry text"))
    if depth:
        findings.append(Finding(path, "end", f"{depth} unclosed {{"))
    return findings + scan_raw_text(path, text)


def scan_ris(path: str, text: str) -> list[Finding]:
    """Findings in RIS: lines that are not `XX  - value`, records not opened by one TY and
    closed by one ER (a newline in entry text could start a record of its own)."""
    findings: list[Finding] = []
    open_record = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _RIS_LINE_RE.match(line)
        if not match:
            findings.append(Finding(path, f"line {number}", f"not an RIS line: {line[:60]!r}"))
            continue
        tag = match.group(1)
        if tag == "TY":
            if open_record:
                findings.append(Finding(path, f"line {number}", "TY inside a record"))
            open_record = True
        elif tag == "ER":
            if not open_record:
                findings.append(Finding(path, f"line {number}", "ER outside a record"))
            open_record = False
        elif not open_record:
            findings.append(Finding(path, f"line {number}", f"{tag} outside a record"))
        if tag in ("TY", "ER") and _marked(line):
            findings.append(Finding(path, f"line {number}", "record boundary from entry text"))
    if open_record:
        findings.append(Finding(path, "end", "record without ER"))
    return findings


def scan_csv(path: str, text: str) -> list[Finding]:
    """Findings in CSV/TSV: a cell from entry text that a spreadsheet would run as a formula,
    read as its dialect says, or split at `;`, `,`, tab or `|` as a spreadsheet whose locale
    uses another separator would (quotes or not), at any line end."""
    dialect = "excel-tab" if path.endswith(".tsv") else "excel"
    findings: list[Finding] = []
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), 1):
        for column, cell in enumerate(row, 1):
            if cell[:1] in _FORMULA_STARTS and _marked(cell):
                where = f"row {number} column {column}"
                findings.append(Finding(path, where, f"formula {cell[:60]!r}"))
    for separator in (";", ",", "\t", "|"):
        for number, line in enumerate(re.split("\r\n|\r|\n", text), 1):
            for piece in line.split(separator):
                cell = piece.lstrip(' "\t\r')
                if cell[:1] in _FORMULA_STARTS and _marked(cell):
                    where = f"line {number}, split at {separator!r}"
                    findings.append(Finding(path, where, f"formula {cell[:60]!r}"))
    return findings


def scan_raw_text(path: str, text: str) -> list[Finding]:
    """Fail-closed check of any other text: no raw tag or script body carries the marker."""
    findings = [
        Finding(path, f"line {_line_of(text, m.start())}", f"raw markup {m.group()[:80]!r}")
        for m in _RAW_TAG_RE.finditer(text)
        if _marked(m.group())
    ]
    findings += [
        Finding(path, f"line {_line_of(text, m.start())}", f"raw script {m.group()[:80]!r}")
        for m in _RAW_SCRIPT_RE.finditer(text)
        if _marked(m.group(1))
    ]
    return findings


_SCANNERS = {
    ".html": scan_html,
    ".htm": scan_html,
    ".xhtml": scan_html,
    ".xml": scan_xml,
    ".atom": scan_xml,
    ".rss": scan_xml,
    ".svg": scan_xml,
    ".opml": scan_xml,
    ".json": scan_json,
    ".webmanifest": scan_json,
    ".js": scan_javascript,
    ".mjs": scan_javascript,
    ".bib": scan_bibtex,
    ".ris": scan_ris,
    ".csv": scan_csv,
    ".tsv": scan_csv,
}


def _marked(text: str) -> bool:
    return MARKER in text.lower()


def _dangerous_url(value: str) -> bool:
    squeezed = _SPACE_AND_CONTROL_RE.sub("", value).lower()
    return squeezed.startswith(DANGEROUS_SCHEMES)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
