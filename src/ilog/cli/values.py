"""Option values people type, turned into what the core takes: days and spans of days. A
value that cannot be read is a usage error naming the option."""

from __future__ import annotations

from datetime import date

from ilog.errors import DateError, UsageError
from ilog.fileformat import durations
from ilog.fileformat.dates import day_of, parse_when


def day_from(text: str, option: str, order: str) -> date | None:
    """A day from an option such as ``--since`` (None when not given); slash dates are read
    in ``order`` (the user's ``date_order``)."""
    if not text:
        return None
    try:
        value = parse_when(text, direction="past", order=order)
    except DateError as exc:
        raise DateError(f"{option}: {exc}") from None
    return day_of(value)


def day_range(since: str, until: str, order: str) -> tuple[date | None, date | None]:
    """``--since`` and ``--until`` as days; a span that ends before it starts is a usage
    error (it could match nothing)."""
    first, last = day_from(since, "--since", order), day_from(until, "--until", order)
    if first and last and first > last:
        raise UsageError(f"--since {first} is after --until {last}: nothing can match")
    return first, last


def days(text: str, option: str, *, until_day: bool = False, order: str = "") -> int | None:
    """A span in days, weeks, months or years (``7d``, ``2w``, ``3mo``; a bare number is
    days: fileformat/durations.py) -> the days from today to its end (None when not given);
    with ``until_day``, a day too (``next friday``, ``end of month``)."""
    if not text.strip():
        return None
    today = date.today()
    try:
        return (durations.parse_duration(text, durations.CALENDAR, option).after(today)
                - today).days
    except DateError as exc:
        if until_day:
            try:
                return (day_of(parse_when(text, direction="future", order=order))
                        - today).days
            except DateError:
                pass
        raise UsageError(f"{option}: {exc}" + (", or a day such as 'next friday'"
                                               if until_day else "")) from None


def one_of(flags: dict[str, bool]) -> None:
    """Refuse options that exclude each other, given as {name: given}."""
    given = [name for name, on in flags.items() if on]
    if len(given) > 1:
        raise UsageError(f"{' and '.join(given)}: choose one")
