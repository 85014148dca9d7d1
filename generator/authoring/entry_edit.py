"""Change fields of an entry file without reformatting it; write it whole or not at all.

A person's file keeps its layout: a new field is inserted as its own lines at its place in
`entry_files.FIELD_ORDER`, a replaced value is rewritten where it stands, and every other byte
stays. Each edit is checked by reading the result back: the file must then hold exactly the
old fields plus the changes, or the edit is refused (`EditRefused`) and nothing is written.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.authoring.entry_files import FIELD_ORDER
from generator.model.problems import Problem
from generator.read.yaml_source import SourceDocument, read_yaml_mapping

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class EntryFile:
    """One entry file as it is on disk, read leniently (a broken entry is only skipped)."""

    path: Path
    shown: str
    text: str
    document: SourceDocument

    @property
    def data(self) -> dict[str, Any]:
        return self.document.data

    def missing(self, fields: Iterable[str]) -> list[str]:
        """Those of `fields` this entry lacks (absent or empty)."""
        return [name for name in fields if not self.data.get(name)]

    def problem(self, fieldname: str, message: str) -> Problem:
        return Problem(self.shown, self.document.line_of((fieldname,)), fieldname, message)


def read_entry_files(papers_dir: Path, root: Path, paths: Iterable[Path] = ()) -> list[EntryFile]:
    """The entry files to consider: `paths`, or every `papers/*.yaml`; unreadable ones skipped
    (`catalogue check` reports them)."""
    files = sorted(paths) or sorted(papers_dir.glob("*.yaml"))
    entries = []
    for file in files:
        absolute = file.resolve()
        try:
            shown = absolute.relative_to(root).as_posix()
            raw = absolute.read_bytes()
        except (ValueError, OSError):
            continue
        document, problems = read_yaml_mapping(raw, shown)
        if document is None or problems or not isinstance(document.data.get("title"), str):
            continue
        entries.append(EntryFile(absolute, shown, raw.decode("utf-8"), document))
    return entries


class EditRefused(Exception):
    """The file is laid out in a way this edit cannot keep; the message says what to do."""


def edit_entry_text(
    text: str,
    added: dict[str, Any],
    replaced: dict[str, Any] | None = None,
    added_links: dict[str, str] | None = None,
) -> str:
    """`text` with top-level fields `added` (absent before), values `replaced` (present before),
    and `added_links` (labels new to `links`); raises `EditRefused` if the layout forbids it."""
    added, replaced, added_links = dict(added), replaced or {}, added_links or {}
    before = _load(text)
    keys = {key.value: (key, value) for key, value in _root_mapping(text).value}
    if set(added) & set(keys):
        raise EditRefused(f"already has {', '.join(sorted(set(added) & set(keys)))}")
    # (start, end, order, snippet): text[start:end] becomes snippet; start == end inserts.
    edits: list[tuple[int, int, int, str]] = []
    for name, value in replaced.items():
        if name not in keys:
            raise EditRefused(f"has no `{name}` to replace")
        key, node = keys[name]
        snippet = _dump({name: value}).removesuffix("\n")
        # Ordered last, so it is applied before any field inserted in front of it.
        edits.append((key.start_mark.index, _value_end(text, node), len(FIELD_ORDER), snippet))
    if added_links and "links" in keys:
        edits.append(_link_insertion(text, keys["links"][1], added_links))
    elif added_links:
        added["links"] = added_links
    for name, value in added.items():
        order = FIELD_ORDER.index(name) if name in FIELD_ORDER else -1
        edits.append((_insertion_point(text, name, keys), -1, order, _dump({name: value})))
    if "\r\n" in text:  # a file saved on Windows keeps its line ends
        edits = [(a, b, order, snippet.replace("\n", "\r\n")) for a, b, order, snippet in edits]
    # From the end of the file backwards, so earlier offsets stay valid; fields inserted at the
    # same place go in last-first, which leaves them in FIELD_ORDER.
    for start, end, _, snippet in sorted(edits, key=lambda edit: (edit[0], edit[2]), reverse=True):
        text = text[:start] + snippet + text[max(start, end) :]
    expected = {**before, **added, **replaced}
    if added_links and "links" in keys:
        expected["links"] = {**before["links"], **added_links}
    if _load(text) != expected:
        raise EditRefused("the edited file would not read back as intended")
    return text


def _load(text: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_LOADER)  # the safe loader: no tag builds an object
    except yaml.YAMLError as exc:
        raise EditRefused(f"is not readable YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise EditRefused("is not a mapping of fields")
    return data


def _root_mapping(text: str) -> yaml.MappingNode:
    root = yaml.compose(text, Loader=_LOADER)
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise EditRefused("is not written as one field per line")
    for key, _ in root.value:
        if not isinstance(key, yaml.ScalarNode) or key.start_mark.column != 0:
            raise EditRefused("has a field that does not start a line")
    return root


def _value_end(text: str, node: yaml.Node) -> int:
    """Where a value ends, its line break excluded (a block scalar's mark is past it)."""
    end = node.end_mark.index
    while end > node.start_mark.index and text[end - 1] in "\r\n":
        end -= 1
    return end


def _insertion_point(text: str, name: str, keys: dict[str, tuple[yaml.Node, yaml.Node]]) -> int:
    """The start of the line of the first present field that comes after `name`; else the end."""
    if name not in FIELD_ORDER:
        raise EditRefused(f"`{name}` is not an entry field")
    later = FIELD_ORDER[FIELD_ORDER.index(name) + 1 :]
    for other in later:
        if other in keys:
            return _above_comments(text, keys[other][0].start_mark.index)
    if text and not text.endswith("\n"):
        raise EditRefused("does not end with a line break")
    return len(text)


def _above_comments(text: str, line_start: int) -> int:
    """The start of the comment lines just above a field: they belong to it, so they stay."""
    while line_start > 0:
        previous = text.rfind("\n", 0, line_start - 1) + 1
        if not text[previous:line_start].lstrip().startswith("#"):
            break
        line_start = previous
    return line_start


def _link_insertion(text: str, node: yaml.Node, links: dict[str, str]) -> tuple[int, int, int, str]:
    """New lines at the end of a `links:` block mapping, indented like its first label."""
    if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
        raise EditRefused("has `links` written on one line; add the link by hand")
    indent = node.value[0][0].start_mark.column
    line_end = text.find("\n", _value_end(text, node.value[-1][1]))
    if line_end < 0:
        raise EditRefused("does not end with a line break")
    lines = "".join(" " * indent + _dump({label: url}) for label, url in links.items())
    return (line_end + 1, -1, FIELD_ORDER.index("links"), lines)


def _dump(fields: dict[str, Any]) -> str:
    """Fields as `entry_files.dump_entry` writes them, so a standard file stays standard."""
    text: str = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1_000_000)
    return text


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: a reader sees the old file or the new, never half."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
