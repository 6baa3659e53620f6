"""Deleting a record on purpose (purge, erasure), in an order a killed run cannot leave half
done: its tombstone first (created once), then its attachments and the completion, hold and
attach events that name it, and its file last. Running the same deletion again finishes it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from ilog.derived import clientcache
from ilog.fileformat import seal
from ilog.fileformat.dates import day_of
from ilog.model import Record
from ilog.store import atomic, tombstones
from ilog.store.layout import ATTACHED, HOLDS, Store
from ilog.store.reading import read_file


@dataclass(frozen=True)
class Deletion:
    """Why, when and by whom records are deleted, and of which kind (purge or erasure)."""

    kind: str
    reason: str
    by: str
    at: datetime


def events_by_record(store: Store, client: str) -> dict[str, list[str]]:
    """Record id -> the paths of the completion events that name it."""
    found: dict[str, list[str]] = {}
    for event in clientcache.client_files(store, client).events:
        if event.path is not None:
            found.setdefault(event.record, []).append(event.path.as_posix())
    return found


def delete_record(store: Store, record: Record, events: list[str], deletion: Deletion) -> None:
    """Delete one record (a file already gone is skipped): see the module's docstring."""
    path = store.file_of(record)
    try:
        data = read_file(path, str(record.path))
    except FileNotFoundError:
        return
    tombstones.write(store, tombstones.Tombstone(
        record=record.id, client_sha256=tombstones.client_hash(record.client),
        date=day_of(record.date).isoformat() if record.date else "",
        seal=seal.check(data).claimed, sha256=hashlib.sha256(data).hexdigest(),
        deleted=deletion.at.isoformat(), reason=deletion.reason, by=deletion.by,
        kind=deletion.kind))
    atomic.remove_tree(path.with_suffix(""))
    for event in events:
        atomic.remove(store.root / event)
    for folder in (HOLDS, ATTACHED):  # a released hold's or a document's reason may name
        for named in (store.client_dir(record.client) / folder).glob(f"*-{record.id}-*.yaml"):
            atomic.remove(named)  # people too
    atomic.remove(path)
