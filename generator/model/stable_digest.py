"""Digests of plain values that are the same in every process, for what one build records
for the next (`site.page_record`, the map's layout).

Python's `hash()` differs from process to process (strings are salted), and `repr` of a
dataclass leaves out what it does not print; so values are written out field by field in an
encoding where no two different values give the same text (every string, sequence and
object is prefixed with its length or kind, every object with its class), then hashed. Only
the kinds of value that pages are made from are accepted: a value of any other type raises
`NotDigestible`, and its page is rendered as if nothing were recorded.

`generator_version()` digests the generator's own files (code and templates), the version
of every installed distribution and this user's record secret (`generator.private_cache`): a
changed template, module or library makes every recorded digest differ, and a record that did
not come from this user's own builds matches nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import importlib.metadata
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.model.paper import Paper
from generator.model.vocabulary import Tag
from generator.private_cache import record_secret

FORMAT = "1"
"""The encoding's version: changing how values are written changes it."""

_SHARED = (Paper, Tag)
"""Frozen values that many pages name (a paper is in a dozen lists): digested once each."""


class NotDigestible(TypeError):
    """A value of a type the encoding does not know."""


class StableDigests:
    """Digests values; remembers those of shared objects (papers, tags) while it lives, so
    that a paper named by many pages is written out once. Keep one per build: the objects it
    remembers are held until it is dropped."""

    def __init__(self) -> None:
        self._shared: dict[int, tuple[object, str]] = {}

    def digest(self, value: object) -> bytes:
        """16 bytes that differ, in practice, whenever `value` differs."""
        parts: list[str] = []
        self._write(value, parts)
        data = "".join(parts).encode("utf-8", "surrogatepass")
        return hashlib.blake2b(data, digest_size=16, person=b"catalogue" + FORMAT.encode()).digest()

    def _write(self, value: Any, out: list[str]) -> None:
        # Order matters: bool before int, str subclasses (Markup) with their class, named
        # tuples before tuples, shared objects before dataclasses.
        kind = type(value)
        if value is None:
            out.append("N")
        elif kind is bool:
            out.append("T" if value else "F")
        elif kind is int:
            out.append(f"i{value};")
        elif kind is float:
            out.append(f"f{value!r};")
        elif isinstance(value, str):
            name = "" if kind is str else kind.__qualname__
            out.append(f"s{name}:{len(value)}:{value}")
        elif isinstance(value, _SHARED):
            found = self._shared.get(id(value))
            if found is None:
                found = (value, self.digest_fields(value))
                self._shared[id(value)] = found  # `value` is held: its id stays its own
            out.append(f"o{found[1]}")
        elif isinstance(value, tuple) and hasattr(value, "_fields"):
            self._object(kind, [(name, getattr(value, name)) for name in value._fields], out)
        elif isinstance(value, (tuple, list)):
            out.append(f"{'(' if isinstance(value, tuple) else '['}{len(value)}:")
            for item in value:
                self._write(item, out)
            out.append("]")
        elif kind is dict:
            out.append(f"{{{len(value)}:")
            for key, item in value.items():  # in order: pages show mappings in their order
                self._write(key, out)
                self._write(item, out)
            out.append("}")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
            self._object(kind, fields, out)
        elif isinstance(value, BaseModel):
            names = type(value).model_fields
            self._object(kind, [(name, getattr(value, name)) for name in names], out)
        elif isinstance(value, enum.Enum):
            out.append(f"e{kind.__module__}.{kind.__qualname__}:")
            self._write(value.value, out)
        elif isinstance(value, (dt.date, dt.datetime)):
            out.append(f"d{kind.__qualname__}:{value.isoformat()};")
        else:
            raise NotDigestible(f"no stable digest for a {kind.__module__}.{kind.__qualname__}")

    def digest_fields(self, value: object) -> str:
        """The digest of a shared object, written out field by field (hex)."""
        parts: list[str] = []
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
        elif isinstance(value, BaseModel):
            fields = [(name, getattr(value, name)) for name in type(value).model_fields]
        else:  # pragma: no cover - `_SHARED` holds dataclasses and models only
            raise NotDigestible(type(value).__qualname__)
        self._object(type(value), fields, parts)
        data = "".join(parts).encode("utf-8", "surrogatepass")
        return hashlib.blake2b(data, digest_size=16).hexdigest()

    def _object(self, kind: type, fields: list[tuple[str, Any]], out: list[str]) -> None:
        out.append(f"<{kind.__module__}.{kind.__qualname__}:{len(fields)}:")
        for name, item in fields:
            out.append(f"{name}=")
            self._write(item, out)
        out.append(">")


@functools.cache
def generator_version() -> str:
    """A digest of the generator's files (code, templates), Python's version and every
    installed distribution's name and version: what rendering may depend on besides its
    inputs. Keyed with this user's record secret, so that only this user's builds make or
    match it. Computed once per process."""
    # A set: the project's own metadata is found twice when a command runs in the checkout
    # (its `.egg-info` there, its editable install's in the environment), once elsewhere.
    versions = sorted(
        {f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()}
    )
    digest = hashlib.blake2b(digest_size=16, key=record_secret())
    digest.update(tree_digest(Path(__file__).resolve().parents[1]).encode())
    digest.update(f"\0{sys.version}\0{FORMAT}\0".encode())
    digest.update("\n".join(versions).encode())
    return digest.hexdigest()


def tree_digest(folder: Path) -> str:
    """A digest of every file under `folder` (names and bytes), compiled caches left out."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(f"{path.relative_to(folder).as_posix()}\0".encode())
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
