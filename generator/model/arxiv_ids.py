"""arXiv identifiers: which ones can exist, and when two of them name one paper.

The rules are arXiv's own (its help page "Understanding the arXiv identifier"):
- since April 2007, `YYMM.NNNN` (to 1412) or `YYMM.NNNNN` (from 1501), the number starting at
  `0001` / `00001`, the month 01-12;
- before, `archive/YYMMNNN` or `archive.SC/YYMMNNN` (a subject class, which is not part of the
  paper's identity: `math/0101001` and `math.AG/0101001` are one paper), from August 1991
  (hep-th/9108001) to March 2007, the number starting at 001;
- either form with a version `vN`, N from 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NEW_STYLE_RE = re.compile(r"(\d{2})(\d{2})\.(\d{4,5})(?:v([1-9]\d{0,2}))?", re.ASCII)
OLD_STYLE_RE = re.compile(
    r"([a-z]+(?:-[a-z]+)?)(?:\.([A-Za-z]+(?:-[a-z]+)?))?/(\d{2})(\d{2})(\d{3})(?:v([1-9]\d{0,2}))?",
    re.ASCII,
)
FIRST_NEW_STYLE = (2007, 4)
FIRST_FIVE_DIGITS = (2015, 1)

# The archives that gave identifiers of the old form, with the first and last month they did
# (YYMM), and the subject classes arXiv lists for them: arXiv's taxonomy as published in its
# own code (arXiv/arxiv-base, arxiv/taxonomy/definitions.py). Archives created after March
# 2007 (stat, q-fin, eess, econ) never had old-style identifiers.
OLD_ARCHIVES: dict[str, tuple[str, str]] = {
    "acc-phys": ("9411", "9609"),
    "adap-org": ("9303", "9912"),
    "alg-geom": ("9202", "9712"),
    "ao-sci": ("9502", "9609"),
    "astro-ph": ("9204", "0703"),
    "atom-ph": ("9509", "9609"),
    "bayes-an": ("9506", "9611"),
    "chao-dyn": ("9301", "9912"),
    "chem-ph": ("9403", "9609"),
    "cmp-lg": ("9404", "9809"),
    "comp-gas": ("9302", "9912"),
    "cond-mat": ("9204", "0703"),
    "cs": ("9301", "0703"),
    "dg-ga": ("9406", "9712"),
    "funct-an": ("9204", "9712"),
    "gr-qc": ("9207", "0703"),
    "hep-ex": ("9404", "0703"),
    "hep-lat": ("9202", "0703"),
    "hep-ph": ("9203", "0703"),
    "hep-th": ("9108", "0703"),
    "math": ("9202", "0703"),
    "math-ph": ("9609", "0703"),
    "mtrl-th": ("9411", "9609"),
    "nlin": ("9301", "0703"),
    "nucl-ex": ("9412", "0703"),
    "nucl-th": ("9210", "0703"),
    "patt-sol": ("9302", "9912"),
    "physics": ("9610", "0703"),
    "plasm-ph": ("9509", "9609"),
    "q-alg": ("9412", "9712"),
    "q-bio": ("0309", "0703"),
    "quant-ph": ("9412", "0703"),
    "solv-int": ("9304", "9912"),
    "supr-con": ("9411", "9609"),
}
SUBJECT_CLASSES: dict[str, frozenset[str]] = {
    "astro-ph": frozenset("CO EP GA HE IM SR".split()),
    "cond-mat": frozenset(
        "dis-nn mes-hall mtrl-sci other quant-gas soft stat-mech str-el supr-con".split()
    ),
    "cs": frozenset(
        "AI AR CC CE CG CL CR CV CY DB DC DL DM DS ET FL GL GR GT HC IR IT LG LO MA MM MS NA "
        "NE NI OH OS PF PL RO SC SD SE SI SY".split()
    ),
    "math": frozenset(
        "AC AG AP AT CA CO CT CV DG DS FA GM GN GR GT HO IT KT LO MG MP NA NT OA OC PR QA RA "
        "RT SG SP ST".split()
    ),
    "nlin": frozenset("AO CD CG PS SI".split()),
    "physics": frozenset(
        "acc-ph ao-ph app-ph atm-clus atom-ph bio-ph chem-ph class-ph comp-ph data-an ed-ph "
        "flu-dyn gen-ph geo-ph hist-ph ins-det med-ph optics plasm-ph pop-ph soc-ph "
        "space-ph".split()
    ),
    "q-bio": frozenset("BM CB GN MN NC OT PE QM SC TO".split()),
}
_EXAMPLES = "write it like '2312.11514', 'hep-th/9901001' or 'math.AG/0101001'"


@dataclass(frozen=True)
class ParsedArxivId:
    """A parsed identifier."""

    base: str
    """The paper without version or subject class: `2312.11514`, `math/0101001`."""
    year: int
    month: int


def parse_arxiv_id(value: str) -> ParsedArxivId | str:
    """The identifier `value` names, or why no arXiv paper can have it."""
    new = NEW_STYLE_RE.fullmatch(value)
    if new:
        return _new_style(value, *new.groups()[:3])
    old = OLD_STYLE_RE.fullmatch(value)
    if old:
        return _old_style(value, *old.groups()[:5])
    return f"{value!r} is not an arXiv identifier; {_EXAMPLES}"


def _new_style(value: str, yy: str, mm: str, number: str) -> ParsedArxivId | str:
    year, month = 2000 + int(yy), int(mm)
    if not 1 <= month <= 12:
        return f"{value!r} cannot exist: {mm} is not a month (the digits are YYMM.number)"
    if (year, month) < FIRST_NEW_STYLE:
        return (
            f"{value!r} cannot exist: identifiers of this form start in April 2007 (0704); "
            f"older papers have identifiers like 'hep-th/9901001'"
        )
    digits = 5 if (year, month) >= FIRST_FIVE_DIGITS else 4
    if len(number) != digits:
        return (
            f"{value!r} cannot exist: papers from {month_name(year, month)} have a "
            f"{digits}-digit number after the dot"
        )
    if int(number) == 0:
        return f"{value!r} cannot exist: the number after the dot starts at {'0' * (digits - 1)}1"
    return ParsedArxivId(f"{yy}{mm}.{number}", year, month)


def _old_style(
    value: str, archive: str, subject: str | None, yy: str, mm: str, number: str
) -> ParsedArxivId | str:
    if archive not in OLD_ARCHIVES:
        return (
            f"{value!r} cannot exist: {archive!r} is not one of arXiv's archives with "
            f"identifiers of this form (hep-th, math, cs, cond-mat, astro-ph, ...)"
        )
    if subject is not None and subject not in SUBJECT_CLASSES.get(archive, ()):
        return f"{value!r} cannot exist: {archive} has no subject class {subject!r}"
    year, month = (1900 if yy >= "91" else 2000) + int(yy), int(mm)
    if not 1 <= month <= 12:
        return f"{value!r} cannot exist: {mm} is not a month (the digits are YYMMNNN)"
    first, last = OLD_ARCHIVES[archive]
    if not _yymm(first) <= _yymm(yy + mm) <= _yymm(last):
        return (
            f"{value!r} cannot exist: {archive} gave identifiers of this form from "
            f"{month_name(*_yymm(first))} to {month_name(*_yymm(last))}"
        )
    if int(number) == 0:
        return f"{value!r} cannot exist: the number after the month starts at 001"
    return ParsedArxivId(f"{archive}/{yy}{mm}{number}", year, month)


def _yymm(yymm: str) -> tuple[int, int]:
    yy = int(yymm[:2])
    return (1900 if yy >= 91 else 2000) + yy, int(yymm[2:])


_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def month_name(year: int, month: int) -> str:
    """`April 2007` (in English whatever the locale, as every other message)."""
    return f"{_MONTHS[month - 1]} {year}"


def arxiv_problem(value: str) -> str | None:
    """Why no arXiv paper can have the identifier `value`, or None."""
    parsed = parse_arxiv_id(value)
    return parsed if isinstance(parsed, str) else None


def arxiv_base(value: str) -> str:
    """The paper an identifier names, for telling two entries are one paper:
    `2312.11514v2` -> `2312.11514`, `math.AG/0101001v1` -> `math/0101001`. An identifier that
    cannot exist is returned without its version only."""
    parsed = parse_arxiv_id(value)
    return parsed.base if isinstance(parsed, ParsedArxivId) else re.sub(r"v\d+$", "", value)
