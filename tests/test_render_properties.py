"""Property tests: any text in any field is either rejected naming that field, or shown as
exactly that text, with no element outside the templates' allow-list.

Pages go through what a build does to them: MkDocs' front-matter reader, Python-Markdown with
the site's `markdown_extensions` from `mkdocs.yml`, and Material's search indexer. `$...$`
(math) and `\\%` (TeX escapes) are interpreted by design, so the exact-text properties use
text without `$` and `\\`; math gets its own property below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import markdown
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import Parser as MaterialSearchParser
from mkdocs.utils.meta import get_data
from pydantic import ValidationError

from generator import Entry, Paper, RenderSettings, Vocabulary, build_catalogue, load_vocabulary
from generator.model.confusables import INVISIBLE_RE
from generator.model.entry import _FORBIDDEN_RE
from generator.model.text import MARKUP_ATTRIBUTES, MARKUP_TAGS, teaser, to_html, to_plain
from generator.render.page import FRONT_MATTER_KEYS
from generator.render.pages import PageRenderer
from tests.hostile.page_text import PAPER_TEMPLATE_ELEMENTS, read_page, template_elements, visible

ROOT = Path(__file__).resolve().parent.parent
_VOCABULARY, _ = load_vocabulary(ROOT / "tags.yaml", "tags.yaml")
assert _VOCABULARY is not None
VOCABULARY: Vocabulary = _VOCABULARY

SEARCH_ELEMENTS = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}
"""The elements Material's search indexer keeps in a result's text."""

TOKENS = [
    "<", ">", "&", '"', "'", "`", "*", "_", "#", "[", "]", "(", ")", "{", "}", "|", "!", "-",
    "=", ":", ";", "/", "~", "^", "%", "@", "+", ".", "?", " ", "\n", "\n\n", "\t", "    ",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '" onmouseover="x', "'><b>",
    "</p>", "</article>", "<!--", "-->", "<![CDATA[", "]]>", "&lt;", "&amp;", "&#60;", "&#x3C;",
    "javascript:", "{{ 7*7 }}", "{% raw %}", "{#", "---", "...", "[TOC]", "--8<--", "!!! note",
    "{: .x }", "*[x]: y", "[^1]", "# ", "1. ", "> ", "| a |", "***", "![x](y)", "[x](y)",
    "<https://x.y>", "!ENV", "!!python/object", "&a", "*a", "? ", "\u00a0", "\u200b", "\ufeff",
    "\u0085", "\u2028", "\u202e", "\x00", "\x1b", "\r", "é", "日本", "🚀", "e\u0301",
]  # fmt: skip

_ANY = st.characters(exclude_characters="$\\")
any_text = st.lists(st.one_of(st.sampled_from(TOKENS), _ANY), max_size=40).map("".join)
"""Anything at all (but `$` and `\\`): much of it is rejected, the rest must show exactly."""

_ALLOWED_CHARACTERS = st.characters(
    exclude_characters="$\\", exclude_categories=("Cc", "Cs")
).filter(lambda ch: not _FORBIDDEN_RE.match(ch))
# One-line fields also refuse invisible characters standing where they have no visible job.
_VISIBLE_CHARACTERS = _ALLOWED_CHARACTERS.filter(lambda ch: not INVISIBLE_RE.match(ch))
_ONE_LINE_TOKENS = [
    t
    for t in TOKENS
    if not _FORBIDDEN_RE.search(t) and not INVISIBLE_RE.search(t) and not {"\n", "\t"} & set(t)
]
one_line_text = (
    st.lists(st.one_of(st.sampled_from(_ONE_LINE_TOKENS), _VISIBLE_CHARACTERS), max_size=40)
    .map("".join)
    .filter(str.strip)
)
"""Text every one-line field accepts."""
multi_line_text = (
    st.lists(
        st.one_of(
            st.sampled_from([*_ONE_LINE_TOKENS, "\n", "\n\n", "\t", "    ", "\u200b", "\ufeff"]),
            _ALLOWED_CHARACTERS,
        ),
        max_size=60,
    )
    .map("".join)
    .filter(str.strip)
)
"""Text an abstract accepts."""


def _markdown_converter() -> markdown.Markdown:
    """Python-Markdown with exactly the extensions `mkdocs.yml` enables."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    names: list[str] = []
    options: dict[str, Any] = {}
    for item in config.get("markdown_extensions", []):
        if isinstance(item, dict):
            (name, value), *_ = item.items()
            names.append(name)
            options[name] = value or {}
        else:
            names.append(item)
    return markdown.Markdown(extensions=names, extension_configs=options)


CONVERTER = _markdown_converter()


def _built_page(page: str) -> tuple[dict[str, Any], str]:
    """Front matter and HTML of a generated page, read the way `mkdocs build` reads them."""
    body, meta = get_data(page)
    CONVERTER.reset()
    return meta, CONVERTER.convert(body)


def _validated(fields: dict[str, Any]) -> Entry | None:
    """The entry, or None after checking that every error names a field that was given."""
    try:
        return Entry.model_validate(fields)
    except ValidationError as exc:
        assert {error["loc"][0] for error in exc.errors()} <= set(fields)
        event("rejected")
        return None


def _paper(entry: Entry) -> tuple[PageRenderer, Paper]:
    paper = Paper("p", "papers/p.yaml", entry, {})
    catalogue = build_catalogue([paper], VOCABULARY)
    return PageRenderer(catalogue, RenderSettings(edit_url_base="https://e.x/edit/")), paper


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=one_line_text,
    abstract=multi_line_text,
    authors=st.lists(one_line_text, max_size=3),
    venue=st.one_of(st.none(), one_line_text),
)
@example(title="<script>alert(1)</script>", abstract="a\n\n    b\n\n</p>", authors=[], venue=None)
@example(title="--- x", abstract="---\ntemplate: y\n---", authors=["{{ 7*7 }}"], venue="[TOC]")
@example(title="!ENV HOME", abstract="\ufeff&lt;\u00a0<!--", authors=["a\u200bb"], venue="'")
def test_any_accepted_text_shows_as_itself(
    title: str, abstract: str, authors: list[str], venue: str | None
) -> None:
    fields: dict[str, Any] = {"title": title, "abstract": abstract, "tags": ["llm"]}
    fields |= {"authors": authors} if authors else {}
    fields |= {"venue": venue} if venue is not None else {}
    entry = _validated(fields)
    if entry is not None:
        _assert_shown_exactly(entry)


@settings(max_examples=100, deadline=None)
@given(title=any_text, abstract=any_text, venue=any_text)
def test_any_text_is_rejected_naming_its_field_or_shown_as_itself(
    title: str, abstract: str, venue: str
) -> None:
    entry = _validated({"title": title, "abstract": abstract, "venue": venue, "tags": ["llm"]})
    if entry is not None:
        _assert_shown_exactly(entry)


def _assert_shown_exactly(entry: Entry) -> None:
    event("rendered")
    renderer, paper = _paper(entry)
    meta, html = _built_page(renderer.render_paper_page(paper))

    assert tuple(meta) == FRONT_MATTER_KEYS
    assert meta["title"] == entry.title
    assert meta["description"] == teaser(entry.abstract, 160)
    article = read_page(html, "article.catalogue-paper").regions
    assert len(article) == 1
    assert template_elements(html, article[0]) <= PAPER_TEMPLATE_ELEMENTS | {"article"}
    shown = {
        "h1.catalogue-paper__title": [visible(entry.title)],
        "p.catalogue-paper__abstract": [visible(entry.abstract)],
        "p.catalogue-paper__authors": [visible(", ".join(entry.authors))] if entry.authors else [],
        "span.catalogue-paper__venue": [visible(entry.venue)] if entry.venue else [],
    }
    for selector, expected in shown.items():
        assert [r.visible_text for r in read_page(html, selector).regions] == expected, selector

    # Material's search index keeps the text as HTML; shown in results, it must read the same.
    search = MaterialSearchParser()
    search.feed(html)
    search.close()
    indexed = "".join("".join(section.text) for section in search.data)
    result = read_page(f"<div>{indexed}</div>", "div").regions[0]
    assert set(result.elements) <= SEARCH_ELEMENTS
    assert visible(entry.abstract) in result.visible_text


@settings(max_examples=60, deadline=None)
@given(title=one_line_text, abstract=multi_line_text)
def test_lists_show_title_and_teaser_as_themselves(title: str, abstract: str) -> None:
    entry = _validated({"title": title, "abstract": abstract, "tags": ["llm"]})
    if entry is None:
        return
    renderer, _ = _paper(entry)
    meta, html = _built_page(renderer.render_tag_page(VOCABULARY["llm"]))
    assert tuple(meta) == FRONT_MATTER_KEYS
    # The title is the list item's link with `dir="auto"` and no class.
    links = read_page(html, "a").regions
    titles = [r for r in links if "class" not in r.attrs and r.attrs.get("dir") == "auto"]
    # The teaser is the list item's span without a class (the chips' span has one).
    spans = read_page(html, "span").regions
    teasers = [r for r in spans if "class" not in r.attrs and r.attrs.get("dir") == "auto"]
    assert [region.visible_text for region in titles] == [visible(entry.title)]
    assert [region.visible_text for region in teasers] == [visible(teaser(entry.abstract))]
    page = read_page(html, "div.catalogue-tag-page").regions[0]
    assert set(page.elements) <= {"h1", "p", "a", "ul", "li", "span"}


math_text = st.lists(
    st.one_of(st.sampled_from(["$", "\\", "{", "}", "_", "^", "\\href", "\\text", "\\style"]),
              st.sampled_from(TOKENS), st.characters()),
    max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(value=math_text)
@example(value="$\\href{javascript:alert(1)}{x}$ $\\text{<img src=x onerror=alert(1)>}$")
@example(value="$\\mathrm{</math><img src=x onerror=alert(1)>}$")
def test_math_becomes_sanitised_mathml_only(value: str) -> None:
    region = read_page(f"<div>{to_html(value)}</div>", "div").regions[0]
    assert set(region.elements) <= MARKUP_TAGS
    allowed = set().union(*MARKUP_ATTRIBUTES.values())
    attributes = _attributes(str(to_html(value)))
    assert attributes <= allowed, attributes - allowed


def _attributes(html: str) -> set[str]:
    from html.parser import HTMLParser

    found: set[str] = set()

    class Attributes(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.update(name for name, _ in attrs)

    parser = Attributes()
    parser.feed(html)
    parser.close()
    return found


def test_tex_escapes_and_formulas_are_interpreted() -> None:
    assert to_plain("34.7\\% at \\$5, \\eg fast") == "34.7% at $5, e.g. fast"
    assert to_plain("H$_2$O and MoE$^2$") == "H₂O and MoE²"
    assert str(to_html("a \\& b")) == "a &amp; b"
    assert str(to_html("H$_2$O")) == 'H<sub class="catalogue-script">2</sub>O'
    assert "<msub>" in str(to_html("$x_2$"))
    # An unknown macro and an unmatched dollar are shown as written.
    assert to_plain("\\unknown $5 only") == "\\unknown $5 only"
