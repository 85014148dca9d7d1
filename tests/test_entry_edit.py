"""Editing an entry file in place: new lines only, whole files only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml

from generator.authoring.entry_edit import EditRefused, edit_entry_text, write_atomically
from generator.authoring.entry_files import dump_entry

FILLED = {"authors": ["Ann Author", "Bo Writer"], "arxiv": "2306.14048", "date": "2023-06-24"}


def test_every_seed_file_gains_exactly_what_the_entry_writer_would_write(repo_root: Path) -> None:
    files = sorted((repo_root / "papers").glob("*.yaml"))
    assert len(files) >= 100
    for file in files:
        text = file.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        edited = edit_entry_text(
            text, FILLED, {"abstract": "A new abstract."}, {"doi": "https://doi.org/10.1/x"}
        )
        # Inserting lines gives what rewriting the whole entry would: the layout is kept.
        expected = {**data, **FILLED, "abstract": "A new abstract."}
        expected["links"] = {**data.get("links", {}), "doi": "https://doi.org/10.1/x"}
        assert edited == dump_entry(expected), file.name


def test_comments_and_spacing_of_a_hand_written_file_stay() -> None:
    text = (
        "# a paper I like\n"
        "title: Some Title   # as printed\n"
        "\n"
        "# chosen with care\n"
        "tags: [llm]\n"
        "links:\n"
        "    code: https://example.org/code  # the official one\n"
        "abstract: |\n"
        "  Two lines\n"
        "  of abstract.\n"
    )

    edited = edit_entry_text(text, {"date": "2024"}, added_links={"doi": "https://doi.org/1"})

    assert edited == (
        "# a paper I like\n"
        "title: Some Title   # as printed\n"
        "\n"
        "date: '2024'\n"
        "# chosen with care\n"
        "tags: [llm]\n"
        "links:\n"
        "    code: https://example.org/code  # the official one\n"
        "    doi: https://doi.org/1\n"
        "abstract: |\n"
        "  Two lines\n"
        "  of abstract.\n"
    )


def test_a_file_with_windows_line_ends_keeps_them() -> None:
    text = "title: T\r\ntags: [llm]\r\nabstract: A\r\n"

    edited = edit_entry_text(text, {"authors": ["Ann"], "date": "2024"})

    assert (
        edited == "title: T\r\nauthors:\r\n- Ann\r\ndate: '2024'\r\ntags: [llm]\r\nabstract: A\r\n"
    )


def test_a_block_abstract_is_replaced_where_it_stands() -> None:
    text = "title: T\ntags: [llm]\nabstract: >\n  folded\n  text\n"

    edited = edit_entry_text(text, {}, {"abstract": "New $\\times$ text."})

    assert edited == "title: T\ntags: [llm]\nabstract: New $\\times$ text.\n"


@pytest.mark.parametrize(
    ("text", "added", "links", "reason"),
    [
        ("{title: T, tags: [llm], abstract: A}\n", {"date": "2024"}, {}, "one field per line"),
        (
            "title: T\nlinks: {code: https://x.org}\nabstract: A\n",
            {},
            {"doi": "https://d"},
            "links",
        ),
        ("title: T\ndate: '2023'\nabstract: A\n", {"date": "2024"}, {}, "already has date"),
        ("- a list\n", {"date": "2024"}, {}, "not a mapping"),
        ("title: [unclosed\n", {"date": "2024"}, {}, "not readable YAML"),
    ],
)
def test_layouts_an_edit_cannot_keep_are_refused(
    text: str, added: dict[str, str], links: dict[str, str], reason: str
) -> None:
    with pytest.raises(EditRefused, match=reason):
        edit_entry_text(text, added, added_links=links)


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "paper.yaml"
    path.write_text("title: Old\n", encoding="utf-8")
    path.chmod(0o640)

    def broken_disk(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", broken_disk)
        with pytest.raises(OSError):
            write_atomically(path, "title: New\n")
    assert path.read_text(encoding="utf-8") == "title: Old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["paper.yaml"]

    write_atomically(path, "title: New\n")
    assert path.read_text(encoding="utf-8") == "title: New\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # the file's own permissions are kept
