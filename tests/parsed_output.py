"""Read what the site produced with real parsers: BibTeX, RIS, CSL-JSON, Atom, CSV, HTML heads.

Tests compare what these return with the entries; none of them searches the output for
strings.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import bibtexparser
import feedparser
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from pybtex.bibtex.utils import split_name_list
from pybtex.database.input.bibtex import Parser as PybtexParser
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from generator.model import text
from generator.model.entry import Entry
from generator.model.escaping import CSV_SEPARATORS
from generator.model.tex_math import latex_math

# Standard LaTeX text commands pylatexenc does not know; their meaning is LaTeX's, not ours.
_LATEX_TEXT_COMMANDS = [
    MacroTextSpec("textless", simplify_repl="<"),
    MacroTextSpec("textgreater", simplify_repl=">"),
    MacroTextSpec("textbar", simplify_repl="|"),
    MacroTextSpec("textasciicircum", simplify_repl="^"),
    MacroTextSpec("textasciitilde", simplify_repl="~"),
    MacroTextSpec("textasciigrave", simplify_repl="`"),
    MacroTextSpec("textbraceleft", simplify_repl="{"),
    MacroTextSpec("textbraceright", simplify_repl="}"),
    MacroTextSpec("url", simplify_repl="%s"),
]


@functools.cache  # one decoder for every parse: it keeps no state between texts
def _latex_decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    context.add_context_category("latex-text-commands", prepend=True, macros=_LATEX_TEXT_COMMANDS)
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


@dataclass(frozen=True)
class BibEntry:
    """One parsed BibTeX entry with its field values decoded from TeX to text."""

    entry_type: str
    key: str
    fields: dict[str, str]
    raw: dict[str, str]
    """The values as written in the file (TeX), before decoding."""
    authors: list[str]
    """The author list split as BibTeX splits it (at `and` outside braces), each decoded."""


def parse_bibtex(source: str) -> list[BibEntry]:
    """Every entry of a BibTeX file, read by bibtexparser; fails the test if any block does
    not parse, or if pybtex (BibTeX's rules in Python) reads other entries, fields or values."""
    raw_library = bibtexparser.parse_string(source)
    assert raw_library.failed_blocks == [], [b.error for b in raw_library.failed_blocks]
    # The parser pybtex.database.parse_string(source, "bibtex") finds by its plugin name,
    # taken directly: finding it scans every installed package's entry points each time.
    pybtex_entries = PybtexParser().parse_string(source).entries
    assert list(pybtex_entries) == [entry.key for entry in raw_library.entries]
    for entry in raw_library.entries:
        read = pybtex_entries[entry.key]
        raw = {f.key: f.value for f in entry.fields}
        assert dict(read.fields) == {name: v for name, v in raw.items() if name != "author"}
        if "author" in raw:
            assert len(read.persons["author"]) == len(split_name_list(raw["author"]))
    decoder = _latex_decoder()
    decoded = bibtexparser.parse_string(
        source, append_middleware=[LatexDecodingMiddleware(decoder=decoder)]
    )
    split = bibtexparser.parse_string(source, append_middleware=[SeparateCoAuthors()])
    entries = []
    for raw, entry, names in zip(raw_library.entries, decoded.entries, split.entries, strict=True):
        authors = names.fields_dict["author"].value if "author" in names.fields_dict else []
        entries.append(
            BibEntry(
                entry.entry_type,
                entry.key,
                {f.key: f.value for f in entry.fields},
                {f.key: f.value for f in raw.fields},
                [decoder.latex_to_text(name) for name in authors],
            )
        )
    return entries


def shown_text(value: str, *, math: bool = True) -> str:
    """An entry's text as readers see it, formulas kept as `$...$`: what decoded TeX gives.
    A formula LaTeX may read (`tex_math.latex_math`; that it means the same is tested in
    tests/test_tex_math.py) is written as LaTeX will read it; any other, and any formula
    when `math` is false (names), is its own text."""
    parts = []
    for segment in text.segments(value):
        formula = latex_math(segment.text) if segment.is_math and math else None
        parts.append(segment.text if not segment.is_math else f"${formula or segment.text}$")
    return " ".join("".join(parts).split())


def decoded(value: str) -> str:
    """A decoded BibTeX value with whitespace collapsed, to compare with `shown_text`."""
    return " ".join(value.split())


def parse_ris(source: str) -> list[dict[str, Any]]:
    """Every record of a RIS file, read by rispy (which needs `TY` first and `ER` last)."""
    records: list[dict[str, Any]] = rispy.loads(source)
    return records


CSL_TYPES = frozenset(
    "article article-journal article-magazine article-newspaper bill book broadcast chapter "
    "classic collection dataset document entry entry-dictionary entry-encyclopedia event "
    "figure graphic hearing interview legal_case legislation manuscript map motion_picture "
    "musical_score pamphlet paper-conference patent performance periodical personal_communication "
    "post post-weblog regulation report review review-book software song speech standard "
    "thesis treaty webpage".split()
)
"""The item types of CSL 1.0.2 (the `type` enumeration of its csl-data.json schema)."""


def check_csl_item(item: dict[str, Any]) -> None:
    """An item has CSL-JSON's required `id` and `type` (a CSL type), and a title."""
    assert isinstance(item["id"], str) and item["id"]
    assert item["type"] in CSL_TYPES
    assert isinstance(item["title"], str) and item["title"]
    for name in item.get("author", []):
        assert set(name) in ({"family", "given"}, {"literal"}), name
    if "issued" in item:
        (parts,) = item["issued"]["date-parts"]
        assert 1 <= len(parts) <= 3 and all(isinstance(p, int) for p in parts)


def parse_feed(source: bytes) -> Any:
    """A feed read by feedparser; fails the test if feedparser found anything malformed."""
    parsed = feedparser.parse(source)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def parse_csv(source: str) -> list[dict[str, str]]:
    """Rows of a CSV file as dicts, by the csv module."""
    return list(csv.DictReader(io.StringIO(source, newline="")))


def undefuse(cell: str) -> str:
    """A CSV cell without the `'` put wherever a cell could start before a formula
    character (`escaping.csv_cell`): one `'` removed at each such place."""
    return _CSV_MARKED_RE.sub(r"\1\2", cell)


_CSV_MARKED_RE = re.compile(f"(^|[{re.escape(CSV_SEPARATORS)}])([ \"]*)'")


def naive_csv_cells(source: str, separator: str) -> list[str]:
    """Every cell a spreadsheet could see in a CSV file if it split lines at any line end
    and cells at `separator`, quotes or not."""
    return [piece for line in re.split("\r\n|\r|\n", source) for piece in line.split(separator)]


def starts_a_formula(cell: str) -> bool:
    """Whether a spreadsheet could run the cell: `=`, `+`, `-` or `@` first once white space
    (tab and CR are OWASP's other formula starts) and quotes are taken off its start."""
    return cell.lstrip(' "\t\r\n').startswith(("=", "+", "-", "@"))


@dataclass
class Head:
    """The meta and link elements of a page's head."""

    meta: list[dict[str, str]] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)

    def named(self, name: str) -> list[str]:
        """Contents of `<meta name=...>` or `<meta property=...>` with this name, in order."""
        return [
            m.get("content", "")
            for m in self.meta
            if m.get("name") == name or m.get("property") == name
        ]

    def feeds(self) -> list[dict[str, str]]:
        """The `<link rel="alternate" type="application/atom+xml">` elements."""
        return [
            link
            for link in self.links
            if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"
        ]


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head = Head()
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self.in_head = True
        elif self.in_head and tag in ("meta", "link"):
            values = {name: value or "" for name, value in attrs}
            (self.head.meta if tag == "meta" else self.head.links).append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def parse_head(html: str) -> Head:
    """The head's meta and link elements, as an HTML parser reads them."""
    parser = _HeadParser()
    parser.feed(html)
    parser.close()
    return parser.head


class _AnchorParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[dict[str, str]] = []
        self._open: list[dict[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            anchor = {name: value or "" for name, value in attrs}
            anchor["text"] = ""
            self.anchors.append(anchor)
            self._open.append(anchor)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for anchor in self._open:
            anchor["text"] += data


def parse_anchors(html: str) -> list[dict[str, str]]:
    """Every `<a>` of a page: its attributes and its text."""
    parser = _AnchorParser()
    parser.feed(html)
    parser.close()
    return parser.anchors


def resolve(site: Path, page: Path, href: str) -> Path:
    """The file a relative link on `page` (a file in `site`) points at."""
    target = (page.parent / href.split("#", 1)[0]).resolve()
    if target.is_dir():
        target = target / "index.html"
    assert site.resolve() in target.parents, href
    return target


def entry_json(entry: Entry) -> dict[str, Any]:
    """An entry as catalogue.json holds it."""
    data: dict[str, Any] = json.loads(entry.model_dump_json(exclude_none=True))
    return data
