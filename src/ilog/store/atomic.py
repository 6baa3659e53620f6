"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Every write goes to a temporary file in the target's folder (named ``.NAME.RANDOM.tmp``, which
no reader takes for a record), is flushed and fsynced, then moved into place; the folder is
fsynced too. Creating uses ``os.link`` so that an existing file is never clobbered.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from ilog.errors import ConflictError, ReadOnlyStoreError, StoreError
from ilog.store import portable

TEMP_SUFFIX = ".tmp"
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
    temp = _write_temp(path, data, private=private)
    try:
        if not portable.move_new(temp, path):
            return False
    except OSError as exc:
        raise _os_error(exc, path) from None
    finally:
        temp.unlink(missing_ok=True)
    portable.fsync_folder(path.parent)
    return True


def replace_file(path: Path, data: bytes, *, expected: bytes | None = None,
                 private: bool = False, sweeps: Sweeps | None = None) -> None:
    """Replace ``path`` atomically; if ``expected`` is given, refuse when the file changed."""
    refuse_links(path.parent)
    _sweep(path.parent, sweeps)
    temp = _write_temp(path, data, private=private)
    try:
        if expected is not None and _read_or_none(path) != expected:
            raise ConflictError(f"{path} changed on disk while you were editing it; "
                                "your version is not saved, run the command again")
        os.replace(temp, path)
    except OSError as exc:
        raise _os_error(exc, path) from None
    finally:
        temp.unlink(missing_ok=True)
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
    (``Store.sweeps``): the memory lasts as long as the store object, never the process."""

    def __init__(self, every: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.every, self.clock = every, clock
        self._last: dict[str, float] = {}

    def __call__(self, folder: Path) -> None:
        now = self.clock()
        if now - self._last.get(str(folder), now - self.every) >= self.every:
            self._last[str(folder)] = now
            sweep_temp_files(folder)


def _sweep(folder: Path, sweeps: Sweeps | None) -> None:
    if sweeps is None:
        sweep_temp_files(folder)
    else:
        sweeps(folder)


def sweep_temp_files(folder: Path, *, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Remove the temporary files (and folders: a record's files are written into one) a
    killed process left in ``folder``; return how many."""
    removed, limit = 0, time.time() - older_than
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if is_temp_name(entry.name) and entry.stat(follow_symlinks=False).st_mtime < limit:
                with contextlib.suppress(OSError):
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path)
                    else:
                        os.unlink(entry.path)
                    removed += 1
    return removed


def is_temp_name(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def _write_temp(path: Path, data: bytes, *, private: bool) -> Path:
    """The data in a new temporary file beside ``path``: 0644 less the umask (never writable
    by others), or 0600 if private."""
    temp = path.parent / f".{path.name}.{os.urandom(4).hex()}{TEMP_SUFFIX}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    except OSError as exc:
        raise _os_error(exc, path.parent) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _os_error(exc, path) from None
    return temp


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
