"""Hypothesis strategies shared by the tests: records that any valid file can hold."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import strategies as st

from ilog.fileformat import codec
from ilog.model import NextStep, Record

line_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30).map(str.strip)
items = st.lists(line_text.filter(bool).filter(lambda s: s.lower() != "none"), max_size=3)
ids = st.text("0123456789abcdefghjkmnpqrstvwxyz", min_size=12, max_size=20)
offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
moments = st.one_of(
    st.dates(date(1990, 1, 1), date(2100, 1, 1)),
    st.builds(lambda d, tz: d.replace(tzinfo=tz, microsecond=0),
              st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1)), offsets))
owners = line_text.map(lambda s: s.lstrip("@").strip())  # ilog drops a leading @
steps = st.builds(NextStep, id=ids, text=line_text.filter(bool), owner=owners,
                  due=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2999, 12, 31))),
                  extra=st.just({}))
extra_keys = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).filter(
    lambda k: k not in Record.__dataclass_fields__)
extra_values = st.one_of(line_text, st.booleans(), st.lists(line_text, max_size=2))
#: Notes: any text but a NUL, which ilog refuses (a file holding one is no text file).
bodies = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"),
                 max_size=80).map(codec.normalize_body)


@st.composite
def records(draw: st.DrawFn) -> Record:
    return Record(
        id=draw(ids), client=draw(st.from_regex(r"[a-z][a-z0-9]{0,4}(-[a-z0-9]{1,4}){0,2}",
                                                fullmatch=True)),
        type=draw(st.sampled_from(["call", "meeting", "note", "x-custom"])), date=draw(moments),
        title=draw(line_text), channel=draw(line_text), participants=draw(items),
        author=draw(line_text), tags=draw(items), case=draw(line_text), refs=draw(items),
        decisions=draw(items), next_steps=draw(st.lists(steps, max_size=3)), body=draw(bodies),
        extra=draw(st.dictionaries(extra_keys, extra_values, max_size=3)),
    )
