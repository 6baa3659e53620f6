"""Small pieces of text for people: moments, how long ago, who was there."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ilog.model import Record, When

#: One line of text as (text, style) pieces; the style is a rich style name (ilog.cli.render applies
#: it on a terminal) or None. Views build lines; pipes get them through plain().
Line = list[tuple[str, str | None]]


def when_text(value: When | None) -> str:
    """``2026-11-22 14:30`` (or just the day) for people."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def heading(record: Record) -> str:
    """What to call a record: its title, else the first line of its notes (an untitled note
    is known by how it starts), else its type."""
    if record.title:
        return record.title
    from ilog.derived.searchdoc import first_line  # not at import: the CLI's start-up

    return first_line(record.body) or f"({record.type or 'record'})"


def counted(number: int, noun: str, *, none: str = "") -> str:
    """``1 file``, ``3 files``; ``none`` (``no``) instead of ``0`` when given: ``no problems``.
    Nouns ending in y or s take the usual English plural."""
    if number == 1:
        return f"1 {noun}"
    plural = (noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou"
              else noun + "es" if noun.endswith(("s", "x", "ch", "sh")) else noun + "s")
    return f"{none if none and not number else number} {plural}"


def ago(days: int) -> str:
    """How long ago, in the unit a person would use."""
    if days < 0:
        return f"in {-days} day{'s' if days < -1 else ''}"
    if days <= 1:
        return ("today", "yesterday")[days]
    for limit, unit, size in ((14, "day", 1), (60, "week", 7), (730, "month", 30)):
        if days < limit:
            return f"{days // size} {unit}s ago"
    return f"{days // 365} years ago"


def person(text: str) -> str:
    """A participant without the email address: ``Jane Doe (Acme, CFO)``."""
    from ilog.model import Participant  # not at import: the command line's start-up

    who = Participant.parse(text)
    details = ", ".join(p for p in (who.organisation, who.role) if p)
    return f"{who.name} ({details})" if details else who.name


def flat(value: object) -> str:
    """Any front-matter value as one line of text (lists and mappings joined)."""
    if isinstance(value, list):
        return ", ".join(flat(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {flat(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def plain(lines: list[Line]) -> str:
    """Lines without their styles, for pipes and files."""
    return "".join("".join(text for text, _ in line).rstrip() + "\n" for line in lines)


def columns(rows: list[list[str]], styles: list[str | None], *, widest: int = 60,
            screen: int | None = None) -> list[Line]:
    """Rows of cells as aligned lines (a column is as wide as its widest cell, at most
    ``widest``: a longer cell pushes the rest of its line, it is never cut). Given the
    ``screen``'s width, a last cell too long for it wraps under its own column."""
    import textwrap  # only for a screen's width

    widths = [min(widest, max(len(cell) for cell in column)) for column in zip(*rows, strict=True)]
    lines: list[Line] = []
    for row, style in zip(rows, styles, strict=True):
        start = "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False))
        indent = len(start) + 2
        room = (screen or 0) - indent
        parts = textwrap.wrap(row[-1], room) if screen and room >= 20 and row[-1] else [row[-1]]
        lines.append([(f"{start}  {parts[0]}", style)])
        lines += [[(" " * indent + part, style)] for part in parts[1:]]
    return lines


def demote_headings(body: str, levels: int = 3) -> str:
    """A Markdown body's headings ``levels`` down, so they sit under a record's heading."""
    lines, fenced = [], False
    for line in body.split("\n"):
        fenced ^= line.lstrip().startswith(("```", "~~~"))
        if not fenced and re.match(r"#{1,6} ", line):
            line = "#" * min(6, line.index(" ") + levels) + line[line.index(" "):]
        lines.append(line)
    return "\n".join(lines)


#: Characters a terminal would obey rather than show: C0 controls but tab and line feed,
#: DEL, C1 controls, and those that reorder text (bidi overrides and isolates) or break lines.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                     "\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with every character a terminal would act on shown as its code instead
    (``\\x1b``, ``\\u202e``): text from a record never moves the cursor, recolours the
    screen or reverses a line."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100
                       else f"\\u{ord(m[0]):04x}", text)
