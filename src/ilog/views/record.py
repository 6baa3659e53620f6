"""One record as plain text, for pipes and files (cli/render.py draws it on a terminal)."""

from __future__ import annotations

from ilog.model import NextStep, Record, TrackedStep
from ilog.views.text import flat, when_text
from ilog.views.trail import closing_text, day_text


def step_state(step: NextStep, steps: list[TrackedStep]) -> str:
    """What became of ``step`` since its record set it (``steps`` say): ``now due Mon
    2026-11-30; done 2026-12-01 by bob``; "" if nothing did."""
    tracked = next((s for s in steps if s.step.id == step.id), None)
    if tracked is None:
        return ""
    now, parts = tracked.step, []
    if now.owner != step.owner:
        parts.append(f"now {now.owner}'s")
    if now.due != step.due:
        parts.append(f"now due {day_text(now.due)}")
    if tracked.closed is not None:
        parts.append(closing_text(tracked.closed))
    return "; ".join(parts)


def _done(step: NextStep, steps: list[TrackedStep]) -> str:
    state = step_state(step, steps)
    return f" ({state})" if state else ""


def record_plain(record: Record, steps: list[TrackedStep] | None = None) -> str:
    """One record as plain text, for pipes and files; ``steps`` say what became of its next
    steps."""
    lines = [record.title or f"({record.type})",
             f"{when_text(record.date)} · {record.type} · {record.client} · {record.short_id}"]
    for title, items, key in (("Participants", record.participants, "participants"),
                              ("Decisions", record.decisions, "decisions")):
        if items or key in record.explicit_none:
            lines += ["", f"{title}:", *(f"- {i}" for i in items or ["none"])]
    if record.next_steps or "next_steps" in record.explicit_none:
        lines += ["", "Next steps:"]
        lines += [f"- [{s.id[:8]}] {s.text}" + (f" @{s.owner}" if s.owner else "") +
                  (f" due {when_text(s.due)}" if s.due else "") + _done(s, steps or [])
                  for s in record.next_steps]
        lines += [] if record.next_steps else ["- none"]
    if record.attachments:
        lines += ["", "Attachments:", *(f"- {line}" for line in attachment_lines(record))]
    facts = [(k, v) for k, v in fact_rows(record) if v]
    if facts:
        lines += ["", *(f"{k}: {v}" for k, v in facts)]
    if record.body:
        lines += ["", record.body.rstrip("\n")]
    return "\n".join(lines) + "\n"


def fact_rows(record: Record) -> list[tuple[str, str]]:
    """The record's other fields as (name, value), values flattened to one line."""
    rows = [("author", record.author), ("channel", record.channel),
            ("tags", ", ".join(record.tags)), ("case", record.case),
            ("refs", ", ".join(record.refs))]
    return rows + [(key, flat(value)) for key, value in record.extra.items()]


def attachment_lines(record: Record) -> list[str]:
    """Each file beside the record: ``sow.pdf · sha256 9eed1c04dab6…``, and for a file added
    later ``· added Mon 2026-11-30 by carol: the signed copy``."""
    lines = []
    for attachment in record.attachments:
        line = f"{attachment.name} · sha256 {attachment.sha256[:12]}…"
        if attachment.recorded is not None:
            line += f" · added {day_text(attachment.recorded)}"
            line += f" by {attachment.by}" if attachment.by else ""
            line += f": {flat(attachment.reason)}" if attachment.reason else ""
        lines.append(line)
    return lines
