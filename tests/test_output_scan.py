# ruff: noqa: E501 - the samples are whole documents and read best on one line each
"""The output scanner finds entry markup in every format it reads, and passes escaped text.

`test_hostile_corpus` relies on the scanner finding nothing in the built site; these tests
show that it would find something if the escaping were missing.
"""

from __future__ import annotations

import gzip
import json

import pytest

from tests.hostile.output_scan import MARKER, scan_bytes

M = MARKER
ALERT = f"alert('{M}')"

LIVE = [
    ("page.html", f"<p><img src=x onerror={ALERT}></p>"),
    ("page.html", f"<p><script>{ALERT}</script></p>"),
    ("page.html", f'<title>x</title><script>{ALERT}</script><meta content="">'),
    ("page.html", f'<a href="#" data-{M}="1">x</a>'),
    ("page.html", f"<{M}>x</{M}>"),
    ("page.html", f'<a href=" java\tscript:{ALERT}">x</a>'),
    ("page.html", '<a href="&#106;avascript:alert(1)">x</a>'),
    ("page.html", f'<svg><a xlink:href="javascript:{ALERT}">x</a></svg>'),
    ("page.html", '<iframe src="https://example.org/"></iframe>'),
    ("page.html", f'<meta http-equiv="refresh" content="0;url=javascript:{ALERT}">'),
    ("page.html", f'<script type="application/ld+json">{{"a": "</script><b>{M}"}}</script>'),
    ("page.html", f"<style>body {{ background: url({M}) }}</style>"),
    ("page.html", f'<p style="x:{M}">x</p>'),
    ("page.html", f"<p>unclosed <script>{ALERT}"),
    ("feed.xml", f"<feed><entry><{M}/></entry></feed>"),
    ("feed.xml", "<feed><entry><title>unclosed</entry></feed>"),
    (
        "feed.xml",
        f'<feed xmlns="http://www.w3.org/2005/Atom"><content type="html">&lt;img src=x onerror={ALERT}&gt;</content></feed>',
    ),
    (
        "feed.xml",
        f"<rss><channel><item><description>&lt;script&gt;{ALERT}&lt;/script&gt;</description></item></channel></rss>",
    ),
    (
        "feed.xml",
        f'<feed xmlns="http://www.w3.org/2005/Atom"><link href="javascript:{ALERT}"/></feed>',
    ),
    (
        "search/search_index.json",
        json.dumps({"docs": [{"text": f"<p><img src=x onerror={ALERT}></p>"}]}),
    ),
    ("export.json", json.dumps({"title": f"<script>{ALERT}</script>"})),
    ("broken.json", '{"a": '),
    ("index.js", f'var index = {{"t": "\\u003cimg src=x onerror={ALERT}\\u003e"}};'),
    ("index.js", f"document.write('<script>{ALERT}</script>')"),
    ("papers.bib", f"@article{{x,\n  title = {{a}}, {M} = {{b}},\n}}\n"),
    ("papers.bib", "@article{x,\n  title = {\\input{/etc/passwd}},\n}\n"),
    ("papers.bib", "@article{x,\n  title = {a}}},\n}\n"),
    ("papers.bib", f"@misc{{{M}, title={{x}}}}\n"),
    # BibTeX counts escaped braces too: `\}` closes the title and `{M}` becomes a field.
    ("papers.bib", f"@article{{x,\n  title = {{a \\}}, {M} = \\{{}},\n}}\n"),
    ("papers.bib", "@article{x,\n  title = {$x^^5cinput{/etc/passwd}$},\n}\n"),
    ("papers.bib", "@article{x,\n  title = {$\\href{run:calc}{x}$},\n}\n"),
    ("papers.bib", "@article{x,\n  title = {$\\csname input\\endcsname$},\n}\n"),
    ("papers.ris", f"TY  - JOUR\nAB  - a\nER  - {M}\nTY  - {M}\nTI  - b\nER  - \n"),
    ("papers.ris", "TY  - JOUR\nAB  - first line\nsecond line\nER  - \n"),
    ("papers.ris", "TY  - JOUR\nTI  - a\n"),
    ("papers.csv", f'title,venue\n"=HYPERLINK(""https://evil.example/{M}"")",x\n'),
    ("papers.csv", f"title\n@SUM(1) {M}\n"),
    # A spreadsheet whose locale separates cells with `;` sees a cell start after it.
    ("papers.csv", f'"title","venue"\n"a;=1+1 {M}","x"\n'),
    ("papers.csv", f'"title"\n"a\t+cmd|\' /C calc\'!A0 {M}"\n'),
    ("notes.txt", f"hello <img src=x onerror={ALERT}> world"),
]

SAFE = [
    ("page.html", f"<p>&lt;img src=x onerror={ALERT}&gt;</p>"),
    ("page.html", f'<meta name="description" content="&quot;&gt;&lt;script&gt;{ALERT}">'),
    ("page.html", f'<meta name="description" content="javascript:{ALERT}">'),
    ("page.html", f'<a href="https://example.org/?q={M}">x</a>'),
    (
        "page.html",
        f'<script type="application/ld+json">{{"a": "\\u003c/script\\u003e{M}"}}</script>',
    ),
    ("page.html", '<script>var x = "plain site script";</script>'),
    (
        "feed.xml",
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title>&lt;script&gt;{ALERT}</title></feed>',
    ),
    (
        "feed.xml",
        f'<feed xmlns="http://www.w3.org/2005/Atom"><content type="html">&amp;lt;img src=x onerror={ALERT}&amp;gt;</content></feed>',
    ),
    ("search/search_index.json", json.dumps({"docs": [{"text": f"<p>&lt;script&gt;{ALERT}</p>"}]})),
    ("index.js", f'var index = {{"t": "\\u0026lt;img src=x onerror={ALERT}\\u0026gt;"}};'),
    (
        "papers.bib",
        f"@article{{x,\n  title = {{{{\\textless}}script{{\\textgreater}} {{\\textbraceright}}, "
        f"{M} = {{\\textbraceleft}}}},\n}}\n",
    ),
    ("papers.ris", f"TY  - JOUR\nTI  - <script>{ALERT}</script>\nAB  - ER  - TY  - {M}\nER  - \n"),
    ("papers.csv", f'title,venue\n\'=HYPERLINK("{M}"),x\n'),
    ("papers.csv", f'"title","venue"\n"a;\'=1+1 {M}; \'@x","x"\n'),
    ("notes.txt", f"hello &lt;img src=x onerror={ALERT}&gt; world"),
    ("logo.png", f"<img src=x onerror={ALERT}>"),
]


@pytest.mark.parametrize(("path", "text"), LIVE, ids=[f"{p}-{i}" for i, (p, _) in enumerate(LIVE)])
def test_live_markup_is_found(path: str, text: str) -> None:
    assert scan_bytes(path, text.encode()) != []


@pytest.mark.parametrize(("path", "text"), SAFE, ids=[f"{p}-{i}" for i, (p, _) in enumerate(SAFE)])
def test_escaped_text_passes(path: str, text: str) -> None:
    assert scan_bytes(path, text.encode()) == []


def test_compressed_files_are_opened() -> None:
    live = f"<urlset><{M}/></urlset>".encode()
    assert scan_bytes("sitemap.xml.gz", gzip.compress(live)) != []
    assert scan_bytes("sitemap.xml.gz", gzip.compress(b"<urlset/>")) == []
    fragment = json.dumps({"content": f"<img src=x onerror={ALERT}>"}).encode()
    # (The site's own Pagefind fragments are registered plain text: see PLAIN_TEXT_JSON.)
    assert scan_bytes("other/x.pf_fragment", gzip.compress(b"pagefind_dcd" + fragment))


def test_unknown_text_formats_are_checked_fail_closed() -> None:
    assert scan_bytes("feed.unknown", f"<script>{ALERT}</script>".encode()) != []
    assert scan_bytes("feed.unknown", f"&lt;script&gt;{ALERT}".encode()) == []
