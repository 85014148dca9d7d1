"""Freed memory goes back to the system where the C library allows it (glibc's malloc_trim);
background workers end with the process that started them, and only the latest request of a
background job (`LatestJob`, what `catalogue serve` runs beside its rebuilds) counts; work
run beside a build (`beside`) hands back its result or its failure; the enrichment runs with
the garbage collector paused."""

from __future__ import annotations

import gc
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.pipeline import CatalogueSources, load_catalogue
from generator.processes import LatestJob, beside, collection_paused, release_free_memory
from generator.site import page_record

pytestmark = pytest.mark.slow  # real builds or processes: left out of `make test-quick`


def test_free_memory_is_released_on_glibc() -> None:
    assert release_free_memory() == (platform.libc_ver()[0] == "glibc")


CHILD = """
import time
from generator.processes import die_with_parent
die_with_parent()
print("ready", flush=True)
time.sleep(60)
"""
PARENT = f"""
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", {CHILD!r}], stdout=subprocess.PIPE, text=True)
child.stdout.readline()  # the child has asked for the signal: now it may be tested
print(child.pid, flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(platform.system() != "Linux", reason="PR_SET_PDEATHSIG is Linux's")
def test_a_background_worker_ends_when_its_parent_is_killed() -> None:
    # `catalogue serve` killed without cleaning up: its indexer and related-papers worker
    # (both call die_with_parent) must not go on computing for nobody.
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert Path(f"/proc/{child}").exists()
    parent.kill()
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child}").exists():
        status = Path(f"/proc/{child}/status").read_text()
        if "\nState:\tZ" in status:  # ended; only waiting to be reaped by init
            break
        assert time.monotonic() < deadline, "the child outlived its parent"
        time.sleep(0.05)


def _echo_after(value: str, seconds: float) -> str:
    """A worker's computation: `value`, after `seconds`."""
    time.sleep(seconds)
    return value


def _fail() -> str:
    raise ValueError("no luck")


def test_only_the_latest_request_of_a_background_job_is_handed_on() -> None:
    job: LatestJob[str] = LatestJob("echo")
    results: list[str] = []
    keep = results.append
    job.request(keep, _echo_after, "stale", 60)
    job.start()
    deadline = time.monotonic() + 60
    while job._worker is None or not job._worker.is_alive():
        assert time.monotonic() < deadline, "the first worker never started"
        time.sleep(0.02)
    stale = job._worker
    job.request(keep, _echo_after, "latest", 0)  # stops the first worker at once
    # The job's own thread reaps its worker too: a join here can lose that race and read no
    # exit code yet, so wait for the one the job's thread stores.
    while stale.exitcode is None:
        assert time.monotonic() < deadline, "the first worker was never stopped"
        time.sleep(0.02)
    assert stale.exitcode == -signal.SIGTERM
    job.start()
    while not results:
        assert time.monotonic() < deadline, "the latest request never finished"
        time.sleep(0.02)
    assert results == ["latest"]
    job.close()


def test_a_failed_background_job_is_said_and_hands_on_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    job: LatestJob[str] = LatestJob("nothing")
    results: list[str] = []
    keep = results.append
    job.request(keep, _fail)
    job.start()
    deadline = time.monotonic() + 60
    while "not updated" not in caplog.text:
        assert time.monotonic() < deadline, "the failure was never reported"
        time.sleep(0.02)
    assert "catalogue: nothing not updated (ValueError: no luck)" in caplog.text
    assert results == []
    job.close()


def _process_id() -> int:
    return os.getpid()


def test_work_beside_the_build_runs_in_a_process_of_its_own_and_hands_back_its_result() -> None:
    result = beside(_echo_after, "laid out", 0)
    assert result() == "laid out"
    assert beside(_process_id)() != os.getpid()


def test_work_beside_the_build_that_fails_fails_the_build() -> None:
    result = beside(_fail)
    with pytest.raises(RuntimeError, match="ValueError: no luck"):
        result()


def test_collection_is_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with pytest.raises(ValueError), collection_paused():
            raise ValueError("a failure inside")
        assert not gc.isenabled()  # the inner pause leaves the outer one as it was
    assert gc.isenabled()


def test_enrichment_runs_with_collection_paused(
    repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def enrich(catalogue: object, folder: Path) -> None:
        seen.append(gc.isenabled())

    monkeypatch.setattr(page_record, "_enrich", enrich)
    page_record.use_recorded_enrichment(load_catalogue(CatalogueSources(repo_root)), tmp_path)
    assert seen == [False] and gc.isenabled()
