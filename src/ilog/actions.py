"""Next steps across records: finding one by its id, marking it done or open again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ilog import codec, dates, metacache, search
from ilog.clients import resolve_client
from ilog.config import identity, user_config
from ilog.errors import AmbiguousError, NotFoundError, StepStateError
from ilog.model import NextStep, Record
from ilog.steps import DONE, REOPENED, StepEvent, latest, read_events, record_event
from ilog.store import Store

MIN_PREFIX = 4


@dataclass
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
    done: StepEvent | None = None

    def overdue(self, today: date) -> bool:
        return self.done is None and self.due is not None and self.due < today


@dataclass
class ActionFilter:
    owner: str = ""
    client: str = ""
    overdue: bool = False
    due_within: int | None = None  # days from today
    include_done: bool = False


def list_actions(store: Store, wanted: ActionFilter, *,
                 today: date | None = None) -> list[Action]:
    """Next steps across all clients, open ones by default, soonest due first."""
    today = today or date.today()
    client = resolve_client(store, wanted.client).slug if wanted.client else ""
    entries = _entries(store, client)
    states = latest(read_events(store, client or None))
    owner = wanted.owner.lower()
    found = [action for path, entry in entries.items()
             for action in _actions(path, entry, states, owner)]
    return sorted((a for a in found if _keep(a, wanted, today)),
                  key=lambda a: (a.due or date.max, a.client, a.text))


def _actions(path: str, entry: metacache.Entry, states: dict[str, StepEvent],
             owner: str) -> list[Action]:
    """The record's steps as actions (only ``owner``'s, when one is given)."""
    made = []
    for step_id, text, step_owner, due in entry[metacache.STEPS]:
        if owner and step_owner.lower() != owner:
            continue
        event = states.get(step_id)
        made.append(Action(id=step_id, text=text, owner=step_owner, due=_day(due),
                           client=entry[metacache.CLIENT], record=entry[metacache.ID],
                           title=entry[metacache.TITLE], path=path,
                           done=event if event and event.event == DONE else None))
    return made


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _keep(action: Action, wanted: ActionFilter, today: date) -> bool:
    if action.done is not None and not wanted.include_done:
        return False
    if wanted.overdue and not action.overdue(today):
        return False
    limit = wanted.due_within
    return limit is None or (action.due is not None and action.due <= today + timedelta(limit))


def _entries(store: Store, client: str) -> dict[str, metacache.Entry]:
    """The metadata cache (of one client, or all), brought up to date first."""
    home = search.refresh(store).folder
    try:
        return metacache.load_shard(home, client) if client else metacache.load_all(home)
    except metacache.DamagedCacheError:
        home = search.reindex(store).folder
        return metacache.load_shard(home, client) if client else metacache.load_all(home)


def open_step_counts(store: Store, today: date) -> dict[str, tuple[int, int]]:
    """client -> (open next steps, overdue ones), straight from the cache."""
    done = {step for step, event in latest(read_events(store)).items() if event.event == DONE}
    limit = today.isoformat()
    counts: dict[str, tuple[int, int]] = {}
    for entry in _entries(store, "").values():
        open_dues = [due for step, _, _, due in entry[metacache.STEPS] if step not in done]
        if open_dues:
            opened, overdue = counts.get(entry[metacache.CLIENT], (0, 0))
            late = sum(1 for due in open_dues if due and due[:10] < limit)
            counts[entry[metacache.CLIENT]] = (opened + len(open_dues), overdue + late)
    return counts


def my_owner_name(store: Store) -> str:
    """The owner name that is "me": user config 'owner', else the identity before any '@'."""
    configured = user_config().get("owner")
    if isinstance(configured, str) and configured:
        return configured
    return identity(store.root).split("@")[0]


def action_as_data(action: Action) -> dict[str, object]:
    return {"id": action.id, "short_id": action.id[:8], "text": action.text,
            "owner": action.owner or None, "due": codec.iso(action.due),
            "done": action.done is not None,
            "done_at": codec.iso(action.done.at) if action.done else None,
            "done_by": action.done.by if action.done else None, "client": action.client,
            "record": action.record, "record_title": action.title, "path": action.path}


def find_step(store: Store, prefix: str) -> tuple[Record, NextStep]:
    """The one next step whose id starts with ``prefix`` (ids are resolved like git's)."""
    wanted = prefix.strip().lower()
    if len(wanted) < MIN_PREFIX or not re.fullmatch(r"[0-9a-z_-]+", wanted):
        raise NotFoundError(f"'{prefix}' is not a next-step id (at least {MIN_PREFIX} "
                            "characters; 'ilog show RECORD' lists the ids)")
    from ilog.index import SearchIndex

    refreshed = search.refresh(store)
    candidates = []
    for path in SearchIndex(refreshed.folder / "index").paths_with_step(wanted):
        record = store.read(store.root / path)
        candidates += [(record, s) for s in record.next_steps if s.id.startswith(wanted)]
    if not candidates:
        raise NotFoundError(f"no next step with id '{prefix}'")
    if len(candidates) > 1:
        listed = "; ".join(f"{s.id[:12]} {s.text!r} ({r.client})" for r, s in candidates[:5])
        raise AmbiguousError(f"'{prefix}' matches {len(candidates)} next steps: {listed}; "
                             "type more of the id")
    return candidates[0]


def mark(store: Store, prefix: str, *, done: bool, note: str = "", when: str = "",
         now: datetime | None = None) -> tuple[Record, NextStep, StepEvent]:
    """Record that a step was done (or is open again); the record itself is not touched."""
    record, step = find_step(store, prefix)
    current = latest(read_events(store, record.client)).get(step.id)
    if done and current is not None and current.event == DONE:
        raise StepStateError(f"next step {step.id[:8]} was done already ({current.by}, "
                             f"{codec.iso(current.at)}); 'ilog reopen' it first to change that")
    if not done and (current is None or current.event != DONE):
        raise StepStateError(f"next step {step.id[:8]} is open already")
    moment = (now or datetime.now().astimezone()).replace(microsecond=0)
    at = dates.parse_when(when, now=moment) if when else moment
    event = StepEvent(step=step.id, record=record.id, event=DONE if done else REOPENED,
                      at=at, by=identity(store.root), recorded=datetime.now().astimezone(),
                      note=note.strip())
    record_event(store, record.client, event)
    return record, step, event
