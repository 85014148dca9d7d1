"""Entry text written into each output language safely: one function per context.

Entry text is plain text (with the inline TeX `text` interprets). Whatever writes it into an
output calls the function for that output's syntax, never string formatting or a generic
"escape". Each function is exact for its context and nothing more; pick by where the value
lands, not by the file type:

| where the value lands | function |
| --- | --- |
| HTML text, or a quoted HTML attribute value | `html_text` |
| HTML element content only (a `<pre>` of JSON, whose quotes stay quotes) | `html_element_text` |
| XML 1.0 text or a quoted attribute value written as a string (sitemaps) | `xml_text` |
| Text an XML library escapes itself (ElementTree, for Atom): characters XML allows | `xml_chars` |
| A YAML document (front matter) | `yaml_document` |
| Literal text as TeX (in a BibTeX field) | `tex_text` |
| A BibTeX field's braces / key / `url` field | `bibtex_value` / `bibtex_key` / `bibtex_url` |
| An RIS field value (one `XX  - value` line) | `ris_value` |
| JSON data in a `<script type="application/json">` element | `json_for_script` |
| A CSV cell that a spreadsheet may open | `csv_cell` |

An HTML attribute that holds a URL needs more than escaping: only `http(s)` URLs validated by
the model (`links`) or built by `urls` belong there.
"""

from __future__ import annotations

import functools
import html
import json
import re
from typing import Any

import yaml
from markupsafe import Markup
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexencode import UnicodeToLatexEncoder

# XML 1.0 allows only these characters; anything else makes the whole document unreadable.
_XML_INVALID_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# C0/C1 controls other than tab and newline: invisible, and they corrupt line-based formats.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Line breaks and the white space around them; other spaces (NBSP, thin space) are text.
_WHITESPACE_RE = re.compile("[ \t\n\r\f\v\u2028\u2029]+")

TEX_SPECIALS = {
    # Braces as commands: BibTeX counts every brace character, `\{` included, so a literal
    # brace must be written without one, or one `{` would swallow the rest of the entry
    # and `}` plus text could start a field of its own. `{\cmd}` is what BibTeX calls a
    # special character: it sorts and changes case as one letter, the command untouched.
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"{\textasciicircum}",  # and so never TeX's `^^5c` notation
    "~": r"{\textasciitilde}",  # not the active character (a tie)
    "<": r"{\textless}",  # OT1 fonts print `<` and `>` as inverted ! and ?
    ">": r"{\textgreater}",
    "|": r"{\textbar}",
    "`": r"{\textasciigrave}",
}
"""ASCII characters TeX reads as syntax, written as commands that print them. `"` stays a
character: `\textquotedbl` is not in LaTeX's default OT1 encoding."""
_TEX_SPECIAL_FORMS = frozenset(TEX_SPECIALS.values())
_TEX_SPECIALS_RE = re.compile("[" + re.escape("".join(TEX_SPECIALS)) + "]")
_TEX_LIGATURES_RE = re.compile("(?<=-)(?=-)|(?<=')(?=')|(?<=,)(?=,)")
"""Between two characters that TeX would join into one (en dash, closing quote, low quote)."""
_TEX_ACCENTS = "' ` ^ \" ~ = . u v H c d b r".split()
_TEX_LETTERS = "ss o O l L ae AE oe OE aa AA i j ij IJ".split()
_TEX_SYMBOLS = """
textendash textemdash textquoteleft textquoteright textquotedblleft textquotedblright
textellipsis textexclamdown textquestiondown textsection textparagraph textdagger
textdaggerdbl textbullet textperiodcentered textcopyright textregistered texttrademark
textdegree textmu texttimes textdiv textonehalf textonequarter textthreequarters
textonesuperior texttwosuperior textthreesuperior textordfeminine textordmasculine
textsterling texteuro textyen textcent textcurrency textbrokenbar textlnot textperthousand
textpertenthousand textasciiacute textasciidieresis textasciimacron textasciibreve
textasciicaron textacutedbl textleftarrow textrightarrow textuparrow textdownarrow
textcelsius textnumero textestimated textinterrobang textvisiblespace textasteriskcentered
textbigcircle textopenbullet textreferencemark textmusicalnote textrecipe textservicemark
textdiscount textcircledP textflorin textlira textnaira textpeso textwon textdong textbaht
textcolonmonetary textmho textblank textfractionsolidus enskip quad
""".split()
TEX_TEXT_COMMANDS = frozenset(
    _TEX_ACCENTS + _TEX_LETTERS + _TEX_SYMBOLS + [",", "-"]
    + [command[2:-1] for command in TEX_SPECIALS.values() if command.startswith("{")]
)  # fmt: skip
"""Text-mode commands `tex_text` writes, without their backslash: accents, letters and
symbols that LaTeX's kernel defines in every encoding, LaTeX's default OT1 included (so
not `\\th`, `\\k` or `\\guillemotleft`, which exist only in T1). Any other non-ASCII
character is written as itself (UTF-8), which LaTeX reads with the font encoding or the
package a reader has for it (T1 for `þ`, CJK, Cyrillic, emoji)."""
_TEX_COMMAND_RE = re.compile(r"\\([A-Za-z]+|.)")
_ENSUREMATH_RE = re.compile(r"\{\\ensuremath\{.*\}\}", re.DOTALL)
_UNICODE_TO_TEX = UnicodeToLatexEncoder(
    non_ascii_only=True,
    replacement_latex_protection="braces-all",
    unknown_char_policy="keep",
    unknown_char_warning=False,
)
_TEX_TO_UNICODE = LatexNodes2Text()
_BIBTEX_KEY_RE = re.compile(r"[^A-Za-z0-9_:-]+")
_URL_KEEP = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)
"""URL characters a BibTeX `url` field keeps: RFC 3986's, minus nothing TeX or BibTeX
would misread in `\\url{...}` (braces, backslash and `^` are not among them)."""

CSV_SEPARATORS = ",;\t|\r\n"
"""What a spreadsheet may split a CSV line at, whatever the file says: `,`, `;` (the list
separator of many locales), tab, `|`, and line ends (a naive reader splits rows at any)."""
CSV_FORMULA_STARTS = "=+-@\t\r"
"""What makes a spreadsheet read a cell as a formula (OWASP's list)."""
_CSV_CELL_START_RE = re.compile(
    f"(^|[{re.escape(CSV_SEPARATORS)}])([ \"]*)(?=[{re.escape(CSV_FORMULA_STARTS)}'])"
)
"""Where a cell may start (the start, or after a separator, spaces and quotes), followed by
a formula character or by the `'` that marks one."""


def html_text(value: str) -> Markup:
    """Text for HTML: `&`, `<`, `>`, `"` and `'` escaped, so it is safe in element content and
    in a quoted attribute value alike."""
    return Markup(html.escape(value, quote=True))


def html_element_text(value: str) -> Markup:
    """Text for HTML element content only (never an attribute): `&`, `<` and `>` escaped.
    Quotes mean nothing there, and JSON shown in a `<pre>` is full of them."""
    return Markup(html.escape(value, quote=False))


_SCRIPT_DATA_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def json_for_script(value: Any) -> Markup:
    """JSON for the content of a `<script type="application/json">` element, read back with
    `JSON.parse`: `<`, `>` and `&` are written as JSON escapes, so no value can close the
    element (`</script`) or open a comment the parser would treat specially (`<!--`); so are
    U+2028 and U+2029, which older JavaScript parsers read as line ends. These characters occur
    only inside JSON strings, where the escapes read back as the same characters. Control
    characters are escaped by JSON itself (`\\u0000`: the HTML parser would change NUL)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_SCRIPT_DATA_ESCAPES))


def xml_chars(value: str) -> str:
    """Text whose characters XML 1.0 allows: any other becomes U+FFFD (entries forbid control
    characters; this keeps one bad value from making a whole feed unreadable)."""
    return _XML_INVALID_RE.sub("\ufffd", value)


def xml_text(value: str) -> str:
    """Text for XML 1.0 element content or a quoted attribute value: characters XML forbids
    become U+FFFD, and `&`, `<`, `>`, `"`, `'` are escaped (`>` too, so no `]]>` survives)."""
    escaped = html.escape(xml_chars(value), quote=True)
    # Line breaks in attribute values are normalised to spaces by XML parsers; keep them.
    return escaped.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;")


class _DoubleQuoted(str):
    """A string PyYAML must write in double quotes, where every line break is an escape."""


class _FrontMatterDumper(yaml.SafeDumper):
    """PyYAML's safe emitter, plus `_DoubleQuoted` strings."""


_FrontMatterDumper.add_representer(
    _DoubleQuoted,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"'),
)
# Line breaks YAML folds into a space when they stand unescaped in a single-quoted scalar.
_YAML_FOLDED_BREAKS = re.compile("[\x85\u2028\u2029]")


def yaml_document(values: dict[str, str]) -> str:
    """A YAML mapping written by PyYAML's emitter: each value is one scalar that reads back
    exactly, so nothing in a value can add a key, a tag (`!ENV`) or a document separator."""
    quoted = {
        key: _DoubleQuoted(value) if _YAML_FOLDED_BREAKS.search(value) else value
        for key, value in values.items()
    }
    return yaml.dump(
        quoted, Dumper=_FrontMatterDumper, allow_unicode=True, sort_keys=False, width=1_000_000
    )


def tex_text(value: str) -> str:
    """Text as LaTeX text-mode TeX that prints exactly it, safe in a BibTeX field: TeX's
    special characters as commands (`{` is `{\\textbraceleft}`, so every brace in the
    result is one of a balanced pair), accented letters and symbols as LaTeX's commands
    (`é` is `{\\'e}`, from pylatexenc, only commands of `TEX_TEXT_COMMANDS`), other
    characters as UTF-8, controls dropped and whitespace on one line (not stripped: this
    may be one run of a longer text)."""
    one_line = _WHITESPACE_RE.sub(" ", _CONTROL_RE.sub("", value))
    escaped = _TEX_SPECIALS_RE.sub(lambda m: TEX_SPECIALS[m.group()], one_line)
    escaped = _TEX_LIGATURES_RE.sub("{}", escaped)
    if escaped.isascii():
        return escaped
    return "".join(_tex_character(ch) if ord(ch) > 127 else ch for ch in escaped)


@functools.lru_cache(maxsize=4096)
def _tex_character(ch: str) -> str:
    """A non-ASCII character as pylatexenc writes it in TeX, when that is made of commands
    we vouch for and reads back as exactly that character; else the character itself.
    (pylatexenc approximates some: `Ű` as `\\'{U}`, `Ħ` as `\\={H}`.)"""
    tex = _UNICODE_TO_TEX.unicode_to_latex(ch)
    if tex == ch or _ENSUREMATH_RE.fullmatch(tex):
        return ch  # math for a text character (`\\ensuremath{_2}` for `₂`) reads back as TeX
    if tex in _TEX_SPECIAL_FORMS or not _bibtex_balanced(tex):
        return ch  # the modifier letter U+02C6 is not `^`, whose form this is
    if not all(name in TEX_TEXT_COMMANDS for name in _TEX_COMMAND_RE.findall(tex)):
        return ch
    return tex if _TEX_TO_UNICODE.latex_to_text(tex) == ch else ch


def bibtex_value(tex: str) -> str:
    """A braced BibTeX field value holding `tex` as it is: one line, and refused (a bug in
    the caller) unless every brace in it is one of a balanced pair, as BibTeX counts them."""
    if not _bibtex_balanced(tex) or "\n" in tex or "\r" in tex:
        raise ValueError(f"not one balanced line of TeX: {tex[:80]!r}")
    return "{" + tex + "}"


def _bibtex_balanced(tex: str) -> bool:
    depth = 0
    for ch in tex:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def bibtex_key(value: str) -> str:
    """A citation key from a slug or id: letters, digits, `_`, `:` and `-` only."""
    return _BIBTEX_KEY_RE.sub("", value) or "entry"


def bibtex_url(url: str) -> str:
    """A URL for a BibTeX `url` field (read by `\\url`): characters outside `_URL_KEEP`
    percent-encoded as UTF-8 (`{` is `%7B`, `^` is `%5E`), the same address to a server."""
    return "".join(
        ch if ch in _URL_KEEP else "".join(f"%{byte:02X}" for byte in ch.encode("utf-8"))
        for ch in url
    )


def ris_value(value: str) -> str:
    """An RIS value on one line, so no text can start a tag line such as `ER  - `: line
    breaks (LF, CR, U+2028, U+2029) and the white space around them become one space; the
    other characters a reader may split lines at (VT, FF, NEL, the C0 and C1 controls) are
    dropped; other spaces (NBSP) are kept."""
    return _WHITESPACE_RE.sub(" ", _CONTROL_RE.sub("", value)).strip()


def csv_cell(value: str) -> str:
    """A CSV cell value that no spreadsheet runs as a formula, in any locale: wherever a
    cell could start (the value's start, or after any of `CSV_SEPARATORS`, then spaces or
    quotes) before `=`, `+`, `-`, `@`, tab or CR, a `'` is put, as OWASP advises; a `'`
    there is doubled, so removing one `'` at each such place gives the value back. Write
    it with every cell quoted (`csv.QUOTE_ALL`)."""
    return _CSV_CELL_START_RE.sub(r"\1\2'", value)
