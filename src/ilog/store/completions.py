"""Completing next steps without touching the records they belong to.

A record is evidence and never changes when one of its steps is done. Completion lives in
event files (events.py) in the client's ``steps/`` folder:

    clients/SLUG/steps/20261123T101502123456Z-fvnd3ag6r3ed-done-k3m9.yaml

A step's state is its latest event (by the time it was recorded, then by file name, so every
clone agrees); no event means open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ilog.errors import FormatError, UnreadableFileError
from ilog.model import Completion, When
from ilog.store.events import EventFields, in_order, write_event
from ilog.store.layout import EVENTS, Store
from ilog.store.reading import read_file

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
    fields = {"step": event.step, "record": event.record, "event": event.event, "at": event.at,
              "by": event.by, "recorded": event.recorded}
    if event.note:
        fields["note"] = event.note
    event.path = write_event(store.client_dir(client) / EVENTS, event.step, event.event,
                             event.recorded, fields)
    return event.path


def read_events(store: Store, client: str) -> list[StepEvent]:
    """A client's events straight from the files, in order (unreadable files, and a
    ``steps`` that is a link, are left out; commands read events through the client cache,
    which reports them)."""
    events = []
    for entry in store.client_files(client):
        path = Path(entry.path)
        if path.parent.name != EVENTS:
            continue
        try:
            events.append(parse_event(read_file(path, path.name), path))
        except (FormatError, UnreadableFileError, OSError):
            continue
    return in_order(events)


def parse_event(data: bytes, path: Path) -> StepEvent:
    """One event file; FormatError names the field that is wrong and its line."""
    fields = EventFields.read(data, f"{path.parent.name}/{path.name}")
    return StepEvent(step=fields.text("step"), record=fields.text("record"),
                     event=fields.choice("event", (DONE, REOPENED)), at=fields.when("at"),
                     by=fields.optional_text("by"), recorded=fields.moment("recorded"),
                     note=fields.optional_text("note"), path=path)


def done_steps(events: list[StepEvent]) -> dict[str, Completion]:
    """Step id -> how it was done, for each step whose latest event (``events`` are in
    order) is "done"."""
    latest = {event.step: event for event in events}
    return {step: Completion(e.at, e.by, e.note) for step, e in latest.items() if e.event == DONE}
