"""Option values people type, turned into what the core takes: days and spans of days. A
value that cannot be read is a usage error naming the option."""

from __future__ import annotations

from datetime import date

from ilog.errors import DateError, UsageError


def day_from(text: str, option: str, order: str) -> date | None:
    """A day from an option such as ``--since`` (None when not given); slash dates are read
    in ``order`` (the user's ``date_order``)."""
    if not text:
        return None
    from ilog.fileformat.dates import day_of, parse_when

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
    """``7d`` / ``2w`` / ``7`` -> days (None when not given); with ``until_day``, a day too
    (``next friday``, ``end of month``): the days from today until it."""
    value = text.strip().lower()
    if not value:
        return None
    units = {"d": 1, "w": 7}
    number, unit = (value[:-1], value[-1]) if value[-1:] in units else (value, "d")
    if number.isdigit():
        return int(number) * units[unit]
    if until_day:
        from datetime import date

        from ilog.errors import DateError
        from ilog.fileformat.dates import day_of, parse_when

        try:
            return (day_of(parse_when(value, direction="future", order=order))
                    - date.today()).days
        except DateError:
            pass
    raise UsageError(f"{option} {text!r}: write a number of days or weeks, e.g. 7d, 2w"
                     + (", or a day such as 'next friday'" if until_day else ""))


def one_of(flags: dict[str, bool]) -> None:
    """Refuse options that exclude each other, given as {name: given}."""
    given = [name for name, on in flags.items() if on]
    if len(given) > 1:
        raise UsageError(f"{' and '.join(given)}: choose one")
