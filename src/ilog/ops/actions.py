"""Next steps across records: listing them, finding one by its id, marking it done or open.

Everything here reads the client cache (clientcache.py), never the record files in bulk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ilog.derived import clientcache
from ilog.derived.cacheformat import StepRow, current, latest_done, record_steps, when_from
from ilog.errors import AmbiguousError, NotFoundError, StepStateError
from ilog.fileformat import dates
from ilog.model import Completion, NextStep, Progress, Record
from ilog.store.completions import DONE, REOPENED, StepEvent, record_event
from ilog.store.layout import Store
from ilog.store.profiles import resolve_slug
from ilog.store.settings import identity, user_config

MIN_PREFIX = 4


@dataclass(slots=True)
class Action:
    """A next step as ``ilog actions`` lists it: where it comes from and whether it is done."""

    id: str
    text: str
    owner: str
    due: date | None
    client: str
    record: str
    title: str
    path: str
    done: Completion | None = None

    def overdue(self, today: date) -> bool:
        return self.done is None and self.due is not None and self.due < today


@dataclass
class ActionFilter:
    owner: str = ""
    client: str = ""
    overdue: bool = False
    due_within: int | None = None  # days from today
    include_done: bool = False


def list_actions(store: Store, wanted: ActionFilter, *, today: date | None = None,
                 progress: Progress | None = None) -> list[Action]:
    """Next steps across all clients (or one), open ones by default, soonest due first;
    ``progress(done, total)`` hears how catching up with changed clients goes."""
    today = today or date.today()
    if wanted.client:
        shard = clientcache.client_shard(store, resolve_slug(store, wanted.client))
        found = list(shard_actions(shard, wanted, today))
    elif wanted.include_done:
        found = [action for shard in clientcache.shards(store, progress=progress)
                 for action in shard_actions(shard, wanted, today)]
    else:
        found = [action for summary in clientcache.summaries(store, progress=progress)
                 for action in select(summary.open, {}, summary.client.slug, wanted, today)]
    return sorted(found, key=lambda a: (a.due or date.max, a.client, a.text))


def shard_actions(shard: clientcache.Shard, wanted: ActionFilter,
                  today: date) -> Iterator[Action]:
    """The client's next steps that ``wanted`` keeps, with their completion."""
    return select(step_rows(shard), latest_done(list(shard.events.values())), shard.slug,
                  wanted, today)


def step_rows(shard: clientcache.Shard) -> list[StepRow]:
    """Every next step of the client's records (their latest versions), as rows."""
    return [row for path, entry in current(shard.records).items()
            for row in record_steps(path, entry)]


def select(rows: Iterable[StepRow], done: dict[str, tuple[str, str, str]], client: str,
           wanted: ActionFilter, today: date) -> Iterator[Action]:
    """The rows ``wanted`` keeps, as actions (filtered before any object is made)."""
    owner, now = wanted.owner.lower(), today.isoformat()
    limit = (today + timedelta(wanted.due_within)).isoformat() \
        if wanted.due_within is not None else None
    for row in rows:
        finished = done.get(row[0])
        day = row[3][:10]
        if (owner and row[2].lower() != owner) or (finished and not wanted.include_done) \
                or (wanted.overdue and (finished or not day or day >= now)) \
                or (limit is not None and (not day or day > limit)):
            continue
        yield _action(row, client, finished)


def _action(row: StepRow, client: str, done: tuple[str, str, str] | None) -> Action:
    step_id, text, owner, due, record, title, path = row
    completion = Completion(when_from(done[0]), done[1], done[2]) if done else None
    return Action(id=step_id, text=text, owner=owner,
                  due=date.fromisoformat(due[:10]) if due else None, client=client,
                  record=record, title=title, path=path, done=completion)


def my_owner_name(store: Store) -> str:
    """The owner name that is "me": user config 'owner', else the identity before any '@'."""
    configured = user_config().get("owner")
    if isinstance(configured, str) and configured:
        return configured
    return identity(store.root).split("@")[0]


def find_step(store: Store, prefix: str) -> tuple[Record, NextStep]:
    """The one next step, open or done, whose id starts with ``prefix`` (resolved like git's
    ids: a prefix that fits several is an error that lists them)."""
    wanted = prefix.strip().lower()
    if len(wanted) < MIN_PREFIX or not re.fullmatch(r"[0-9a-z_-]+", wanted):
        raise NotFoundError(f"'{prefix}' is not a next-step id (at least {MIN_PREFIX} "
                            "characters; 'ilog actions' and 'ilog show RECORD' list them)")
    clients = [s.client.slug for s in clientcache.summaries(store)
               if any(step.startswith(wanted) for step in s.step_ids)]
    found = [(row, slug) for slug in clients
             for row in step_rows(clientcache.client_shard(store, slug))
             if row[0].startswith(wanted)]
    if not found:
        raise NotFoundError(f"no next step with id '{prefix}'; 'ilog actions --all' lists "
                            "them all")
    if len(found) > 1:
        listed = "; ".join(f"{row[0]} {row[1]!r} ({client})" for row, client in found[:5])
        raise AmbiguousError(f"'{prefix}' matches {len(found)} next steps: {listed}; "
                             "type more of the id")
    row = found[0][0]
    record = store.read(store.root / row[6])
    return record, next(s for s in record.next_steps if s.id == row[0])


def mark(store: Store, prefix: str, *, done: bool, note: str = "", when: str = "",
         now: datetime | None = None) -> tuple[Record, NextStep, StepEvent]:
    """Record that a step was done (or is open again); the record itself is not touched."""
    record, step = find_step(store, prefix)
    shard = clientcache.client_shard(store, record.client)
    completed = latest_done(list(shard.events.values())).get(step.id)
    if done and completed is not None:
        raise StepStateError(f"next step {step.id[:8]} was done already ({completed[1]}, "
                             f"{completed[0]}); 'ilog reopen' it first to change that")
    if not done and completed is None:
        raise StepStateError(f"next step {step.id[:8]} is open already")
    moment = (now or datetime.now().astimezone()).replace(microsecond=0)
    at = dates.parse_when(when, now=moment) if when else moment
    event = StepEvent(step=step.id, record=record.id, event=DONE if done else REOPENED,
                      at=at, by=identity(store.root), recorded=datetime.now().astimezone(),
                      note=note.strip())
    record_event(store, record.client, event)
    return record, step, event
