"""What a reader sees of an HTML page: the text and element names inside chosen elements."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
_HTML_SPACE_RE = re.compile(r"[ \t\n\r\f]+")

PAPER_TEMPLATE_ELEMENTS = frozenset(
    {"h1", "h2", "p", "span", "a", "time", "ul", "li", "code"}
    # An author or venue without a page of its own is a <bdi>: its own direction.
    | {"bdi"}
    # The citations: headed, preformatted blocks, RIS and CSL-JSON behind a "Show" toggle.
    | {"div", "pre", "strong", "details", "summary"}
)
"""Every element `paper.html.j2` writes inside a paper's article: entry text may add none."""


def template_elements(html: str, article: Region) -> set[str]:
    """The elements of a paper page's `article` but its one script element, the citation
    record (JSON data written by `escaping.json_for_script`): what to compare with
    `PAPER_TEMPLATE_ELEMENTS`, to which entry text may add none."""
    elements = list(article.elements)
    assert elements.count("script") == 1
    assert html.count('<script type="application/json" class="catalogue-cite__record">') == 1
    elements.remove("script")
    return set(elements)


def visible(text: str) -> str:
    """Text as a browser lays it out: runs of HTML white space are one space (NBSP is kept)."""
    return _HTML_SPACE_RE.sub(" ", text).strip()


@dataclass
class Region:
    """One element picked out of a page: its text and the elements nested in it."""

    tag: str
    attrs: dict[str, str]
    text: list[str] = field(default_factory=list)
    elements: list[str] = field(default_factory=list)

    @property
    def visible_text(self) -> str:
        return visible("".join(self.text))


class _Collector(HTMLParser):
    def __init__(self, wanted: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.regions: list[Region] = []
        self._open: list[tuple[Region, int]] = []
        self._depth = 0
        self.title: list[str] = []
        self._in_title = False
        self.meta: dict[str, str] = {}

    def _matches(self, tag: str, attrs: dict[str, str]) -> bool:
        kind, _, name = self.wanted.partition(".")
        classes = attrs.get("class", "").split()
        return (not kind or tag == kind) and (not name or name in classes)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        for region, _ in self._open:
            region.elements.append(tag)
        if tag == "meta" and "name" in values:
            self.meta[values["name"]] = values.get("content", "")
        if tag == "title":
            self._in_title = True
        if tag in VOID_ELEMENTS:
            return
        self._depth += 1
        if self._matches(tag, values):
            region = Region(tag, values)
            self.regions.append(region)
            self._open.append((region, self._depth))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in VOID_ELEMENTS:
            return
        while self._open and self._open[-1][1] >= self._depth:
            self._open.pop()
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        for region, _ in self._open:
            region.text.append(data)
        if self._in_title:
            self.title.append(data)


@dataclass
class PageText:
    """The regions of a page matching a selector, plus its `<title>` and named `<meta>` tags."""

    regions: list[Region]
    title: str
    meta: dict[str, str]


def read_page(html: str, selector: str) -> PageText:
    """Regions matching `selector` (`tag`, `.class` or `tag.class`), title and meta values."""
    collector = _Collector(selector)
    collector.feed(html)
    collector.close()
    return PageText(collector.regions, "".join(collector.title), collector.meta)
