"""A realistic synthetic catalogue of N papers, for benchmarks and scale tests.

Abstracts of about 1,500 characters, 2-4 tags from a 40-tag vocabulary, authors, dates,
arXiv ids and links. Authors follow Simon's model of who writes papers (Lotka's law): each of
a paper's 1-6 authors is someone new with probability `NEW_AUTHOR`, otherwise an author
already in the catalogue, picked in proportion to their papers so far. So about two thirds of
the authors have one paper and a few have hundreds, and N papers have about 1.8 N authors,
as a reading list drawn from a real field does (each author gets a page). Each tag has its
own topic words, so papers that share tags share vocabulary, as real ones do (related-paper
search has something to find). Deterministic for a given `seed`. Written with plain string
formatting (the words are YAML-safe) because a benchmark at 100,000 papers should not spend
its time in a YAML emitter.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

COMMON = (
    "we propose a method that improves the efficiency of inference while preserving accuracy "
    "across models tasks and benchmarks our results show consistent gains over strong baselines "
    "with lower latency memory and cost in practical deployment settings experiments demonstrate "
    "that the approach scales to larger models and longer inputs without retraining"
).split()
FIRST = "Ana Wei Omar Lena Ravi Mei Jonas Sara Yuki Ivan Chloe Tariq Nora Pablo Aiko Femi".split()
LAST = "Zhang Smith Kumar Garcia Chen Muller Rossi Tanaka Novak Silva Okafor Dubois Kim Ali".split()
VENUES = ("NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "CVPR", "MLSys", "OSDI")
NEW_AUTHOR = 0.5
"""The chance that an author slot of a paper goes to someone not in the catalogue yet."""
N_TAGS = 40


def _tag_words(rng: random.Random, index: int) -> list[str]:
    syllables = "ka lo mi ru te sa vo ni pe zu da fi go he ja".split()
    return ["".join(rng.choice(syllables) for _ in range(3)) + f"{index}" for _ in range(25)]


def _author(rng: random.Random, names: list[str], known: set[str]) -> str:
    """Someone new (probability `NEW_AUTHOR`), else an author picked by their papers."""
    if names and rng.random() >= NEW_AUTHOR:
        return rng.choice(names)
    syllables = "ka lo mi ru te sa vo ni pe zu da fi go he ja".split()
    while True:
        family = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)[0]}. {family}"
        if name not in known:
            known.add(name)
            return name


def synthesize_catalogue(
    root: Path, n: int, seed: int = 0, template_root: Path | None = None
) -> Path:
    """Write `tags.yaml`, `papers/*.yaml` (n entries) and the site files under `root`."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    if template_root is not None:
        for name in ("docs", "overrides"):
            shutil.copytree(template_root / name, root / name, dirs_exist_ok=True)
        shutil.copy2(template_root / "mkdocs.yml", root / "mkdocs.yml")
        # The site's Contributing page shows the repository's guide (plugin option).
        if (template_root / "CONTRIBUTING.md").exists():
            shutil.copy2(template_root / "CONTRIBUTING.md", root / "CONTRIBUTING.md")
    tag_ids = [f"topic-{i:02d}" for i in range(N_TAGS)]
    lines = ["tags:\n"]
    for i, tag_id in enumerate(tag_ids):
        kind = "modality" if i >= N_TAGS - 6 else "method"
        lines.append(
            f"  - id: {tag_id}\n    name: Topic {i:02d}\n    kind: {kind}\n"
            f"    description: Synthetic topic number {i} for benchmarks.\n"
        )
    (root / "tags.yaml").write_text("".join(lines), encoding="utf-8")
    topic_words = [_tag_words(rng, i) for i in range(N_TAGS)]
    names: list[str] = []
    """Every author so far, once per paper of theirs (so a pick is in proportion to them)."""
    known: set[str] = set()
    papers = root / "papers"
    papers.mkdir(exist_ok=True)
    for number in range(n):
        tags = rng.sample(tag_ids, rng.randint(2, 4))
        pool = COMMON * 2 + [w for t in tags for w in topic_words[int(t[-2:])]]
        title_words = rng.choices(pool, k=rng.randint(6, 11))
        title = " ".join(title_words).capitalize() + f" {number}"
        abstract = " ".join(rng.choices(pool, k=200))[:1500].rsplit(" ", 1)[0].capitalize() + "."
        year = 2015 + number % 11
        month = 1 + number % 12
        arxiv = f"{year % 100:02d}{month:02d}.{number:05d}"
        chosen: list[str] = []
        for _ in range(rng.randint(1, 6)):
            name = _author(rng, names, known)
            if name not in chosen:
                chosen.append(name)
        names.extend(chosen)
        authors = "".join(f"- {name}\n" for name in chosen)
        venue = f"venue: {rng.choice(VENUES)} {year}\n" if number % 3 == 0 else ""
        text = (
            f"title: {title}\nauthors:\n{authors}arxiv: '{arxiv}'\n"
            f"date: '{year}-{month:02d}-{1 + number % 28:02d}'\n{venue}"
            "tags:\n" + "".join(f"- {t}\n" for t in tags) + "links:\n"
            f"  code: https://example.org/code/{number}\nabstract: {abstract}\n"
        )
        (papers / f"paper-{number:06d}.yaml").write_text(text, encoding="utf-8")
    return root
