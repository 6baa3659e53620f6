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
VERSION = 1
Entry = dict[str, object]


class DamagedCacheError(Exception):
    """A shard cannot be read: the caller rebuilds."""


def entry(record: Record) -> Entry:
    """What the cache keeps of one record."""
    return {"id": record.id, "client": record.client, "type": record.type,
            "date": codec.iso(record.date) or "", "title": record.title,
            "steps": [(s.id, s.text, s.owner, codec.iso(s.due)) for s in record.next_steps]}


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
    """Throw the cache away and write these shards."""
    shutil.rmtree(home / FOLDER, ignore_errors=True)
    for client, entries in shards.items():
        save_shard(home, client, entries)


def present(home: Path) -> bool:
    return (home / FOLDER).is_dir()
