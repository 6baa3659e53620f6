"""How the client cache stores what it read: records, completion events, profiles, problems
and next steps as plain tuples (which ``marshal`` stores and loads fast, and which can never
run code), and back. Private to ``ilog.derived``: everything outside it gets the typed objects
of ``clientcache`` (an import-linter contract keeps it so).

A record entry is its front matter without the body; dates stay ISO 8601 text until a
record is rebuilt from its entry, so loading a client's entries parses nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from ilog.errors import FormatError, IlogError, UnreadableFileError, ValidationError
from ilog.fileformat import codec, seal, versions
from ilog.model import (
    Attachment,
    Client,
    NextStep,
    Problem,
    Record,
    SealState,
    StepEvent,
    StepEventKind,
    StepState,
    TrackedStep,
    When,
)
from ilog.store.layout import EVENT, PROFILE_KIND, RECORD, Store, kind
from ilog.store.profiles import parse_profile
from ilog.store.reading import read_file
from ilog.store.stepevents import parse_event

#: A record's front matter: (id, client, type, date, title, channel, participants, author,
#: tags, case, refs, decisions, steps, extra, explicit nones, seal, seal state, attachments).
RecordEntry = tuple[Any, ...]
#: (step, record, event, at, by, recorded, note, file name, due, owner)
EventEntry = tuple[str, str, str, str, str, str, str, str, str, str]
#: (slug, name, aliases, contacts, tags, extra, domains)
ClientEntry = tuple[Any, ...]
#: (message, path, line, field)
ProblemEntry = tuple[str, str | None, int | None, str | None]
#: A next step as summaries keep it: (step id, text, owner, due, record id, record title,
#: record path, the owner and due its record promised, record type, record date, tags).
StepRow = tuple[str, str, str, str, str, str, str, str, str, str, str, tuple[str, ...]]
#: Positions in a record entry.
_ID, _TYPE, _DATE, _TITLE, _TAGS, _STEPS, _EXTRA, _FILES = 0, 2, 3, 4, 8, 12, 13, 17


def record_entry(record: Record) -> RecordEntry:
    steps = tuple((s.id, s.text, s.owner, codec.iso(s.due) or "", s.extra)
                  for s in record.next_steps)
    return (record.id, record.client, record.type, codec.iso(record.date) or "", record.title,
            record.channel, tuple(record.participants), record.author, tuple(record.tags),
            record.case, tuple(record.refs), tuple(record.decisions), steps, record.extra,
            tuple(sorted(record.explicit_none)), record.seal,
            record.seal_state.value if record.seal_state else "",
            tuple((a.name, a.sha256) for a in record.attachments))


def entry_author(entry: RecordEntry) -> str:
    """The author an entry's record names (without building the record)."""
    return str(entry[7])


def record_from_entry(path: str, entry: RecordEntry) -> Record:
    """The record an entry was made from, without its body."""
    (id_, client, type_, when, title, channel, participants, author, tags, case, refs,
     decisions, steps, extra, nones, seal, seal_state, files) = entry
    return Record(id=id_, client=client, type=type_, date=when_from(when), title=title,
                  channel=channel, participants=list(participants), author=author,
                  tags=list(tags), case=case, refs=list(refs), decisions=list(decisions),
                  next_steps=[NextStep(s_id, text, owner, when_from(due), dict(more))
                              for s_id, text, owner, due, more in steps],
                  extra=dict(extra), explicit_none=frozenset(nones), seal=seal,
                  seal_state=SealState(seal_state) if seal_state else None, path=Path(path),
                  attachments=[Attachment(name, digest) for name, digest in files])


def entry_chains(records: dict[str, RecordEntry]) -> versions.Chains:
    """How the records of a table of entries (path -> entry) amend each other, without
    building a record."""
    return versions.chains(
        ((entry[_ID], versions.amends_of(entry[_EXTRA])) for entry in records.values()),
        [(entry[_ID], others) for entry in records.values()
         if (others := versions.reconciles_of(entry[_EXTRA]))])


def current_entries(records: dict[str, RecordEntry]) -> dict[str, RecordEntry]:
    """The entries of the versions people see (no other record amends them, and they are no
    withdrawal)."""
    chain = entry_chains(records)
    return {path: entry for path, entry in records.items()
            if not chain.superseded(entry[_ID]) and not versions.voided(entry[_EXTRA])}


def step_rows(path: str, entry: RecordEntry, states: dict[str, StepState]) -> list[StepRow]:
    """A record entry's next steps as summaries keep them: each with the owner and due date
    its events (``states``) gave it."""
    rows = []
    for s_id, text, promised_owner, promised_due, _ in entry[_STEPS]:
        owner, due, state = promised_owner, promised_due, states.get(s_id)
        if state is not None:
            owner = state.owner or owner
            due = due if state.due is None else codec.iso(state.due) or ""
        rows.append((s_id, text, owner, due, entry[_ID], entry[_TITLE], path, promised_owner,
                     promised_due, entry[_TYPE], entry[_DATE], entry[_TAGS]))
    return rows


def entry_fields(entry: RecordEntry) -> tuple[str, dict[str, Any], dict[str, str]]:
    """(id, the fields ilog does not know, file name -> SHA-256 of its files) of an entry,
    without building a record (what verify and ``import email`` need of every record)."""
    return entry[_ID], entry[_EXTRA], dict(entry[_FILES])


def entry_step_ids(entry: RecordEntry) -> list[str]:
    """The ids of an entry's next steps, without building a record."""
    return [step[0] for step in entry[_STEPS]]


def entry_day(entry: RecordEntry) -> str:
    """The day of a record entry's date, as ISO text ("" if it has none)."""
    return str(entry[_DATE])[:10]


def entry_paths(records: dict[str, RecordEntry]) -> dict[str, str]:
    """Record id -> its file, without building a record."""
    return {entry[_ID]: path for path, entry in records.items()}


def when_from(text: str) -> When | None:
    """An ISO 8601 date or date-time as the cache keeps it ("" is None)."""
    return _when(text) if text else None


def _when(text: str) -> When:
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def event_entry(event: StepEvent) -> EventEntry:
    return (event.step, event.record, event.event.value, codec.iso(event.at) or "", event.by,
            codec.iso(event.recorded) or "", event.note, event.path.name if event.path else "",
            codec.iso(event.due) or "", event.owner)


def event_from_entry(path: str, entry: EventEntry) -> StepEvent:
    step, record, name, at, by, recorded, note, _, due, owner = entry
    return StepEvent(step=step, record=record, event=StepEventKind(name), at=_when(at),
                     by=by, recorded=datetime.fromisoformat(recorded), note=note,
                     due=when_from(due), owner=owner, path=Path(path))


def entry_states(events: list[EventEntry]) -> dict[str, StepState]:
    """Step id -> what its events say of it now (stepevents.step_states), in the order of
    store/events.in_order (recorded time, then file name), on the tuples themselves; making
    ~1,000 event objects to sort them cost ~15 ms of every ``history``."""
    states: dict[str, StepState] = {}
    for step, _, name, at, by, _, note, _, due, owner in sorted(
            events, key=lambda e: (datetime.fromisoformat(e[5]), e[7])):
        states.setdefault(step, StepState()).apply(StepEventKind(name), _when(at), by, note,
                                                   owner=owner, due=when_from(due))
    return states


def step_from_row(client: str, row: StepRow) -> TrackedStep:
    """An open step as a summary keeps it."""
    (step_id, text, owner, due, record, title, path, promised_owner, promised_due, type_,
     when, tags) = row
    return TrackedStep(NextStep(step_id, text, owner, when_from(due)), client, record, title,
                       path, original=NextStep(step_id, text, promised_owner,
                                               when_from(promised_due)),
                       record_type=type_, record_date=when_from(when), tags=tags)


def client_entry(client: Client) -> ClientEntry:
    return (client.slug, client.name, tuple(client.aliases), tuple(client.contacts),
            tuple(client.tags), client.extra, tuple(client.domains))


def client_from_entry(entry: ClientEntry) -> Client:
    slug, name, aliases, contacts, tags, extra, domains = entry
    return Client(slug=slug, name=name, aliases=list(aliases), contacts=list(contacts),
                  domains=list(domains),
                  tags=list(tags), extra=dict(extra))


def problem_entry(problem: Problem) -> ProblemEntry:
    return (problem.message, problem.path, problem.line, problem.field)


def problem_from_entry(entry: ProblemEntry) -> Problem:
    return Problem(*entry)


#: What reading one file gave: its kind, its entry (None if it could not be read) and the
#: problems that made it unreadable.
Read = tuple[str, RecordEntry | EventEntry | ClientEntry | None, list[ProblemEntry]]


def read_entry(store: Store, path: str) -> Read | None:
    """(kind, entry, problems) for the file at ``path``: an entry if it could be read,
    the problems if not; None if the file is gone."""
    try:
        data = read_file(store.root / path, path)
    except FileNotFoundError:
        return None
    except FormatError as exc:  # a link, a FIFO
        return kind(path) or "", None, [problem_entry(exc.problem)]
    except UnreadableFileError as exc:
        return kind(path) or "", None, [problem_entry(Problem(exc.reason, path))]
    except OSError as exc:
        return kind(path) or "", None, [problem_entry(Problem(exc.strerror or str(exc), path))]
    found = kind(path)
    try:
        if found == RECORD:
            record = codec.parse(codec.decode_bytes(data, path), path=path)
            record.seal_state = seal.check(data).state  # cached by the file's stamp
            return RECORD, record_entry(record), []
        if found == EVENT:
            return EVENT, event_entry(parse_event(data, store.root / path)), []
        slug = path.split("/")[1]
        return PROFILE_KIND, client_entry(parse_profile(slug, data, path)), []
    except ValidationError as exc:
        return found or "", None, [problem_entry(p) for p in exc.problems]
    except FormatError as exc:
        return found or "", None, [problem_entry(exc.at(path).problem)]
    except IlogError as exc:
        return found or "", None, [problem_entry(Problem(str(exc), path))]
