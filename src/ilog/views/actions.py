"""Next steps laid out for people: aligned lines, overdue ones in red, closed ones dimmed with
a tick (done) or a cross (dropped). See text.Line: a pipe gets the text, a terminal the styles
too."""

from __future__ import annotations

from datetime import date

from ilog.model import TrackedStep
from ilog.views.text import Line, columns, when_text

#: The free text last, so that cutting a line to the screen's width cuts only the text.
HEADER = ["due", "id", "owner", "client", "record", "next step"]


def action_lines(found: list[TrackedStep], today: date, *,
                 screen: int | None = None) -> list[Line]:
    """The steps as aligned lines; given the ``screen``'s width, long steps wrap under their
    own column."""
    if not found:
        return [[("No next steps match.", "dim")]]
    rows = [HEADER] + [[when_text(a.due_day), a.step.id[:8], a.step.owner or "-", a.client,
                        a.record[:8], _mark(a) + a.step.text] for a in found]
    styles = ["bold"] + ["red" if a.overdue(today) else "dim" if a.closed else None
                         for a in found]
    return columns(rows, styles, screen=screen)


def _mark(step: TrackedStep) -> str:
    """A tick for a step done, a cross for one dropped."""
    return "" if step.closed is None else "✗ " if step.closed.cancelled else "✓ "
