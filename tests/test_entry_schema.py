"""The JSON Schema editors use: generated from the model, committed, and agreeing with the check."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import Entry, load_vocabulary
from generator.authoring.entry_files import SCHEMA_COMMENT
from generator.cli import main
from generator.model.json_schema import SCHEMA_FILE, render_entry_schema
from tests.support import copy_catalogue

CHECK_JSONSCHEMA = str(Path(sys.executable).parent / "check-jsonschema")


def committed_schema(root: Path) -> str:
    return (root / SCHEMA_FILE).read_text(encoding="utf-8")


@pytest.mark.slow
def test_committed_schema_is_up_to_date(repo_root: Path) -> None:
    vocabulary, problems = load_vocabulary(repo_root / "tags.yaml", "tags.yaml")
    assert vocabulary is not None, problems
    assert committed_schema(repo_root) == render_entry_schema(vocabulary), (
        f"{SCHEMA_FILE.as_posix()} is stale: run `make schema` and commit it"
    )


def test_schema_follows_the_model_and_the_vocabulary(repo_root: Path) -> None:
    schema = json.loads(committed_schema(repo_root))
    vocabulary, _ = load_vocabulary(repo_root / "tags.yaml", "tags.yaml")
    assert vocabulary is not None
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert list(schema["properties"]) == list(Entry.model_fields)
    assert schema["required"] == [n for n, f in Entry.model_fields.items() if f.is_required()]
    assert schema["additionalProperties"] is False
    for name, info in Entry.model_fields.items():
        assert schema["properties"][name]["description"] == info.description
    assert schema["properties"]["tags"]["items"]["enum"] == [t.id for t in vocabulary.tags]


def test_every_entry_points_editors_at_the_schema(repo_root: Path) -> None:
    entries = sorted((repo_root / "papers").glob("*.yaml"))
    assert entries
    assert (
        SCHEMA_COMMENT == "# yaml-language-server: $schema=../generator/schema/entry.schema.json\n"
    )
    for path in entries:
        assert path.read_text(encoding="utf-8").startswith(SCHEMA_COMMENT), path.name
    target = (repo_root / "papers" / SCHEMA_COMMENT.split("=", 1)[1].strip()).resolve()
    assert target == (repo_root / SCHEMA_FILE).resolve()


@pytest.mark.slow
def test_schema_is_valid_and_every_entry_passes_it(repo_root: Path) -> None:
    meta = subprocess.run(
        [CHECK_JSONSCHEMA, "--check-metaschema", str(repo_root / SCHEMA_FILE)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert meta.returncode == 0, meta.stdout + meta.stderr
    entries = sorted(str(p) for p in (repo_root / "papers").glob("*.yaml"))
    result = subprocess.run(
        [CHECK_JSONSCHEMA, "--schemafile", str(repo_root / SCHEMA_FILE), *entries],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_schema_catches_what_the_check_catches(repo_root: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SCHEMA_COMMENT + "title: A paper\narxiv: 2312.11510\ndate: 2024-5-1\n"
        "tags: [quantisation]\nlinks:\n  Code: ftp://example.org\nabstract: Text.\nyear: 2024\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [CHECK_JSONSCHEMA, "--verbose", "--schemafile", str(repo_root / SCHEMA_FILE), str(bad)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    for expected in (
        "'year' was unexpected",
        "$.arxiv: 2312.1151 is not of type 'string'",  # unquoted, YAML made it a number
        "'2024-5-1' does not match",
        "'quantisation' is not one of ['quantization'",
        "'Code' does not match any of the regexes",
    ):
        assert expected in result.stdout, expected


@pytest.mark.slow
def test_schema_command_rewrites_a_stale_file(repo_root: Path, tmp_path: Path) -> None:
    root = copy_catalogue(repo_root, tmp_path)
    (root / SCHEMA_FILE).parent.mkdir(parents=True)
    shutil.copy2(repo_root / SCHEMA_FILE, root / SCHEMA_FILE)
    runner = CliRunner()
    assert runner.invoke(main, ["schema", "--root", str(root), "--check"]).exit_code == 0

    # A new tag in the vocabulary makes the committed schema stale...
    tags = root / "tags.yaml"
    tags.write_text(
        tags.read_text(encoding="utf-8")
        + "  - id: robotics\n    name: Robotics\n    kind: modality\n"
        "    description: Models that act in the physical world.\n",
        encoding="utf-8",
    )
    stale = runner.invoke(main, ["schema", "--root", str(root), "--check"])
    assert stale.exit_code == 1
    assert "is out of date" in stale.output and "make schema" in stale.output

    # ...and one command brings it back.
    written = runner.invoke(main, ["schema", "--root", str(root)])
    assert written.exit_code == 0
    assert "robotics" in json.loads(committed_schema(root))["properties"]["tags"]["items"]["enum"]
    assert runner.invoke(main, ["schema", "--root", str(root), "--check"]).exit_code == 0
