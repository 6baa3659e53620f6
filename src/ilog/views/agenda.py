"""The agenda laid out for people: styled lines for a terminal, Markdown to paste into an
e-mail (views/text.py: a pipe gets the lines' text)."""

from __future__ import annotations

from ilog.model import TrackedStep
from ilog.ops.agenda import Agenda, week_of
from ilog.views.text import Line


def agenda_lines(found: Agenda) -> list[Line]:
    """Overdue steps first, then each day (under this week, next week, later), client by
    client."""
    lines: list[Line] = []
    if found.overdue:
        lines.append([("Overdue", "bold red")])
        lines += [[("  ", None), (f"{s.due_day:%a %Y-%m-%d}", "red"), ("  ", None),
                   *_step(s)] for s in found.overdue]
    week = ""
    for day, clients in found.days:
        if week_of(day, found.today) != week:
            week = week_of(day, found.today)
            lines += [[]] if lines else []
            lines.append([(week[0].upper() + week[1:], "bold")])
        lines.append([("  ", None), (f"{day:%a %Y-%m-%d}", "cyan")])
        lines += [[("    ", None), *_step(s)] for _, steps in clients for s in steps]
    if not lines:
        lines.append([(f"Nothing due until {found.until:%a %Y-%m-%d}.", "dim")])
    if found.undated:
        undated = (f"{found.undated} open step(s) without a due date: 'ilog actions' lists "
                   "them.")
        lines += [[], [(undated, "dim")]]
    return lines


def _step(step: TrackedStep) -> Line:
    owner = f"  @{step.step.owner}" if step.step.owner else ""
    return [(step.client, "green"), ("  ", None), (step.step.text, None), (owner, "magenta"),
            (f"  ({step.title or step.record[:8]})", "dim"), (f"  {step.step.id[:8]}", "dim")]


def agenda_markdown(found: Agenda) -> str:
    """The agenda as Markdown: a heading per part, a bullet per step."""
    out = [f"# Agenda from {found.today:%A %d %B %Y} to {found.until:%A %d %B %Y}", ""]
    if found.overdue:
        out += ["## Overdue", ""]
        out += [f"- {s.due_day:%a %d %b %Y}: {_bullet(s)}" for s in found.overdue] + [""]
    week = ""
    for day, clients in found.days:
        if week_of(day, found.today) != week:
            week = week_of(day, found.today)
            out += [f"## {week[0].upper() + week[1:]}", ""]
        out += [f"### {day:%A %d %B}", ""]
        out += [f"- {_bullet(s)}" for _, steps in clients for s in steps] + [""]
    if not (found.overdue or found.days):
        out += [f"Nothing due until {found.until:%A %d %B}.", ""]
    return "\n".join(out)


def _bullet(step: TrackedStep) -> str:
    owner = f" ({step.step.owner})" if step.step.owner else ""
    title = f" — {_plain(step.title)}" if step.title else ""
    return f"**{_plain(step.client)}**: {_plain(step.step.text)}{owner}{title}"


def _plain(text: str) -> str:
    """Text from a record, safe inside Markdown: its markup characters escaped."""
    return "".join(f"\\{ch}" if ch in "\\`*_[]<>#|" else ch for ch in text)
