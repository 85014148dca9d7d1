"""Process housekeeping: giving freed memory back to the system, and background work that
yields to the foreground and ends with the process that started it.

CPython frees an object's memory into its own allocator and the C library's; neither hands
it back to the system until a whole region is empty. After a one-off build drops its
entries, `malloc_trim` returns every free page, so the processes that follow (Pagefind's
indexer) find it free.

`catalogue serve` does two slow things after an edit without making the edit wait for them:
the search index and the related papers. Both are a `LatestJob`.

A one-off build has two processor cores to fill, and some of its work only needs its inputs
and is needed later (the map's layout): `beside` runs such work in a process of its own
while the build goes on.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import logging
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

R = TypeVar("R")

log = logging.getLogger("mkdocs.plugins.catalogue")


@functools.cache
def _libc(name: str) -> ctypes._NamedFuncPointer | None:
    """The C library's function `name`; None where there is none (not glibc: musl, macOS)."""
    library = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(library), name) if library else None
    except (OSError, AttributeError):
        return None


def release_free_memory() -> bool:
    """Return the C library's free memory to the system; False where that is not possible."""
    trim = _libc("malloc_trim")
    if trim is None:
        return False
    trim(0)
    return True


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside. A stage that makes or reads millions of small
    containers (the related papers' records: 500,000 entries at 100,000 papers) otherwise
    starts full collections that scan the whole catalogue again and again, for little
    garbage: reference counting still frees what is dropped, and the collector runs again
    after (`catalogue serve` freezes its heap instead: `serve/heap.py`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def die_with_parent() -> None:
    """Ask the kernel to stop this process when the thread that started it ends (Linux's
    `PR_SET_PDEATHSIG`), so that background workers of `catalogue serve` never outlive it;
    elsewhere, nothing. Exits at once if that parent is already gone."""
    prctl = _libc("prctl")
    if prctl is None:
        return
    pr_set_pdeathsig = 1
    prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() == 1:
        os._exit(1)


def lower_thread_priority() -> None:
    """The lowest scheduling priority for the calling thread and every thread and process it
    starts from now on (Linux applies nice per thread, and children inherit it): background
    work of `catalogue serve` yields to the rebuild after the next edit. Elsewhere, nothing."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


class LatestJob(Generic[R]):
    """Background work of `catalogue serve`, for which only the latest request counts.

    Each request runs in a process of its own, spawned (the server's threads are running, so
    not forked) from a thread at the lowest priority: the next rebuild comes first, and a
    computation holds none of the server's interpreter lock. A new request stops the worker
    of the one before (its result would be stale), and only the latest request's result is
    handed on. The workers end with the server: `close` stops the running one, and the kernel
    stops any whose server is gone (`die_with_parent`).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        """What it computes, for messages ("related papers")."""
        self._lock = threading.Lock()
        self._latest: object = None
        """The latest request (a token); a worker of any other is stale."""
        self._pending: tuple[object, Callable[[R], None], Callable[..., R], tuple[Any, ...]] | None
        self._pending = None
        """The latest request, until it is started."""
        self._worker: BaseProcess | None = None
        self._closed = False

    def request(
        self, on_result: Callable[[R], None], function: Callable[..., R], *args: Any
    ) -> None:
        """Ask for `function(*args)`, a module-level function run in a worker process, and
        for `on_result` (called on a thread of the job) to receive what it returns; stop the
        worker of any earlier request. Nothing starts before `start`."""
        with self._lock:
            self._latest = token = object()
            self._pending = (token, on_result, function, args)
            if self._worker is not None and self._worker.is_alive():
                self._worker.terminate()  # frees the processor and its memory now

    def start(self) -> None:
        """Start the latest request, if it waits: called once the rebuild that made it is
        done, so that the two do not compete for the processor."""
        with self._lock:
            pending, self._pending = self._pending, None
            if pending is None or self._closed:
                return
        threading.Thread(target=self._run, args=pending, daemon=True, name=self.name).start()

    def stop(self) -> None:
        """Stop the running worker and forget any request not started: what they would
        compute is stale already."""
        with self._lock:
            self._latest = self._pending = None
            if self._worker is not None and self._worker.is_alive():
                self._worker.terminate()

    def close(self, timeout: float = 10) -> None:
        """Stop the running worker, wait up to `timeout` seconds for it to end, and start
        nothing more (the server is stopping)."""
        with self._lock:
            self._closed = True
        self.stop()
        worker = self._worker
        if worker is not None:
            worker.join(timeout)

    def _run(
        self,
        token: object,
        on_result: Callable[[R], None],
        function: Callable[..., R],
        args: tuple[Any, ...],
    ) -> None:
        lower_thread_priority()  # and the worker's, which inherits it
        context = multiprocessing.get_context("spawn")
        with self._lock:
            if token is not self._latest:
                return  # a newer request came before this one began
            receiver, sender = context.Pipe(duplex=False)
            worker = context.Process(target=_work, args=(sender, function, args), daemon=True)
            try:
                worker.start()
            except OSError as exc:  # no process to be had: the next request tries again
                log.warning(f"catalogue: {self.name} not updated: {exc}")
                receiver.close()
                sender.close()
                return
            self._worker = worker
        sender.close()
        outcome: tuple[bool, Any] | None = None
        with contextlib.suppress(EOFError, OSError):  # the worker failed, or was stopped
            outcome = receiver.recv()
        receiver.close()
        worker.join()
        with self._lock:
            if token is not self._latest:
                return  # stopped, or finished after a newer request: stale either way
            if outcome is None or not outcome[0]:
                why = (
                    outcome[1] if outcome else f"the worker ended with exit code {worker.exitcode}"
                )
                log.warning(f"catalogue: {self.name} not updated ({why})")
                return
            # Under the lock, so that no newer request slips in before the result is used.
            on_result(outcome[1])


def beside(function: Callable[..., R], *args: Any) -> Callable[[], R]:
    """Start `function(*args)` (a module-level function, its arguments picklable) in a worker
    process; return a function that waits for its result and returns it, or raises what the
    worker raised. Where no process can be started, the work runs when the result is asked
    for instead.

    The worker is a new interpreter that imports only `function`'s module: a fork would copy
    the build's memory as it is touched, and multiprocessing's spawn runs the caller's main
    script again (a script without a `__main__` guard would build again in the worker)."""
    try:
        worker = subprocess.Popen(
            [sys.executable, "-c", "from generator.processes import _work_beside; _work_beside()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
    except OSError:
        return functools.partial(function, *args)
    assert worker.stdin is not None and worker.stdout is not None
    stdin, stdout = worker.stdin, worker.stdout
    work = pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)

    def send() -> None:
        with contextlib.suppress(OSError), stdin:  # the worker died: `result` says so
            stdin.write(work)

    # Sent from a thread: the pipe holds little, and the worker reads once it has started.
    sending = threading.Thread(target=send, daemon=True, name="work beside")
    sending.start()

    def result() -> R:
        with stdout:
            answer = stdout.read()
        sending.join()
        code = worker.wait()
        if not answer:
            raise RuntimeError(f"a worker process ended with exit code {code}")
        succeeded, value = pickle.loads(answer)
        if not succeeded:
            raise RuntimeError(value)
        return value  # type: ignore[no-any-return]

    return result


def _work_beside() -> None:
    """A `beside` worker: reads its work from standard input, writes (succeeded, result or
    error) to standard output, and ends with the thread that started it."""
    die_with_parent()
    function, args = pickle.loads(sys.stdin.buffer.read())
    try:
        outcome: tuple[bool, Any] = (True, function(*args))
    except Exception as exc:
        outcome = (False, f"{type(exc).__name__}: {exc}")
    sys.stdout.buffer.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


def _work(sender: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """A `LatestJob` worker: ends with the thread that started it if the server stops."""
    die_with_parent()
    try:
        outcome: tuple[bool, Any] = (True, function(*args))
    except Exception as exc:  # said by the server, which logs where a person looks
        outcome = (False, f"{type(exc).__name__}: {exc}")
    sender.send(outcome)
    sender.close()
