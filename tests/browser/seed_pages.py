"""Pages of the seed catalogue that the browser tests visit, by what makes each one worth a visit.

Paths are relative to the site root and made by the generator's own URL rules, so a change of
URL scheme moves the tests with it.
"""

from __future__ import annotations

from generator.render import urls


def paper(slug: str) -> str:
    """The path of a paper's page."""
    return urls.page_url(urls.paper_uri(slug))


def tag(tag_id: str) -> str:
    """The path of a tag's page."""
    return urls.page_url(urls.tag_uri(tag_id))


HOME = urls.page_url(urls.HOME_URI)
ALL_PAPERS = urls.page_url(urls.ALL_PAPERS_URI)
TAGS_OVERVIEW = urls.page_url(urls.TAGS_OVERVIEW_URI)
CONTRIBUTING = "contributing/"
MAP = urls.page_url("map/index.md")

ANGLE_BRACKETS_SLUG = "autol2s-auto-long-short-reasoning-for-efficient-large-language-models"
"""Its abstract names a special `<EASY>` token, which must show as text, not vanish as a tag."""
MATH_TITLE_SLUG = "h2o-heavy-hitter-oracle-for-efficient-generative-inference-of-large-language"
"""Its title is `H$_2$O: ...`: inline TeX rendered as MathML."""
LONG_WORDS_SLUG = "context-aware-decoding-reduces-hallucination-in-query-focused-summarization"
"""Its abstract holds the longest unbroken word of the seed (a 61-character URL)."""
SMALL_TAG = "kv-cache"
"""A tag with a handful of papers: short enough to screenshot whole."""


def label(path: str) -> str:
    """A short name of a page for test ids: `home`, `tags/kv-cache`, `papers/h2o-heavy-...`."""
    name = path.rstrip("/") or "home"
    return name if len(name) <= 30 else name[:27] + "..."
