"""``ilog agenda``: the open next steps that are overdue, and those due from today on, day by
day and client by client (by default to the end of next week)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby

from ilog.model import TrackedStep
from ilog.ops.actions import ActionFilter, list_actions
from ilog.store.layout import Store

#: (client, its steps due that day), clients in order.
ClientSteps = list[tuple[str, list[TrackedStep]]]


@dataclass
class Agenda:
    today: date
    #: The last day shown.
    until: date
    overdue: list[TrackedStep] = field(default_factory=list)
    #: (day, the clients with steps due that day), days in order; days without any left out.
    days: list[tuple[date, ClientSteps]] = field(default_factory=list)
    #: Open steps without a due date (not shown: ``ilog actions`` lists them).
    undated: int = 0


def agenda(store: Store, *, owner: str = "", days: int | None = None,
           today: date | None = None) -> Agenda:
    """The agenda from ``today`` for ``days`` days (default: to the end of next week).
    Writes only derived data, as actions.list_actions."""
    today = today or date.today()
    until = today + timedelta(days=days - 1) if days else \
        today + timedelta(days=13 - today.weekday())
    steps = list_actions(store, ActionFilter(owner=owner), today=today)
    upcoming = [s for s in steps if s.due_day is not None and today <= s.due_day <= until]
    found = Agenda(today, until, [s for s in steps if s.overdue(today)],
                   undated=sum(1 for s in steps if s.due_day is None))
    for day, on_day in groupby(sorted(upcoming, key=_order), key=lambda s: s.due_day):
        by_client = groupby(on_day, key=lambda s: s.client)
        found.days.append((day or today, [(client, list(group)) for client, group in by_client]))
    return found


def _order(step: TrackedStep) -> tuple[date, str, str]:
    return step.due_day or date.min, step.client, step.step.text


def week_of(day: date, today: date) -> str:
    """``this week``, ``next week`` or ``later`` (weeks start on Monday)."""
    weeks = (day - (today - timedelta(days=today.weekday()))).days // 7
    return "this week" if weeks == 0 else "next week" if weeks == 1 else "later"
