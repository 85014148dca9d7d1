"""BibTeX values: whatever an entry says, a real BibTeX parser reads back exactly that text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.exports.bibtex import protect_capitals
from generator.render.exports.tex import to_tex
from tests.parsed_output import decoded, parse_bibtex, shown_text

# TeX's special characters, ligature pairs, accents, symbols (en and em dash), CJK and emoji;
# no `$` (formulas are tested below, by example).
ALPHABET = list("aZ09 .,:;!?'`\"-{}%&_#~^\\<>|/@()[]=+*\n\t") + list("éÉßøŁ\u2013\u2014“”…≥→张😀")


def read_back(tex: str) -> str:
    (entry,) = parse_bibtex("@misc{key,\n  title = {" + tex + "}\n}\n")
    return decoded(entry.fields["title"])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_any_text_reads_back_as_itself(value: str) -> None:
    assert read_back(to_tex(value)) == shown_text(value)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_protecting_capitals_changes_no_text(value: str) -> None:
    assert read_back(protect_capitals(to_tex(value))) == shown_text(value)


def test_what_is_already_tex_is_kept() -> None:
    assert to_tex(r"34.7\% of H$_2$O, \eg MoE$^2$") == r"34.7\% of H$_2$O, e.g. MoE$^2$"
    assert to_tex(r"$\mathbb{R}^{n}$ and $O(n^2)$") == r"$\mathbb{R}^{n}$ and $O(n^2)$"


def test_formulas_latex_could_run_are_printed_instead() -> None:
    assert to_tex(r"$\input{/etc/passwd}$") == r"\$\textbackslash{}input\{/etc/passwd\}\$"
    assert to_tex(r"$\def\x{1}$").startswith(r"\$\textbackslash{}def")
    assert to_tex("$a}$") == r"\$a\}\$"  # would close the field's brace
    assert to_tex("$50%$") == r"$50\%$"  # a bare % would comment out the rest of the line


def test_accents_are_tex_accents_and_other_scripts_stay_utf8() -> None:
    assert to_tex("Gödel, Łukasz, 张伟") == r"G{\"o}del, {\L}ukasz, 张伟"


def test_capitals_are_protected_word_by_word() -> None:
    assert protect_capitals("Fast LLM Serving with FlashAttention on H$_2$O") == (
        "Fast {LLM} Serving with {FlashAttention} on {H$_2$O}"
    )
    assert protect_capitals("Math $A B$ stays whole") == "Math $A B$ stays whole"
