"""A client's history: the briefing to read before a meeting, and the timeline.

Everything comes from the client cache: looking at one client stats that client's files only
and parses none that did not change (see clientcache.py). Bodies are read from the files only
when asked for (``full``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice

from ilog.derived.clientcache import ClientFiles, client_files
from ilog.errors import IlogError
from ilog.fileformat import codec, threads
from ilog.fileformat.dates import day_of
from ilog.model import Client, OtherVersion, Problem, Record, TrackedStep, When
from ilog.ops.recordfiles import later_files
from ilog.store.layout import Store
from ilog.store.profiles import resolve_slug
from ilog.store.reading import read_file

#: How many of the latest decisions the briefing shows.
RECENT_DECISIONS = 5


@dataclass
class HistoryFilter:
    """What narrows the timeline (the briefing is always about the whole client)."""

    since: date | None = None
    until: date | None = None
    types: list[str] = field(default_factory=list)  # any of them
    case: str = ""
    tags: list[str] = field(default_factory=list)  # all of them
    limit: int | None = None  # the newest N that match
    reverse: bool = False  # oldest first
    full: bool = False  # with the bodies
    withdrawn: bool = False  # withdrawn interactions too (ilog void, ilog move)


@dataclass
class Entry:
    """One record in the timeline (the latest version), with its steps' states and its
    versions."""

    record: Record
    steps: list[TrackedStep]
    amends: str = ""  # the id of the version this one corrects
    #: Every version's id, oldest first (just this record's when it was never amended).
    versions: list[str] = field(default_factory=list)
    #: Records that amend this one; only when versions fork or loop is a superseded record shown.
    amended_by: list[str] = field(default_factory=list)
    #: The interaction's other current versions, if it diverged.
    diverged: list[OtherVersion] = field(default_factory=list)
    #: Where an e-mail stands in its thread (None: it is no part of one).
    thread: threads.Place | None = None


@dataclass
class Decision:
    text: str
    date: When | None
    record: str
    title: str


@dataclass
class Briefing:
    """What to know before the meeting: figures, open steps, the latest decisions."""

    client: Client
    interactions: int
    by_type: dict[str, int]
    last_contact: When | None
    days_since: int | None
    open_steps: list[TrackedStep]  # soonest due first, so overdue ones lead
    overdue: int
    decisions: list[Decision]


@dataclass
class History:
    briefing: Briefing
    entries: list[Entry]
    matched: int  # records that match the filter, before the limit
    problems: list[Problem]
    today: date
    reverse: bool = False  # the entries are oldest first


def history(store: Store, name: str, wanted: HistoryFilter, *,
            today: date | None = None) -> History:
    """The briefing and timeline of the client ``name`` means. Writes only derived data: the
    client's cache shard, under the derived data's lock (a busy lock: the files are read and
    nothing is saved)."""
    today = today or date.today()
    files = client_files(store, resolve_slug(store, name))
    records = _newest_first(files.current())
    timeline = _newest_first(files.current(withdrawn=True)) if wanted.withdrawn else records
    chosen = [record for record in timeline if _matches(record, wanted)]
    shown = chosen[:wanted.limit] if wanted.limit is not None else chosen
    if wanted.reverse:
        shown.reverse()
    for record in shown:  # an untitled note is known by its first line
        if wanted.full or not record.title:
            record.body = _body(store, record)
    later = later_files(store, files.slug)
    for record in shown:  # with the files added after it was sealed
        record.attachments = record.attachments + later.get(record.id, [])
    return History(briefing=_briefing(files, records, today), matched=len(chosen),
                   entries=_entries(files, shown, records), problems=files.problems,
                   today=today, reverse=wanted.reverse)


def _newest_first(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (instant(r.date), r.id), reverse=True)


def _matches(record: Record, wanted: HistoryFilter) -> bool:
    day = day_of(record.date) if record.date is not None else None
    return ((wanted.since is None or (day is not None and day >= wanted.since))
            and (wanted.until is None or (day is not None and day <= wanted.until))
            and (not wanted.types or record.type.lower() in {t.lower() for t in wanted.types})
            and (not wanted.case or record.case.lower() == wanted.case.lower())
            and {t.lower() for t in wanted.tags} <= {t.lower() for t in record.tags})


def _briefing(files: ClientFiles, records: list[Record], today: date) -> Briefing:
    steps = sorted((s for s in files.steps() if s.closed is None),
                   key=lambda s: (s.due_day or date.max, s.step.text))
    # the newest record that is not dated ahead (records come newest first)
    last = next((r.date for r in records if r.date is not None and day_of(r.date) <= today), None)
    return Briefing(
        client=files.client, interactions=len(records),
        by_type=dict(Counter(r.type for r in records).most_common()), last_contact=last,
        days_since=(today - day_of(last)).days if last is not None else None,
        open_steps=steps, overdue=sum(1 for s in steps if s.overdue(today)),
        decisions=list(islice((Decision(text, r.date, r.id, r.title) for r in records
                               for text in r.decisions), RECENT_DECISIONS)),
    )


def _entries(files: ClientFiles, shown: list[Record], records: list[Record]) -> list[Entry]:
    chain = files.chains
    thread = threads.places((r.id, r.extra) for r in reversed(records))
    return [Entry(r, files.tracked(r), chain.amends.get(r.id, ""), chain.versions(r.id),
                  chain.amended_by.get(r.id, []), files.diverged(r.id), thread.get(r.id))
            for r in shown]


def _body(store: Store, record: Record) -> str:
    """The record's body, read from its file ("" if it cannot be read now)."""
    try:
        text = codec.decode_bytes(read_file(store.file_of(record), str(record.path)))
        return codec.normalize_body(codec.split(text)[1])
    except (OSError, IlogError):
        return ""


def instant(value: When | None) -> float:
    """Seconds since the epoch (a day counts from its local midnight), for ordering."""
    if value is None:
        return float("-inf")
    if isinstance(value, datetime):
        return value.timestamp()
    return datetime(value.year, value.month, value.day).timestamp()

