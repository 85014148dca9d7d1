"""Fetch papers from the arXiv API (Atom over HTTPS) and turn them into entry fields.

Only what arXiv says goes into an entry: title, authors, abstract, first-version date, the
journal reference as venue, and links made from the identifier. Nothing is guessed.
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import feedparser
from pydantic import TypeAdapter, ValidationError

from generator.model.entry import MAX_VENUE, ArxivId
from generator.model.paper import arxiv_base

API_URL = "https://export.arxiv.org/api/query"
"""The arXiv API endpoint; `CATALOGUE_ARXIV_API` overrides it (tests serve recorded answers)."""
API_URL_VARIABLE = "CATALOGUE_ARXIV_API"
MAX_IDS_PER_REQUEST = 50
"""arXiv asks for few, small requests; a pull request rarely adds more papers than this."""
MAX_RESPONSE_BYTES = 5 * 1024 * 1024
USER_AGENT = "paper-catalogue (catalogue {command}; +https://github.com/paper-catalogue)"
"""Who asks, as arXiv wants to know: the project and the command (`add` or `enrich`)."""
MAX_SEARCH_RESULTS = 10
"""A title search keeps this many answers: the paper itself ranks near the top if arXiv has it."""
_TRANSIENT_STATUSES = {429, 500, 502, 503, 504}

_ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
_ID_IN_PATH_RE = re.compile(
    r"^/(?:abs|pdf|html|format)/(?P<id>[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?|\d{4}\.\d{4,5}(?:v\d+)?)"
    r"(?:\.pdf)?/?$"
)
_ARXIV_ID: TypeAdapter[str] = TypeAdapter(ArxivId)
_ARXIV_DOI_RE = re.compile(r"^10\.48550/arxiv\.(?P<id>.+)$", re.IGNORECASE)


class ArxivError(Exception):
    """arXiv could not be asked, or its answer cannot be used; the message says what to do."""

    def __init__(self, message: str, *, transient: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.transient = transient
        """True when asking again later may succeed (a timeout, a busy or failing server)."""
        self.retry_after = retry_after
        """Seconds the server asked us to wait (its `Retry-After`), when it said."""


@dataclass(frozen=True)
class ArxivPaper:
    """One paper as the arXiv API describes it, with whitespace already tidied."""

    arxiv_id: str
    """The identifier as requested: version suffix only if the contributor gave one (a title
    search gives the identifier without a version)."""
    title: str
    abstract: str
    authors: list[str]
    published: str
    """Date of the first version, `YYYY-MM-DD`."""
    journal_ref: str | None = None
    doi: str | None = None
    comment: str | None = None
    notes: list[str] = field(default_factory=list)
    """What a person should know about fields that were left out."""
    version: str = ""
    """The latest version arXiv described (`v3`), from the identifier it answered with."""

    def entry_fields(self) -> dict[str, Any]:
        """The entry fields this paper provides (tags are added by the caller)."""
        links = {
            "arxiv": f"https://arxiv.org/abs/{self.arxiv_id}",
            "pdf": f"https://arxiv.org/pdf/{self.arxiv_id}",
        }
        if self.doi and not _ARXIV_DOI_RE.match(self.doi):
            links["doi"] = f"https://doi.org/{self.doi}"
        fields: dict[str, Any] = {
            "title": self.title,
            "authors": self.authors,
            "arxiv": self.arxiv_id,
            "date": self.published or None,
            "links": links,
            "abstract": self.abstract,
        }
        if self.journal_ref:
            fields["venue"] = self.journal_ref
        return fields


def parse_arxiv_reference(text: str) -> str | None:
    """An arXiv id from what a person pastes: `2312.11514`, `arXiv:2312.11514v2`, an arxiv.org
    abs/pdf/html URL, or the arXiv DOI `10.48550/arXiv.2312.11514`. None if it is none of them."""
    value = text.strip()
    if value.lower().startswith("arxiv:"):
        value = value[len("arxiv:") :].strip()
    doi = _ARXIV_DOI_RE.match(value.removeprefix("https://doi.org/"))
    if doi:
        value = doi.group("id")
    elif "://" in value or value.lower().startswith(tuple(_ARXIV_HOSTS)):
        value = _id_from_url(value) or ""
    try:
        return _ARXIV_ID.validate_python(value)  # the model's own rule for an identifier
    except ValidationError:
        return None


def _id_from_url(url: str) -> str | None:
    parts = urllib.parse.urlsplit(url if "://" in url else f"https://{url}")
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in _ARXIV_HOSTS:
        return None
    match = _ID_IN_PATH_RE.match(parts.path)
    return match.group("id") if match else None


def api_url() -> str:
    """The endpoint to ask: the real arXiv API unless `CATALOGUE_ARXIV_API` names another."""
    return os.environ.get(API_URL_VARIABLE) or API_URL


def fetch_arxiv_papers(
    ids: list[str], *, timeout: float = 30.0, command: str = "add"
) -> list[ArxivPaper]:
    """Ask the arXiv API for `ids` in one request; every id must come back."""
    if not ids:
        return []
    if len(ids) > MAX_IDS_PER_REQUEST:
        raise ArxivError(
            f"{len(ids)} arXiv ids at once is too many; add at most {MAX_IDS_PER_REQUEST} per run"
        )
    body = _download({"id_list": ",".join(ids), "max_results": len(ids)}, timeout, command)
    return parse_arxiv_feed(body, ids)


_COMMON_WORDS = frozenset(
    "a an and are as at be by for from in into is it its of on or the to via vs with".split()
)
_MAX_QUERY_WORDS = 12
"""Enough words to single a title out; more only make the request longer."""


def title_query(title: str) -> str:
    """The arXiv API's title search for `title`: every word of it, in any order (`ti:a AND ...`).

    A quoted phrase would be stricter, but arXiv's index splits TeX and punctuation its own way
    (`H$_2$O`, `Sub-1-Bit`), so a phrase can miss the very paper; the caller compares the titles
    that come back. Words with TeX in them and short common words are left out, since the index
    may drop or split them and one missing word would hide the paper."""
    words = []
    for raw in title.split():
        if any(ch in raw for ch in "$\\^_{}"):
            continue
        for word in re.findall(r"[^\W_]+", raw):
            if len(word) > 1 and word.lower() not in _COMMON_WORDS and word not in words:
                words.append(word)
    return " AND ".join(f"ti:{word}" for word in words[:_MAX_QUERY_WORDS])


def search_arxiv_titles(
    query: str, *, timeout: float = 30.0, max_results: int = MAX_SEARCH_RESULTS
) -> list[ArxivPaper]:
    """Papers arXiv's search finds for `query` (from `title_query`), best first; may be none."""
    if not query:
        return []
    params: dict[str, str | int] = {"search_query": query, "start": 0, "max_results": max_results}
    return parse_search_feed(_download(params, timeout, "enrich"))


def _download(params: dict[str, str | int], timeout: float, command: str) -> bytes:
    url = f"{api_url()}?{urllib.parse.urlencode(params)}"
    agent = USER_AGENT.format(command=command)
    request = urllib.request.Request(url, headers={"User-Agent": agent})
    where = urllib.parse.urlsplit(url).netloc
    advice = "check your connection and try again, or add the paper from BibTeX instead"
    if command != "add":
        advice = "check your connection and run the command again later"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        retry_after = _seconds(exc.headers.get("Retry-After"))
        exc.close()  # its body is not needed; an open one would leak the socket
        transient = exc.code in _TRANSIENT_STATUSES
        if exc.code in (429, 503):
            raise ArxivError(
                f"arXiv ({where}) asks us to slow down (HTTP {exc.code}); wait a minute and "
                "try again",
                transient=True,
                retry_after=retry_after,
            ) from None
        raise ArxivError(
            f"arXiv ({where}) answered HTTP {exc.code} {exc.reason}; {advice}", transient=transient
        ) from None
    except TimeoutError:
        raise ArxivError(
            f"arXiv ({where}) did not answer within {timeout:g} s; {advice}", transient=True
        ) from None
    except urllib.error.URLError as exc:
        reason = exc.reason.strerror if isinstance(exc.reason, OSError) else exc.reason
        raise ArxivError(
            f"cannot reach arXiv ({where}): {reason or exc}; {advice}", transient=True
        ) from None
    except OSError as exc:
        raise ArxivError(
            f"cannot reach arXiv ({where}): {exc.strerror or exc}; {advice}", transient=True
        ) from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise ArxivError(f"arXiv's answer is larger than {MAX_RESPONSE_BYTES:,} bytes; not used")
    return body


def _seconds(value: str | None) -> float | None:
    """A `Retry-After` given in seconds (the HTTP-date form is rare from APIs: not used)."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def parse_arxiv_feed(body: bytes, ids: list[str]) -> list[ArxivPaper]:
    """Papers for `ids` from an arXiv API answer, in the order asked; an id missing is an error."""
    found: dict[str, ArxivPaper] = {}
    for item in _feed_items(body):
        returned = _id_from_url(str(item.get("id", "")))
        if returned is None:
            continue
        asked = next((i for i in ids if arxiv_base(i) == arxiv_base(returned)), None)
        if asked is not None:
            found[arxiv_base(asked)] = _paper(item, asked, returned)
    missing = [i for i in ids if arxiv_base(i) not in found]
    if missing:
        raise ArxivError(
            "arXiv has no paper "
            + ", ".join(missing)
            + "; check the identifier (it looks like 2312.11514 or hep-th/9901001)"
        )
    return [found[arxiv_base(i)] for i in ids]


def parse_search_feed(body: bytes) -> list[ArxivPaper]:
    """Every paper of a search answer, in arXiv's order, each named without its version."""
    papers = []
    for item in _feed_items(body):
        returned = _id_from_url(str(item.get("id", "")))
        if returned is not None:
            papers.append(_paper(item, arxiv_base(returned), returned))
    return papers


def _feed_items(body: bytes) -> list[Any]:
    """The entries of an Atom answer; an answer that is no feed, or arXiv's error entry, raises."""
    feed = feedparser.parse(body)
    if feed.bozo or not str(feed.get("version", "")).startswith("atom"):
        text = body[:200].decode("utf-8", "replace").strip()
        if "rate exceeded" in text.lower():
            raise ArxivError(
                "arXiv asks us to slow down (rate exceeded); try again in a minute", transient=True
            )
        # A maintenance page or a proxy's error: arXiv itself may answer later.
        raise ArxivError(
            f"arXiv's answer is not an Atom feed (it begins {text[:60]!r})", transient=True
        )
    for item in feed.entries:
        if "/api/errors" in str(item.get("id", "")):
            raise ArxivError(f"arXiv refused the request: {_tidy(item.get('summary', ''))}")
    return list(feed.entries)


def _paper(item: Any, arxiv_id: str, returned: str) -> ArxivPaper:
    notes = []
    journal_ref = _tidy(item.get("arxiv_journal_ref", "")) or None
    if journal_ref and len(journal_ref) > MAX_VENUE:
        notes.append(f"arXiv's journal reference is too long for `venue`: {journal_ref[:80]}...")
        journal_ref = None
    published = str(item.get("published", ""))[:10]
    version = re.search(r"v\d+$", returned)
    return ArxivPaper(
        arxiv_id=arxiv_id,
        title=_tidy(item.get("title", "")),
        abstract=_tidy(item.get("summary", "")),
        authors=[_tidy(a.get("name", "")) for a in item.get("authors", []) if a.get("name")],
        published=published,
        journal_ref=journal_ref,
        doi=_tidy(item.get("arxiv_doi", "")) or None,
        comment=_tidy(item.get("arxiv_comment", "")) or None,
        notes=notes,
        version=version.group() if version else "",
    )


def _tidy(value: object) -> str:
    """arXiv wraps titles and abstracts at 80 columns; one space between words reads the same."""
    return " ".join(str(value).split())
