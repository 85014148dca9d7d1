"""BibTeX values: whatever an entry says, a real BibTeX parser reads back exactly that text.

Real BibTeX and pdflatex read the exports in tests/test_latex_consumers.py; here pybtex and
bibtexparser (the parsers reference managers use) read single fields, for any text.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from pybtex.database.input.bibtex import Parser as PybtexParser

from generator.model.escaping import tex_text
from generator.render.exports.bibtex import protect_capitals
from generator.render.exports.tex import to_tex
from tests.parsed_output import decoded, parse_bibtex, shown_text

# TeX's special characters, ligature pairs, accents, symbols (en and em dash), CJK and emoji;
# no `$` (formulas are tested below, by example).
ALPHABET = list("aZ09 .,:;!?'`\"-{}%&_#~^\\<>|/@()[]=+*\n\t") + list("éÉßøŁ\u2013\u2014“”…≥→张😀")


def read_back(tex: str) -> str:
    """The title field as bibtexparser reads and pylatexenc decodes it; pybtex must read the
    same TeX, and both only the one field."""
    source = "@misc{key,\n  title = {" + tex + "},\n  year = {2024}\n}\n"
    (entry,) = parse_bibtex(source)
    assert set(entry.raw) == {"title", "year"} and entry.raw["title"] == tex
    (pybtex_entry,) = PybtexParser().parse_string(source).entries.values()
    assert dict(pybtex_entry.fields) == {"title": tex, "year": "2024"}
    return decoded(entry.fields["title"])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
@example('x } , url = "https://evil.example/phish"')
@example("Open { and never closed")
@example("} @misc{other, title = {")
def test_any_text_reads_back_as_itself(value: str) -> None:
    assert read_back(to_tex(value)) == shown_text(value)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_protecting_capitals_changes_no_text(value: str) -> None:
    assert read_back(protect_capitals(to_tex(value))) == shown_text(value)


def test_every_brace_of_text_is_one_of_a_pair() -> None:
    # BibTeX counts `\{` and `\}` as braces too: a literal brace is a command without one.
    assert tex_text("a { b } c") == r"a {\textbraceleft} b {\textbraceright} c"
    assert to_tex('x } , url = "https://evil.example/phish"') == (
        r'x {\textbraceright} , url = "https://evil.example/phish"'
    )


def test_what_is_already_tex_is_kept() -> None:
    assert to_tex(r"34.7\% of H$_2$O, \eg MoE$^2$") == r"34.7\% of H{$_2$}O, e.g. MoE{$^2$}"
    assert to_tex(r"$\mathbb{R}^{n}$ and $O(n^2)$") == r"{$\mathbb{R}^{n}$} and {$O(n^2)$}"
    assert to_tex(r"$\{x\} \frac12$") == r"{$\lbrace x\rbrace \frac{1}{2}$}"
    assert to_tex("$50%$") == r"{$50\%$}"  # a bare % would comment out the rest of the line


def test_formulas_latex_could_run_are_printed_instead() -> None:
    assert to_tex(r"$\input{/etc/passwd}$") == (
        r"\${\textbackslash}input{\textbraceleft}/etc/passwd{\textbraceright}\$"
    )
    assert to_tex(r"$x^^5cinput{/etc/passwd}$").startswith(
        r"\$x{\textasciicircum}{\textasciicircum}5cinput"
    )
    assert to_tex(r"$\href{run:calc}{x}$").startswith(r"\${\textbackslash}href")
    assert to_tex(r"$\csname input\endcsname$").startswith(r"\${\textbackslash}csname")
    assert to_tex(r"$\def\x{1}$").startswith(r"\${\textbackslash}def")
    assert to_tex(r"$a\\%b$") == r"\$a{\textbackslash}{\textbackslash}\%b\$"
    assert to_tex("$a}$") == r"\$a{\textbraceright}\$"  # would close the field's brace
    assert to_tex("$a~b$") == r"\$a{\textasciitilde}b\$"  # an active character


def test_names_and_keywords_hold_no_math() -> None:
    assert to_tex("$x$ Smith", math=False) == r"\$x\$ Smith"


def test_accents_are_tex_accents_and_other_scripts_stay_utf8() -> None:
    assert to_tex("Gödel, Łukasz, 张伟") == r"G{\"o}del, {\L}ukasz, 张伟"
    # pylatexenc writes `Ű` as `\'{U}` (an acute, not a double acute): kept as UTF-8.
    assert to_tex("Ű ₂ þ") == "Ű ₂ þ"


def test_capitals_are_protected_word_by_word() -> None:
    assert protect_capitals(to_tex("Fast LLM Serving with FlashAttention on H$_2$O")) == (
        "Fast {LLM} Serving with {FlashAttention} on {H{$_2$}O}"
    )
    assert protect_capitals(to_tex("Math $A B$ stays whole")) == "Math {$A B$} stays whole"
