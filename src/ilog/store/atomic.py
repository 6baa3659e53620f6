"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Every write goes to a temporary file in the target's folder (named ``.NAME.RANDOM.tmp``, which
no reader takes for a record), is flushed and fsynced, then moved into place; the folder is
fsynced too. Creating uses ``os.link`` so that an existing file is never clobbered. The
temporary file is locked while it is written, so the next write into its folder removes what a
killed one left at once, and never a live one's file (:func:`sweep_temp_files`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ilog.errors import ConflictError, ReadOnlyStoreError, StoreError
from ilog.store import portable

TEMP_SUFFIX = ".tmp"
#: The temporary names ilog gives: ``.NAME.RANDOM.tmp`` (RANDOM: 8 hex digits).
_OUR_TEMP = re.compile(r"\..+\.[0-9a-f]{8}\.tmp", re.DOTALL)
STALE_TEMP_SECONDS = 3600


def refuse_links(folder: Path) -> None:
    """StoreError if ``folder`` is reached through a symbolic link. Every path ilog writes to
    or deletes in is built from a resolved base (the store's root, the derived data's
    folder), so a link on the way can only be one inside the store: ilog never writes or
    deletes through it (docs/format.md, "Links")."""
    if os.path.realpath(folder) != os.path.abspath(folder):
        raise StoreError(f"{folder} is reached through a link; ilog never writes or deletes "
                         "through links: replace the link with the folder itself")


def create_file(path: Path, data: bytes, *, private: bool = False,
                sweeps: Sweeps | None = None) -> bool:
    """Write ``path`` if it does not exist yet; return False (writing nothing) if it does.
    ``private``: owner-only (0600), for what git does not share (docs/format.md). The folder
    is swept of what killed writes left, at once or as ``sweeps`` decides."""
    refuse_links(path.parent)
    _sweep(path.parent, sweeps)
    with _temp_copy(path, data, private=private) as temp:
        try:
            if not portable.move_new(temp, path):
                return False
        except OSError as exc:
            raise _os_error(exc, path) from None
    portable.fsync_folder(path.parent)
    return True


def replace_file(path: Path, data: bytes, *, expected: bytes | None = None,
                 private: bool = False, sweeps: Sweeps | None = None) -> None:
    """Replace ``path`` atomically; if ``expected`` is given, refuse when the file changed."""
    refuse_links(path.parent)
    _sweep(path.parent, sweeps)
    with _temp_copy(path, data, private=private) as temp:
        if expected is not None and _read_or_none(path) != expected:
            raise ConflictError(f"{path} changed on disk while you were editing it; "
                                "your version is not saved, run the command again")
        try:
            os.replace(temp, path)
        except OSError as exc:
            raise _os_error(exc, path) from None
    portable.fsync_folder(path.parent)


def make_dirs(path: Path, *, private: bool = False) -> None:
    """``mkdir -p`` with ilog's error messages (never through a link: the folders that exist
    are checked before any is made). ``private``: the folder is owner-only (0700), whatever
    the umask, so nothing in it is reachable by others, whoever wrote it."""
    existing = next(p for p in (path, *path.parents) if p.exists() or p.is_symlink())
    refuse_links(existing)
    try:
        path.mkdir(parents=True, exist_ok=True)
        if private:
            path.chmod(0o700)
    except OSError as exc:
        raise _os_error(exc, path) from None


def remove(path: Path) -> None:
    """Delete a file (or a link itself: never what it points to); gone already is fine."""
    refuse_links(path.parent)
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise _os_error(exc, path) from None


def remove_tree(path: Path) -> None:
    """Delete a folder and everything in it (links inside are removed, not followed)."""
    refuse_links(path.parent)
    if path.is_symlink():
        remove(path)
        return
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _os_error(exc, Path(exc.filename or path)) from None


class Sweeps:
    """When each folder was last swept (:func:`sweep_temp_files`), so that a bulk write (an
    import of 10,000 e-mails into one year folder) sweeps a folder once every ``every``
    seconds, not at every file it writes (docs/design.md). A store object holds one
    (``Store.sweeps``): the memory lasts as long as the store object, never the process.
    ``prefix``: only temporary files whose names start with it (in a folder that is not
    ilog's, such as a task app's, those of ilog's own files)."""

    def __init__(self, every: float, clock: Callable[[], float] = time.monotonic, *,
                 prefix: str = ".") -> None:
        self.every, self.clock, self.prefix = every, clock, prefix
        self._last: dict[str, float] = {}

    def __call__(self, folder: Path) -> None:
        now = self.clock()
        if now - self._last.get(str(folder), now - self.every) >= self.every:
            self._last[str(folder)] = now
            sweep_temp_files(folder, prefix=self.prefix)


def _sweep(folder: Path, sweeps: Sweeps | None) -> None:
    if sweeps is None:
        sweep_temp_files(folder)
    else:
        sweeps(folder)


def sweep_temp_files(folder: Path, *, older_than: float = STALE_TEMP_SECONDS,
                     prefix: str = ".") -> int:
    """Remove the temporary files (and folders: a record's files are written into one) that
    killed processes left in ``folder`` (only names ilog gives, starting with ``prefix``);
    return how many. A file whose writer has ended (its lock is free, portable.abandoned) goes
    at once, anything else once it is ``older_than`` seconds old."""
    removed, limit = 0, time.time() - older_than
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not (_OUR_TEMP.fullmatch(entry.name) and entry.name.startswith(prefix)):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if entry.is_dir(follow_symlinks=False):
                    if info.st_mtime < limit:
                        shutil.rmtree(entry.path)
                        removed += 1
                elif info.st_mtime < limit or (info.st_size and portable.abandoned(entry.path)):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def is_temp_name(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


@contextlib.contextmanager
def _temp_copy(path: Path, data: bytes, *, private: bool) -> Iterator[Path]:
    """The data in a new temporary file beside ``path`` (0644 less the umask, never writable
    by others, or 0600 if private), locked as being written until the caller has moved it
    into place: a sweep never takes a live write's file for a killed one's."""
    temp = path.parent / f".{path.name}.{os.urandom(4).hex()}{TEMP_SUFFIX}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    except OSError as exc:
        raise _os_error(exc, path.parent) from None
    try:
        portable.hold(fd)
        try:
            with os.fdopen(fd, "wb", closefd=False) as handle:
                handle.write(data)
                handle.flush()
                os.fsync(fd)
        except OSError as exc:
            raise _os_error(exc, path) from None
        yield temp
    finally:
        temp.unlink(missing_ok=True)  # before its lock goes: no sweep sees it unlocked
        os.close(fd)


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _os_error(exc: OSError, path: Path) -> StoreError:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ReadOnlyStoreError(f"cannot write {path}: {exc.strerror}; check the folder's "
                                  "permissions or choose another store")
    return StoreError(f"cannot write {path}: {exc.strerror or exc}")
