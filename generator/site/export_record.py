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

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
        made_with = (generator_version(), addresses, site_name)

        def member_inputs(path: str, member: Member) -> str:
            shown = [(paper, citation_keys[paper.slug]) for paper in member.papers]
            return digests.digest((made_with, path, member.prefix, member.suffix, shown)).hex()

        self.member_inputs = member_inputs
        made: dict[str, str | bytes] = {}
        for plan in plans:
            try:
                shown = [(paper, citation_keys[paper.slug]) for paper in plan.papers]
                inputs = digests.digest((made_with, plan.path, shown)).hex()
            except NotDigestible:
                inputs = ""  # not recorded: made every time
            recorded = self.last.get(plan.path)
            if inputs and recorded is not None and recorded[0] == inputs:
                self.waiting.append((plan, inputs))
                continue
            if not inputs:
                made[plan.path] = plan.make()
                continue
            data, members = self._make(plan, recorded, published)
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
        self, plan: ExportPlan, recorded: Recorded | None, published: Path | None
    ) -> tuple[str | bytes, Members]:
        """`plan`'s download and its members, those recorded and still in the published
        file taken from it."""
        rows = plan.members
        if rows is None or self.member_inputs is None:
            return plan.make(), ()
        kept = _published_members(published, plan.path, recorded)
        parts, members = [], []
        for member in rows.members():
            inputs = self.member_inputs(plan.path, member)
            part = kept.get(inputs)
            if part is None:
                part = rows.member_bytes(member, plan.compressed)
            parts.append(part)
            members.append((inputs, len(part)))
        return b"".join(parts), tuple(members)


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
