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
    if store.settings.cache_home is None:
        raise SearchIndexError(f"{store.root} is read-only and no cache folder is set; "
                               "nowhere to keep ilog's caches")
    key = hashlib.sha256(str(store.root).encode()).hexdigest()[:16]
    private = (store.settings.cache_home / f"store-{key}").resolve()
    try:
        atomic.make_dirs(private, private=True)
    except IlogError as exc:
        raise SearchIndexError(f"{store.root} is read-only and {private} cannot be created "
                               f"({exc}); nowhere to keep ilog's caches") from None
    return private


def locked(folder: Path, *, wait: float) -> AbstractContextManager[bool]:
    """Hold ``folder/index.lock`` (released by the operating system if the process dies);
    yields False if another process held it for ``wait`` seconds (a store's
    ``settings.lock_wait``: then its caches are read as they are, and nothing is saved)."""
    return portable.exclusive(folder / "index.lock", wait=wait)
