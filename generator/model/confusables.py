"""Text that shows nothing, and text that looks like other text.

Two things a stranger's entry can do with Unicode that a reviewer cannot see: write a name or
title in characters that draw nothing (zero-width spaces, Hangul fillers, tag characters), or
copy another entry's title or author with one letter swapped for a look-alike from another
script (the Cyrillic a, U+0430, for the Latin a). The character data and the look-alike table
are ICU's (Unicode's Default_Ignorable_Code_Point property and the UTS #39 confusables), not a
list kept here.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import icu
import idna

ZWNJ, ZWJ = "\u200c", "\u200d"
BIDI_MARKS = frozenset("\u200e\u200f\u061c")
"""Left-to-right, right-to-left and Arabic letter marks: invisible, they move the text near them."""


def _character_class(unicode_set: str) -> re.Pattern[str]:
    """A regex character class holding ICU's set `unicode_set` (searches run in C, not per
    character in Python: abstracts are long)."""
    parts = []
    for first, last in icu.UnicodeSet(unicode_set).ranges():
        parts.append(re.escape(first) if first == last else f"{re.escape(first)}-{re.escape(last)}")
    return re.compile(f"[{''.join(parts)}]")


INVISIBLE_RE = _character_class("[[:Default_Ignorable_Code_Point:][\u2800]]")
"""Characters that draw nothing where they stand: Unicode's default-ignorable code points
(zero-width spaces and joiners, direction marks, soft hyphen, variation selectors, Hangul
fillers, tag characters...) and the braille blank, which is a visible cell with no dots."""
_VARIATION_SELECTOR_RE = _character_class("[:Variation_Selector:]")


def shows_nothing(text: str) -> bool:
    """Whether `text` draws nothing at all: only spaces and invisible characters."""
    return all(ch.isspace() or INVISIBLE_RE.match(ch) for ch in text)


def describe(ch: str) -> str:
    """`U+200B (ZERO WIDTH SPACE)`: a character named so a contributor can find it."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} ({name})" if name else f"U+{ord(ch):04X}"


def misplaced_invisible(text: str) -> int | None:
    """The index of the first invisible character that has no visible job where it stands, or
    None. Kept: ZWJ and ZWNJ where RFC 5892 allows them in a domain name (after a virama, or
    between Arabic-script letters that join), ZWJ inside an emoji sequence, and a variation
    selector right after the visible character it selects a shape of."""
    for found in INVISIBLE_RE.finditer(text):
        index = found.start()
        if not _has_a_job(text, index):
            return index
    return None


def _has_a_job(text: str, index: int) -> bool:
    ch = text[index]
    before = text[index - 1] if index else ""
    if ch in (ZWJ, ZWNJ):
        if idna.valid_contextj(text, index):
            return True
        after = text[index + 1] if index + 1 < len(text) else ""
        return ch == ZWJ and _pictographic(_base_before(text, index)) and _pictographic(after)
    if _VARIATION_SELECTOR_RE.match(ch):
        return bool(before) and not before.isspace() and not INVISIBLE_RE.match(before)
    return False


def _base_before(text: str, index: int) -> str:
    """The character before `index`, skipping variation selectors and emoji skin tones."""
    while index > 0:
        index -= 1
        ch = text[index]
        if not (_VARIATION_SELECTOR_RE.match(ch) or "\U0001f3fb" <= ch <= "\U0001f3ff"):
            return ch
    return ""


def _pictographic(ch: str) -> bool:
    return bool(ch) and bool(icu.Char.hasBinaryProperty(ch, icu.UProperty.EXTENDED_PICTOGRAPHIC))


_SPOOF_CHECKER = icu.SpoofChecker()


@functools.lru_cache(maxsize=65_536)
def _prototype(ch: str) -> str:
    """The UTS #39 skeleton of one character: what it looks like (Cyrillic U+0430 -> `a`)."""
    return str(_SPOOF_CHECKER.getSkeleton(0, ch))


def looks_like(text: str) -> str:
    """`text` with every non-ASCII character replaced by the character it looks like (its
    UTS #39 prototype, invisible ones dropped), case-folded.

    ASCII is left as it is: UTS #39 also maps `rn` to `m` and `1` to `l`, which would make
    "modern" and "modem" one title; two ASCII spellings are two real words, while a letter from
    another script in a Latin title or name is the disguise this key is for.
    """
    if text.isascii():
        return text.casefold()
    return "".join(ch if ch.isascii() else _prototype(ch) for ch in text).casefold()


def differences(text: str, other: str) -> list[str]:
    """The characters of `text` that `other` does not have, non-ASCII ones first: what makes
    two look-alike spellings differ."""
    own = [ch for ch in dict.fromkeys(text) if ch not in other]
    return sorted(own, key=lambda ch: ch.isascii())
