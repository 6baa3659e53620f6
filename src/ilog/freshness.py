"""Knowing what changed in the store since the index was last brought up to date.

The manifest maps each record's path (relative to the store) to the size, mtime (ns) and
SHA-256 of the file as it was indexed. Comparing it with a fresh ``stat`` of every record file
finds files added, removed, renamed (removed + added) or changed by anything: ilog, an editor,
``git pull``, a copy. A file whose stamp changed but whose bytes did not (a ``touch``, a git
checkout of the same content) is re-hashed but not re-indexed.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from dataclasses import dataclass, field
from pathlib import Path

from ilog import fsutil
from ilog.store import Store

Stamp = tuple[int, int]
#: path -> (size, mtime_ns, sha256 hex)
Manifest = dict[str, tuple[int, int, str]]
MANIFEST_VERSION = 1


@dataclass
class Changes:
    """Paths (relative to the store, POSIX style) that the index must catch up with."""

    stamps: dict[str, Stamp] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def current_stamps(store: Store) -> dict[str, Stamp]:
    """(size, mtime_ns) of every record file, keyed by its path relative to the store."""
    root = str(store.root) + os.sep
    stamps = {}
    for folder, name in store.record_files():
        try:
            info = os.stat(os.path.join(folder, name))
        except FileNotFoundError:
            continue
        stamps[(folder + "/" + name).removeprefix(root).replace(os.sep, "/")] = \
            (info.st_size, info.st_mtime_ns)
    return stamps


def changes(store: Store, manifest: Manifest) -> Changes:
    """What differs between the store now and ``manifest``."""
    stamps = current_stamps(store)
    found = Changes(stamps=stamps)
    for path, stamp in stamps.items():
        known = manifest.get(path)
        if known is None:
            found.added.append(path)
        elif known[:2] != stamp:
            found.changed.append(path)
    found.removed = [path for path in manifest if path not in stamps]
    return found


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load(path: Path) -> Manifest | None:
    """The manifest saved at ``path``, or None if it is missing, foreign or damaged.

    ``marshal`` (not pickle: loading it never runs code) reads 100k entries in ~10 ms."""
    try:
        version, manifest = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if version != MANIFEST_VERSION or not isinstance(manifest, dict):
        return None
    return manifest


def save(path: Path, manifest: Manifest) -> None:
    fsutil.replace_file(path, marshal.dumps((MANIFEST_VERSION, manifest)))
