"""`catalogue enrich`: the real HTTP and Atom code against recorded arXiv answers on 127.0.0.1."""

from __future__ import annotations

import difflib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from generator import CatalogueSources, load_catalogue
from generator.authoring.arxiv_source import API_URL_VARIABLE, title_query
from generator.authoring.enrich import Plan, lost_in_capture, write_plans
from generator.authoring.entry_edit import read_entry_files
from generator.authoring.entry_files import dump_entry
from generator.cli import main
from tests.fake_arxiv import FIXTURES, FakeArxiv, serve_fake_arxiv
from tests.support import copy_catalogue

H2O = "papers/h2o-heavy-hitter-oracle-for-efficient-generative-inference-of-large-language.yaml"
QMOE = "papers/qmoe-practical-sub-1-bit-compression-of-trillion-parameter-models.yaml"
FLASH = "papers/llm-in-a-flash-efficient-large-language-model-inference-with-limited-memory.yaml"
BILD = "papers/speculative-decoding-with-big-little-decoder.yaml"
SEED_COUNT = 124
QUICK = ["--pause", "0", "--retries", "1"]
QMOE_LINES = [
    "authors:", "- Elias Frantar", "- Dan Alistarh", "arxiv: '2310.16795'", "date: '2023-10-25'",
]  # fmt: skip
"""What the QMoE recording adds to the QMoE entry."""


@pytest.fixture
def arxiv_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeArxiv]:
    """The fake API on a free loopback port; `CATALOGUE_ARXIV_API` points `enrich` at it."""
    with serve_fake_arxiv() as api:
        monkeypatch.setenv(API_URL_VARIABLE, api.url())
        yield api


@pytest.fixture
def catalogue(repo_root: Path, tmp_path: Path) -> Path:
    """A copy of the real catalogue to fill."""
    return copy_catalogue(repo_root, tmp_path / "repo")


def run_enrich(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["enrich", "--root", str(root), *QUICK, *args])


def texts(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "papers").iterdir())}


def add_entry(root: Path, slug: str, **fields: object) -> Path:
    fields.setdefault("tags", ["speculative-decoding"])
    fields.setdefault("abstract", "An abstract.")
    path = root / "papers" / f"{slug}.yaml"
    path.write_text(dump_entry(fields), encoding="utf-8")
    return path


def added_lines(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`; fails if it removes or changes any."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    assert not [line for line in diff if line.startswith("- ")], "a line was changed"
    return [line[2:] for line in diff if line.startswith("+ ")]


# --- the seed against the recordings -------------------------------------------------------


def test_a_dry_run_over_the_seed_shows_what_would_be_filled(
    catalogue: Path, arxiv_api: FakeArxiv
) -> None:
    before = texts(catalogue)

    result = run_enrich(catalogue, "--dry-run")

    assert result.exit_code == 0, result.output
    assert texts(catalogue) == before  # a dry run writes no entry
    # One title search per seed entry (they all lack arxiv, authors and date), one at a time.
    assert len(arxiv_api.requests) == SEED_COUNT
    assert all("search_query" in query for _, query, _ in arxiv_api.requests)
    assert {agent for _, _, agent in arxiv_api.requests} == {
        "paper-catalogue (catalogue enrich; +https://github.com/paper-catalogue)"
    }
    assert (
        f"--- a/{QMOE}\n+++ b/{QMOE}\n@@ -1,5 +1,10 @@\n"
        " # yaml-language-server: $schema=../generator/schema/entry.schema.json\n"
        " title: 'QMoE: Practical Sub-1-Bit Compression of Trillion-Parameter Models'\n"
        "+authors:\n+- Elias Frantar\n+- Dan Alistarh\n+arxiv: '2310.16795'\n+date: '2023-10-25'\n"
        " added: '2026-11-29'\n tags:\n - quantization\n"
    ) in result.output
    shown = [line[6:] for line in result.output.splitlines() if line.startswith("--- a/")]
    assert shown == sorted([H2O, FLASH, QMOE, BILD])
    assert result.output.endswith(
        "Would fill 4 entries (arxiv 4, authors 4, date 4); 0 close titles and 0 problems to "
        f"look at; 120 without a paper of the same title on arXiv. Asked arXiv {SEED_COUNT} "
        "times, 0 answers kept from earlier runs. Dry run: nothing written.\n"
    )


def test_filling_adds_one_line_per_value_and_changes_nothing_else(
    catalogue: Path, arxiv_api: FakeArxiv
) -> None:
    before = texts(catalogue)
    path = catalogue / QMOE
    mode = stat.S_IMODE(path.stat().st_mode)

    result = run_enrich(catalogue)

    assert result.exit_code == 0, result.output
    after = texts(catalogue)
    assert added_lines(before[path.name], after[path.name]) == QMOE_LINES
    changed = sorted(name for name in before if before[name] != after[name])
    assert changed == sorted(Path(p).name for p in (H2O, FLASH, QMOE, BILD))
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert not [p for p in (catalogue / "papers").iterdir() if p.name.startswith(".")]
    assert f"Filled {QMOE}: arxiv, authors, date (arXiv 2310.16795)" in result.output
    assert "arXiv says 'NeurIPS 2023'; if it names where the paper appeared" in result.output
    # The filled catalogue passes the whole check, and a second run has nothing left to do.
    catalogue_now = load_catalogue(CatalogueSources(catalogue))
    qmoe = next(p for p in catalogue_now.papers if p.source == QMOE)
    assert qmoe.entry.authors == ["Elias Frantar", "Dan Alistarh"]
    again = run_enrich(catalogue)
    assert "Would fill" not in again.output and "Filled 0 entries (nothing)" in again.output
    assert texts(catalogue) == after


def test_the_date_is_the_first_versions_and_the_id_has_no_version(
    catalogue: Path, arxiv_api: FakeArxiv
) -> None:
    # arXiv's answer describes version 4 (updated 2023-10-12); the paper appeared 2023-02-15.
    result = run_enrich(catalogue, str(catalogue / BILD))

    assert result.exit_code == 0, result.output
    entry = yaml.safe_load((catalogue / BILD).read_text(encoding="utf-8"))
    assert entry["date"] == "2023-02-15"
    assert entry["arxiv"] == "2302.07863"
    assert len(arxiv_api.requests) == 1  # only the file given


def test_values_a_person_wrote_are_kept(catalogue: Path, arxiv_api: FakeArxiv) -> None:
    path = catalogue / QMOE
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry["authors"] = ["E. Frantar", "D. Alistarh"]
    entry["date"] = "2024"
    path.write_text(dump_entry(entry), encoding="utf-8")
    before = path.read_text(encoding="utf-8")

    result = run_enrich(catalogue, str(path))

    assert result.exit_code == 0, result.output
    assert added_lines(before, path.read_text(encoding="utf-8")) == ["arxiv: '2310.16795'"]


def test_an_empty_field_is_filled_in_its_place(catalogue: Path, arxiv_api: FakeArxiv) -> None:
    path = catalogue / QMOE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("added:", "authors: []\nadded:"), encoding="utf-8")

    result = run_enrich(catalogue, str(path))

    assert result.exit_code == 0, result.output
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert entry["authors"] == ["Elias Frantar", "Dan Alistarh"]


def test_a_file_laid_out_by_hand_keeps_its_layout(catalogue: Path, arxiv_api: FakeArxiv) -> None:
    path = catalogue / QMOE
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    hand_written = (
        "# QMoE, added by hand\n"
        f"title: {json.dumps(entry['title'])}   # as on the paper\n"
        "tags: [quantization, mixture-of-experts, llm]\n"
        "links:\n"
        "    code: https://github.com/IST-DASLab/qmoe\n"
        "# the abstract as published\n"
        f"abstract: >-\n  {entry['abstract']}\n"
    )
    path.write_text(hand_written, encoding="utf-8")

    result = run_enrich(catalogue, str(path))

    assert result.exit_code == 0, result.output
    assert added_lines(hand_written, path.read_text(encoding="utf-8")) == QMOE_LINES


# --- titles that are close, several, or none -----------------------------------------------


def test_a_renamed_paper_is_reported_not_filled(catalogue: Path, arxiv_api: FakeArxiv) -> None:
    # The entry has the first version's title; arXiv's answer has the title of version 4.
    path = add_entry(
        catalogue, "big-little-transformer-decoder", title="Big Little Transformer Decoder"
    )
    before = path.read_text(encoding="utf-8")

    result = run_enrich(catalogue, str(path))

    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == before
    assert (
        "papers/big-little-transformer-decoder.yaml:2: title: no arXiv title is the same; "
        "closest: 'Speculative Decoding with Big Little Decoder' (arXiv 2302.07863v4). If one is "
        "this paper (renamed in a later version, perhaps), write its `arxiv:` id by hand and run "
        "enrich again"
    ) in result.output
    assert "0 entries (nothing); 1 close titles and 0 problems" in result.output


def test_several_papers_found_none_with_the_title(catalogue: Path, arxiv_api: FakeArxiv) -> None:
    path = add_entry(catalogue, "speculative-decoding", title="Speculative Decoding")

    result = run_enrich(catalogue, str(path))

    assert result.exit_code == 0, result.output
    assert (
        "closest: 'Speculative Decoding with Big Little Decoder' (arXiv 2302.07863v4); "
        "'Fast Inference from Transformers via Speculative Decoding' (arXiv 2211.17192v2)."
    ) in result.output  # the closer title first
    assert "arxiv:" not in path.read_text(encoding="utf-8")


def test_the_one_paper_with_the_title_is_chosen_among_several(
    catalogue: Path, arxiv_api: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    arxiv_api.custom_body = (FIXTURES / "search" / "speculative-decoding.atom").read_bytes()
    monkeypatch.setenv(API_URL_VARIABLE, arxiv_api.url("custom"))
    # Case, punctuation and spacing aside, it is arXiv's second result's title.
    path = add_entry(
        catalogue,
        "fast-inference",
        title="Fast inference from transformers, via speculative decoding",
    )

    result = run_enrich(catalogue, str(path))

    assert result.exit_code == 0, result.output
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert (entry["arxiv"], entry["date"]) == ("2211.17192", "2022-11-30")
    assert entry["authors"] == ["Yaniv Leviathan", "Matan Kalman", "Yossi Matias"]


def test_two_papers_with_the_same_title_are_left_to_a_person(
    catalogue: Path, arxiv_api: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = (FIXTURES / "search" / "speculative-decoding.atom").read_text(encoding="utf-8")
    arxiv_api.custom_body = feed.replace(
        "<title>Speculative Decoding with Big Little Decoder</title>",
        "<title>Fast Inference from Transformers via Speculative Decoding</title>",
    ).encode()
    monkeypatch.setenv(API_URL_VARIABLE, arxiv_api.url("custom"))
    path = add_entry(
        catalogue,
        "fast-inference",
        title="Fast Inference from Transformers via Speculative Decoding",
    )
    before = path.read_text(encoding="utf-8")

    result = run_enrich(catalogue, str(path))

    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == before
    assert (
        "papers/fast-inference.yaml:2: title: arXiv has 2 papers with this title (2211.17192, "
        "2302.07863); write the right `arxiv:` by hand (nothing was filled)"
    ) in result.output


def test_a_title_arxiv_does_not_know_changes_nothing(catalogue: Path, arxiv_api: FakeArxiv) -> None:
    path = catalogue / "papers" / "online-speculative-decoding.yaml"
    before = path.read_text(encoding="utf-8")

    result = run_enrich(catalogue, str(path))

    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == before
    assert "1 without a paper of the same title on arXiv" in result.output
    assert arxiv_api.requests[0][1]["search_query"] == [
        "ti:Online AND ti:Speculative AND ti:Decoding"
    ]


def test_a_title_with_nothing_to_search_for_is_reported(
    catalogue: Path, arxiv_api: FakeArxiv
) -> None:
    path = add_entry(catalogue, "just-math", title="$E = mc^2$")

    result = run_enrich(catalogue, str(path))

    assert result.exit_code == 0, result.output
    assert arxiv_api.requests == []
    assert (
        "papers/just-math.yaml:2: title: has no word arXiv's title search can use (only TeX or "
        "common words); write `arxiv:` by hand and run enrich again"
    ) in result.output


def test_an_entry_with_an_id_is_asked_by_id_and_a_wrong_id_is_reported(
    catalogue: Path, arxiv_api: FakeArxiv
) -> None:
    good = add_entry(
        catalogue,
        "fast",
        title="Fast Inference from Transformers via Speculative Decoding",
        arxiv="2211.17192v2",
    )
    wrong = add_entry(catalogue, "wrong", title="A Different Paper Altogether", arxiv="2306.14048")

    result = run_enrich(catalogue, str(good), str(wrong))

    assert result.exit_code == 0, result.output
    assert sorted(q["id_list"][0] for _, q, _ in arxiv_api.requests) == [
        "2211.17192v2",
        "2306.14048",
    ]
    entry = yaml.safe_load(good.read_text(encoding="utf-8"))
    assert entry["arxiv"] == "2211.17192v2"  # as the person wrote it
    assert entry["date"] == "2022-11-30"
    assert "authors" not in yaml.safe_load(wrong.read_text(encoding="utf-8"))
    assert (
        "papers/wrong.yaml:3: arxiv: arXiv 2306.14048 is titled 'H$_2$O: Heavy-Hitter Oracle for "
        "Efficient Generative Inference of Large Language Models', not as this entry; check "
        "`arxiv:` (nothing was filled)"
    ) in result.output


def test_an_id_already_in_the_catalogue_is_not_filled_twice(
    catalogue: Path, arxiv_api: FakeArxiv
) -> None:
    add_entry(catalogue, "older-copy", title="QMoE (an older entry)", arxiv="2310.16795")

    result = run_enrich(catalogue, str(catalogue / QMOE))

    assert "arxiv:" not in (catalogue / QMOE).read_text(encoding="utf-8")
    assert (
        "title: matches arXiv 2310.16795, which is already papers/older-copy.yaml; one of the "
        "two files is a duplicate (nothing was filled)"
    ) in result.output


# --- abstracts ------------------------------------------------------------------------------


def test_abstracts_take_arxivs_text_only_where_the_capture_lost_tex(
    catalogue: Path, arxiv_api: FakeArxiv
) -> None:
    h2o, flash = catalogue / H2O, catalogue / FLASH
    flash_before = flash.read_text(encoding="utf-8")

    result = run_enrich(catalogue, "--abstracts", str(h2o), str(flash))

    assert result.exit_code == 0, result.output
    abstract = yaml.safe_load(h2o.read_text(encoding="utf-8"))["abstract"]
    assert "by up to 29$\\times$, 29$\\times$, and 3$\\times$" in abstract
    assert "Heavy Hitters (H$_2$)" in abstract
    assert "abstract" in result.output.split(f"Filled {H2O}: ")[1].split("\n")[0]
    # The other abstract is arXiv's word for word: only the missing fields are added.
    assert "abstract" not in added_lines(flash_before, flash.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("captured", "original", "lost"),
    [
        ("by up to 29times, and 3times.", "by up to 29$\\times$, and 3$\\times$.", True),
        ("Heavy Hitters (H_2).", "Heavy Hitters (H$_2$).", True),
        ("a  wrapped\nline", "a wrapped line", False),  # spacing alone: nothing to propose
        ("We cut 34.7% of it.", "We cut 34.7\\% of it.", True),
        ("We cut 34.7% of it.", "We cut 35% of it.", False),  # a different text
        ("Heavy Hitters (H$_2$).", "Heavy Hitters (H_2).", False),  # the entry has more TeX
        ("A shorter abstract.", "A shorter abstract. With more.", False),
    ],
)
def test_what_a_capture_loses(captured: str, original: str, lost: bool) -> None:
    assert lost_in_capture(captured, original) is lost


# --- etiquette, errors, interruptions -------------------------------------------------------


def test_requests_are_spaced_by_the_pause(catalogue: Path, arxiv_api: FakeArxiv) -> None:
    files = [str(catalogue / name) for name in (H2O, QMOE, FLASH)]

    result = CliRunner().invoke(
        main, ["enrich", "--root", str(catalogue), "--pause", "0.4", "--dry-run", *files]
    )

    assert result.exit_code == 0, result.output
    gaps = [b - a for a, b in zip(arxiv_api.times, arxiv_api.times[1:], strict=False)]
    # The client spaces the starts of its requests; their arrival jitters by a few ms.
    assert len(gaps) == 2 and min(gaps) >= 0.35


def test_the_real_api_is_never_asked_faster_than_arxiv_allows(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(API_URL_VARIABLE, raising=False)

    result = CliRunner().invoke(main, ["enrich", "--root", str(catalogue), "--pause", "1"])

    assert result.exit_code == 2
    assert "arXiv asks for at least 3 s between requests" in result.output


def test_a_busy_arxiv_is_asked_again_after_its_retry_after(
    catalogue: Path, arxiv_api: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    arxiv_api.failures_left, arxiv_api.retry_after = 1, "1"
    monkeypatch.setenv(API_URL_VARIABLE, arxiv_api.url("flaky"))

    result = run_enrich(catalogue, "--dry-run", str(catalogue / QMOE))

    assert result.exit_code == 0, result.output
    assert len(arxiv_api.times) == 2
    assert arxiv_api.times[1] - arxiv_api.times[0] >= 1.0
    assert "Would fill 1 entries" in result.output


def test_an_error_answer_is_reported_and_the_run_goes_on(
    catalogue: Path, arxiv_api: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    arxiv_api.custom_body = (FIXTURES / "error.atom").read_bytes()
    monkeypatch.setenv(API_URL_VARIABLE, arxiv_api.url("custom"))

    result = run_enrich(catalogue, str(catalogue / QMOE), str(catalogue / FLASH))

    assert result.exit_code == 0, result.output
    assert len(arxiv_api.requests) == 2  # a refusal is not retried
    assert (
        f"{QMOE}:2: title: arXiv: arXiv refused the request: incorrect id format for 2312.115149"
    ) in result.output
    assert "0 close titles and 2 problems" in result.output


def test_a_timeout_stops_the_run_and_the_next_run_goes_on_from_there(
    catalogue: Path, arxiv_api: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    arxiv_api.answers_left = 40
    monkeypatch.setenv(API_URL_VARIABLE, arxiv_api.url("stalls"))
    before = texts(catalogue)

    stopped = run_enrich(catalogue, "--timeout", "0.3", "--dry-run")

    assert stopped.exit_code == 1
    assert "Stopped early: arXiv (127.0.0.1:" in stopped.stderr
    assert "did not answer within 0.3 s" in stopped.stderr
    assert "run the same command again to go on" in stopped.stderr
    assert len(arxiv_api.requests) == 40 + 2  # the answered ones, then one try and one retry
    state = json.loads((catalogue / ".cache" / "enrich-state.json").read_text(encoding="utf-8"))
    assert len(state["answers"]) == 40

    monkeypatch.setenv(API_URL_VARIABLE, arxiv_api.url())
    resumed = run_enrich(catalogue)

    assert resumed.exit_code == 0, resumed.output
    assert len(arxiv_api.requests) == 42 + SEED_COUNT - 40  # nothing asked twice
    assert "Asked arXiv 84 times, 40 answers kept from earlier runs." in resumed.output
    assert "Filled 4 entries" in resumed.output
    assert sum(before[name] != text for name, text in texts(catalogue).items()) == 4


def test_without_arxiv_the_command_fails_with_a_message_not_a_traceback(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(API_URL_VARIABLE, f"http://127.0.0.1:{port}/api/query")

    result = run_enrich(catalogue, "--retries", "0", str(catalogue / QMOE))

    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert f"Stopped early: cannot reach arXiv (127.0.0.1:{port}): " in result.stderr


def test_a_hostile_answer_is_checked_like_any_entry(
    catalogue: Path, arxiv_api: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = (FIXTURES / "search" / "qmoe-practical-sub-1-bit-compression.atom").read_text("utf-8")
    arxiv_api.custom_body = feed.replace(
        "<name>Dan Alistarh</name>", "<name>Dan\u202eAlistarh</name>"
    ).encode()
    monkeypatch.setenv(API_URL_VARIABLE, arxiv_api.url("custom"))
    before = (catalogue / QMOE).read_text(encoding="utf-8")

    result = run_enrich(catalogue, str(catalogue / QMOE))

    assert (catalogue / QMOE).read_text(encoding="utf-8") == before
    assert (
        f"{QMOE}:2: authors[1]: arXiv's value is not usable: contains the invisible or control "
        "character U+202E (RIGHT-TO-LEFT OVERRIDE) at position 4; remove it (nothing was filled)"
    ) in result.output


def test_a_file_the_catalogue_check_refuses_gets_its_old_text_back(
    catalogue: Path, arxiv_api: FakeArxiv
) -> None:
    sources = CatalogueSources(catalogue)
    [entry] = read_entry_files(sources.papers_path, catalogue, [catalogue / QMOE])
    plan = Plan(entry, entry.text.replace("- llm\n", "- no-such-tag\n"), ["tags"], paper=None)  # type: ignore[arg-type]

    kept, refused, elsewhere = write_plans(sources, [plan])

    assert kept == [] and elsewhere == 0
    assert [p.message for p in refused] == [
        "unknown tag 'no-such-tag' (see tags.yaml for the list)"
    ]
    assert (catalogue / QMOE).read_text(encoding="utf-8") == entry.text


def test_the_report_is_markdown_with_text_from_arxiv_in_code(
    catalogue: Path, arxiv_api: FakeArxiv
) -> None:
    path = add_entry(
        catalogue, "big-little-transformer-decoder", title="Big Little Transformer Decoder"
    )
    report = catalogue / "enrich.md"

    run_enrich(catalogue, "--report", str(report), str(catalogue / QMOE), str(path))

    text = report.read_text(encoding="utf-8")
    assert f"- `{QMOE}`: arxiv, authors, date from arXiv `2310.16795`" in text
    assert "## Close titles, not filled (1)" in text
    assert "`papers/big-little-transformer-decoder.yaml:2` `title`: `no arXiv title" in text


def test_title_queries_leave_out_tex_and_common_words() -> None:
    assert title_query("H$_2$O: Heavy-Hitter Oracle for Efficient Inference") == (
        "ti:Heavy AND ti:Hitter AND ti:Oracle AND ti:Efficient AND ti:Inference"
    )
    assert title_query("$\\alpha$") == ""
    assert os.sep not in title_query("../../etc/passwd")
