"""What happens to next steps after their records are written, without touching the records.

A record is evidence and never changes when one of its steps is done, dropped, rescheduled or
reassigned. Each of those is an event file (events.py) in the client's ``steps/`` folder:

    clients/SLUG/steps/20261123T101502123456Z-fvnd3ag6r3ed-done-k3m9.yaml

    step: fvnd3ag6r3ed
    record: 01jbx9m7k2q8r4t6v8w0y2a4c6
    event: changed
    at: 2026-11-23T10:15:02+01:00
    by: bob@example.com
    recorded: 2026-11-23T10:15:02.123456+01:00
    due: 2026-12-07
    note: the client asked for a week more

Events are ordered by the time they were recorded, then by file name (every clone agrees);
a step's state, owner and due date are each what the latest event that sets them says
(model.StepState). No event: open, as the record says.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ilog.errors import FormatError, UnreadableFileError
from ilog.model import StepEvent, StepEventKind, StepState
from ilog.store.events import EventFields, in_order, write_event
from ilog.store.layout import EVENTS, Store
from ilog.store.reading import read_file

#: What an event file's ``event`` may say.
_KINDS = tuple(kind.value for kind in StepEventKind)

def record_event(store: Store, client: str, event: StepEvent) -> Path:
    """Write the event's file (never overwriting one) and return its path."""
    fields: dict[str, object] = {"step": event.step, "record": event.record,
                                 "event": event.event.value, "at": event.at, "by": event.by,
                                 "recorded": event.recorded}
    if event.due is not None:
        fields["due"] = event.due
    if event.owner:
        fields["owner"] = event.owner
    if event.note:
        fields["note"] = event.note
    event.path = write_event(store.client_dir(client) / EVENTS, event.step, event.event,
                             event.recorded, fields, store.sweeps)
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
    event = StepEvent(step=fields.text("step"), record=fields.text("record"),
                      event=StepEventKind(fields.choice("event", _KINDS)), at=fields.when("at"),
                      by=fields.optional_text("by"), recorded=fields.moment("recorded"),
                      note=fields.optional_text("note"),
                      due=fields.when("due") if "due" in fields.meta else None,
                      owner=fields.optional_text("owner"), path=path)
    if event.event == StepEventKind.CHANGED and not (event.due or event.owner or event.note):
        raise fields.error("event", "a change names a new due date, owner or note")
    return event


def step_states(events: Iterable[StepEvent]) -> dict[str, StepState]:
    """Step id -> what its events (in order) say of it now."""
    states: dict[str, StepState] = {}
    for e in events:
        states.setdefault(e.step, StepState()).apply(e.event, e.at, e.by, e.note,
                                                      owner=e.owner, due=e.due)
    return states
