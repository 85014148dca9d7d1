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
USER_AGENT = "paper-catalogue (catalogue add; +https://github.com/paper-catalogue)"

_ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
_ID_IN_PATH_RE = re.compile(
    r"^/(?:abs|pdf|html|format)/(?P<id>[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?|\d{4}\.\d{4,5}(?:v\d+)?)"
    r"(?:\.pdf)?/?$"
)
_ARXIV_ID: TypeAdapter[str] = TypeAdapter(ArxivId)
_ARXIV_DOI_RE = re.compile(r"^10\.48550/arxiv\.(?P<id>.+)$", re.IGNORECASE)


class ArxivError(Exception):
    """arXiv could not be asked, or its answer cannot be used; the message says what to do."""


@dataclass(frozen=True)
class ArxivPaper:
    """One paper as the arXiv API describes it, with whitespace already tidied."""

    arxiv_id: str
    """The identifier as requested: version suffix only if the contributor gave one."""
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


def fetch_arxiv_papers(ids: list[str], *, timeout: float = 30.0) -> list[ArxivPaper]:
    """Ask the arXiv API for `ids` in one request; every id must come back."""
    if not ids:
        return []
    if len(ids) > MAX_IDS_PER_REQUEST:
        raise ArxivError(
            f"{len(ids)} arXiv ids at once is too many; add at most {MAX_IDS_PER_REQUEST} per run"
        )
    body = _download(ids, timeout)
    return parse_arxiv_feed(body, ids)


def _download(ids: list[str], timeout: float) -> bytes:
    query = urllib.parse.urlencode({"id_list": ",".join(ids), "max_results": len(ids)})
    url = f"{api_url()}?{query}"
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    where = urllib.parse.urlsplit(url).netloc
    advice = "check your connection and try again, or add the paper from BibTeX instead"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()  # its body is not needed; an open one would leak the socket
        if exc.code in (429, 503):
            raise ArxivError(
                f"arXiv ({where}) asks us to slow down (HTTP {exc.code}); wait a minute and "
                "try again"
            ) from None
        raise ArxivError(
            f"arXiv ({where}) answered HTTP {exc.code} {exc.reason}; {advice}"
        ) from None
    except TimeoutError:
        raise ArxivError(f"arXiv ({where}) did not answer within {timeout:g} s; {advice}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason.strerror if isinstance(exc.reason, OSError) else exc.reason
        raise ArxivError(f"cannot reach arXiv ({where}): {reason or exc}; {advice}") from None
    except OSError as exc:
        raise ArxivError(f"cannot reach arXiv ({where}): {exc.strerror or exc}; {advice}") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise ArxivError(f"arXiv's answer is larger than {MAX_RESPONSE_BYTES:,} bytes; not used")
    return body


def parse_arxiv_feed(body: bytes, ids: list[str]) -> list[ArxivPaper]:
    """Papers for `ids` from an arXiv API answer, in the order asked; an id missing is an error."""
    feed = feedparser.parse(body)
    if feed.bozo or not str(feed.get("version", "")).startswith("atom"):
        text = body[:200].decode("utf-8", "replace").strip()
        if "rate exceeded" in text.lower():
            raise ArxivError("arXiv asks us to slow down (rate exceeded); try again in a minute")
        raise ArxivError(f"arXiv's answer is not an Atom feed (it begins {text[:60]!r})")
    found: dict[str, ArxivPaper] = {}
    for item in feed.entries:
        entry_id = str(item.get("id", ""))
        if "/api/errors" in entry_id:
            raise ArxivError(f"arXiv refused the request: {_tidy(item.get('summary', ''))}")
        paper = _paper(item, ids)
        if paper is not None:
            found[arxiv_base(paper.arxiv_id)] = paper
    missing = [i for i in ids if arxiv_base(i) not in found]
    if missing:
        raise ArxivError(
            "arXiv has no paper "
            + ", ".join(missing)
            + "; check the identifier (it looks like 2312.11514 or hep-th/9901001)"
        )
    return [found[arxiv_base(i)] for i in ids]


def _paper(item: Any, ids: list[str]) -> ArxivPaper | None:
    returned = _id_from_url(str(item.get("id", "")))
    if returned is None:
        return None
    asked = next((i for i in ids if arxiv_base(i) == arxiv_base(returned)), None)
    if asked is None:
        return None
    notes = []
    journal_ref = _tidy(item.get("arxiv_journal_ref", "")) or None
    if journal_ref and len(journal_ref) > MAX_VENUE:
        notes.append(f"arXiv's journal reference is too long for `venue`: {journal_ref[:80]}...")
        journal_ref = None
    published = str(item.get("published", ""))[:10]
    return ArxivPaper(
        arxiv_id=asked,
        title=_tidy(item.get("title", "")),
        abstract=_tidy(item.get("summary", "")),
        authors=[_tidy(a.get("name", "")) for a in item.get("authors", []) if a.get("name")],
        published=published,
        journal_ref=journal_ref,
        doi=_tidy(item.get("arxiv_doi", "")) or None,
        comment=_tidy(item.get("arxiv_comment", "")) or None,
        notes=notes,
    )


def _tidy(value: object) -> str:
    """arXiv wraps titles and abstracts at 80 columns; one space between words reads the same."""
    return " ".join(str(value).split())
