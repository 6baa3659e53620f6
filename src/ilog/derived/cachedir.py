"""Where a store's derived data lives (search index, caches), and the lock that guards it.

Derived data is never committed and can be deleted at any time: it is rebuilt from the files.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from ilog.errors import SearchIndexError
from ilog.store.layout import Store
from ilog.store.settings import xdg_dir

LOCK_WAIT_SECONDS = 10.0


def home(store: Store) -> Path:
    """``STORE/.ilog/``, or a per-store folder in the user's cache if the store is read-only."""
    derived = store.derived_dir
    with contextlib.suppress(OSError):
        derived.mkdir(exist_ok=True)
    if os.access(derived, os.W_OK):
        return derived
    key = hashlib.sha256(str(store.root).encode()).hexdigest()[:16]
    private = xdg_dir("XDG_CACHE_HOME", ".cache") / "ilog" / f"store-{key}"
    try:
        private.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SearchIndexError(f"{store.root} is read-only and {private} cannot be created "
                               f"({exc.strerror}); nowhere to keep ilog's caches") from None
    return private


@contextlib.contextmanager
def locked(folder: Path, *, wait: float = LOCK_WAIT_SECONDS) -> Iterator[bool]:
    """Hold ``folder/index.lock`` (an flock: the kernel releases it if the process dies);
    yields False if another process held it for ``wait`` seconds."""
    handle = (folder / "index.lock").open("a")
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.05)
        yield True
    finally:
        handle.close()
