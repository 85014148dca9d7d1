"""Read a YAML file strictly: safe, UTF-8, no duplicate keys, and a line number for every value.

PyYAML's constructors forget where a value came from and silently keep the last of two
duplicate keys. Here the file is composed into nodes with the safe loader and converted by
hand, so every value keeps its line, duplicates and anchors are reported, and no tag can
build a Python object: a tag written in the file (`!!map`, `!!str`, `!python/...`, `!x`) is
refused, even one the safe loader knows. Every scalar stays a string (YAML 1.1 would turn
`2101.10010` into a float and `2024-05-17` into a date); the tag YAML would have resolved is
kept so the model can tell a contributor to quote an arXiv id.

A file is never read past its size limit: its size is checked first, and the read is bounded
too (a file can grow between the two).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.model.problems import Problem
from generator.read.yaml_hints import syntax_error_message

MAX_FILE_BYTES = 64 * 1024
"""An entry is a few kilobytes; anything larger is a mistake or an attack."""
MAX_SHARED_FILE_BYTES = 4 * 1024 * 1024
"""`tags.yaml` and `authors.yaml` grow with the catalogue (thousands of people at 100,000
papers), but not to megabytes of text."""
MAX_DEPTH = 8
"""An entry nests two levels (`links:` holds a mapping); deeper is a mistake or an attack, and
PyYAML's composer would run out of stack on a few thousand nested brackets."""

# libyaml's composer gives the same nodes and marks ten times faster than the pure-Python one,
# which at 100,000 entries is the difference between seconds and minutes.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


@dataclass
class SourceDocument:
    """A YAML mapping read from one file, with where each of its values came from."""

    path: str
    """The file, as shown in messages."""
    data: dict[str, Any]
    """The top-level mapping: strings, lists and dicts only; `None` for an empty value."""
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)
    """Line of each value by its path: `("tags", 1)` is the second tag."""
    resolved: dict[tuple[str | int, ...], str] = field(default_factory=dict)
    """The type YAML would have given each unquoted scalar (`float`, `int`, `timestamp`...)."""

    def line_of(self, loc: tuple[str | int, ...]) -> int:
        """The line of the value at `loc`, or of its nearest parent that has one."""
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return 1


class _Reader:
    def __init__(self, path: str, explicit_tags: dict[int, str]) -> None:
        self.path = path
        self.explicit_tags = explicit_tags
        """Where the file writes a tag (the position of the tagged node), and the tag."""
        self.problems: list[Problem] = []
        self.lines: dict[tuple[str | int, ...], int] = {}
        self.resolved: dict[tuple[str | int, ...], str] = {}
        self._seen: set[int] = set()

    def problem(self, line: int, fieldname: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, fieldname, message))

    def convert(self, node: yaml.Node, loc: tuple[str | int, ...], key_line: int = 0) -> Any:
        line = node.start_mark.line + 1
        name = _field_name(loc)
        if id(node) in self._seen:
            # An alias is the anchored node itself: its own line is the anchor's, so point
            # at the key that uses it.
            self.problem(
                key_line or line,
                name,
                "YAML anchors and aliases are not allowed; write the value out",
            )
            return None
        self._seen.add(id(node))
        self.lines[loc] = line
        written = self.explicit_tags.get(node.start_mark.index)
        if written is not None or node.tag not in _PLAIN_TAGS:
            self.problem(line, name or "file", _tag_message(written or node.tag))
            return None
        if isinstance(node, yaml.ScalarNode):
            if not node.style:  # unquoted (None, or "" from libyaml): remember YAML's reading
                kind = node.tag.rsplit(":", 1)[-1]
                self.resolved[loc] = kind
                if kind == "null":
                    return None
            return _join_surrogate_pairs(node.value)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*loc, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            tagged = key_node.start_mark.index in self.explicit_tags
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag not in _PLAIN_TAGS
                or tagged
            ):
                self.problem(key_line, name or "file", "a key must be a plain word")
                continue
            key = key_node.value
            if key in result:
                where = self.lines.get((*loc, key), key_line)
                self.problem(
                    key_line,
                    _field_name((*loc, key)),
                    f"duplicate key (first given on line {where}); keep only one",
                )
                continue
            result[key] = self.convert(value_node, (*loc, key), key_line)
            self.lines[(*loc, key)] = key_line
        return result


def _tag_message(tag: str) -> str:
    shown = "!!" + tag.removeprefix(_YAML_TAG_PREFIX) if tag.startswith(_YAML_TAG_PREFIX) else tag
    return (
        f"the YAML tag {shown!r} is not allowed; remove it (an entry holds only plain text, "
        "lists and `field: value` lines)"
    )


_YAML_TAG_PREFIX = "tag:yaml.org,2002:"


def _join_surrogate_pairs(value: str) -> str:
    """A double-quoted `"\\ud83d\\ude00"` is one character, as in JSON: PyYAML decodes each
    `\\u` escape alone, giving two surrogate halves. Valid pairs are joined; a lone half
    stays, for validation to report."""
    if not any("\ud800" <= ch <= "\udfff" for ch in value):
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _field_name(loc: tuple[str | int, ...]) -> str:
    """`("links", "code")` -> `links.code`; `("tags", 2)` -> `tags[2]`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def decode(raw: bytes, path: str, limit: int = MAX_FILE_BYTES) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 only, a BOM dropped, CRLF line endings accepted."""
    if len(raw) > limit:
        return None, [_too_big(path, len(raw), limit)]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, "file", "is not valid UTF-8; save it as UTF-8")]
    return text.replace("\r\n", "\n"), []


def _too_big(path: str, size: int, limit: int) -> Problem:
    what = "an entry" if limit == MAX_FILE_BYTES else "this file"
    shown = f"{size:,} bytes" if size < 1 << 30 else f"{size / (1 << 30):,.1f} GiB"
    return Problem(path, 1, "file", f"is {shown}; {what} may be at most {limit // 1024:,} KiB")


def read_bounded(file: Path, shown_as: str, limit: int = MAX_FILE_BYTES) -> bytes | Problem:
    """The bytes of `file`, or a problem: its size is checked before anything is read, and no
    more than `limit` + 1 bytes are ever read (a 2 GiB file costs one `stat`)."""
    try:
        with file.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                return _too_big(shown_as, size, limit)
            raw = handle.read(limit + 1)
    except OSError as exc:
        return Problem(shown_as, 1, "file", f"cannot be read: {exc.strerror}")
    if len(raw) > limit:  # it grew after the check
        return _too_big(shown_as, len(raw), limit)
    return raw


def _compose(text: str) -> list[yaml.Node]:
    """The YAML documents of `text`: libyaml first; for a file it rejects, the pure-Python
    composer decides, so that what is accepted and every message stay as they always were
    (libyaml is stricter about some escapes, such as a lone surrogate)."""
    try:
        return list(yaml.compose_all(text, Loader=_SAFE_LOADER))
    except yaml.YAMLError:
        return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


def read_yaml_mapping(
    raw: bytes, path: str, limit: int = MAX_FILE_BYTES
) -> tuple[SourceDocument | None, list[Problem]]:
    """Parse one YAML file that must hold a single mapping; problems instead of exceptions."""
    text, problems = decode(raw, path, limit)
    if text is None:
        return None, problems
    try:
        scan = _scan_events(text)
        if scan.too_deep is not None:
            return None, [Problem(path, scan.too_deep, "file", _TOO_DEEP)]
        documents = _compose(text)
    except yaml.YAMLError as exc:
        line, message = syntax_error_message(exc, text)
        return None, [Problem(path, line, "file", message)]
    if len(documents) != 1 or not isinstance(documents[0], yaml.MappingNode):
        return None, [
            Problem(path, 1, "file", "must hold one YAML mapping of `field: value` lines")
        ]
    reader = _Reader(path, scan.tags)
    data = reader.convert(documents[0], ())
    doc = SourceDocument(path, data, reader.lines, reader.resolved)
    return doc, reader.problems


_TOO_DEEP = f"nests lists or mappings more than {MAX_DEPTH} levels deep; an entry needs two"


@dataclass
class _EventScan:
    too_deep: int | None = None
    """The line where nesting first passes `MAX_DEPTH`."""
    tags: dict[int, str] = field(default_factory=dict)
    """Tags written in the file, by the position of what they tag."""


def _scan_events(text: str) -> _EventScan:
    """Depth and written tags, read from the event stream (no stack, nothing constructed)."""
    try:
        return _scan(yaml.parse(text, Loader=_SAFE_LOADER))  # libyaml: fast
    except yaml.YAMLError:
        return _scan(yaml.parse(text, Loader=yaml.SafeLoader))


def _scan(events: Iterable[yaml.Event]) -> _EventScan:
    scan = _EventScan()
    depth = 0
    for event in events:
        # An event carries a tag only when the file writes one (`!!str`, `!x`, even `!`).
        tag = getattr(event, "tag", None)
        if tag is not None and event.start_mark is not None:
            scan.tags[event.start_mark.index] = tag
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                scan.too_deep = event.start_mark.line + 1 if event.start_mark else 1
                return scan
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return scan


def read_yaml_file(
    file: Path, shown_as: str, limit: int = MAX_FILE_BYTES
) -> tuple[SourceDocument | None, list[Problem]]:
    """Read and parse `file` (at most `limit` bytes), naming it `shown_as` in problems."""
    raw = read_bounded(file, shown_as, limit)
    if isinstance(raw, Problem):
        return None, [raw]
    return read_yaml_mapping(raw, shown_as, limit)
