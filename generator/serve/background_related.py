"""Related papers while serving: an edit shows at once, its effect on related papers follows.

Finding related papers compares every paper with every other, and any edit can change them.
`catalogue serve` must show an edited entry within seconds (issue 5), so a rebuild after an
edit uses the related papers last computed (without papers that are gone), while a
background job (`processes.LatestJob`) computes them for the edited catalogue; when it is
done, it touches a file the server watches, and that rebuild renders the pages whose related
papers changed. The worker sends back the related papers themselves (named tuples, quick to
unpickle): building them here would hold the server's interpreter lock while it serves the
next edit. A one-off build computes them in line (`Catalogue.related`).
"""

from __future__ import annotations

import functools
import shutil
import tempfile
import threading
import weakref
from collections.abc import Sequence
from pathlib import Path

from generator.enrich.related import (
    RELATED_LIMIT,
    RelatedMap,
    TagWeights,
    find_related,
    paper_key,
    paper_text,
    related_of,
    tag_weights,
)
from generator.model.kept import Kept
from generator.model.paper import Paper
from generator.model.vocabulary import Vocabulary
from generator.processes import LatestJob


class BackgroundRelated:
    """The related papers of each catalogue a `catalogue serve` session builds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: Kept[RelatedMap] | None = None
        """The last finished result, made from the papers it was computed for and the tag
        weights (from the vocabulary's kinds) it was computed with."""
        self._asked: Kept[None] | None = None
        """The papers and tag weights of the latest computation asked for."""
        self._job: LatestJob[RelatedMap] = LatestJob("related papers")
        folder = tempfile.mkdtemp(prefix="catalogue-related-")
        weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)
        self.trigger = Path(folder) / "ready"
        """Touched when a computation finishes: the server watches it and rebuilds."""
        self.trigger.touch()

    def related(self, papers: Sequence[Paper], vocabulary: Vocabulary) -> RelatedMap:
        """The related papers to render `papers` with, now."""
        # Serve keeps the `Paper` of each unchanged entry: the same objects, the same input.
        given = tuple(papers)
        weights = tag_weights(vocabulary)
        with self._lock:
            done = self._done
            if done is not None and done.made_from(given, weights):
                return done.value
            if done is None:  # the session's first build: nothing to show meanwhile
                found = find_related(papers, vocabulary)
                self._done = Kept(given, weights, found)
                return found
            ask = self._asked is None or not self._asked.made_from(given, weights)
            if ask:
                self._asked = Kept(given, weights, None)
            present = {p.slug for p in papers}
            interim = {
                p.slug: tuple(r for r in done.value.get(p.slug, ()) if r.slug in present)
                for p in papers
            }
        if ask:  # (not under the lock: the job hands results on under its own)
            texts, keys = [paper_text(p) for p in papers], [paper_key(p) for p in papers]
            on_result = functools.partial(self._finished, given, weights)
            self._job.request(on_result, related_of, texts, keys, weights, RELATED_LIMIT)
        return interim

    def start(self) -> None:
        """Start the computation the last rebuild asked for. Called once that rebuild is
        done, so that it does not compete with that rebuild for the processor."""
        self._job.start()

    def close(self) -> None:
        """Stop computing (the server is stopping)."""
        self._job.close()

    def _finished(self, papers: tuple[Paper, ...], weights: TagWeights, found: RelatedMap) -> None:
        with self._lock:
            self._done = Kept(papers, weights, found)
        self.trigger.write_text(str(len(papers)), encoding="utf-8")
