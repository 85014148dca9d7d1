"""`catalogue add` from arXiv: the real HTTP and Atom code against recorded answers on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from generator import CatalogueSources, load_catalogue
from generator.authoring.arxiv_source import API_URL_VARIABLE, parse_arxiv_reference
from generator.cli import main
from tests.fake_arxiv import FIXTURES, FakeArxiv, serve_fake_arxiv
from tests.support import copy_catalogue

SEED_COUNT = 124


@pytest.fixture
def arxiv_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeArxiv]:
    """The fake API on a free loopback port; `CATALOGUE_ARXIV_API` points `add` at it."""
    with serve_fake_arxiv() as api:
        monkeypatch.setenv(API_URL_VARIABLE, api.url())
        yield api


@pytest.fixture
def catalogue(repo_root: Path, tmp_path: Path) -> Path:
    """A copy of the real catalogue to add papers to."""
    return copy_catalogue(repo_root, tmp_path)


def run_add(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["add", "--root", str(root), *args])


def read_entry(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


# --- the identifiers people paste ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2211.17192", "2211.17192"),
        ("  2211.17192v2 ", "2211.17192v2"),
        ("arXiv:2211.17192", "2211.17192"),
        ("arxiv: 2306.14048v3", "2306.14048v3"),
        ("https://arxiv.org/abs/2211.17192", "2211.17192"),
        ("https://arxiv.org/abs/2211.17192v1", "2211.17192v1"),
        ("http://arxiv.org/pdf/2211.17192.pdf", "2211.17192"),
        ("https://arxiv.org/pdf/2211.17192v2", "2211.17192v2"),
        ("https://www.arxiv.org/html/2306.14048v3/", "2306.14048v3"),
        ("arxiv.org/abs/2211.17192", "2211.17192"),
        ("https://export.arxiv.org/abs/hep-th/9711200v3", "hep-th/9711200v3"),
        ("hep-th/9711200", "hep-th/9711200"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("10.48550/arXiv.2211.17192", "2211.17192"),
        ("https://doi.org/10.48550/arXiv.2211.17192", "2211.17192"),
        ("2401.00001", "2401.00001"),
        ("0704.0001", "0704.0001"),
    ],
)
def test_arxiv_references_are_recognised(text: str, expected: str) -> None:
    assert parse_arxiv_reference(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2211.171",
        "2211.1719",  # since 2015 the number has five digits
        "0704.00011",  # and before, four
        "2211.171920",
        "22111.17192",
        "https://evil.example/abs/2211.17192",
        "https://arxiv.org.evil.example/abs/2211.17192",
        "ftp://arxiv.org/abs/2211.17192",
        "https://arxiv.org/list/cs.LG/recent",
        "2211.17192; rm -rf /",
        "2211.17192,2306.14048",
        "../../etc/passwd",
        "javascript:alert(1)",
        "HEP-TH/9711200",
    ],
)
def test_other_text_is_not_an_arxiv_reference(text: str) -> None:
    assert parse_arxiv_reference(text) is None


# --- adding papers --------------------------------------------------------------------------


def test_adds_a_paper_from_its_arxiv_id(catalogue: Path, arxiv_api: FakeArxiv) -> None:
    result = run_add(catalogue, "https://arxiv.org/abs/2211.17192")

    assert result.exit_code == 0, result.output
    path = catalogue / "papers" / "fast-inference-from-transformers-via-speculative-decoding.yaml"
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../generator/schema/entry.schema.json\n"
        "title: Fast Inference from Transformers via Speculative Decoding\n"
        "authors:\n- Yaniv Leviathan\n- Matan Kalman\n- Yossi Matias\n"
        "arxiv: '2211.17192'\n"
        "date: '2022-11-30'\n"
        # The day it joined the catalogue: today (feeds list the newest entries by it).
        f"added: '{dt.date.today().isoformat()}'\n"
        "tags:\n- speculative-decoding\n"
        "links:\n  arxiv: https://arxiv.org/abs/2211.17192\n  pdf: https://arxiv.org/pdf/2211.17192\n"
        "abstract: Inference from large autoregressive models like Transformers is slow - decoding"
        " K tokens takes K serial runs of the model. In this work we introduce speculative"
        " decoding - an algorithm to sample from autoregressive models faster without any"
        " changes to the outputs, by computing several tokens in parallel. At the heart of our"
        " approach lie the observations that (1) hard language-modeling tasks often include"
        " easier subtasks that can be approximated well by more efficient models, and (2) using"
        " speculative execution and a novel sampling method, we can make exact decoding from the"
        " large models faster, by running them in parallel on the outputs of the approximation"
        " models, potentially generating several tokens concurrently, and without changing the"
        " distribution. Our method can accelerate existing off-the-shelf models without"
        " retraining or architecture changes. We demonstrate it on T5-XXL and show a 2X-3X"
        " acceleration compared to the standard T5X implementation, with identical outputs.\n"
    )
    # One polite request to the API, saying who asks.
    assert len(arxiv_api.requests) == 1
    request_path, query, agent = arxiv_api.requests[0]
    assert request_path == "/ok/api/query"
    assert query == {"id_list": ["2211.17192"], "max_results": ["1"]}
    assert agent.startswith("paper-catalogue")
    # The new entry passes the whole check, and the contributor is told what to review.
    assert len(load_catalogue(CatalogueSources(catalogue)).papers) == SEED_COUNT + 1
    assert "tags suggested from the title and abstract: speculative-decoding\n" in result.output
    assert "arXiv comment: 'ICML 2023 Oral'" in result.output
    assert "Before you commit" in result.output
    assert "catalogue check" in result.output


def test_adds_several_papers_in_one_request(catalogue: Path, arxiv_api: FakeArxiv) -> None:
    result = run_add(catalogue, "1503.02531", "arXiv:2211.17192")

    assert result.exit_code == 0, result.output
    assert [q["id_list"] for _, q, _ in arxiv_api.requests] == [["1503.02531,2211.17192"]]
    hinton = read_entry(catalogue / "papers" / "distilling-the-knowledge-in-a-neural-network.yaml")
    assert hinton["authors"] == ["Geoffrey Hinton", "Oriol Vinyals", "Jeff Dean"]
    assert hinton["date"] == "2015-03-09"
    assert hinton["arxiv"] == "1503.02531"
    # The classic answer wraps the abstract at 80 columns; the entry keeps it as one paragraph.
    assert isinstance(hinton["abstract"], str)
    assert hinton["abstract"].startswith("A very simple way to improve the performance of almost")
    assert "\n" not in hinton["abstract"] and "  " not in hinton["abstract"]
    # "Unlike a mixture of experts" in the abstract: why the contributor must review the tags.
    assert hinton["tags"] == ["mixture-of-experts"]
    assert len(load_catalogue(CatalogueSources(catalogue)).papers) == SEED_COUNT + 2


def test_a_version_given_is_kept_and_the_date_is_the_first_versions(
    catalogue: Path, arxiv_api: FakeArxiv
) -> None:
    result = run_add(catalogue, "2211.17192v2", "--tag", "speculative-decoding")

    assert result.exit_code == 0, result.output
    entry = read_entry(
        catalogue / "papers" / "fast-inference-from-transformers-via-speculative-decoding.yaml"
    )
    assert entry["arxiv"] == "2211.17192v2"
    assert entry["date"] == "2022-11-30"
    assert entry["tags"] == ["speculative-decoding"]
    assert "tags as given: speculative-decoding" in result.output


def test_old_style_id_with_journal_reference_and_doi(catalogue: Path, arxiv_api: FakeArxiv) -> None:
    # Nothing in tags.yaml matches string theory: the contributor must choose.
    refused = run_add(catalogue, "hep-th/9711200")
    assert refused.exit_code == 1
    assert (
        "arXiv:hep-th/9711200:1: tags: no tag of tags.yaml matches its title or abstract; "
        "choose one or more with --tag ID"
    ) in refused.output
    assert len(list((catalogue / "papers").iterdir())) == SEED_COUNT

    result = run_add(catalogue, "https://arxiv.org/abs/hep-th/9711200", "--tag", "survey")
    assert result.exit_code == 0, result.output
    entry = read_entry(
        catalogue
        / "papers"
        / "the-large-n-limit-of-superconformal-field-theories-and-supergravity.yaml"
    )
    assert entry["arxiv"] == "hep-th/9711200"
    assert entry["venue"] == "Adv.Theor.Math.Phys.2:231-252,1998"
    assert entry["date"] == "1997-11-27"
    assert entry["links"] == {
        "arxiv": "https://arxiv.org/abs/hep-th/9711200",
        "pdf": "https://arxiv.org/pdf/hep-th/9711200",
        "doi": "https://doi.org/10.1023/A:1026654312961",
    }
    assert entry["authors"] == ["Juan M. Maldacena"]
    assert isinstance(entry["abstract"], str) and "large $N$ limit" in entry["abstract"]


def test_dry_run_prints_and_writes_nothing(catalogue: Path, arxiv_api: FakeArxiv) -> None:
    result = run_add(catalogue, "2211.17192", "--dry-run")

    assert result.exit_code == 0, result.output
    assert (
        "# papers/fast-inference-from-transformers-via-speculative-decoding.yaml" in result.output
    )
    assert "title: Fast Inference from Transformers via Speculative Decoding" in result.output
    assert "Dry run: 1 entry not written." in result.output
    assert len(list((catalogue / "papers").iterdir())) == SEED_COUNT


# --- refusing duplicates --------------------------------------------------------------------


def test_refuses_a_paper_with_the_title_of_an_existing_entry(
    catalogue: Path, arxiv_api: FakeArxiv
) -> None:
    result = run_add(catalogue, "2306.14048")

    assert result.exit_code == 1
    assert (
        "arXiv:2306.14048:1: title: a paper with this title is already in the "
        "catalogue: papers/h2o-heavy-hitter-oracle-for-efficient-generative-inference-of-large"
        "-language.yaml; edit that entry instead"
    ) in result.output
    assert "nothing was written" in result.output
    assert len(list((catalogue / "papers").iterdir())) == SEED_COUNT


def test_refuses_an_arxiv_id_already_present_in_any_version(
    catalogue: Path, arxiv_api: FakeArxiv
) -> None:
    assert run_add(catalogue, "2211.17192").exit_code == 0
    asked = len(arxiv_api.requests)

    result = run_add(catalogue, "https://arxiv.org/pdf/2211.17192v1")

    assert result.exit_code == 1
    assert (
        "arXiv 2211.17192 is already in the catalogue: papers/fast-inference-from-transformers-via"
        "-speculative-decoding.yaml; edit that entry instead"
    ) in result.output
    assert len(arxiv_api.requests) == asked  # refused before asking arXiv again


def test_the_same_paper_twice_in_one_run_is_asked_once(
    catalogue: Path, arxiv_api: FakeArxiv
) -> None:
    result = run_add(catalogue, "2211.17192", "2211.17192v2", "arxiv.org/abs/2211.17192")

    assert result.exit_code == 0, result.output
    assert [q["id_list"] for _, q, _ in arxiv_api.requests] == [["2211.17192"]]
    assert "Added 1 entry" in result.output


# --- arXiv saying no, or not answering ------------------------------------------------------


def test_unknown_id_is_reported(catalogue: Path, arxiv_api: FakeArxiv) -> None:
    result = run_add(catalogue, "2312.99999")

    assert result.exit_code == 1
    assert "Error: arXiv has no paper 2312.99999; check the identifier" in result.output
    assert "Nothing was written." in result.output


def test_an_error_entry_from_the_api_is_reported(
    catalogue: Path, arxiv_api: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    arxiv_api.custom_body = (FIXTURES / "error.atom").read_bytes()
    monkeypatch.setenv(API_URL_VARIABLE, arxiv_api.url("custom"))

    result = run_add(catalogue, "2312.11514")

    assert result.exit_code == 1
    assert "arXiv refused the request: incorrect id format for 2312.115149" in result.output


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("limited", "asks us to slow down (HTTP 503); wait a minute and try again"),
        ("html", "arXiv's answer is not an Atom feed (it begins '<html><body><h1>Maintenance"),
        ("slow", "did not answer within 0.3 s; check your connection and try again"),
    ],
)
def test_unusable_answers_fail_clearly(
    catalogue: Path,
    arxiv_api: FakeArxiv,
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
    message: str,
) -> None:
    monkeypatch.setenv(API_URL_VARIABLE, arxiv_api.url(mode))

    result = run_add(catalogue, "2211.17192", "--timeout", "0.3")

    assert result.exit_code == 1
    assert message in result.output
    assert isinstance(result.exception, SystemExit)  # a message and exit 1, no traceback
    assert len(list((catalogue / "papers").iterdir())) == SEED_COUNT


@pytest.mark.slow
def test_without_network_the_command_fails_with_a_message_not_a_traceback(
    catalogue: Path, repo_root: Path
) -> None:
    # A real process, as a contributor runs it, pointed at a port where nothing listens.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, API_URL_VARIABLE: f"http://127.0.0.1:{port}/api/query"}
    catalogue_command = Path(sys.executable).parent / "catalogue"

    result = subprocess.run(
        [str(catalogue_command), "add", "--root", str(catalogue), "2211.17192"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith(f"Error: cannot reach arXiv (127.0.0.1:{port}): ")
    assert "check your connection and try again, or add the paper from BibTeX instead" in (
        result.stderr
    )


def test_hostile_answers_are_checked_like_any_entry(
    catalogue: Path, arxiv_api: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = (FIXTURES / "2211.17192.atom").read_text(encoding="utf-8")
    long_title = "Speculative decoding " * 20
    arxiv_api.custom_body = feed.replace(
        "Fast Inference from Transformers via Speculative Decoding", long_title
    ).encode()
    monkeypatch.setenv(API_URL_VARIABLE, arxiv_api.url("custom"))

    result = run_add(catalogue, "2211.17192")

    assert result.exit_code == 1
    assert "arXiv:2211.17192:1: title: is too long (at most 300 characters)" in result.output
    assert len(list((catalogue / "papers").iterdir())) == SEED_COUNT


def test_entity_tricks_in_the_answer_are_not_expanded(
    catalogue: Path, arxiv_api: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = (FIXTURES / "2211.17192.atom").read_text(encoding="utf-8")
    arxiv_api.custom_body = (
        feed.replace(
            "<?xml version='1.0' encoding='UTF-8'?>",
            "<?xml version='1.0'?><!DOCTYPE feed [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>",
        )
        .replace("Fast Inference", "&x; Fast Inference")
        .encode()
    )
    monkeypatch.setenv(API_URL_VARIABLE, arxiv_api.url("custom"))

    result = run_add(catalogue, "2211.17192")

    # The external entity is skipped, never read: the title is arXiv's text alone.
    assert result.exit_code == 0, result.output
    path = catalogue / "papers" / "fast-inference-from-transformers-via-speculative-decoding.yaml"
    text = path.read_text(encoding="utf-8")
    assert "title: Fast Inference from Transformers via Speculative Decoding\n" in text
    assert "root:" not in text
