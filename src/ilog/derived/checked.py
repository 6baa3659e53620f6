"""The files ``ilog check`` found clean, by their stamps: a repeated check reads only the files
that changed since (or that had problems), so at 100k records it costs a ``stat`` of each file.

A file's stamp is (size, mtime_ns, ctime_ns, inode), as in listing.py: any write to it (an
editor's in-place save, ``git pull``, a checkout of an older commit) changes its ctime, which no
program can set back, and a replaced file has a new inode. Only clean results are kept: a file
with problems is read again each time (so a problem never hides, and one that time cures, a
date in the future, goes away). Clean stays clean as time passes (no check refuses a date for
being too old). The saved set belongs to one *context*: ilog's version, the templates and the
store's settings; when any of them changes, every file is checked again.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from pathlib import Path

from ilog import __version__
from ilog.derived import cachedir
from ilog.derived.listing import Stamp, stamp
from ilog.errors import IlogError
from ilog.store import atomic
from ilog.store.layout import Store

#: The saved file's name; a new name whenever its format or the checks' meaning changes.
CHECKED = "checked.v1"


def context(*parts: object) -> str:
    """A digest of everything besides a file that decides whether it is clean."""
    return hashlib.sha256(repr((__version__, *parts)).encode("utf-8", "surrogateescape")
                          ).hexdigest()


def stamps(root: Path, names: list[str]) -> dict[str, Stamp]:
    """The stamp of each file named (relative to ``root``) that still exists (a link's own
    stamp: never the file it points to)."""
    found = {}
    for name in names:
        with contextlib.suppress(OSError):
            found[name] = stamp(os.stat(os.path.join(root, name), follow_symlinks=False))
    return found


def load(store: Store, key: str) -> dict[str, Stamp]:
    """The files found clean in this context, each with the stamp it had then."""
    try:
        saved = marshal.loads(_saved_path(store).read_bytes())  # noqa: S302 - ilog's own owner-only data; marshal builds values, never runs code
    except (OSError, EOFError, ValueError, TypeError, IlogError):
        return {}
    if not (isinstance(saved, tuple) and len(saved) == 2 and saved[0] == key
            and isinstance(saved[1], dict)):
        return {}
    return saved[1]


def save(store: Store, key: str, clean: dict[str, Stamp]) -> None:
    """Remember the clean files (best effort: a store whose caches cannot be written is
    checked in full each time)."""
    with contextlib.suppress(IlogError, OSError):
        path = _saved_path(store)
        atomic.replace_file(path, marshal.dumps((key, clean)), private=True)


def _saved_path(store: Store) -> Path:
    return cachedir.home(store) / CHECKED
