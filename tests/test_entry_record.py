"""A one-off build over an existing site takes each unchanged entry's paper from what the last
build recorded (`generator/read/entry_record.py`) instead of parsing and checking its file, and
still finds every problem a build without the record finds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from generator.model.problems import CatalogueError
from generator.model.stable_digest import StableDigests, generator_version
from generator.pipeline import CatalogueSources, load_catalogue
from generator.private_cache import record_secret
from generator.read.entries import load_entries
from generator.read.entry_record import RECORD_FILE, EntryRecord
from generator.read.validate import validate_entries
from generator.read.vocabulary_file import load_vocabulary
from tests.support import copy_catalogue, keep_entries

DAY = dt.date(2026, 12, 4)


@pytest.fixture
def catalogue(tmp_path: Path, repo_root: Path) -> Path:
    root = copy_catalogue(repo_root, tmp_path / "cat")
    keep_entries(root, 40)
    return root


def _load(root: Path, folder: Path, day: dt.date = DAY) -> tuple[EntryRecord, list[object]]:
    """Load and check the entries at `root` with the record in `folder`; save it."""
    vocabulary, problems = load_vocabulary(root / "tags.yaml", "tags.yaml")
    assert vocabulary is not None and not problems
    record = EntryRecord.load(folder, vocabulary, day)
    loaded, problems = load_entries(root / "papers", root, record=record)
    papers, more = validate_entries(loaded, vocabulary, today=day, record=record)
    assert problems + more == []
    record.save()
    return record, list(papers)


def _entries(root: Path) -> list[Path]:
    return sorted((root / "papers").glob("*.yaml"))


def _edit(entry: Path, change: dict[str, object]) -> None:
    data = yaml.safe_load(entry.read_text("utf-8"))
    data.update(change)
    entry.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def test_unchanged_entries_give_the_papers_checking_gives(catalogue: Path, tmp_path: Path) -> None:
    folder = tmp_path / ".site.record"
    first, checked = _load(catalogue, folder)
    assert first.taken == 0 and (folder / RECORD_FILE).is_file()
    again, taken = _load(catalogue, folder)
    assert again.taken == len(checked) == len(_entries(catalogue))
    assert taken == checked
    # What pages are recorded by (`page_record`) is the same for a paper taken over.
    digests = StableDigests()
    assert [digests.digest_fields(p) for p in taken] == [
        StableDigests().digest_fields(p) for p in checked
    ]
    assert [p.entry.model_fields_set for p in taken] == [p.entry.model_fields_set for p in checked]


def test_a_changed_entry_is_checked_again_and_its_problem_named_by_line(
    catalogue: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "record"
    sources = CatalogueSources(catalogue)
    load_catalogue(sources, record_folder=folder)
    entry = _entries(catalogue)[3]
    text = entry.read_text("utf-8")
    entry.write_text(text + "links:\n  code: javascript:alert(1)\n", "utf-8")
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(sources, record_folder=folder)
    line = len(text.splitlines()) + 2
    assert [(p.path, p.line, p.field) for p in raised.value.problems] == [
        (f"papers/{entry.name}", line, "links.code")
    ]


def test_recorded_entries_are_still_checked_against_each_other(
    catalogue: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "record"
    sources = CatalogueSources(catalogue)
    load_catalogue(sources, record_folder=folder)
    first, second = _entries(catalogue)[:2]
    # Another file with the bytes of a recorded one: the same paper twice.
    copy = first.with_name("zz-a-copy.yaml")
    copy.write_bytes(first.read_bytes())
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(sources, record_folder=folder)
    found = {(p.path, p.field) for p in raised.value.problems}
    assert ("papers/zz-a-copy.yaml", "title") in found
    copy.unlink()
    # A recorded entry given the title of another recorded entry.
    _edit(second, {"title": yaml.safe_load(first.read_text("utf-8"))["title"]})
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(sources, record_folder=folder)
    found = [(p.path, p.field, p.message) for p in raised.value.problems]
    assert found == [(f"papers/{second.name}", "title", found[0][2])]
    assert found[0][2].startswith(f"same title as papers/{first.name}")


def test_a_record_made_otherwise_or_damaged_is_not_used(catalogue: Path, tmp_path: Path) -> None:
    folder = tmp_path / "record"
    _, checked = _load(catalogue, folder)
    # Another build day: dates are checked against it.
    other_day, papers = _load(catalogue, folder, DAY + dt.timedelta(days=1))
    assert other_day.taken == 0 and papers == checked
    # Another vocabulary: a tag may have gone.
    tags = catalogue / "tags.yaml"
    tags.write_text(tags.read_text("utf-8") + "\n", "utf-8")  # the same tags: still used
    assert _load(catalogue, folder, DAY + dt.timedelta(days=1))[0].taken == len(checked)
    vocabulary = yaml.safe_load(tags.read_text("utf-8"))
    first_tag = next(iter(vocabulary["tags"]))
    first_tag["description"] = "Another description."
    tags.write_text(yaml.safe_dump(vocabulary, allow_unicode=True, sort_keys=False), "utf-8")
    assert _load(catalogue, folder, DAY)[0].taken == 0
    # A recorded digest that is not the file's, a recorded paper of the wrong shape.
    record = folder / RECORD_FILE
    data = json.loads(record.read_text("utf-8"))
    entries = data["entries"]
    names = sorted(entries)
    entries[names[0]][0] = "0" * 32
    del entries[names[1]][1]["entry"]["title"]
    record.write_text(json.dumps(data), "utf-8")
    again, papers = _load(catalogue, folder, DAY)
    assert again.taken == len(checked) - 2 and papers == checked
    # A truncated record is no record.
    record.write_text(record.read_text("utf-8")[:-10], "utf-8")
    assert _load(catalogue, folder, DAY)[0].taken == 0


def test_a_record_that_came_with_the_sources_is_not_used(
    catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A record made elsewhere (committed past .gitignore, copied from another machine) was
    # made for another user's secret: every entry is parsed and checked.
    folder = tmp_path / ".site.record"
    _load(catalogue, folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    record_secret.cache_clear()
    generator_version.cache_clear()
    try:
        again, papers = _load(catalogue, folder)
    finally:
        monkeypatch.undo()
        record_secret.cache_clear()
        generator_version.cache_clear()
    assert again.taken == 0 and len(papers) == len(_entries(catalogue))
