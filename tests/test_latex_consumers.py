"""The BibTeX exports as readers use them: Debian's pdflatex and bibtex, with natbib.

A LaTeX document cites every entry of the seed catalogue and of the hostile corpus, from the
`catalogue.bib` files the real MkDocs builds published, and is compiled once, pdflatex +
bibtex + pdflatex, in a folder of its own (`tests/latex_run.py`). It must compile with no
error, open no file outside its folder other than TeX's own, and show each title exactly.
`make test` installs them (`.ci/install-tex`); without them these tests fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pybtex.database.input.bibtex import Parser as PybtexParser

from generator import CatalogueSources, load_catalogue
from generator.model import tex_math
from generator.model.escaping import _TEX_ACCENTS, TEX_TEXT_COMMANDS
from tests.latex_run import (
    PREAMBLE,
    LatexRun,
    compile_bibliography,
    missing_tools,
    title_problems,
)
from tests.parsed_output import decoded, shown_text

pytestmark = pytest.mark.slow

BBL_COMMANDS = frozenset({"bibitem", "newblock", "natexlab", "emph", "url", "urlprefix"})
"""What plainnat itself writes around the entries' fields."""
MATH_STRUCTURE = frozenset({"left", "right", "middle", "not", "limits", "nolimits"})


@pytest.fixture(scope="module")
def tex_tools() -> None:
    missing = missing_tools()
    # A missing tool is a failure, never a skip: `make test` runs .ci/install-tex first.
    assert not missing, f"{missing} not found: run `make tex` (.ci/install-tex) first"


@pytest.fixture(scope="module")
def bibliographies(seed_site: Path, hostile_site: Path) -> dict[str, str]:
    """The published `catalogue.bib` of the seed and of the hostile site."""
    return {
        name: (site / "catalogue.bib").read_text(encoding="utf-8")
        for name, site in (("seed", seed_site), ("hostile", hostile_site))
    }


@pytest.fixture(scope="module")
def latex_run(
    tex_tools: None, bibliographies: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> LatexRun:
    return compile_bibliography(tmp_path_factory.mktemp("latex") / "paper", bibliographies)


def _titles(bibliographies: dict[str, str]) -> dict[str, str]:
    """Each entry's title field as pybtex reads it from the published files."""
    titles = {}
    for text in bibliographies.values():
        for key, entry in PybtexParser().parse_string(text).entries.items():
            titles[key] = entry.fields["title"]
    return titles


def test_every_entry_compiles_with_no_error_and_opens_nothing_outside(
    latex_run: LatexRun, bibliographies: dict[str, str]
) -> None:
    assert latex_run.problems == []
    keys = _titles(bibliographies)
    assert len(keys) > 124 + 60  # the seed and the hostile corpus, all cited
    assert len(latex_run.bibitems(list(keys))) == len(keys)
    # The recorder really recorded: the bibliography, the class and natbib were read.
    opened = " ".join(latex_run.opened)
    assert "paper.bbl" in opened and "article.cls" in opened and "natbib.sty" in opened


def test_every_title_in_the_bibliography_is_the_entrys(
    latex_run: LatexRun,
    bibliographies: dict[str, str],
    hostile_catalogue: Path,
    repo_root: Path,
) -> None:
    titles = _titles(bibliographies)
    assert title_problems(latex_run, titles) == []
    # ... and that title field is the entry's title, as TeX (pylatexenc decodes it).
    for root in (repo_root, hostile_catalogue):
        catalogue = load_catalogue(CatalogueSources(root))
        for paper in catalogue.papers:
            tex = titles[catalogue.citation_keys[paper.slug]]
            assert decoded(pybtex_text(tex)) == shown_text(paper.entry.title), paper.slug


def pybtex_text(tex: str) -> str:
    """TeX decoded to text the way the other tests decode bibtexparser's values."""
    from tests.parsed_output import _latex_decoder

    return str(_latex_decoder().latex_to_text(tex))


def test_the_bibliography_holds_only_commands_we_vouch_for(latex_run: LatexRun) -> None:
    entries = latex_run.bbl.split("\\bibitem", 1)[1].rsplit("\\end{thebibliography}", 1)[0]
    used = set(re.findall(r"\\([A-Za-z]+)", entries))
    allowed = BBL_COMMANDS | TEX_TEXT_COMMANDS | tex_math.COMMANDS | MATH_STRUCTURE
    assert used - allowed == set()
    assert {"textbraceleft", "textbackslash", "frac", "mathbb"} <= used  # the corpus has them


@pytest.mark.parametrize("encoding", ["OT1", "T1"])
def test_every_command_the_exports_may_write_is_defined(
    tex_tools: None, tmp_path: Path, encoding: str
) -> None:
    # LaTeX's default encoding (OT1) and the usual one (T1), with amsmath and amssymb.
    text = [
        f"{{\\{name}{{a}}}}" if name in _TEX_ACCENTS else f"{{\\{name}}}"
        for name in sorted(TEX_TEXT_COMMANDS)
    ]
    math = [f"${formula}$" for formula in _math_examples()]
    preamble = PREAMBLE.replace("\n", f"\n\\usepackage[{encoding}]{{fontenc}}\n", 1)
    body = "\n".join(f"{line}\\par" for line in text + math)
    run = compile_bibliography(tmp_path / "commands", {"empty": ""}, preamble=preamble, body=body)
    assert [p for p in run.problems if not p.startswith("paper.blg")] == []
    assert len(text) > 100 and len(math) > 300


def _math_examples() -> list[str]:
    """Every command of `tex_math` in a formula that `latex_math` keeps."""
    # A symbol last in its formula: a command that wants an argument would take the `$`.
    forms = [f"x \\{name}" for name in tex_math.SYMBOLS]
    forms += [f"\\{name}{{x}}" for name in tex_math.ONE_ARGUMENT]
    forms += [f"\\{name}{{x}}{{y}}" for name in tex_math.TWO_ARGUMENTS]
    forms += [f"\\{name}{{ab}}" for name in tex_math.TEXT_ARGUMENT]
    forms += [f"\\{name}( x \\{name})" for name in tex_math.SIZED_DELIMITERS]
    forms += [f"\\left\\{name} x \\middle| y \\right." for name in tex_math.DELIMITER_COMMANDS]
    forms += [f"\\not\\{name}" for name in tex_math.RELATIONS_AFTER_NOT]
    forms += [f"\\{name}\\limits_a^b x" for name in tex_math.BIG_OPERATORS]
    forms += [f"a \\{symbol} b" for symbol in tex_math.CONTROL_SYMBOLS]
    kept = [tex_math.latex_math(form) for form in forms]
    assert None not in kept, [form for form, k in zip(forms, kept, strict=True) if k is None]
    return [k for k in kept if k is not None]


# --- The checks themselves: each finds what the exports did before they were made safe ---


def test_the_checks_find_a_file_read_outside_the_folder(tex_tools: None, tmp_path: Path) -> None:
    # `^^5c` is a backslash to TeX: `\input` of an absolute path, refused by openin_any=p.
    caret = "@misc{a, title = {$x^^5cinput{/etc/hostname}$}}\n"
    run = compile_bibliography(tmp_path / "caret", {"refs": caret})
    assert any("Not reading from /etc/hostname" in p for p in run.problems), run.problems
    # A file TeX finds on its search path, outside the folder: seen in the recorder file.
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "elsewhere.tex").write_text("read\n", encoding="utf-8")
    search = "@misc{b, title = {\\input{elsewhere}}}\n"
    run = compile_bibliography(
        tmp_path / "search", {"refs": search}, env={"TEXINPUTS": f"{outside}//:"}
    )
    assert any("elsewhere.tex is outside the folder" in p for p in run.problems), run.problems


def test_the_checks_find_undefined_commands_and_injected_fields(
    tex_tools: None, tmp_path: Path
) -> None:
    href = "@misc{a, title = {$\\href{run:calc}{x}$}}\n"
    run = compile_bibliography(tmp_path / "href", {"refs": href})
    assert any("Undefined control sequence" in p for p in run.problems), run.problems
    injected = '@misc{b, title = {x \\} , url = "https://evil.example/phish"}, year = {2024}}\n'
    run = compile_bibliography(tmp_path / "injected", {"refs": injected})
    # BibTeX reads a title `x \` and a url field: the title check sees it.
    assert title_problems(run, {"b": 'x \\} , url = "https://evil.example/phish"'}) != []
    unbalanced = "@misc{c, title = {Open \\{ brace}, year = {2024}}\n"
    run = compile_bibliography(tmp_path / "unbalanced", {"refs": unbalanced})
    assert run.problems != []
