"""Changing a next step after its record was written: done, open again, dropped (cancelled),
rescheduled, reassigned or given a note. Each change is an event file beside the record
(store/stepevents.py); the record, which is evidence, is never touched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ilog.errors import DateError, StepStateError, UsageError
from ilog.fileformat import codec, dates
from ilog.model import (
    Record,
    StepEvent,
    StepEventKind,
    TrackedStep,
    When,
)
from ilog.ops.actions import find_step
from ilog.store.layout import Store
from ilog.store.stepevents import record_event
from ilog.store.usersettings import identity


@dataclass
class Changed:
    """What a step command did: the record, the step as it stood before, and the event."""

    record: Record
    step: TrackedStep
    event: StepEvent


@dataclass
class Change:
    """What ``ilog step`` asks for: a new due date (words or ISO 8601), a new owner, a note;
    or, with ``cancel``, dropping the step (``note`` is then the reason). ``when`` it
    happened: now if ""."""

    due: str = ""
    owner: str = ""
    note: str = ""
    cancel: bool = False
    when: str = ""


def mark(store: Store, prefix: str, *, done: bool, note: str = "", when: str = "",
         now: datetime | None = None) -> Changed:
    """Record that a step was done (``when``: the moment, now if "") or is open again."""
    record, step = find_step(store, prefix)
    if done:
        _refuse_closed(step, "'ilog reopen' it first to change that")
    elif step.closed is None:
        raise StepStateError(f"next step {step.step.id[:8]} is open already")
    moment = _now(now)
    at = dates.parse_when(when, now=moment, order=store.settings.date_order) if when else moment
    _check_moment(at, record, moment)
    kind = StepEventKind.DONE if done else StepEventKind.REOPENED
    return _write(store, record, step, kind, at, note.strip())


def change(store: Store, prefix: str, wanted: Change, *, now: datetime | None = None) -> Changed:
    """Reschedule, reassign, note or drop a step."""
    record, step = find_step(store, prefix)
    moment = _now(now)
    order = store.settings.date_order
    at = dates.parse_when(wanted.when, now=moment, order=order) if wanted.when else moment
    _check_moment(at, record, moment)
    note, owner = wanted.note.strip(), wanted.owner.strip().lstrip("@")
    if wanted.cancel:
        if wanted.due or owner:
            raise UsageError("a step that is dropped gets no new due date or owner; give "
                             "--cancel with --reason only")
        if not note:
            raise UsageError("say why the step is dropped: --reason TEXT")
        _refuse_closed(step, "'ilog reopen' it first")
        return _write(store, record, step, StepEventKind.CANCELLED, at, note)
    due = _due(wanted.due, record, moment, order) if wanted.due else None
    if due is None and not owner and not note:
        raise UsageError("give --due WHEN, --owner NAME, --note TEXT or --cancel --reason "
                         "TEXT")
    if due is not None or owner:
        _refuse_closed(step, "'ilog reopen' it first to reschedule or reassign it")
    if not note and (due is None or due == step.step.due) and owner in ("", step.step.owner):
        raise StepStateError(f"next step {step.step.id[:8]} is already "
                             + _as_now(step.step.owner, step.step.due))
    return _write(store, record, step, StepEventKind.CHANGED, at, note,
                  due=None if due == step.step.due else due,
                  owner="" if owner == step.step.owner else owner)


def _write(store: Store, record: Record, step: TrackedStep, kind: StepEventKind, at: When,
           note: str, *, due: When | None = None, owner: str = "") -> Changed:
    """Record the event of ``kind`` by you, now, about ``step``."""
    event = StepEvent(step=step.step.id, record=record.id, event=kind, at=at,
                      by=identity(store.settings, store.root),
                      recorded=datetime.now().astimezone(), note=note, due=due, owner=owner)
    record_event(store, record.client, event)
    return Changed(record, step, event)


def _refuse_closed(step: TrackedStep, then: str) -> None:
    closed = step.closed
    if closed is not None:
        how = "dropped" if closed.cancelled else "done"
        raise StepStateError(f"next step {step.step.id[:8]} was {how} already ({closed.by}, "
                             f"{codec.iso(closed.at)}); {then}")


def _as_now(owner: str, due: When | None) -> str:
    parts = [f"owned by {owner}" if owner else "", f"due {codec.iso(due)}" if due else ""]
    return " and ".join(p for p in parts if p) or "as asked"


def _due(text: str, record: Record, now: datetime, order: str) -> When:
    """The new due date: words ("next friday") count forward; never before the interaction."""
    due = dates.parse_when(text, direction="future", now=now, order=order)
    if record.date is not None and dates.earlier(due, record.date):
        raise DateError(f"{codec.iso(due)} is before {codec.iso(record.date)}, when record "
                        f"{record.short_id} set the step; give a later due date")
    return due


def _check_moment(at: When, record: Record, now: datetime) -> None:
    """What happens to a step happens between the interaction that set it and now."""
    if dates.is_future(at, now):
        raise DateError(f"{codec.iso(at)} is in the future; give the moment it happened")
    if record.date is not None and dates.earlier(at, record.date):
        raise DateError(f"{codec.iso(at)} is before {codec.iso(record.date)}, when record "
                        f"{record.short_id} set the step; give the moment it happened")


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now().astimezone()).replace(microsecond=0)
