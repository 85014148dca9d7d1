"""Author names: merged only when equal, joined only by authors.yaml, mistakes reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import CatalogueSources, load_catalogue
from generator.model.names import name_key
from generator.model.problems import CatalogueError

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "reader"


def test_name_keys_ignore_case_spacing_and_unicode_form_only() -> None:
    assert name_key("Yann  LeCun") == name_key("yann lecun") == name_key("YANN LECUN")
    assert name_key("\uff39ann LeCun") == name_key("Yann LeCun")  # NFKC: fullwidth Y
    assert name_key("Y. LeCun") != name_key("Yann LeCun")
    assert name_key("José") != name_key("Jose")


def catalogue_with_authors_file(tmp_path: Path, content: str) -> Path:
    for name in ("tags.yaml",):
        (tmp_path / name).write_text((FIXTURE / name).read_text(encoding="utf-8"))
    (tmp_path / "papers").mkdir()
    for entry in (FIXTURE / "papers").iterdir():
        (tmp_path / "papers" / entry.name).write_text(entry.read_text(encoding="utf-8"))
    (tmp_path / "authors.yaml").write_text(content, encoding="utf-8")
    return tmp_path


def problems(root: Path) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(CatalogueSources(root))
    return [str(p) for p in caught.value.problems]


def test_alias_file_mistakes_are_reported_with_their_lines(tmp_path: Path) -> None:
    root = catalogue_with_authors_file(
        tmp_path,
        "people:\n"
        "  - name: Ana Zhang\n"
        "    spelings: [A. Zhang]\n"
        "  - Just a string\n"
        '  - name: ""\n'
        "    spellings: []\n",
    )
    assert problems(root) == [
        "authors.yaml:2: people[0].spellings: is required; add it",
        "authors.yaml:3: people[0].spelings: is not a field of a person (did you mean "
        "'spellings'?)",
        "authors.yaml:4: people[1]: must be a mapping of `field: value` lines",
        "authors.yaml:5: people[2].name: is empty; give a value or remove the line",
        "authors.yaml:6: people[2].spellings: needs at least 1 item(s)",
    ]


def test_a_spelling_given_to_two_people_is_reported(tmp_path: Path) -> None:
    root = catalogue_with_authors_file(
        tmp_path,
        "people:\n"
        "  - name: Yann LeCun\n"
        "    spellings:\n"
        "      - Yann Le Cun\n"
        "  - name: Someone Else\n"
        "    spellings:\n"
        "      - yann le cun\n",
    )
    assert problems(root) == [
        "authors.yaml:7: people[1].spellings[0]: 'yann le cun' is already listed on line 4; "
        "a spelling belongs to one person only",
    ]


def test_a_spelling_no_entry_uses_is_reported(tmp_path: Path) -> None:
    root = catalogue_with_authors_file(
        tmp_path,
        "people:\n  - name: Yann LeCun\n    spellings:\n      - Yann Le Cun\n      - Y. Le Cun\n",
    )
    assert problems(root) == [
        "authors.yaml:5: people[0].spellings[1]: no entry uses this spelling; remove it "
        "(or fix its spelling)",
    ]


def test_no_alias_file_means_no_joined_spellings(tmp_path: Path) -> None:
    root = catalogue_with_authors_file(tmp_path, "")
    (root / "authors.yaml").unlink()
    catalogue = load_catalogue(CatalogueSources(root))
    names = {a.name for a in catalogue.authors.authors}
    assert {"Yann LeCun", "Yann Le Cun", "Y. LeCun"} <= names
