"""Give entries the day they joined the catalogue (`added`) without reformatting them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.authoring.entry_files import dump_entry
from generator.read.entries import ENTRY_SUFFIX
from generator.read.yaml_source import read_yaml_file


@dataclass
class StampReport:
    """What `stamp_added` did to each entry file."""

    stamped: list[str] = field(default_factory=list)
    already_dated: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    """Files not written the way `entry_files.dump_entry` writes them, or unreadable: left
    alone, since rewriting them would change more than one line."""


def stamp_added(papers_dir: Path, day: str) -> StampReport:
    """Add `added: '<day>'` to every entry that has no `added`, changing nothing else."""
    report = StampReport()
    for file in sorted(papers_dir.glob(f"*{ENTRY_SUFFIX}")):
        document, problems = read_yaml_file(file, file.name)
        if document is None or problems:
            report.refused.append(file.name)
            continue
        if document.data.get("added"):
            report.already_dated.append(file.name)
            continue
        original = file.read_text(encoding="utf-8")
        # Only a file that the entry writer would reproduce exactly is rewritten by it, so the
        # new line is the only difference.
        if dump_entry(document.data) != original:
            report.refused.append(file.name)
            continue
        stamped = dump_entry({**document.data, "added": day})
        file.write_text(stamped, encoding="utf-8", newline="\n")
        report.stamped.append(file.name)
    return report
