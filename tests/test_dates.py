"""Plain-word and ISO dates, resolved against a fixed 'now' (Monday 2026-11-23)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import NOW
from ilog.errors import DateError
from ilog.fileformat.dates import parse_iso_strict, parse_when


@pytest.mark.parametrize(("text", "past", "future"), [
    ("today", date(2026, 11, 23), date(2026, 11, 23)),
    ("yesterday", date(2026, 11, 22), date(2026, 11, 22)),
    ("tomorrow", date(2026, 11, 24), date(2026, 11, 24)),
    ("last friday", date(2026, 11, 20), date(2026, 11, 20)),
    ("friday", date(2026, 11, 20), date(2026, 11, 27)),
    ("Monday", date(2026, 11, 23), date(2026, 11, 23)),
    ("next friday", date(2026, 11, 27), date(2026, 11, 27)),
    ("in 2 weeks", date(2026, 12, 7), date(2026, 12, 7)),
    ("3 days ago", date(2026, 11, 20), date(2026, 11, 20)),
    ("next month", date(2026, 12, 23), date(2026, 12, 23)),
    ("22 nov", date(2026, 11, 22), date(2027, 11, 22)),
    ("Dec 1", date(2025, 12, 1), date(2026, 12, 1)),
    ("1 march 2027", date(2027, 3, 1), date(2027, 3, 1)),
    ("2026-11-22", date(2026, 11, 22), date(2026, 11, 22)),
])
def test_days(text: str, past: date, future: date) -> None:
    assert parse_when(text, now=NOW) == past
    assert parse_when(text, direction="future", now=NOW) == future


@pytest.mark.parametrize(("text", "day", "clock"), [
    ("yesterday 3pm", date(2026, 11, 22), time(15)),
    ("yesterday 15:00", date(2026, 11, 22), time(15)),
    ("last friday at 9:30 am", date(2026, 11, 20), time(9, 30)),
    ("noon", date(2026, 11, 23), time(12)),
    ("2026-11-22 14:30", date(2026, 11, 22), time(14, 30)),
])
def test_days_with_times_get_an_offset(text: str, day: date, clock: time) -> None:
    value = parse_when(text, now=NOW)
    assert isinstance(value, datetime) and value.tzinfo is not None
    assert (value.date(), value.time()) == (day, clock)


@pytest.mark.parametrize("text", ["", "someday", "32 nov", "25:00", "13pm", "05/01/2024",
                                  "in 2 fortnights ago"])
def test_nonsense_is_refused_with_a_hint(text: str) -> None:
    with pytest.raises(DateError, match="ISO 8601"):
        parse_when(text, now=NOW)


offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@given(st.datetimes(datetime(1900, 1, 2), datetime(2999, 12, 30), timezones=offsets)
       .map(lambda d: d.replace(microsecond=0)))
def test_iso_round_trip(moment: datetime) -> None:
    """Every moment of the years ilog files (docs/format.md) reads back as written."""
    assert parse_iso_strict(moment.isoformat()) == moment
    assert parse_when(moment.isoformat(), now=NOW) == moment


@pytest.mark.parametrize("text", ["0001-01-01", "1899-12-31", "9999-12-31T23:59:59-12:00",
                                  "3000-01-01", "in 10000 years", "in 99999999999 days",
                                  "99999999 weeks ago"])
def test_dates_outside_the_years_ilog_files_are_refused(text: str) -> None:
    with pytest.raises(DateError, match="not between the years 1900 and 2999"):
        parse_when(text)


def test_a_stored_date_outside_the_range_is_refused_too() -> None:
    with pytest.raises(DateError, match="not between"):
        parse_iso_strict("9999-12-31T23:59:59-12:00")
    assert parse_iso_strict("1900-01-01").year == 1900


def test_a_span_beyond_a_thousand_years_is_refused() -> None:
    from ilog.fileformat.durations import CALENDAR, parse_duration

    with pytest.raises(DateError, match="longer than a thousand years"):
        parse_duration("99999999999y", CALENDAR, "retention")
    assert str(parse_duration("999y", CALENDAR, "retention")) == "999y"


@given(st.integers(0, 10**6), st.sampled_from(["m", "min", "minutes", "h", "hours", "d", "",
                                                "days", "w", "weeks", "mo", "months", "y",
                                                "years"]), st.sampled_from(["", " "]))
def test_one_letter_one_unit_everywhere(count: int, unit: str, space: str) -> None:
    """Every span reads the same for every use that allows its unit: ``m`` is minutes for a
    reminder and refused (with the months it used to mean) for retention."""
    from ilog.fileformat import durations

    text = f"{count}{space}{unit}"
    spans = []
    for allowed in (durations.CALENDAR, durations.CLOCK):
        try:
            spans.append(durations.parse_duration(text, allowed, "x"))
        except DateError as exc:
            assert text in str(exc)
            if unit == "m" and allowed is durations.CALENDAR and "thousand" not in str(exc):
                assert f"for {count} months write {count}mo" in str(exc)
    assert len({(s.count, s.unit) for s in spans}) <= 1
    assert all(s.count == count for s in spans)


# -- an interaction is something that happened (issue 11, item 5) ---------------------------

def test_a_record_dated_in_the_future_is_refused(demo) -> None:
    from ilog.errors import ValidationError

    new = ("new", "acme", "--no-edit", "-t", "note", "-p", "Jane Doe")
    for when in ("in 2 weeks", "tomorrow", (datetime.now().astimezone() + timedelta(hours=1))
                 .strftime("%Y-%m-%dT%H:%M%z")):
        result = demo(*new, "--date", when, code=ValidationError.exit_code)
        assert "date:" in result.output and "is in the future" in result.output
    demo(*new, "--date", (datetime.now().astimezone() + timedelta(minutes=5))
         .strftime("%Y-%m-%dT%H:%M:%S%z"))  # within the clock's tolerance
    ahead = (date.today() + timedelta(days=3)).isoformat()
    result = demo("new", "acme", "--no-edit", "--stdin", code=ValidationError.exit_code,
                  input=f"---\ntype: note\ndate: {ahead}\nparticipants: [Jane]\n---\n\nx\n")
    assert f"{ahead} is in the future" in result.output


def test_a_step_is_done_between_its_record_and_now(demo) -> None:
    result = demo("done", "f1cj", "--date", "tomorrow", code=DateError.exit_code)
    assert "is in the future" in result.output
    result = demo("done", "f1cj", "--date", "2026-09-02", code=DateError.exit_code)
    assert "is before 2026-09-03T11:00:00+01:00, when record gpezgqkf set the step" in \
        result.output
    demo("done", "f1cj", "--date", "2026-09-04")


def test_a_record_dated_ahead_never_counts_as_the_last_contact(demo) -> None:
    import json

    ahead = (date.today() + timedelta(days=14)).isoformat()
    folder = demo.store.root / "clients/acme-corp" / ahead[:4]
    folder.mkdir(exist_ok=True)
    (folder / f"{ahead}-ahead-aheadaaa.md").write_text(
        f"---\nid: aheadaaaaaaaaaaaaaaa\nclient: acme-corp\ntype: note\ndate: {ahead}\n"
        "title: Ahead\nparticipants:\n- Jane\n---\n")
    clients = json.loads(demo("clients", "--json").stdout)
    acme = next(c for c in clients if c["slug"] == "acme-corp")
    assert acme["last_contact"] == "2026-11-22"
    briefing = json.loads(demo("history", "acme", "--json").stdout)["briefing"]
    assert briefing["last_contact"].startswith("2026-11-22")


@pytest.mark.parametrize(("text", "expected"), [
    ("22.11.2026", date(2026, 11, 22)), ("22.11.", date(2026, 11, 22)),
    ("22.11", date(2026, 11, 22)), ("22/11", date(2026, 11, 22)),
    ("13/11/26", date(2026, 11, 13)), ("24.12.", date(2025, 12, 24)),  # looking back
    ("end of month", date(2026, 11, 30)), ("day after tomorrow", date(2026, 11, 25)),
    ("2 days from now", date(2026, 11, 25)), ("monday next week", date(2026, 11, 30)),
    ("friday last week", date(2026, 11, 20)),
])
def test_dates_as_european_consultants_type_them(text: str, expected: date) -> None:
    assert parse_when(text, now=NOW) == expected


def test_due_within_takes_a_day(demo) -> None:
    demo("actions", "--due-within", "next friday")
    demo("actions", "--due-within", "end of month")
    assert "or a day such as 'next friday'" in demo("actions", "--due-within", "someday",
                                                    code=2).output


@pytest.mark.parametrize(("typed", "meant"), [("yesterdy", "yesterday"),
                                              ("last fridy 3pm", "last friday 3pm"),
                                              ("22 novmber", "22 november")])
def test_a_misspelt_date_gets_a_did_you_mean(typed: str, meant: str) -> None:
    with pytest.raises(DateError, match=f"did you mean '{meant}'"):
        parse_when(typed)


def test_no_suggestion_for_what_is_no_date() -> None:
    with pytest.raises(DateError) as caught:
        parse_when("blah blah")
    assert "did you mean" not in str(caught.value)
