"""Publish a finished build whole: readers see the previous site or the new one, never a mix.

MkDocs empties the site folder first and then writes page after page, so a build that fails or
is killed halfway would leave a broken site. For `mkdocs build` and `gh-deploy` the plugin
points MkDocs at a staging folder next to the site (`.<site>.staging`) instead, and only when
the build has succeeded does `SitePublisher.publish`:

1. replace every staged file that is byte-identical to the published one by a hard link to
   it, so an unchanged page keeps its inode and modification time ("write if different");
2. exchange the staging folder and the site folder in one system call
   (`renameat2(RENAME_EXCHANGE)`, Linux 3.15+ on ext4, xfs, btrfs, tmpfs...). Where that call
   is missing, two renames with the old site parked as `.<site>.previous`: a kill between
   them leaves the old site there, and the next build puts it back. Where the site folder
   cannot be renamed at all (it is a mount point), each file is replaced by its own atomic
   rename and stale files are removed afterwards;
3. move the old site's top-level hidden entries (`.git`, `.nojekyll`), which MkDocs' own
   clean step spares, into the new site, and keep the rest of the old site's folders, emptied
   of their files, for the next build (`.<site>.spare`).

Making a folder and deleting one are what a rebuild's disk spent most of its time on (a
site has a folder per page: 20,000 at 10,000 papers; deleting one frees a block, which a disk
mounted with `discard` passes on to the device), while a file that is a hard link of a
published one is linked and unlinked cheaply. So the next build adopts the spare folders
(`SitePublisher.adopt_spare`, once MkDocs has written its own pages) and links its files
into them; folders it wrote nothing into are removed before it is published. The spare holds
folders only: every file in it is deleted first, and a spare that cannot be emptied whole is
deleted instead.

A lock file (`.<site>.lock`, `flock`) keeps two builds of one site apart, so a staging folder
found when a build starts can only be the leftover of a killed build, and is deleted.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import shutil
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock; builds there are not locked
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("mkdocs.plugins.catalogue.publish")

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# The exchange is not offered here (old kernel or libc, other OS, file system without it).
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}
# The site folder itself cannot be renamed (a mount point, or on another file system).
_NOT_RENAMABLE = {errno.EBUSY, errno.EXDEV}


@dataclass(frozen=True)
class PublishReport:
    """What a publication changed, for the build log and for tests."""

    files: int
    """Files in the new site."""
    unchanged: int
    """Of those, files identical to the previous site's and kept as they were."""
    removed: int
    """Files of the previous site that the new site no longer has."""
    method: str
    """How the site was replaced: `exchange`, `renames`, `first` (no site before) or `files`."""


class SitePublisher:
    """Builds go to a staging folder; `publish` replaces the site with it in one step."""

    def __init__(self, site_dir: Path) -> None:
        # A symlinked site folder is published where it points, so the link keeps working.
        site = Path(os.path.abspath(site_dir))
        self.site_dir = site.resolve() if site.is_symlink() else site
        parent, name = self.site_dir.parent, self.site_dir.name
        self.staging = parent / f".{name}{STAGING_SUFFIX}"
        """Where MkDocs writes while the build runs."""
        self.previous = parent / f".{name}.previous"
        """The old site between the two renames of the fallback."""
        self.spare = parent / f".{name}{SPARE_SUFFIX}"
        """The last site's folders, emptied, for the next build to fill (`adopt_spare`)."""
        self.adopted: list[str] = []
        """Folders of the staging site taken from the spare (relative paths)."""
        self.lock_file = parent / f".{name}.lock"
        self.record = parent / f".{name}{RECORD_SUFFIX}"
        """What a build records for the next (`page_record`): beside the site, never in it."""
        self._lock_fd: int | None = None

    def begin(self) -> Path:
        """Take the lock, clean up after a killed build, and return a fresh staging folder."""
        self.site_dir.parent.mkdir(parents=True, exist_ok=True)
        self._lock()
        if self.previous.exists():
            if self.site_dir.exists():
                _remove(self.previous)
            else:  # killed between the two renames: the previous site is the real one
                os.rename(self.previous, self.site_dir)
                log.info(f"Restored {self.site_dir} left aside by an interrupted build")
        if self.staging.exists() or self.staging.is_symlink():
            log.info(f"Removing {self.staging} left by an interrupted build")
            _remove(self.staging)
        self.staging.mkdir()
        if self.spare.is_dir() and not self.spare.is_symlink():
            # Hidden inside the staging folder until MkDocs has written its pages: MkDocs'
            # clean step spares a hidden entry, and nothing it writes lands there.
            os.rename(self.spare, self.staging / SPARE_INSIDE)
        elif self.spare.exists() or self.spare.is_symlink():
            _remove(self.spare)
        return self.staging

    def adopt_spare(self) -> None:
        """Put the spare folders where the staging site has none, for the build's own files
        to be written into; called once MkDocs has written its pages, before the rest."""
        spare = self.staging / SPARE_INSIDE
        if not spare.is_dir():
            return
        self.adopted = []
        try:
            # Emptied when it was put aside, and emptied again here: whatever came into it
            # since (a file left by a killed build, or put there by hand) is never published.
            _delete_files(os.fspath(spare))
        except OSError:
            _remove(spare)
            return
        _merge_folders(os.fspath(spare), os.fspath(self.staging), "", self.adopted)
        _remove(spare)  # what could not be adopted (a file of the build in the way)

    def publish(self) -> PublishReport:
        """Replace the site with the staging folder, keeping unchanged files as they were."""
        try:
            if self.site_dir.exists() and not self.site_dir.is_dir():
                raise NotADirectoryError(f"{self.site_dir} exists and is not a folder")
            _remove(self.staging / SPARE_INSIDE)  # if `adopt_spare` was not called
            compared = compare_with_published(self.staging, self.site_dir, self.adopted)
            method = self._replace_site(compared.kept)
            return PublishReport(compared.files, len(compared.kept), compared.removed, method)
        finally:
            self._unlock()

    def abandon(self) -> None:
        """Drop the staging folder of a failed build; the site stays as it was."""
        try:
            _remove(self.staging)
        finally:
            self._unlock()

    def _replace_site(self, unchanged: set[str]) -> str:
        if not self.site_dir.exists():
            os.rename(self.staging, self.site_dir)
            return "first"
        try:
            exchange(self.staging, self.site_dir)
        except OSError as exc:
            if exc.errno in _NO_EXCHANGE:
                return self._replace_by_renames()
            if exc.errno in _NOT_RENAMABLE:
                replace_file_by_file(self.staging, self.site_dir, unchanged)
                _remove(self.staging)
                return "files"
            raise
        _carry_hidden_entries(self.staging, self.site_dir)
        self._keep_as_spare(self.staging)  # the old site, after the exchange
        return "exchange"

    def _replace_by_renames(self) -> str:
        os.rename(self.site_dir, self.previous)
        os.rename(self.staging, self.site_dir)
        _carry_hidden_entries(self.previous, self.site_dir)
        self._keep_as_spare(self.previous)
        return "renames"

    def _keep_as_spare(self, old_site: Path) -> None:
        """Keep the folders of `old_site` for the next build, its files deleted; delete it
        whole if it cannot be emptied."""
        if self.spare.exists() or self.spare.is_symlink():
            _remove(self.spare)
        os.rename(old_site, self.spare)
        try:
            _delete_files(os.fspath(self.spare), top=True)
        except OSError:
            _remove(self.spare)

    def _lock(self) -> None:
        if fcntl is None or self._lock_fd is not None:
            return
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info(f"Waiting for another build of {self.site_dir} to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None


STAGING_SUFFIX = ".staging"
RECORD_SUFFIX = ".record"
SPARE_SUFFIX = ".spare"
SPARE_INSIDE = ".catalogue-spare"
"""The spare's name inside the staging folder until `adopt_spare` (hidden: MkDocs' clean
step spares it)."""


def published_site_of(folder: Path) -> Path | None:
    """The site that the staging folder `folder` will replace, if it is one and that site
    exists (a build's later stages take over what did not change from it)."""
    name = folder.name
    if not (name.startswith(".") and name.endswith(STAGING_SUFFIX)):
        return None
    site = folder.parent / name[1 : -len(STAGING_SUFFIX)]
    return site if site.is_dir() and not site.is_symlink() else None


def record_folder_of(folder: Path) -> Path | None:
    """Where a build into the staging folder `folder` records what the next build over the
    same site may take over (`.<site>.record`, beside the site: never published), if
    `folder` is a staging folder."""
    name = folder.name
    if not (name.startswith(".") and name.endswith(STAGING_SUFFIX)):
        return None
    return folder.parent / f"{name[: -len(STAGING_SUFFIX)]}{RECORD_SUFFIX}"


def exchange(a: Path, b: Path) -> None:
    """Swap two paths in one atomic step (Linux `renameat2` with `RENAME_EXCHANGE`)."""
    if not sys.platform.startswith("linux"):
        raise OSError(errno.ENOSYS, "renameat2 exists on Linux only")
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # glibc before 2.28, or another libc
        raise OSError(errno.ENOSYS, "the C library has no renameat2")
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


@dataclass
class Comparison:
    """The staging site against the published one (`compare_with_published`)."""

    files: int = 0
    """Files in the staging site."""
    kept: set[str] = field(default_factory=set)
    """Relative paths of the staged files that are the published ones (linked)."""
    removed: int = 0
    """Files of the published site (its top-level hidden entries aside) that the staging
    site does not have."""


def compare_with_published(
    staging: Path, published: Path, adopted: Iterable[str] = ()
) -> Comparison:
    """Walk the staging site and the published one side by side, once: replace each staged
    file identical to its published twin by a hard link to that twin, count the files of
    each, and remove the `adopted` folders (from the spare, and those inside them) that
    hold nothing.

    A staged file with the published file's inode (the build linked it) is that file, as the
    folders' listings say, so most files are compared without a system call of their own.
    Where hard links are impossible, the staged copy takes the published file's times
    instead, so tools that compare times still see no change.
    """
    result = Comparison()
    old_root = os.fspath(published) if published.is_dir() else None
    device = os.stat(staging).st_dev
    _compare(os.fspath(staging), old_root, "", device, set(adopted), False, result)
    return result


def _compare(
    new: str,
    old: str | None,
    prefix: str,
    device: int,
    adopted: set[str],
    from_spare: bool,
    result: Comparison,
) -> int:
    """Compare the staged folder `new` with its published twin `old` (None: there is
    none); return how many entries `new` keeps."""
    with os.scandir(new) as entries:
        found = list(entries)
    twins: dict[str, os.DirEntry[str]] = {}
    if old is not None:
        try:
            if os.lstat(old).st_dev != device:
                device = -1  # inodes say "the same file" only on one file system
            with os.scandir(old) as entries:
                twins = {entry.name: entry for entry in entries}
        except OSError:
            twins = {}
    left = len(found)
    for entry in found:
        twin = twins.pop(entry.name, None)
        rel = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            into = twin.path if twin is not None and twin.is_dir(follow_symlinks=False) else None
            if into is None and twin is not None:
                result.removed += 1  # a file where the new site has a folder
            spare = from_spare or rel in adopted
            kept = _compare(entry.path, into, rel + "/", device, adopted, spare, result)
            if spare and not kept:
                os.rmdir(entry.path)  # a spare folder the build wrote nothing into
                left -= 1
            continue
        result.files += 1
        if twin is None:
            continue
        if twin.is_dir(follow_symlinks=False):
            result.removed += _files_under(twin.path)
            continue
        if not (entry.is_file(follow_symlinks=False) and twin.is_file(follow_symlinks=False)):
            continue
        if not (device >= 0 and entry.inode() == twin.inode()):
            # Not already the published file (which a later stage may have linked: the
            # search index takes over its unchanged bundles): compare the bytes.
            new_size = entry.stat(follow_symlinks=False).st_size
            old_size = twin.stat(follow_symlinks=False).st_size
            if new_size != old_size or not _same_bytes(twin.path, entry.path):
                continue
            _link_over(Path(twin.path), Path(entry.path))
        result.kept.add(rel)
    for name, twin in twins.items():  # what the new site no longer has
        if not prefix and name.startswith("."):
            continue  # carried into the new site, or MkDocs' to spare
        result.removed += _files_under(twin.path) if twin.is_dir(follow_symlinks=False) else 1
    return left


def _files_under(folder: str) -> int:
    return sum(len(names) for _, _, names in os.walk(folder))


def _same_bytes(a: str, b: str) -> bool:
    with open(a, "rb") as first, open(b, "rb") as second:
        while True:
            chunk = first.read(1 << 16)
            if chunk != second.read(1 << 16):
                return False
            if not chunk:
                return True


def _link_over(old: Path, staged: Path) -> None:
    # The staging folder is the build's own until it is published: the staged copy can go
    # first, with no temporary name and rename (RESULTS.md: linking was most of publishing).
    os.unlink(staged)
    try:
        os.link(old, staged)
    except OSError:
        shutil.copy2(old, staged)  # keeps the published file's times


def replace_file_by_file(staging: Path, site: Path, unchanged: set[str]) -> None:
    """Update `site` in place, one atomic rename per changed file, then drop stale files."""
    wanted: set[str] = set()
    for folder, _, names in os.walk(staging):
        for name in names:
            staged = Path(folder, name)
            rel = staged.relative_to(staging).as_posix()
            wanted.add(rel)
            if rel in unchanged:
                continue
            target = site / rel
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.new")
            shutil.copy2(staged, temporary)  # a copy: the staging folder may be on another disk
            os.replace(temporary, target)
    for folder, _, names in os.walk(site, topdown=False):
        for name in names:
            rel = Path(folder, name).relative_to(site).as_posix()
            if rel not in wanted and not rel.startswith("."):
                Path(folder, name).unlink()
        if Path(folder) != site and not any(Path(folder).iterdir()):
            Path(folder).rmdir()


def _carry_hidden_entries(old_site: Path, new_site: Path) -> None:
    # MkDocs' clean step spares the site's top-level hidden entries (a deploy checkout's
    # `.git`, a `.nojekyll`); moving them into the new site keeps that promise.
    for entry in old_site.iterdir():
        if entry.name.startswith(".") and not (new_site / entry.name).exists():
            os.rename(entry, new_site / entry.name)


def _delete_files(folder: str, top: bool = False) -> None:
    """Delete every entry under `folder` that is not a folder (files, links, anything else),
    keeping the folders; at the `top`, hidden entries (a deploy checkout's `.git` that was not
    carried over) go whole. Raises OSError if anything cannot be deleted."""
    with os.scandir(folder) as entries:
        found = list(entries)
    for entry in found:
        if top and entry.name.startswith("."):
            _remove(Path(entry.path))
        elif entry.is_dir(follow_symlinks=False):
            _delete_files(entry.path)
        else:
            os.unlink(entry.path)


def _merge_folders(spare: str, target: str, rel: str, adopted: list[str]) -> None:
    """Move each folder of `spare` to `target` where `target` has no entry of that name, and
    go into those it has as a folder too; record each folder moved (relative to the site)."""
    with os.scandir(spare) as entries:
        found = [entry for entry in entries if entry.is_dir(follow_symlinks=False)]
    for entry in found:
        name = f"{rel}{entry.name}"
        there = os.path.join(target, entry.name)
        try:
            status = os.lstat(there)
        except FileNotFoundError:
            os.rename(entry.path, there)
            adopted.append(name)
            continue
        if stat.S_ISDIR(status.st_mode):
            _merge_folders(entry.path, there, f"{name}/", adopted)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
