"""What the search index holds for a record: plain data, no Whoosh.

Days are numbers ``YYYYMMDD`` (numeric ranges are fast in Whoosh); ``when`` is the full
moment as ``YYYYMMDDHHMMSS`` for sorting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from ilog.fileformat import codec, versions
from ilog.model import NextStep, Participant, Record, StepState, StepStatus, When

#: How much of a record's notes is searchable: a million characters is a long transcript, and
#: a 20 MB body someone put in a clone would otherwise take the index seconds per search.
BODY_INDEXED = 1_000_000
#: The two kinds of index documents: a record, and each of its next steps right after it.
RECORD_DOC, STEP_DOC = "record", "step"


def day_key(value: When) -> str:
    """``2026-11-22T14:30+01:00`` -> ``20261122`` (the local day it happened)."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def sort_key(value: When | None) -> int:
    """A number that sorts moments in time order (a day sorts at its start)."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        moment = value.astimezone() if value.tzinfo else value
        return int(moment.strftime("%Y%m%d%H%M%S"))
    assert isinstance(value, date)
    return int(value.strftime("%Y%m%d")) * 1_000_000


def participant_words(text: str) -> str:
    """Name, organisation, role and email of one participant, as searchable words."""
    person = Participant.parse(text)
    parts = [person.name, person.organisation, person.role, person.email]
    if person.email:
        parts.append(person.email.replace("@", " ").replace(".", " "))
    return " ".join(p for p in parts if p)


_LINE_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+|```.*$)",
                          re.MULTILINE)
_LINKS = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1(?!\w)")


def plain(markdown: str) -> str:
    """Markdown as the words a reader sees (for search snippets): no heading, quote or list
    marks, no emphasis or code marks, links as their text."""
    text = _LINE_MARKUP.sub("", markdown)
    text = _LINKS.sub(r"\1", text)
    return _EMPHASIS.sub(r"\2", text)


def first_line(markdown: str, width: int = 60) -> str:
    """The first line a reader sees in ``markdown`` (cut at ``width``), or ""."""
    first = next((line.strip() for line in plain(markdown).splitlines() if line.strip()), "")
    return first[:width] + "…" if len(first) > width else first


def document(record: Record, path: str,
             states: Mapping[str, StepState] | None = None) -> list[dict[str, object]]:
    """The index documents of ``record``: the record's, then one per next step (its owner, due
    day and state as its events left them, and what its events say), so that step fields in a
    query describe one step. ``states``: step id -> what its events say (steps with events)."""
    states = states or {}
    steps = record.next_steps
    ids = [s.id for s in steps]
    notes = "\n".join(text for s in steps if s.id in states for text in states[s.id].texts)
    parent: dict[str, object] = {
        "path": path, "kind": RECORD_DOC, "id": record.id, "client": record.client,
        "type": record.type.lower(), "date": int(day_key(record.date)) if record.date else 0,
        "when": sort_key(record.date), "title": record.title,
        "participant": "\n".join(participant_words(p) for p in record.participants),
        "author": record.author, "tag": ",".join(t.lower() for t in record.tags),
        "case": record.case.lower(), "ref": ",".join(r.lower() for r in record.refs),
        "decision": "\n".join(record.decisions), "status": "steps" if steps else "none",
        "amends": versions.amends_of(record.extra), "voided": versions.voided(record.extra),
        "reconciles": " ".join(versions.reconciles_of(record.extra)),
        "done_notes": notes, "steps": " ".join(ids), "states": states_text(ids, states),
        "text": searchable_text(record, notes),
    }
    return [parent, *(_step_document(step, path, states.get(step.id)) for step in steps)]


def searchable_text(record: Record, notes: str = "") -> str:
    """What free words search: the title, decisions, next steps, completion ``notes`` and
    the first BODY_INDEXED characters of the body."""
    decisions = "\n".join(record.decisions)
    steps = "\n".join(s.text for s in record.next_steps)
    return f"{record.title}\n{decisions}\n{steps}\n{notes}\n{record.body[:BODY_INDEXED]}"


def _step_document(step: NextStep, path: str, state: StepState | None) -> dict[str, object]:
    if state is not None:
        step = state.applied(step)
    closed = state.closed if state is not None else None
    document: dict[str, object] = {
        "path": path, "kind": STEP_DOC, "step_id": step.id, "owner": step.owner.lower(),
        "status": (StepStatus.OPEN if closed is None
                   else StepStatus.CANCELLED if closed.cancelled else StepStatus.DONE).value,
        "step": step.text, "note": "\n".join(state.texts) if state is not None else ""}
    if step.due:
        document["due"] = int(day_key(step.due))
    return document


def states_text(step_ids: list[str], states: Mapping[str, StepState]) -> str:
    """What the index knows of the events of a record's steps (it re-indexes the record when
    this changes). A step only done reads as it did before steps had other events, so that
    an index made then stays valid."""
    return ";".join(f"{i}={text}" for i in step_ids
                    if i in states and (text := _state_text(states[i])))


def _state_text(state: StepState) -> str:
    closed = state.closed
    text = f"{codec.iso(closed.at)}|{closed.by}|{closed.note}" if closed is not None else ""
    more = [("cancelled" if closed is not None and closed.cancelled else ""),
            f"owner={state.owner}" if state.owner else "",
            f"due={codec.iso(state.due)}" if state.due is not None else "",
            *(f"note={note}" for note in state.notes)]
    return "|".join([text, *(m for m in more if m)]) if any(more) else text
