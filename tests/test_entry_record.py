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
    header, *lines = record.read_text("utf-8").splitlines()
    keys, papers_in = zip(*(line.split("\t") for line in lines), strict=True)
    shown, _ = json.loads(keys[0])
    paper = json.loads(papers_in[1])
    del paper["entry"]["title"]
    lines[0] = json.dumps([shown, "0" * 32]) + "\t" + papers_in[0]
    lines[1] = keys[1] + "\t" + json.dumps(paper)
    lines[2] = keys[2] + "\t" + "[" * 100_000  # nested too deep for Python's parser
    record.write_text("\n".join([header, *lines, ""]), "utf-8")
    again, papers = _load(catalogue, folder, DAY)
    assert again.taken == len(checked) - 3 and papers == checked
    # A record cut short, or one with a line that is not a file and a digest, is no record.
    whole = record.read_text("utf-8")
    record.write_text(whole[:-10], "utf-8")
    assert _load(catalogue, folder, DAY)[0].taken == 0
    for key in ("{}", '["papers/a.yaml"]', '["papers/a.yaml",1]', "[" * 100_000):
        record.write_text(whole.replace(keys[5], key, 1), "utf-8")
        assert _load(catalogue, folder, DAY)[0].taken == 0, key
    record.write_text(whole.replace(keys[5] + "\t", keys[5], 1), "utf-8")  # no tab
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


def test_a_rebuild_writes_the_record_a_build_without_one_writes(
    catalogue: Path, tmp_path: Path
) -> None:
    # The lines of unchanged entries are written as they were read: they must be the lines
    # that checking those entries again would give.
    folder = tmp_path / "record"
    _load(catalogue, folder)
    _edit(_entries(catalogue)[5], {"title": "A title edited since the last build"})
    again, _ = _load(catalogue, folder)
    assert again.taken == len(_entries(catalogue)) - 1
    _load(catalogue, tmp_path / "fresh")
    # The header, then the entries (a changed entry's line comes after the others).
    written = (folder / RECORD_FILE).read_bytes().splitlines()
    made = (tmp_path / "fresh" / RECORD_FILE).read_bytes().splitlines()
    assert written[0] == made[0] and sorted(written[1:]) == sorted(made[1:])
    assert len(written) == len(_entries(catalogue)) + 1


CYRILLIC = {"a": "\u0430", "e": "\u0435", "o": "\u043e"}
"""Cyrillic letters that look like the Latin letter they are keyed by."""


def _spelled_otherwise(text: str) -> str:
    """`text` with its first Latin a, e or o written as the Cyrillic letter that looks the same."""
    index = min(i for i, ch in enumerate(text) if ch in CYRILLIC)
    return text[:index] + CYRILLIC[text[index]] + text[index + 1 :]


COLLISIONS = {
    "the same arXiv id": lambda first: {"arxiv": "2401.01234v2"},
    "a look-alike title": lambda first: {"title": _spelled_otherwise(first["title"])},
    "a look-alike author": lambda first: {"authors": ["Ivan Petrov", "Jane D\u043ee"]},
    "a former slug that is another's address": lambda first: {"former_slugs": [first["slug"]]},
}


@pytest.mark.parametrize("collision", COLLISIONS)
def test_one_entry_changed_to_collide_gives_the_problems_a_fresh_check_gives(
    catalogue: Path, tmp_path: Path, collision: str
) -> None:
    folder = tmp_path / "record"
    sources = CatalogueSources(catalogue)
    first, second = _entries(catalogue)[2], _entries(catalogue)[7]
    _edit(first, {"arxiv": "2401.01234", "authors": ["Jane Doe", "Ivan Petrov"]})
    _edit(second, {"authors": ["Ivan Petrov"]})
    load_catalogue(sources, record_folder=folder)
    load_catalogue(sources, record_folder=folder)  # every entry taken from the record
    unchanged = second.read_bytes()
    fields = yaml.safe_load(first.read_text("utf-8")) | {"slug": first.stem}
    _edit(second, COLLISIONS[collision](fields))
    with pytest.raises(CatalogueError) as rebuilt:
        load_catalogue(sources, record_folder=folder)
    with pytest.raises(CatalogueError) as fresh:
        load_catalogue(sources)
    assert rebuilt.value.problems == fresh.value.problems
    assert [p.path for p in rebuilt.value.problems] == [f"papers/{second.name}"]
    # The collision taken away again: no problem, with the record or without.
    second.write_bytes(unchanged)
    assert len(load_catalogue(sources, record_folder=folder).papers) == len(_entries(catalogue))
    assert len(load_catalogue(sources).papers) == len(_entries(catalogue))
