"""`catalogue check-links` against real HTTP(S) servers on 127.0.0.1, never the network.

Entries may not link to 127.0.0.1 (`catalogue check` refuses links to a reader's own machine or
network, and check-links leaves such links to it), so each local server is linked to under a
name of the reserved `.example` domain (RFC 2606: never a real host), which a test resolver
answers with 127.0.0.1: what a public-looking name whose DNS points at a private address looks
like to check-links. `--allow-private-addresses` lets it ask them anyway.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner, Result

from generator.authoring.entry_edit import read_entry_files
from generator.authoring.entry_files import dump_entry
from generator.authoring.link_check import LinkCache, LinkResult, LinkUse, links_of_entries
from generator.cli import main
from tests.support import LoopbackServer

TLS = Path(__file__).parent / "fixtures" / "tls"
FAST = ["--timeout", "0.5", "--retries", "1", "--allow-private-addresses"]
TEST_DOMAIN = ".example"
_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture(autouse=True)
def _test_names_resolve_to_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Looking up `<name>.example` gives 127.0.0.1, for check-links and for urllib3 alike."""

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if isinstance(host, str) and host.lower().rstrip(".").endswith(TEST_DOMAIN):
            host = "127.0.0.1"
        return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@dataclass
class LinkServer:
    """What the local server was asked, and how many requests it was serving at most at once."""

    base: str
    asked: Counter[str] = field(default_factory=Counter)
    methods: list[tuple[str, str]] = field(default_factory=list)
    agents: set[str] = field(default_factory=set)
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _handler(server: LinkServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def do_GET(self) -> None:
            self._answer(body=True)

        def _answer(self, body: bool) -> None:
            path = urlsplit(self.path).path
            with server.lock:
                server.asked[path] += 1
                server.methods.append((self.command, path))
                server.agents.add(self.headers.get("User-Agent", ""))
                server.in_flight += 1
                server.most_in_flight = max(server.most_in_flight, server.in_flight)
                count = server.asked[path]
            try:
                status, headers = self._route(path, count)
            finally:
                # Counted out before answering: the client cannot start its next request on
                # this connection's slot before that.
                with server.lock:
                    server.in_flight -= 1
            payload = b"x" * 2000 if body and status == 200 else b""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(payload)

        def _route(self, path: str, count: int) -> tuple[int, dict[str, str]]:
            if path.startswith("/ok") or path == "/new-home":
                if path.startswith("/ok-slowish"):
                    time.sleep(0.15)
                return 200, {}
            if path == "/moved":
                return 301, {"Location": "/new-home"}
            if path == "/moved-twice":
                return 308, {"Location": f"{server.base}/moved"}
            if path == "/temporary":
                return 302, {"Location": "/ok"}
            if path == "/gone":
                return 404, {}
            if path == "/removed":
                return 410, {}
            if path == "/loop":
                return 302, {"Location": "/loop"}
            if path == "/busy-once":
                return (429, {"Retry-After": "1"}) if count == 1 else (200, {})
            if path == "/always-busy":
                return 503, {"Retry-After": "1"}
            if path == "/slow":
                time.sleep(1.5)
                return 200, {}
            if path == "/no-head":
                return (405, {}) if self.command == "HEAD" else (200, {})
            if path == "/forbidden":
                return 403, {}
            if path == "/ftp":
                return 301, {"Location": "ftp://example.org/file"}
            return 404, {}

    return Handler


@contextlib.contextmanager
def serve(tls: ssl.SSLContext | None = None, name: str = "site.example") -> Iterator[LinkServer]:
    """A server on 127.0.0.1, linked to as `name` (which the test resolver sends there)."""
    httpd = LoopbackServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    httpd.daemon_threads = True
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    scheme = "https" if tls else "http"
    server = LinkServer(f"{scheme}://{name}:{httpd.server_address[1]}")
    httpd.RequestHandlerClass = _handler(server)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def links() -> Iterator[LinkServer]:
    with serve() as server:
        yield server


def catalogue_with_links(root: Path, entries: dict[str, dict[str, str]], arxiv: str = "") -> Path:
    """A catalogue of one entry per slug, each with the given `links` (label -> address)."""
    (root / "papers").mkdir(parents=True)
    for slug, entry_links in entries.items():
        fields: dict[str, object] = {
            "title": f"A paper called {slug}",
            "tags": ["llm"],
            "links": entry_links,
            "abstract": "An abstract.",
        }
        if arxiv:
            fields["arxiv"] = arxiv
        (root / "papers" / f"{slug}.yaml").write_text(dump_entry(fields), encoding="utf-8")
    return root


def run_check_links(root: Path, *args: str, github: bool = False) -> Result:
    env = {"GITHUB_ACTIONS": "true" if github else ""}
    return CliRunner().invoke(main, ["check-links", "--root", str(root), *args], env=env)


# --- what the command reports ------------------------------------------------------------


def test_dead_moved_and_working_links_are_told_apart(links: LinkServer, tmp_path: Path) -> None:
    root = catalogue_with_links(
        tmp_path,
        {
            "alpha": {
                "code": links.url("/ok"),
                "project": links.url("/moved"),
                "pdf": links.url("/gone"),
            },
            "beta": {"data": links.url("/removed"), "blog": links.url("/temporary")},
        },
    )

    result = run_check_links(root, *FAST)

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    # Each problem names the file, the line of the link and its label, as `catalogue check` does.
    assert (
        f"papers/alpha.yaml:8: links.pdf: {links.url('/gone')} answers HTTP 404 Not Found; find "
        "where it moved, or remove the link"
    ) in lines
    assert (
        f"papers/beta.yaml:6: links.data: {links.url('/removed')} answers HTTP 410 Gone; find "
        "where it moved, or remove the link"
    ) in lines
    # A permanent redirect comes with the address to write instead; a temporary one is fine.
    assert (
        f"papers/alpha.yaml:7: links.project: {links.url('/moved')} has moved permanently "
        f"(HTTP 301) to {links.url('/new-home')}; write the new address"
    ) in lines
    assert not any("/temporary" in line or "/ok" in line for line in lines)
    assert (
        lines[-1] == "5 links checked (0 from the cache): 2 dead, 1 moved, 0 not checked this time."
    )
    assert links.agents == {"paper-catalogue link check (+https://github.com/paper-catalogue)"}


def test_only_moved_links_do_not_fail_the_run(links: LinkServer, tmp_path: Path) -> None:
    root = catalogue_with_links(tmp_path, {"alpha": {"project": links.url("/moved-twice")}})

    result = run_check_links(root, *FAST)

    assert result.exit_code == 0, result.output
    # Two permanent redirects in a row: the suggestion is where they end.
    assert f"to {links.url('/new-home')}; write the new address" in result.stderr


def test_under_github_actions_dead_links_are_errors_and_moved_ones_warnings(
    links: LinkServer, tmp_path: Path
) -> None:
    root = catalogue_with_links(
        tmp_path, {"alpha": {"code": links.url("/gone"), "project": links.url("/moved")}}
    )

    result = run_check_links(root, *FAST, github=True)

    assert result.exit_code == 1
    annotations = result.stdout.splitlines()
    assert annotations == [
        "::error file=papers/alpha.yaml,line=6,title=catalogue check-links%3A links.code::"
        f"links.code: {links.url('/gone')} answers HTTP 404 Not Found; find where it moved, or "
        "remove the link",
        "::warning file=papers/alpha.yaml,line=7,title=catalogue check-links%3A links.project::"
        f"links.project: {links.url('/moved')} has moved permanently (HTTP 301) to "
        f"{links.url('/new-home')}; write the new address",
    ]


def test_a_busy_server_is_asked_again_after_its_retry_after(
    links: LinkServer, tmp_path: Path
) -> None:
    root = catalogue_with_links(tmp_path, {"alpha": {"code": links.url("/busy-once")}})

    started = time.monotonic()
    result = run_check_links(root, *FAST)

    assert result.exit_code == 0, result.output
    assert links.asked["/busy-once"] == 2
    assert time.monotonic() - started >= 1.0  # it waited as the server asked
    assert "0 dead, 0 moved, 0 not checked" in result.stderr


def test_slow_and_always_busy_servers_are_not_checked_rather_than_dead(
    links: LinkServer, tmp_path: Path
) -> None:
    root = catalogue_with_links(
        tmp_path,
        {"alpha": {"code": links.url("/slow"), "data": links.url("/always-busy")}},
    )

    result = run_check_links(root, *FAST)

    assert result.exit_code == 0, result.output
    assert (
        f"papers/alpha.yaml:6: links.code: {links.url('/slow')} could not be checked: did not "
        "answer within 0.5 s (2 tries)"
    ) in result.stderr
    assert (
        f"papers/alpha.yaml:7: links.data: {links.url('/always-busy')} could not be checked: "
        "answers HTTP 503 Service Unavailable (2 tries)"
    ) in result.stderr
    assert links.asked["/always-busy"] == 2  # once, then again after its Retry-After


def test_head_refused_is_confirmed_with_get(links: LinkServer, tmp_path: Path) -> None:
    root = catalogue_with_links(
        tmp_path, {"alpha": {"code": links.url("/no-head"), "data": links.url("/forbidden")}}
    )

    result = run_check_links(root, *FAST)

    assert result.exit_code == 0, result.output
    assert ("HEAD", "/no-head") in links.methods and ("GET", "/no-head") in links.methods
    assert "/no-head" not in result.stderr
    # A server that refuses robots is not called dead: a person can look.
    assert "could not be checked: answers HTTP 403 Forbidden" in result.stderr


def test_redirect_loops_and_non_web_targets_are_dead(links: LinkServer, tmp_path: Path) -> None:
    root = catalogue_with_links(
        tmp_path, {"alpha": {"code": links.url("/loop"), "data": links.url("/ftp")}}
    )

    result = run_check_links(root, *FAST)

    assert result.exit_code == 1
    assert "redirects more than 10 times (a loop?)" in result.stderr
    assert "redirects to 'ftp://example.org/file', which is not a web address" in result.stderr


def test_an_untrusted_certificate_and_plain_http_on_https_are_dead(tmp_path: Path) -> None:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(TLS / "self-signed.crt", TLS / "self-signed.key")
    with serve(tls, "secure.example") as secure, serve(name="plain.example") as plain:
        https_on_plain = plain.url("/ok").replace("http://", "https://")
        root = catalogue_with_links(
            tmp_path, {"alpha": {"code": secure.url("/ok"), "data": https_on_plain}}
        )

        result = run_check_links(root, *FAST)

    assert result.exit_code == 1
    assert (
        f"links.code: {secure.url('/ok')} its secure connection fails (its certificate is not "
        "trusted)"
    ) in result.stderr
    assert (
        f"links.data: {https_on_plain} its secure connection fails (the server does not speak "
        "TLS on this address)"
    ) in result.stderr


def test_links_to_the_runners_own_network_are_not_followed(
    links: LinkServer, tmp_path: Path
) -> None:
    # A public-looking name whose lookup gives a loopback address: entry validation cannot see
    # that, check-links looks the name up before asking.
    root = catalogue_with_links(tmp_path, {"alpha": {"code": links.url("/ok")}})

    result = run_check_links(root, "--timeout", "0.5")  # no --allow-private-addresses

    assert result.exit_code == 1
    assert (
        f"papers/alpha.yaml:6: links.code: {links.url('/ok')} points to a private or local "
        "address (127.0.0.1); readers cannot reach it; find where it moved, or remove the link"
    ) in result.stderr.splitlines()
    assert sum(links.asked.values()) == 0  # never asked


def test_links_the_entry_check_refuses_are_left_to_it(links: LinkServer, tmp_path: Path) -> None:
    # Written as 127.0.0.1 or localhost, a link is refused by `catalogue check` (which names
    # the file and line); check-links does not ask for it, not even with
    # --allow-private-addresses.
    port = urlsplit(links.base).port
    root = catalogue_with_links(
        tmp_path,
        {
            "alpha": {
                "code": f"http://127.0.0.1:{port}/ok",
                "data": f"http://localhost:{port}/ok",
                "pdf": links.url("/ok"),
            }
        },
    )

    result = run_check_links(root, *FAST)

    assert result.exit_code == 0, result.output
    assert links.asked == Counter({"/ok": 1})  # only the one under a public-looking name
    assert "1 links checked (0 from the cache)" in result.stderr
    tags = "tags:\n  - id: llm\n    name: LLMs\n    kind: modality\n    description: Text models.\n"
    (root / "tags.yaml").write_text(tags, encoding="utf-8")
    check = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert check.exit_code == 1
    assert f"papers/alpha.yaml:6: links.code: 'http://127.0.0.1:{port}/ok' points at " in (
        check.output
    )
    assert f"papers/alpha.yaml:7: links.data: 'http://localhost:{port}/ok' has a host " in (
        check.output
    )


def test_a_host_that_does_not_exist_is_dead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The build machine has no DNS: the resolver's "no such name" answer is played back.
    def no_such_name(host: str, *args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    root = catalogue_with_links(tmp_path, {"alpha": {"code": "https://gone.example.invalid/x"}})

    result = run_check_links(root, "--timeout", "0.5")

    assert result.exit_code == 1
    assert "https://gone.example.invalid/x host 'gone.example.invalid' not found" in result.stderr


# --- politeness: bounded concurrency and the cache ---------------------------------------


def test_no_more_than_per_host_requests_at_once(links: LinkServer, tmp_path: Path) -> None:
    root = catalogue_with_links(
        tmp_path,
        {f"paper-{n}": {"code": links.url(f"/ok-slowish-{n}")} for n in range(10)},
    )

    result = run_check_links(root, *FAST, "--per-host", "2", "--workers", "8")

    assert result.exit_code == 0, result.output
    assert sum(links.asked.values()) == 10
    # Eight workers, one host: never more than two at a time, and the two were used.
    assert links.most_in_flight == 2


def test_working_links_are_cached_and_failures_asked_again(
    links: LinkServer, tmp_path: Path
) -> None:
    root = catalogue_with_links(
        tmp_path, {"alpha": {"code": links.url("/ok"), "pdf": links.url("/gone")}}
    )
    assert run_check_links(root, *FAST).exit_code == 1
    assert links.asked == Counter({"/ok": 1, "/gone": 2})  # HEAD, then GET to confirm

    again = run_check_links(root, *FAST)

    assert again.exit_code == 1
    assert links.asked == Counter({"/ok": 1, "/gone": 4})
    assert "2 links checked (1 from the cache)" in again.stderr
    cache = json.loads((root / ".cache" / "check-links.json").read_text(encoding="utf-8"))
    assert [item["url"] for item in cache["results"]] == [links.url("/ok")]

    # --cache-days 0: nothing is taken from the cache.
    fresh = run_check_links(root, *FAST, "--cache-days", "0")
    assert links.asked["/ok"] == 2
    assert "(0 from the cache)" in fresh.stderr


def test_cached_results_expire(tmp_path: Path) -> None:
    now = [1000.0]
    cache = LinkCache(tmp_path / "cache.json", max_age=60, clock=lambda: now[0])
    cache.put(LinkResult("https://example.org/a", "ok", "HTTP 200", checked_at=990.0))
    cache.put(LinkResult("https://example.org/b", "dead", "HTTP 404", checked_at=990.0))
    cache.save()
    reread = LinkCache(tmp_path / "cache.json", max_age=60, clock=lambda: now[0])
    assert reread.get("https://example.org/a") is not None
    assert reread.get("https://example.org/b") is None  # failures are never kept
    now[0] = 1051.0
    assert reread.get("https://example.org/a") is None


def test_a_broken_cache_file_is_ignored(links: LinkServer, tmp_path: Path) -> None:
    root = catalogue_with_links(tmp_path, {"alpha": {"code": links.url("/ok")}})
    (root / ".cache").mkdir()
    (root / ".cache" / "check-links.json").write_text("{not json", encoding="utf-8")

    result = run_check_links(root, *FAST)

    assert result.exit_code == 0, result.output
    assert links.asked["/ok"] == 1


# --- which links -------------------------------------------------------------------------


def test_the_arxiv_button_is_checked_unless_links_replace_it(tmp_path: Path) -> None:
    root = catalogue_with_links(
        tmp_path / "one", {"alpha": {"code": "https://github.com/a/b"}}, arxiv="2306.14048"
    )
    uses = links_of_entries(read_entry_files(root / "papers", root))
    assert uses == [
        LinkUse("https://arxiv.org/abs/2306.14048", "papers/alpha.yaml", 3, "arxiv"),
        LinkUse("https://github.com/a/b", "papers/alpha.yaml", 7, "links.code"),
    ]
    other = catalogue_with_links(
        tmp_path / "two", {"alpha": {"arxiv": "https://arxiv.org/abs/2306.14048v2"}}, "2306.14048"
    )
    uses = links_of_entries(read_entry_files(other / "papers", other))
    assert [use.url for use in uses] == ["https://arxiv.org/abs/2306.14048v2"]


def test_only_the_given_files_are_checked(links: LinkServer, tmp_path: Path) -> None:
    root = catalogue_with_links(
        tmp_path, {"alpha": {"code": links.url("/ok")}, "beta": {"code": links.url("/gone")}}
    )

    result = run_check_links(root, *FAST, str(root / "papers" / "alpha.yaml"))

    assert result.exit_code == 0, result.output
    assert "/gone" not in links.asked


def test_the_report_lists_dead_links_as_code(links: LinkServer, tmp_path: Path) -> None:
    root = catalogue_with_links(tmp_path, {"alpha": {"code": links.url("/gone")}})

    run_check_links(root, *FAST, "--report", str(tmp_path / "issue.md"))

    text = (tmp_path / "issue.md").read_text(encoding="utf-8")
    assert "## Dead links (1)" in text
    assert (
        f"- `papers/alpha.yaml:6` `links.code`: `{links.url('/gone')} answers HTTP 404 Not "
        "Found; find where it moved, or remove the link`"
    ) in text
