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

from ilog.derived.cacheformat import (
    client_from_entry,
    latest_done,
    problem_from_entry,
    records_and_chains,
    when_from,
)
from ilog.derived.clientcache import Shard, client_shard
from ilog.errors import IlogError
from ilog.fileformat import codec, versions
from ilog.fileformat.dates import day_of
from ilog.model import Client, Completion, NextStep, Problem, Record, When
from ilog.ops.actions import Action, ActionFilter, select, step_rows
from ilog.store.layout import Store
from ilog.store.profiles import resolve_slug

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


@dataclass
class StepState:
    """A next step of a record in the timeline, and whether it is done."""

    step: NextStep
    done: Completion | None

    def state(self, today: date) -> str:
        if self.done is not None:
            return "done"
        due = self.step.due
        return "overdue" if due is not None and day_of(due) < today else "open"


@dataclass
class Entry:
    """One record in the timeline (the latest version), with its steps' states and its
    versions."""

    record: Record
    steps: list[StepState]
    amends: str = ""  # the id of the version this one corrects
    #: Every version's id, oldest first (just this record's when it was never amended).
    versions: list[str] = field(default_factory=list)
    #: Records that amend this one; only when versions fork or loop is a superseded record shown.
    amended_by: list[str] = field(default_factory=list)


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
    open_steps: list[Action]  # soonest due first, so overdue ones lead
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
    """The briefing and timeline of the client ``name`` means."""
    today = today or date.today()
    shard = client_shard(store, resolve_slug(store, name))
    every, chain = records_and_chains(shard.records)
    records = sorted((r for r in every.values() if not chain.superseded(r.id)),
                     key=lambda r: (_instant(r.date), r.id), reverse=True)
    latest = latest_done(list(shard.events.values()))
    chosen = [record for record in records if _matches(record, wanted)]
    shown = chosen[:wanted.limit] if wanted.limit is not None else chosen
    if wanted.reverse:
        shown.reverse()
    if wanted.full:
        for record in shown:
            record.body = _body(store, record)
    done = {step: Completion(when_from(at), by, note) for step, (at, by, note) in latest.items()}
    return History(briefing=_briefing(shard, records, latest, today), matched=len(chosen),
                   entries=_entries(shown, chain, done), problems=_problems(shard),
                   today=today, reverse=wanted.reverse)


def _matches(record: Record, wanted: HistoryFilter) -> bool:
    day = day_of(record.date) if record.date is not None else None
    return ((wanted.since is None or (day is not None and day >= wanted.since))
            and (wanted.until is None or (day is not None and day <= wanted.until))
            and (not wanted.types or record.type.lower() in {t.lower() for t in wanted.types})
            and (not wanted.case or record.case.lower() == wanted.case.lower())
            and {t.lower() for t in wanted.tags} <= {t.lower() for t in record.tags})


def _briefing(shard: Shard, records: list[Record], latest: dict[str, tuple[str, str, str]],
              today: date) -> Briefing:
    steps = sorted(select(step_rows(shard), latest, shard.slug, ActionFilter(), today),
                   key=lambda a: (a.due or date.max, a.text))
    last = records[0].date if records else None
    return Briefing(
        client=client_from_entry(shard.profile), interactions=len(records),
        by_type=dict(Counter(r.type for r in records).most_common()), last_contact=last,
        days_since=(today - day_of(last)).days if last is not None else None,
        open_steps=steps, overdue=sum(1 for a in steps if a.overdue(today)),
        decisions=list(islice((Decision(text, r.date, r.id, r.title) for r in records
                               for text in r.decisions), RECENT_DECISIONS)),
    )


def _entries(shown: list[Record], chain: versions.Chains,
             done: dict[str, Completion]) -> list[Entry]:
    return [Entry(r, [StepState(s, done.get(s.id)) for s in r.next_steps],
                  chain.amends.get(r.id, ""), chain.versions(r.id),
                  chain.amended_by.get(r.id, [])) for r in shown]


def _problems(shard: Shard) -> list[Problem]:
    return [problem_from_entry(entry) for path in sorted(shard.problems)
            for entry in shard.problems[path]]


def _body(store: Store, record: Record) -> str:
    """The record's body, read from its file ("" if it cannot be read now)."""
    try:
        text = codec.decode_bytes((store.root / record.path).read_bytes())
        return codec.normalize_body(codec.split(text)[1])
    except (OSError, IlogError):
        return ""


def _instant(value: When | None) -> float:
    """Seconds since the epoch (a day counts from its local midnight), for ordering."""
    if value is None:
        return float("-inf")
    if isinstance(value, datetime):
        return value.timestamp()
    return datetime(value.year, value.month, value.day).timestamp()

