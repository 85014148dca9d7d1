"""Put Pagefind's filter index in a fixed order, so that a rebuild gives the same bytes.

Pagefind (1.5) writes the values of each filter (`tag`, `year`, `venue`) in the order of a
hash map that is seeded afresh on every run: the same pages give a filter file with the
same content in another order, so another name, so another metadata file naming it, so
another `pagefind-entry.json`. Its maintainer says as much
(https://github.com/Pagefind/pagefind/issues/638: fragments are stable since 1.3, "other
files will still change, such as the filter/metadata indexes").

Every other file Pagefind writes is already stable. This step rewrites the three that are
not: each filter file with its values sorted, the metadata with its filters sorted and
pointing at the new names, and the entry file pointing at the new metadata. Pagefind's
files are `pagefind_dcd` + CBOR, gzipped; cbor2 reads and writes them, and the search in
the browser reads them as it reads Pagefind's own (names are content hashes either way).
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


class SearchIndexFormatError(RuntimeError):
    """Pagefind wrote something this step does not know; it changes nothing then."""


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


def put_in_order(index_dir: Path) -> None:
    """Rewrite the filter, metadata and entry files of the index in `index_dir`."""
    entry_path = index_dir / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    entry = json.loads(entry_text)
    if entry.get("version") not in KNOWN_VERSIONS:
        raise SearchIndexFormatError(
            f"Pagefind {entry.get('version')} is not one of {sorted(KNOWN_VERSIONS)}: "
            f"check that generator/search_index_order.py still reads its files right"
        )
    for language in entry["languages"].values():
        old_meta = language["hash"]
        new_meta = _order_language(index_dir, old_meta)
        if new_meta != old_meta:
            entry_text = entry_text.replace(f'"hash":"{old_meta}"', f'"hash":"{new_meta}"', 1)
    for language in json.loads(entry_text)["languages"].values():
        if not (index_dir / f"pagefind.{language['hash']}.pf_meta").is_file():
            raise SearchIndexFormatError(f"{entry_path}: could not point it at the new metadata")
    entry_path.write_text(entry_text, encoding="utf-8")


def _order_language(index_dir: Path, meta_hash: str) -> str:
    """Order one language's filters; return the hash naming its new metadata file."""
    meta_path = index_dir / f"pagefind.{meta_hash}.pf_meta"
    meta = read_index_file(meta_path)
    filters = _filter_table(meta, meta_path)
    prefix = meta_hash.split("_", 1)[0] + "_"
    ordered = []
    for name, old in sorted(filters, key=lambda pair: pair[0]):
        path = index_dir / "filter" / f"{old}.pf_filter"
        content = read_index_file(path)
        if not (isinstance(content, list) and len(content) == 2 and content[0] == name):
            raise SearchIndexFormatError(f"{path}: not the filter {name!r}")
        values = sorted(([value, sorted(pages)] for value, pages in content[1]), key=_first)
        new = write_index_file(path.parent, prefix, ".pf_filter", [name, values], len(old) - 3)
        if new != old:
            path.unlink()
        ordered.append([name, new])
    meta[3] = ordered
    new_meta = write_index_file(index_dir, "pagefind." + prefix, ".pf_meta", meta, 10)
    new_meta = new_meta.removeprefix("pagefind.")
    if new_meta != meta_hash:
        meta_path.unlink()
    return new_meta


def _filter_table(meta: Any, where: Path) -> list[list[str]]:
    # Pagefind 1.5's metadata: [version, pages, index chunks, filters, sorts, meta fields],
    # the filters as [name, file hash] pairs.
    if not (isinstance(meta, list) and len(meta) == 6 and isinstance(meta[3], list)):
        raise SearchIndexFormatError(f"{where}: not Pagefind 1.5 metadata")
    for pair in meta[3]:
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        ):
            raise SearchIndexFormatError(f"{where}: unexpected filter entry {pair!r}")
    return list(meta[3])


def _first(pair: list[Any]) -> str:
    return str(pair[0])
