"""Folders of this user's own under the user's cache folder, and the secret that seals what a
build records for the next.

Two things the generator keeps between runs are trusted as they are found: compiled templates
(run as code) and the records beside a site (`.<site>.record/`: entries taken without being
checked again, pages linked without being rendered again). Both live where only this user
may write. The records sit beside the site, in the working copy, where a pull request could
put a record of its own (forced past `.gitignore`) together with a site to link from; so every
record is made for a secret kept in the user's cache folder (`record_secret`), which nothing
in a repository can know: a record that came with the sources, or from another machine, is
never taken, and the build renders and checks everything.
"""

from __future__ import annotations

import functools
import os
import secrets
import stat
from pathlib import Path

SECRET_FILE = Path("paper-catalogue") / "record-secret"
"""Under the user's cache folder: 32 random bytes, made on first use."""


def cache_home() -> Path:
    """`$XDG_CACHE_HOME` if it is an absolute path, else `~/.cache`."""
    configured = os.environ.get("XDG_CACHE_HOME", "")
    # The specification ignores a relative path: it would depend on where a command runs.
    return Path(configured) if os.path.isabs(configured) else Path.home() / ".cache"


def private_folder(relative: Path) -> Path | None:
    """The folder `relative` under the user's cache folder, made if missing, if only this user
    may write in it and in the folders above it up to the cache folder; else None."""
    try:
        home = cache_home()
        folder = home / relative
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        checked = [folder, *folder.parents[: len(relative.parts) - 1]]
        statuses = [path.lstat() for path in checked]
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    for status in statuses:
        if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid():
            return None
        if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None
    return folder


@functools.cache
def record_secret() -> bytes:
    """This user's secret for sealing records, made on first use in a private folder. Where
    no private folder or secret file can be had, a secret of this process alone: records are
    then never taken by another process (every build renders everything), never wrongly."""
    folder = private_folder(SECRET_FILE.parent)
    if folder is None:
        return secrets.token_bytes(32)
    path = folder / SECRET_FILE.name
    try:
        return _read_private(path)
    except FileNotFoundError:
        pass  # the first use: made below
    except OSError:
        return secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(secrets.token_bytes(32))
    except FileExistsError:
        pass  # another build made it first: read theirs
    except OSError:
        return secrets.token_bytes(32)
    try:
        return _read_private(path)
    except OSError:
        return secrets.token_bytes(32)


def _read_private(path: Path) -> bytes:
    """The secret in `path` if it is this user's regular file that no one else may read or
    write, of the right length; OSError otherwise."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_uid != os.getuid():
            raise OSError(f"{path} is not this user's file")
        if status.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise OSError(f"{path} may be read or written by others")
        secret = file.read(33)
    if len(secret) != 32:
        raise OSError(f"{path} does not hold a secret of 32 bytes")
    return secret
