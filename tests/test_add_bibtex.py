"""`catalogue add` from BibTeX: files, pasted entries and stdin, read by bibtexparser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from generator import CatalogueSources, load_catalogue
from generator.cli import main
from tests.support import copy_catalogue

SEED_COUNT = 124

TWO_PAPERS = r"""% Two papers, as a reference manager exports them.
@string{icml = "International Conference on Machine Learning (ICML)"}

@inproceedings{leviathan2023fast,
  title     = {Fast Inference from Transformers via Speculative Decoding},
  author    = {Leviathan, Yaniv and Kalman, Matan and Matias, Yossi},
  booktitle = icml,
  year      = {2023},
  month     = jul,
  doi       = {10.5555/3618408.3619203},
  abstract  = {Inference from large autoregressive models like {T}ransformers is slow -
               decoding K tokens takes K serial runs of the model. We introduce
               speculative decoding and show a 2X-3X acceleration on T5-XXL.},
}

@article{hinton2015distilling,
  title         = {Distilling the Knowledge in a Neural Network},
  author        = {Geoffrey Hinton and Oriol Vinyals and Jeff Dean},
  journal       = {arXiv preprint arXiv:1503.02531},
  year          = {2015},
  eprint        = {1503.02531},
  archivePrefix = {arXiv},
  abstract      = {We compress the knowledge in an ensemble into a single model by
                   knowledge distillation, and cut its size by 30\% with M{\"u}ller's trick.},
}
"""


@pytest.fixture
def catalogue(repo_root: Path, tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    return copy_catalogue(repo_root, root)


def run_add(root: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["add", "--root", str(root), *args], input=stdin)


def entry(root: Path, slug: str) -> dict[str, object]:
    data = yaml.safe_load((root / "papers" / f"{slug}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def count(root: Path) -> int:
    return len(list((root / "papers").iterdir()))


def test_adds_every_entry_of_a_bibtex_file(catalogue: Path, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(TWO_PAPERS, encoding="utf-8")

    result = run_add(catalogue, str(bib))

    assert result.exit_code == 0, result.output
    fast = entry(catalogue, "fast-inference-from-transformers-via-speculative-decoding")
    assert fast == {
        "title": "Fast Inference from Transformers via Speculative Decoding",
        "authors": ["Yaniv Leviathan", "Matan Kalman", "Yossi Matias"],
        "date": "2023-07",
        "venue": "International Conference on Machine Learning (ICML)",
        "added": dt.date.today().isoformat(),  # the day it joined the catalogue
        "tags": ["speculative-decoding"],
        "links": {"doi": "https://doi.org/10.5555/3618408.3619203"},
        "abstract": "Inference from large autoregressive models like Transformers is slow - "
        "decoding K tokens takes K serial runs of the model. We introduce speculative decoding "
        "and show a 2X-3X acceleration on T5-XXL.",
    }
    hinton = entry(catalogue, "distilling-the-knowledge-in-a-neural-network")
    assert hinton["arxiv"] == "1503.02531"
    assert "venue" not in hinton  # "arXiv preprint" is the preprint server, not a venue
    assert hinton["date"] == "2015"
    assert hinton["links"] == {"arxiv": "https://arxiv.org/abs/1503.02531"}
    assert hinton["abstract"] == (
        "We compress the knowledge in an ensemble into a single model by knowledge "
        "distillation, and cut its size by 30% with Müller's trick."
    )
    assert hinton["tags"] == ["distillation"]
    assert f"(from {bib.as_posix()}:4 (leviathan2023fast))" in result.output
    assert len(load_catalogue(CatalogueSources(catalogue)).papers) == SEED_COUNT + 2


def test_adds_a_pasted_entry_and_one_from_stdin(catalogue: Path) -> None:
    pasted = (
        "@misc{h, title={{H}$_2${O} {E}viction for {KV} Caches in {R}{\\'e}al Serving}, "
        "author={Ré, Christopher}, abstract={We evict the KV cache of LLM serving.}}"
    )
    piped = "@misc{m, title={Mixed Precision KV Cache Quantization}, abstract={We quantize "
    piped += "the KV cache of an LLM to 2 bits.}, url={https://example.org/paper.pdf}}"

    result = run_add(catalogue, pasted, "-", stdin=piped)

    assert result.exit_code == 0, result.output
    first = entry(catalogue, "h2o-eviction-for-kv-caches-in-real-serving")
    assert first["title"] == "H$_2$O Eviction for KV Caches in Réal Serving"
    assert first["authors"] == ["Christopher Ré"]
    assert set(first["tags"]) == {"kv-cache", "llm", "serving-systems"}  # type: ignore[arg-type]
    second = entry(catalogue, "mixed-precision-kv-cache-quantization")
    assert second["links"] == {"pdf": "https://example.org/paper.pdf"}
    assert "(from <stdin> (m))" in result.output


def test_missing_abstract_and_title_are_reported_with_their_lines(
    catalogue: Path, tmp_path: Path
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{no_abstract,\n  title = {Quantized Attention},\n  eprint = {2401.00001},\n"
        "  archivePrefix = {arXiv}\n}\n\n@misc{no_title, abstract = {Text.}}\n",
        encoding="utf-8",
    )

    result = run_add(catalogue, str(bib), "--tag", "quantization")

    assert result.exit_code == 1
    shown = bib.as_posix()
    assert (
        f"{shown}:1: abstract: no_abstract: has no abstract; add `abstract = {{...}}` to the "
        "BibTeX or run `catalogue add 2401.00001` to take it from arXiv"
    ) in result.output
    assert f"{shown}:7: title: no_title: has no title; an entry needs one" in result.output
    assert "2 problem(s); nothing was written." in result.output
    assert count(catalogue) == SEED_COUNT


def test_broken_bibtex_is_reported_and_nothing_is_written(catalogue: Path, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{good, title={Token Merging for Vision Transformers}, abstract={We merge tokens.}}\n"
        "@misc{good, title={Another}, abstract={Twice.}}\n"
        "@article{broken,\n  title = {Unclosed\n",
        encoding="utf-8",
    )

    result = run_add(catalogue, str(bib))

    assert result.exit_code == 1
    shown = bib.as_posix()
    assert f"{shown}:2: bibtex: the key 'good' is used twice" in result.output
    assert f"{shown}:3: bibtex: is not valid BibTeX" in result.output
    assert count(catalogue) == SEED_COUNT


def test_duplicates_of_the_catalogue_and_within_the_file_are_refused(
    catalogue: Path, tmp_path: Path
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{flash, title={{LLM} in a Flash: Efficient Large Language Model Inference with "
        "Limited Memory}, abstract={x}}\n"
        "@misc{a, title={Pruned Experts}, abstract={MoE pruning.}, eprint={2402.00002}, "
        "archivePrefix={arXiv}}\n"
        "@misc{b, title={Pruned experts!}, abstract={Same paper, other punctuation.}}\n",
        encoding="utf-8",
    )

    result = run_add(catalogue, str(bib), "--tag", "pruning-sparsity")

    assert result.exit_code == 1
    assert (
        "flash: a paper with this title is already in the catalogue: papers/llm-in-a-flash-"
        "efficient-large-language-model-inference-with-limited-memory.yaml; edit that entry "
        "instead"
    ) in result.output
    assert (
        f"b: a paper with this title is already given earlier in this run: {bib.as_posix()}:2 (a)"
    ) in result.output
    assert count(catalogue) == SEED_COUNT


def test_unknown_tags_and_unreadable_input_are_refused(catalogue: Path, tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.bib"
    latin1.write_bytes("@misc{x, title={Caf\xe9}, abstract={y}}".encode("latin-1"))

    result = run_add(
        catalogue, str(latin1), str(tmp_path / "missing.bib"), "not an id", "--tag", "quantisation"
    )

    assert result.exit_code == 1
    assert "--tag:1: tags: unknown tag 'quantisation' (did you mean 'quantization'?)" in (
        result.output
    )
    assert f"{latin1.as_posix()}:1: file: is not UTF-8; save it as UTF-8" in result.output
    assert "missing.bib:1: file: cannot be read: No such file or directory" in result.output
    assert "not an id:1: input: is not an arXiv id or URL" in result.output
    assert count(catalogue) == SEED_COUNT


def test_hostile_bibtex_stays_text(catalogue: Path, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{x, title={Quantized {LLM}s \\input{/etc/passwd} <script>alert(1)</script>},\n"
        "  abstract={We quantize LLMs. \\write18{rm -rf /}},\n"
        "  url={javascript:alert(1)}}\n",
        encoding="utf-8",
    )

    result = run_add(catalogue, str(bib), "--tag", "quantization", "--tag", "llm")

    # The URL is no web address: the model refuses it, so nothing is written.
    assert result.exit_code == 1
    assert "links.paper: x: 'javascript:alert(1)' must be a full web address" in result.output
    assert count(catalogue) == SEED_COUNT

    bib.write_text(bib.read_text(encoding="utf-8").replace("javascript:alert(1)", ""), "utf-8")
    result = run_add(catalogue, str(bib), "--tag", "quantization", "--tag", "llm")
    assert result.exit_code == 0, result.output
    added = entry(catalogue, "quantized-llms-script-alert-1-script")
    assert added["title"] == "Quantized LLMs <script>alert(1)</script>"
    assert "root:" not in str(added)
