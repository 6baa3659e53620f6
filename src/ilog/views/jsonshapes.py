"""The ``--json`` contract (docs/json.md): the core's objects as JSON-ready data.

Fields may be added, never removed or renamed; a missing value is None (null), an empty list
stays a list; dates are ISO 8601 text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ilog.fileformat.codec import iso

if TYPE_CHECKING:
    from datetime import date

    from ilog.derived.index import Hit
    from ilog.evidence.findings import Finding
    from ilog.evidence.retention import Expired, Plan
    from ilog.evidence.verify import Report
    from ilog.model import (
        Attachment,
        Client,
        ClientSummary,
        Completion,
        NextStep,
        Problem,
        Record,
        StepEvent,
        TrackedStep,
    )
    from ilog.ops.agenda import Agenda
    from ilog.ops.history import Briefing, Entry, History
    from ilog.store.templates import Template

Data = dict[str, object]


def record_as_data(record: Record) -> Data:
    return {
        "id": record.id, "short_id": record.short_id, "client": record.client,
        "type": record.type, "date": iso(record.date), "title": record.title or None,
        "channel": record.channel or None, "participants": record.participants,
        "author": record.author or None, "tags": record.tags, "case": record.case or None,
        "refs": record.refs, "decisions": record.decisions,
        "next_steps": [step_as_data(s) for s in record.next_steps],
        "explicit_none": sorted(record.explicit_none), "fields": record.extra,
        "body": record.body, "path": record.path.as_posix() if record.path else None,
        "seal": record.seal or None, "seal_state": record.seal_state or None,
        "attachments": [attachment_as_data(a) for a in record.attachments],
    }


def attachment_as_data(attachment: Attachment) -> Data:
    """A file beside a record; ``reason``, ``by`` and ``recorded`` if it was added later."""
    later = {"reason": attachment.reason, "by": attachment.by or None,
             "recorded": iso(attachment.recorded)} if attachment.recorded else {}
    return {"name": attachment.name, "sha256": attachment.sha256, **later}


def step_as_data(step: NextStep) -> Data:
    return {"id": step.id, "short_id": step.id[:8], "text": step.text,
            "owner": step.owner or None, "due": iso(step.due), **step.extra}


def client_as_data(client: Client) -> Data:
    return {"slug": client.slug, "name": client.name, "aliases": client.aliases,
            "contacts": client.contacts, "tags": client.tags}


def client_summary_as_data(summary: ClientSummary) -> Data:
    return {**client_as_data(summary.client), "interactions": summary.interactions,
            "last_contact": iso(summary.last_contact), "open_steps": summary.open_steps,
            "overdue_steps": summary.overdue_steps}


def problem_as_data(problem: Problem) -> Data:
    return {"path": problem.path, "line": problem.line, "field": problem.field,
            "message": problem.message}


def template_as_data(template: Template) -> Data:
    return {"type": template.name, "description": template.description,
            "required": template.all_required(), "source": template.source,
            "fields": {k: {"default": f.default, "hint": f.hint, "many": f.many}
                       for k, f in template.fields.items()}}


def hit_as_data(hit: Hit) -> Data:
    return {"id": hit.id, "short_id": hit.id[:8], "client": hit.client, "date": hit.date,
            "type": hit.type, "title": hit.title or None, "path": hit.path, "score": hit.score,
            "seal_state": hit.seal_state or None, "version": hit.version,
            "versions": hit.versions, "amends": hit.amends or None,
            "superseded_by": hit.superseded_by[0] if hit.superseded_by else None,
            "withdrawn": hit.withdrawn, "snippet": hit.snippet}


def action_as_data(action: TrackedStep) -> Data:
    step = action.step
    return {"id": step.id, "short_id": step.id[:8], "text": step.text,
            "owner": step.owner or None, "due": iso(action.due_day), **_closed(action.closed),
            **_promised(action), "client": action.client, "record": action.record,
            "record_title": action.title or None, "path": action.path}


def _closed(closed: Completion | None) -> Data:
    """done_* for a step done, cancel_* for one dropped (each None otherwise)."""
    done = closed if closed is not None and not closed.cancelled else None
    dropped = closed if closed is not None and closed.cancelled else None
    return {"done": done is not None, "done_at": iso(done.at) if done else None,
            "done_by": done.by if done else None,
            "done_note": (done.note or None) if done else None,
            "cancelled": dropped is not None, "cancelled_at": iso(dropped.at) if dropped else None,
            "cancelled_by": dropped.by if dropped else None,
            "cancel_reason": (dropped.note or None) if dropped else None}


def _promised(tracked: TrackedStep) -> Data:
    """The owner and due date as the record set them (``owner`` and ``due`` are today's)."""
    original = tracked.original or tracked.step
    return {"promised_owner": original.owner or None, "promised_due": iso(original.due)}


def agenda_as_data(found: Agenda) -> Data:
    from ilog.ops.agenda import week_of  # not at import: every --json's start-up

    return {"today": iso(found.today), "until": iso(found.until),
            "overdue": [action_as_data(s) for s in found.overdue],
            "days": [{"date": iso(day), "week": week_of(day, found.today),
                      "clients": [{"client": client, "steps": [action_as_data(s)
                                                                for s in steps]}
                                  for client, steps in clients]}
                     for day, clients in found.days],
            "undated": found.undated}


def event_as_data(event: StepEvent) -> Data:
    return {"step": event.step, "record": event.record, "event": event.event,
            "at": iso(event.at), "by": event.by, "note": event.note or None,
            "due": iso(event.due), "owner": event.owner or None,
            "recorded": iso(event.recorded)}


def history_as_data(history: History, *, full: bool) -> Data:
    """The briefing and the timeline; records carry their bodies only when ``full``."""
    return {"client": client_as_data(history.briefing.client),
            "briefing": briefing_as_data(history.briefing),
            "records": [entry_as_data(e, history, full=full) for e in history.entries],
            "matched": history.matched, "shown": len(history.entries),
            "problems": [problem_as_data(p) for p in history.problems]}


def briefing_as_data(briefing: Briefing) -> Data:
    return {"interactions": briefing.interactions, "by_type": briefing.by_type,
            "last_contact": iso(briefing.last_contact),
            "days_since_last_contact": briefing.days_since,
            "open_steps": len(briefing.open_steps), "overdue_steps": briefing.overdue,
            "open_actions": [action_as_data(a) for a in briefing.open_steps],
            "recent_decisions": [{"text": d.text, "date": iso(d.date), "record": d.record,
                                  "record_title": d.title or None} for d in briefing.decisions]}


def tracked_as_data(tracked: TrackedStep, today: date) -> Data:
    """A next step as it stands now, with its state, how it was closed and its trail."""
    return {**step_as_data(tracked.step), "state": tracked.state(today),
            **_closed(tracked.closed), **_promised(tracked),
            "trail": [event_as_data(e) for e in tracked.trail]}


def entry_as_data(entry: Entry, history: History, *, full: bool) -> Data:
    data = record_as_data(entry.record)
    data["body"] = entry.record.body if full else None
    data["next_steps"] = [tracked_as_data(state, history.today) for state in entry.steps]
    data.update(amends=entry.amends or None, versions=entry.versions,
                amended_by=entry.amended_by,
                diverged=[other._asdict() for other in entry.diverged],
                thread={"message_id": entry.thread.thread, "number": entry.thread.number,
                        "count": entry.thread.count} if entry.thread else None)
    return data


def log_entry_as_data(entry: Entry, today: date) -> Data:
    """An interaction as ``log --json`` lists it: a record with its steps' states."""
    data = record_as_data(entry.record)
    data["next_steps"] = [tracked_as_data(state, today) for state in entry.steps]
    data.update(amends=entry.amends or None, versions=entry.versions)
    return data


def verify_as_data(report: Report) -> Data:
    return {"checked": report.checked, "commit": report.commit,
            "findings": [finding_as_data(f) for f in report.findings],
            "warnings": [finding_as_data(f) for f in report.warnings]}


def finding_as_data(finding: Finding) -> Data:
    return {"kind": finding.kind, "path": finding.path, "line": finding.line,
            "field": finding.field, "commit": finding.commit, "message": finding.message}


def purge_as_data(plan: Plan, *, deleted: int) -> Data:
    return {"deleted": deleted, "expired": [expired_as_data(e) for e in plan.expired],
            "held": [expired_as_data(e) for e in plan.held]}


def expired_as_data(item: Expired) -> Data:
    return {"client": item.client, "retention": item.retention, "ended": iso(item.ended),
            "hold": item.hold or None,
            "records": [{"id": r.id, "path": r.path.as_posix() if r.path else None,
                         "date": iso(r.date)} for r in item.records]}
