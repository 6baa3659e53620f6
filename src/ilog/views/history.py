"""A client's history laid out for people: lines of styled text (the terminal shows the
styles, a pipe gets the text alone) and Markdown to paste into an agenda or an email.

No rich here: styles are rich style names that ilog.cli.render applies, so piped output never pays
for importing rich.
"""

from __future__ import annotations

import re
from datetime import date

from ilog.fileformat import threads, versions
from ilog.model import TAMPERED_NOTE, OtherVersion, Record, StepStatus, TrackedStep
from ilog.ops.history import Briefing, Entry, History
from ilog.views.text import (
    Line,
    ago,
    counted,
    demote_headings,
    flat,
    heading,
    person,
    when_text,
)
from ilog.views.trail import closing_text, earlier_events

#: How many open next steps the briefing lists (JSON lists them all).
BRIEFING_STEPS = 10
_STATE_MARK = {StepStatus.DONE: "[x]", StepStatus.CANCELLED: "[-]", StepStatus.OPEN: "[ ]",
               StepStatus.OVERDUE: "[!]"}
_STATE_STYLE = {StepStatus.DONE: "green", StepStatus.CANCELLED: "dim", StepStatus.OPEN: None,
                StepStatus.OVERDUE: "bold red"}


def type_counts(by_type: dict[str, int]) -> str:
    return " · ".join(f"{name} {count}" for name, count in by_type.items())


# -- lines for the terminal and for pipes -----------------------------------------------------

def briefing_lines(briefing: Briefing, today: date) -> list[Line]:
    client = briefing.client
    lines: list[Line] = [[(client.name, "bold"), (f"  ({client.slug})", "dim")]]
    facts = [("aliases", ", ".join(client.aliases)), ("tags", ", ".join(client.tags))]
    lines += [[(f"  {key}: ", "dim"), (value, None)] for key, value in facts if value]
    for number, contact in enumerate(client.contacts):
        lines.append([("  contacts: " if number == 0 else "            ", "dim"), (contact, None)])
    if briefing.last_contact is not None:
        lines.append([("  last contact: ", "dim"), (when_text(briefing.last_contact), None),
                      (f", {ago(briefing.days_since or 0)}", None)])
    lines.append([("  interactions: ", "dim"), (str(briefing.interactions), None),
                  (f" ({type_counts(briefing.by_type)})" if briefing.by_type else "", "dim")])
    lines += _open_step_lines(briefing, today)
    if briefing.decisions:
        lines += [[], [("Recent decisions", "bold")]]
        lines += [[(f"  {when_text(d.date)[:10]}  ", "cyan"), (d.text, None),
                   (f"  · {d.title}" if d.title else "", "dim")] for d in briefing.decisions]
    return lines


def _open_step_lines(briefing: Briefing, today: date) -> list[Line]:
    steps = briefing.open_steps
    overdue = f", {briefing.overdue} overdue" if briefing.overdue else ""
    lines: list[Line] = [[], [("Open next steps: ", "bold"), (f"{len(steps)}", "bold"),
                              (overdue, "bold red" if overdue else None)]]
    for action in steps[:BRIEFING_STEPS]:
        late = action.overdue(today)
        due = action.due_day
        lines.append([(f"  {when_text(due) if due else 'no date':10} ",
                       "bold red" if late else "cyan"),
                      ("! " if late else "  ", "bold red"), (action.step.id[:8], "dim"),
                      (f"  {action.step.text}", "red" if late else None),
                      (f"  {action.step.owner or '-'}", "yellow"),
                      (f"  · {action.title}" if action.title else "", "dim")])
    if len(steps) > BRIEFING_STEPS:
        lines.append([((f"  … and {len(steps) - BRIEFING_STEPS} more: ilog actions --client "
                       f"{briefing.client.slug}"), "dim")])
    return lines


def timeline_heading(history: History) -> Line:
    return [("Timeline", "bold"), (f": {timeline_scope(history)}", "dim")]


def timeline_scope(history: History) -> str:
    """``7 interactions, newest first`` or ``2 of 5 matching (7 in all), oldest first``."""
    total, matched, shown = history.briefing.interactions, history.matched, len(history.entries)
    scope = f"{shown} of {matched}" if shown != matched else f"{matched}"
    scope += " matching" if matched != total else f" interaction{'s' if matched != 1 else ''}"
    scope += f" ({total} in all)" if matched != total else ""
    return f"{scope}, {'oldest' if history.reverse else 'newest'} first"


def entry_lines(entry: Entry, today: date, *, full: bool) -> list[Line]:
    record = entry.record
    lines: list[Line] = [[(when_text(record.date), "cyan"), ("  ", None),
                          (record.type, "magenta"), ("  ", None),
                          (heading(record), "bold"), (f"  {record.short_id}", "dim")]]
    if record.tampered:
        lines[0].append((f"  {TAMPERED_NOTE}", "bold red"))
    if record.participants:
        lines.append(_field("with", ", ".join(person(p) for p in record.participants)))
    if record.decisions or "decisions" in record.explicit_none:
        for number, text in enumerate(record.decisions or ["none"]):
            lines.append(_field("decided" if number == 0 else "", text))
    for number, state in enumerate(entry.steps):
        lines.append(_field("next" if number == 0 else "", "") + _step(state, today))
        lines += [_field("", "") + [(f"      {text}", "dim")] for text in earlier_events(state)]
    if not entry.steps and "next_steps" in record.explicit_none:
        lines.append(_field("next", "none"))
    facts = [("tags", ", ".join(record.tags)), ("case", record.case),
             ("refs", ", ".join(record.refs)), *extra_facts(record),
             ("thread", thread_text(entry)), ("files", files_text(record)),
             ("amended", amendment_text(entry)),
             ("amended by", ", ".join(a[:8] for a in entry.amended_by)),
             ("diverged", diverged_text(entry.record, entry.diverged))]
    lines += [_field(key, value, "yellow" if key.startswith(("amend", "diverged")) else None)
              for key, value in facts if value]
    if full and record.body:
        lines += [[]] + [[("    " + text, None)] for text in record.body.rstrip("\n").split("\n")]
    return lines


def log_line(entry: Entry) -> Line:
    """One interaction on one line, for ``ilog log``."""
    record, note = entry.record, amendment_text(entry)
    line: Line = [(when_text(record.date), "cyan"), ("  ", None), (record.client, "green"),
                  ("  ", None), (record.type, "magenta"), ("  ", None),
                  (heading(record), "bold"), (f"  {record.short_id}", "dim")]
    if note:
        line.append((f"  {note}", "yellow"))
    if record.tampered:
        line.append((f"  {TAMPERED_NOTE}", "bold red"))
    return line


def extra_facts(record: Record) -> list[tuple[str, str]]:
    """The fields of the record's type (an approval's approver...). An e-mail's thread
    fields are shown as its place in the thread instead, and its sender, recipients and
    subject not again when its participants and title say them."""
    said = _MAIL_PEOPLE if record.participants else ()
    return [(key, flat(value)) for key, value in record.extra.items()
            if key not in versions.FIELDS and key not in threads.FIELDS and key not in said
            and not (key == "subject" and value == record.title)]


#: An e-mail's fields that its participants say already.
_MAIL_PEOPLE = ("sender", "recipients", "cc")


def thread_text(entry: Entry) -> str:
    """``message 2 of 3`` of an e-mail that is part of a thread ("" otherwise)."""
    place = entry.thread
    return f"message {place.number} of {place.count}" if place else ""


def files_text(record: Record) -> str:
    """The names of the files beside the record, one line."""
    return ", ".join(a.name for a in record.attachments)


def diverged_text(record: Record, others: list[OtherVersion]) -> str:
    """``also 4f2k9a1m by bob@example (amended at once); 'ilog amend 36xjj334' reconciles``,
    or "" for an interaction that has not diverged."""
    if not others:
        return ""
    also = ", ".join(f"{other.id[:8]} by {other.author or 'someone'}" for other in others)
    return (f"also {also} (amended at the same time); 'ilog amend {record.short_id}' "
            "reconciles them")


def amendment_text(entry: Entry) -> str:
    """``version 2 of 2, corrects 36xjj334: wrong rate`` (or "" for a record never amended)."""
    return version_text(entry.record, entry.versions) if entry.amends else ""


def version_text(record: Record, version_ids: list[str]) -> str:
    """Which of its versions ``record`` is, and what it corrects and why ("" for a record
    with one version)."""
    if len(version_ids) < 2:
        return ""
    number = version_ids.index(record.id) + 1 if record.id in version_ids else len(version_ids)
    text = f"version {number} of {len(version_ids)}"
    amends = flat(record.extra.get(versions.AMENDS))
    if not amends:
        return f"{text} (the original)"
    reason = flat(record.extra.get(versions.REASON))
    if versions.voided(record.extra):
        moved = versions.moved_to(record.extra)
        where = f", moved to {flat(moved)}" if moved else ""
        return f"withdrawn ({text}){where}" + (f": {reason}" if reason else "")
    return f"{text}, corrects {amends[:8]}" + (f": {reason}" if reason else "")


def _field(key: str, value: str, style: str | None = None) -> Line:
    return [(f"    {key:<11}", "dim"), (value, style)]


def _step(state: TrackedStep, today: date) -> Line:
    step, kind = state.step, state.state(today)
    parts: Line = [(_STATE_MARK[kind], _STATE_STYLE[kind]), (f" {step.id[:8]}  ", "dim"),
                   (step.text, "dim" if state.closed else _STATE_STYLE[kind])]
    details = [step.owner, f"due {when_text(step.due)}" if step.due else ""]
    parts.append((f"  {', '.join(d for d in details if d)}", "yellow"))
    if state.closed is not None:
        parts.append((f"  {closing_text(state.closed)}", _STATE_STYLE[kind]))
    return parts


def problem_lines(history: History) -> list[Line]:
    if not history.problems:
        return []
    files = len({p.path for p in history.problems})
    lines: list[Line] = [[], [(f"Could not read {counted(files, 'file')}; left out above:",
                               "bold red")]]
    return lines + [[(f"  {problem}", "red")] for problem in history.problems]


def history_lines(history: History, *, full: bool) -> tuple[list[Line], list[Line]]:
    """(the briefing, the rest: timeline and unreadable files) as styled lines."""
    rest: list[Line] = [[], timeline_heading(history)]
    for entry in history.entries:
        rest += [[], *entry_lines(entry, history.today, full=full)]
    if not history.entries:
        empty = "No interaction matches." if history.briefing.interactions else \
            "No interactions recorded yet."
        rest += [[], [(empty, "dim")]]
    return briefing_lines(history.briefing, history.today), rest + problem_lines(history)


# -- Markdown --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*\[\]])|(?<!\w)_|_(?!\w)|<(?![^<>@\s]+@[^<>\s]+>)")


def md(text: str) -> str:
    """Text safe in Markdown: what would turn into emphasis, code or links is escaped; an
    e-mail address in <angle brackets> stays a link."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m[0], text)


def markdown(history: History, *, full: bool) -> str:
    """A briefing to paste into a meeting agenda or an e-mail."""
    b, today = history.briefing, history.today
    out = [f"# {md(b.client.name)}: briefing of {today.isoformat()}", ""]
    if b.last_contact is not None:
        out.append(f"- **Last contact:** {when_text(b.last_contact)[:10]} "
                   f"({ago(b.days_since or 0)})")
    out.append(f"- **Interactions:** {b.interactions}"
               + (f" ({type_counts(b.by_type)})" if b.by_type else ""))
    if b.client.contacts:
        out.append(f"- **Contacts:** {'; '.join(md(c) for c in b.client.contacts)}")
    out += ["", f"## Open next steps ({len(b.open_steps)}"
            + (f", {b.overdue} overdue)" if b.overdue else ")"), ""]
    for action in b.open_steps[:BRIEFING_STEPS]:
        late = "**overdue** " if action.overdue(today) else ""
        due_day = action.due_day
        due = f"due {due_day.isoformat()}, " if due_day else ""
        out.append(f"- [ ] {late}{md(action.step.text)} ({md(action.step.owner or 'no owner')}; "
                   f"{due}from *{md(action.title)}*)")
    if len(b.open_steps) > BRIEFING_STEPS:
        out.append(f"- … and {len(b.open_steps) - BRIEFING_STEPS} more")
    if b.decisions:
        out += ["", "## Recent decisions", ""]
        out += [f"- {when_text(d.date)[:10]}: {md(d.text)} (*{md(d.title)}*)"
                for d in b.decisions]
    out += ["", "## Timeline", "", f"*{timeline_scope(history)}*", ""]
    for entry in history.entries:
        out += _md_entry(entry, today, full=full)
    return "\n".join(out).rstrip() + "\n"


def _md_entry(entry: Entry, today: date, *, full: bool) -> list[str]:
    record = entry.record
    out = [(f"### {when_text(record.date)[:10]} · {md(record.type)} · "
           f"{md(heading(record))}"), ""]
    if record.tampered:
        out += [f"> **{md(TAMPERED_NOTE)}**", ""]
    if record.participants:
        out.append(f"- **With:** {md(', '.join(person(p) for p in record.participants))}")
    if record.decisions:
        out.append("- **Decided:** " + "; ".join(md(d) for d in record.decisions))
    if entry.steps:
        out.append("- **Next steps:**")
        out += ["  " + line for state in entry.steps for line in _md_step(state, today)]
    facts = [("Tags", ", ".join(record.tags)), ("Case", record.case),
             ("Refs", ", ".join(record.refs)), *extra_facts(record),
             ("Thread", thread_text(entry)), ("Files", files_text(record))]
    shown = " · ".join(f"**{key[:1].upper()}{key[1:]}:** {md(value)}"
                       for key, value in facts if value)
    out += [f"- {shown}"] if shown else []
    if entry.amends:
        out.append(f"- *Amended: {md(amendment_text(entry))}*")
    if full and record.body:
        out += ["", demote_headings(record.body.rstrip("\n"))]
    return out + [""]


def _md_step(state: TrackedStep, today: date) -> list[str]:
    """The step's list item, then its earlier events as a list under it."""
    step, kind = state.step, state.state(today)
    details = ", ".join(d for d in (md(step.owner), f"due {when_text(step.due)[:10]}"
                                    if step.due else "") if d)
    text = f"- [{'x' if state.closed else ' '}] {md(step.text)}"
    text = f"- [x] ~~{md(step.text)}~~" if kind == StepStatus.CANCELLED else text
    text += f" ({details})" if details else ""
    if kind == StepStatus.OVERDUE:
        text += " **overdue**"
    if state.closed is not None:
        text += f", {md(closing_text(state.closed))}"
    return [text, *(f"  - {md(event)}" for event in earlier_events(state))]
