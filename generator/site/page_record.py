"""What a one-off build records of its generated pages, so that the next build over the same
site links the pages whose inputs are unchanged instead of rendering them again.

`catalogue serve` keeps rendered pages in memory (`write_pages.WrittenPages`); a `mkdocs
build` or `catalogue build` is a new process each time. So for each generated page the build
records, next to the site (`.<site>.record/pages.json`, beside the staging folder and the
lock: never inside the folder that is published or deployed), a digest of everything the
page is made from: its context (`PagePlan.context`, what it shows), its theme shell, the tag
vocabulary and the site's settings, its edit link, and `generator_version()` (the generator's
code and templates and every installed library's version). With it, the digest of each file
the page wrote.

The next build works out each page's context (cheap) and its digest; when the digest is the
recorded one and the published site's files still hold the recorded bytes (read and
digested again), rendering would give those very bytes, so the published files are linked
into the staging folder and the page is not rendered. Nothing in the record is trusted
beyond that double match: a missing, unreadable, corrupted or foreign record, or one made by
another generator version, is ignored and every page is rendered.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat as stat_module
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from generator.enrich.catalogue import Catalogue
from generator.enrich.map import (
    landmarks_from_json,
    landmarks_to_json,
    map_beside,
    map_from_json,
    map_inputs,
    map_to_json,
)
from generator.enrich.neighbours import Kept
from generator.enrich.related import (
    RELATED_LIMIT,
    TAG_SHARE,
    compare_related,
    paper_key,
    paper_text,
    papers_inputs,
    previous_from_json,
    related_from_json,
    related_inputs,
    related_to_json,
    tag_weights,
)
from generator.enrich.similarity import Previous
from generator.enrich.term_counts import TermCounts, Vectors, count_terms, weigh
from generator.model.paper import Paper
from generator.model.stable_digest import FORMAT, StableDigests, generator_version
from generator.model.vocabulary import Vocabulary
from generator.processes import collection_paused
from generator.render import urls

RECORD_FILE = "pages.json"
MAP_FILE = "map.json"
RELATED_FILE = "related.json"
TERMS_FILE = "terms.npz"
CANDIDATES_FILE = "candidates.npz"


@dataclass(frozen=True)
class RecordedPage:
    """What one page was made from, and what it wrote."""

    inputs: str
    """Digest (hex) of the page's inputs."""
    files: tuple[tuple[str, str], ...]
    """Each file the page wrote: its path in the site and the digest (hex) of its bytes."""


@dataclass
class PageRecord:
    """The recorded pages of the last build, and those of the build under way."""

    path: Path
    """The record file (outside the site)."""
    last: dict[str, RecordedPage] = field(default_factory=dict)
    now: dict[str, RecordedPage] = field(default_factory=dict)
    folders: set[str] = field(default_factory=set)
    """Folders of the staging site made or found by `linked`."""

    @classmethod
    def load(cls, folder: Path) -> PageRecord:
        """The record in `folder`; an empty one if it is missing, unreadable, or was made by
        another version of the generator."""
        record = cls(folder / RECORD_FILE)
        try:
            record.last = _pages(read_sealed(record.path, "pages") or {})
        except (ValueError, TypeError, KeyError, AttributeError):
            record.last = {}  # rendered as if no build had been recorded
        return record

    def linked(
        self, uri: str, inputs: bytes, published: Path, staging: Path, page_file: str
    ) -> bool:
        """Link the recorded files of page `uri` from the `published` site into `staging`,
        if the page's inputs are the recorded ones and every published file holds the
        recorded bytes. False (nothing linked that stays) otherwise."""
        found = self.last.get(uri)
        if found is None or found.inputs != inputs.hex() or not found.files:
            return False
        if found.files[0][0] != page_file:
            return False
        # Plain strings, not `Path`s: this runs for every file of every unchanged page.
        old_root, new_root = os.fspath(published), os.fspath(staging)
        for path, digest in found.files:
            if not holds_bytes(f"{old_root}/{path}", digest):
                return False
        made: list[str] = []
        try:
            for path, _ in found.files:
                target = f"{new_root}/{path}"
                self._folder_for(target)
                os.link(f"{old_root}/{path}", target)
                made.append(target)
        except OSError:
            for target in made:
                Path(target).unlink(missing_ok=True)
            return False
        self.now[uri] = found
        return True

    def _folder_for(self, target: str) -> None:
        """Make the folder of `target` unless this record made or found it already: a page's
        files share one folder, and `mkdir` of a folder that exists is a failed system call."""
        folder = os.path.dirname(target)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)

    def rendered(self, uri: str, inputs: bytes, files: list[tuple[str, bytes]]) -> None:
        """Record page `uri`, rendered from `inputs`, as having written `files`."""
        digests = tuple((path, bytes_digest(data)) for path, data in files)
        self.now[uri] = RecordedPage(inputs.hex(), digests)

    def save(self) -> None:
        """Write the record of this build in place of the last (a new file renamed over it,
        so that a killed build leaves one record or the other)."""
        pages = {uri: [page.inputs, page.files] for uri, page in self.now.items()}
        write_sealed(self.path, "pages", pages)


def use_recorded_enrichment(catalogue: Catalogue, folder: Path) -> None:
    """Give `catalogue` the map's layout and the related papers the last build recorded in
    `folder` where they were computed from the same inputs; compute the others now and
    record them for the next build.

    The same inputs are first the papers' texts and tags, the tags' weights and the
    generator's version (`map_inputs`, `related_inputs`: no vectors needed). When those
    differ, the texts are made into their TF-IDF vectors, which is all both computations read
    of the texts (`enrichment_inputs`), from the term counts recorded for every text the
    last build counted and from the texts that are new or edited (`term_counts`): an edit
    the vectorizer does not see (a number, a TeX command, punctuation, a word no other paper
    uses) leaves the vectors as they were, and so the related papers and the map, exactly.
    After any other edit the map is laid out again (t-SNE of its landmarks taken from the
    record while its input is the same), and the related papers are worked out again only
    for the papers the edit reached, from the candidates the last build kept (`neighbours`,
    `CANDIDATES_FILE`): the same map and related papers a fresh build makes."""
    with collection_paused():
        _enrich(catalogue, folder)


def _enrich(catalogue: Catalogue, folder: Path) -> None:
    """`use_recorded_enrichment`."""
    papers, vocabulary = catalogue.papers, catalogue.vocabulary
    slugs = [paper.slug for paper in papers]
    # Both are computed from the papers' TF-IDF vectors: made once if either is needed,
    # and let go with this function (they are a large share of the build's memory).
    made: list[Vectors] = []
    vectors_digest: list[str] = []

    def vectors() -> Vectors:
        if not made:
            made.append(_weighed_from_record(papers, folder / TERMS_FILE))
        return made[0]

    def of_vectors() -> str:
        if not vectors_digest:
            vectors_digest.append(enrichment_inputs(papers, vocabulary, vectors()))
        return vectors_digest[0]

    # The map is laid out in a process of its own while the related papers are found here.
    papers_digest = papers_inputs(papers, vocabulary)  # the texts digested once for both
    map_path, map_made_from = folder / MAP_FILE, map_inputs(papers_digest)
    laid_out = None
    # Each record is read once: to take it over, or else for what it gives a new layout.
    map_recorded = _recorded(map_path) or {}
    if not _took_over(
        map_path,
        map_recorded,
        map_made_from,
        of_vectors,
        lambda v: catalogue.use_map(map_from_json(v, slugs)),
    ):
        # t-SNE of the landmarks is taken from the last layout when its input is the same.
        landmarks = landmarks_from_json(map_recorded.get("landmarks"))
        laid_out = map_beside(papers, vocabulary, vectors(), generator_version(), landmarks)
    related_path, related_made_from = folder / RELATED_FILE, related_inputs(papers_digest)
    related_recorded = _recorded(related_path) or {}
    if not _took_over(
        related_path,
        related_recorded,
        related_made_from,
        of_vectors,
        lambda v: catalogue.use_related(related_from_json(v, slugs)),
    ):
        kept_path = folder / CANDIDATES_FILE
        related, compared = compare_related(
            [paper_text(p) for p in papers],
            [paper_key(p) for p in papers],
            tag_weights(vocabulary),
            vectors=vectors(),
            previous=_previous_related(related_recorded, kept_path),
        )
        catalogue.use_related(related)
        value = related_to_json(related)
        _record(related_path, related_made_from, of_vectors(), value)
        if compared.kept is None:
            kept_path.unlink(missing_ok=True)
        else:
            paired = dataclasses.replace(compared.kept, paired=_value_digest(value))
            paired.save(kept_path, generator_version())
    if laid_out is not None:
        catalogue.use_map(laid_out())
        landmarks_made = landmarks_to_json(catalogue.map.landmarks)
        _record(map_path, map_made_from, of_vectors(), map_to_json(catalogue.map), landmarks_made)


def _previous_related(recorded: dict[str, Any], kept_path: Path) -> Previous | None:
    """What the last build kept of its related papers' candidates (`neighbours`) with the
    related papers it `recorded` beside them; None unless both are there, this generator's,
    and each other's."""
    kept = Kept.load(kept_path, generator_version())
    if kept is None or "value" not in recorded:
        return None
    if kept.paired != _value_digest(recorded["value"]):
        return None
    try:
        return previous_from_json(kept, recorded["value"])
    except (ValueError, TypeError, KeyError):
        return None


def _value_digest(value: object) -> bytes:
    """The digest of a recorded value, as `replace_json` writes it."""
    text = json.dumps(value, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _weighed_from_record(papers: Sequence[Paper], path: Path) -> Vectors:
    """`paper_vectors(papers)`, made from the term counts the last build recorded in `path`
    for every text it counted (`term_counts`) and from the texts that are new; the counts of
    this build are recorded in their place."""
    if len(papers) < 2:
        return None
    version = generator_version()
    counts = count_terms([paper_text(p) for p in papers], TermCounts.load(path, version))
    counts.save(path, version)
    return weigh(counts)


def enrichment_inputs(papers: Sequence[Paper], vocabulary: Vocabulary, vectors: Vectors) -> str:
    """A digest (hex) of everything `find_related` and `build_map` compute from when given
    the papers' vectors (`paper_vectors`): the vectors and their terms, the papers' slugs and
    tags, the tags' weights, the related papers' settings and the generator's version. Equal
    digests give the same related papers and the same map, whatever the texts were."""
    arrays: tuple[str, ...] = ()
    terms: list[str] = []
    if vectors is not None:
        matrix, terms = vectors
        parts = (matrix.data, matrix.indices, matrix.indptr)
        arrays = (repr(matrix.shape), *(_array_digest(part) for part in parts))
    keys = [paper_key(p) for p in papers]
    made_from = (generator_version(), arrays, terms, keys, tag_weights(vocabulary))
    return StableDigests().digest((made_from, RELATED_LIMIT, TAG_SHARE)).hex()


def _array_digest(array: np.ndarray[Any, Any]) -> str:
    """The digest of a NumPy array's type, length and bytes."""
    digest = hashlib.blake2b(np.ascontiguousarray(array).tobytes(), digest_size=16)
    return f"{array.dtype.str}:{array.size}:{digest.hexdigest()}"


def _took_over(
    path: Path,
    recorded: dict[str, Any],
    inputs: str,
    vectors_inputs: Callable[[], str],
    use: Callable[[Any], None],
) -> bool:
    """Whether `use` took the value `recorded` in `path` (`_recorded`): made from `inputs`,
    or else from `vectors_inputs()`, and read back whole."""
    same_texts = recorded.get("inputs") == inputs
    if same_texts and _used(use, recorded):
        return True
    if not same_texts and recorded.get("vectors") == vectors_inputs() and _used(use, recorded):
        # The same value for these texts too: the next build need not make vectors.
        replace_json(path, {**recorded, "inputs": inputs})
        return True
    return False


def _record(
    path: Path, inputs: str, vectors_inputs: str, value: object, landmarks: object = None
) -> None:
    """Record `value`, made from `inputs` and vectors of `vectors_inputs`, for the next
    build (and the map's `landmarks`, `map.landmarks_to_json`)."""
    recorded = {"inputs": inputs, "vectors": vectors_inputs, "value": value}
    replace_json(path, recorded if landmarks is None else {**recorded, "landmarks": landmarks})


def _used(use: Callable[[Any], None], recorded: dict[str, Any]) -> bool:
    """Whether `use` took the recorded value (it refuses one that is not whole)."""
    try:
        use(recorded["value"])
    except (ValueError, TypeError, KeyError):
        return False
    return True


def _recorded(path: Path) -> dict[str, Any] | None:
    """What `path` records (its inputs' digests and its value); None if it cannot be read."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):  # nested deeper than the parser goes
        return None
    return data if isinstance(data, dict) else None


def read_sealed(path: Path, part: str) -> Any:
    """The `part` of the record `path` that `write_sealed` wrote in this format with this
    generator version (and so with this user's record secret); None if there is none: the
    file is missing or unreadable, or another version or another user made it."""
    data = _recorded(path)
    if data is None or data.get("format") != FORMAT or data.get("generator") != generator_version():
        return None
    return data.get(part)


def write_sealed(path: Path, part: str, value: object) -> None:
    """Record `value` as the `part` of the record `path`, sealed for `read_sealed`."""
    replace_json(path, {"format": FORMAT, "generator": generator_version(), part: value})


def replace_json(path: Path, data: object) -> None:
    """Write `data` as JSON in place of `path` (a new file renamed over it, so that a killed
    build leaves the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = path.with_name(path.name + ".new")
    new.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    os.replace(new, path)


def _pages(raw: Any) -> dict[str, RecordedPage]:
    """The recorded pages, each checked for shape; paths that are not plain paths inside the
    site are refused (TypeError, ValueError: the whole record is then ignored)."""
    pages = {}
    for uri, (inputs, files) in raw.items():
        checked = []
        for path, digest in files:
            if not (isinstance(path, str) and isinstance(digest, str)):
                raise TypeError("a recorded file is not a path and a digest")
            checked.append((urls.check_generated_file(path), digest))
        if not (isinstance(uri, str) and isinstance(inputs, str)):
            raise TypeError("a recorded page is not an address and a digest")
        pages[uri] = RecordedPage(inputs, tuple(checked))
    return pages


def holds_bytes(path: str, digest: str) -> bool:
    """Whether `path` is a regular file (not a link) whose bytes have `digest`."""
    return bytes_if_held(path, digest) is not None


def bytes_if_held(path: str, digest: str) -> bytes | None:
    """The bytes of `path` if it is a regular file (not a link) and they have `digest`."""
    # Opened without following a link and without waiting on a named pipe, then checked
    # by what was opened, so that what is read is what was checked.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        with open(os.open(path, flags), "rb") as file:
            if not stat_module.S_ISREG(os.fstat(file.fileno()).st_mode):
                return None
            data = file.read()
    except OSError:
        return None
    return data if bytes_digest(data) == digest else None


def bytes_digest(data: bytes) -> str:
    """The digest (hex) of a file's bytes, as records keep it."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
