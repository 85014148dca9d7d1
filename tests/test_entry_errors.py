"""Every kind of contributor mistake gets one exact, actionable `file:line: field: message`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator import CatalogueError, CatalogueSources, load_catalogue

VOCABULARY = """\
tags:
  - id: quantization
    name: Quantization
    kind: method
    description: Lower precision.
    aliases: [quantisation]
  - id: llm
    name: Large language models
    kind: modality
    description: Text models.
"""
# A valid partner entry, so that every tag used below carries at least two papers.
PARTNER = "title: Partner paper\nabstract: Text.\ntags: [quantization, llm]\n"


def problems_for(
    tmp_path: Path, files: dict[str, str | bytes], vocabulary: str = VOCABULARY
) -> list[str]:
    """Write a catalogue of `files` (name -> content) plus the partner; return its problems."""
    (tmp_path / "tags.yaml").write_text(vocabulary, encoding="utf-8")
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "partner.yaml").write_text(PARTNER, encoding="utf-8")
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (papers / name).write_bytes(data)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(CatalogueSources(tmp_path))
    return [str(p) for p in caught.value.problems]


def entry(**fields: str) -> str:
    base = {"title": "A paper", "abstract": "Text.", "tags": "[quantization, llm]"}
    base.update(fields)
    return "".join(f"{key}: {value}\n" for key, value in base.items() if value != "DROP")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (entry(title="DROP"), "papers/x.yaml:1: title: is required; add it"),
        (entry(abstract="DROP"), "papers/x.yaml:1: abstract: is required; add it"),
        (entry(tags="DROP"), "papers/x.yaml:1: tags: is required; add it"),
        (entry(tags="[]"), "papers/x.yaml:3: tags: needs at least 1 item(s)"),
        (entry(title="''"), "papers/x.yaml:1: title: is empty; give a value or remove the line"),
        (
            entry(titel="'Typo'"),
            "papers/x.yaml:4: titel: is not a field of an entry (did you mean 'title'?)",
        ),
        (
            entry(tags="[quantisation, llm]"),
            "papers/x.yaml:3: tags: unknown tag 'quantisation' (did you mean 'quantization'?)",
        ),
        (
            entry(tags="[quantizaton, llm]"),
            "papers/x.yaml:3: tags: unknown tag 'quantizaton' (did you mean 'quantization'?)",
        ),
        (
            entry(tags="[pruning, llm]"),
            "papers/x.yaml:3: tags: unknown tag 'pruning' (see tags.yaml for the list)",
        ),
        (entry(tags="[llm, llm]"), "papers/x.yaml:3: tags: tag 'llm' is given twice; keep one"),
        (
            entry(arxiv="'2312.1151'"),
            "papers/x.yaml:4: arxiv: '2312.1151' cannot exist: papers from December 2023 have "
            "a 5-digit number after the dot",
        ),
        (
            entry(arxiv="2101.10010"),
            "papers/x.yaml:4: arxiv: put the identifier in quotes: arxiv: '2101.10010' "
            "(unquoted, YAML reads it as a number and drops trailing zeros)",
        ),
        (
            entry(date="'2024-13'"),
            "papers/x.yaml:4: date: '2024-13' is not a real date",
        ),
        (
            entry(date="'May 2024'"),
            "papers/x.yaml:4: date: 'May 2024' is not a date; "
            "write '2024-05-17', '2024-05' or '2024'",
        ),
        (
            entry(links="{code: 'javascript:alert(1)'}"),
            "papers/x.yaml:4: links.code: 'javascript:alert(1)' must be a full web address "
            "starting with https://",
        ),
        (
            entry(links="{code: '//evil.example/x'}"),
            "papers/x.yaml:4: links.code: '//evil.example/x' must be a full web address "
            "starting with https://",
        ),
        (
            entry(links="{Code Link: 'https://example.org'}"),
            "papers/x.yaml:4: links.Code Link: may contain only lowercase letters, digits "
            "and hyphens",
        ),
        (
            entry(authors="Jane Doe"),
            "papers/x.yaml:4: authors: must be a list, one item per line starting with `- `",
        ),
        (entry(title="[a, b]"), "papers/x.yaml:1: title: must be text, not a list or a mapping"),
        (
            entry(tags="[quantization, llm, a, b, c, d, e, f, g]"),
            "papers/x.yaml:3: tags: has too many items (at most 8)",
        ),
        (
            "title: A\ntitle: B\nabstract: T\ntags: [llm, quantization]\n",
            "papers/x.yaml:2: title: duplicate key (first given on line 1); keep only one",
        ),
        ("title: [unclosed\n", "papers/x.yaml:2: file: is not valid YAML: "),
        (
            "- a list\n- not a mapping\n",
            "papers/x.yaml:1: file: must hold one YAML mapping of `field: value` lines",
        ),
        (
            "title: !!python/object:os.system ls\nabstract: T\ntags: [llm, quantization]\n",
            "papers/x.yaml:1: title: the YAML tag '!!python/object:os.system' is not allowed; "
            "remove it (an entry holds only plain text, lists and `field: value` lines)",
        ),
        (
            # The line of the alias that must be written out, not the line of its anchor.
            "title: &t A\nabstract: *t\ntags: [llm, quantization]\n",
            "papers/x.yaml:2: abstract: YAML anchors and aliases are not allowed; "
            "write the value out",
        ),
    ],
)
def test_each_mistake_has_an_exact_message(tmp_path: Path, content: str, expected: str) -> None:
    problems = problems_for(tmp_path, {"x.yaml": content})
    assert any(p.startswith(expected) for p in problems), problems


def test_file_name_must_be_a_slug(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, {"My Paper.yaml": entry()})
    assert problems == [
        "papers/My Paper.yaml:1: file: the file name 'My Paper' may contain only lowercase "
        "letters, digits and single hyphens (like `llm-in-a-flash.yaml`)"
    ]


def test_file_name_at_most_80_characters(tmp_path: Path) -> None:
    name = "a" * 81
    problems = problems_for(tmp_path, {f"{name}.yaml": entry()})
    assert problems == [
        f"papers/{name}.yaml:1: file: the file name is 81 characters; shorten it to at most 80"
    ]


def test_only_yaml_files_belong_in_papers(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, {"notes.txt": "hello"})
    assert problems == [
        "papers/notes.txt:1: file: only `.yaml` entry files belong in papers/; rename it"
    ]


def test_not_utf8(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, {"x.yaml": b"title: caf\xe9\nabstract: T\ntags: [llm]\n"})
    assert problems == ["papers/x.yaml:1: file: is not valid UTF-8; save it as UTF-8"]


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "tags.yaml").write_text(VOCABULARY, encoding="utf-8")
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "partner.yaml").write_text(PARTNER, encoding="utf-8")
    raw = b"\xef\xbb\xbftitle: Windows paper\r\nabstract: Text.\r\ntags: [quantization, llm]\r\n"
    (papers / "x.yaml").write_bytes(raw)
    catalogue = load_catalogue(CatalogueSources(tmp_path))
    assert catalogue.paper("x").entry.title == "Windows paper"


def test_file_too_large(tmp_path: Path) -> None:
    big = entry(abstract="'" + "a" * 70_000 + "'")
    problems = problems_for(tmp_path, {"x.yaml": big})
    assert problems == ["papers/x.yaml:1: file: is 70,054 bytes; an entry may be at most 64 KiB"]


def test_same_arxiv_id_in_any_version_is_a_duplicate(tmp_path: Path) -> None:
    problems = problems_for(
        tmp_path,
        {
            "a.yaml": entry(title="First", arxiv="'2312.11514'"),
            "b.yaml": entry(title="Second", arxiv="'2312.11514v2'"),
        },
    )
    assert problems == [
        "papers/b.yaml:4: arxiv: same arXiv id as papers/a.yaml; one paper gets one entry "
        "(edit that file instead)"
    ]


def test_same_title_after_normalisation_is_a_duplicate(tmp_path: Path) -> None:
    problems = problems_for(
        tmp_path,
        {"a.yaml": entry(title="'LLM in a Flash!'"), "b.yaml": entry(title="'llm in a flash'")},
    )
    assert problems == [
        "papers/b.yaml:1: title: same title as papers/a.yaml; one paper gets one entry "
        "(edit that file instead)"
    ]


def test_a_tag_needs_two_papers(tmp_path: Path) -> None:
    vocabulary = (
        VOCABULARY + "  - id: rare\n    name: Rare\n    kind: method\n    description: R.\n"
    )
    problems = problems_for(
        tmp_path, {"x.yaml": entry(tags="[rare, llm, quantization]")}, vocabulary
    )
    assert problems == [
        "papers/x.yaml:3: tags: tag 'rare' would carry only this paper; a tag needs at least "
        "two papers (use a broader tag, or tag another paper 'rare' too)"
    ]


def test_vocabulary_problems_name_tags_yaml(tmp_path: Path) -> None:
    vocabulary = VOCABULARY + "  - id: Bad Id\n    name: X\n    kind: colour\n    description: D.\n"
    problems = problems_for(tmp_path, {}, vocabulary)
    assert (
        "tags.yaml:11: tags[2].id: may contain only lowercase letters, digits and hyphens"
        in problems
    )
    assert "tags.yaml:13: tags[2].kind: must be one of 'method' or 'modality'" in problems


def test_every_problem_in_every_file_is_reported_at_once(tmp_path: Path) -> None:
    problems = problems_for(
        tmp_path,
        {
            "a.yaml": entry(tags="[quantisation, llm]", date="'2024-02-30'"),
            "b.yaml": entry(title="DROP", titel="'x'"),
            "c.yaml": "not: [valid\n",
        },
    )
    assert len(problems) == 5, problems
    assert [p.split(":")[0] for p in problems] == ["papers/a.yaml"] * 2 + ["papers/b.yaml"] * 2 + [
        "papers/c.yaml"
    ]


@pytest.mark.slow
def test_check_command_prints_every_problem_and_exits_1(tmp_path: Path) -> None:
    problems_for(tmp_path, {"x.yaml": entry(tags="[quantisation, llm]")})  # writes the files
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", "--root", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "papers/x.yaml:3: tags: unknown tag 'quantisation' (did you mean 'quantization'?)",
        "1 problem found.",
    ]
    assert "Traceback" not in result.stderr
