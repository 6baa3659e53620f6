"""Dates in ISO 8601 or plain words: "yesterday 3pm", "last friday", "in 2 weeks", "22 nov".

ISO 8601 is tried first. Words that name a day without saying which one ("friday", "22 nov")
are resolved towards the past for when an interaction happened and towards the future for when
something is due: pass ``direction``. A result without a time of day is a ``date``; with one it
is an aware ``datetime`` in the local time zone (with the offset that zone has on that day).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Literal

from ilog.errors import DateError
from ilog.model import When

Direction = Literal["past", "future"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_UNITS = {"day": 1, "week": 7, "fortnight": 14}
_TIME = re.compile(r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$")
_HINT = ("use ISO 8601 (2026-11-22 or 2026-11-22T14:30+01:00) or words such as 'today', "
         "'yesterday 3pm', 'last friday', 'in 2 weeks', '22 nov'")


#: The years a date may fall in: every date ilog accepts can be filed (clients/C/YYYY/),
#: indexed and compared, in any time zone.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def parse_when(text: str, *, direction: Direction = "past", now: datetime | None = None,
               order: str = "") -> date | datetime:
    """Understand ``text`` as a date or a date and time; raise :class:`DateError` if it can't
    (or if it falls outside FIRST_YEAR-LAST_YEAR). A date with slashes that could be read
    either way (``05/01``) is read as ``order`` says (SLASH_ORDERS), refused by default."""
    try:
        return in_range(_understood(text, direction, now, order), text)
    except (OverflowError, ValueError):  # "in 99999999999 days": far beyond any calendar
        raise DateError(_out_of_range(text)) from None


#: How far ahead of this machine's clock a moment may be and still count as now (clocks
#: drift; a call may be logged as it starts).
CLOCK_TOLERANCE = timedelta(minutes=10)


def is_future(value: When, now: datetime) -> bool:
    """Whether ``value`` lies after ``now`` (a day: after today) beyond the clock's
    tolerance: no interaction or completion can have happened then."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.astimezone()
        return moment > now + CLOCK_TOLERANCE
    return value > now.date()


def earlier(value: When, than: When) -> bool:
    """Whether ``value`` comes before ``than``: as moments when both are, else by day."""
    if isinstance(value, datetime) and isinstance(than, datetime):
        return value < than
    return day_of(value) < day_of(than)


def in_range(value: When, text: str) -> When:
    """``value``, or DateError if it falls outside the years ilog works with."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise DateError(_out_of_range(text))
    return value


def _out_of_range(text: str) -> str:
    return (f"'{text.strip()}' is not between the years {FIRST_YEAR} and {LAST_YEAR}; "
            "write the date it really was (or is due)")


def _understood(text: str, direction: Direction, now: datetime | None, order: str) -> When:
    now = (now or datetime.now().astimezone()).replace(microsecond=0)
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    if not cleaned:
        raise DateError(f"empty date; {_HINT}")
    iso = _parse_iso(cleaned.upper())
    if isinstance(iso, datetime) and iso.tzinfo is None:
        return iso.astimezone()
    if iso is not None:
        return iso
    if cleaned == "now":
        return now.replace(second=0)
    day_words, clock = _split_time(cleaned)
    day = _parse_day(day_words, direction, now.date(), order) if day_words else now.date()
    if day is None:
        if re.match(r"^\d{1,2}/\d{1,2}\b", day_words) and not order:
            raise DateError(f"'{text.strip()}' could be day/month or month/day; write the "
                            "month's name (5 jan), ISO 8601 or dots (5.1.), or set date_order "
                            "in your ilog config.toml (docs/configuration.md)")
        raise DateError(f"cannot understand the date '{text.strip()}'"
                        f"{_did_you_mean(cleaned, direction, now)}; {_HINT}")
    if clock is None:
        return day
    return datetime.combine(day, clock).astimezone()


def parse_iso_strict(text: str) -> date | datetime:
    """ISO 8601 only, as stored in files; a datetime must carry an offset."""
    value = _parse_iso(text.strip().upper())
    if value is None:
        raise DateError(f"'{text}' is not an ISO 8601 date{_why_not(text)}; write it like "
                        "2026-11-22 or 2026-11-22T14:30:00+01:00")
    if isinstance(value, datetime) and value.tzinfo is None:
        raise DateError(f"'{text}' has no UTC offset; add one, e.g. {text}+01:00")
    return in_range(value, text)


def _why_not(text: str) -> str:
    """`` (day is out of range for month)`` for a date shaped right that does not exist."""
    try:
        date.fromisoformat(text.strip()[:10])
    except ValueError as exc:
        return f" ({exc})" if re.match(r"^\d{4}-\d{2}-\d{2}$", text.strip()[:10]) else ""
    return ""


#: Every word the date parser knows, for suggestions.
_WORDS = [*_WEEKDAYS, *_MONTHS, *_UNITS, "month", "year", "days", "weeks", "months", "years",
          "today", "yesterday", "tomorrow", "next", "last", "this", "ago", "in", "from", "now",
          "end", "of", "the", "after", "before", "day"]


def _did_you_mean(cleaned: str, direction: Direction, now: datetime) -> str:
    """`` (did you mean 'last friday'?)`` when mending misspelt words makes a date."""
    import difflib  # only for a date that was not understood

    words = [next(iter(difflib.get_close_matches(word, _WORDS, n=1, cutoff=0.75)), word)
             if word.isalpha() else word for word in cleaned.split()]
    mended = " ".join(words)
    if mended == cleaned:
        return ""
    try:
        _understood(mended, direction, now, "")
    except DateError:
        return ""
    return f" (did you mean '{mended}'?)"


def _parse_iso(text: str) -> date | datetime | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _split_time(text: str) -> tuple[str, time | None]:
    """Take a trailing (or leading) time of day off ``text``: "yesterday 3 pm", "15:00 today"."""
    words = text.split()
    options = [(words[-1], words[:-1]), (words[0], words[1:])]
    if len(words) >= 2 and words[-1] in ("am", "pm"):
        options.insert(0, (" ".join(words[-2:]), words[:-2]))
    for clock_text, rest in options:
        clock = _parse_clock(clock_text)
        if clock is not None:
            return " ".join(w for w in rest if w != "at"), clock
    return text, None


def _parse_clock(text: str) -> time | None:
    if text in ("noon", "midday"):
        return time(12)
    if text == "midnight":
        return time(0)
    match = _TIME.match(text)
    if not match or (match["m"] is None and match["ampm"] is None):
        return None
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _parse_day(text: str, direction: Direction, today: date, order: str) -> date | None:
    for parser in (_named_day, _relative_day, _weekday, _day_month,
                   partial(_numeric_day, order=order), _weekday_of_week):
        day = parser(text, direction, today)
        if day is not None:
            return day
    iso = _parse_iso(text.upper())
    return iso if isinstance(iso, date) and not isinstance(iso, datetime) else None


def _named_day(text: str, _direction: Direction, today: date) -> date | None:
    offsets = {"today": 0, "yesterday": -1, "tomorrow": 1, "next week": 7, "last week": -7,
               "day after tomorrow": 2, "the day after tomorrow": 2,
               "day before yesterday": -2, "the day before yesterday": -2}
    if text in offsets:
        return today + timedelta(days=offsets[text])
    if text in ("end of month", "end of the month", "eom"):
        return add_months(today.replace(day=1), 1) - timedelta(days=1)
    if text in ("end of next month", "end of last month"):
        first = add_months(today.replace(day=1), 2 if "next" in text else 0)
        return first - timedelta(days=1)
    if text in ("next month", "last month"):
        return add_months(today, 1 if text.startswith("next") else -1)
    return None


def _relative_day(text: str, direction: Direction, today: date) -> date | None:
    match = re.match(r"^(?:in (\d+|a|an|one) (\w+?)s?|(\d+|a|an|one) (\w+?)s? ago)$", text)
    ahead = re.match(r"^(\d+|a|an|one) (\w+?)s? from (?:now|today)$", text)
    if ahead:  # "2 days from now" is "in 2 days"
        return _relative_day(f"in {ahead[1]} {ahead[2]}", direction, today)
    if not match:
        return None
    amount_text, unit = (match[1], match[2]) if match[1] else (match[3], match[4])
    amount = 1 if amount_text in ("a", "an", "one") else int(amount_text)
    sign = 1 if match[1] else -1
    if unit in _UNITS:
        return today + timedelta(days=sign * amount * _UNITS[unit])
    if unit == "month":
        return add_months(today, sign * amount)
    if unit == "year":
        return add_months(today, sign * 12 * amount)
    return None


def _weekday(text: str, direction: Direction, today: date) -> date | None:
    words = text.split()
    qualifier = words[0] if len(words) == 2 and words[0] in ("last", "next", "this") else None
    name = words[-1] if len(words) <= 2 and (qualifier or len(words) == 1) else ""
    target = _lookup(name, _WEEKDAYS)
    if target is None:
        return None
    ahead = (target - today.weekday()) % 7
    behind = (today.weekday() - target) % 7
    if qualifier == "next":
        return today + timedelta(days=ahead or 7)
    if qualifier == "last":
        return today - timedelta(days=behind or 7)
    if qualifier == "this" or direction == "future":
        return today + timedelta(days=ahead)
    return today - timedelta(days=behind)


def _day_month(text: str, direction: Direction, today: date) -> date | None:
    match = re.match(r"^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?(?: (\d{4}))?$", text) or \
        re.match(r"^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?$", text)
    if not match:
        return None
    first, second, year = match.groups()
    day_text, month_text = (first, second) if first.isdigit() else (second, first)
    month = _lookup(month_text, _MONTHS)
    if month is None:
        return None
    try:
        if year:
            return date(int(year), month + 1, int(day_text))
        candidate = date(today.year, month + 1, int(day_text))
    except ValueError:
        return None
    return _nearest_year(candidate, direction, today)


def _nearest_year(candidate: date, direction: Direction, today: date) -> date:
    """A day given without its year: this year's, or last year's when looking back and it is
    still to come (next year's when looking ahead and it has passed)."""
    try:
        if direction == "past" and candidate > today:
            return candidate.replace(year=today.year - 1)
        if direction == "future" and candidate < today:
            return candidate.replace(year=today.year + 1)
    except ValueError:  # 29 February in a year without one
        return candidate
    return candidate


#: How a date with slashes whose first number could be a month (``05/01``) is read: refused
#: as ambiguous (""), day first ("day-month": 5 January) or month first ("month-day": May 1).
#: The user's ``date_order`` setting (configuration.md); callers pass it in.
SLASH_ORDERS = ("", "day-month", "month-day")


def _numeric_day(text: str, direction: Direction, today: date, order: str) -> date | None:
    """``22.11.2026``, ``22.11.``, ``22.11``: day first, as written in most of Europe. With
    slashes only when that cannot be read the American way too (``22/11``, not ``05/01``),
    unless ``order`` says which comes first."""
    match = re.match(r"^(\d{1,2})([./])(\d{1,2})(?:[./](\d{4}|\d{2})?)?\.?$", text)
    if not match:
        return None
    day, month, year = int(match[1]), int(match[3]), match[4]
    if match[2] == "/" and day <= 12:
        if not order:
            return None  # 05/01: the 5th of January or May the 1st?
        if order == "month-day":
            day, month = month, day
    try:
        if year:
            return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        candidate = date(today.year, month, day)
    except ValueError:
        return None
    return _nearest_year(candidate, direction, today)


def _weekday_of_week(text: str, _direction: Direction, today: date) -> date | None:
    """``monday next week``, ``friday last week``, ``tuesday this week``."""
    match = re.match(r"^([a-z]+) (next|last|this) week$", text)
    target = _lookup(match[1], _WEEKDAYS) if match else None
    if match is None or target is None:
        return None
    monday = today - timedelta(days=today.weekday())
    shift = {"next": 7, "last": -7, "this": 0}[match[2]]
    return monday + timedelta(days=shift + target)


def _lookup(word: str, names: list[str]) -> int | None:
    """Index of the name ``word`` abbreviates (at least three letters)."""
    if len(word) < 3:
        return None
    for index, name in enumerate(names):
        if name.startswith(word):
            return index
    return None


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is beyond the calendar")
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def day_of(value: date | datetime) -> date:
    """The day of a date or a moment (a moment's own day, in its own offset)."""
    return value.date() if isinstance(value, datetime) else value
