"""Checks of the reader features that hold for any built catalogue (seed, fixture, synthetic).

Each check reads the built site with a real parser (`tests.parsed_output`) and compares what
it finds with the catalogue's entries, loaded by the generator itself.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema

from generator.enrich.catalogue import Catalogue
from generator.enrich.citations import family_name
from generator.model import text
from generator.model.escaping import bibtex_url
from generator.model.paper import Paper
from generator.render import urls
from generator.render.exports.atom import FEED_SIZE
from generator.render.exports.citation_record import citation_record
from generator.render.exports.csl_json import csl_file
from generator.render.exports.ris import ris_record
from generator.render.links import arxiv_abs_url, arxiv_pdf_url, primary_url
from tests.parsed_output import (
    check_csl_item,
    decoded,
    entry_json,
    naive_csv_cells,
    parse_anchors,
    parse_bibtex,
    parse_csv,
    parse_feed,
    parse_head,
    parse_ris,
    resolve,
    shown_text,
    starts_a_formula,
    undefuse,
)


def page_file(site: Path, uri: str) -> Path:
    return site / urls.page_url(uri) / "index.html" if uri != "index.md" else site / "index.html"


def tag_names(catalogue: Catalogue, paper: Paper) -> list[str]:
    return [catalogue.vocabulary[t].name for t in paper.entry.tags]


class _CodeBlocks(HTMLParser):
    """The text of each `<pre class="catalogue-cite__text"><code>` of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._in_pre = False
        self._in_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre" and "catalogue-cite__text" in (dict(attrs).get("class") or ""):
            self._in_pre = True
        elif tag == "code" and self._in_pre:
            self._in_code = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._in_code = False
        elif tag == "pre":
            self._in_pre = False

    def handle_data(self, data: str) -> None:
        if self._in_code:
            self.blocks[-1] += data


def cite_blocks(html: str) -> list[str]:
    """The text of each code block of a page (its citations)."""
    return list(_cite_blocks(html))


@functools.lru_cache(maxsize=512)
def _cite_blocks(html: str) -> tuple[str, ...]:
    # Keyed by the page's text: a paper's page is read once for its own checks and again for
    # each list its BibTeX is part of (the catalogue's, every tag's).
    parser = _CodeBlocks()
    parser.feed(html)
    return tuple(parser.blocks)


def citation_record_of(html: str) -> dict[str, Any]:
    """The citation record of a paper page (`exports.citation_record`), as `JSON.parse` in
    the page reads it: the content of its one JSON script element, up to the first `</script`
    (where the HTML parser ends it)."""
    (body,) = re.findall(
        r'<script type="application/json" class="catalogue-cite__record">(.*?)</script',
        html,
        re.I | re.S,
    )
    record: dict[str, Any] = json.loads(body)
    return record


def cite_bib(site: Path, paper: Paper) -> str:
    """A paper's BibTeX, as its page shows it (and its download saves it)."""
    page = (site / urls.page_url(urls.paper_uri(paper.slug)) / "index.html").read_text("utf-8")
    return cite_blocks(page)[0]


def check_bibtex_entry(catalogue: Catalogue, paper: Paper, source: str) -> None:
    """The one entry of a cite.bib matches the paper's entry field by field."""
    (bib,) = parse_bibtex(source)
    entry = paper.entry
    assert bib.key == catalogue.citation_keys[paper.slug]
    assert decoded(bib.fields["title"]) == shown_text(entry.title)
    assert [decoded(name) for name in bib.authors] == [
        shown_text(a, math=False) for a in entry.authors
    ]
    assert bib.fields.get("year") == entry.year
    assert bib.fields.get("eprint") == entry.arxiv
    url = primary_url(entry)
    # Characters `\url` could misread are percent-encoded: the same address to a server.
    assert bib.raw.get("url") == (bibtex_url(url) if url else None)
    assert unquote(bib.raw.get("url", "")) == unquote(url or "")
    assert bib.fields["keywords"] == ", ".join(tag_names(catalogue, paper))
    venue = bib.fields.get("journal") or bib.fields.get("booktitle")
    assert (decoded(venue) if venue else None) == (shown_text(entry.venue) if entry.venue else None)
    assert bib.entry_type in ("article", "inproceedings", "misc")


RIS_AND_CSL_TYPES = {"JOUR": "article-journal", "CPAPER": "paper-conference", "UNPB": "article"}
"""The same kind of paper in RIS and in CSL-JSON."""


def ris_line(value: str) -> str:
    """A value as one RIS line: line breaks and the spaces around them as one space."""
    return re.sub("[ \t\n\r\u2028\u2029]+", " ", value).strip()


def check_ris_record(catalogue: Catalogue, paper: Paper, source: str) -> None:
    (record,) = parse_ris(source)
    entry = paper.entry
    assert record["id"] == catalogue.citation_keys[paper.slug]
    assert record["title"] == ris_line(text.to_plain(entry.title))
    assert record.get("authors", []) == [ris_line(a) for a in entry.authors]
    assert record.get("year") == entry.year
    assert record["keywords"] == tag_names(catalogue, paper)
    assert record["type_of_reference"] in RIS_AND_CSL_TYPES
    if entry.venue:
        assert record["secondary_title"] == ris_line(entry.venue)
    if primary_url(entry):
        assert record["urls"] == [primary_url(entry)]


def check_csl(catalogue: Catalogue, paper: Paper, source: str) -> None:
    (item,) = json.loads(source)
    check_csl_item(item)
    entry = paper.entry
    assert item["id"] == catalogue.citation_keys[paper.slug]
    assert item["title"] == text.to_plain(entry.title)
    names = item.get("author", [])
    assert len(names) == len(entry.authors)
    for name, written in zip(names, entry.authors, strict=True):
        assert name.get("literal") == written or name["family"] == family_name(written)
    if entry.date:
        assert item["issued"]["date-parts"] == [[int(p) for p in entry.date.split("-")]]
    assert item["keyword"] == ", ".join(tag_names(catalogue, paper))


def check_paper_page(site: Path, catalogue: Catalogue, paper: Paper, site_url: str) -> None:
    """Head meta tags, citation blocks = their downloads, related papers and link buttons."""
    page = page_file(site, urls.paper_uri(paper.slug))
    html = page.read_text(encoding="utf-8")
    entry = paper.entry
    head = parse_head(html)
    assert head.named("citation_title") == [text.to_plain(entry.title)]
    assert head.named("citation_author") == list(entry.authors)
    assert head.named("og:title") == [text.to_plain(entry.title)]
    assert head.named("og:type") == ["article"]
    # The abstract's first words, up to about what a search engine shows, for both.
    (description,) = head.named("og:description")
    assert head.named("description") == [description]
    assert len(description) <= 161 and description == text.teaser(entry.abstract, 160)
    assert head.named("og:url") == [f"{site_url}papers/{paper.slug}/"]
    expected_date = [entry.date.replace("-", "/")] if entry.date else []
    assert head.named("citation_publication_date") == expected_date
    assert head.named("citation_arxiv_id") == ([entry.arxiv] if entry.arxiv else [])
    # The entry's own PDF link, else the one its arXiv id gives.
    pdf = entry.links.get("pdf") or (arxiv_pdf_url(entry.arxiv) if entry.arxiv else None)
    assert head.named("citation_pdf_url") == ([pdf] if pdf else [])
    feeds = head.feeds()
    assert feeds and resolve(site, page, feeds[0]["href"]) == site / "feed.xml"

    anchors = parse_anchors(html)
    downloads = [a for a in anchors if a.get("class") == "catalogue-cite__download"]
    blocks = cite_blocks(html)
    # Only the BibTeX's block is in the page: the RIS and CSL-JSON ones are written by the
    # page's script, from the citation record, byte for byte as these exporters write them
    # (tests/browser/test_copy_citation.py), so no file is beside the page.
    assert len(downloads) == len(blocks) == 1
    assert html.count('class="catalogue-cite copy"') == 1
    # No download has an address until the page's script gives it one.
    assert "href" not in downloads[0]
    key, vocabulary = catalogue.citation_keys[paper.slug], catalogue.vocabulary
    assert citation_record_of(html) == citation_record(paper, key, vocabulary)
    contents = [blocks[0], ris_record(paper, key, vocabulary), csl_file(paper, key, vocabulary)]
    for check, content in zip(
        (check_bibtex_entry, check_ris_record, check_csl), contents, strict=True
    ):
        check(catalogue, paper, content)
    assert not any((page.parent / name).exists() for name in ("cite.bib", "cite.ris", "cite.json"))
    (ris,) = parse_ris(contents[1])
    (csl,) = json.loads(contents[2])
    assert RIS_AND_CSL_TYPES[ris["type_of_reference"]] == csl["type"]

    # The related papers' titles are the links of their list, when there is one.
    _, found, related_list = html.partition('<ul class="catalogue-related"')
    related = parse_anchors(related_list[: related_list.index("</ul>")]) if found else []
    expected = [r.slug for r in catalogue.related[paper.slug]]
    assert len(related) == len(expected) <= 5
    targets = [resolve(site, page, a["href"]).parent.name for a in related]
    assert targets == expected and paper.slug not in targets

    buttons = {a["href"] for a in anchors if "catalogue-links__button" in a.get("class", "")}
    assert set(entry.links.values()) <= buttons
    if entry.arxiv and pdf:
        assert {arxiv_abs_url(entry.arxiv), pdf} <= buttons


def check_catalogue_exports(site: Path, catalogue: Catalogue, site_url: str) -> None:
    """catalogue.json (valid against its schema), catalogue.bib and catalogue.csv."""
    papers = catalogue.papers
    keys = catalogue.citation_keys
    assert len(set(keys.values())) == len(papers)

    schema = json.loads((site / "catalogue.schema.json").read_text(encoding="utf-8"))
    data = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["count"] == len(papers) == len(data["papers"])
    for item, paper in zip(data["papers"], papers, strict=True):
        assert item["slug"] == paper.slug
        assert item["citation_key"] == keys[paper.slug]
        assert item["url"] == f"{site_url}papers/{paper.slug}/"
        assert item["entry"] == entry_json(paper.entry)

    catalogue_bib = (site / "catalogue.bib").read_text(encoding="utf-8")
    bib = parse_bibtex(catalogue_bib)
    assert [b.key for b in bib] == [keys[p.slug] for p in papers]
    # One function writes every BibTeX entry: catalogue.bib is the papers' cite.bib files.
    assert catalogue_bib == "\n".join(cite_bib(site, p) for p in papers)

    csv_text = (site / "catalogue.csv").read_bytes().decode("utf-8")  # CR LF kept
    # Every cell quoted; in no locale does a spreadsheet see a cell that starts a formula:
    # split naively at `,`, `;` or tab, or parsed with `;` or tab as the delimiter.
    quoted = io.StringIO()
    writer = csv.writer(quoted, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerows(csv.reader(io.StringIO(csv_text, newline="")))
    assert quoted.getvalue() == csv_text
    for separator in (",", ";", "\t"):
        cells = naive_csv_cells(csv_text, separator)
        parsed = csv.reader(io.StringIO(csv_text), delimiter=separator)
        cells += [cell for row in parsed for cell in row]
        assert [c for c in cells if starts_a_formula(c)] == []
    rows = parse_csv(csv_text)
    assert len(rows) == len(papers)
    for row, paper in zip(rows, papers, strict=True):
        cells = {column: undefuse(value) for column, value in row.items()}
        entry = paper.entry
        assert cells["slug"] == paper.slug
        assert cells["title"] == entry.title
        assert cells["abstract"] == entry.abstract
        assert cells["authors"] == "; ".join(entry.authors)
        assert cells["tags"] == "; ".join(entry.tags)
        assert cells["date"] == (entry.date or "")
        assert cells["venue"] == (entry.venue or "")
        assert cells["arxiv"] == (entry.arxiv or "")
        assert cells["added"] == (entry.added or "")
        links = dict(part.split("=", 1) for part in cells["links"].split())
        assert links == entry.links

    home = site / "index.html"
    anchors = parse_anchors(home.read_text(encoding="utf-8"))
    targets = {
        a["class"]: resolve(site, home, a["href"])
        for a in anchors
        if a.get("class", "").startswith("catalogue-downloads__")
    }
    assert targets == {
        "catalogue-downloads__json": site / "catalogue.json",
        "catalogue-downloads__schema": site / "catalogue.schema.json",
        "catalogue-downloads__bibtex": site / "catalogue.bib",
        "catalogue-downloads__csv": site / "catalogue.csv",
        "catalogue-downloads__feed": site / "feed.xml",
    }


def check_feeds(site: Path, catalogue: Catalogue, site_url: str) -> None:
    """The catalogue's feed and every tag's: valid Atom, newest entries, stable ids."""
    by_url = {f"{site_url}papers/{p.slug}/": p for p in catalogue.papers}
    home_feed = parse_feed((site / "feed.xml").read_bytes())
    dated = [p for p in catalogue.papers if p.entry.added]
    _check_feed_entries(home_feed, by_url, dated)
    for tag in catalogue.used_tags:
        page = page_file(site, urls.tag_uri(tag.id))
        html = page.read_text(encoding="utf-8")
        feeds = parse_head(html).feeds()
        assert [resolve(site, page, f["href"]) for f in feeds] == [
            site / "feed.xml",
            site / urls.tag_feed(tag.id),
        ]
        # The title holds the tag's name as text, whatever characters it has ("&" in fixtures).
        assert feeds[1]["title"].endswith(f": newest papers tagged {tag.name}")
        feed = parse_feed((site / urls.tag_feed(tag.id)).read_bytes())
        tagged = [p for p in catalogue.tag_index.papers(tag.id) if p.entry.added]
        _check_feed_entries(feed, by_url, tagged)
        assert feed.feed.link == f"{site_url}tags/{tag.id}/"

        anchors = parse_anchors(html)
        (bib_link,) = [a for a in anchors if a.get("class") == "catalogue-tag-page__bibtex"]
        tag_bib = resolve(site, page, bib_link["href"]).read_text(encoding="utf-8")
        tagged_papers = catalogue.tag_index.papers(tag.id)
        assert [b.key for b in parse_bibtex(tag_bib)] == [
            catalogue.citation_keys[p.slug] for p in tagged_papers
        ]
        assert tag_bib == "\n".join(cite_bib(site, p) for p in tagged_papers)


def _check_feed_entries(feed: object, by_url: dict[str, Paper], dated: list[Paper]) -> None:
    entries = feed.entries  # type: ignore[attr-defined]
    assert len(entries) == min(FEED_SIZE, len(dated))
    days = [e.published for e in entries]
    assert days == sorted(days, reverse=True)  # newest first
    assert len({e.id for e in entries}) == len(entries)
    newest_day = max((p.entry.added or "" for p in dated), default="")
    for item in entries:
        paper = by_url[item.link]
        assert paper in dated
        assert item.id.startswith("tag:") and item.id.endswith(f":papers/{paper.slug}")
        assert item.title == text.to_plain(paper.entry.title)
        assert item.summary == text.to_plain(paper.entry.abstract)
        assert item.published.startswith(paper.entry.added or "")
        assert [t.term for t in item.tags] == list(paper.entry.tags)
        assert [a.name for a in item.get("authors", [])] == list(paper.entry.authors)
    if entries:
        assert entries[0].published.startswith(newest_day)


def check_reader_features(site: Path, catalogue: Catalogue, site_url: str) -> None:
    """Every check above, for every paper of the catalogue."""
    for paper in catalogue.papers:
        check_paper_page(site, catalogue, paper, site_url)
    check_catalogue_exports(site, catalogue, site_url)
    check_feeds(site, catalogue, site_url)
    for page in (site / "index.html", site / "about" / "index.html"):
        feeds = parse_head(page.read_text(encoding="utf-8")).feeds()
        assert [resolve(site, page, f["href"]) for f in feeds] == [site / "feed.xml"]
