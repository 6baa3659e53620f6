"""Event files: state that changes after a record is sealed (a next step done, a legal hold)
lives in small files beside the client's records, one file per event, never changed once
written. Two people adding events at once add different files, which git merges without a
conflict.

    clients/SLUG/FOLDER/20261123T101502123456Z-SUBJECT-KIND-k3m9.yaml

The name starts with the UTC time the event was recorded, then the id of what it is about and
its kind, then a random suffix. Every event file is a strict-YAML mapping (fileformat.yamlrules)
read by :class:`EventFields`, which names the field and line of anything wrong. Events are
ordered by the time they were recorded, then by file name, so every clone agrees on which is
the latest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ilog.errors import DateError, FormatError
from ilog.fileformat import codec, dates, yamlrules
from ilog.model import When
from ilog.store import atomic


class Ordered(Protocol):
    """An event as far as ordering needs it."""

    @property
    def recorded(self) -> datetime: ...

    @property
    def path(self) -> Path | None: ...


def write_event(folder: Path, subject: str, kind: str, recorded: datetime,
                fields: dict[str, Any], sweeps: atomic.Sweeps) -> Path:
    """Create the event's file in ``folder`` (never overwriting one); return its path."""
    atomic.make_dirs(folder)
    stamp = recorded.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{stamp}-{subject}-{kind}-{os.urandom(2).hex()}.yaml"
    atomic.create_file(path, yamlrules.dump(fields).encode("utf-8"), sweeps=sweeps)
    return path


def subject_of(name: str) -> str:
    """What an event file is about, from its name alone (for a file that cannot be read)."""
    parts = name.split("-")
    return parts[1] if len(parts) >= 4 else ""


def kind_of(name: str) -> str:
    """An event file's kind (``done``, ``held``...), from its name alone."""
    parts = name.split("-")
    return parts[2] if len(parts) >= 4 else ""


@dataclass
class EventFields:
    """An event file's fields, read strictly: each wrong one is a FormatError naming it."""

    meta: dict[str, Any]
    lines: dict[str, int]
    shown: str

    @classmethod
    def read(cls, data: bytes, shown: str) -> EventFields:
        """The fields of the event file whose bytes are ``data`` (``shown`` names it)."""
        meta, lines = yamlrules.load(codec.decode_bytes(data, shown))
        if not isinstance(meta, dict):
            raise FormatError("an event is a mapping of 'key: value' lines", path=shown, line=1)
        return cls(meta, lines, shown)

    def error(self, key: str, message: str) -> FormatError:
        return FormatError(message, path=self.shown, line=self.lines.get(key, 1), field=key)

    def text(self, key: str) -> str:
        """A required, non-empty text field."""
        value = self.meta.get(key)
        if not isinstance(value, str) or not value:
            raise self.error(key, "missing, or not text")
        return value

    def optional_text(self, key: str) -> str:
        """A text field that may be missing or empty ("" then)."""
        value = self.meta.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.error(key, "must be text")
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in allowed:
            names = [repr(a) for a in allowed]
            listed = f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]
            raise self.error(key, f"must be {listed}")
        return value

    def when(self, key: str) -> When:
        """A date, or a date and time with its offset."""
        try:
            return dates.parse_iso_strict(self.text(key))
        except DateError as exc:
            raise self.error(key, str(exc)) from None

    def moment(self, key: str) -> datetime:
        """A date and time with its offset."""
        value = self.when(key)
        if not isinstance(value, datetime):
            raise self.error(key, "must be a date and time with its offset")
        return value


E = TypeVar("E", bound=Ordered)


def in_order(events: Iterable[E]) -> list[E]:
    """Oldest first: by the time each was recorded, then by file name (as every clone sees)."""
    return sorted(events, key=lambda e: (e.recorded, e.path.name if e.path else ""))
