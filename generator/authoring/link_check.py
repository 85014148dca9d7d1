"""`catalogue check-links`: is every address a paper's page links to still there?

Checked: every label of an entry's `links`, and the arXiv abstract page made from its `arxiv`
id (the page's arXiv button) unless `links.arxiv` replaces it. The PDF button is made from the
same id, so asking arXiv for it too would double the requests for nothing new.

Each address is asked for over HTTP with urllib3: HEAD first, then GET when a server refuses
HEAD; redirects followed one by one (a permanent one, 301 or 308, is reported with the new
address to write); a timeout; a few retries after a growing wait, or after the wait a server
asks for with `Retry-After`; at most `per_host` connections to one host at a time (urllib3's
blocking pool per host). An address whose host is on a private or loopback network is not
asked for: an entry must not make CI's runner probe its own network. (The name is resolved
again when connecting; a host that answers differently the second time is out of reach here.)

Answers that were fine are kept in a cache file for `max_age` seconds, so a weekly run does
not ask every host every week; a failure is always asked again.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import time
import urllib.parse
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Literal

import urllib3
from pydantic import TypeAdapter, ValidationError

from generator.authoring.entry_edit import EntryFile
from generator.authoring.state_file import read_state, write_state
from generator.model.entry import Url
from generator.model.problems import Problem
from generator.progress import command_progress
from generator.render.links import arxiv_abs_url

USER_AGENT = "paper-catalogue link check (+https://github.com/paper-catalogue)"
MAX_REDIRECTS = 10
REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}
GONE = {404, 410}
"""The answers that say for certain a page is gone; other failures may pass."""
RETRYABLE = {429, 500, 502, 503, 504}
CACHE_VERSION = 1
_NOT_FOUND = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}
"""Name lookup answers that say the host does not exist (others may pass)."""

Verdict = Literal["ok", "moved", "dead", "unchecked"]
_URL: TypeAdapter[str] = TypeAdapter(Url)


@dataclass(frozen=True)
class LinkUse:
    """One link of one entry: where it is written, and what the page shows it as."""

    url: str
    path: str
    line: int
    field: str
    """`links.code`, or `arxiv` for the abstract page made from the id."""


@dataclass(frozen=True)
class LinkResult:
    """What asking for one address gave."""

    url: str
    verdict: Verdict
    detail: str
    """What happened, for a person: `answers HTTP 404 Not Found`, `did not answer in time`."""
    moved_to: str | None = None
    checked_at: float = 0.0


@dataclass
class LinkReport:
    """The problems of one run by kind, for the terminal, annotations and the issue."""

    dead: list[Problem] = field(default_factory=list)
    moved: list[Problem] = field(default_factory=list)
    unchecked: list[Problem] = field(default_factory=list)
    checked: int = 0
    cached: int = 0


def links_of_entries(entries: Iterable[EntryFile]) -> list[LinkUse]:
    """Every link the entries' pages show, in file order; malformed ones are left to `check`."""
    uses = []
    for entry in entries:
        links = entry.data.get("links")
        links = links if isinstance(links, dict) else {}
        arxiv = entry.data.get("arxiv")
        if isinstance(arxiv, str) and arxiv.strip() and "arxiv" not in links:
            uses.append(
                LinkUse(arxiv_abs_url(arxiv.strip()), entry.shown, _line(entry, "arxiv"), "arxiv")
            )
        for label, url in links.items():
            if isinstance(url, str) and _valid(url):
                line = entry.document.line_of(("links", label))
                uses.append(LinkUse(url.strip(), entry.shown, line, f"links.{label}"))
    return uses


def _line(entry: EntryFile, name: str) -> int:
    return entry.document.line_of((name,))


def _valid(url: str) -> bool:
    try:
        _URL.validate_python(url)
    except ValidationError:
        return False
    return True


class LinkCache:
    """Results that were fine, by address, kept in a JSON file for `max_age` seconds."""

    def __init__(
        self, path: Path | None, max_age: float, clock: Callable[[], float] = time.time
    ) -> None:
        self.path = path
        self.max_age = max_age
        self.clock = clock
        self._results: dict[str, LinkResult] = self._read()

    def _read(self) -> dict[str, LinkResult]:
        if self.path is None:
            return {}
        kept = read_state(self.path, CACHE_VERSION, "results")
        try:
            results = (LinkResult(**item) for item in kept)
            return {result.url: result for result in results if result.verdict in ("ok", "moved")}
        except TypeError:
            return {}  # no cache yet, or a broken one: ask again

    def get(self, url: str) -> LinkResult | None:
        result = self._results.get(url)
        if result is None or self.clock() - result.checked_at > self.max_age:
            return None
        return result

    def put(self, result: LinkResult) -> None:
        if result.verdict in ("ok", "moved"):
            self._results[result.url] = result
        else:
            self._results.pop(result.url, None)

    def save(self) -> None:
        """Write the fresh results (older ones are dropped) in one step."""
        if self.path is None:
            return
        now = self.clock()
        fresh = [asdict(r) for r in self._results.values() if now - r.checked_at <= self.max_age]
        write_state(self.path, CACHE_VERSION, "results", fresh)


class _Transient(Exception):
    """A failure that may pass: asked again after a wait."""

    def __init__(self, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after


class _Dead(Exception):
    """A failure that will not pass by asking again."""


class LinkChecker:
    """Asks for addresses over HTTP, politely; see the module's docstring for the rules."""

    def __init__(
        self,
        *,
        workers: int = 8,
        per_host: int = 2,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 2.0,
        max_wait: float = 60.0,
        allow_private: bool = False,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.workers = workers
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.allow_private = allow_private
        self.sleep = sleep
        self.pool = urllib3.PoolManager(
            num_pools=max(64, workers * 2),
            maxsize=per_host,
            block=True,  # a thread waits for one of the host's `per_host` connections
            headers={"User-Agent": USER_AGENT, "Accept": "*/*"},
        )

    def check_all(self, urls: list[str], done: Callable[[LinkResult], None]) -> None:
        """Check every address, `workers` at a time; `done` is called as each one finishes."""
        with ThreadPoolExecutor(max_workers=self.workers) as executor:
            futures = [executor.submit(self.check, url) for url in urls]
            for future in as_completed(futures):
                done(future.result())

    def check(self, url: str) -> LinkResult:
        """The verdict on one address, after the retries a passing failure deserves."""
        for attempt in range(self.retries + 1):
            try:
                return self._verdict(url)
            except _Dead as exc:
                return LinkResult(url, "dead", str(exc), checked_at=time.time())
            except _Transient as exc:
                wait = self.backoff * 2**attempt
                if exc.retry_after is not None:
                    wait = max(wait, exc.retry_after)
                if attempt == self.retries or wait > self.max_wait:
                    tries = f"{attempt + 1} tr{'y' if attempt == 0 else 'ies'}"
                    detail = f"{exc.detail} ({tries})"
                    return LinkResult(url, "unchecked", detail, checked_at=time.time())
                self.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns")

    def _verdict(self, url: str) -> LinkResult:
        status, chain, retry_after = self._follow(url, "HEAD")
        if status >= 400 and status not in RETRYABLE:
            # Many servers answer HEAD wrongly (405, 403, even 404): GET decides.
            status, chain, retry_after = self._follow(url, "GET")
        answer = f"answers HTTP {status} {_reason(status)}".rstrip()
        if status in RETRYABLE:
            raise _Transient(answer, retry_after)
        if status in GONE:
            raise _Dead(answer)
        if not 200 <= status < 300:
            return LinkResult(url, "unchecked", answer, checked_at=time.time())
        moved_to = _permanent_target(chain)
        if moved_to and moved_to != url:
            return LinkResult(url, "moved", f"HTTP {chain[0][0]}", moved_to, time.time())
        return LinkResult(url, "ok", f"HTTP {status}", checked_at=time.time())

    def _follow(self, url: str, method: str) -> tuple[int, list[tuple[int, str]], float | None]:
        """(final status, [(redirect status, next address)...], the final Retry-After)."""
        chain: list[tuple[int, str]] = []
        for _ in range(MAX_REDIRECTS + 1):
            status, location, retry_after = self._ask(url, method)
            if status not in REDIRECTS or not location:
                return status, chain, retry_after
            following = urllib.parse.urljoin(url, location)
            if urllib.parse.urlsplit(following).scheme not in ("http", "https"):
                raise _Dead(f"redirects to {following[:100]!r}, which is not a web address")
            chain.append((status, following))
            url = following
        raise _Dead(f"redirects more than {MAX_REDIRECTS} times (a loop?)")

    def _ask(self, url: str, method: str) -> tuple[int, str | None, float | None]:
        """One request: (status, Location, Retry-After in seconds); raises `_Dead`/`_Transient`."""
        self._refuse_private(url)
        try:
            response = self.pool.request(
                method, url, redirect=False, retries=False, preload_content=False,
                timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout),
            )  # fmt: skip
        except urllib3.exceptions.NameResolutionError:
            raise _Dead(f"host {_host(url)!r} not found") from None
        except urllib3.exceptions.SSLError as exc:
            raise _Dead(f"its secure connection fails ({_ssl_reason(exc)})") from None
        except urllib3.exceptions.NewConnectionError:
            # Before TimeoutError: urllib3 makes it a kind of ConnectTimeoutError.
            raise _Transient("refused the connection") from None
        except urllib3.exceptions.TimeoutError:
            raise _Transient(f"did not answer within {self.timeout:g} s") from None
        except urllib3.exceptions.LocationValueError as exc:
            raise _Dead(f"is not a usable address ({exc})") from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise _Transient(f"connection failed ({exc.__class__.__name__})") from None
        try:
            return response.status, response.headers.get("Location"), _seconds(response)
        finally:
            # The body is never read: closing drops the connection, and the pool gets its slot
            # back, so a large PDF is not downloaded to learn that it exists.
            response.close()
            response.release_conn()

    def _refuse_private(self, url: str) -> None:
        if self.allow_private:
            return
        host = _host(url)
        try:
            infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            if exc.errno in _NOT_FOUND:
                raise _Dead(f"host {host!r} not found") from None
            raise _Transient(f"host {host!r} could not be looked up ({exc.strerror})") from None
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            if not address.is_global:
                raise _Dead(
                    f"points to a private or local address ({address}); readers cannot reach it"
                )


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).hostname or ""


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _ssl_reason(exc: Exception) -> str:
    text = str(exc)
    for known in ("CERTIFICATE_VERIFY_FAILED", "WRONG_VERSION_NUMBER", "certificate has expired"):
        if known in text:
            return {
                "CERTIFICATE_VERIFY_FAILED": "its certificate is not trusted",
                "WRONG_VERSION_NUMBER": "the server does not speak TLS on this address",
                "certificate has expired": "its certificate has expired",
            }[known]
    return text[:120]


def _seconds(response: urllib3.BaseHTTPResponse) -> float | None:
    """The `Retry-After` of a response in seconds: a number, or an HTTP date."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _permanent_target(chain: list[tuple[int, str]]) -> str | None:
    """The address reached through the permanent redirects the chain starts with, if any."""
    target = None
    for status, following in chain:
        if status not in PERMANENT:
            break
        target = following
    return target


def check_links(
    uses: list[LinkUse], checker: LinkChecker, cache: LinkCache
) -> tuple[LinkReport, dict[str, LinkResult]]:
    """Check every address the uses name once, using and filling the cache."""
    results: dict[str, LinkResult] = {}
    report = LinkReport()
    for url in dict.fromkeys(use.url for use in uses):
        cached = cache.get(url)
        if cached is not None:
            results[url] = cached
            report.cached += 1
    asking = [url for url in dict.fromkeys(use.url for use in uses) if url not in results]
    with command_progress("checking links", len(asking), "links") as progress:

        def done(result: LinkResult) -> None:
            results[result.url] = result
            cache.put(result)
            progress.advance()

        checker.check_all(asking, done)
    cache.save()
    report.checked = len(results)
    for use in uses:
        _report(use, results[use.url], report)
    return report, results


def _report(use: LinkUse, result: LinkResult, report: LinkReport) -> None:
    if result.verdict == "dead":
        advice = "find where it moved, or remove the link"
        if use.field == "arxiv":
            advice = "check the `arxiv` id"
        report.dead.append(
            Problem(use.path, use.line, use.field, f"{use.url} {result.detail}; {advice}")
        )
    elif result.verdict == "moved":
        report.moved.append(
            Problem(
                use.path,
                use.line,
                use.field,
                f"{use.url} has moved permanently ({result.detail}) to {result.moved_to}; "
                "write the new address",
            )
        )
    elif result.verdict == "unchecked":
        report.unchecked.append(
            Problem(
                use.path, use.line, use.field, f"{use.url} could not be checked: {result.detail}"
            )
        )
