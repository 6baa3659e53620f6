"""Completing next steps without touching the records they belong to.

A record is evidence and never changes when one of its steps is done. Completion lives in
small event files, one per event, beside the client's records:

    clients/SLUG/steps/20261123T101502123456Z-fvnd3ag6r3ed-done-k3m9.yaml

Two people completing different steps (or the same one) at once add different files, which
git merges without a conflict. A step's state is its latest event by the time it was
recorded (then by file name, so every clone agrees); no event means open.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ilog import codec, dates, fsutil, strictyaml
from ilog.errors import FormatError
from ilog.model import When
from ilog.store import Store

FOLDER = "steps"
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
    folder = store.clients_dir / client / FOLDER
    fsutil.make_dirs(folder)
    stamp = event.recorded.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{stamp}-{event.step}-{event.event}-{secrets.token_hex(2)}.yaml"
    data = {"step": event.step, "record": event.record, "event": event.event, "at": event.at,
            "by": event.by, "recorded": event.recorded}
    if event.note:
        data["note"] = event.note
    fsutil.create_file(path, strictyaml.dump(data).encode("utf-8"))
    event.path = path
    return path


def read_events(store: Store, client: str | None = None) -> list[StepEvent]:
    """Every event (of one client or all), oldest first; unreadable files are skipped."""
    folders = [store.clients_dir / client / FOLDER] if client else \
        sorted(store.clients_dir.glob(f"*/{FOLDER}"))
    events = []
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            try:
                events.append(_read(path))
            except (FormatError, OSError, ValueError, KeyError, TypeError):
                continue
    return sorted(events, key=lambda e: (e.recorded, e.path.name if e.path else ""))


def _read(path: Path) -> StepEvent:
    data, _ = strictyaml.load(path.read_text("utf-8"))
    recorded = dates.parse_iso_strict(data["recorded"])
    if not isinstance(recorded, datetime) or data["event"] not in (DONE, REOPENED):
        raise ValueError(path)
    return StepEvent(step=str(data["step"]), record=str(data["record"]), event=data["event"],
                     at=dates.parse_iso_strict(data["at"]), by=str(data.get("by") or ""),
                     recorded=recorded, note=str(data.get("note") or ""), path=path)


def latest(events: list[StepEvent]) -> dict[str, StepEvent]:
    """Each step's latest event (events must be oldest first, as read_events gives them)."""
    return {event.step: event for event in events}


def as_data(event: StepEvent) -> dict[str, object]:
    return {"step": event.step, "record": event.record, "event": event.event,
            "at": codec.iso(event.at), "by": event.by, "note": event.note or None,
            "recorded": codec.iso(event.recorded)}
