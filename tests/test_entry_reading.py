"""Reading and checking one entry: exact messages, the right line, limits at their boundary."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from generator import Entry, Problem
from generator.model.entry import MAX_ABSTRACT, MAX_AUTHORS, MAX_TAGS, MAX_TITLE
from generator.model.paper import Paper
from generator.read.messages import problems_from_validation_error
from generator.read.validate import find_collisions
from generator.read.yaml_source import MAX_DEPTH, MAX_FILE_BYTES, read_yaml_mapping


def problems_of(text: bytes) -> list[str]:
    """Every problem reading and validating `text` as `papers/x.yaml`, as printed."""
    doc, problems = read_yaml_mapping(text, "papers/x.yaml")
    found = [str(p) for p in problems]
    if doc is not None and not problems:
        try:
            Entry.model_validate(doc.data)
        except ValidationError as exc:
            found += [str(p) for p in problems_from_validation_error(exc, doc)]
    return found


VALID = b"title: T\nabstract: A\ntags: [llm]\n"


def test_a_valid_entry_has_no_problem() -> None:
    assert problems_of(VALID) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            b"title: T\nabstract: A\ntitle: U\ntags: [llm]\n",
            "papers/x.yaml:3: title: duplicate key (first given on line 1); keep only one",
        ),
        (
            b"title: !!python/object/apply:os.system [id]\nabstract: A\ntags: [llm]\n",
            "papers/x.yaml:1: title: the YAML tag '!!python/object/apply:os.system' is not "
            "allowed; remove it (an entry holds only plain text, lists and `field: value` lines)",
        ),
        (
            b"title: &a T\nabstract: *a\ntags: [llm]\n",
            "papers/x.yaml:2: abstract: YAML anchors and aliases are not allowed; write the value "
            "out",
        ),
        (
            b"title: T\r\nabstract: A\r\ntags: [llm]\r\nvenue: \xff\r\n",
            "papers/x.yaml:4: file: is not valid UTF-8; save it as UTF-8",
        ),
        (
            b"title: T\nabstract: A\ntags:\n  - " + b"[" * MAX_DEPTH + b"x" + b"]" * MAX_DEPTH,
            f"papers/x.yaml:4: file: nests lists or mappings more than {MAX_DEPTH} levels "
            "deep; an entry needs two",
        ),
        (
            b"title:\nabstract: A\ntags: [llm]\n",
            "papers/x.yaml:1: title: is empty; give a value or remove the line",
        ),
        (
            b'title: "a\\u202eb"\nabstract: A\ntags: [llm]\n',
            "papers/x.yaml:1: title: contains the invisible or control character U+202E "
            "(RIGHT-TO-LEFT OVERRIDE) at position 2; remove it",
        ),
        (
            b'title: T\nabstract: A\ntags: [llm]\n"k\\x1b[2J\\nfake: line": 1\n',
            "papers/x.yaml:4: k\\x1b[2J\\nfake: line: is not a field of an entry; check its "
            "spelling (see the list of fields)",
        ),
    ],
    ids=["duplicate", "python-tag", "alias", "crlf-utf8-line", "depth", "null", "bidi", "key"],
)
def test_exact_messages(text: bytes, expected: str) -> None:
    assert expected in problems_of(text)


def test_bom_and_crlf_are_accepted_with_correct_lines() -> None:
    text = b"\xef\xbb\xbftitle: T\r\nabstract: A\r\ntags: [llm]\r\narxiv: 2101.10010\r\n"
    doc, problems = read_yaml_mapping(text, "papers/x.yaml")
    assert problems == [] and doc is not None
    assert doc.data["title"] == "T" and doc.line_of(("arxiv",)) == 4
    assert doc.resolved[("arxiv",)] == "float"  # validate turns this into "put it in quotes"


def test_file_size_limit_is_exact() -> None:
    padding = b"abstract: '" + b"x" * MAX_FILE_BYTES
    body = b"title: T\ntags: [llm]\n"
    at_limit = body + padding[: MAX_FILE_BYTES - len(body) - 2] + b"'\n"
    assert len(at_limit) == MAX_FILE_BYTES
    assert read_yaml_mapping(at_limit, "x")[1] == []
    over = at_limit + b" "
    assert [p.message for p in read_yaml_mapping(over, "x")[1]] == [
        f"is {MAX_FILE_BYTES + 1:,} bytes; an entry may be at most 64 KiB"
    ]


@pytest.mark.parametrize(
    ("field", "at_limit", "over"),
    [
        ("title", "t" * MAX_TITLE, "t" * (MAX_TITLE + 1)),
        ("abstract", "a" * MAX_ABSTRACT, "a" * (MAX_ABSTRACT + 1)),
        ("tags", ["llm"] * MAX_TAGS, ["llm"] * (MAX_TAGS + 1)),
        ("authors", ["A"] * MAX_AUTHORS, ["A"] * (MAX_AUTHORS + 1)),
    ],
)
def test_limits_are_exact(field: str, at_limit: object, over: object) -> None:
    fields: dict[str, object] = {"title": "T", "abstract": "A", "tags": ["llm"]}
    Entry.model_validate({**fields, field: at_limit})
    with pytest.raises(ValidationError) as caught:
        Entry.model_validate({**fields, field: over})
    assert [error["loc"] for error in caught.value.errors()] == [(field,)]


@pytest.mark.parametrize(
    "url",
    ["https://example.org/", "http://example.org/a?b=c&d=e#f", "HTTPS://EXAMPLE.ORG/x"],
)
def test_web_links_are_accepted(url: str) -> None:
    Entry.model_validate({"title": "T", "abstract": "A", "tags": ["llm"], "links": {"pdf": url}})


def _paper(slug: str, **fields: object) -> Paper:
    entry = Entry.model_validate({"abstract": "A", "tags": ["llm"], **fields})
    return Paper(slug, f"papers/{slug}.yaml", entry, {"title": 1, "arxiv": 2, "former_slugs": 3})


def test_collisions_name_both_files() -> None:
    papers = [
        _paper("a", title="Attention Is All You Need", arxiv="1706.03762"),
        _paper("b", title="attention is all you need!", arxiv="1706.03762v5"),
        _paper("c", title="???"),
        _paper("d", title="!!!"),  # symbols only: different titles, no collision
        _paper("e", title="E", former_slugs=["a", "gone"]),
        _paper("f", title="F", former_slugs=["gone"]),
    ]
    assert sorted(str(p) for p in find_collisions(papers)) == [
        "papers/b.yaml:1: title: same title as papers/a.yaml; one paper gets one entry (edit "
        "that file instead)",
        "papers/b.yaml:2: arxiv: same arXiv id as papers/a.yaml; one paper gets one entry (edit "
        "that file instead)",
        "papers/e.yaml:3: former_slugs: 'a' is the address of papers/a.yaml; one address cannot "
        "show one paper and redirect to another",
        "papers/f.yaml:3: former_slugs: 'gone' is already a former slug of papers/e.yaml; an old "
        "address can redirect to one paper only",
    ]


def test_problem_report_escapes_what_a_terminal_would_obey() -> None:
    problem = Problem("papers/a\nb.yaml", 2, "k\x1b[31m", "bad \u202e value")
    assert str(problem) == "papers/a\\nb.yaml:2: k\\x1b[31m: bad \\u202e value"


def test_reserved_and_odd_file_names(tmp_path: Path) -> None:
    from generator.read.entries import load_entries

    papers = tmp_path / "papers"
    papers.mkdir()
    for name in ("index.yaml", "ok.yaml", "trailing\n.yaml", ".gitkeep", "sub"):
        (papers / name).write_bytes(VALID) if name != "sub" else (papers / name).mkdir()
    loaded, problems = load_entries(papers, tmp_path)
    assert [entry.slug for entry in loaded] == ["ok"]
    assert sorted(p.path for p in problems) == ["papers/index.yaml", "papers/trailing\n.yaml"]
