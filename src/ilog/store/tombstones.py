"""Tombstones: what is left of a record that was deleted on purpose (purge or erasure), so
that the audit trail still adds up: ``ilog verify`` accepts a deletion that has one.

``tombstones/YEAR/RECORDID.yaml`` (YEAR of the deletion) holds the record's id, its date,
its seal and the SHA-256 of its file, when, why and by whom it was deleted, and which client
it belonged to as a SHA-256 of the client's slug: no personal data. A tombstone is created
once and never changed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ilog.errors import IlogError
from ilog.fileformat import yamlrules
from ilog.store import atomic
from ilog.store.layout import TOMBSTONES, Store
from ilog.store.reading import read_file

PURGE, ERASURE = "purge", "erasure"


@dataclass
class Tombstone:
    record: str
    client_sha256: str
    date: str
    seal: str
    sha256: str
    deleted: str
    reason: str
    by: str
    kind: str


def client_hash(slug: str) -> str:
    """The slug's SHA-256: tells tombstones of one client apart without naming it."""
    return hashlib.sha256(slug.encode()).hexdigest()


def write(store: Store, tombstone: Tombstone) -> Path:
    """Create the tombstone's file (an existing one, from an interrupted run, is kept)."""
    folder = store.root / TOMBSTONES / tombstone.deleted[:4]
    atomic.make_dirs(folder)
    path = folder / f"{tombstone.record}.yaml"
    if not list(store.root.glob(f"{TOMBSTONES}/*/{tombstone.record}.yaml")):
        atomic.create_file(path, yamlrules.dump(asdict(tombstone)).encode("utf-8"))
    return path


def erased(store: Store, slug: str) -> bool:
    """Whether an erasure of the client ``slug`` left tombstones (it was started)."""
    wanted = client_hash(slug)
    return any(fields.get("kind") == ERASURE and fields.get("client_sha256") == wanted
               for fields in _read_all(store).values())


def proofs(store: Store) -> dict[str, str]:
    """Record id -> the SHA-256 its tombstone says the deleted file had ("" for a tombstone
    that does not read as one: an empty or made-up file proves nothing)."""
    found: dict[str, str] = {}
    for record, fields in _read_all(store).items():
        digest = fields.get("sha256")
        valid = fields.get("record") == record and isinstance(digest, str) and len(digest) == 64
        found[record] = str(digest) if valid else ""
    return found


def _read_all(store: Store) -> dict[str, dict[str, Any]]:
    """File stem (the record id it names) -> the fields of every tombstone ({} for one that
    does not read as a mapping)."""
    found: dict[str, dict[str, Any]] = {}
    for path in (store.root / TOMBSTONES).glob("*/*.yaml"):
        try:
            data, _ = yamlrules.load(read_file(path, path.name).decode("utf-8"))
        except (OSError, UnicodeDecodeError, IlogError):
            data = None
        found[path.stem] = data if isinstance(data, dict) else {}
    return found


def record_ids(store: Store) -> set[str]:
    """The ids of every record that has a tombstone (from the file names: nothing parsed)."""
    found: set[str] = set()
    try:
        years = [entry.path for entry in os.scandir(store.root / TOMBSTONES) if entry.is_dir()]
    except FileNotFoundError:
        return found
    for year in years:
        with os.scandir(year) as entries:
            found.update(e.name[:-5] for e in entries if e.name.endswith(".yaml"))
    return found
