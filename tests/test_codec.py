"""Record files <-> Record: exact round trips, unknown fields kept, clear errors."""

from __future__ import annotations

import textwrap
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given

from conftest import NOW, VALID_CALL
from ilog.errors import FormatError, ValidationError
from ilog.fileformat import codec
from ilog.model import NextStep, Record
from strategies import records

CALL = textwrap.dedent(VALID_CALL)


def test_a_valid_record_reads_with_its_types() -> None:
    record = codec.parse(CALL)
    assert record.date == datetime(2026, 11, 22, 14, 30, tzinfo=timezone(timedelta(hours=1)))
    assert record.next_steps == [NextStep("step0001aaaa", "Send the revised SOW", "bob",
                                          date(2026, 11, 29))]
    assert record.body == "Notes.\n"


def test_canonical_text_is_written_back_unchanged() -> None:
    assert codec.encode(codec.parse(CALL)) == CALL


def test_unknown_fields_are_kept_in_order_and_as_text() -> None:
    text = CALL.replace("---\n\nNotes", "zeta: NO\nalpha: 12:30\nnested:\n  k: [1, 2]\n---\n\n"
                        "Notes")
    record = codec.parse(text)
    assert list(record.extra) == ["zeta", "alpha", "nested"]
    assert record.extra == {"zeta": "NO", "alpha": "12:30", "nested": {"k": ["1", "2"]}}
    again = codec.parse(codec.encode(record))
    assert again == record
    assert codec.encode(again) == codec.encode(record)


def test_bom_and_crlf_are_accepted() -> None:
    crlf = "\ufeff" + CALL.replace("\n", "\r\n")
    assert codec.parse(codec.decode_bytes(crlf.encode("utf-8"))) == codec.parse(CALL)


def test_non_utf8_names_the_line() -> None:
    data = CALL.encode("utf-8").replace(b"Quarterly", b"Quart\xe9rly")
    with pytest.raises(FormatError, match=r"x\.md:6: not valid UTF-8"):
        codec.decode_bytes(data, "x.md")


@pytest.mark.parametrize(("text", "message"), [
    ("just text\n", "no front matter"),
    ("---\ntitle: x\n", "not closed"),
    ("---\n- a\n---\n", "must be a mapping"),
    ("---\ntitle: [unclosed\n---\n", "invalid YAML"),
])
def test_structural_errors(text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        codec.parse(text, path="x.md")


def test_field_errors_are_collected_with_lines() -> None:
    text = CALL.replace("2026-11-22T14:30:00+01:00", "someday").replace(
        "title: Quarterly review", "title: [a, b]")
    with pytest.raises(ValidationError) as caught:
        codec.parse(text, path="x.md")
    found = {(p.field, p.line) for p in caught.value.problems}
    assert found == {("date", 5), ("title", 6)}


def test_a_stored_datetime_needs_an_offset() -> None:
    with pytest.raises(ValidationError, match="no UTC offset"):
        codec.parse(CALL.replace("+01:00", ""))


def test_explicit_none_is_recorded_as_such() -> None:
    text = CALL.replace("decisions:\n- Renew for 12 months", "decisions: none")
    record = codec.parse(text)
    assert record.decisions == [] and record.explicit_none == {"decisions"}
    assert "decisions: none\n" in codec.encode(record)


def test_draft_mode_understands_words_and_shorthand() -> None:
    draft = codec.parse("---\ndate: yesterday 3pm\nnext_steps:\n- Send SOW @bob due:friday\n"
                        "- Call jane@acme.example back\n---\n", draft=True, now=NOW)
    assert draft.date.date() == date(2026, 11, 22) and draft.date.hour == 15
    first, second = draft.next_steps
    assert (first.text, first.owner, first.due) == ("Send SOW", "bob", date(2026, 11, 27))
    assert (second.text, second.owner) == ("Call jane@acme.example back", "")
    assert len(first.id) == 12 and first.id != second.id


@pytest.mark.parametrize(("text", "expected"), [
    ("Send the SOW @bob due:friday", ("Send the SOW", "bob", date(2026, 11, 27))),
    ("@alice review contract due:2026-12-01", ("review contract", "alice", date(2026, 12, 1))),
    ("Book room due:in 2 weeks @carol", ("Book room", "carol", date(2026, 12, 7))),
    ("Email jane@acme.example", ("Email jane@acme.example", "", None)),
])
def test_step_shorthand(text: str, expected: tuple) -> None:
    step = codec.parse_step(text, now=NOW)
    assert (step.text, step.owner, step.due) == expected


# -- hypothesis: any record survives write -> read -> write unchanged ------------------------

@given(records())
def test_any_record_round_trips_exactly(record: Record) -> None:
    text = codec.encode(record)
    again = codec.parse(text)
    assert again == record
    assert codec.encode(again) == text
