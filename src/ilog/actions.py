"""Next steps across records: finding one by its id, marking it done or open again."""

from __future__ import annotations

import re
from datetime import datetime

from ilog import codec, dates, search
from ilog.config import identity
from ilog.errors import AmbiguousError, NotFoundError, StepStateError
from ilog.model import NextStep, Record
from ilog.steps import DONE, REOPENED, StepEvent, latest, read_events, record_event
from ilog.store import Store

MIN_PREFIX = 4


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
