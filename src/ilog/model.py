"""The data ilog works with: plain dataclasses, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple, Protocol

#: The value a user writes for a list field that is deliberately empty ("no decisions").
NONE_MARK = "none"

#: Front-matter keys that ilog knows, in the order it writes them.
KNOWN_KEYS = (
    "id", "client", "type", "date", "title", "channel", "participants", "author", "tags",
    "case", "refs", "decisions", "next_steps",
)

#: The key of a record's sealed list of attachments (written after every other key).
ATTACHMENTS = "attachments"
#: Keys ilog sets itself and a user never gives as a free field (the seal, the amendment's,
#: the attachments').
OWN_KEYS = (*KNOWN_KEYS, "seal", "amends", "amend_reason", "amended", "voided", "moved_to",
            "moved_from", ATTACHMENTS)

When = date | datetime
class Progress(Protocol):
    """A long job's report of how far it got: ``progress(done, total)``; a new ``stage``
    names the phase that starts (total 0: a phase whose size cannot be known, such as
    Whoosh writing its segments)."""

    def __call__(self, done: int, total: int, stage: str = "") -> None: ...


class SealState(StrEnum):
    """What a record file's bytes say of its seal (fileformat/seal.py). The values are the
    JSON's spelling (docs/json.md)."""

    SEALED = "sealed"
    NOT_SEALED = "not sealed"
    #: The file was changed after it was sealed.
    BROKEN = "broken"
    #: No single well-formed seal line.
    MALFORMED = "malformed"


#: The seal states of a file changed after it was sealed.
TAMPERED = frozenset({SealState.BROKEN, SealState.MALFORMED})
#: How every view marks such a record.
TAMPERED_NOTE = ("seal broken: this file was changed after it was sealed ('ilog verify' says "
                 "what changed)")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is and what to do about it."""

    message: str
    path: str | None = None
    line: int | None = None
    field: str | None = None
    #: A date that cannot be understood (DateError's exit code, when no other kind is found).
    unreadable_date: bool = False

    def message_with_field(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message

    def __str__(self) -> str:
        where = ":".join(p for p in (self.path, str(self.line) if self.line else None) if p)
        return f"{where}: {self.message_with_field()}" if where else self.message_with_field()


_PARTICIPANT = re.compile(
    r"^\s*(?P<name>[^(<]*?)\s*(?:\((?P<paren>[^)]*)\))?\s*(?:<(?P<email>[^>]*)>)?\s*$"
)


@dataclass(frozen=True)
class Participant:
    """``Jane Doe (Acme, CFO) <jane@acme.example>`` taken apart; ``(us)`` marks our side."""

    name: str
    organisation: str = ""
    role: str = ""
    email: str = ""

    @classmethod
    def parse(cls, text: str) -> Participant:
        match = _PARTICIPANT.match(text)
        if not match:
            return cls(name=text.strip())
        paren = [p.strip() for p in (match["paren"] or "").split(",", 1)]
        email = (match["email"] or "").strip()
        name = match["name"].strip() or email
        return cls(name=name, organisation=paren[0], role=paren[1] if len(paren) > 1 else "",
                   email=email)

    def __str__(self) -> str:
        """As a record holds it: ``Jane Doe (Acme, CFO) <jane@acme.example>``."""
        details = ", ".join(p for p in (self.organisation, self.role) if p)
        text = f"{self.name} ({details})" if details else self.name
        return f"{text} <{self.email}>" if self.email and self.email != self.name else text


@dataclass
class NextStep:
    """Something someone promised to do, with an id that never changes."""

    id: str
    text: str
    owner: str = ""
    due: When | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class StepEventKind(StrEnum):
    """What can happen to a next step after its record is written (store/stepevents.py keeps
    them as files): done, dropped, open again, or given a new due date, owner or note. The
    values are the files' and the JSON's spelling."""

    DONE = "done"
    CANCELLED = "cancelled"
    REOPENED = "reopened"
    CHANGED = "changed"

    @property
    def verb(self) -> str:
        """As people say what happened to the step."""
        return "dropped" if self is StepEventKind.CANCELLED else self.value


class StepStatus(StrEnum):
    """Where a next step stands (``"state"`` in the JSON: docs/json.md)."""

    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"
    CANCELLED = "cancelled"


#: A legal hold's events (evidence/holds.py): placed, released.
HOLD, RELEASE = "hold", "release"


class OtherVersion(NamedTuple):
    """Another current version of a diverged interaction (two people amended one version at
    once): its id and who wrote it."""

    id: str
    author: str


@dataclass(frozen=True)
class Completion:
    """That a next step was closed: done or, if ``cancelled``, dropped; when, by whom, and
    how or why (a note)."""

    at: When
    by: str
    note: str = ""
    cancelled: bool = False


@dataclass
class StepEvent:
    """Something that happened to a next step: by whom, when it happened, when it was
    recorded; a CHANGED event's new ``due`` date and ``owner`` (each unset if unchanged)."""

    step: str
    record: str
    event: StepEventKind
    at: When
    by: str
    recorded: datetime
    note: str = ""
    due: When | None = None
    owner: str = ""
    path: Path | None = None


@dataclass
class StepState:
    """What a step's events say of it now. Each of its state, owner and due date is what the
    latest event that sets it says (events in the order of store/events.in_order)."""

    closed: Completion | None = None
    owner: str = ""  # "" -> as the record says
    due: When | None = None  # None -> as the record says
    notes: list[str] = field(default_factory=list)

    def apply(self, kind: StepEventKind, at: When, by: str, note: str, *, owner: str = "",
              due: When | None = None) -> None:
        """Take one more event into account (the next in order)."""
        if kind in (StepEventKind.DONE, StepEventKind.CANCELLED):
            self.closed = Completion(at, by, note, cancelled=kind == StepEventKind.CANCELLED)
        elif kind == StepEventKind.REOPENED:
            self.closed = None
        self.owner = owner or self.owner
        self.due = due if due is not None else self.due
        if note and kind in (StepEventKind.CHANGED, StepEventKind.REOPENED):
            self.notes.append(note)

    def applied(self, step: NextStep) -> NextStep:
        """``step`` with the owner and due date its events gave it."""
        if not self.owner and self.due is None:
            return step
        return NextStep(step.id, step.text, self.owner or step.owner,
                        step.due if self.due is None else self.due, step.extra)

    @property
    def texts(self) -> list[str]:
        """What its events say in words: the closing note, then each other note."""
        closing = [self.closed.note] if self.closed is not None and self.closed.note else []
        return closing + self.notes


@dataclass
class TrackedStep:
    """A next step where it was promised (client, record) and what became of it: what
    ``actions``, ``history`` and the step commands work with. ``step`` is the step as it
    stands now (its owner and due date as its events left them), ``original`` as its record
    promised it, ``trail`` its events, oldest first."""

    step: NextStep
    client: str
    record: str  # the record's id
    title: str  # the record's title
    path: str  # the record's file, relative to the store
    closed: Completion | None = None
    original: NextStep | None = None
    trail: tuple[StepEvent, ...] = ()
    #: The record's type, date and tags (what a task made of the step says of it).
    record_type: str = ""
    record_date: When | None = None
    tags: tuple[str, ...] = ()

    @property
    def due_day(self) -> date | None:
        due = self.step.due
        return due.date() if isinstance(due, datetime) else due

    def overdue(self, today: date) -> bool:
        due = self.due_day
        return self.closed is None and due is not None and due < today

    def state(self, today: date) -> StepStatus:
        """Done, cancelled, overdue or open, on ``today``."""
        if self.closed is not None:
            return StepStatus.CANCELLED if self.closed.cancelled else StepStatus.DONE
        return StepStatus.OVERDUE if self.overdue(today) else StepStatus.OPEN


@dataclass(frozen=True)
class Attachment:
    """A file kept beside a record (in the folder named like its file without ``.md``),
    named with the SHA-256 of its bytes. ``reason``, ``by`` and ``recorded`` are set for a
    file added after the record was sealed (an attach event), empty for one it lists."""

    name: str
    sha256: str
    reason: str = ""
    by: str = ""
    recorded: datetime | None = None


@dataclass
class Record:
    """One interaction. ``extra`` keeps every front-matter key ilog does not know, in order."""

    id: str
    client: str
    type: str
    date: When | None
    title: str = ""
    channel: str = ""
    participants: list[str] = field(default_factory=list)
    author: str = ""
    tags: list[str] = field(default_factory=list)
    case: str = ""
    refs: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    body: str = ""
    #: The files kept beside the record when it was written, with their SHA-256 (sealed).
    attachments: list[Attachment] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    #: List fields the author set to ``none`` on purpose (e.g. a call with no decisions).
    explicit_none: frozenset[str] = frozenset()
    #: ``sha256:HEX`` if the file is sealed (seal.py writes and checks it; the codec never does).
    seal: str = ""
    #: What the file's bytes say of that seal when it was read; None if nobody checked.
    seal_state: SealState | None = field(default=None, compare=False)
    #: Where the record lives, relative to the store root; None until it is written.
    path: Path | None = None
    #: 1-based line of each front-matter key in the file it was read from (for messages).
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def short_id(self) -> str:
        return self.id[:SHORT_ID_LENGTH]

    @property
    def tampered(self) -> bool:
        """Whether the file was changed after it was sealed (or its seal line was)."""
        return self.seal_state in TAMPERED

    def has(self, key: str) -> bool:
        """Whether the field is filled in (an explicit ``none`` counts as filled in)."""
        if key in self.explicit_none:
            return True
        value = getattr(self, key) if key in KNOWN_KEYS else self.extra.get(key)
        return value not in (None, "", [], {})

    def value(self, key: str) -> Any:
        """A field's value, known or not."""
        return getattr(self, key) if key in KNOWN_KEYS else self.extra.get(key)


#: How many characters of an id users see; prefixes are resolved against the store.
SHORT_ID_LENGTH = 8


@dataclass
class Client:
    """A client's profile, read from ``clients/SLUG/client.yaml``."""

    slug: str
    name: str
    aliases: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    #: The mail domains of its people (``ilog import email`` files their messages here).
    domains: list[str] = field(default_factory=list)


@dataclass
class ClientSummary:
    """A client with the figures ``ilog clients`` shows."""

    client: Client
    interactions: int
    last_contact: When | None
    open_steps: int = 0
    overdue_steps: int = 0
