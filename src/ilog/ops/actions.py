"""Next steps across records: listing them, finding one by its id, marking it done or open.

Everything here reads the client cache (clientcache.py), never the record files in bulk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ilog.derived import clientcache
from ilog.derived.lookup import step_hint
from ilog.errors import AmbiguousError, DateError, NotFoundError, StepStateError
from ilog.fileformat import codec, dates
from ilog.model import NextStep, Progress, Record, TrackedStep, When
from ilog.store.completions import DONE, REOPENED, StepEvent, record_event
from ilog.store.layout import Store
from ilog.store.profiles import resolve_slug
from ilog.store.settings import identity, user_config

MIN_PREFIX = 4


@dataclass
class ActionFilter:
    owner: str = ""
    client: str = ""
    overdue: bool = False
    due_within: int | None = None  # days from today
    include_done: bool = False


def list_actions(store: Store, wanted: ActionFilter, *, today: date | None = None,
                 progress: Progress | None = None) -> list[TrackedStep]:
    """Next steps across all clients (or one), open ones by default, soonest due first;
    ``progress(done, total)`` hears how catching up with changed clients goes."""
    today = today or date.today()
    if wanted.client:
        steps = clientcache.client_files(store, resolve_slug(store, wanted.client)).steps()
    elif wanted.include_done:
        steps = [step for files in clientcache.every_client(store, progress=progress)
                 for step in files.steps()]
    else:
        steps = [step for summary in clientcache.summaries(store, progress=progress)
                 for step in summary.open]
    found = [step for step in steps if keeps(wanted, step, today)]
    return sorted(found, key=lambda s: (s.due_day or date.max, s.client, s.step.text))


def keeps(wanted: ActionFilter, tracked: TrackedStep, today: date) -> bool:
    """Whether ``wanted`` keeps the step."""
    due = tracked.due_day
    owner = wanted.owner.lower()
    return not ((owner and tracked.step.owner.lower() != owner)
                or (tracked.done is not None and not wanted.include_done)
                or (wanted.overdue and not tracked.overdue(today))
                or (wanted.due_within is not None
                    and (due is None or due > today + timedelta(wanted.due_within))))


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
    found = [tracked for slug in clients for tracked in clientcache.client_files(store, slug).steps()
             if tracked.step.id.startswith(wanted)]
    if not found:
        raise NotFoundError(f"no next step with id '{prefix}'{step_hint(store, prefix)}")
    if len(found) > 1:
        listed = "; ".join(f"{t.step.id} {t.step.text!r} ({t.client})" for t in found[:5])
        raise AmbiguousError(f"'{prefix}' matches {len(found)} next steps: {listed}; "
                             "type more of the id")
    record = store.read(store.root / found[0].path)
    return record, next(s for s in record.next_steps if s.id == found[0].step.id)


def _check_completion_date(at: When, record: Record, now: datetime) -> None:
    """A step is done between the interaction that set it and now."""
    if dates.is_future(at, now):
        raise DateError(f"{codec.iso(at)} is in the future; give the moment the step was done")
    if record.date is not None and dates.earlier(at, record.date):
        raise DateError(f"{codec.iso(at)} is before {codec.iso(record.date)}, when record "
                        f"{record.short_id} set the step; give the moment it was done")


def mark(store: Store, prefix: str, *, done: bool, note: str = "", when: str = "",
         now: datetime | None = None) -> tuple[Record, NextStep, StepEvent]:
    """Record that a step was done (or is open again); the record itself is not touched."""
    record, step = find_step(store, prefix)
    completed = clientcache.client_files(store, record.client).completions.get(step.id)
    if done and completed is not None:
        raise StepStateError(f"next step {step.id[:8]} was done already ({completed.by}, "
                             f"{codec.iso(completed.at)}); 'ilog reopen' it first to change "
                             "that")
    if not done and completed is None:
        raise StepStateError(f"next step {step.id[:8]} is open already")
    moment = (now or datetime.now().astimezone()).replace(microsecond=0)
    at = dates.parse_when(when, now=moment) if when else moment
    _check_completion_date(at, record, moment)
    event = StepEvent(step=step.id, record=record.id, event=DONE if done else REOPENED,
                      at=at, by=identity(store.root), recorded=datetime.now().astimezone(),
                      note=note.strip())
    record_event(store, record.client, event)
    return record, step, event
