"""Enrich: the addresses of author and venue pages, which never move when an entry is added.

Two different names can make the same address: `José García` and `Jose Garcia` are two
people (`name_key` keeps accents) whose pages would both be `authors/jose-garcia/`. The name
that had the address keeps it. Names claim addresses in the order their papers joined the
catalogue, by the earliest `added` day of their papers, and a name that finds its address
taken gets the first free of `-2`, `-3`, ... An entry's `added` day cannot be in the future,
so an entry added later never comes before one already published, and no addition takes an
address from anyone. The rule, its exceptions (names whose papers joined on the same day,
entries without `added`) and why it needs no file of addresses are in
docs/maintainers/addresses.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.model.paper import Paper


@dataclass(frozen=True)
class Claim:
    """A name's claim to an address."""

    key: str
    """What makes one author or one venue (`name_key` of the name)."""
    address: str
    """The address the name would have on its own (`jose-garcia`)."""
    first_added: str | None
    """The earliest `added` day of the name's papers; None when none has one."""


def first_added(papers: Sequence[Paper]) -> str | None:
    """The earliest `added` day among `papers` (days compare as text: `2026-11-29`)."""
    return min((p.entry.added for p in papers if p.entry.added), default=None)


def claim_addresses(claims: Iterable[Claim], reserved: Iterable[str] = ()) -> dict[str, str]:
    """An address per key, none of them `reserved`: each name in order of `seniority` takes
    its own address if it is free, else the first free of `<address>-2`, `-3`, ..."""
    taken = set(reserved)
    addresses: dict[str, str] = {}
    for claim in sorted(claims, key=seniority):
        address, number = claim.address, 1
        while address in taken:
            number += 1
            address = f"{claim.address}-{number}"
        taken.add(address)
        addresses[claim.key] = address
    return addresses


def seniority(claim: Claim) -> tuple[bool, str, str]:
    """Who chooses first: the earliest `added` day; names none of whose papers has one after
    every dated name; then by key (the same on every build)."""
    return (claim.first_added is None, claim.first_added or "", claim.key)
