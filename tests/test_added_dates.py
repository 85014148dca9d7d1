"""`added`: the day an entry joined, and `catalogue stamp-added` that writes it in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from generator.authoring.added_dates import stamp_added
from generator.model.entry import Entry

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "papers").glob("*.yaml"))[:3]


def test_every_seed_entry_joined_on_the_import_day() -> None:
    for file in (ROOT / "papers").glob("*.yaml"):
        assert yaml.safe_load(file.read_text(encoding="utf-8"))["added"] == "2026-11-29"


def test_added_is_a_full_iso_day() -> None:
    base = {"title": "T", "abstract": "A", "tags": ["llm"]}
    assert Entry.model_validate({**base, "added": "2026-11-29"}).added == "2026-11-29"
    assert Entry.model_validate(base).added is None
    for wrong in ("2026-11", "2026-02-30", "29.11.2026"):
        with pytest.raises(ValidationError):
            Entry.model_validate({**base, "added": wrong})


def test_stamping_adds_one_line_and_changes_nothing_else(tmp_path: Path) -> None:
    for file in SEED:
        text = file.read_text(encoding="utf-8")
        without = "".join(line for line in text.splitlines(True) if not line.startswith("added:"))
        (tmp_path / file.name).write_text(without, encoding="utf-8")
    (tmp_path / "by-hand.yaml").write_text(
        "title:   Laid out by hand\ntags: [llm]\nabstract: Kept as its author wrote it.\n"
    )
    report = stamp_added(tmp_path, "2027-01-02")
    assert report.stamped == [f.name for f in SEED]
    assert report.refused == ["by-hand.yaml"]
    for file in SEED:
        before = file.read_text(encoding="utf-8").splitlines()
        after = (tmp_path / file.name).read_text(encoding="utf-8").splitlines()
        assert after == [
            "added: '2027-01-02'" if line == "added: '2026-11-29'" else line for line in before
        ]
    assert (tmp_path / "by-hand.yaml").read_text().startswith("title:   Laid out by hand")
    again = stamp_added(tmp_path, "2027-01-03")
    assert again.stamped == [] and again.already_dated == [f.name for f in SEED]
