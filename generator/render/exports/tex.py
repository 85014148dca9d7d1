"""Entry text as TeX for BibTeX fields: formulas LaTeX can safely read are kept, all else is text.

Entries are plain text with inline TeX (see `generator.model.text`): `$...$` is math, `\\%` a
percent sign, `\\eg` "e.g.". In a BibTeX field every character of the text means itself
(`escaping.tex_text`: `%` is `\\%`, `{` is `{\\textbraceleft}`, `é` is `{\\'e}`), and a
formula stays a formula only when `tex_math.latex_math` vouches for it: commands from an
explicit list of harmless math, arranged as LaTeX accepts them. Anything else
(`$\\input{/etc/passwd}$`, `$x^^5c...$`, `$\\href{run:...}{x}$`) is written as the text it
is, so a hostile entry cannot make a reader's LaTeX run do more than print it.

Which TeX a field may hold is decided per field by its caller: titles and venues may keep
formulas (`math=True`); names and keywords are text only.
"""

from __future__ import annotations

from generator.model.escaping import tex_text
from generator.model.tex_math import latex_math
from generator.model.text import segments


def to_tex(value: str, *, math: bool = True) -> str:
    """Entry text as TeX: each formula braced, `{$x^2$}` (so that styles which change a
    title's case leave it alone), or written as text when it is not safe math."""
    out = []
    # `segments` reads the text as the site shows it (`\%` is a percent sign, `\eg` is
    # "e.g."), so escaping what it returns writes the same text back as TeX.
    for segment in segments(value):
        formula = latex_math(segment.text) if segment.is_math and math else None
        if formula is not None:
            out.append("{$" + formula + "$}")
        else:
            out.append(tex_text(f"${segment.text}$" if segment.is_math else segment.text))
    # One line: a blank line inside a field would end a paragraph in the bibliography.
    return " ".join("".join(out).split())
