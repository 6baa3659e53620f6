"""The newest interactions across every client (``ilog log``), as ``git log`` lists commits.

A record's file name starts with its day (``2026-11-22-quarterly-review-36xjj334.md``), so
the newest records are found from the listing of the store's files (listing.py, made by GNU
find while Python starts) without reading any record: the candidates are taken day by day,
newest first: their clients' cached summaries say which are earlier versions or withdrawals
(clientcache.py), and only the rest are read. Reading stops once a day has filled the page.
A file whose name starts with no day (written by hand) is always read and placed by its date.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ilog.derived import clientcache
from ilog.errors import IlogError
from ilog.fileformat import versions
from ilog.fileformat.dates import day_of
from ilog.model import Record
from ilog.ops.history import Entry, instant
from ilog.store.layout import RECORD, Store, kind
from ilog.store.profiles import resolve_slug

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class LogFilter:
    """Which interactions ``log`` lists."""

    client: str = ""
    types: list[str] = field(default_factory=list)  # any of them
    owner: str = ""  # with a next step of this owner
    since: date | None = None
    until: date | None = None
    limit: int = 20


def log(store: Store, wanted: LogFilter, *, with_steps: bool = False) -> list[Entry]:
    """The newest ``wanted.limit`` current interactions that match, newest first; each
    record's steps with their completions only ``with_steps`` (that reads its client's
    cache). Writes only derived data: the cache shards of the clients it reads, under the
    derived data's lock."""
    found: list[Entry] = []
    seen: dict[str, clientcache.Summary] = {}
    dated = 0  # entries of files named by their day: once they fill the page, older days wait
    for name_day, paths in _days(store, wanted):  # "": names with no day, read first
        new = sorted({path.split("/")[1] for path in paths} - set(seen))
        seen.update(clientcache.summaries_of(store, new))
        day = [record for path in paths if path not in seen[path.split("/")[1]].hidden
               and (record := _read(store, path)) is not None and _matches(record, wanted)]
        found += [_entry(store, record, with_steps=with_steps) for record in day]
        dated += len(day) if name_day else 0
        if dated >= wanted.limit:
            break
    found.sort(key=lambda e: (instant(e.record.date), e.record.id), reverse=True)
    return found[:wanted.limit]


def _days(store: Store, wanted: LogFilter) -> list[tuple[str, list[str]]]:
    """Record paths grouped by the day their name starts with, newest day first (the
    shards caught up with the store on the way)."""
    raw = clientcache.catch_up(store)
    if wanted.client:
        slug = resolve_slug(store, wanted.client)
        paths = [f"clients/{slug}/{Path(folder).name}/{name}"
                 for folder, name in store.record_files(slug)]
    else:
        paths = ["clients/" + line.split(b"\t", 1)[0].decode("utf-8", "surrogateescape")[2:]
                 for line in raw.splitlines() if b".md\t" in line]
    days: dict[str, list[str]] = defaultdict(list)
    since, until = (d.isoformat() if d else "" for d in (wanted.since, wanted.until))
    for path in paths:
        day = path.rsplit("/", 1)[-1][:10]
        if not _DAY.match(day):  # named by hand: its day is known once it is read
            days[""].append(path)
        elif (not since or day >= since) and (not until or day <= until):
            days[day].append(path)
    return [(day, [p for p in days[day] if kind(p) == RECORD])
            for day in sorted(days, key=lambda d: d or "9", reverse=True)]


def _read(store: Store, path: str) -> Record | None:
    """The record at ``path``, or None if it cannot be read now ('ilog check' says why)."""
    try:
        return store.read(store.root / path)
    except IlogError:
        return None


def _entry(store: Store, record: Record, *, with_steps: bool) -> Entry:
    versions_of = [record.id]
    amends = versions.amends_of(record.extra)
    if not (with_steps or amends):
        return Entry(record, [], amends, versions_of)
    files = clientcache.client_files(store, record.client)
    chain = files.chains
    return Entry(record, files.tracked(record), chain.amends.get(record.id, ""),
                 chain.versions(record.id), chain.amended_by.get(record.id, []))


def _matches(record: Record, wanted: LogFilter) -> bool:
    day = day_of(record.date) if record.date is not None else None
    owner = wanted.owner.lower()
    return ((not wanted.types or record.type.lower() in {t.lower() for t in wanted.types})
            and (not owner or any(s.owner.lower() == owner for s in record.next_steps))
            and (wanted.since is None or (day is not None and day >= wanted.since))
            and (wanted.until is None or (day is not None and day <= wanted.until)))
