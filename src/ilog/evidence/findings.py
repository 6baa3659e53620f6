"""What ``ilog verify`` can find: the kinds (their values are the JSON's ``kind``: docs/json.md,
docs/evidence.md) and one finding."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FindingKind(StrEnum):
    """Every kind of finding (a warning's kinds too: MISATTRIBUTED, DIVERGED)."""

    NOT_SEALED = "not sealed"
    BROKEN = "changed after sealing"
    MALFORMED = "malformed seal"
    MISSING = "amends a missing record"
    LOOP = "amendment loop"
    CHANGED = "committed content changed"
    DELETED = "deleted without a tombstone"
    UNCOMMITTED = "changed since its last commit"
    UNFINISHED = "deleted with a tombstone but still there"
    FORGED = "a tombstone that does not match"
    REPLACED = "git replace"
    VANISHED = "gone without a trace"
    LINKED = "a link"
    MISATTRIBUTED = "author is not the committer"
    DIVERGED = "diverged versions"
    EVENT_CHANGED = "event file changed"
    ATTACHMENT_CHANGED = "attachment changed"
    ATTACHMENT_MISSING = "attachment missing"
    EXTRA_FILE = "extra file"
    UNREADABLE_ATTACH_EVENT = "unreadable attach event"


@dataclass
class Finding:
    """One finding: its kind, the path (relative to the store), what is wrong, and where."""

    kind: FindingKind
    path: str
    message: str
    field: str | None = None
    line: int | None = None
    commit: str | None = None
