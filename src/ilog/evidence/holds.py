"""Legal holds: a record under hold is never purged, whatever its age.

A sealed record cannot carry its hold, so holds are event files beside the client's records,
one per event, like completions (store/completions.py): two people placing holds at once add different
files, which git merges without a conflict.

    clients/SLUG/holds/20261123T101502123456Z-36xjj334rr634h1vdhjj-hold-k3m9.yaml

A record's hold state is its latest event (by the time it was recorded, then file name).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

from ilog.errors import IlogError, StepStateError
from ilog.fileformat import dates, yamlrules
from ilog.model import Record
from ilog.store import atomic
from ilog.store.layout import Store
from ilog.store.settings import identity

FOLDER = "holds"
HOLD, RELEASE = "hold", "release"


@dataclass
class HoldEvent:
    record: str
    event: str  # hold | release
    by: str
    recorded: datetime
    reason: str = ""


def place_event(store: Store, client: str, event: HoldEvent) -> None:
    """Write the event's file (never overwriting one)."""
    folder = store.clients_dir / client / FOLDER
    atomic.make_dirs(folder)
    stamp = event.recorded.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    data = {"record": event.record, "event": event.event, "by": event.by,
            "recorded": event.recorded, "reason": event.reason}
    atomic.create_file(folder / f"{stamp}-{event.record}-{event.event}-{os.urandom(2).hex()}"
                       ".yaml", yamlrules.dump(data).encode("utf-8"))


def held(store: Store, client: str) -> dict[str, HoldEvent]:
    """Record id -> its hold, for every record of the client under hold now. A file that
    cannot be read counts as a hold of the record its name names: when in doubt, keep."""
    latest: dict[str, tuple[tuple, HoldEvent]] = {}
    for path in sorted((store.clients_dir / client / FOLDER).glob("*.yaml")):
        try:
            data, _ = yamlrules.load(path.read_text("utf-8"))
            event = HoldEvent(record=str(data["record"]), event=str(data["event"]),
                              by=str(data.get("by") or ""), reason=str(data.get("reason") or ""),
                              recorded=dates.parse_iso_strict(str(data["recorded"])))
            if not isinstance(event.recorded, datetime):
                raise TypeError(path.name)
        except (OSError, KeyError, TypeError, IlogError):
            event = HoldEvent(path.name.split("-")[1], HOLD, "", datetime.max.replace(tzinfo=UTC),
                              f"unreadable hold file {path.name}")
        key = (event.recorded, path.name)
        if event.record not in latest or key > latest[event.record][0]:
            latest[event.record] = (key, event)
    return {record: event for record, (_, event) in latest.items() if event.event == HOLD}


def set_hold(store: Store, ref: str, reason: str, *, place: bool) -> Record:
    """Place (or release) a hold on the record ``ref`` names; refuse what changes nothing."""
    record = store.read(store.find(ref))
    current = held(store, record.client).get(record.id)
    if place == (current is not None):
        state = "under a hold already" if place else "not under a hold"
        raise StepStateError(f"{record.short_id} is {state}")
    place_event(store, record.client, HoldEvent(record.id, HOLD if place else RELEASE,
                                                identity(store.root),
                                                datetime.now().astimezone(), reason.strip()))
    return record
