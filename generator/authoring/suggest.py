"""Propose tags for a paper from its title and abstract: a starting point for a person to judge."""

from __future__ import annotations

import re

from generator.model.text import to_plain
from generator.model.vocabulary import Tag, Vocabulary


def _phrases(tag: Tag) -> list[str]:
    spellings = {tag.id, tag.name, *tag.aliases}
    return sorted({s.lower().replace("-", " ").replace("&", " ") for s in spellings})


def suggest_tags(title: str, abstract: str, vocabulary: Vocabulary, limit: int = 5) -> list[str]:
    """Tag ids whose name, id or alias appears in the text, most mentioned first."""
    words = re.sub(r"[^a-z0-9]+", " ", to_plain(f"{title} {title} {abstract}").lower())
    padded = f" {words} "
    scores: dict[str, int] = {}
    for tag in vocabulary.tags:
        hits = 0
        for phrase in _phrases(tag):
            normal = " ".join(re.sub(r"[^a-z0-9]+", " ", phrase).split())
            if normal:
                hits += padded.count(f" {normal} ") + padded.count(f" {normal}s ")
        if hits:
            scores[tag.id] = hits
    ranked = sorted(scores, key=lambda tag_id: (-scores[tag_id], tag_id))
    return ranked[:limit]
