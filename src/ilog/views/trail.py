"""A next step's life in words: promised, moved from Friday to Monday, given to a colleague,
done or dropped; each event after the promise, oldest first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ilog.model import (
    Completion,
    NextStep,
    Record,
    StepEvent,
    StepEventKind,
    TrackedStep,
    When,
)
from ilog.views.text import when_text


def day_text(value: When | None) -> str:
    """``Fri 2026-11-27`` (a weekday reads faster than a date when plans move)."""
    return f"{value:%a} {when_text(value)}" if value is not None else "no due date"


def step_report(tracked: TrackedStep, record: Record, today: date) -> list[str]:
    """A step as it stands (owner, due date, state), where it was promised, the promise,
    and what happened to it since: what ``ilog step ID`` prints."""
    step = tracked.step
    details = [step.owner, f"due {when_text(step.due)}" if step.due else "",
               tracked.state(today)]
    return [f"{step.id[:8]} {step.text} ({', '.join(d for d in details if d)})",
            f"  {record.client}, record {record.short_id} {record.title!r}",
            f"  {promise_text(tracked)}",
            *(f"  {line}" for line in trail_texts(tracked.original or step, tracked.trail))]


def promise_text(tracked: TrackedStep) -> str:
    """``promised: owner bob, due Fri 2026-11-27`` as its record set the step."""
    step = tracked.original or tracked.step
    parts = [f"owner {step.owner}" if step.owner else "no owner",
             f"due {day_text(step.due)}" if step.due else "no due date"]
    return "promised: " + ", ".join(parts)


def trail_texts(step: NextStep, events: Sequence[StepEvent]) -> list[str]:
    """Each of the ``events`` of ``step`` (as its record set it) in words, oldest first."""
    owner, due = step.owner, step.due
    texts = []
    for event in events:
        texts.append(event_text(event, owner, due))
        owner, due = event.owner or owner, event.due if event.due is not None else due
    return texts


def event_text(event: StepEvent, owner: str, due: When | None) -> str:
    """``2026-11-23 moved from Fri 2026-11-27 to Mon 2026-11-30 by alice: why``; ``owner`` and
    ``due`` are the step's before the event."""
    what = [] if event.event == StepEventKind.CHANGED else [event.event.verb]
    if event.due is not None:
        what.append(f"moved from {day_text(due)} to {day_text(event.due)}")
    if event.owner:
        what.append(f"given to {event.owner}" + (f" (was {owner})" if owner else ""))
    if not what:
        what.append("noted")
    note = f": {event.note}" if event.note else ""
    return f"{when_text(event.at)} {'; '.join(what)} by {event.by or 'someone'}{note}"


def closing_text(closed: Completion) -> str:
    """``done 2026-11-23 by bob: sent by mail`` or ``dropped ... : why``."""
    note = f": {closed.note}" if closed.note else ""
    return (f"{'dropped' if closed.cancelled else 'done'} {when_text(closed.at)[:10]} "
            f"by {closed.by}{note}")


def earlier_events(tracked: TrackedStep) -> list[str]:
    """The events a step's line does not already tell (all but the one that closed it)."""
    texts = trail_texts(tracked.original or tracked.step, tracked.trail)
    last = tracked.trail[-1] if tracked.trail else None
    closing = (tracked.closed is not None and last is not None
               and last.event in (StepEventKind.DONE, StepEventKind.CANCELLED))
    return texts[:-1] if closing else texts
