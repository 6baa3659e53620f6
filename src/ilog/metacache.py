"""The records' metadata (id, type, date, title, next steps), kept beside the search index.

One shard per client (``.ilog/meta/CLIENT.marshal``), so that a change rewrites one small
file and a look at one client reads one. It is updated with the index, under the same lock,
from the same parsed records, and rebuilt with it; a missing or damaged shard of a client that
has records triggers a rebuild. ``marshal`` loads fast and never runs code.
"""

from __future__ import annotations

import marshal
import shutil
from pathlib import Path

from ilog import codec, fsutil
from ilog.model import Record

FOLDER = "meta"
VERSION = 2
#: (id, client, type, date, title, steps); a step is (id, text, owner, due). Tuples, not
#: dicts: marshal loads them about twice as fast.
Entry = tuple


class DamagedCacheError(Exception):
    """A shard cannot be read: the caller rebuilds."""


ID, CLIENT, TYPE, DATE, TITLE, STEPS = range(6)


def entry(record: Record) -> Entry:
    """What the cache keeps of one record."""
    steps = tuple((s.id, s.text, s.owner, codec.iso(s.due) or "") for s in record.next_steps)
    return (record.id, record.client, record.type, codec.iso(record.date) or "", record.title,
            steps)


def client_of(path: str) -> str:
    """``clients/SLUG/YYYY/NAME.md`` -> ``SLUG``."""
    return path.split("/")[1]


def load_shard(home: Path, client: str) -> dict[str, Entry]:
    """A client's entries by record path ({} for a client with none yet)."""
    path = home / FOLDER / f"{client}.marshal"
    try:
        version, entries = marshal.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, EOFError, ValueError, TypeError) as exc:
        raise DamagedCacheError(str(path)) from exc
    if version != VERSION or not isinstance(entries, dict):
        raise DamagedCacheError(str(path))
    return entries


def load_all(home: Path) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for path in sorted((home / FOLDER).glob("*.marshal")):
        entries.update(load_shard(home, path.stem))
    return entries


def save_shard(home: Path, client: str, entries: dict[str, Entry]) -> None:
    folder = home / FOLDER
    fsutil.make_dirs(folder)
    fsutil.replace_file(folder / f"{client}.marshal", marshal.dumps((VERSION, entries)))


def replace_all(home: Path, shards: dict[str, dict[str, Entry]]) -> None:
    """Throw the cache away and write these shards (the version file last)."""
    shutil.rmtree(home / FOLDER, ignore_errors=True)
    fsutil.make_dirs(home / FOLDER)
    for client, entries in shards.items():
        save_shard(home, client, entries)
    fsutil.replace_file(home / FOLDER / "version", str(VERSION).encode())


def present(home: Path) -> bool:
    """A complete cache of this version is there."""
    try:
        return (home / FOLDER / "version").read_text().strip() == str(VERSION)
    except OSError:
        return False
