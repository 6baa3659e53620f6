"""Completing next steps without touching the records they belong to.

A record is evidence and never changes when one of its steps is done. Completion lives in
small event files, one per event, beside the client's records:

    clients/SLUG/steps/20261123T101502123456Z-fvnd3ag6r3ed-done-k3m9.yaml

Two people completing different steps (or the same one) at once add different files, which
git merges without a conflict. A step's state is its latest event by the time it was
recorded (then by file name, so every clone agrees); no event means open.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ilog.errors import DateError, FormatError
from ilog.fileformat import codec, dates, yamlrules
from ilog.model import When
from ilog.store import atomic
from ilog.store.layout import EVENTS, Store

DONE, REOPENED = "done", "reopened"


@dataclass
class StepEvent:
    """A step marked done or reopened: by whom, when it happened, when it was recorded."""

    step: str
    record: str
    event: str
    at: When
    by: str
    recorded: datetime
    note: str = ""
    path: Path | None = None


def record_event(store: Store, client: str, event: StepEvent) -> Path:
    """Write the event's file (never overwriting one) and return its path."""
    folder = store.clients_dir / client / EVENTS
    atomic.make_dirs(folder)
    stamp = event.recorded.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{stamp}-{event.step}-{event.event}-{os.urandom(2).hex()}.yaml"
    data = {"step": event.step, "record": event.record, "event": event.event, "at": event.at,
            "by": event.by, "recorded": event.recorded}
    if event.note:
        data["note"] = event.note
    atomic.create_file(path, yamlrules.dump(data).encode("utf-8"))
    event.path = path
    return path


def read_events(store: Store, client: str) -> list[StepEvent]:
    """A client's events straight from the files, in order (unreadable files are left out;
    commands read them through the client cache, which reports them)."""
    events = []
    for path in sorted((store.clients_dir / client / EVENTS).glob("*.yaml")):
        try:
            events.append(parse_event(path.read_bytes(), path))
        except (FormatError, OSError):
            continue
    return in_order(events)


def parse_event(data: bytes, path: Path) -> StepEvent:
    """One event file; FormatError names the field that is wrong and its line."""
    shown = f"{path.parent.name}/{path.name}"
    meta, lines = yamlrules.load(codec.decode_bytes(data, shown))
    if not isinstance(meta, dict):
        raise FormatError("an event is a mapping of 'key: value' lines", path=shown, line=1)
    field = _EventFields(meta, lines, shown)
    event = StepEvent(step=field.text("step"), record=field.text("record"),
                      event=field.text("event"), at=field.moment("at"),
                      by=str(meta.get("by") or ""), recorded=field.moment("recorded"),
                      note=str(meta.get("note") or ""), path=path)
    if event.event not in (DONE, REOPENED):
        raise field.error("event", f"must be '{DONE}' or '{REOPENED}'")
    if not isinstance(event.recorded, datetime):
        raise field.error("recorded", "must be a date and time with its offset")
    return event


@dataclass
class _EventFields:
    """Reads an event's fields, naming the one that is wrong."""

    meta: dict
    lines: dict[str, int]
    shown: str

    def error(self, key: str, message: str) -> FormatError:
        return FormatError(message, path=self.shown, line=self.lines.get(key, 1), field=key)

    def text(self, key: str) -> str:
        value = self.meta.get(key)
        if not isinstance(value, str) or not value:
            raise self.error(key, "missing, or not text")
        return value

    def moment(self, key: str) -> When:
        try:
            return dates.parse_iso_strict(self.text(key))
        except DateError as exc:
            raise self.error(key, str(exc)) from None


def in_order(events: list[StepEvent]) -> list[StepEvent]:
    """Oldest first: by the time each was recorded, then by file name (as every clone sees)."""
    return sorted(events, key=lambda e: (e.recorded, e.path.name if e.path else ""))


def latest(events: list[StepEvent]) -> dict[str, StepEvent]:
    """Each step's latest event (``events`` oldest first, as in_order gives them)."""
    return {event.step: event for event in events}
