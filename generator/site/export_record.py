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
paper changed; a tag's BibTeX and feed only when one of that tag's papers did.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.model.stable_digest import NotDigestible, StableDigests, generator_version
from generator.render import urls
from generator.render.exports import ExportPlan, SiteAddresses
from generator.site.page_record import bytes_digest, holds_bytes, read_sealed, write_sealed

RECORD_FILE = "exports.json"


@dataclass
class ExportRecord:
    """The downloads recorded by the last build, and those of the build under way."""

    path: Path
    """The record file (outside the site)."""
    last: dict[str, tuple[str, str]] = field(default_factory=dict)
    """By path in the site: the digest (hex) of what the download was made from, and of its
    bytes."""
    now: dict[str, tuple[str, str]] = field(default_factory=dict)
    waiting: list[tuple[ExportPlan, str]] = field(default_factory=list)
    """Downloads recorded unchanged, with their inputs' digest: linked (or made, if the
    published file changed since) by `link_unchanged`."""

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
    ) -> dict[str, str | bytes]:
        """The downloads of `plans` that must be made now, made, by path; the others wait for
        `link_unchanged`."""
        made_with = (generator_version(), addresses, site_name)
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
            data = made[plan.path] = plan.make()
            if inputs:
                self.now[plan.path] = (inputs, bytes_digest(_bytes(data)))
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
            data = _bytes(plan.make())
            target.write_bytes(data)
            self.now[plan.path] = (inputs, bytes_digest(data))
        self.waiting = []
        write_sealed(self.path, "files", self.now)
        return linked


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


def _files(raw: Any) -> dict[str, tuple[str, str]]:
    """The recorded downloads, each checked for shape; paths that are not plain paths inside
    the site are refused (TypeError, ValueError: the whole record is then ignored)."""
    files = {}
    for path, (inputs, digest) in raw.items():
        if not all(isinstance(value, str) for value in (path, inputs, digest)):
            raise TypeError("a recorded download is not a path and two digests")
        files[urls.check_generated_file(path)] = (inputs, digest)
    return files
