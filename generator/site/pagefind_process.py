"""Pagefind's indexer as a process of its own, given pages from memory.

Pagefind's own Python client (`pagefind.service`) reads one answer from the indexer per tenth
of a second, so adding pages one by one costs a tenth of a second each; the build therefore
wrote each bundle's pages into a temporary folder for `add_directory`, and creating and then
deleting thousands of small files was slower than indexing them. This client speaks the same
protocol (`pagefind --service`: base64-encoded JSON messages, each followed by a comma) but
sends every page without waiting and reads the answers on a thread as they come, so nothing
is written to disk but the index.

Pagefind numbers pages in the order they are added (its `add_directory` takes the folder's
order on disk), so callers add them in a fixed order.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from mkdocs.exceptions import PluginError
from pagefind.service import get_executable

CLOSED = -1
"""Where the reader files the end of Pagefind's output (the process has stopped)."""


class PagefindProcess:
    """One Pagefind indexer with one index: `add` pages, then `write` the index."""

    def __init__(self, config: dict[str, Any]) -> None:
        executable = get_executable()
        if executable is None:
            raise FileNotFoundError("no Pagefind executable")
        # Pagefind's messages go to a file, read only to explain a failure: on the pipe of
        # answers they would break the protocol, and unread they could fill a pipe.
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by `close`)
        self._process = subprocess.Popen(
            [str(executable), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
        )
        self._sent = 0
        self._pending: list[int] = []
        self._answers: dict[int, dict[str, Any]] = {}
        self._arrived = threading.Condition()
        # Answers are read as they come: the indexer stops reading pages when the pipe of
        # answers is full, and this process would then wait for ever to send the next page.
        self._reader = threading.Thread(target=self._read, daemon=True, name="pagefind answers")
        self._reader.start()
        answer = self._ask({"type": "NewIndex", "config": config})
        self._index_id = int(answer["index_id"])

    def add(self, path: str, html: bytes) -> None:
        """Add the page at `path` in the site (its address is made from that path)."""
        self._pending.append(
            self._send(
                {
                    "type": "AddFile",
                    "index_id": self._index_id,
                    "file_path": path,
                    "url": None,
                    "file_contents": html.decode("utf-8", "replace"),
                }
            )
        )

    def write(self, output: Path) -> int:
        """Write the index of the pages added into `output`; return how many were indexed."""
        pending, self._pending = self._pending, []
        for message in pending:
            self._answer(message, "IndexedFile")
        self._ask({"type": "WriteFiles", "index_id": self._index_id, "output_path": str(output)})
        return len(pending)

    def close(self) -> None:
        """Stop the indexer (end of its input) and wait for it."""
        if self._process.stdin is not None and not self._process.stdin.closed:
            with contextlib.suppress(OSError):  # it has stopped already
                self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=5)
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._errors.close()

    def stop(self) -> None:
        """Stop the indexer now, its index unwritten."""
        self._process.kill()
        self.close()

    def __enter__(self) -> PagefindProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is not None:
            self.stop()
        else:
            self.close()

    def _ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        return self._answer(self._send(payload), payload["type"])

    def _send(self, payload: dict[str, Any]) -> int:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode()
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(base64.b64encode(message) + b",")
        except BrokenPipeError:
            self._fail("stopped while reading pages")
        return self._sent

    def _answer(self, message: int, expected: str) -> dict[str, Any]:
        """Wait for the answer to `message`, which must be of the type `expected`."""
        assert self._process.stdin is not None
        try:
            self._process.stdin.flush()
        except BrokenPipeError:
            self._fail("stopped while reading pages")
        with self._arrived:
            while message not in self._answers and CLOSED not in self._answers:
                self._arrived.wait()
            answer = self._answers.pop(message, None)
        if answer is None:
            self._fail("stopped before it answered")
        assert answer is not None
        if answer.get("type") != expected:
            self._fail(f"answered {answer.get('message') or answer.get('type')!r}")
        return answer

    def _read(self) -> None:
        assert self._process.stdout is not None
        stream, buffered = self._process.stdout.fileno(), b""
        while chunk := os.read(stream, 1 << 16):
            buffered += chunk
            *messages, buffered = buffered.split(b",")
            for message in messages:
                answer = json.loads(base64.b64decode(message))
                with self._arrived:
                    self._answers[answer.get("message_id") or 0] = answer["payload"]
                    self._arrived.notify_all()
        with self._arrived:
            self._answers[CLOSED] = {}
            self._arrived.notify_all()

    def _fail(self, what: str) -> None:
        self._process.kill()
        self._process.wait()
        self._errors.seek(0)
        said = self._errors.read().decode("utf-8", "replace").strip()[-2000:]
        raise PluginError(f"search index: Pagefind {what}" + (f":\n{said}" if said else ""))
