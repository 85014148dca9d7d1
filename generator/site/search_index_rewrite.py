"""Four rewrites of Pagefind's output: a fixed order, short page ids, word counts to three
per cent, and word chunks that do not make a rare word cost as much as a common one.

**Order.** Pagefind (1.5) writes the values of each filter (`tag`, `year`, `venue`) in the
order of a hash map that is seeded afresh on every run: the same pages give a filter file
with the same content in another order, so another name, so another metadata file naming
it, so another `pagefind-entry.json`. Its maintainer says as much
(https://github.com/Pagefind/pagefind/issues/638: fragments are stable since 1.3, "other
files will still change, such as the filter/metadata indexes"). Here each filter's values
are sorted, so the same pages give the same bytes.

**Short page ids.** The metadata file, which every reader downloads before a first result,
names each page by the hash of its fragment file (`en_3f2a1b7`, 7 random hex digits that gzip
cannot shrink): in a large catalogue that list alone is most of the first search. Here
fragments are renamed `<tag>-<n>` with `n` the page's number in base 36 and `tag` a hash of all
the old names, so that a build whose fragments changed gets new URLs (no browser can mix a
cached fragment with a new index) while the list compresses to a fraction.

**Word counts to three per cent.** The same table gives each page's word count, which
Pagefind uses only to rank (BM25's length normalisation: a long page's matches weigh a little
less). Exact counts (207, 211, 198...) are as random to gzip as the old ids; rounded to
`WORD_COUNT_BITS` significant bits (205 -> 208, 213 -> 216, within 3%) they take a few
values, and the table shrinks noticeably for a length weight that moves
by less than the 3%.

**Word chunks.** Pagefind cuts its word index into chunks of about 20,000 page positions, in
word order, closing a chunk *after* the word that takes it past that size; the browser
downloads the one chunk whose word range holds each query word. So a word found in every page
("model") carried the rare words sorted before it: in a large catalogue a query for a rare word
downloaded a large chunk per bundle, nearly all of it the common word's positions. Here the
words are cut again into chunks of about `CHUNK_BYTES`, a larger word alone, each named by its
first and last word (whole, so that the query for a word finds its one chunk).

**Dropping pages** (`drop_pages`) is a fifth step, for a bundle that a rebuild keeps: the
pages the site no longer has as they were are taken out of its filters and marked
`kind:superseded`, in new files beside the old (search_index.py's delta).

Pagefind's files are `pagefind_dcd` + CBOR, gzipped; cbor2 reads and writes them, and the
search in the browser reads them as it reads Pagefind's own. The metadata is
`[version, pages, index chunks, filters, sorts, meta fields]`, pages as `[id, word count]`,
index chunks as `[first word, last word, file hash]`, filters as `[name, file hash]`; a word
chunk is `[[[word, [[page number, positions, ...], ...], ...], ...]]` and a filter file
`[name, [[value, [page numbers]], ...]]`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"
"""What every decompressed Pagefind index file starts with."""

KNOWN_VERSIONS = frozenset({"1.5.2"})
"""Pagefind versions whose file layout this step was written for (and is tested against)."""

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"

KIND_FILTER = "kind"
"""The filter that tells a result that is not a paper: `kind:page`, a page of the site's own
(overrides/main.html), or `SUPERSEDED`."""
SUPERSEDED = "superseded"
"""The `kind` of a kept bundle's pages that the site no longer has as they were (`drop_pages`)."""

WORD_COUNT_BITS = 5
"""Significant bits kept of a page's word count (counts below 2**5 are exact)."""


class SearchIndexFormatError(RuntimeError):
    """Pagefind wrote something this step does not know."""


def read_index_file(path: Path) -> Any:
    """The CBOR value inside one of Pagefind's gzipped index files."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise SearchIndexFormatError(f"{path}: not a Pagefind index file")
    return cbor2.loads(data[len(SIGNATURE) :])


def write_index_file(folder: Path, prefix: str, suffix: str, value: Any, digits: int) -> str:
    """Write `value` as Pagefind does, named by its content; return the name's hash part."""
    return _write_payload(folder, prefix, SIGNATURE + cbor2.dumps(value), suffix, digits, 9)


def _write_payload(
    folder: Path,
    prefix: str,
    payload: bytes,
    suffix: str = ".pf_index",
    digits: int = 7,
    level: int = 6,
) -> str:
    """Write a file of Pagefind's index (`payload` starts with its signature), named by its
    content; a name already taken by other bytes gets one more digit, as Pagefind does.

    Word chunks are compressed at gzip's level 6, as Pagefind does: level 9 took four times
    as long for 2% fewer bytes, and a reader downloads one small chunk per query word."""
    digest = hashlib.sha256(payload).hexdigest()
    data = gzip.compress(payload, compresslevel=level, mtime=0)
    while True:
        name = f"{prefix}{digest[:digits]}"
        path = folder / f"{name}{suffix}"
        # A file already there is never written into: it may be a hard link to the last
        # site's (a bundle taken over, see `drop_pages`).
        if not path.exists():
            path.write_bytes(data)
            return name
        if path.read_bytes() == data:
            return name
        if digits >= len(digest):
            path.unlink()
            path.write_bytes(data)
            return name
        digits += 1


def rewrite_index(index_dir: Path) -> None:
    """Put the index in `index_dir` in order and give its pages short ids."""
    entry_path = index_dir / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    entry = json.loads(entry_text)
    if entry.get("version") not in KNOWN_VERSIONS:
        raise SearchIndexFormatError(
            f"Pagefind {entry.get('version')} is not one of {sorted(KNOWN_VERSIONS)}: "
            f"check that generator/site/search_index_rewrite.py still reads its files right"
        )
    for language in entry["languages"].values():
        old_meta = language["hash"]
        new_meta = _rewrite_language(index_dir, old_meta)
        if new_meta != old_meta:
            entry_text = entry_text.replace(f'"hash":"{old_meta}"', f'"hash":"{new_meta}"', 1)
    for language in json.loads(entry_text)["languages"].values():
        if not (index_dir / f"pagefind.{language['hash']}.pf_meta").is_file():
            raise SearchIndexFormatError(f"{entry_path}: could not point it at the new metadata")
    entry_path.write_text(entry_text, encoding="utf-8")


def drop_pages(index_dir: Path, pages: set[int]) -> list[str]:
    """Mark the pages numbered `pages` of the index in `index_dir` superseded; return the files
    added (paths under `index_dir`), the filter files and metadata now named.

    This is how a rebuild drops the pages of a bundle it keeps that the site no longer has as
    they were (search_index.py's delta). They are taken out of every filter, so that the
    facets' counts are those of the pages left, and put in the filter `kind` as `superseded`
    (`SUPERSEDED`), which the search box's searches leave out: papers are the pages of no kind,
    the site's own pages `kind:page`. Their words stay in the word chunks, found by no search
    of the box. The index's files are never written into (they may be hard links to the last
    site's): new content gets new names, and the entry file is replaced, not rewritten."""
    entry_path = index_dir / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    added: list[str] = []
    for language in entry["languages"].values():
        old_meta = language["hash"]
        meta_path = index_dir / f"pagefind.{old_meta}.pf_meta"
        meta = read_index_file(meta_path)
        _check_layout(meta, meta_path)
        prefix = old_meta.split("_", 1)[0] + "_"
        filters = []
        # A bundle of papers alone has no `kind` filter until it has superseded pages.
        named = dict(meta[3])
        for name in sorted({*named, KIND_FILTER}):
            old = named.get(name)
            values: list[list[Any]] = []
            if old is not None:
                path = index_dir / "filter" / f"{old}.pf_filter"
                content = read_index_file(path)
                if not (isinstance(content, list) and len(content) == 2 and content[0] == name):
                    raise SearchIndexFormatError(f"{path}: not the filter {name!r}")
                values = content[1]
            kept = _without_pages(name, values, pages)
            digits = 7 if old is None else len(old) - len(prefix)
            new = write_index_file(index_dir / "filter", prefix, ".pf_filter", [name, kept], digits)
            if new != old:
                added.append(f"filter/{new}.pf_filter")
            filters.append([name, new])
        meta[3] = filters
        new_meta = write_index_file(index_dir, "pagefind." + prefix, ".pf_meta", meta, 10)
        new_meta = new_meta.removeprefix("pagefind.")
        if new_meta != old_meta:
            added.append(f"pagefind.{new_meta}.pf_meta")
            language["hash"] = new_meta
    entry_path.unlink()
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    entry_path.write_text(text, encoding="utf-8")
    return added


def _without_pages(name: str, values: list[list[Any]], pages: set[int]) -> list[list[Any]]:
    """The values of the filter `name` without `pages`, and with them as `kind:superseded` if
    it is the kind filter (with the pages an earlier drop marked so)."""
    superseded = set(pages)
    out = []
    for value, numbers in values:
        if name == KIND_FILTER and value == SUPERSEDED:
            superseded.update(numbers)
        else:
            out.append([value, [page for page in numbers if page not in pages]])
    if name == KIND_FILTER:
        out = sorted([*out, [SUPERSEDED, sorted(superseded)]], key=_first)
    return [pair for pair in out if pair[1]]


def _rewrite_language(index_dir: Path, meta_hash: str) -> str:
    """Rewrite one language's index; return the hash naming its new metadata file."""
    meta_path = index_dir / f"pagefind.{meta_hash}.pf_meta"
    meta = read_index_file(meta_path)
    _check_layout(meta, meta_path)
    prefix = meta_hash.split("_", 1)[0] + "_"
    meta[1] = [
        [page_id, round_word_count(count), *rest]
        for page_id, count, *rest in _shorten_page_ids(index_dir / "fragment", meta[1])
    ]
    meta[2] = _rechunk_words(index_dir / "index", meta[2], prefix)
    meta[3] = [
        [name, _order_filter(index_dir / "filter", name, old, prefix)]
        for name, old in sorted(meta[3], key=lambda pair: pair[0])
    ]
    new_meta = write_index_file(index_dir, "pagefind." + prefix, ".pf_meta", meta, 10)
    new_meta = new_meta.removeprefix("pagefind.")
    if new_meta != meta_hash:
        meta_path.unlink()
    return new_meta


def _order_filter(folder: Path, name: str, old: str, prefix: str) -> str:
    """Sort one filter file's values; return its new name."""
    path = folder / f"{old}.pf_filter"
    content = read_index_file(path)
    if not (isinstance(content, list) and len(content) == 2 and content[0] == name):
        raise SearchIndexFormatError(f"{path}: not the filter {name!r}")
    values = sorted(([value, sorted(pages)] for value, pages in content[1]), key=_first)
    new = write_index_file(folder, prefix, ".pf_filter", [name, values], len(old) - len(prefix))
    if new != old:
        path.unlink()
    return new


CHUNK_BYTES = 32_000
"""Most bytes (before compression) of the words in one chunk; a word larger than this has a
chunk of its own. Pagefind's chunks are about as large, but grow past it by a whole word."""


@dataclass
class _Word:
    """One word of the index, as the bytes Pagefind encoded it."""

    word: str
    data: bytes


def _rechunk_words(folder: Path, chunks: list[list[str]], prefix: str) -> list[list[str]]:
    """Cut the word index again into chunks of about `CHUNK_BYTES`, a word larger than that
    alone; return the new chunk table. Words are moved as the bytes Pagefind wrote: only the
    words before each chunk's last are decoded, to find where each one ends (a chunk's last
    word is the one that took it past Pagefind's size, and can be most of the index)."""
    words: list[_Word] = []
    for _, _, name in chunks:
        path = folder / f"{name}.pf_index"
        words += _words_of(gzip.decompress(path.read_bytes()), path)
        path.unlink()
    for before, after in itertools.pairwise(words):
        if not before.word < after.word:  # the ranges below are made for words in order
            raise SearchIndexFormatError(
                f"{folder}: words out of order ({before.word!r}, {after.word!r})"
            )
    groups: list[list[_Word]] = []
    size = CHUNK_BYTES
    for word in words:
        if size + len(word.data) > CHUNK_BYTES:
            groups.append([])
            size = 0
        groups[-1].append(word)
        size += len(word.data)
    # Each chunk's range is its first and last word, whole: Pagefind's own ranges are cut to
    # the shortest prefixes that tell neighbours apart ("mi" ... "mo"), so a query for a word
    # past the cut found no range holding it and fell back to loading every chunk whose
    # cut-down range might (two chunks per bundle for a rare word at 100,000 papers).
    return [
        [group[0].word, group[-1].word, _write_payload(folder, prefix, _chunk_payload(group))]
        for group in groups
    ]


def _words_of(payload: bytes, where: Path) -> list[_Word]:
    """The words of one of Pagefind's word chunks, in order, each as its encoded bytes."""
    if not payload.startswith(SIGNATURE + b"\x81"):
        raise SearchIndexFormatError(f"{where}: not a Pagefind word chunk")
    count, at = _read_head(payload, len(SIGNATURE) + 1, 4, where)
    stream = io.BytesIO(payload)
    decoder = cbor2.CBORDecoder(stream)
    words = []
    for number in range(count):
        stream.seek(at)
        if number < count - 1:
            entry = decoder.decode()
            end = stream.tell()
        else:  # the last word: only its text is read
            stream.seek(_read_head(payload, at, 4, where)[1])
            entry, end = [decoder.decode()], len(payload)
        if not (isinstance(entry, list) and entry and isinstance(entry[0], str)):
            raise SearchIndexFormatError(f"{where}: unexpected word entry {str(entry)[:80]}")
        words.append(_Word(entry[0], payload[at:end]))
        at = end
    return words


def _chunk_payload(words: list[_Word]) -> bytes:
    """A word chunk file's content (before compression): `[[word, ...]]`."""
    return b"".join([SIGNATURE, _array_head(1), _array_head(len(words)), *(w.data for w in words)])


def _read_head(data: bytes, at: int, major: int, where: Path) -> tuple[int, int]:
    """The number in the CBOR head at `at` (of type `major`) and where the item goes on."""
    initial = data[at]
    if initial >> 5 != major:
        raise SearchIndexFormatError(f"{where}: unexpected CBOR type at byte {at}")
    info = initial & 0x1F
    if info < 24:
        return info, at + 1
    if info > 27:
        raise SearchIndexFormatError(f"{where}: unexpected CBOR length at byte {at}")
    size = 1 << (info - 24)
    return int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def _array_head(count: int) -> bytes:
    """The CBOR head of an array of `count` items."""
    head = io.BytesIO()
    cbor2.CBOREncoder(head).encode_length(4, count)
    return head.getvalue()


def _shorten_page_ids(folder: Path, pages: list[list[Any]]) -> list[list[Any]]:
    """Rename every page's fragment to a short id; return the page table with the new ids."""
    old_ids = [str(page[0]) for page in pages]
    tag = hashlib.sha256("\n".join(old_ids).encode()).hexdigest()[:6]
    renamed = []
    for number, (old, *rest) in enumerate(pages):
        new = f"{tag}-{_base36(number)}"
        (folder / f"{old}.pf_fragment").rename(folder / f"{new}.pf_fragment")
        renamed.append([new, *rest])
    return renamed


def round_word_count(count: int) -> int:
    """`count` to `WORD_COUNT_BITS` significant bits, to the nearest (within 3%)."""
    drop = count.bit_length() - WORD_COUNT_BITS
    if drop <= 0:
        return count
    return ((count + (1 << (drop - 1))) >> drop) << drop


def _base36(number: int) -> str:
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = DIGITS[digit] + text
        if number == 0:
            return text


def _check_layout(meta: Any, where: Path) -> None:
    if not (isinstance(meta, list) and len(meta) == 6):
        raise SearchIndexFormatError(f"{where}: not Pagefind 1.5 metadata")
    for page in meta[1]:
        if not (
            isinstance(page, list)
            and len(page) >= 2
            and isinstance(page[0], str)
            and isinstance(page[1], int)
        ):
            raise SearchIndexFormatError(f"{where}: unexpected page entry {page!r}")
    for pair in meta[3]:
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        ):
            raise SearchIndexFormatError(f"{where}: unexpected filter entry {pair!r}")


def _first(pair: list[Any]) -> str:
    return str(pair[0])
