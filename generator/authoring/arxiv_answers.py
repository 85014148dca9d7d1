"""Ask arXiv politely and remember its answers.

arXiv's API terms ask for one request at a time and no more than one every three seconds.
`PoliteArxiv` keeps to that, and retries a request that failed for a passing reason (a
timeout, a busy server) after a growing wait, or after the wait the server asked for.
`AnswerStore` keeps every answer in a state file as soon as it arrives, so a run that was
interrupted (Ctrl-C, a network failure, a CI time limit) resumes where it stopped, and a dry
run followed by the real one asks arXiv once.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.authoring.arxiv_source import (
    API_URL,
    ArxivError,
    ArxivPaper,
    api_url,
    fetch_arxiv_papers,
    search_arxiv_titles,
)
from generator.authoring.state_file import read_state, write_state

ARXIV_PAUSE = 3.0
"""Seconds between two requests to the real arXiv API, as its terms of use ask."""
MAX_WAIT = 120.0
"""The longest wait before a retry; a server asking for longer is asked again on the next run."""
STATE_VERSION = 1


@dataclass(frozen=True)
class Question:
    """One request to arXiv: a paper by its id, or a title search (`title_query`)."""

    kind: Literal["id", "title"]
    text: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.text}"


@dataclass(frozen=True)
class Answer:
    """What arXiv answered to one question."""

    papers: list[ArxivPaper] = field(default_factory=list)
    refused: str | None = None
    """arXiv's lasting "no": an error entry for the query, or no paper with the id asked."""
    remembered: bool = False
    """Taken from the state file of an earlier run, not asked again."""


class AnswerStore:
    """arXiv's answers by question, kept in a JSON file for `max_age` seconds."""

    def __init__(
        self, path: Path | None, max_age: float, clock: Callable[[], float] = time.time
    ) -> None:
        self.path = path
        self.max_age = max_age
        self.clock = clock
        self._answers: dict[str, dict[str, Any]] = self._read() if path else {}

    def _read(self) -> dict[str, dict[str, Any]]:
        assert self.path is not None
        answers = read_state(self.path, STATE_VERSION, "answers")
        return answers if isinstance(answers, dict) else {}

    def get(self, question: Question) -> Answer | None:
        """The remembered answer, if there is one and it is recent enough."""
        saved = self._answers.get(question.key)
        if not isinstance(saved, dict) or not isinstance(saved.get("asked"), (int, float)):
            return None
        if self.clock() - saved["asked"] > self.max_age:
            return None
        try:
            papers = [ArxivPaper(**paper) for paper in saved.get("papers", [])]
        except TypeError:
            return None  # written by another version of this code
        refused = saved.get("refused")
        return Answer(papers, refused if isinstance(refused, str) else None, remembered=True)

    def put(self, question: Question, answer: Answer) -> None:
        """Remember `answer` and save the file at once (an interruption loses nothing)."""
        self._answers[question.key] = {
            "asked": self.clock(),
            "papers": [dataclasses.asdict(paper) for paper in answer.papers],
            "refused": answer.refused,
        }
        if self.path is None:
            return
        fresh = {
            key: value
            for key, value in self._answers.items()
            if self.clock() - value.get("asked", 0) <= self.max_age
        }
        write_state(self.path, STATE_VERSION, "answers", fresh)


class PoliteArxiv:
    """Asks arXiv one question at a time, with a pause between requests and retries."""

    def __init__(
        self,
        *,
        pause: float = ARXIV_PAUSE,
        retries: int = 3,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if pause < ARXIV_PAUSE and api_url() == API_URL:
            raise ValueError(
                f"arXiv asks for at least {ARXIV_PAUSE:g} s between requests; a shorter pause "
                "is only for a local server (CATALOGUE_ARXIV_API)"
            )
        self.pause = pause
        self.retries = retries
        self.timeout = timeout
        self.sleep = sleep
        self.clock = clock
        self.requests = 0
        self._last: float | None = None

    def ask(self, question: Question) -> Answer:
        """arXiv's answer; raises `ArxivError` when it cannot be had now (after the retries)."""
        for attempt in range(self.retries + 1):
            self._wait(self.pause)
            try:
                return self._request(question)
            except ArxivError as exc:
                if not exc.transient or attempt == self.retries:
                    raise
                wait = max(self.pause, 1.0) * 2**attempt
                if exc.retry_after is not None:
                    wait = max(wait, exc.retry_after)
                if wait > MAX_WAIT:
                    raise ArxivError(
                        f"{exc} (arXiv asks us to wait {wait:g} s; the next run continues)",
                        transient=True,
                    ) from None
                self._last = self.clock()  # a wait is counted from the failed answer
                self._wait(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _wait(self, seconds: float) -> None:
        """Sleep until `seconds` have passed since the last request started."""
        if self._last is not None:
            remaining = self._last + seconds - self.clock()
            if remaining > 0:
                self.sleep(remaining)

    def _request(self, question: Question) -> Answer:
        self._last = self.clock()
        self.requests += 1
        try:
            if question.kind == "title":
                return Answer(search_arxiv_titles(question.text, timeout=self.timeout))
            papers = fetch_arxiv_papers([question.text], timeout=self.timeout, command="enrich")
            return Answer(papers)
        except ArxivError as exc:
            if exc.transient:
                raise
            return Answer(refused=str(exc))
