"""Retention: deleting records that are past their retention period, leaving tombstones.

The period comes from the client's profile (``retention: 10y``) or the store's ``ilog.toml``
(``[retention] default = "7y"``), read by store/keeping.py; none means for ever. A record
and its amendments go together, when the latest version is past retention, unless one of
them is under a legal hold (holds.py). Each record goes as deletion.py deletes: a killed
purge is finished by running it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ilog.derived import clientcache
from ilog.evidence.deletion import Deletion, delete_record, events_by_record
from ilog.evidence.holds import held
from ilog.fileformat import dates, versions
from ilog.fileformat.durations import Duration
from ilog.model import Progress, Record
from ilog.store import tombstones
from ilog.store.keeping import retention
from ilog.store.layout import Store
from ilog.store.profiles import client_slugs
from ilog.store.usersettings import identity


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
    """What a purge would delete today, and what holds keep. A retention setting that does
    not read stops it (FormatError names the file, the line and the fix: store/keeping.py)."""
    today = today or date.today()
    found = Plan()
    for slug in client_slugs(store):
        kept = retention(store, slug)
        if kept.span is None:
            continue
        for item in _expired(store, slug, kept.text, kept.span, today):
            (found.held if item.hold else found.expired).append(item)
    return found


def _expired(store: Store, slug: str, text: str, span: Duration,
             today: date) -> list[Expired]:
    files = clientcache.client_files(store, slug)
    records, chain = files.records, files.chains
    holds = held(store, slug)
    found = []
    for ids in versions.groups(chain, records):
        members = [records[i] for i in ids if i in records]
        latest = [records[i] for i in chain.latest(ids[0]) if i in records]
        days = [dates.day_of(r.date) for r in latest or members if r.date is not None]
        if not days:  # no date, no end of retention: when in doubt, keep
            continue
        day = max(days)
        ended = span.after(day)
        if ended < today:
            hold = next((holds[r.id].reason or "legal hold" for r in members if r.id in holds),
                        "")
            found.append(Expired(slug, members, text, ended, hold))
    return found


def purge(store: Store, expired: list[Expired], *, now: datetime | None = None,
          progress: Progress | None = None) -> int:
    """Delete what ``plan`` found (tombstones left); return how many records went."""
    now = now or datetime.now().astimezone().replace(microsecond=0)
    by, count = identity(store.settings, store.root), 0
    by_client: dict[str, dict[str, list[str]]] = {}
    for number, item in enumerate(expired, 1):
        if item.client not in by_client:  # read once: deleting adds no event
            by_client[item.client] = events_by_record(store, item.client)
        events = by_client[item.client]
        deletion = Deletion(tombstones.PURGE, f"retention of {item.retention} ended "
                            f"{item.ended.isoformat()}", by, now)
        for record in item.records:
            delete_record(store, record, events.get(record.id, []), deletion)
            count += 1
        if progress is not None:
            progress(number, len(expired))
    return count
