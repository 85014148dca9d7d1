# ruff: noqa: RUF001 - look-alike characters (fullwidth brackets, Fraktur letters) are test data
"""A corpus of hostile entries: each one is either built safely or rejected with a message.

`RENDERED` entries are valid and go into one catalogue that is built with the real MkDocs;
`REJECTED` entries go into another whose check must fail, each with a problem naming its file
and field. Every active part of a payload carries `MARKER`, which `output_scan` looks for in
every output file. Titles are unique (entries with the same title are a collision).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.hostile.output_scan import MARKER

M = MARKER
TAGS = ["llm", "quantization"]
"""Every corpus entry carries these two tags, so no tag is left with a single paper."""


@dataclass(frozen=True)
class Case:
    """One hostile entry file."""

    name: str
    """What the case tries, as a short id (also the file name unless `file` says otherwise)."""
    category: str
    content: bytes = b""
    file: str = ""
    """The file name in `papers/` (default: `<name>.yaml`)."""
    field: str | None = None
    """For a rejected case: the field its problem must name (`file` for the file itself)."""
    message: str | None = None
    """For a rejected case: words its problem's message must contain."""
    symlink_to: str | None = None
    directory: bool = False
    sparse_size: int | None = None
    """Write the file as this many bytes of nothing (a sparse file: no disk is used)."""

    @property
    def filename(self) -> str:
        return self.file or f"{self.name}.yaml"

    @property
    def fields(self) -> dict[str, Any]:
        """The entry's fields as written (for rendered cases)."""
        text = self.content.decode("utf-8-sig").replace("\r\n", "\n")
        loaded = yaml.safe_load(text)
        assert isinstance(loaded, dict)
        return loaded


def entry(**fields: Any) -> bytes:
    """An entry file written by PyYAML, so any string survives exactly; tags default to TAGS."""
    fields.setdefault("tags", TAGS)
    fields.setdefault("abstract", "A plain abstract.")
    return yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1_000_000).encode()


def render(name: str, category: str, **fields: Any) -> Case:
    return Case(name, category, entry(**fields))


def raw(name: str, category: str, content: bytes) -> Case:
    return Case(name, category, content)


def reject(name: str, category: str, field: str, message: str, **fields: Any) -> Case:
    fields.setdefault("title", f"Rejected case {name}")
    return Case(name, category, entry(**fields), field=field, message=message)


def reject_raw(name: str, category: str, field: str, message: str, content: bytes) -> Case:
    return Case(name, category, content, field=field, message=message)


def reject_file(name: str, file: str, message: str, **options: Any) -> Case:
    content = entry(title=f"Rejected file {name}")
    return Case(name, "path", content, file=file, field="file", message=message, **options)


ALERT = f"alert('{M}')"
IMG = f"<img src=x onerror={ALERT}>"
SCRIPT = f"<script>{ALERT}</script>"

RENDERED: list[Case] = [
    # Script tags, in every text field.
    render("script-title", "script", title=f"{SCRIPT} Case script title"),
    render(
        "script-abstract",
        "script",
        title="Case script abstract",
        abstract=f"Before {SCRIPT} after </script>{SCRIPT} "
        f"<SCRIPT SRC=//evil.example/{M}.js></SCRIPT> <scr<script>ipt>{ALERT}</script>",
    ),
    render("script-authors", "script", title="Case script authors", authors=[SCRIPT, "Ada L."]),
    render(
        "script-venue",
        "script",
        title="Case script venue",
        venue=f"<script src=https://evil.example/{M}.js></script>",
    ),
    # Event attributes and elements that run script.
    render("img-onerror-title", "event", title=f"{IMG} Case image"),
    render(
        "event-attributes-abstract",
        "event",
        title="Case event attributes",
        abstract=f"<svg/onload={ALERT}> <body onload={ALERT}> "
        f"<details open ontoggle={ALERT}> <input autofocus onfocus={ALERT}> "
        f'<a href="#" data-{M}="1" onclick="{ALERT}">x</a> <{M}>custom element</{M}>',
    ),
    render(
        "mutation-xss-abstract",
        "event",
        title="Case mutation XSS",
        abstract=f"<math><mtext><table><mglyph><style>{IMG}</style></mglyph></table></mtext>"
        f'</math> <noscript><p title="</noscript>{IMG}"> <!--<img src="--><img src=x '
        f'onerror={ALERT}//">',
    ),
    render(
        "iframe-venue",
        "event",
        title="Case iframe venue",
        venue=f'<iframe src="javascript:{ALERT}"></iframe>',
    ),
    render(
        "object-author",
        "event",
        title="Case object author",
        authors=[f'<object data="javascript:{ALERT}"></object>', f"<embed src=x{M}>"],
    ),
    render(
        "style-abstract",
        "event",
        title="Case style",
        abstract=f"<style>@import 'https://evil.example/{M}.css';</style>"
        f'<div style="background:url(javascript:{ALERT})">x</div>',
    ),
    render(
        "meta-refresh-abstract",
        "event",
        title="Case meta refresh",
        abstract=f'<meta http-equiv="refresh" content="0;url=javascript:{ALERT}">'
        f'<base href="https://evil.example/{M}/"><form action="javascript:{ALERT}">',
    ),
    # Attribute breakouts in titles (the title lands in <title>, <meta> and link text).
    render("breakout-double-quote", "breakout", title=f'Case " onmouseover="{ALERT}" data-{M}="'),
    render("breakout-single-quote", "breakout", title=f"Case ' onfocus='{ALERT}' autofocus='"),
    render("breakout-tag", "breakout", title=f'Case breakout tag "><img src=x onerror={ALERT}>'),
    render("breakout-title-element", "breakout", title=f"Case </title>{SCRIPT}"),
    render(
        "breakout-raw-text-elements",
        "breakout",
        title=f"Case </textarea></style></noscript></template></script>{IMG}",
    ),
    render("breakout-unquoted", "breakout", title=f"Case x onmouseover={ALERT} x"),
    render("breakout-json", "breakout", title=f'Case "}}]}};{ALERT};//'),
    render("breakout-template-literal", "breakout", title=f"Case literal `${{{ALERT}}}`"),
    render("breakout-description", "breakout", title="Case description", abstract=f'"><{M} x="'),
    # `javascript:` and friends as text (as links they are rejected below).
    render(
        "javascript-text",
        "javascript",
        title="Case javascript text",
        abstract=f"javascript:{ALERT} JaVaScRiPt:{ALERT} java&#x09;script:{ALERT} "
        f"&#106;avascript:{ALERT} %6A%61vascript:{ALERT} vbscript:msgbox('{M}') "
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzY2FuYXJ5Jyk8L3NjcmlwdD4=",
    ),
    render(
        "javascript-abstract-start",
        "javascript",
        title="Case javascript start",
        abstract=f"javascript:{ALERT}",
    ),
    # Entities: shown as typed, never decoded into markup (search indexers decode once).
    render(
        "entities-title",
        "entities",
        title=f"Case &lt;script&gt;{ALERT}&lt;/script&gt; &amp; "
        f"&#60;img src=x onerror={ALERT}&#62;",
    ),
    render(
        "entities-abstract",
        "entities",
        title="Case entities abstract",
        abstract=f"&lt;img src=x onerror={ALERT}&gt; &#x3C;svg onload={ALERT}&#x3E; "
        f"&amp;lt;{M}&amp;gt; &NotAnEntity; & &#0; &#xD800;",
    ),
    # Markdown structure: all of it shows literally.
    render("markdown-heading-title", "markdown", title=f"# Case heading title {M}"),
    render("markdown-hash-title", "markdown", title="#hashtag-first Case"),
    render(
        "markdown-blocks-abstract",
        "markdown",
        title="Case markdown blocks",
        abstract="---\ntitle: pwned\ntemplate: redirect.html\n---\n# Heading\n\n"
        "    indented code\n\n> quote\n\n1. list\n- item\n\n| a | b |\n|---|---|\n| c | d |\n\n"
        f'***\n\n!!! danger "{M}"\n    admonition body\n\n'
        f'{{: .{M} onclick="{ALERT}" }}\n\n*[HTML]: Hyper {M}\n\n[^1]: footnote\n\n'
        "[TOC]\n\nSetext\n===\n\n<!-- comment -->\n\n```\nfenced\n```",
    ),
    render(
        "markdown-inline-abstract",
        "markdown",
        title="Case markdown inline",
        abstract=f"**bold** _em_ `code` [link {M}](javascript:{ALERT}) "
        f"![img {M}](https://evil.example/{M}.png) <https://evil.example/{M}> "
        f"[ref][{M}]\n\n[{M}]: javascript:{ALERT}\n\nhttps://evil.example/{M}",
    ),
    render(
        "markdown-html-block-abstract",
        "markdown",
        title="Case markdown html block",
        abstract=f'<div markdown="1">**x** {M}</div>\n\n<details><summary>{M}</summary>'
        f"</details>\n\n<p data-{M}>para</p>",
    ),
    render("markdown-toc-title", "markdown", title="[TOC] Case table of contents"),
    render("markdown-attr-list-title", "markdown", title=f"Case attr list {{: onclick={ALERT} }}"),
    # Template syntax (Jinja2 renders our pages, Material's templates render the rest).
    render("template-title", "template", title="Case {{ 7*7 }} {% raw %} {{ config }}"),
    render(
        "template-abstract",
        "template",
        title="Case template abstract",
        abstract="{{ 7*7 }} {% raw %}{{ config.extra }}{% endraw %} {% include 'base.html' %} "
        "{{ page.meta }} {# comment #} ${7*7} #{7*7} <%= 7*7 %> "
        "{{ ''.__class__.__mro__[1].__subclasses__() }} {%",
    ),
    render(
        "snippets-abstract",
        "template",
        title="Case snippets",
        abstract='--8<-- "/etc/passwd"\n\n;--8<-- "mkdocs.yml"\n\n--8<--\n/etc/hostname\n--8<--',
    ),
    # Front-matter lookalikes: no title or abstract can add a key to the generated page.
    render("frontmatter-dashes-title", "front-matter", title="--- Case dashes ---"),
    render("frontmatter-key-title", "front-matter", title="template: redirect.html"),
    render("frontmatter-env-title", "front-matter", title="!ENV HOME"),
    render(
        "frontmatter-python-title",
        "front-matter",
        title=f"!!python/object/apply:os.system ['echo {M}']",
    ),
    render("frontmatter-anchor-title", "front-matter", title="&anchor *alias Case"),
    render("frontmatter-pipe-title", "front-matter", title="| literal block Case"),
    render("frontmatter-folded-title", "front-matter", title="> folded Case"),
    render("frontmatter-dots-title", "front-matter", title="... Case end of document"),
    render("frontmatter-flow-title", "front-matter", title="{hide: [navigation], search: x}"),
    render("frontmatter-question-title", "front-matter", title="? complex key Case"),
    render("frontmatter-quotes-title", "front-matter", title="'Case quoted' \"double\""),
    render("frontmatter-directive-title", "front-matter", title="%YAML 1.1 Case directive"),
    render("frontmatter-at-title", "front-matter", title="@ Case reserved indicator"),
    render(
        "frontmatter-abstract",
        "front-matter",
        title="Case front matter abstract",
        abstract="---\nhide:\n  - navigation\n  - toc\nsearch:\n  exclude: true\n"
        f"template: redirect.html\nlocation: javascript:{ALERT}\n---",
    ),
    # Unicode: shown exactly (the invisible and the direction-changing are rejected below).
    render(
        "unicode-title",
        "unicode",
        title="Caso ñ 日本語 🚀 Ünïcödé Z\u0351\u036d\u0350algo ﷽",
        abstract=f"NBSP\u00a0here, ZWJ 👩\u200d💻, fullwidth ＜script＞{ALERT}＜/script＞, "
        "astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, combining e\u0301",
    ),
    render("unicode-rtl-title", "unicode", title="نموذج لغوي Case"),
    # Joiners where a script or an emoji needs them (RFC 5892's contexts, emoji sequences).
    render(
        "unicode-joiners-title",
        "unicode",
        title="Case می\u200cخواهم क्\u200dष 👩\u200d💻 ❤\ufe0f",
    ),
    # TeX: formulas become MathML through a sanitiser, whatever they hold.
    render("math-href-title", "tex", title=f"Case $\\href{{javascript:{ALERT}}}{{x}}$"),
    render(
        "math-markup-abstract",
        "tex",
        title="Case math markup",
        abstract=f"$\\text{{{IMG}}}$ and $\\mathrm{{</math>{IMG}}}$ and $<{M}>$ and "
        f"${SCRIPT}$ $\\style{{color:red}}{{x}}$ $\\unicode{{x3c}}$ $\\class{{{M}}}{{x}}$",
    ),
    render(
        "tex-commands-abstract",
        "tex",
        title="Case TeX commands",
        abstract="\\% \\$ \\eg \\input{/etc/passwd} \\write18{rm -rf /} $unbalanced \\\\ "
        "\\textbf{x} \\def\\x{y} \\catcode`\\@=11",
    ),
    render("tex-commands-title", "tex", title="Case \\input{/etc/passwd} \\def\\x{" + M + "}"),
    # TeX that a reader's LaTeX would run if the BibTeX exports kept it as math.
    render("tex-caret-notation", "tex", title=f"Case caret $x^^5cinput{{/tmp/{M}}}$"),
    render("tex-href-launch", "tex", title=f"Case launch $\\href{{run:{M}.sh}}{{x}}$"),
    render("tex-csname", "tex", title=f"Case csname $\\csname {M}\\endcsname$"),
    render("tex-input-math", "tex", title=f"Case input $\\input{{/etc/{M}}}$ $\\\\%{M}$"),
    render(
        "tex-undefined-math",
        "tex",
        title=f"Case undefined $\\style{{color:red}}{{x}}$ $\\unicode{{x3c}}$ "
        f"$\\class{{{M}}}{{x}}$",
        venue=f"Venue $\\immediate\\write18{{{M}}}$ $a~b$ $\\rule{{1em}}{{2em}}$",
    ),
    render(
        "tex-safe-math",
        "tex",
        title=r"Case kept $\frac12 \{x\} \left( \mathbb{R}^n \right) \sum\limits_{i=1}^n x'_i$",
    ),
    # Huge and tiny values, at the limits the model allows.
    render("max-title", "size", title=("Case <max> & \"title\" 'x' " * 20)[:300]),
    render("max-abstract", "size", title="Case max abstract", abstract=(f"<{M}>&" * 1000)[:6000]),
    render(
        "max-authors",
        "size",
        title="Case max authors",
        authors=[f"<b data-{M}>Author {i}</b>" for i in range(200)],
    ),
    render("long-word-abstract", "size", title="Case long word", abstract="W" * 6000),
    render("minimal", "size", title="x", abstract="y"),
    # Text that is dangerous in exports: spreadsheets, citation managers, feeds, JSON.
    render(
        "csv-formula",
        "export",
        title=f'=HYPERLINK("https://evil.example/{M}","Case csv")',
        abstract=f"@SUM(1+1)*cmd|' /C calc'!A0 {M}",
        authors=[f"+cmd {M}", f"-2+3 {M}", f"=1+1 {M}"],
        venue=f"@{M}",
    ),
    # Where `;` (many locales' separator), tab or `|` splits a cell, a formula can start.
    render(
        "csv-formula-separators",
        "export",
        title=f"Case csv; =1+1 {M}, -2+3 | @SUM(1) {M}",
        abstract=f"a;=HYPERLINK(\"https://evil.example/{M}\")\tb\t+cmd|' /C calc'!A0\n"
        f'-{M}\n"; @{M}',
        authors=[f"Ann; =1+1 {M}", f"Bob,+{M}"],
        venue=f"V; -{M}",
    ),
    render(
        "ris-injection",
        "export",
        title="Case RIS",
        abstract=f"Case ris\nER  - {M}\nTY  - {M}\nTI  - {M} injected record\nER  - {M}",
    ),
    render(
        "bibtex-injection",
        "export",
        title=f"Case bibtex }}, {M} = {{injected",
        abstract=f"}}\n@misc{{{M}, title={{injected}}}}\n\\input{{/etc/passwd}} %comment",
        authors=[f"Smith}}, {M}={{x"],
    ),
    # BibTeX counts `\}` as a brace: the old escaping let this title add a `url` field.
    render("bibtex-field-injection", "export", title=f'x }} , url = "https://evil.example/{M}"'),
    render(
        "bibtex-unbalanced-open",
        "export",
        title=f"Case unbalanced {{ {M}",
        authors=[f"{{Open {M}", "Ann and Bob", "A, B, C, D"],
        venue=f"Journal of {{ {M}",
        links={"pdf": f"https://example.com/{{{M}}}/^^5cinput|x%7D?a=1&b=%"},
    ),
    render(
        "xml-injection",
        "export",
        title=f"Case ]]><{M}/> <![CDATA[x]]>",
        abstract=f'<?xml-stylesheet href="javascript:{ALERT}"?><!DOCTYPE x [<!ENTITY {M} '
        f'SYSTEM "file:///etc/passwd">]>&{M}; <{M}:x xmlns:{M}="urn:x"/>',
    ),
    render(
        "json-injection",
        "export",
        title="Case JSON",
        abstract=f'"}}]}}</script>{SCRIPT}{{"a":"\\u003c{M}\\u003e',
    ),
    # Valid entries using every field, including tricky but allowed values.
    render(
        "all-fields",
        "valid",
        title="Case all fields",
        authors=["Ada Lovelace", "Alan Turing"],
        arxiv="2101.10010",
        date="2024-02-29",
        venue="NeurIPS 2024",
        links={
            "pdf": "https://arxiv.org/pdf/2101.10010",
            "code": "https://example.com/a?b=1&c=2#frag",
        },
        former_slugs=["old-hostile-address"],
    ),
    render(
        "link-labels",
        "valid",
        title="Case link labels",
        links={"onclick": "https://example.com/x", "javascript": "https://example.com/y"},
    ),
    render("arxiv-version", "valid", title="Case arXiv version", arxiv="2312.11514v2"),
    render("null-words", "valid", title="null", abstract="None undefined NaN ~ true"),
    raw(
        "bom-crlf",
        "yaml",
        b"\xef\xbb\xbftitle: Case BOM and CRLF <b>x</b>\r\nabstract: 'It <i>works</i>'\r\n"
        b"tags:\r\n- llm\r\n- quantization\r\n",
    ),
    raw(
        "yaml-escapes",
        "yaml",
        b'title: "Case YAML escapes \\u003cscript\\u003e'
        + f"{ALERT}".encode()
        + b'\\u003c/script\\u003e"\n'
        b"abstract: \"\\x3cimg src=x onerror=alert('"
        + M.encode()
        + b"')\\x3e\"\ntags: [llm, quantization]\n",
    ),
    raw(
        "yaml-block-scalar",
        "yaml",
        b"title: Case block scalar\nabstract: |\n  <script>\n  alert('"
        + M.encode()
        + b"')\n  </script>\n\n  second paragraph\ntags: [llm, quantization]\n",
    ),
]

# Math that tries to deface the pages it is shown on (issue 15): sizes, spaces and moves in the
# MathML a formula becomes. Each formula is at most 300 characters, as `text` reads formulas.
# They share rare words with `math-victim`, so that paper lists them among its related papers.
MATH_WORDS = "Quokka narwhal axolotl pangolin."
MATH_DATE = "2025-06-01"
"""Their publication date and the day they joined, later than every other case's: the home
page's latest additions are these."""
_ROWS = "a" + "\\\\a" * 60
_DFRACS = "\\dfrac{" * 20 + "x" + "}{y}" * 20
_HUGE = "{\\Huge " * 8 + "W" + "}" * 8
_SCRIPTS = "x^{\\displaystyle " * 15 + "x" + "}" * 15
_ROOTS = "\\sqrt{" * 30 + "x" + "}" * 30
_BARS = "\\overline{" * 25 + "x" + "}" * 25
MATH_ATTACKS: list[Case] = [
    render(
        "math-tall-rule",
        "math",
        date=MATH_DATE,
        added=MATH_DATE,
        title="Case tall $\\rule{0em}{30000em}$ rule quokka",
        abstract=f"{MATH_WORDS} A rule $\\rule{{1em}}{{30000em}}$ and $\\mspace{{30000em}}x$.",
    ),
    render(
        "math-wide-space",
        "math",
        date=MATH_DATE,
        added=MATH_DATE,
        title="Case wide $x\\hspace{5000em}y\\kern5000em z\\hskip5000em\\mkern90000mu w$ quokka",
        abstract=f"{MATH_WORDS} $a\\qquad\\hspace{{5000em}}b\\mskip90000mu c$",
    ),
    render(
        "math-smash-notice",
        "math",
        date=MATH_DATE,
        added=MATH_DATE,
        title="Case $\\smash{\\raise{40em}{\\text{RETRACTED: this paper was withdrawn}}}$ "
        "$\\rlap{RETRACTED}$ $\\mathllap{\\text{RETRACTED}}$ quokka",
        abstract=f"{MATH_WORDS} $\\lower{{30000em}}{{x}}\\moveleft{{30000em}}{{y}}"
        f"\\moveright{{30000em}}{{z}}\\smash[b]{{\\text{{OVER THE NEXT LINE}}}}$",
    ),
    render(
        "math-overlap",
        "math",
        date=MATH_DATE,
        added=MATH_DATE,
        title="Case $\\llap{WITHDRAWN BY THE AUTHORS}\\mathclap{\\text{CLICK HERE}}"
        "\\mathrlap{\\text{NOTICE}}\\clap{X}$ overlap quokka",
        abstract=f"{MATH_WORDS} $\\colorbox{{red}}{{RETRACTED}}\\fcolorbox{{red}}{{red}}{{X}}"
        f"\\textcolor{{red}}{{x}}\\color{{red}}y\\style{{position:fixed}}{{z}}\\unicode{{202E}}w$",
    ),
    render(
        "math-huge-size",
        "math",
        date=MATH_DATE,
        added=MATH_DATE,
        title=f"Case huge ${_HUGE}$ $a \\above 30000em b$ $\\Bigg(\\Bigg)$ quokka",
        abstract=f"{MATH_WORDS} ${{\\scriptsize{{\\Huge{{\\Huge x}}}}}}$ ${_HUGE}$",
    ),
    render(
        "math-tall-structure",
        "math",
        date=MATH_DATE,
        added=MATH_DATE,
        title=f"Case tall structure $\\begin{{matrix}}{_ROWS}\\end{{matrix}}$ quokka",
        abstract=f"{MATH_WORDS} ${_DFRACS}$ ${_SCRIPTS}$ ${_ROOTS}$ ${_BARS}$",
    ),
    render(
        "math-stacked-notice",
        "math",
        date=MATH_DATE,
        added=MATH_DATE,
        title="Case $\\overset{\\overset{\\overset{\\text{RETRACTED}}{\\text{RETRACTED}}}"
        "{\\text{RETRACTED}}}{x}$ $\\stackrel{\\displaystyle\\text{NOTICE}}{=}$ "
        "$\\underset{\\Huge\\text{BELOW}}{y}$ stacked quokka",
        abstract=f"{MATH_WORDS} $\\substack{{{_ROWS}}}$",
    ),
    render(
        "math-phantoms-and-macros",
        "math",
        date=MATH_DATE,
        added=MATH_DATE,
        title="Case $\\phantom{\\rule{1em}{30000em}}\\vphantom{\\rule{1em}{30000em}}"
        "\\hphantom{\\hspace{9000em}}x$ phantoms quokka",
        abstract=f"{MATH_WORDS} $\\def\\a{{WWWWWWWWWWWWWWWWWWWWWWWWWWWWWW}}"
        + "\\a" * 40
        + "$ $\\newcommand{\\b}{\\rule{1em}{9000em}}\\b$",
    ),
    # Legitimate formulas, in the same catalogue: they must still render as MathML.
    render(
        "math-legit",
        "math",
        date=MATH_DATE,
        added=MATH_DATE,
        title="Case legit $\\frac{a}{b}$, $O(n^2)$, $3\\times$, $\\sqrt{x}$, $a\\not= b$ quokka",
        abstract=f"{MATH_WORDS} $\\mathcal{{O}}(n \\log n)$, $e^{{-\\frac{{x^2}}{{2\\sigma^2}}}}$, "
        "$\\begin{pmatrix}a&b\\\\c&d\\end{pmatrix}$, $\\dfrac{\\sum_{i=1}^n x_i}{n}$, "
        "$\\left(\\frac{a}{b}\\right)$, $\\xrightarrow[a]{b}$, $\\LaTeX$, H$_2$O.",
    ),
]
MATH_VICTIM = render(
    "math-victim",
    "math",
    title="Case victim quokka narwhal axolotl pangolin",
    abstract=f"{MATH_WORDS} A paper whose related papers are the math attacks above.",
)
RENDERED += [*MATH_ATTACKS, MATH_VICTIM]

# Right-to-left names and venue: shown among commas and dates, each must keep its place
# (tests/browser/test_bidi_isolation.py).
BIDI_NAMES = render(
    "bidi-names",
    "bidi",
    title="Case right-to-left names: نموذج لغوي كبير 2",
    authors=["يوسف الأحمد", "דוד לוי", "Ada Lovelace"],
    venue="مؤتمر اللغة 2024",
    date="2024-05-01",
)
RENDERED.append(BIDI_NAMES)

BASE_ENTRIES: list[Case] = [
    Case(
        "aaa-base-one",
        "base",
        entry(title="Base paper one", arxiv="2101.10010", abstract="Base one."),
    ),
    Case("aaa-base-two", "base", entry(title="H₂O base paper", abstract="Base two.")),
    Case(
        "aaa-base-old-style",
        "base",
        entry(title="Base old-style paper", arxiv="math/0101001", authors=["Yann LeCun"]),
    ),
    Case("aaa-base-author", "base", entry(title="Base author paper", authors=["Yann LeCun"])),
]
"""Valid entries in the rejected catalogue that the collision cases collide with."""

_BILLION_LAUGHS = b"""title: Rejected billion laughs
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]
abstract: x
tags: [llm, quantization]
"""

REJECTED: list[Case] = [
    # File names and paths: nothing outside papers/, nothing that is not a plain entry.
    reject_file("upper-case", "Upper-Case.yaml", "may contain only lowercase"),
    reject_file("space", "with space.yaml", "may contain only lowercase"),
    reject_file("cyrillic-a", "p\u0430per-cyrillic.yaml", "may contain only lowercase"),
    reject_file("hidden", ".hidden.yaml", "may contain only lowercase"),
    reject_file("dot-dot", "..yaml", "may contain only lowercase"),
    reject_file("newline", "newline\n.yaml", "may contain only lowercase"),
    reject_file("encoded-traversal", "..%2f..%2fetc%2fpasswd.yaml", "may contain only"),
    reject_file("backslash-traversal", "..\\..\\evil.yaml", "may contain only lowercase"),
    reject_file("html-name", f"<img src=x onerror={ALERT}>.yaml", "may contain only lowercase"),
    reject_file("too-long-name", "a" * 81 + ".yaml", "at most 80"),
    reject_file("index", "index.yaml", "reserved"),
    reject_file("leading-hyphen", "-lead.yaml", "may contain only lowercase"),
    reject_file("double-hyphen", "double--hyphen.yaml", "may contain only lowercase"),
    reject_file("yml-suffix", "wrong-suffix.yml", "only `.yaml` entry files"),
    reject_file("txt-file", "notes.txt", "only `.yaml` entry files"),
    reject_file("symlink-inside", "linked.yaml", "symbolic link", symlink_to="../tags.yaml"),
    reject_file("symlink-outside", "passwd.yaml", "symbolic link", symlink_to="/etc/passwd"),
    reject_file("directory", "folder.yaml", "a folder", directory=True),
    # YAML: safe loading only, one mapping, no duplicates, no aliases, UTF-8, size limits.
    reject_raw(
        "python-tag",
        "yaml",
        "title",
        "YAML tag",
        f'title: !!python/object/apply:os.system ["echo {M}"]\nabstract: x\ntags: [llm]\n'.encode(),
    ),
    reject_raw(
        "env-tag", "yaml", "title", "YAML tag", b"title: !ENV HOME\nabstract: x\ntags: [llm]\n"
    ),
    reject_raw(
        "binary-tag",
        "yaml",
        "abstract",
        "YAML tag",
        b"title: Rejected binary\nabstract: !!binary aGVsbG8=\ntags: [llm]\n",
    ),
    reject_raw(
        "duplicate-key",
        "yaml",
        "title",
        "duplicate key (first given on line 1)",
        b"title: Rejected duplicate one\nabstract: x\ntitle: Rejected duplicate two\n"
        b"tags: [llm, quantization]\n",
    ),
    reject_raw(
        "anchor-alias",
        "yaml",
        "venue",
        "anchors and aliases are not allowed",
        b"title: &t Rejected alias\nabstract: x\nvenue: *t\ntags: [llm, quantization]\n",
    ),
    reject_raw("billion-laughs", "yaml", "b[0]", "anchors and aliases", _BILLION_LAUGHS),
    reject_raw(
        "deep-nesting",
        "yaml",
        "file",
        "levels deep",
        b"title: " + b"[" * 5000 + b"x" + b"]" * 5000 + b"\nabstract: x\ntags: [llm]\n",
    ),
    reject_raw(
        "two-documents",
        "yaml",
        "file",
        "one YAML mapping",
        b"title: Rejected two documents\nabstract: x\ntags: [llm]\n---\ntitle: second\n",
    ),
    reject_raw("not-a-mapping", "yaml", "file", "one YAML mapping", b"- title\n- abstract\n"),
    reject_raw("empty-file", "yaml", "file", "one YAML mapping", b""),
    reject_raw("syntax-error", "yaml", "file", "not valid YAML", b"title: [unclosed\nabstract: x"),
    reject_raw("tab-indent", "yaml", "file", "replace the tab", b"title:\n\tx: y\n"),
    reject_raw("latin-1", "yaml", "file", "not valid UTF-8", b"title: caf\xe9\nabstract: x\n"),
    reject_raw(
        "utf-16",
        "yaml",
        "file",
        "not valid UTF-8",
        "\ufefftitle: Rejected UTF-16\nabstract: x\n".encode("utf-16-le"),
    ),
    reject_raw("nul-byte", "yaml", "file", "not valid YAML", b"title: a\x00b\nabstract: x\n"),
    reject_raw(
        "too-big",
        "yaml",
        "file",
        "at most 64 KiB",
        b"title: Rejected too big\nabstract: '" + b"x" * 70_000 + b"'\ntags: [llm]\n",
    ),
    Case(
        "sparse-2-gib",
        "yaml",
        field="file",
        message="is 2.0 GiB; an entry may be at most 64 KiB",
        sparse_size=2 * 1024**3,
    ),
    reject_raw(
        "explicit-str-tag",
        "yaml",
        "title",
        "the YAML tag '!!str' is not allowed",
        b"title: !!str Rejected explicit str\nabstract: x\ntags: [llm, quantization]\n",
    ),
    reject_raw(
        "explicit-map-tag",
        "yaml",
        "links",
        "the YAML tag '!!map' is not allowed",
        b"title: Rejected map tag\nabstract: x\ntags: [llm, quantization]\n"
        b"links: !!map {code: 'https://example.com/'}\n",
    ),
    reject_raw(
        "explicit-document-tag",
        "yaml",
        "file",
        "the YAML tag '!!map' is not allowed",
        b"--- !!map\ntitle: Rejected document tag\nabstract: x\ntags: [llm, quantization]\n",
    ),
    reject_raw(
        "local-tag",
        "yaml",
        "tags[1]",
        "the YAML tag '!local' is not allowed",
        b"title: Rejected local tag\nabstract: x\ntags: [llm, !local quantization]\n",
    ),
    reject_raw(
        "non-specific-tag",
        "yaml",
        "title",
        "the YAML tag '!' is not allowed",
        b"title: ! Rejected non-specific tag\nabstract: x\ntags: [llm, quantization]\n",
    ),
    reject_raw(
        "colon-in-title",
        "yaml",
        "file",
        "a value that contains `: ` must be quoted, like title: 'Rejected: a colon'",
        b"title: Rejected: a colon\nabstract: x\ntags: [llm, quantization]\n",
    ),
    reject_raw(
        "unclosed-quote",
        "yaml",
        "file",
        "the quote that starts here is never closed",
        b'title: "Rejected unclosed\nabstract: x\ntags: [llm, quantization]\n',
    ),
    reject_raw(
        "misspelled-field",
        "yaml",
        "abstact",
        "is not a field of an entry (did you mean 'abstract'?)",
        b"title: Rejected misspelled field\nabstract: x\nabstact: y\ntags: [llm, quantization]\n",
    ),
    reject_raw(
        "unquoted-arxiv",
        "yaml",
        "arxiv",
        "put the identifier in quotes",
        b"title: Rejected unquoted arxiv\nabstract: x\narxiv: 2101.10010\ntags: [llm]\n",
    ),
    reject_raw(
        "complex-key",
        "yaml",
        "file",
        "a key must be a plain word",
        b"title: Rejected complex key\nabstract: x\ntags: [llm]\n? [a, b]\n: c\n",
    ),
    reject_raw(
        "merge-key",
        "yaml",
        "file",
        "a key must be a plain word",
        b"title: Rejected merge key\nabstract: x\ntags: [llm]\n<<: {venue: x}\n",
    ),
    reject_raw(
        "tagged-key",
        "yaml",
        "file",
        "a key must be a plain word",
        b"title: Rejected tagged key\nabstract: x\ntags: [llm]\n!!python/name:os.system x: 1\n",
    ),
    # Fields: required, typed, limited, printable, and nothing that sets a page option.
    reject("empty-title", "field", "title", "is empty", title=""),
    reject("blank-title", "field", "title", "is empty", title="   "),
    reject_raw("null-title", "field", "title", "is empty", b"title:\nabstract: x\ntags: [llm]\n"),
    reject_raw(
        "missing-abstract",
        "field",
        "abstract",
        "is required",
        b"title: Rejected missing abstract\ntags: [llm]\n",
    ),
    reject("long-title", "size", "title", "at most 300", title="T" * 301),
    reject("long-abstract", "size", "abstract", "at most 6000", abstract="A" * 6001),
    reject("empty-abstract", "size", "abstract", "is empty", abstract=""),
    reject(
        "too-many-tags",
        "size",
        "tags",
        "at most 8",
        tags=[*TAGS, "kv-cache", "pruning", "distillation", "moe", "survey", "vlm", "diffusion"],
    ),
    reject("no-tags", "size", "tags", "at least 1", tags=[]),
    reject("too-many-authors", "size", "authors", "at most 200", authors=["A"] * 201),
    reject("long-author", "size", "authors[0]", "at most 200", authors=["N" * 201]),
    reject("empty-author", "size", "authors[1]", "is empty", authors=["A", ""]),
    reject("long-venue", "size", "venue", "at most 200", venue="V" * 201),
    reject(
        "too-many-links",
        "size",
        "links",
        "at most 12",
        links={f"l{i}": f"https://example.com/{i}" for i in range(13)},
    ),
    reject(
        "too-many-former-slugs",
        "size",
        "former_slugs",
        "at most 20",
        former_slugs=[f"old-{i}" for i in range(21)],
    ),
    reject("newline-title", "field", "title", "one line", title="Rejected\nnewline"),
    reject("tab-title", "field", "title", "one line", title="Rejected\ttab"),
    reject("newline-author", "field", "authors[0]", "one line", authors=["A\nB"]),
    reject("escape-title", "field", "title", "U+001B", title="Rejected \x1b[31mred"),
    reject_raw(
        "c1-control-abstract",
        "field",
        "abstract",
        "U+009B",
        b'title: Rejected C1 control\nabstract: "a\\x9b31mb"\ntags: [llm]\n',
    ),
    reject("bidi-override-title", "field", "title", "U+202E", title="Rejected \u202etxt.exe"),
    reject("bidi-isolate-venue", "field", "venue", "U+2066", venue="\u2066x\u2069"),
    reject("line-separator", "field", "abstract", "U+2028", abstract="a\u2028b"),
    reject("noncharacter", "field", "title", "U+FFFF", title="Rejected \uffff"),
    reject("nul-escape", "field", "title", "U+0000", title="Rejected a\x00b"),
    reject_raw(
        "lone-surrogate",
        "field",
        "title",
        "lone surrogate",
        b'title: "Rejected \\ud800"\nabstract: x\ntags: [llm]\n',
    ),
    reject("template-key", "field", "template", "is not a field", template="redirect.html"),
    reject("hide-key", "field", "hide", "is not a field", hide=["navigation"]),
    reject("search-key", "field", "search", "is not a field", search={"exclude": True}),
    reject("title-list", "field", "title", "must be text", title=["a", "b"]),
    reject("tags-string", "field", "tags", "must be a list", tags="llm"),
    reject("unknown-tag", "field", "tags", "unknown tag", tags=["llm", SCRIPT]),
    reject("duplicate-tag", "field", "tags", "given twice", tags=["llm", "llm"]),
    reject("bad-date", "field", "date", "not a real date", date="2024-13-45"),
    reject("unicode-digits-date", "field", "date", "not a date", date="٢٠٢٤"),
    reject("date-newline", "field", "date", "not a date", date="2024\n-01"),
    reject("bad-arxiv", "field", "arxiv", "not an arXiv identifier", arxiv=f"2101.10010{SCRIPT}"),
    # Values that cannot be true: dates beyond the build day, arXiv ids that cannot exist.
    reject("future-added", "future", "added", "is after today", added="2999-01-01"),
    reject("far-future-date", "future", "date", "more than a year after", date="9999-12-31"),
    reject("future-arxiv", "future", "arxiv", "which has not begun", arxiv="9912.12345"),
    reject("arxiv-month-13", "arxiv", "arxiv", "13 is not a month", arxiv="2513.12345"),
    reject("arxiv-zeros", "arxiv", "arxiv", "00 is not a month", arxiv="0000.0000"),
    reject("arxiv-number-zero", "arxiv", "arxiv", "starts at 00001", arxiv="2101.00000"),
    reject("arxiv-before-2007", "arxiv", "arxiv", "start in April 2007", arxiv="0703.0001"),
    reject("arxiv-digits", "arxiv", "arxiv", "5-digit number", arxiv="2101.1001"),
    reject("arxiv-version-zero", "arxiv", "arxiv", "not an arXiv identifier", arxiv="2101.10010v0"),
    reject("arxiv-archive", "arxiv", "arxiv", "not an arXiv identifier", arxiv="a-/0000000"),
    reject("arxiv-new-archive", "arxiv", "arxiv", "'stat' is not one", arxiv="stat/0101001"),
    reject("arxiv-subject", "arxiv", "arxiv", "no subject class 'ZZ'", arxiv="math.ZZ/0101001"),
    reject("arxiv-closed", "arxiv", "arxiv", "from November 1994", arxiv="acc-phys/9701001"),
    # Text that shows nothing; invisible characters and direction marks in one-line fields.
    reject("blank-title-filler", "invisible", "title", "shows nothing", title="\u3164"),
    reject("blank-title-zero-width", "invisible", "title", "shows nothing", title="\u200b\u2060"),
    reject("blank-title-braille", "invisible", "title", "shows nothing", title="\u2800 \u2800"),
    reject("blank-author", "invisible", "authors[1]", "shows nothing", authors=["A", "\u115f"]),
    reject("blank-venue", "invisible", "venue", "shows nothing", venue="\uffa0\u1160"),
    reject("blank-abstract", "invisible", "abstract", "shows nothing", abstract="\u200b\n\u034f"),
    reject("tag-characters-title", "invisible", "title", "U+E0041", title="Rejected \U000e0041"),
    reject(
        "tag-characters-abstract",
        "invisible",
        "abstract",
        "U+E0069",
        abstract="Smuggled \U000e0069\U000e0067\U000e006e text",
    ),
    reject(
        "zero-width-title",
        "invisible",
        "title",
        "U+200B (ZERO WIDTH SPACE)",
        title="Case zero\u200bwidth\u200djoin\ufeffbom",
    ),
    reject("zero-width-author", "invisible", "authors[0]", "U+200B", authors=["Yann Le\u200bCun"]),
    reject("filler-author", "invisible", "authors[0]", "U+3164", authors=["Yann\u3164LeCun"]),
    reject("joiner-author", "invisible", "authors[0]", "U+200D", authors=["Yann Le\u200dCun"]),
    reject("soft-hyphen-venue", "invisible", "venue", "U+00AD", venue="Neur\u00adIPS"),
    reject("rlm-title", "bidi", "title", "direction mark U+200F", title="Rejected \u200fmark"),
    reject("lrm-author", "bidi", "authors[0]", "direction mark U+200E", authors=["Ada\u200e"]),
    reject("alm-venue", "bidi", "venue", "direction mark U+061C", venue="\u061cACL"),
    reject("unicode-digits-arxiv", "field", "arxiv", "not an arXiv", arxiv="٢١٠١.10010"),
    # Links: http(s) only, whatever the spelling of the script URL.
    *(
        reject(f"link-{name}", "link", "links.code", message, links={"code": url})
        for name, url, message in [
            ("javascript", f"javascript:{ALERT}", "starting with https://"),
            ("javascript-case", "JaVaScRiPt:alert(1)", "starting with https://"),
            ("javascript-space", " javascript:alert(1)", "starting with https://"),
            ("javascript-tab", "java\tscript:alert(1)", "spaces or control"),
            ("javascript-newline", "javascript\n:alert(1)", "spaces or control"),
            ("javascript-nul", "\x00javascript:alert(1)", "spaces or control"),
            ("javascript-entity", "&#106;avascript:alert(1)", "starting with https://"),
            ("javascript-hex-entity", "&#x6A;avascript:alert(1)", "starting with https://"),
            ("javascript-percent", "%6Aavascript:alert(1)", "starting with https://"),
            ("javascript-fullwidth", "ｊavascript:alert(1)", "starting with https://"),
            ("javascript-in-https", "https:javascript:alert(1)", "starting with https://"),
            ("vbscript", "vbscript:msgbox(1)", "starting with https://"),
            ("data", "data:text/html;base64,PHNjcmlwdD4=", "starting with https://"),
            ("file", "file:///etc/passwd", "starting with https://"),
            ("ftp", "ftp://example.com/x", "starting with https://"),
            ("protocol-relative", "//evil.example/x", "starting with https://"),
            ("relative", "/papers/other/", "starting with https://"),
            ("dot-dot", "../../etc/passwd", "starting with https://"),
            ("no-slashes", "https:evil.example", "starting with https://"),
            ("one-slash", "https:/evil.example", "starting with https://"),
            ("backslashes", "https:\\\\evil.example", "percent-encode"),
            ("userinfo", "https://user:pass@evil.example/", "user name or password"),
            ("empty-host", "https://", "no host name"),
            ("dot-host", "https://./", "no host name"),
            ("hyphen-host", "https://-/", "not a public name"),
            ("empty-label", "https://a..example/", "Empty Label"),
            ("port-zero", "https://example.com:0/", "impossible port"),
            ("port-too-big", "https://example.com:65536/x", "impossible port"),
            ("port-not-a-number", "https://example.com:8o/", "impossible port"),
            ("loopback", "http://127.0.0.1:8000/admin", "not a public address"),
            ("private-ipv6", "https://[fd00::1]/", "not a public address"),
            ("localhost-subdomain", "http://admin.localhost:8000/", "reader's own machine"),
            ("mdns-host", "http://printer.local/", "reader's own machine"),
            ("ipv4-shorthand", "https://127.1/", "neither a name nor an IPv4"),
            ("mixed-script-host", "https://p\u0430ypal.com/", "mixes writing systems"),
            ("lrm", "https://example.com/\u200epdf", "U+200E"),
            ("rlm-host", "https://exa\u200fmple.com/", "U+200F"),
            ("alm", "https://example.com/\u061c", "U+061C"),
            ("zero-width-host", "https://exa\u200bmple.com/", "U+200B"),
            ("quote", f'https://example.com/"><script>{ALERT}</script>', "percent-encode"),
            ("too-long", "https://example.com/" + "x" * 2000, "at most 2000"),
        ]
    ),
    reject("link-label-upper", "link", "links.PDF", "lowercase", links={"PDF": "https://a.b/"}),
    reject("link-label-markup", "link", "links.<b>", "lowercase", links={"<b>": "https://a.b/"}),
    reject("link-list", "link", "links", "must be a mapping", links=["https://a.b/"]),
    # Collisions: one paper, one entry; one address, one page.
    reject("zz-same-title", "collision", "title", "same title as", title="BASE paper -- One!"),
    reject("zz-same-title-tex", "collision", "title", "same title as", title="H$_2$O Base Paper"),
    reject("zz-same-arxiv", "collision", "arxiv", "same arXiv id as", arxiv="2101.10010v2"),
    reject(
        "zz-same-old-style-arxiv",
        "collision",
        "arxiv",
        "same arXiv id as papers/aaa-base-old-style.yaml (written 'math/0101001' there)",
        arxiv="math.AG/0101001v2",
    ),
    reject(
        "zz-cyrillic-title",
        "collision",
        "title",
        "looks the same as the title of papers/aaa-base-one.yaml but is written with other "
        "characters: U+0430 (CYRILLIC SMALL LETTER A)",
        title="Base p\u0430per one",
    ),
    reject(
        "zz-greek-title",
        "collision",
        "title",
        "looks the same as the title of papers/aaa-base-one.yaml",
        title="B\u0391se paper \u03bfne",
    ),
    reject(
        "zz-lookalike-author",
        "collision",
        "authors[0]",
        "looks the same as 'Yann LeCun' in papers/aaa-base-author.yaml",
        authors=["Yann L\u0435Cun"],
    ),
    reject(
        "zz-former-is-current",
        "collision",
        "former_slugs",
        "is the address of papers/aaa-base-one.yaml",
        former_slugs=["aaa-base-one"],
    ),
    reject(
        "zz-former-shared",
        "collision",
        "former_slugs",
        "already a former slug of papers/aaa-former-owner.yaml",
        former_slugs=["shared-old-name"],
    ),
    reject("zz-former-own", "collision", "former_slugs", "own file name", former_slugs=["z"]),
    reject("zz-former-twice", "collision", "former_slugs", "twice", former_slugs=["o-1", "o-1"]),
    reject(
        "former-traversal",
        "path",
        "former_slugs[0]",
        "may contain only lowercase",
        former_slugs=["../../etc/passwd"],
    ),
    reject("former-index", "path", "former_slugs[0]", "reserved", former_slugs=["index"]),
    reject("former-newline", "path", "former_slugs[0]", "lowercase", former_slugs=["old\n"]),
]

# The owner of the shared former slug is valid; the case above collides with it.
BASE_ENTRIES.append(
    Case(
        "aaa-former-owner",
        "base",
        entry(title="Former slug owner", former_slugs=["shared-old-name"]),
    )
)
# `zz-former-own` lists its own slug: its file must be called `z.yaml`.
REJECTED = [
    Case(**{**case.__dict__, "file": "z.yaml"}) if case.name == "zz-former-own" else case
    for case in REJECTED
]


@dataclass
class CorpusCounts:
    """How many cases of each outcome and category, for the report."""

    rendered: int
    rejected: int
    by_category: dict[str, int] = field(default_factory=dict)


def counts() -> CorpusCounts:
    by_category: dict[str, int] = {}
    for case in RENDERED + REJECTED:
        by_category[case.category] = by_category.get(case.category, 0) + 1
    return CorpusCounts(len(RENDERED), len(REJECTED), by_category)


def write_cases(papers_dir: Path, cases: Iterable[Case]) -> None:
    """Create each case's file (or link, or folder) in `papers_dir`."""
    papers_dir.mkdir(parents=True, exist_ok=True)
    for case in cases:
        target = papers_dir / case.filename
        if case.symlink_to is not None:
            os.symlink(case.symlink_to, target)
        elif case.directory:
            target.mkdir()
        elif case.sparse_size is not None:
            with target.open("wb") as handle:
                handle.truncate(case.sparse_size)
        else:
            target.write_bytes(case.content)
