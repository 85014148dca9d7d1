"""A stand-in for export.arxiv.org on 127.0.0.1 that answers with the recorded Atom files.

Tests start it with `serve_fake_arxiv` (the `arxiv_api` fixtures). A person can run it to try
`catalogue enrich` or `catalogue add` offline against the recordings:

    .venv/bin/python -m tests.fake_arxiv --port 8765
    CATALOGUE_ARXIV_API=http://127.0.0.1:8765/ok/api/query .venv/bin/catalogue enrich --dry-run

An `id_list` request is answered by `tests/fixtures/arxiv/<ids>.atom` (`/` becomes `-`, `,`
becomes `+`); a `search_query` request by the file of `tests/fixtures/arxiv/search/` whose feed
title repeats that query, as arXiv's answers do. Anything else gets `empty.atom`, arXiv's
answer when it has nothing. The first part of the path picks a behaviour (`ok`, `slow`,
`limited`, `html`, `custom`, `flaky`, `stalls`); see `FakeArxiv.url`.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.server
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.support import LoopbackServer

FIXTURES = Path(__file__).parent / "fixtures" / "arxiv"
_QUERY_IN_TITLE_RE = re.compile(r"<title[^>]*>arXiv Query: search_query=(.*?)&amp;id_list=", re.I)


@dataclass
class FakeArxiv:
    """The server's address, what it was asked, and the answers a test chose."""

    base: str
    requests: list[tuple[str, dict[str, list[str]], str]] = field(default_factory=list)
    """(path, query, User-Agent) of every request, in order."""
    times: list[float] = field(default_factory=list)
    """When each request arrived (`time.monotonic`)."""
    custom_body: bytes = b""
    failures_left: int = 0
    """`flaky`: how many requests still get HTTP 503 before the recorded answer."""
    retry_after: str = "1"
    answers_left: int = 0
    """`stalls`: how many requests are answered before the server stops answering in time."""

    def url(self, mode: str = "ok") -> str:
        """The API address in one mode: `ok` (the recordings), `slow` (2 s late), `limited`
        (503 "Rate exceeded."), `html` (a maintenance page), `custom` (`custom_body`), `flaky`
        (503 with `Retry-After` for the first `failures_left` requests, then the recordings),
        `stalls` (the recordings for `answers_left` requests, then 2 s late)."""
        return f"{self.base}/{mode}/api/query"


def recorded_answer(query: dict[str, list[str]]) -> bytes:
    """The recording for a request's `id_list` or `search_query`; `empty.atom` if none."""
    if "search_query" in query:
        return _searches().get(query["search_query"][0], (FIXTURES / "empty.atom").read_bytes())
    name = query.get("id_list", [""])[0].replace("/", "-").replace(",", "+")
    # A version asked for is answered by the paper's file.
    for candidate in (name, re.sub(r"v\d+(?=\+|$)", "", name)):
        if (FIXTURES / f"{candidate}.atom").is_file():
            return (FIXTURES / f"{candidate}.atom").read_bytes()
    return (FIXTURES / "empty.atom").read_bytes()


def _searches() -> dict[str, bytes]:
    answers = {}
    for path in sorted((FIXTURES / "search").glob("*.atom")):
        body = path.read_bytes()
        found = _QUERY_IN_TITLE_RE.search(body.decode("utf-8"))
        assert found, f"{path.name}: its feed title does not repeat the search query"
        answers[html.unescape(found.group(1))] = body
    return answers


def _handler(api: FakeArxiv) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            api.times.append(time.monotonic())
            api.requests.append((url.path, query, self.headers.get("User-Agent", "")))
            mode = url.path.split("/")[1]
            status, body, kind = 200, b"", "application/atom+xml; charset=utf-8"
            headers = {}
            if mode == "ok":
                body = recorded_answer(query)
            elif mode == "custom":
                body = api.custom_body
            elif mode == "slow":
                time.sleep(2)
                body = recorded_answer(query)
            elif mode == "limited":
                status, body, kind = 503, b"Rate exceeded.", "text/plain"
            elif mode == "html":
                body, kind = b"<html><body><h1>Maintenance</h1></body></html>", "text/html"
            elif mode == "flaky" and api.failures_left > 0:
                api.failures_left -= 1
                status, body, kind = 503, b"Rate exceeded.", "text/plain"
                headers["Retry-After"] = api.retry_after
            elif mode == "flaky":
                body = recorded_answer(query)
            elif mode == "stalls":
                api.answers_left -= 1
                if api.answers_left < 0:
                    time.sleep(2)
                body = recorded_answer(query)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            # The client may have given up waiting (the timeout tests).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    return Handler


@contextlib.contextmanager
def serve_fake_arxiv(port: int = 0) -> Iterator[FakeArxiv]:
    """The fake API on a loopback port (a free one by default), stopped on leaving."""
    server = LoopbackServer(("127.0.0.1", port), http.server.BaseHTTPRequestHandler)
    server.daemon_threads = True
    api = FakeArxiv(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    port = parser.parse_args().port
    with serve_fake_arxiv(port) as api:
        print(f"Recorded arXiv answers at {api.url()} (Ctrl-C stops)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
