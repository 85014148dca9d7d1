"""What a one-off build records of its checked entries, so that the next build over the same
site takes each unchanged entry's paper instead of parsing and checking its file again.

`catalogue serve` keeps parsed and checked entries in memory (`ParsedFileCache`,
`ValidationCache`); a `mkdocs build` or `catalogue build` is a new process each time, and
parsing and checking 10,000 files was a fifth of a rebuild in which nothing had changed. So
a build that publishes beside a record folder (`.<site>.record/`, next to the page record,
never published) writes there, for each entry file that was valid on its own, the digest of
its bytes and its paper (`entries.jsonl`). The next build reads every file all the same and
digests its bytes; a file whose bytes have the recorded digest gets the recorded paper, and
any other file is parsed and checked as always, with its problems reported by file and line.

The record has a line per entry, and a build keeps each line it took a paper from as it was
read: writing the record after one entry changed joins the unchanged lines and encodes only
the changed entries, where encoding every paper again (as one JSON document) was most of
what a one-change rebuild's checking stage spent beyond a no-change rebuild's.

Checking one entry alone depends on its bytes, the tag vocabulary, the build day (dates
beyond it are refused) and the generator's code and libraries: the record holds for one
digest of all but the bytes, and is ignored whole otherwise, or when it is missing, unreadable
or of another shape. Checks across entries (two entries for one paper, one address claimed
twice, look-alike author names, tags with a single paper) always run over every paper.
Entries with problems are never recorded. Like the page record, the record is the build's
own output, kept out of the site and out of git (`.gitignore`), and holds only JSON.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.model.entry import Entry
from generator.model.paper import Paper
from generator.model.stable_digest import FORMAT, StableDigests, generator_version
from generator.model.vocabulary import Vocabulary

RECORD_FILE = "entries.jsonl"
FORMER_FILE = "entries.json"
"""The record's name when it was one JSON document; removed when a record is written."""
LAYOUT = "entry lines 1"
"""The record's layout: a header line, then a line per entry (`_line`)."""


@dataclass
class EntryRecord:
    """The checked entries recorded by the last build, and those of the build under way."""

    path: Path
    """The record file (outside the site)."""
    made_with: str
    """Digest of what checking an entry depends on besides its bytes."""
    last: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    """By entry file as shown in messages: the digest (hex) of its bytes, and its line in the
    record (the paper in it is read when the file's bytes have that digest)."""
    now: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    taken: int = 0
    """Papers taken from the record by this build."""

    @classmethod
    def load(cls, folder: Path, vocabulary: Vocabulary, today: dt.date) -> EntryRecord:
        """The record in `folder` if it was made for this vocabulary, day and generator;
        an empty one otherwise."""
        made_with = StableDigests().digest(
            (FORMAT, generator_version(), vocabulary, today.isoformat())
        )
        record = cls(folder / RECORD_FILE, made_with.hex())
        try:
            record.last = _read(record.path, record.made_with)
        except (OSError, ValueError, TypeError, RecursionError):
            record.last = {}  # every entry is parsed and checked
        return record

    def paper(self, shown: str, slug: str, raw: bytes) -> Paper | None:
        """The recorded paper of the entry file `shown` (named `slug`), if its bytes are
        `raw`; else None."""
        found = self.last.get(shown)
        if found is None or found[0] != _digest(raw):
            return None
        line = found[1]
        try:
            paper = _paper_from_json(slug, shown, json.loads(line[line.index(b"\t") + 1 :]))
        except (TypeError, ValueError, KeyError, AttributeError, RecursionError):
            return None  # parsed and checked instead
        self.now[shown] = found
        self.taken += 1
        return paper

    def checked(self, paper: Paper, raw: bytes) -> None:
        """Record `paper`, just checked from an entry file holding `raw`."""
        digest = _digest(raw)
        self.now[paper.source] = (digest, _line(paper.source, digest, _paper_to_json(paper)))

    def save(self) -> None:
        """Write this build's record in place of the last, unless it is the same (a new
        file renamed over it: a killed build leaves one record or the other)."""
        if self.now == self.last:
            return
        header = _encoded({"layout": LAYOUT, "made_with": self.made_with})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A name of this process's own: two builds of one site may load at the same time.
        new = self.path.with_name(f"{self.path.name}.{os.getpid()}.new")
        new.write_bytes(b"\n".join([header, *(line for _, line in self.now.values()), b""]))
        os.replace(new, self.path)
        self.path.with_name(FORMER_FILE).unlink(missing_ok=True)


def _line(shown: str, digest: str, paper: dict[str, Any]) -> bytes:
    """An entry's line in the record: its file and digest, a tab, its paper. JSON as
    `json.dumps` writes it by default holds no tab or line break (they are escaped)."""
    return _encoded([shown, digest]) + b"\t" + _encoded(paper)


def _encoded(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("ascii")


def _read(path: Path, made_with: str) -> dict[str, tuple[str, bytes]]:
    """The entries recorded in `path` for `made_with`, each with its line; none if the
    record was made for anything else. Raises OSError, ValueError or TypeError when it
    cannot be read, is cut short or is of another shape (RecursionError: nested too deep)."""
    header, *lines = path.read_bytes().split(b"\n")
    if json.loads(header) != {"layout": LAYOUT, "made_with": made_with}:
        return {}
    if not lines or lines.pop() != b"":
        raise ValueError("the record does not end with a whole line")
    entries = {}
    for line in lines:
        key = json.loads(line[: line.index(b"\t")])
        if not (isinstance(key, list) and len(key) == 2 and all(isinstance(k, str) for k in key)):
            raise TypeError("a recorded entry is not a file and a digest")
        shown, digest = key
        entries[shown] = (digest, line)
    return entries


def _paper_to_json(paper: Paper) -> dict[str, Any]:
    return {
        "entry": paper.entry.model_dump(mode="json"),
        "given": sorted(paper.entry.model_fields_set),
        "lines": paper.lines,
    }


def _paper_from_json(slug: str, shown: str, data: dict[str, Any]) -> Paper:
    """The paper recorded as `data`. The entry is made without checking its fields again:
    they are what checking the same bytes gave (`Entry.model_dump`)."""
    fields = data["entry"]
    if not isinstance(fields, dict) or set(fields) != set(Entry.model_fields):
        raise ValueError("the recorded entry does not have the model's fields")
    lines = data["lines"]
    if not all(isinstance(key, str) and type(line) is int for key, line in lines.items()):
        raise TypeError("a recorded line is not a field and a number")
    entry = Entry.model_construct(set(data["given"]), **fields)
    return Paper(slug, shown, entry, dict(lines))


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()
