"""Run Debian's pdflatex and bibtex on a bibliography, sandboxed, and report what went wrong.

A reader who cites our BibTeX runs `pdflatex`, `bibtex`, `pdflatex` on it. `compile_bibliography`
does the same in a folder of its own, with TeX's own restrictions on (no shell escape;
`openin_any=p` and `openout_any=p`: no absolute paths, no parent folders, no dot files) and
reports, from the files TeX itself writes, everything a hostile entry could have caused:

- a file opened outside the folder, other than TeX's installation (the `.fls` recorder file
  lists every file pdfTeX opened; the `.log` names every file it refused to open);
- any TeX error (`! Undefined control sequence.`, `Runaway argument?`, a missing `$`...);
- any BibTeX error, or a BibTeX warning about a field or entry it did not expect.

`pdflatex` runs in draft mode: it typesets everything but writes no PDF, so no font has to
be generated or embedded (the test proves what TeX reads and runs, not what it draws).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

TOOLS = ("pdflatex", "bibtex", "kpsewhich")
"""What `.ci/install-tex` installs (Debian's texlive-latex-base)."""

PREAMBLE = r"""\documentclass{article}
\usepackage{amsmath,amssymb}
\usepackage{url}
\usepackage[numbers]{natbib}
"""
"""What a reader's paper typically loads around a bibliography: the math packages the
exports' formulas may use (`generator.model.tex_math`), `url` for `url` fields, natbib."""

_SANDBOX = {
    "shell_escape": "f",
    "openin_any": "p",
    "openout_any": "p",
    # Fail rather than generate a missing font or format into the user's home.
    "MKTEXPK": "0",
    "MKTEXTFM": "0",
    "MKTEXMF": "0",
    "MKTEXFMT": "0",
}
_KPSE_TREES = ("TEXMFDIST", "TEXMFMAIN", "TEXMFSYSVAR", "TEXMFSYSCONFIG", "TEXMFDEBIAN")
"""kpathsea's system trees: TeX's own installation, which any run reads."""
_REFUSED_RE = re.compile(r"Not (?:reading|writing) (?:from|to) [^\n]*")
_TEX_ERROR_RE = re.compile(r"^! .*$|^Runaway argument\?.*$", re.M)
_BIBTEX_TROUBLE_RE = re.compile(
    r"^(?:I was expecting|I'm skipping|Warning--I'm ignoring|Warning--I didn't find|"
    r"Warning--entry type|Too many commas|Repeated entry|.*error message).*$",
    re.M,
)


@dataclass
class LatexRun:
    """What one pdflatex + bibtex + pdflatex run left in its folder, and what went wrong."""

    folder: Path
    bbl: str = ""
    problems: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    """Every path in the `.fls` recorder file, as pdfTeX wrote it."""

    def bibitems(self, keys: list[str]) -> dict[str, str]:
        """The text after each `\\bibitem[label]{key}` of the `.bbl`, by key, with BibTeX's
        line breaks (it wraps at 79 columns, at spaces) joined back into spaces. The label
        is made of entry text, so items are found by their known keys, not by parsing it."""
        items: dict[str, str] = {}
        for chunk in self.bbl.split("\\bibitem")[1:]:
            chunk = chunk.split("\\end{thebibliography}")[0]
            ends = {chunk.rfind(f"]{{{key}}}\n"): key for key in keys if f"]{{{key}}}\n" in chunk}
            assert ends, chunk[:200]
            end = max(ends)
            key = ends[end]
            items[key] = " ".join(chunk[end + len(key) + 3 :].split())
        return items


def missing_tools() -> list[str]:
    """The TeX tools that are not on PATH."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def installation_trees() -> tuple[str, ...]:
    """Folders of TeX's installation, from kpathsea (every run reads files there)."""
    trees = set()
    for variable in _KPSE_TREES:
        value = subprocess.run(
            ["kpsewhich", f"-var-value={variable}"], capture_output=True, text=True, check=True
        ).stdout.strip()
        trees.update(part for part in value.split(":") if part.startswith("/"))
    return tuple(sorted(trees))


def compile_bibliography(
    folder: Path,
    bibliographies: dict[str, str],
    style: str = "plainnat",
    preamble: str = PREAMBLE,
    body: str = "",
    env: dict[str, str] | None = None,
) -> LatexRun:
    """Write each `name -> text` as `name.bib` in `folder` (a fresh, empty folder), cite every
    entry (`\\nocite{*}`) after `body`, and run pdflatex, bibtex, pdflatex there. `env` adds
    to the environment (the tests of the checks themselves widen TeX's search path)."""
    folder.mkdir(parents=True, exist_ok=False)
    for name, text in bibliographies.items():
        (folder / f"{name}.bib").write_text(text, encoding="utf-8")
    document = (
        preamble
        + _placeholders(bibliographies)
        + "\\begin{document}\n"
        + body
        + "\n\\nocite{*}\n"
        + f"\\bibliographystyle{{{style}}}\n"
        + f"\\bibliography{{{','.join(bibliographies)}}}\n"
        + "\\end{document}\n"
    )
    (folder / "paper.tex").write_text(document, encoding="utf-8")
    env = {**os.environ, **_SANDBOX, **(env or {})}
    latex = ["pdflatex", "-draftmode", "-interaction=nonstopmode", "-halt-on-error",
             "-no-shell-escape", "-recorder", "paper.tex"]  # fmt: skip
    run = LatexRun(folder)
    steps = [latex, ["bibtex", "paper"], latex]
    for number, command in enumerate(steps):
        done = subprocess.run(command, cwd=folder, env=env, capture_output=True, check=False)
        # kpathsea says on the terminal, not in the log, which files it refused to open.
        terminal = (done.stdout + done.stderr).decode("utf-8", "replace")
        run.problems += [f"{command[0]}: {m.group()}" for m in _REFUSED_RE.finditer(terminal)]
        # bibtex exits 1 for warnings (an entry without a year, say); what matters is read
        # from its log below.
        if done.returncode not in ((0, 1) if command[0] == "bibtex" else (0,)):
            run.problems.append(f"step {number + 1} ({command[0]}) exited {done.returncode}")
            break
    run.problems += _read_logs(run, installation_trees())
    return run


_DECLARE_IF_NEW = (
    r"\def\catalogueplaceholder#1#2{\expandafter\ifx\csname u8:\detokenize{#1}\endcsname"
    r"\relax\DeclareUnicodeCharacter{#2}{[U+#2]}\fi}"
)


def _placeholders(bibliographies: dict[str, str]) -> str:
    """A visible placeholder for each character of the bibliographies that LaTeX's UTF-8
    input has no definition for (Arabic, CJK, emoji): a reader's setup for such text
    (fonts, babel, xeCJK) defines them; without one, LaTeX stops at the first."""
    found = sorted({ch for text in bibliographies.values() for ch in text if ord(ch) > 127})
    lines = [_DECLARE_IF_NEW] + [f"\\catalogueplaceholder{{{ch}}}{{{ord(ch):04X}}}" for ch in found]
    return "\n".join(lines) + "\n"


def _read_logs(run: LatexRun, trees: tuple[str, ...]) -> list[str]:
    folder = run.folder.resolve()
    problems = []
    log = _read(folder / "paper.log")
    problems += [f"paper.log: {m.group()}" for m in _TEX_ERROR_RE.finditer(log)]
    problems += [f"paper.log: {m.group()}" for m in _REFUSED_RE.finditer(log)]
    blg = _read(folder / "paper.blg")
    problems += [f"paper.blg: {m.group()}" for m in _BIBTEX_TROUBLE_RE.finditer(blg)]
    problems += [f"paper.blg: {m.group()}" for m in _REFUSED_RE.finditer(blg)]
    for line in _read(folder / "paper.fls").splitlines():
        kind, _, path = line.partition(" ")
        if kind not in ("INPUT", "OUTPUT"):
            continue
        run.opened.append(path)
        where = (folder / path).resolve()
        inside = where == folder or folder in where.parents
        if not inside and not where.as_posix().startswith(tuple(t + "/" for t in trees)):
            problems.append(f"paper.fls: {kind} {path} is outside the folder")
    for line in blg.splitlines():
        # BibTeX has no recorder; its log names the files it read.
        for name in re.findall(r"^(?:The style file|Database file #\d+): (.*)$", line):
            if not (folder / name).resolve().is_relative_to(folder) and "/" in name:
                problems.append(f"paper.blg: read {name} outside the folder")
    run.bbl = _read(folder / "paper.bbl")
    return problems


def _read(path: Path) -> str:
    # TeX writes its logs in the input's bytes; a hostile title may not be valid UTF-8 there.
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def title_problems(run: LatexRun, titles: dict[str, str]) -> list[str]:
    """Where the `.bbl` does not show an entry's title exactly: `titles` maps each key to
    its title field as written (TeX); natbib's styles print it as BibTeX's `"t"
    change.case$` makes it (`title_case`), as a block of its own (at the item's start or
    after `\\newblock`), followed by `,` or `.` or nothing."""
    items = run.bibitems(list(titles))
    problems = [f"{key}: not in the bibliography" for key in titles if key not in items]
    for key, item in items.items():
        shown = title_case(titles[key])
        ends = [len(shown)] if item.startswith(shown) else []
        ends += [m.end() for m in re.finditer(re.escape("\\newblock " + shown), item)]
        if not any(item[end : end + 1] in ("", ",", ".") for end in ends):
            problems.append(f"{key}: title {shown!r} is not a block of {item[:300]!r}")
    return problems


_SPECIAL_UPPER = frozenset({"L", "O", "OE", "AE", "AA"})
"""Control sequences BibTeX itself lowercases in a special character (`{\\L}` -> `{\\l}`)."""


def title_case(tex: str) -> str:
    """BibTeX's `"t" change.case$`, as bibtex.web writes it (pybtex's `change_case` leaves
    `{\\"U}` alone; BibTeX lowercases the letters of a special character): ASCII letters
    outside braces lowercased except the first and the first after `: `; a group is left
    alone unless it is a special character, `{\\...}` at depth 1, whose text (not its command
    names, except `\\L \\O \\OE \\AE \\AA`) is lowercased."""
    out = list(tex)
    depth, position, prev_colon = 0, 0, False
    while position < len(out):
        ch = out[position]
        if ch == "{":
            depth += 1
            special = (
                depth == 1
                and position + 4 <= len(out)
                and out[position + 1] == "\\"
                and position != 0
                and not (prev_colon and out[position - 1] in " \t")
            )
            if special:
                position = _lower_special(out, position)
                depth = 0
            prev_colon = False
        elif ch == "}":
            depth = max(depth - 1, 0)
            prev_colon = False
        elif depth == 0:
            if position != 0 and not (prev_colon and out[position - 1] in " \t"):
                out[position] = ch.lower() if "A" <= ch <= "Z" else ch
            if ch == ":":
                prev_colon = True
            elif ch not in " \t":
                prev_colon = False
        position += 1
    return "".join(out)


def _lower_special(out: list[str], start: int) -> int:
    """Lowercase the special character opening at `start`; the position of its `}`."""
    depth, position = 1, start + 1
    while position < len(out) and depth > 0:
        position += 1  # the backslash
        name_start = position
        while position < len(out) and out[position].isascii() and out[position].isalpha():
            position += 1
        if "".join(out[name_start:position]) in _SPECIAL_UPPER:
            out[name_start:position] = [c.lower() for c in out[name_start:position]]
        while position < len(out) and depth > 0 and out[position] != "\\":
            if out[position] == "}":
                depth -= 1
            elif out[position] == "{":
                depth += 1
            elif "A" <= out[position] <= "Z":
                out[position] = out[position].lower()
            position += 1
    return position - 1
