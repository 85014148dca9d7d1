"""Which inline formulas may be handed to a reader's LaTeX as math, and in what form.

A formula from an entry goes into the BibTeX exports, and from there into a stranger's LaTeX
run. It is kept as math only when it is made of an explicit list of commands that are
harmless in LaTeX math mode and defined by the LaTeX kernel, amsmath or amssymb, arranged
as LaTeX accepts them (each command with its arguments, one superscript and one subscript
per atom, `\\left` with its `\\right`). Everything else (`\\href`, `\\input`, `\\csname`,
TeX's `^^5c` notation for a backslash, active characters, any command not on the list) makes
the whole formula text: the caller writes it as the characters it is.

The check is a small recursive-descent reading of the formula, not a TeX interpreter: it
refuses whatever it does not understand, so a formula it keeps cannot run anything, open a
file or stop the reader's build. `tests/test_latex_consumers.py` compiles every command of
the lists with pdflatex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SYMBOLS = """
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa lambda
mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega digamma
Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega
varGamma varDelta varTheta varLambda varXi varPi varSigma varUpsilon varPhi varPsi varOmega
pm mp times div cdot ast star circ bullet oplus ominus otimes oslash odot cap cup sqcap sqcup
vee wedge setminus smallsetminus wr diamond uplus amalg dagger ddagger bigtriangleup
bigtriangledown triangleleft triangleright lhd rhd unlhd unrhd ltimes rtimes boxplus
boxminus boxtimes boxdot circledast circledcirc dotplus land lor
leq le geq ge neq ne equiv sim simeq approx cong propto prec succ preceq succeq ll gg lll ggg
subset supset subseteq supseteq subsetneq supsetneq sqsubset sqsupset sqsubseteq sqsupseteq
in ni notin mid nmid parallel nparallel perp models vdash dashv asymp doteq bowtie smile
frown leqslant geqslant lesssim gtrsim approxeq triangleq eqsim backsim nleq ngeq nless
ngtr nsim ncong lessgtr gtrless vDash Vdash
leftarrow rightarrow to gets Leftarrow Rightarrow leftrightarrow Leftrightarrow mapsto
longleftarrow longrightarrow Longleftarrow Longrightarrow longleftrightarrow
Longleftrightarrow longmapsto uparrow downarrow updownarrow Uparrow Downarrow Updownarrow
nearrow searrow swarrow nwarrow hookleftarrow hookrightarrow leftharpoonup rightharpoonup
leftharpoondown rightharpoondown rightleftharpoons iff implies impliedby
twoheadrightarrow twoheadleftarrow rightsquigarrow leadsto
infty nabla partial forall exists nexists neg lnot emptyset varnothing ell hbar hslash Re
Im aleph beth wp prime angle top bot surd flat natural sharp triangle Box square
blacksquare checkmark complement imath jmath clubsuit diamondsuit heartsuit spadesuit
therefore because
ldots cdots vdots ddots dots dotsc dotsb dotsm dotsi ldotp cdotp colon
sum prod coprod int iint iiint oint bigcup bigcap bigoplus bigotimes bigodot bigvee
bigwedge bigsqcup biguplus
log ln lg exp sin cos tan sec csc cot sinh cosh tanh coth arcsin arccos arctan arg deg det
dim gcd hom inf ker lim liminf limsup max min Pr sup bmod
langle rangle lceil rceil lfloor rfloor lbrace rbrace lvert rvert lVert rVert vert Vert
backslash
quad qquad enspace thinspace medspace thickspace negthinspace negmedspace negthickspace
"""
_ONE_ARGUMENT = """
hat check breve acute grave tilde bar vec dot ddot dddot mathring widehat widetilde
overline underline overrightarrow overleftarrow overleftrightarrow overbrace underbrace
mathrm mathbf mathit mathsf mathtt mathcal mathbb mathfrak mathnormal boldsymbol pmb
sqrt mod pmod pod
"""
_TWO_ARGUMENTS = "frac dfrac tfrac cfrac binom dbinom tbinom overset underset stackrel"
_TEXT_ARGUMENT = "text textrm textit textbf textsf texttt textnormal mbox operatorname"
_SIZED_DELIMITERS = """
big Big bigg Bigg bigl Bigl biggl Biggl bigr Bigr biggr Biggr bigm Bigm biggm Biggm
"""
_BIG_OPERATORS = """
sum prod coprod int iint iiint oint bigcup bigcap bigoplus bigotimes bigodot bigvee bigwedge
bigsqcup biguplus lim liminf limsup max min sup inf det gcd Pr
"""
_RELATIONS_AFTER_NOT = """
leq le geq ge equiv sim simeq approx cong propto prec succ preceq succeq subset supset
subseteq supseteq in ni mid parallel perp models asymp doteq
"""
_DELIMITER_COMMANDS = """
langle rangle lceil rceil lfloor rfloor lbrace rbrace lvert rvert lVert rVert vert Vert
backslash uparrow downarrow updownarrow Uparrow Downarrow Updownarrow
"""

SYMBOLS = frozenset(_SYMBOLS.split())
"""Commands that take no argument: letters, operators, relations, arrows, spaces."""
ONE_ARGUMENT = frozenset(_ONE_ARGUMENT.split())
"""Accents and font changes: one math argument (`\\sqrt` may have `[n]` first)."""
TWO_ARGUMENTS = frozenset(_TWO_ARGUMENTS.split())
TEXT_ARGUMENT = frozenset(_TEXT_ARGUMENT.split())
"""One argument read as text: letters, digits, spaces and plain punctuation only."""
SIZED_DELIMITERS = frozenset(_SIZED_DELIMITERS.split())
BIG_OPERATORS = frozenset(_BIG_OPERATORS.split())
"""What `\\limits` and `\\nolimits` may follow."""
RELATIONS_AFTER_NOT = frozenset(_RELATIONS_AFTER_NOT.split())
DELIMITER_COMMANDS = frozenset(_DELIMITER_COMMANDS.split())
COMMANDS = SYMBOLS | ONE_ARGUMENT | TWO_ARGUMENTS | TEXT_ARGUMENT | SIZED_DELIMITERS
"""Every command name a kept formula may use (plus `left`, `right`, `middle`, `not`,
`limits`, `nolimits`), without its backslash."""

CONTROL_SYMBOLS = {
    # Written as what they mean; `\{` and `\}` become commands without a brace character,
    # because BibTeX counts every brace, escaped or not.
    "{": r"\lbrace ",
    "}": r"\rbrace ",
    "|": r"\|",
    ",": r"\,",
    ":": r"\:",
    ";": r"\;",
    "!": r"\!",
    " ": r"\ ",
    "%": r"\%",
    "#": r"\#",
    "&": r"\&",
    "$": r"\$",
    "_": r"\_",
}
"""Backslash and one character: the ones harmless in math, and how each is written."""

PLAIN = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-=<>()[]/|.,;:!?*@"
)
"""Characters that stand for themselves in math mode. Not `~` or `"` (active characters in
LaTeX or in babel's languages), not `` ` ``, nothing outside ASCII (active under inputenc)."""
_ESCAPED_PLAIN = {"%": r"\%", "#": r"\#", "&": r"\&"}
"""Characters an entry may write bare in a formula, written escaped: `$50%$` is fifty
percent, not a TeX comment."""
_TEXT_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;!?()+=/*-"
)
_DELIMITER_CHARACTERS = frozenset("()[]|/.<>")
_TOKEN_RE = re.compile(r"\\(?:[A-Za-z]+|.)|.", re.DOTALL)
_SPACES_RE = re.compile(" +")


class _Refused(Exception):
    """The formula is not one this module can vouch for."""


@dataclass
class _Reader:
    tokens: list[str]
    position: int = 0
    open_lefts: int = 0

    def peek(self) -> str | None:
        """The next token that is not a space."""
        while self.position < len(self.tokens) and self.tokens[self.position] == " ":
            self.position += 1
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def spaced(self) -> bool:
        """Whether the source has a space before the next token: kept, for the reader."""
        self.peek()
        return self.position > 0 and self.tokens[self.position - 1] == " "

    def take(self, *, spaces: bool = False) -> str:
        """The next token (spaces too when `spaces`: inside `\\text{...}`)."""
        token = self.tokens[self.position] if spaces else self.peek()
        if token is None or self.position >= len(self.tokens):
            raise _Refused("ends too early")
        self.position += 1
        return token


def latex_math(tex: str) -> str | None:
    """The formula as LaTeX may read it in math mode (`\\{` written `\\lbrace`, a bare `%`
    escaped, runs of spaces as one), or None when it is not on the safe list."""
    reader = _Reader(_TOKEN_RE.findall(" ".join(tex.split())))
    try:
        out = _sequence(reader, closing=None)
    except _Refused:
        return None
    written = _SPACES_RE.sub(" ", "".join(out)).strip()
    return written or None


def _sequence(reader: _Reader, closing: str | None) -> list[str]:
    """Atoms with their scripts, up to `closing` (`}` or `\\right`) or the end."""
    out: list[str] = []
    while True:
        token = reader.peek()
        if token is None:
            if closing is not None:
                raise _Refused("unclosed group")
            return out
        if token == closing:
            return out
        if token in ("}", r"\right"):
            raise _Refused("closes what it did not open")
        if reader.spaced():
            out.append(" ")
        if token in ("^", "_", "'"):
            out += _scripts(reader)  # scripts with no atom before them, as in `{}^2`
            continue
        out += _atom(reader)
        if token[1:] in BIG_OPERATORS and reader.peek() in (r"\limits", r"\nolimits"):
            out.append(reader.take())
        out += _scripts(reader)


def _scripts(reader: _Reader) -> list[str]:
    """Primes, then at most one `^` and one `_`: TeX stops at a double script."""
    out: list[str] = []
    seen: set[str] = set()
    while reader.peek() in ("^", "_", "'"):
        token = reader.take()
        if token == "'":
            if seen:
                raise _Refused("a prime after a script")
            out.append("'")
            continue
        if token in seen or (token == "^" and "'" in out):
            raise _Refused("double script")
        if reader.peek() in ("^", "_", "'"):
            raise _Refused("`^^` is TeX's notation for a character code")
        seen.add(token)
        out += [token, *_argument(reader)]
    return out


def _argument(reader: _Reader) -> list[str]:
    """One argument: a group, a plain character or a command that takes no argument."""
    token = reader.take()
    if token == "{":
        return ["{", *_sequence(reader, "}"), reader.take()]
    if token in PLAIN:
        return [token]
    if token in _ESCAPED_PLAIN:
        return [_ESCAPED_PLAIN[token]]
    if token[:1] == "\\" and token[1:].isalpha() and token[1:] in SYMBOLS:
        return [token, " "]
    if token[:1] == "\\" and token[1:] in CONTROL_SYMBOLS:
        return [CONTROL_SYMBOLS[token[1:]]]
    raise _Refused(f"{token!r} cannot stand here")


def _atom(reader: _Reader) -> list[str]:
    token = reader.peek()
    assert token is not None
    name = token[1:]
    if not token.startswith("\\") or not name.isalpha() or name in SYMBOLS:
        return _argument(reader)
    reader.take()
    if name in ONE_ARGUMENT:
        optional = _optional(reader) if name == "sqrt" else []
        return [token, *optional, *_group_argument(reader)]
    if name in TWO_ARGUMENTS:
        return [token, *_group_argument(reader), *_group_argument(reader)]
    if name in TEXT_ARGUMENT:
        return [token, _text_argument(reader)]
    if name in SIZED_DELIMITERS:
        return [token, *_delimiter(reader)]
    if name == "left":
        opening = _delimiter(reader)
        reader.open_lefts += 1
        inner = _sequence(reader, r"\right")
        reader.open_lefts -= 1
        space = [" "] if reader.spaced() else []
        return [token, *opening, *inner, *space, reader.take(), *_delimiter(reader)]
    if name == "middle" and reader.open_lefts:
        return [token, *_delimiter(reader)]
    if name == "not":
        following = reader.take()
        if following not in ("=", "<", ">") and following[1:] not in RELATIONS_AFTER_NOT:
            raise _Refused(r"\not before something that is not a relation")
        return [token, following, " "]
    raise _Refused(f"{token!r} is not on the list")


def _group_argument(reader: _Reader) -> list[str]:
    """A command's argument, always braced (`\\frac12` is written `\\frac{1}{2}`)."""
    argument = _argument(reader)
    return argument if argument[0] == "{" else ["{", *argument, "}"]


def _optional(reader: _Reader) -> list[str]:
    """`\\sqrt`'s optional index, `[3]` or `[n]`: letters and digits only."""
    if reader.peek() != "[":
        return []
    reader.take()
    inside = []
    while (token := reader.take()) != "]":
        if not (token.isascii() and token.isalnum()):
            raise _Refused("a root's index may hold letters and digits only")
        inside.append(token)
    if not inside:
        raise _Refused("an empty root index")
    return ["[", *inside, "]"]


def _text_argument(reader: _Reader) -> str:
    """`\\text{...}` and the like: plain words only (no command, no `--` ligature)."""
    if reader.take() != "{":
        raise _Refused("text needs a braced argument")
    words = []
    while (token := reader.take(spaces=True)) != "}":
        if token not in _TEXT_CHARACTERS:
            raise _Refused(f"{token!r} in text")
        words.append(token)
    text = "".join(words)
    if "--" in text or not text.strip():
        raise _Refused("a dash ligature, or no text")
    return "{" + text + "}"


def _delimiter(reader: _Reader) -> list[str]:
    token = reader.take()
    if token in _DELIMITER_CHARACTERS:
        return [token]
    if token in (r"\{", r"\}", r"\|"):
        return [CONTROL_SYMBOLS[token[1:]]]
    if token[1:] in DELIMITER_COMMANDS:
        return [token, " "]
    raise _Refused(f"{token!r} is not a delimiter")
