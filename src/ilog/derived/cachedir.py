"""Where a store's derived data lives (search index, caches), and the lock that guards it.

Derived data is never committed and can be deleted at any time: it is rebuilt from the files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from contextlib import AbstractContextManager
from pathlib import Path

from ilog.errors import IlogError, SearchIndexError
from ilog.store import atomic, portable
from ilog.store.layout import Store
from ilog.store.settings import xdg_dir

#: How long to wait for another ilog process that is updating the derived data before
#: going on without it (its caches are then read as they are, and nothing is saved).
LOCK_WAIT_SECONDS = 10.0


def home(store: Store) -> Path:
    """``STORE/.ilog/``, or a per-store folder in the user's cache if the store is read-only;
    owner-only (0700) either way: it holds the records' words, and git does not share it."""
    derived = store.derived_dir
    with contextlib.suppress(IlogError):  # a read-only store: see below
        atomic.make_dirs(derived, private=True)
    atomic.refuse_links(derived)
    if derived.exists() and not derived.is_dir():
        raise SearchIndexError(f"{derived} is not a folder; remove it (ilog keeps only what it "
                               "derives from the records there, and makes it again)")
    if os.access(derived, os.W_OK):
        return derived
    key = hashlib.sha256(str(store.root).encode()).hexdigest()[:16]
    private = (xdg_dir("XDG_CACHE_HOME", ".cache") / "ilog" / f"store-{key}").resolve()
    try:
        atomic.make_dirs(private, private=True)
    except IlogError as exc:
        raise SearchIndexError(f"{store.root} is read-only and {private} cannot be created "
                               f"({exc}); nowhere to keep ilog's caches") from None
    return private


def locked(folder: Path, *, wait: float | None = None) -> AbstractContextManager[bool]:
    """Hold ``folder/index.lock`` (released by the operating system if the process dies);
    yields False if another process held it for ``wait`` seconds (default: ILOG_LOCK_WAIT
    from the environment, else LOCK_WAIT_SECONDS)."""
    return portable.exclusive(folder / "index.lock", wait=lock_wait() if wait is None else wait)


def lock_wait() -> float:
    """The seconds to wait for a busy lock (ILOG_LOCK_WAIT, docs/configuration.md)."""
    try:
        return max(0.0, float(os.environ.get("ILOG_LOCK_WAIT", LOCK_WAIT_SECONDS)))
    except ValueError:
        return LOCK_WAIT_SECONDS
