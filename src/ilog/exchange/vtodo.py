"""Next steps as iCalendar tasks (VTODO, RFC 5545, through the ``icalendar`` package) and
back: what ``ilog export tasks`` writes and ``ilog import tasks`` reads (follow-ups.md).

Besides the standard properties, each task carries three of ilog's own, which task apps keep
(todoman does, when it marks a task done): ``X-ILOG-STEP`` (the step's id),
``X-ILOG-STATE`` (the status and due date ilog wrote, so that an import sees what the user
changed since) and ``X-ILOG-DIGEST`` (a hash of what ilog wrote, so that an export rewrites
only the tasks that changed, raising their SEQUENCE).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ilog.errors import FormatError
from ilog.fileformat.codec import iso
from ilog.model import SHORT_ID_LENGTH, TrackedStep, When
from ilog.views.text import visible

PRODID = "-//ilog//ilog tasks//EN"
UID_SUFFIX = "@ilog"
OPEN, COMPLETED, CANCELLED = "NEEDS-ACTION", "COMPLETED", "CANCELLED"
_ID = re.compile(r"[0-9a-z]{4,40}")


@dataclass(frozen=True)
class Task:
    """What ilog reads of a VTODO."""

    uid: str
    summary: str
    step: str  # the step's id ("" for a task ilog did not write)
    status: str
    due: When | None
    completed: datetime | None
    modified: datetime | None  # LAST-MODIFIED: when the app last changed it
    sequence: int
    #: The status and due date ilog wrote ("" if it did not write the task).
    exported: str
    digest: str

    def shows(self, status: str, due: When | None) -> bool:
        """Whether the task says this status and due date (the same moment in any zone)."""
        return self.status == status and self.due == due

    @property
    def changed_in_the_app(self) -> bool:
        """Whether its status or due date is not what ilog wrote."""
        return not self.shows(*parse_state(self.exported))


def state_text(status: str, due: When | None) -> str:
    return f"{status}|{iso(due) or ''}"


def parse_state(text: str) -> tuple[str, When | None]:
    """X-ILOG-STATE back into (status, due)."""
    status, _, due = text.partition("|")
    try:
        return status, (date.fromisoformat(due) if len(due) == 10 else
                        datetime.fromisoformat(due) if due else None)
    except ValueError:
        return status, None


def status_of(tracked: TrackedStep) -> str:
    closed = tracked.closed
    return OPEN if closed is None else CANCELLED if closed.cancelled else COMPLETED


def uid_of(step_id: str) -> str:
    return f"{step_id}{UID_SUFFIX}"


@dataclass(frozen=True)
class Wanted:
    """What ilog writes of a step, as plain values (making it needs no iCalendar objects,
    so an export finds the tasks that did not change cheaply: ``unchanged``)."""

    step: str
    summary: str
    status: str
    due: When | None
    completed: datetime | None
    description: str
    categories: tuple[str, ...]
    alarm: timedelta | None
    alarm_text: str

    @classmethod
    def of(cls, tracked: TrackedStep, client: str,
           remind: timedelta | None) -> Wanted:
        """The task of ``tracked`` (``client``: the client's name; ``remind``: how long
        before the due date an alarm goes off, None for none)."""
        step, closed = tracked.step, tracked.closed
        due = written_due(step.due)
        return cls(step.id, _line(f"{step.text} ({client})"), status_of(tracked), due,
                   _moment(closed.at) if closed is not None and not closed.cancelled else None,
                   _description(tracked, client), tuple(_line(t) for t in tracked.tags),
                   remind if due is not None and closed is None else None, _line(step.text))

    @property
    def digest(self) -> str:
        """A hash of the task's values in one canonical encoding (JSON; moments in ISO 8601,
        the alarm in seconds), so it is the same on every Python version."""
        values = [self.step, self.summary, self.status, _iso(self.due), _iso(self.completed),
                  self.description, list(self.categories),
                  None if self.alarm is None else self.alarm.total_seconds(), self.alarm_text]
        encoded = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:32]

    def lines(self) -> tuple[bytes, ...]:
        """Content lines the file ilog wrote for it holds, as icalendar writes them."""
        return (b"\r\nX-ILOG-DIGEST:" + self.digest.encode() + b"\r\n",
                *_state_lines(self.status, self.due))


def _state_lines(status: str, due: When | None) -> tuple[bytes, ...]:
    """The STATUS and DUE lines of a task, as icalendar writes them."""
    status_line = b"\r\nSTATUS:" + status.encode() + b"\r\n"
    if due is None:
        return (status_line,)
    due_line = (b"DUE:" + _utc(due).strftime("%Y%m%dT%H%M%SZ").encode()
                if isinstance(due, datetime)
                else b"DUE;VALUE=DATE:" + due.strftime("%Y%m%d").encode())
    return status_line, b"\r\n" + due_line + b"\r\n"


def _holds(data: bytes, lines: tuple[bytes, ...], due: When | None) -> bool:
    """Whether ``data`` is one task with all these ``lines`` (and no DUE if ``due`` is None)."""
    return (data.count(b"BEGIN:VTODO") == 1 and all(line in data for line in lines)
            and (due is not None or b"\r\nDUE" not in data))


def unchanged(data: bytes, wanted: Wanted) -> bool:
    """Whether ``data`` is, to all appearances, the file ilog last wrote for ``wanted``,
    unchanged by any task app: one task, with the digest, status and due date of ``wanted``
    (False only means: read it properly)."""
    return _holds(data, wanted.lines(), wanted.due)


_STATE_LINE = re.compile(rb"\r\nX-ILOG-STATE:([^\r\n]*)\r\n")


def untouched(data: bytes) -> bool:
    """Whether a task file still says the status and due date ilog wrote into it, as ilog
    wrote them: nothing in it for an import (False only means: read it properly)."""
    found = _STATE_LINE.search(data)
    if found is None:
        return False
    status, due = parse_state(found[1].decode("utf-8", "replace"))
    return _holds(data, _state_lines(status, due), due)


def vtodo(wanted: Wanted, *, sequence: int, now: datetime) -> Any:
    """The task as a VTODO."""
    from icalendar import Alarm, Todo  # ~50 ms: only when tasks are written

    todo = Todo()
    todo.add("uid", uid_of(wanted.step))
    todo.add("summary", wanted.summary)
    todo.add("status", wanted.status)
    if wanted.due is not None:
        todo.add("due", _utc(wanted.due))
    if wanted.completed is not None:
        todo.add("completed", wanted.completed)
        todo.add("percent-complete", 100)
    todo.add("description", wanted.description)
    if wanted.categories:
        todo.add("categories", list(wanted.categories))
    todo.add("x-ilog-step", wanted.step)
    todo.add("x-ilog-state", state_text(wanted.status, wanted.due))
    if wanted.alarm is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", wanted.alarm_text)
        alarm.add("trigger", -wanted.alarm, parameters={"RELATED": "END"})
        todo.add_component(alarm)
    todo.add("x-ilog-digest", wanted.digest)
    todo.add("dtstamp", now.astimezone(UTC))
    todo.add("last-modified", now.astimezone(UTC))
    todo.add("sequence", sequence)
    return todo


def _description(tracked: TrackedStep, client: str) -> str:
    when = (iso(tracked.record_date) or "no date")[:10]
    promised = tracked.original or tracked.step
    lines = [f"Client: {client}",
             f"From: {tracked.title or tracked.record_type} ({tracked.record_type}, {when})",
             f"Owner: {tracked.step.owner or 'nobody yet'}",
             f"Record: ilog show {tracked.record[:SHORT_ID_LENGTH]}",
             f"Step: ilog step {tracked.step.id[:8]}"]
    if (promised.owner, promised.due) != (tracked.step.owner, tracked.step.due):
        lines.append(f"Promised: {promised.owner or 'no owner'}, due "
                     f"{iso(promised.due) or 'none'}")
    return "\n".join(_line(line) for line in lines)


def _line(text: str) -> str:
    """One line a task app may print to a terminal: nothing in it a terminal would act on
    (views.text.visible), line breaks as spaces."""
    return " ".join(visible(text).split())


def _iso(value: When | None) -> str | None:
    return None if value is None else value.isoformat()


def written_due(value: When | None) -> When | None:
    """A due date as a task holds it: iCalendar times have no fractions of a second."""
    return value.replace(microsecond=0) if isinstance(value, datetime) else value


def _utc(value: When) -> When:
    """A due day stays a day; a moment is written in UTC (no time zone table needed)."""
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def _moment(value: When) -> datetime:
    """COMPLETED is a moment: a day counts from its start, local time."""
    return _start_of(value).astimezone(UTC).replace(microsecond=0)


def calendar(todos: list[Any]) -> bytes:
    """A VCALENDAR holding ``todos``."""
    from icalendar import Calendar  # ~50 ms: only when tasks are written or read

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    for todo in todos:
        cal.add_component(todo)
    return bytes(cal.to_ical())


def read_tasks(data: bytes, shown: str) -> list[Task]:
    """Every VTODO of an .ics file; FormatError if it is no iCalendar data."""
    from icalendar import Calendar  # ~50 ms: only when tasks are written or read

    try:
        calendars = Calendar.from_ical(data, multiple=True)
        return [_task(todo) for cal in calendars for todo in cal.walk("VTODO")]
    except Exception as exc:  # noqa: BLE001 - any app wrote the file, and icalendar's parser
        # fails on broken input in many ways (AttributeError, found by the fuzzer, among them)
        raise FormatError(f"not iCalendar data: {exc}", path=shown) from None


def _task(todo: Any) -> Task:
    step = str(todo.get("x-ilog-step", ""))
    uid = str(todo.get("uid", ""))
    ours = bool(_ID.fullmatch(step)) and uid == uid_of(step)
    return Task(uid=uid, summary=_line(str(todo.get("summary", ""))), step=step if ours else "",
                status=str(todo.get("status", OPEN)).upper(), due=_value(todo, "due"),
                completed=_as_moment(_value(todo, "completed")),
                modified=_as_moment(_value(todo, "last-modified")),
                sequence=_int(todo.get("sequence")),
                exported=str(todo.get("x-ilog-state", "")) if ours else "",
                digest=str(todo.get("x-ilog-digest", "")) if ours else "")


def _value(todo: Any, key: str) -> When | None:
    """A date or a moment (a "floating" time, without a zone, is taken as local time)."""
    value = getattr(todo.get(key), "dt", None)
    if isinstance(value, datetime):
        return value.astimezone()
    return value if isinstance(value, date) else None


def _as_moment(value: When | None) -> datetime | None:
    return None if value is None else _start_of(value)


def _start_of(value: When) -> datetime:
    """A moment as it is; a day from its start, local time."""
    return value if isinstance(value, datetime) else datetime.combine(value, time()).astimezone()


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
