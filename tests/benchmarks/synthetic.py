"""Synthetic catalogues of N papers, for benchmarks and scale tests.

Two corpora, both deterministic for a given `seed`:

- `realistic` (the default): entries shaped like a real reading list's. Abstracts of a
  median of about 1,200 characters (90th percentile about 1,650, at most 2,400), words drawn
  from a vocabulary with Zipf's frequencies (a few common words, a long tail of rare ones) and
  each tag's topic words; 1-20 authors a paper, typically 3-8; a year from 2015 to 2026 on
  every entry (mostly a full date, sometimes only the month or the year), more papers in later
  years; a venue on most; 1-4 tags whose popularity is skewed; a formula in some abstracts and
  a few titles; an arXiv id on most; the day each entry was added; code, project and other
  links on some; file names made from the title, as `catalogue add` makes them.
- `legacy`: the corpus of the benchmark tables before issue 19 (abstracts of about 1,500
  characters, 1-6 authors, 2-4 of 40 tags, a venue on one entry in three, files named
  `paper-NNNNNN.yaml`), kept so that old and new figures can be compared.

In both, authors follow Simon's model of who writes papers (Lotka's law): each author slot
goes to someone new with probability `NEW_AUTHOR`, otherwise to an author already in the
catalogue, picked in proportion to their papers so far, so about two thirds of the authors
have one paper and a few have hundreds. Each tag has its own topic words, so papers that share
tags share vocabulary, as real ones do (related-paper search has something to find). Written
with plain string formatting (the words are YAML-safe; text goes in single quotes) because a
benchmark at 100,000 papers should not spend its time in a YAML emitter.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import shutil
from pathlib import Path

CORPORA = ("realistic", "legacy")
"""The corpora `synthesize_catalogue` can write; the first is the default."""

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
SYLLABLES = "ka lo mi ru te sa vo ni pe zu da fi go he ja".split()

# The realistic corpus's words. English function words and the field's common words come
# first (the most frequent), then made-up technical words down a Zipf tail.
ENGLISH = (
    "the of and to a in for is that on with we by as this are from an our be at which can it "
    "these while its than both such into not has have more over when their using based two "
    "also only each new between under per up through without most all large further show "
    "propose present introduce achieve reduce improve enable demonstrate outperform existing "
    "model models language large inference training efficient efficiency performance accuracy "
    "latency memory compute throughput method methods approach framework results experiments "
    "tasks benchmarks data parameters layers attention tokens token cache decoding generation "
    "quantization pruning sparsity distillation hardware gpu gpus speedup cost budget scale "
    "state art baseline baselines quality loss trade off long context sequence length batch "
    "serving system systems kernel kernels weights activations precision bit low high fast"
).split()
RARE_WORDS = 30_000
"""Made-up technical words in the Zipf tail of the realistic vocabulary."""
VENUE_NAMES = (
    "NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "NAACL", "COLING", "CVPR", "ICCV", "ECCV",
    "AAAI", "IJCAI", "KDD", "WWW", "SIGIR", "MLSys", "OSDI", "SOSP", "NSDI", "EuroSys",
    "ASPLOS", "ISCA", "MICRO", "HPCA", "DAC", "TMLR", "JMLR", "TPAMI", "COLM", "Interspeech",
)  # fmt: skip
FORMULAS = (
    "$O(n^2)$", "$O(n \\log n)$", "$2\\times$", "$4\\times$", "$k$", "$\\alpha$", "$\\ell_1$",
    "$W_{q}$", "$x^{(t)}$", "$\\sqrt{d}$", "$1.5\\times$", "$\\epsilon$", "$N \\times M$",
)  # fmt: skip
FIRST_NAMES = (
    "Ana Wei Omar Lena Ravi Mei Jonas Sara Yuki Ivan Chloe Tariq Nora Pablo Aiko Femi Li Jun "
    "Hao Xin Yu Min Jie Tao Ming Chen Priya Arjun Rahul Anil Sofia Lucas Emma Noah Mia Leo "
    "Hana Kenji Sora Daniel Maria David Laura Ahmed Fatima Olga Dmitri Elena Marco Giulia "
    "Jakob Ines Tomas Zoe Kwame Amara Diego Camila Mateo Yusuf Leyla Sven Astrid"
).split()
LINKS = (("code", 0.4), ("project", 0.12), ("huggingface", 0.08), ("pdf", 0.1))
"""Link labels and the share of entries with each."""


def synthesize_catalogue(
    root: Path,
    n: int,
    seed: int = 0,
    template_root: Path | None = None,
    corpus: str = CORPORA[0],
) -> Path:
    """Write `tags.yaml`, `papers/*.yaml` (n entries of `corpus`) and the site files under
    `root`."""
    if corpus not in CORPORA:
        raise ValueError(f"unknown corpus {corpus!r}; one of {', '.join(CORPORA)}")
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
    papers = root / "papers"
    papers.mkdir(exist_ok=True)
    write = _legacy_entries if corpus == "legacy" else _realistic_entries
    for name, text in write(rng, n, tag_ids):
        (papers / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


def entry_files(root: Path) -> list[Path]:
    """The entry files of a synthetic catalogue, in a stable order (by file name)."""
    return sorted((root / "papers").glob("*.yaml"))


def _tag_words(rng: random.Random, index: int) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(3)) + f"{index}" for _ in range(25)]


class _Authors:
    """Simon's model: each slot is someone new (probability `new`), else an author picked
    in proportion to their papers so far."""

    def __init__(self, rng: random.Random, new: float, make_name) -> None:  # type: ignore[no-untyped-def]
        self.rng, self.new, self.make_name = rng, new, make_name
        self.slots: list[str] = []
        """Every author so far, once per paper of theirs (so a pick is in proportion)."""
        self.known: set[str] = set()

    def pick(self) -> str:
        if self.slots and self.rng.random() >= self.new:
            return self.rng.choice(self.slots)
        while True:
            name = self.make_name(self.rng)
            if name not in self.known:
                self.known.add(name)
                return name

    def paper(self, count: int) -> list[str]:
        chosen: list[str] = []
        for _ in range(count):
            name = self.pick()
            if name not in chosen:
                chosen.append(name)
        self.slots.extend(chosen)
        return chosen


def _legacy_name(rng: random.Random) -> str:
    family = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    return f"{rng.choice(FIRST)} {rng.choice(LAST)[0]}. {family}"


def _legacy_entries(rng: random.Random, n: int, tag_ids: list[str]):  # type: ignore[no-untyped-def]
    """The pre-issue-19 corpus, draw for draw (same seed, same files)."""
    topic_words = [_tag_words(rng, i) for i in range(N_TAGS)]
    authors = _Authors(rng, NEW_AUTHOR, _legacy_name)
    for number in range(n):
        tags = rng.sample(tag_ids, rng.randint(2, 4))
        pool = COMMON * 2 + [w for t in tags for w in topic_words[int(t[-2:])]]
        title_words = rng.choices(pool, k=rng.randint(6, 11))
        title = " ".join(title_words).capitalize() + f" {number}"
        abstract = " ".join(rng.choices(pool, k=200))[:1500].rsplit(" ", 1)[0].capitalize() + "."
        year = 2015 + number % 11
        month = 1 + number % 12
        # arXiv numbers start at 00001. Month and number repeat together only after
        # lcm(11 * 12, 99,999) = 4,399,956 papers, so every id is unique.
        arxiv = f"{year % 100:02d}{month:02d}.{number % 99_999 + 1:05d}"
        chosen = authors.paper(rng.randint(1, 6))
        names = "".join(f"- {name}\n" for name in chosen)
        venue = f"venue: {rng.choice(VENUES)} {year}\n" if number % 3 == 0 else ""
        text = (
            f"title: {title}\nauthors:\n{names}arxiv: '{arxiv}'\n"
            f"date: '{year}-{month:02d}-{1 + number % 28:02d}'\n{venue}"
            "tags:\n" + "".join(f"- {t}\n" for t in tags) + "links:\n"
            f"  code: https://example.org/code/{number}\nabstract: {abstract}\n"
        )
        yield f"paper-{number:06d}", text


def _zipf_cumulative(count: int, exponent: float, offset: float = 2.7) -> list[float]:
    """Cumulative weights of ranks 0..count-1 under Zipf-Mandelbrot's law."""
    return list(itertools.accumulate(1 / (rank + offset) ** exponent for rank in range(count)))


def _realistic_name(rng: random.Random) -> str:
    family = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    middle = f" {rng.choice(SYLLABLES)[0].upper()}." if rng.random() < 0.2 else ""
    return f"{rng.choice(FIRST_NAMES)}{middle} {family}"


def _abstract_length(rng: random.Random) -> int:
    """Characters of an abstract: log-normal, median 1,200, 90th percentile 1,650."""
    return min(2400, max(300, round(rng.lognormvariate(math.log(1200), 0.2485))))


def _author_count(rng: random.Random) -> int:
    """Authors of a paper: 1-20, median 5, four in five between 3 and 8."""
    return min(20, max(1, round(rng.lognormvariate(math.log(5), 0.42))))


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sentences(words: list[str]) -> str:
    """Words made into sentences of 12-30 words, each capitalised and closed by a period."""
    out: list[str] = []
    start = 0
    # Sentence lengths from the words' own positions, so no extra random draws are needed.
    while start < len(words):
        end = start + 12 + (len(words[start]) * 7 + start) % 19
        sentence = " ".join(words[start:end])
        out.append(sentence[:1].upper() + sentence[1:] + ".")
        start = end
    return " ".join(out)


def _realistic_entries(rng: random.Random, n: int, tag_ids: list[str]):  # type: ignore[no-untyped-def]
    topic_words = [_tag_words(rng, i) for i in range(N_TAGS)]
    rare = sorted(
        {
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5)))
            for _ in range(RARE_WORDS)
        }
    )
    rng.shuffle(rare)  # rank in the Zipf tail unrelated to spelling
    # One draw per word from the common words (half of a text) and the rare ones (three
    # tenths); a fifth of the words are then the paper's topic words.
    common_cum = _zipf_cumulative(len(ENGLISH), 1.0)
    rare_cum = _zipf_cumulative(len(rare), 1.05)
    vocabulary = ENGLISH + rare
    vocabulary_cum = [w * 0.5 / common_cum[-1] for w in common_cum]
    vocabulary_cum += [0.5 + w * 0.3 / rare_cum[-1] for w in rare_cum]
    tag_cum = _zipf_cumulative(len(tag_ids), 0.8, offset=1.0)
    years = list(range(2015, 2027))
    year_cum = list(itertools.accumulate(1.3**i for i in range(len(years))))
    authors = _Authors(rng, NEW_AUTHOR, _realistic_name)
    slugs: set[str] = set()

    def pick_tags() -> list[str]:
        count = rng.choices((1, 2, 3, 4), weights=(20, 40, 30, 10))[0]
        chosen: list[str] = []
        while len(chosen) < count:
            tag = tag_ids[bisect.bisect(tag_cum, rng.random() * tag_cum[-1])]
            if tag not in chosen:
                chosen.append(tag)
        return chosen

    def words(count: int, topics: list[str]) -> list[str]:
        out = rng.choices(vocabulary, cum_weights=vocabulary_cum, k=count)
        for i, topic in zip(
            rng.sample(range(count), count // 5), rng.choices(topics, k=count // 5), strict=True
        ):
            out[i] = topic
        return out

    for number in range(n):
        tags = pick_tags()
        topics = [w for t in tags for w in topic_words[int(t[-2:])]]
        title_words = words(rng.randint(6, 12), topics)
        title_words[rng.randrange(len(title_words))] = rng.choice(topics)
        if rng.random() < 0.4:  # "Name: what it does"
            acronym = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
            title_words.insert(0, acronym + rng.choice(("", "LM", "KV", "-2", "Net")) + ":")
        if rng.random() < 0.02:
            title_words.insert(rng.randrange(len(title_words)), rng.choice(FORMULAS))
        title = " ".join(title_words)
        title = title[:1].upper() + title[1:]
        length = _abstract_length(rng)
        body = words(length // 6 + 40, topics)
        for _ in range(rng.choice((0,) * 17 + (1, 1, 2))):  # a formula in about 1 in 7
            body.insert(rng.randrange(len(body)), rng.choice(FORMULAS))
        if rng.random() < 0.3:
            body.insert(rng.randrange(len(body)), f"{rng.randint(10, 95)}.{rng.randint(0, 9)}\\%")
        abstract = _sentences(body)[:length].rsplit(" ", 1)[0].rstrip(".,") + "."
        year = years[bisect.bisect(year_cum, rng.random() * year_cum[-1])]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        precision = rng.random()
        date = (
            f"{year}-{month:02d}-{day:02d}" if precision < 0.85
            else f"{year}-{month:02d}" if precision < 0.95 else f"{year}"
        )  # fmt: skip
        slug = _slug(title, slugs)
        lines = [f"title: {_quoted(title)}\n", "authors:\n"]
        lines += [f"- {_quoted(name)}\n" for name in authors.paper(_author_count(rng))]
        if rng.random() < 0.9:
            # arXiv numbers start at 00001.
            lines.append(f"arxiv: '{year % 100:02d}{month:02d}.{number % 99_999 + 1:05d}'\n")
        lines.append(f"date: '{date}'\n")
        if rng.random() < 0.7:
            venue_year = year + (1 if month > 9 else 0)
            lines.append(f"venue: {rng.choice(VENUE_NAMES)} {min(venue_year, 2026)}\n")
        added = f"{2024 + rng.randrange(3)}-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        lines.append(f"added: '{added}'\n")
        lines.append("tags:\n" + "".join(f"- {t}\n" for t in tags))
        links = [(label, share) for label, share in LINKS if rng.random() < share]
        if links:
            lines.append("links:\n")
            owner = slug.split("-", 1)[0]
            lines += [f"  {label}: {_link(label, owner, slug)}\n" for label, _ in links]
        lines.append(f"abstract: {_quoted(abstract)}\n")
        yield slug, "".join(lines)


def _link(label: str, owner: str, slug: str) -> str:
    short = slug[:40].rstrip("-")
    return {
        "code": f"https://github.com/{owner}-lab/{short}",
        "project": f"https://{owner}-lab.github.io/{short}/",
        "huggingface": f"https://huggingface.co/{owner}-lab/{short}",
        "pdf": f"https://openreview.net/pdf/{short}.pdf",
    }[label]


def _slug(title: str, taken: set[str]) -> str:
    """A file name from the title, as `catalogue add` makes one: lower-case words joined by
    hyphens, cut at a word within 75 characters, numbered when taken."""
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in title.lower()).split()
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 75:
            break
        slug = f"{slug}-{word}" if slug else word
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate
