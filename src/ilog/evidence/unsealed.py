"""Sealing records that were written before seals existed: the one change a record may
undergo, from unsealed to sealed (its content otherwise stays as it was)."""

from __future__ import annotations

from pathlib import Path

from ilog.fileformat import seal
from ilog.model import SealState
from ilog.store import atomic
from ilog.store.layout import RECORD, Store, kind
from ilog.store.reading import read_file


def seal_unsealed(store: Store, paths: list[Path] | None = None) -> list[Path]:
    """Seal every unsealed record (of ``paths``: files or folders); return those sealed."""
    sealed = []
    for path in _records(store, paths):
        if path.is_symlink():
            continue  # never read or written through; 'ilog check' reports it
        data = read_file(path, str(store.relative(path)))
        if seal.check(data).state != SealState.NOT_SEALED:
            continue
        atomic.replace_file(path, seal.add(data)[0], expected=data)
        sealed.append(store.relative(path))
    return sealed


def _records(store: Store, paths: list[Path] | None) -> list[Path]:
    if not paths:
        return list(store.record_paths())
    found = []
    for path in paths:
        candidates = sorted(path.rglob("*.md")) if path.is_dir() else [path]
        found += [p for p in candidates if kind(store.relative(p).as_posix()) == RECORD]
    return found
