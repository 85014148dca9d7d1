"""Entry text in a right-to-left script cannot move the page's own text around it.

The Unicode bidirectional algorithm orders a line as a whole: an Arabic author followed by
", " and the next name, or an Arabic venue followed by a count, carries the comma or the
digits into its own right-to-left run, and the line reads in the wrong order. Each piece of
entry text a page shows among other text is therefore its own isolate: an element with `dir`
(which browsers isolate, and which takes its direction from the text's first strong letter)
or a `<bdi>`, holding that text and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from generator import Entry, Paper, RenderSettings, build_catalogue
from generator.render.pages import PageRenderer
from tests.test_render_properties import VOCABULARY

ARABIC_TITLE = "نموذج لغوي كبير على الهاتف"
ARABIC_AUTHOR = "يوسف الأحمد"
ARABIC_VENUE = "مؤتمر اللغة 2024"
ARABIC_ABSTRACT = "نقدم طريقة لضغط النماذج اللغوية الكبيرة."
HEBREW_AUTHOR = "דוד לוי"
NEEDLES = (ARABIC_TITLE, ARABIC_AUTHOR, ARABIC_VENUE, HEBREW_AUTHOR)
"""Entry text shown whole: it must be the whole text of an isolate."""


@dataclass(frozen=True)
class TextNode:
    text: str
    element: str
    attrs: dict[str, str | None]
    siblings: int
    """How many text nodes the innermost element holds (1: this text is all of it)."""


class _TextNodes(HTMLParser):
    """Every non-blank text node of a page with its innermost element."""

    VOID = frozenset({"br", "img", "meta", "link", "input", "hr", "wbr", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.nodes: list[tuple[str, tuple[str, dict[str, str | None], list[str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs), []))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and self.stack:
            self.stack[-1][2].append(data)
            self.nodes.append((data, self.stack[-1]))


def text_nodes(html: str) -> list[TextNode]:
    parser = _TextNodes()
    parser.feed(html)
    parser.close()
    return [
        TextNode(text, element, attrs, len(texts)) for text, (element, attrs, texts) in parser.nodes
    ]


def isolated(node: TextNode) -> bool:
    return node.element == "bdi" or "dir" in node.attrs


def pages() -> dict[str, str]:
    """Every page a two-paper catalogue makes (and the home page's summary), by address: a
    right-to-left paper, and a left-to-right one that shares its authors, tags and venue, so
    that each lists the other as related and both share author and venue pages."""
    arabic = Entry.model_validate(
        {
            "title": ARABIC_TITLE,
            "authors": [ARABIC_AUTHOR, HEBREW_AUTHOR, "Ada Lovelace"],
            "venue": ARABIC_VENUE,
            "date": "2024-05-01",
            "added": "2026-11-02",
            "abstract": ARABIC_ABSTRACT,
            "tags": ["llm", "quantization"],
        }
    )
    latin = Entry.model_validate(
        {
            "title": "Compressing large language models for phones",
            "authors": [ARABIC_AUTHOR, HEBREW_AUTHOR, "Ada Lovelace"],
            "venue": ARABIC_VENUE,
            "date": "2024-06-01",
            "added": "2026-11-01",
            "abstract": "We compress large language models.",
            "tags": ["llm", "quantization"],
        }
    )
    papers = [
        Paper("arabic", "papers/arabic.yaml", arabic, {}),
        Paper("latin", "papers/latin.yaml", latin, {}),
    ]
    settings = RenderSettings(author_page_min_papers=1)
    renderer = PageRenderer(build_catalogue(papers, VOCABULARY), settings)
    found = {page.uri: page.html for page in renderer.all_pages()}
    found["index.md (summary)"] = str(renderer.render_home_summary())
    return found


def test_right_to_left_entry_text_is_isolated_wherever_it_is_shown() -> None:
    shown = pages()
    seen: dict[str, set[str]] = {needle: set() for needle in NEEDLES}
    loose = []
    for uri, html in shown.items():
        for node in text_nodes(html):
            if node.element in ("code", "script"):
                # Citations are source to copy (BibTeX, RIS, CSL-JSON), one field to a line:
                # an element inside would not change what is copied, and is left out. The
                # citation record (a JSON script element) is data the page reads, not shown.
                continue
            for needle in NEEDLES:
                if needle not in node.text:
                    continue
                seen[needle].add(uri)
                whole = node.text.strip() == needle and node.siblings == 1
                if not (whole and isolated(node)):
                    loose.append(f"{uri}: <{node.element} {node.attrs}> {node.text.strip()!r}")
    assert loose == [], "\n".join(loose)
    # The check looked where the text is: the paper pages, lists, related papers, author and
    # venue pages and their indexes, and the home page's latest additions.
    assert {"papers/arabic.md", "papers/latin.md", "papers/index.md"} <= seen[ARABIC_TITLE]
    assert "index.md (summary)" in seen[ARABIC_TITLE]
    assert any(uri.startswith("authors/") for uri in seen[ARABIC_AUTHOR])
    assert any(uri.startswith("venues/") for uri in seen[ARABIC_VENUE])
    assert "index.md (summary)" in seen[ARABIC_VENUE]


def test_right_to_left_blocks_take_their_direction_from_their_text() -> None:
    # A title or abstract in Arabic is laid out right to left (its first strong letter
    # decides), a Latin one left to right: `dir="auto"`, not a direction fixed by the page.
    shown = pages()
    nodes = text_nodes(shown["papers/arabic.md"])
    abstract = next(node for node in nodes if ARABIC_ABSTRACT in node.text)
    title = next(node for node in nodes if node.text.strip() == ARABIC_TITLE)
    assert (title.element, title.attrs.get("dir")) == ("h1", "auto")
    assert (abstract.element, abstract.attrs.get("dir")) == ("p", "auto")
    teasers = [n for n in text_nodes(shown["papers/index.md"]) if ARABIC_ABSTRACT in n.text]
    assert [n.attrs.get("dir") for n in teasers] == ["auto"]
