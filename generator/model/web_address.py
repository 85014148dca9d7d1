"""Which web addresses an entry may link to: `http(s)` to a real, public host, read as written.

`urllib.parse` splits the address (it is lenient by design, so every part is then checked
here); the host name is checked by `idna` (IDNA 2008 with UTS #46: label lengths, hyphens,
allowed characters, right-to-left rules) and ICU's spoof checker (no label mixing scripts, as
look-alike addresses do); IP addresses by `ipaddress`.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

import icu
import idna

from generator.model.confusables import INVISIBLE_RE, describe

_URL_FORBIDDEN = frozenset('"<>\\`')
_ASCII_SPACE_OR_CONTROL_RE = re.compile(r"[\x00-\x20\x7f]")
# A host whose last label is a number is an IPv4 address to a browser, in any of the forms
# the WHATWG URL standard accepts (`127.1`, `0x7f.0.0.1`, `2130706433`): only the plain
# dotted-decimal form is allowed, so what a reader sees is where the link goes.
_NUMERIC_LABEL_RE = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)", re.ASCII | re.IGNORECASE)
# Names that a reader's browser or resolver answers from their own machine or network, never
# from the public DNS: `localhost` and its subdomains (RFC 6761; Chromium and Firefox send
# them to the loopback address), multicast DNS's `local` (RFC 6762), `home.arpa` (RFC 8375)
# and `internal` (reserved by ICANN for private networks).
_LOCAL_DOMAINS = ("localhost", "local", "home.arpa", "internal")
_SPOOF_CHECKER = icu.SpoofChecker()
_SPOOF_CHECKER.setChecks(icu.USpoofChecks.RESTRICTION_LEVEL | icu.USpoofChecks.MIXED_NUMBERS)


def url_problem(value: str) -> str | None:
    """Why `value` cannot be an entry's link, or None."""
    shown = repr(value[:60])
    spaced = _ASCII_SPACE_OR_CONTROL_RE.search(value) or (
        not value.isascii()
        and any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in value)
    )
    if spaced:
        return "a URL may not contain spaces or control characters"
    # Every link is checked on every build: most are ASCII, which skips the character loop.
    hidden = None if value.isascii() else _first_hidden(value)
    if hidden is not None:
        return (
            f"contains the invisible or unprintable character {describe(value[hidden])} at "
            f"position {hidden + 1}; remove it (a link must go where it reads)"
        )
    if any(ch in _URL_FORBIDDEN for ch in value):
        return 'a URL may not contain ", <, >, \\ or `; percent-encode them (" is %22, < is %3C)'
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not value.lower().startswith(
        ("http://", "https://")
    ):
        return f"{shown} must be a full web address starting with https://"
    if "@" in parts.netloc:
        return (
            f"{shown} has a user name or password before the host (`name@`); "
            "link to the page itself"
        )
    if not parts.hostname or not parts.hostname.strip("."):
        return f"{shown} has no host name after https://"
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        return f"{shown} has an impossible port; a port is a number from 1 to 65535"
    host_problem = _host_problem(parts.hostname, bracketed="[" in parts.netloc)
    return f"{shown} {host_problem}" if host_problem else None


def _first_hidden(value: str) -> int | None:
    """Where `value` has an invisible character, or a format, private-use, unassigned or
    surrogate code point: nothing a reader can read."""
    for index, ch in enumerate(value):
        if INVISIBLE_RE.match(ch) or unicodedata.category(ch)[0] == "C":
            return index
    return None


# Links repeat their hosts (github.com, arxiv.org...); IDNA and spoof checks are the costly part.
@functools.lru_cache(maxsize=65_536)
def _host_problem(host: str, bracketed: bool) -> str | None:
    """Why `host` (as urlsplit gives it: lowercase, no brackets) is not a public host."""
    if bracketed:
        try:
            address: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.IPv6Address(host)
        except ValueError:
            return f"has an impossible IPv6 address {host!r}"
        return _address_problem(address)
    name = host[:-1] if host.endswith(".") else host
    labels = name.split(".")
    if _NUMERIC_LABEL_RE.fullmatch(labels[-1]):
        try:
            address = ipaddress.IPv4Address(name)
        except ValueError:
            return f"has a host {host!r} that is neither a name nor an IPv4 address like 192.0.2.1"
        return _address_problem(address)
    if len(labels) < 2:
        return f"has a host {host!r} that is not a public name (it has no dot)"
    try:
        ascii_name = idna.encode(name, uts46=True, std3_rules=True).decode("ascii")
    except idna.IDNAError as exc:
        return f"has an impossible host name {host!r}: {exc}"
    # After IDNA's mapping: `localhost` in full-width letters is `localhost` to a browser too.
    local = next((d for d in _LOCAL_DOMAINS if f".{ascii_name.lower()}".endswith(f".{d}")), None)
    if local is not None:
        return (
            f"has a host {host!r} that names a reader's own machine or network ({local!r} "
            "names never point to a public site); link to a public page"
        )
    for label in idna.decode(ascii_name).split("."):
        if not label.isascii() and _SPOOF_CHECKER.check(label):
            return (
                f"has a host name label {label!r} that mixes writing systems, as look-alike "
                "addresses do; write the address as the site itself spells it"
            )
    return None


def _address_problem(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if not address.is_global:
        return (
            f"points at {address}, which is not a public address (a reader's own machine or "
            "network); link to a public page"
        )
    return None
