"""Two rewrites of Pagefind's output: a fixed order, and short page ids.

**Order.** Pagefind (1.5) writes the values of each filter (`tag`, `year`, `venue`) in the
order of a hash map that is seeded afresh on every run: the same pages give a filter file
with the same content in another order, so another name, so another metadata file naming
it, so another `pagefind-entry.json`. Its maintainer says as much
(https://github.com/Pagefind/pagefind/issues/638: fragments are stable since 1.3, "other
files will still change, such as the filter/metadata indexes"). Here each filter's values
are sorted, so the same pages give the same bytes.

**Short page ids.** The metadata file, which every reader downloads before a first result,
names each page by the hash of its fragment file (`en_3f2a1b7`, 7 random hex digits that
gzip cannot shrink): at 100,000 papers that list alone is about 600 KB. Here fragments are
renamed `<tag>-<n>` with `n` the page's number in base 36 and `tag` a hash of all the old
names, so that a build whose fragments changed gets new URLs (no browser can mix a cached
fragment with a new index) while the list compresses to a fraction.

Pagefind's files are `pagefind_dcd` + CBOR, gzipped; cbor2 reads and writes them, and the
search in the browser reads them as it reads Pagefind's own. The metadata is
`[version, pages, index chunks, filters, sorts, meta fields]`, pages as `[id, word count]`,
filters as `[name, file hash]`; a filter file is `[name, [[value, [page numbers]], ...]]`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"
"""What every decompressed Pagefind index file starts with."""

KNOWN_VERSIONS = frozenset({"1.5.2"})
"""Pagefind versions whose file layout this step was written for (and is tested against)."""

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


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
    payload = SIGNATURE + cbor2.dumps(value)
    name = f"{prefix}{hashlib.sha256(payload).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    return name


def rewrite_index(index_dir: Path) -> None:
    """Put the index in `index_dir` in order and give its pages short ids."""
    entry_path = index_dir / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    entry = json.loads(entry_text)
    if entry.get("version") not in KNOWN_VERSIONS:
        raise SearchIndexFormatError(
            f"Pagefind {entry.get('version')} is not one of {sorted(KNOWN_VERSIONS)}: "
            f"check that generator/search_index_rewrite.py still reads its files right"
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


def _rewrite_language(index_dir: Path, meta_hash: str) -> str:
    """Rewrite one language's index; return the hash naming its new metadata file."""
    meta_path = index_dir / f"pagefind.{meta_hash}.pf_meta"
    meta = read_index_file(meta_path)
    _check_layout(meta, meta_path)
    prefix = meta_hash.split("_", 1)[0] + "_"
    meta[1] = _shorten_page_ids(index_dir / "fragment", meta[1])
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
        if not (isinstance(page, list) and page and isinstance(page[0], str)):
            raise SearchIndexFormatError(f"{where}: unexpected page entry {page!r}")
    for pair in meta[3]:
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        ):
            raise SearchIndexFormatError(f"{where}: unexpected filter entry {pair!r}")


def _first(pair: list[Any]) -> str:
    return str(pair[0])
