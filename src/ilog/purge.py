"""Retention: deleting records that are past their retention period, leaving tombstones.

The period comes from the client's profile (``retention: 10y``) or the store's ``ilog.toml``
(``[retention] default = "7y"``); none means for ever. A record and its amendments go
together, when the latest version is past retention, unless one of them is under a legal
hold (holds.py). Each record goes in an order that a killed run cannot leave half done: its
tombstone first (created once), then its attachments and the events that name it, and its
file last; running the purge again finishes the job.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime

from ilog import clientcache, dates, seal, tombstones, versions
from ilog.clients import client_slugs, load_client
from ilog.config import identity
from ilog.entries import record_from_entry
from ilog.errors import DateError, FormatError
from ilog.holds import held
from ilog.model import Progress, Record
from ilog.store import PROFILE, STORE_FILE, Store


@dataclass
class Expired:
    """An interaction past its retention: every version of the record, oldest first."""

    client: str
    records: list[Record]
    retention: str
    ended: date  # the last day of the retention period
    hold: str = ""  # why it is kept anyway ("" if it is not under hold)


@dataclass
class Plan:
    expired: list[Expired] = field(default_factory=list)  # to delete
    held: list[Expired] = field(default_factory=list)  # past retention, kept by a hold


def plan(store: Store, today: date | None = None) -> Plan:
    """What a purge would delete today, and what holds keep."""
    today = today or date.today()
    found = Plan()
    for slug in client_slugs(store):
        retention = _retention(store, slug)
        if dates.parse_period(retention) is None:
            continue
        for item in _expired(store, slug, retention, today):
            (found.held if item.hold else found.expired).append(item)
    return found


def _retention(store: Store, slug: str) -> str:
    own = load_client(store, slug).extra.get("retention")
    text, where = (str(own), f"clients/{slug}/{PROFILE}") if own is not None else \
        (store.config.retention, STORE_FILE)
    try:
        dates.parse_period(text)
    except DateError as exc:
        raise FormatError(str(exc), path=where, field="retention") from None
    return text


def _expired(store: Store, slug: str, retention: str, today: date) -> list[Expired]:
    shard = clientcache.client_shard(store, slug)
    records = {r.id: r for r in (record_from_entry(p, e) for p, e in shard.records.items())}
    chain = versions.chains((i, versions.amends_of(r.extra)) for i, r in records.items())
    holds = held(store, slug)
    period = dates.parse_period(retention)
    assert period is not None
    found = []
    for first in sorted({chain.first(i) for i in records}):
        members = [records[i] for i in chain.versions(first) if i in records]
        latest = [records[i] for i in chain.latest(first) if i in records]
        day = max(record_day(r) for r in latest or members)
        ended = dates.after(day, period)
        if ended < today:
            hold = next((holds[r.id].reason or "legal hold" for r in members if r.id in holds),
                        "")
            found.append(Expired(slug, members, retention, ended, hold))
    return found


def record_day(record: Record) -> date:
    """The day a record's interaction happened."""
    value = record.date
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def purge(store: Store, expired: list[Expired], *, now: datetime | None = None,
          progress: Progress | None = None) -> int:
    """Delete what ``plan`` found (tombstones left); return how many records went."""
    now = now or datetime.now().astimezone().replace(microsecond=0)
    by, count = identity(store.root), 0
    for number, item in enumerate(expired, 1):
        events = events_by_record(store, item.client)
        for record in item.records:
            delete_record(store, record, events.get(record.id, []), tombstones.Tombstone(
                record=record.id, client_sha256=tombstones.client_hash(item.client),
                date=record_day(record).isoformat(), seal="", sha256="",
                deleted=now.isoformat(), reason=f"retention of {item.retention} ended "
                f"{item.ended.isoformat()}", by=by, kind=tombstones.PURGE))
            count += 1
        if progress is not None:
            progress(number, len(expired))
    return count


def events_by_record(store: Store, client: str) -> dict[str, list[str]]:
    """Record id -> the paths of the completion events that name it."""
    found: dict[str, list[str]] = {}
    for path, entry in clientcache.client_shard(store, client).events.items():
        found.setdefault(entry[1], []).append(path)
    return found


def delete_record(store: Store, record: Record, events: list[str],
                  tombstone: tombstones.Tombstone) -> None:
    """Tombstone, then attachments and events, then the file: a killed run leaves at most a
    tombstone beside a record that is still whole, and running again finishes."""
    assert record.path is not None
    path = store.root / record.path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    tombstone.sha256 = hashlib.sha256(data).hexdigest()
    tombstone.seal = seal.check(data).claimed
    tombstones.write(store, tombstone)
    shutil.rmtree(path.with_suffix(""), ignore_errors=True)
    for event in events:
        (store.root / event).unlink(missing_ok=True)
    path.unlink(missing_ok=True)
