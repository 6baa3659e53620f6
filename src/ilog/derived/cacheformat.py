"""Cache entries: records, completion events and profiles as plain tuples (which ``marshal``
stores and loads fast, and which can never run code), and back.

A record entry is its front matter without the body; dates stay ISO 8601 text until a
record is rebuilt from its entry, so loading a client's entries parses nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ilog.errors import FormatError, IlogError, ValidationError
from ilog.fileformat import codec, versions
from ilog.model import Client, NextStep, Problem, Record, When
from ilog.store.completions import DONE, StepEvent, parse_event
from ilog.store.layout import EVENT, PROFILE_KIND, RECORD, Store, kind
from ilog.store.profiles import parse_profile

#: Positions in a record entry (see record_entry).
ID, DATE, TITLE, STEPS, EXTRA = 0, 3, 4, 12, 13
#: A step of a record as summaries keep it:
#: (step id, text, owner, due, record id, record title, record path).
StepRow = tuple[str, str, str, str, str, str, str]


def record_entry(record: Record) -> tuple:
    steps = tuple((s.id, s.text, s.owner, codec.iso(s.due) or "", s.extra)
                  for s in record.next_steps)
    return (record.id, record.client, record.type, codec.iso(record.date) or "", record.title,
            record.channel, tuple(record.participants), record.author, tuple(record.tags),
            record.case, tuple(record.refs), tuple(record.decisions), steps, record.extra,
            tuple(sorted(record.explicit_none)), record.seal)


def record_from_entry(path: str, entry: tuple) -> Record:
    """The record an entry was made from, without its body."""
    (id_, client, type_, when, title, channel, participants, author, tags, case, refs,
     decisions, steps, extra, nones, seal) = entry
    return Record(id=id_, client=client, type=type_, date=when_from(when), title=title,
                  channel=channel, participants=list(participants), author=author,
                  tags=list(tags), case=case, refs=list(refs), decisions=list(decisions),
                  next_steps=[NextStep(s_id, text, owner, when_from(due), dict(more))
                              for s_id, text, owner, due, more in steps],
                  extra=dict(extra), explicit_none=frozenset(nones), seal=seal,
                  path=Path(path))


def entry_chains(records: dict[str, tuple]) -> versions.Chains:
    """How the records of a table of entries (path -> entry) amend each other."""
    return versions.chains((entry[ID], versions.amends_of(entry[EXTRA]))
                           for entry in records.values())


def records_and_chains(records: dict[str, tuple]) -> tuple[dict[str, Record], versions.Chains]:
    """The records of a table of entries, by id, and how they amend each other."""
    return ({entry[ID]: record_from_entry(path, entry) for path, entry in records.items()},
            entry_chains(records))


def current(records: dict[str, tuple]) -> dict[str, tuple]:
    """The record entries no other record amends: the versions people see (versions.py)."""
    chain = entry_chains(records)
    return {path: entry for path, entry in records.items() if not chain.superseded(entry[ID])}


def record_steps(path: str, entry: tuple) -> list[StepRow]:
    """The summary rows of a record entry's next steps."""
    return [(s_id, text, owner, due, entry[ID], entry[TITLE], path)
            for s_id, text, owner, due, _ in entry[STEPS]]


def when_from(text: str) -> When | None:
    """An ISO 8601 date or date-time as the cache keeps it ("" is None)."""
    if not text:
        return None
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def event_entry(event: StepEvent) -> tuple:
    return (event.step, event.record, event.event, codec.iso(event.at), event.by,
            codec.iso(event.recorded), event.note, event.path.name if event.path else "")


def event_from_entry(path: str, entry: tuple) -> StepEvent:
    step, record, name, at, by, recorded, note, _ = entry
    return StepEvent(step=step, record=record, event=name, at=when_from(at), by=by,
                     recorded=datetime.fromisoformat(recorded), note=note, path=Path(path))


def latest_done(events: list[tuple]) -> dict[str, tuple[str, str, str]]:
    """step id -> (when, by whom, note) for each step whose latest event is "done"; events
    are ordered by when they were recorded, then by file name, as every clone orders them."""
    ordered = sorted(events, key=lambda e: (datetime.fromisoformat(e[5]), e[7]))
    latest = {e[0]: e for e in ordered}
    return {step: (e[3], e[4], e[6]) for step, e in latest.items() if e[2] == DONE}


def client_entry(client: Client) -> tuple:
    return (client.slug, client.name, tuple(client.aliases), tuple(client.contacts),
            tuple(client.tags), client.extra)


def client_from_entry(entry: tuple) -> Client:
    slug, name, aliases, contacts, tags, extra = entry
    return Client(slug=slug, name=name, aliases=list(aliases), contacts=list(contacts),
                  tags=list(tags), extra=dict(extra))


def problem_entry(problem: Problem) -> tuple:
    return (problem.message, problem.path, problem.line, problem.field)


def problem_from_entry(entry: tuple) -> Problem:
    return Problem(*entry)


def read_entry(store: Store, path: str) -> tuple[str, tuple | None, list[tuple]] | None:
    """(kind, entry, problems) for the file at ``path``: an entry if it could be read,
    the problems if not; None if the file is gone."""
    try:
        data = (store.root / path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return kind(path) or "", None, [problem_entry(Problem(exc.strerror or str(exc), path))]
    found = kind(path)
    try:
        if found == RECORD:
            return RECORD, record_entry(codec.parse(codec.decode_bytes(data, path),
                                                    path=path)), []
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
