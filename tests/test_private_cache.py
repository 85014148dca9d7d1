"""The secret that seals what a build records for the next (`generator/private_cache.py`): made
once per user in a private folder, refused where others could read or change it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.model.stable_digest import generator_version
from generator.private_cache import SECRET_FILE, record_secret


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user cache folder of the test's own; the secret and the version computed afresh."""
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    record_secret.cache_clear()
    generator_version.cache_clear()
    yield home
    monkeypatch.undo()
    record_secret.cache_clear()
    generator_version.cache_clear()


def test_the_secret_is_made_once_readable_by_this_user_alone(cache_home: Path) -> None:
    secret = record_secret()
    path = cache_home / SECRET_FILE
    assert len(secret) == 32 and path.read_bytes() == secret
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    record_secret.cache_clear()
    assert record_secret() == secret  # the next process takes the same


def test_another_secret_gives_another_generator_version(cache_home: Path) -> None:
    version = generator_version()
    (cache_home / SECRET_FILE).write_bytes(os.urandom(32))
    record_secret.cache_clear()
    generator_version.cache_clear()
    assert generator_version() != version


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o620])
def test_a_secret_others_may_read_or_write_is_not_used(cache_home: Path, mode: int) -> None:
    path = cache_home / SECRET_FILE
    path.parent.mkdir(parents=True, mode=0o700)
    path.write_bytes(b"k" * 32)
    path.chmod(mode)
    assert record_secret() != b"k" * 32
    assert path.read_bytes() == b"k" * 32  # left as it was, not trusted


def test_a_link_or_a_short_file_is_not_a_secret(cache_home: Path, tmp_path: Path) -> None:
    path = cache_home / SECRET_FILE
    path.parent.mkdir(parents=True, mode=0o700)
    elsewhere = tmp_path / "known"
    elsewhere.write_bytes(b"k" * 32)
    elsewhere.chmod(0o600)
    path.symlink_to(elsewhere)
    assert record_secret() != b"k" * 32
    path.unlink()
    path.write_bytes(b"short")
    path.chmod(0o600)
    record_secret.cache_clear()
    assert record_secret() not in (b"short", b"k" * 32)
