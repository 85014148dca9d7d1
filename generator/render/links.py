"""Enrich: the links a paper page shows as buttons, known ones first and in a fixed order."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.entry import Entry

# Labels readers know, in the order the buttons show; other labels follow in entry order.
KNOWN_LINKS = {
    "arxiv": "arXiv",
    "pdf": "PDF",
    "paper": "Paper",
    "code": "Code",
    "project": "Project page",
    "huggingface": "Hugging Face",
    "doi": "DOI",
    "video": "Video",
    "slides": "Slides",
    "blog": "Blog post",
    "data": "Data",
    "demo": "Demo",
}


@dataclass(frozen=True)
class PaperLink:
    """One link button."""

    kind: str
    """The entry's label (`code`), or `arxiv`/`pdf` when made from the arXiv id."""
    label: str
    url: str


def arxiv_abs_url(identifier: str) -> str:
    """The abstract page of an arXiv paper."""
    return f"https://arxiv.org/abs/{identifier}"


def arxiv_pdf_url(identifier: str) -> str:
    """The PDF of an arXiv paper."""
    return f"https://arxiv.org/pdf/{identifier}"


def paper_links(entry: Entry) -> list[PaperLink]:
    """Every link of a paper: the entry's own, plus abstract and PDF from its arXiv id."""
    urls = dict(entry.links)
    if entry.arxiv:
        # An entry's own link wins: it may point at a specific version or a mirror.
        urls.setdefault("arxiv", arxiv_abs_url(entry.arxiv))
        urls.setdefault("pdf", arxiv_pdf_url(entry.arxiv))
    ordered = [kind for kind in KNOWN_LINKS if kind in urls]
    ordered += [kind for kind in entry.links if kind not in KNOWN_LINKS]
    return [PaperLink(kind, KNOWN_LINKS.get(kind, kind), urls[kind]) for kind in ordered]


def pdf_url(entry: Entry) -> str | None:
    """Where the paper's PDF is, when known."""
    return next((link.url for link in paper_links(entry) if link.kind == "pdf"), None)


def primary_url(entry: Entry) -> str | None:
    """The one address a citation gives: the arXiv abstract, else a DOI, project or PDF link."""
    if entry.arxiv:
        return arxiv_abs_url(entry.arxiv)
    for kind in ("doi", "project", "pdf"):
        if kind in entry.links:
            return entry.links[kind]
    return None
