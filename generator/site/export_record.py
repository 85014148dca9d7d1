"""What a one-off build records of its whole-catalogue downloads (exports, feeds), so that the
next build over the same site links those whose papers are unchanged instead of making them.

Like the pages (`page_record`): for each download the build records, beside the site
(`.<site>.record/exports.json`), a digest of what it is made from (`ExportPlan`: its papers,
their citation keys, the tag vocabulary, the site's name and addresses, the generator's
version, which holds this user's record secret) and the digest of the bytes it wrote. The next
build works out each download's digest from the papers in memory (the papers' own digests are
the ones the pages' record computes, once per build: `StableDigests`); when it is the recorded
one and the published file still holds the recorded bytes, that file is linked into the
staging site and the download is not made. A download of all papers is made again whenever one
paper changed; a tag's BibTeX and feed only when one of that tag's papers did. Such a download
of one row per paper is made of members (`exports.members`): the record keeps each
member's inputs and length, and a member whose papers are unchanged is taken from the published
file instead of being made (and compressed) again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.model.paper import Paper
from generator.model.stable_digest import NotDigestible, StableDigests, generator_version
from generator.render import urls
from generator.render.exports import ExportPlan, SiteAddresses
from generator.render.exports.members import Member
from generator.site.page_record import (
    bytes_digest,
    bytes_if_held,
    holds_bytes,
    read_sealed,
    write_sealed,
)

RECORD_FILE = "exports.json"

Members = tuple[tuple[str, int], ...]
"""A download's members (`ExportPlan.members`), in order: the digest (hex) of what each was
made from, and its length in bytes."""
Recorded = tuple[str, str, Members]
"""A download: the digest (hex) of what it was made from, of its bytes, and its members."""


@dataclass
class ExportRecord:
    """The downloads recorded by the last build, and those of the build under way."""

    path: Path
    """The record file (outside the site)."""
    last: dict[str, Recorded] = field(default_factory=dict)
    """By path in the site."""
    now: dict[str, Recorded] = field(default_factory=dict)
    waiting: list[tuple[ExportPlan, str]] = field(default_factory=list)
    """Downloads recorded unchanged, with their inputs' digest: linked (or made, if the
    published file changed since) by `link_unchanged`."""
    member_inputs: Callable[[str, Member], str] | None = None
    """The digest (hex) of what a member of the download at a path is made from."""

    @classmethod
    def load(cls, folder: Path) -> ExportRecord:
        """The record in `folder`; an empty one if it is missing, unreadable, or was made by
        another version of the generator."""
        record = cls(folder / RECORD_FILE)
        try:
            record.last = _files(read_sealed(record.path, "files") or {})
        except (ValueError, TypeError, KeyError, AttributeError):
            record.last = {}  # every download made as if no build had been recorded
        return record

    def to_make(
        self,
        plans: list[ExportPlan],
        digests: StableDigests,
        addresses: SiteAddresses,
        site_name: str,
        citation_keys: dict[str, str],
        published: Path | None = None,
    ) -> dict[str, str | bytes]:
        """The downloads of `plans` that must be made now, made, by path (taking unchanged
        members from the `published` site); the others wait for `link_unchanged`."""
        inputs_of = ExportInputs(
            digests, (generator_version(), addresses, site_name), citation_keys
        )
        self.member_inputs = inputs_of.member
        made: dict[str, str | bytes] = {}
        for plan in plans:
            digested = None
            try:
                if plan.members is not None:
                    # Worked out here for the download's own digest, kept for its members.
                    rows = plan.members.members()
                    digested = [(member, inputs_of.member(plan.path, member)) for member in rows]
                inputs = inputs_of.plan(plan, digested)
            except NotDigestible:
                inputs = ""  # not recorded: made every time
            recorded = self.last.get(plan.path)
            if inputs and recorded is not None and recorded[0] == inputs:
                self.waiting.append((plan, inputs))
                continue
            if not inputs:
                made[plan.path] = plan.make()
                continue
            data, members = self._make(plan, recorded, published, digested)
            made[plan.path] = data
            self.now[plan.path] = (inputs, bytes_digest(_bytes(data)), members)
        return made

    def link_unchanged(self, published: Path | None, staging: Path) -> int:
        """Link each waiting download's published file into `staging` if it still holds the
        recorded bytes, else make it and write it there; save the record; return how many
        were linked."""
        linked = 0
        for plan, inputs in self.waiting:
            target, recorded = staging / plan.path, self.last[plan.path]
            target.parent.mkdir(parents=True, exist_ok=True)
            if published is not None and _linked(published / plan.path, target, recorded[1]):
                linked += 1
                self.now[plan.path] = recorded
                continue
            made, members = self._make(plan, None, None)
            data = _bytes(made)
            target.write_bytes(data)
            self.now[plan.path] = (inputs, bytes_digest(data), members)
        self.waiting = []
        write_sealed(self.path, "files", self.now)
        return linked

    def _make(
        self,
        plan: ExportPlan,
        recorded: Recorded | None,
        published: Path | None,
        digested: list[tuple[Member, str]] | None = None,
    ) -> tuple[str | bytes, Members]:
        """`plan`'s download and its members (with the digests of their inputs, `digested`,
        when they are known), those recorded and still in the published file taken from
        it."""
        rows = plan.members
        if rows is None or self.member_inputs is None:
            return plan.make(), ()
        if not digested:
            digested = [(m, self.member_inputs(plan.path, m)) for m in rows.members()]
        kept = _published_members(published, plan.path, recorded)
        parts, members = [], []
        for member, inputs in digested:
            part = kept.get(inputs)
            if part is None:
                part = rows.member_bytes(member, plan.compressed)
            parts.append(part)
            members.append((inputs, len(part)))
        return b"".join(parts), tuple(members)


class ExportInputs:
    """The digests (hex) of what downloads and their members are made from, each paper's row
    (the paper and its citation key) digested once per build however many downloads list it:
    a download's digest is that of its own settings followed by its rows' digests (16 bytes
    each, so the sequence reads one way only), worked out in C once the rows' are known. The
    download of all papers, its members, and each tag's downloads list the same rows."""

    def __init__(
        self, digests: StableDigests, made_with: object, citation_keys: dict[str, str]
    ) -> None:
        self.digests = digests
        self.made_with = digests.digest(made_with).hex()
        """What every download is made with: the generator, the site's addresses and name."""
        self.citation_keys = citation_keys
        self.rows: dict[str, bytes] = {}
        """Each paper's row digest, by slug (one `Paper` per slug in a build)."""

    def row(self, paper: Paper) -> bytes:
        """The digest of `paper`'s row: the paper and its citation key."""
        found = self.rows.get(paper.slug)
        if found is None:
            found = self.digests.digest((paper, self.citation_keys[paper.slug]))
            self.rows[paper.slug] = found
        return found

    def of(self, head: tuple[object, ...], papers: Sequence[Paper]) -> str:
        """The digest of a download or member shown by `head` (its path and the texts around
        its rows) and made of the rows of `papers`, in order."""
        start = self.digests.digest((self.made_with, head, len(papers)))
        rows = b"".join([self.row(paper) for paper in papers])
        return hashlib.blake2b(start + rows, digest_size=16).hexdigest()

    def member(self, path: str, member: Member) -> str:
        """The digest of a member of the download at `path`."""
        return self.of((path, member.prefix, member.suffix), member.papers)

    def plan(self, plan: ExportPlan, members: list[tuple[Member, str]] | None) -> str:
        """The digest of the download `plan`: that of its members' digests (`members`) when it
        is made of members, else of its rows'."""
        if members is None:
            return self.of((plan.path,), plan.papers)
        start = self.digests.digest((self.made_with, plan.path, len(members)))
        joined = bytes.fromhex("".join(digest for _, digest in members))
        return hashlib.blake2b(start + joined, digest_size=16).hexdigest()


def _published_members(
    published: Path | None, path: str, recorded: Recorded | None
) -> dict[str, bytes]:
    """The members of the published download at `path`, by the digest of their inputs, if it
    holds the bytes recorded (none otherwise)."""
    if published is None or recorded is None or not recorded[2]:
        return {}
    data = bytes_if_held(os.fspath(published / path), recorded[1])
    if data is None or sum(length for _, length in recorded[2]) != len(data):
        return {}
    kept, start = {}, 0
    for inputs, length in recorded[2]:
        kept[inputs] = data[start : start + length]
        start += length
    return kept


def _linked(source: Path, target: Path, digest: str) -> bool:
    """Whether `source` holds bytes of `digest` and was linked at `target`."""
    if not holds_bytes(os.fspath(source), digest):
        return False
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _files(raw: Any) -> dict[str, Recorded]:
    """The recorded downloads, each checked for shape; paths that are not plain paths inside
    the site are refused (TypeError, ValueError: the whole record is then ignored)."""
    files = {}
    for path, (inputs, digest, raw_members) in raw.items():
        if not all(isinstance(value, str) for value in (path, inputs, digest)):
            raise TypeError("a recorded download is not a path and two digests")
        members = tuple((member, length) for member, length in raw_members)
        for member, length in members:
            if not isinstance(member, str) or type(length) is not int or length < 0:
                raise TypeError("a recorded member is not a digest and a length")
        files[urls.check_generated_file(path)] = (inputs, digest, members)
    return files
