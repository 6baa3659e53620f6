"""Legal holds: a record under hold is never purged, whatever its age.

A sealed record cannot carry its hold, so holds are event files (store/events.py) in the
client's ``holds/`` folder, like completions:

    clients/SLUG/holds/20261123T101502123456Z-36xjj334rr634h1vdhjj-hold-k3m9.yaml

A record's hold state is its latest event. A hold file that cannot be read counts as a hold of
the record its name names: when in doubt, keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ilog.derived.lookup import find_record
from ilog.errors import IlogError, StepStateError
from ilog.model import HOLD, RELEASE, Record
from ilog.store.events import EventFields, in_order, subject_of, write_event
from ilog.store.layout import HOLDS, Store
from ilog.store.reading import read_file
from ilog.store.usersettings import identity

FOLDER = HOLDS


@dataclass
class HoldEvent:
    record: str
    event: str  # hold | release
    by: str
    recorded: datetime
    reason: str = ""
    path: Path | None = None


def place_event(store: Store, client: str, event: HoldEvent) -> None:
    """Write the event's file (never overwriting one)."""
    fields = {"record": event.record, "event": event.event, "by": event.by,
              "recorded": event.recorded, "reason": event.reason}
    event.path = write_event(store.client_dir(client) / FOLDER, event.record, event.event,
                             event.recorded, fields, store.sweeps)


def held(store: Store, client: str) -> dict[str, HoldEvent]:
    """Record id -> its hold, for every record of the client under hold now."""
    folder = store.client_dir(client) / FOLDER
    events = [_read(path) for path in sorted(folder.glob("*.yaml"))]
    latest = {event.record: event for event in in_order(events)}
    return {record: event for record, event in latest.items() if event.event == HOLD}


def _read(path: Path) -> HoldEvent:
    """One hold file; one that cannot be read is a hold that never ends."""
    try:
        fields = EventFields.read(read_file(path, path.name), f"{path.parent.name}/{path.name}")
        return HoldEvent(record=fields.text("record"),
                         event=fields.choice("event", (HOLD, RELEASE)),
                         by=fields.optional_text("by"), recorded=fields.moment("recorded"),
                         reason=fields.optional_text("reason"), path=path)
    except (OSError, IlogError):
        return HoldEvent(subject_of(path.name), HOLD, "", datetime.max.replace(tzinfo=UTC),
                         f"unreadable hold file {path.name}", path)


def set_hold(store: Store, ref: str, reason: str, *, place: bool) -> Record:
    """Place (or release) a hold on the record ``ref`` names; refuse what changes nothing."""
    record = store.read(find_record(store, ref))
    current = held(store, record.client).get(record.id)
    if place == (current is not None):
        state = "under a hold already" if place else "not under a hold"
        raise StepStateError(f"{record.short_id} is {state}")
    place_event(store, record.client, HoldEvent(record.id, HOLD if place else RELEASE,
                                                identity(store.settings, store.root),
                                                datetime.now().astimezone(), reason.strip()))
    return record
