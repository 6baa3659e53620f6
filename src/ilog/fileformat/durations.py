"""One grammar for spans of time, wherever ilog reads one: retention (``7y``, ``18mo``), a
task's reminder (``30m``, ``2h``), ``--cold 90d``, ``--due-within 2w``.

A whole number and a unit: ``m`` (or ``min``, ``minutes``) minutes, ``h`` hours, ``d`` days
(also when no unit is given), ``w`` weeks, ``mo`` months, ``y`` years; the words
(``3 months``) work too. Each letter means one thing everywhere: ``m`` is minutes, months are
``mo``. Where only some units make sense (retention is counted in days or more, a reminder
in less than a month), a span in another unit is refused with what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ilog.errors import DateError
from ilog.fileformat.dates import add_months


class Unit(StrEnum):
    """A unit of time, by the letters it is written with."""

    MINUTE = "m"
    HOUR = "h"
    DAY = "d"
    WEEK = "w"
    MONTH = "mo"
    YEAR = "y"

    @property
    def word(self) -> str:
        return self.name.lower()


#: How long the units with a fixed length are.
_LENGTHS = {Unit.MINUTE: timedelta(minutes=1), Unit.HOUR: timedelta(hours=1),
            Unit.DAY: timedelta(days=1), Unit.WEEK: timedelta(weeks=1)}


#: What each unit may be written as.
_SPELLINGS = {spelling: unit for unit, spellings in {
    Unit.MINUTE: ("m", "min", "mins", "minute", "minutes"),
    Unit.HOUR: ("h", "hr", "hrs", "hour", "hours"),
    Unit.DAY: ("", "d", "day", "days"),
    Unit.WEEK: ("w", "week", "weeks"),
    Unit.MONTH: ("mo", "month", "months"),
    Unit.YEAR: ("y", "year", "years"),
}.items() for spelling in spellings}
_SPAN = re.compile(r"^(\d{1,12})\s*([a-z]*)$")
#: The most days a unit can be (for the thousand-year bound).
_DAYS = {Unit.MINUTE: 1 / 1440, Unit.HOUR: 1 / 24, Unit.DAY: 1, Unit.WEEK: 7, Unit.MONTH: 31,
         Unit.YEAR: 366}
#: Days and more (retention, how long a client has been quiet).
CALENDAR = frozenset({Unit.DAY, Unit.WEEK, Unit.MONTH, Unit.YEAR})
#: Shorter than a month (a reminder before a due date).
CLOCK = frozenset({Unit.MINUTE, Unit.HOUR, Unit.DAY, Unit.WEEK})
_EXAMPLES = {Unit.MINUTE: "30m", Unit.HOUR: "2h", Unit.DAY: "7d", Unit.WEEK: "2w",
             Unit.MONTH: "18mo", Unit.YEAR: "7y"}


@dataclass(frozen=True)
class Duration:
    """A number of units."""

    count: int
    unit: Unit

    def __str__(self) -> str:
        return f"{self.count}{self.unit.value}"

    @property
    def spoken(self) -> str:
        return f"{self.count} {self.unit.word}{'' if self.count == 1 else 's'}"

    def after(self, day: date) -> date:
        """The day this long after ``day`` (a month later is the same day of the month, or
        its last day)."""
        months = {Unit.MONTH: 1, Unit.YEAR: 12}.get(self.unit)
        if months is None:
            return day + self.length()
        return add_months(day, self.count * months)

    def length(self) -> timedelta:
        """How long it is (months and years have no fixed length: ValueError)."""
        if self.unit not in _LENGTHS:
            raise ValueError(f"{self.unit.word}s have no fixed length")
        return _LENGTHS[self.unit] * self.count


def parse_duration(text: str, allowed: frozenset[Unit], what: str) -> Duration:
    """``text`` as a span of time in one of the ``allowed`` units; DateError says why not
    (``what`` names what it counts, for that message: "retention", "a reminder")."""
    match = _SPAN.match(" ".join(text.strip().lower().split()))
    unit = _SPELLINGS.get(match[2]) if match else None
    if match is None or unit is None:
        examples = [example for unit, example in _EXAMPLES.items() if unit in allowed]
        raise DateError(f"'{text}' is no span of time; write a number and a unit, e.g. "
                        f"{', '.join(examples[:-1])} or {examples[-1]}")
    found = Duration(int(match[1]), unit)
    if found.count * _DAYS[unit] > 1000 * 366:
        raise DateError(f"'{text}' is longer than a thousand years; write a real span, e.g. "
                        "10y")
    if unit not in allowed:
        raise DateError(f"'{text}' is {found.spoken}; {what} is counted in "
                        f"{_listed(allowed)}{_instead(found, match[2], allowed)}")
    return found


def _listed(units: frozenset[Unit]) -> str:
    names = [f"{unit.word}s ({unit.value})" for unit in Unit if unit in units]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _instead(found: Duration, spelling: str, allowed: frozenset[Unit]) -> str:
    """What the writer of ``18m`` most likely meant, when that is allowed: ``m`` meant
    months in ilog's retention before minutes took the letter."""
    if spelling == "m" and Unit.MONTH in allowed:
        return f": for {found.count} months write {found.count}mo"
    return ""
