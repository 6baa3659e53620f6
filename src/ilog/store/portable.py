"""What differs between operating systems and file systems, in one place: locks, creating a
file without clobbering one, fsync of a folder, worker processes and the fast file listing.
Everything else in ilog is plain, portable Python; each function here has a fallback that
works on Linux, macOS and Windows alike.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext
    from subprocess import Popen


@contextlib.contextmanager
def exclusive(lock_file: Path, *, wait: float) -> Iterator[bool]:
    """Hold ``lock_file`` (the operating system releases it if the process dies: no stale
    locks); yields False, holding nothing, if another process held it for ``wait`` seconds.
    The file is owner-only and stays in place. On POSIX this is ``flock`` itself; elsewhere
    filelock (msvcrt on Windows), whose ~30 ms of imports every command that reads the
    caches would otherwise pay (benchmarks.md)."""
    try:
        import fcntl  # POSIX only
    except ImportError:  # Windows
        with _filelock(lock_file, wait=wait) as held:
            yield held
        return
    try:
        handle = os.open(lock_file, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as exc:  # a link planted there (ELOOP), a folder, no permission
        from ilog.errors import StoreError  # only when the lock cannot be taken

        raise StoreError(f"cannot take the lock {lock_file}: {exc.strerror or exc}; remove "
                         "it (ilog makes it again)") from None
    try:
        if not _flock(fcntl, handle, wait):
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


def _flock(fcntl: Any, handle: int, wait: float) -> bool:
    """Take an exclusive ``flock`` on ``handle``, trying for ``wait`` seconds."""
    import time  # only to wait for a busy lock

    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)


@contextlib.contextmanager
def _filelock(lock_file: Path, *, wait: float) -> Iterator[bool]:
    from filelock import FileLock, Timeout  # installed on Windows only

    lock = FileLock(lock_file, timeout=wait, mode=0o600, preserve_lock_file=True)
    try:
        lock.acquire()
    except Timeout:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


def hold(handle: int) -> None:
    """Mark the open file ``handle`` as being written (an ``flock`` the operating system drops
    when the process dies): :func:`abandoned` then tells a live writer's file from a killed
    one's. Nothing on Windows, where abandoned files are told by their age alone."""
    with contextlib.suppress(ImportError, OSError):
        import fcntl  # POSIX only

        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def abandoned(path: str) -> bool:
    """Whether the file at ``path`` was :func:`hold`-marked by a process that has ended (its
    lock is free); False where that cannot be told (Windows, no such file, a link)."""
    try:
        import fcntl  # POSIX only
    except ImportError:
        return False
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(handle)


def move_new(temp: Path, path: Path) -> bool:
    """Give the complete file ``temp`` the name ``path`` unless a file has it; False if one
    does. A hard link is atomic and never clobbers; on a file system without hard links (FAT,
    some network shares) the name is claimed first (O_EXCL), then replaced by the file."""
    try:
        os.link(temp, path)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    os.replace(temp, path)
    return True


#: What os.link fails with where a file system has no hard links.
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EXDEV,
                  errno.EMLINK}


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (POSIX; Windows has no such call and
    makes renames durable itself)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def fork_context() -> BaseContext | None:
    """A multiprocessing context whose workers start as copies of this process (so a job
    need not be importable by name), or None where fork is missing or unsafe (Windows,
    macOS): work then runs in this process."""
    if not sys.platform.startswith("linux"):
        return None
    import multiprocessing  # ~10 ms: only for work large enough to share out

    return multiprocessing.get_context("fork")


def gnu_find() -> str | None:
    """The path of GNU find (whose ``-printf`` makes the store's listing in C), or None: the
    listing is then made in Python (BSD find has no -printf; Windows' FIND searches text)."""
    if not sys.platform.startswith("linux"):
        return None
    import shutil  # only where GNU find may be

    return shutil.which("find")


def start_find(find: str, cwd: Path, arguments: list[str]) -> tuple[Popen[bytes], IO[bytes]]:
    """GNU ``find`` running in ``cwd`` with ``arguments``, writing to an unlinked temporary
    file (not a pipe: a pipe's 64 KB would stop it long before the end until its reader, still
    importing, starts to read). Whoever starts it waits for it (OSError: it could not start)."""
    import subprocess  # not at import: commands that list no store never run find
    import tempfile

    output = tempfile.TemporaryFile()  # noqa: SIM115 - closed by its reader, after find
    try:
        return subprocess.Popen([find, *arguments], cwd=cwd, stdout=output,
                                stderr=subprocess.DEVNULL), output
    except OSError:
        output.close()
        raise
