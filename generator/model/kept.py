"""What `catalogue serve` reuses from one rebuild to the next, and the one rule for when.

An edit changes one entry file, and serve keeps the `Paper` of every unchanged entry (and the
parsed document of every unchanged file): a value made from unchanged entries was made from
the very same objects. So a kept value records the objects it was made from, compared by
identity (cheap, and an edited entry is always a new object), and its other inputs, compared
by equality; it is reused only when both match. Every cache of a serve session (parsed files,
checked entries, the catalogue, citations, list entries, pages, exports, related papers) uses
this record, so the rule is written once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K")
T = TypeVar("T")


def same_objects(one: Sequence[object], other: Sequence[object]) -> bool:
    """The same objects, in the same order (compared by identity, not by value)."""
    return len(one) == len(other) and all(a is b for a, b in zip(one, other, strict=True))


@dataclass(frozen=True, slots=True)
class Kept(Generic[T]):
    """A value and what it was made from."""

    objects: tuple[object, ...]
    """Made from these very objects (`Paper`s, parsed documents), compared by identity."""
    inputs: object
    """And from these other inputs, compared by equality."""
    value: T

    def made_from(self, objects: Sequence[object], inputs: object) -> bool:
        """Whether the value was made from these `objects` (the same ones) and `inputs`."""
        return self.inputs == inputs and same_objects(self.objects, objects)


class KeptValues(Generic[K, T]):
    """Kept values by key (an entry file, a slug, a page): each reused while it was made from
    the same objects and inputs, made again (and kept) otherwise."""

    def __init__(self) -> None:
        self._kept: dict[K, Kept[T]] = {}

    def __len__(self) -> int:
        return len(self._kept)

    def __iter__(self) -> Iterator[K]:
        return iter(self._kept)

    def last(self, key: K) -> Kept[T] | None:
        """What was kept under `key`, whatever it was made from."""
        return self._kept.get(key)

    def get(self, key: K, objects: Sequence[object], inputs: object) -> Kept[T] | None:
        """What was kept under `key`, if it was made from these `objects` and `inputs`."""
        kept = self._kept.get(key)
        return kept if kept is not None and kept.made_from(objects, inputs) else None

    def keep(self, key: K, objects: Sequence[object], inputs: object, value: T) -> T:
        """Keep `value` under `key`, made from `objects` and `inputs`; return it."""
        self._kept[key] = Kept(tuple(objects), inputs, value)
        return value

    def reuse(self, key: K, objects: Sequence[object], inputs: object, make: Callable[[], T]) -> T:
        """The value kept under `key` if made from these `objects` and `inputs`; else
        `make()`, kept under `key` for next time."""
        kept = self.get(key, objects, inputs)
        if kept is not None:
            return kept.value
        return self.keep(key, objects, inputs, make())

    def keep_only(self, keys: Iterable[K]) -> None:
        """Forget every value whose key is not in `keys` (a deleted entry's, a gone page's)."""
        wanted = set(keys)
        for key in [key for key in self._kept if key not in wanted]:
            del self._kept[key]

    def forget(self, key: K) -> None:
        self._kept.pop(key, None)

    def clear(self) -> None:
        self._kept.clear()
