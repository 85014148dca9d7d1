"""The one model of a catalogue entry: `papers/<slug>.yaml`, documented field by field.

Validation, the JSON Schema for editors and the page that documents the fields all come from
`Entry`. Text fields are plain text with inline TeX (`H$_2$O`, `34.7\\%`), never Markdown or
HTML: see `generator.model.text` for how they are shown.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from generator.model.arxiv_ids import NEW_STYLE_RE, OLD_STYLE_RE, arxiv_problem
from generator.model.confusables import (
    BIDI_MARKS,
    INVISIBLE_RE,
    describe,
    misplaced_invisible,
    shows_nothing,
)
from generator.model.web_address import url_problem

MAX_TITLE = 300
MAX_ABSTRACT = 6000
MAX_AUTHORS = 200
MAX_NAME = 200
MAX_TAGS = 8
MAX_LINKS = 12
MAX_URL = 2000
MAX_VENUE = 200

MAX_FORMER_SLUGS = 20

# Every pattern is matched whole (`fullmatch`: a `$` would also match before a final newline)
# and ASCII-only (`\d` would otherwise accept Arabic-Indic and other Unicode digits).
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)
"""An entry's file name without `.yaml`: lowercase letters, digits and single hyphens."""
MAX_SLUG = 80
RESERVED_SLUGS = frozenset({"index", "newest", "published"})
"""Slugs whose page would replace a generated one (`papers/index.md` is the list of papers;
`papers/newest/` and `papers/published/` are it in other orders: `enrich.orders`)."""

DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
LINK_LABEL_RE = re.compile(r"[a-z][a-z0-9-]{0,29}", re.ASCII)
# Characters no published text needs and that break or disguise output: C0/C1 controls (tab
# and newline are handled per field), lone surrogates, Unicode non-characters, line/paragraph
# separators (which end a JavaScript string), the bidirectional overrides of "Trojan
# source" that make text read differently from what it is, and the tag characters that spell
# hidden ASCII text after a visible one.
_FORBIDDEN_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\u2028\u2029\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]"
)
# The non-characters at the end of planes 1-16 (U+1FFFE...U+10FFFF) are found by their code
# point: as sixty-odd literals in the class above they made it ten times slower.
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


def _forbidden(value: str) -> re.Match[str] | None:
    """The first character of `value` that no text needs (see `_FORBIDDEN_RE`)."""
    found = _FORBIDDEN_RE.search(value)
    if found is None and value and max(value) > "\uffff":
        found = next((m for m in _ASTRAL_RE.finditer(value) if ord(m[0]) & 0xFFFE == 0xFFFE), None)
    return found


def slug_problem(slug: str, example: str = "llm-in-a-flash") -> str | None:
    """Why `slug` cannot name an entry (its file name or a former one), or None when it can."""
    if not SLUG_RE.fullmatch(slug):
        return (
            f"{slug!r} may contain only lowercase letters, digits and single hyphens "
            f"(like `{example}`)"
        )
    if len(slug) > MAX_SLUG:
        return f"is {len(slug)} characters; shorten it to at most {MAX_SLUG}"
    if slug in RESERVED_SLUGS:
        return f"{slug!r} is reserved for a generated page; choose another name"
    return None


def _slug(value: str) -> str:
    problem = slug_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# What editors check while typing (JSON Schema, ECMA-262 regexes). The validators below stay the
# authority; these only mirror them so a mistake shows before `catalogue check` runs.
_ARXIV_HINT = {"pattern": f"^(?:{NEW_STYLE_RE.pattern}|{OLD_STYLE_RE.pattern})$"}
_DATE_HINT = {"pattern": f"^{DATE_RE.pattern}$"}
_DAY_HINT = {"pattern": f"^{DAY_RE.pattern}$"}
_URL_HINT = {"pattern": "^[hH][tT][tT][pP][sS]?://[^\\s]+$"}


def _no_control_characters(value: str) -> str:
    found = _forbidden(value)
    if found:
        raise ValueError(
            f"contains the invisible or control character {describe(found.group())} "
            f"at position {found.start() + 1}; remove it"
        )
    return value


def _shows_something(value: str) -> str:
    if value and shows_nothing(value):
        hidden = next((ch for ch in value if INVISIBLE_RE.match(ch)), None)
        if hidden is None:  # spaces only, where the field keeps them
            raise ValueError("is empty; give a value or remove the line")
        raise ValueError(
            f"shows nothing: it holds only invisible characters such as {describe(hidden)}; "
            "write the text itself"
        )
    return value


def _text(value: str) -> str:
    """Long text (an abstract): no control characters, and something a reader can see. Its
    invisible characters stay: an abstract copied from a PDF has soft hyphens, and a
    right-to-left abstract may need direction marks inside its own paragraph."""
    return _shows_something(_no_control_characters(value))


def _one_line(value: str) -> str:
    """A title, name or venue: one line, and no invisible character without a visible job.
    Such characters would make two identical-looking names two authors and two identical-looking
    titles two papers; direction marks would move the text next to them in lists and feeds."""
    _no_control_characters(value)
    if "\n" in value or "\t" in value:
        raise ValueError("must be on one line")
    _shows_something(value)
    index = misplaced_invisible(value)
    if index is not None:
        ch = value[index]
        what = "direction mark" if ch in BIDI_MARKS else "invisible character"
        raise ValueError(f"contains the {what} {describe(ch)} at position {index + 1}; remove it")
    return value


def _arxiv(value: str) -> str:
    problem = arxiv_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _date(value: str) -> str:
    match = DATE_RE.fullmatch(value)
    if not match:
        raise ValueError(f"{value!r} is not a date; write '2024-05-17', '2024-05' or '2024'")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None
    return value


def _day(value: str) -> str:
    if not DAY_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a full date; write it like '2026-11-29'")
    return _date(value)


def _http_url(value: str) -> str:
    problem = url_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
OneLineText = Annotated[str, AfterValidator(_one_line)]
"""One line a reader sees (a title, a name, a tag's name): the checks of `_one_line`."""
Title = Annotated[Text, Field(max_length=MAX_TITLE), AfterValidator(_one_line)]
Abstract = Annotated[Text, Field(max_length=MAX_ABSTRACT), AfterValidator(_text)]
Name = Annotated[Text, Field(max_length=MAX_NAME), AfterValidator(_one_line)]
ArxivId = Annotated[Text, AfterValidator(_arxiv), Field(json_schema_extra=_ARXIV_HINT)]
PartialDate = Annotated[Text, AfterValidator(_date), Field(json_schema_extra=_DATE_HINT)]
Day = Annotated[Text, AfterValidator(_day), Field(json_schema_extra=_DAY_HINT)]
Url = Annotated[
    Text, Field(max_length=MAX_URL, json_schema_extra=_URL_HINT), AfterValidator(_http_url)
]
LinkLabel = Annotated[str, StringConstraints(pattern=f"^{LINK_LABEL_RE.pattern}$")]
TagId = Annotated[Text, Field(max_length=60), AfterValidator(_one_line)]
Slug = Annotated[
    str,
    StringConstraints(pattern=f"^{SLUG_RE.pattern}$", max_length=MAX_SLUG),
    AfterValidator(_slug),
]


class Entry(BaseModel):
    """One paper in the catalogue, as a contributor writes it in `papers/<slug>.yaml`.

    The file name is the paper's slug and URL: `papers/llm-in-a-flash.yaml` becomes
    `/papers/llm-in-a-flash/`. Only `title`, `abstract` and `tags` are required; leave out what
    you do not know rather than guessing.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Title = Field(
        description="The paper's title exactly as published: plain text, inline TeX allowed.",
        examples=["H$_2$O: Heavy-Hitter Oracle for Efficient Generative Inference"],
    )
    abstract: Abstract = Field(
        description="The abstract exactly as published: plain text with inline TeX "
        "(`$...$` for math, `\\%` for a percent sign). Not Markdown, not HTML.",
        examples=["We reduce the KV cache by 34.7\\% ..."],
    )
    authors: list[Name] = Field(
        default_factory=list,
        max_length=MAX_AUTHORS,
        description="Author names in the paper's order, each as printed on the paper.",
        examples=[["Keivan Alizadeh", "Iman Mirzadeh"]],
    )
    arxiv: ArxivId | None = Field(
        default=None,
        description="The arXiv identifier, quoted: new style '2312.11514' or old style "
        "'hep-th/9901001' (or 'math.AG/0101001'). A version suffix ('v2') is allowed.",
        examples=["2312.11514"],
    )
    date: PartialDate | None = Field(
        default=None,
        description="When the paper was published: '2024-05-17', or '2024-05' or '2024' when "
        "that is all that is known.",
        examples=["2023-12-12"],
    )
    venue: Annotated[Name, Field(max_length=MAX_VENUE)] | None = Field(
        default=None,
        description="Where the paper appeared (conference, journal, workshop).",
        examples=["ACL 2024"],
    )
    added: Day | None = Field(
        default=None,
        description="The day the entry joined this catalogue (not the paper's publication "
        "date), quoted: '2026-11-29'. Feeds list the newest entries by it; `catalogue add` "
        "fills it in. An entry without it is left out of the feeds.",
        examples=["2026-11-29"],
    )
    tags: list[TagId] = Field(
        min_length=1,
        max_length=MAX_TAGS,
        description="Tag ids from the vocabulary in `tags.yaml`: what the paper does and "
        "what kind of model it is about. At least one.",
        examples=[["kv-cache", "llm"]],
    )
    links: dict[LinkLabel, Url] = Field(
        default_factory=dict,
        max_length=MAX_LINKS,
        json_schema_extra={"additionalProperties": False},
        description="Web links by label (`pdf`, `code`, `project`, `huggingface`, ...), each "
        "a full https:// address.",
        examples=[{"code": "https://github.com/FMInference/H2O"}],
    )
    former_slugs: list[Slug] = Field(
        default_factory=list,
        max_length=MAX_FORMER_SLUGS,
        description="Earlier file names of this entry (without `.yaml`), after a rename: "
        "each old address `/papers/<former-slug>/` keeps working as a redirect to this page.",
        examples=[["h2o-heavy-hitter-oracle"]],
    )

    @property
    def year(self) -> str | None:
        """The year of `date`, when known."""
        return self.date[:4] if self.date else None
