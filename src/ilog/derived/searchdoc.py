"""What the search index holds for a record: plain data, no Whoosh.

Days are numbers ``YYYYMMDD`` (numeric ranges are fast in Whoosh); ``when`` is the full
moment as ``YYYYMMDDHHMMSS`` for sorting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from ilog.fileformat import codec, versions
from ilog.model import Completion, NextStep, Participant, Record, When

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
             done: Mapping[str, Completion] | None = None) -> list[dict[str, object]]:
    """The index documents of ``record``: the record's, then one per next step (its owner, due
    day, state and completion note), so that step fields in a query describe one step.
    ``done``: step id -> its completion, for the steps done now."""
    done = done or {}
    steps = record.next_steps
    ids = [s.id for s in steps]
    notes = "\n".join(done[s.id].note for s in steps if s.id in done and done[s.id].note)
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
        "done_notes": notes, "steps": " ".join(ids), "states": step_states(ids, done),
        "text": searchable_text(record, notes),
    }
    return [parent, *(_step_document(step, path, done.get(step.id)) for step in steps)]


def searchable_text(record: Record, notes: str = "") -> str:
    """What free words search: the title, decisions, next steps, completion ``notes`` and
    the first BODY_INDEXED characters of the body."""
    decisions = "\n".join(record.decisions)
    steps = "\n".join(s.text for s in record.next_steps)
    return f"{record.title}\n{decisions}\n{steps}\n{notes}\n{record.body[:BODY_INDEXED]}"


def _step_document(step: NextStep, path: str, done: Completion | None) -> dict[str, object]:
    document: dict[str, object] = {
        "path": path, "kind": STEP_DOC, "step_id": step.id, "owner": step.owner.lower(),
        "status": "done" if done else "open", "step": step.text,
        "note": done.note if done else ""}
    if step.due:
        document["due"] = int(day_key(step.due))
    return document


def step_states(step_ids: list[str], done: Mapping[str, Completion]) -> str:
    """What the index knows of the completions of a record's steps (it re-indexes the
    record when this changes)."""
    return ";".join(f"{i}={codec.iso(done[i].at)}|{done[i].by}|{done[i].note}"
                    for i in step_ids if i in done)
