"""Strict YAML: nothing is silently retyped, nothing unsafe is accepted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ilog.errors import FormatError
from ilog.fileformat import yamlrules


@pytest.mark.parametrize("text", ["NO", "yes", "off", "12:30", "012345", "0x1F", "1e3",
                                  "2026-11-22", ".inf", "1_000", "0o17", "+1", "-0"])
def test_plain_scalars_stay_text(text: str) -> None:
    data, _ = yamlrules.load(f"title: {text}\ntags: [{text}]\n")
    assert data == {"title": text, "tags": [text]}


def test_true_false_null_are_the_only_special_words() -> None:
    data, _ = yamlrules.load("a: true\nb: false\nc: null\nd: ~\ne:\nf: 'true'\n")
    assert data == {"a": True, "b": False, "c": None, "d": None, "e": None, "f": "true"}


def test_lines_of_top_level_keys_are_reported() -> None:
    _, lines = yamlrules.load("a: 1\n\nb:\n  - x\nc: y\n", line_offset=1)
    assert lines == {"a": 2, "b": 4, "c": 6}


@pytest.mark.parametrize(("text", "message", "line"), [
    ("a: 1\nb: 2\na: 3\n", "duplicate key 'a'", 3),
    ("a: !!python/object/apply:os.system [ls]\n", "explicit YAML tags", 1),
    ("a: !custom x\n", "explicit YAML tags", 1),
    ("a: 1\nb: &x [1, 2]\nc: *x\n", "aliases", 2),
    ("a: {b: 1\n", "invalid YAML", 2),
    ("? [a, b]\n: c\n", "keys must be plain text", 1),
])
def test_unsafe_or_broken_yaml_is_refused_with_its_line(text: str, message: str,
                                                        line: int) -> None:
    with pytest.raises(FormatError) as caught:
        yamlrules.load(text)
    assert message in str(caught.value)
    assert caught.value.problem.line == line


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}]\n" for i in range(8))
    assert len(bomb) < 1000
    with pytest.raises(FormatError, match="aliases"):
        yamlrules.load(bomb)


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(FormatError, match="nested deeper"):
        yamlrules.load("a: " + "[" * 40 + "]" * 40 + "\n")


def test_oversized_front_matter_is_refused() -> None:
    with pytest.raises(FormatError, match="larger than"):
        yamlrules.load("a: " + "x" * (yamlrules.MAX_BYTES + 1) + "\n")


scalars = st.one_of(st.text(), st.booleans(), st.none())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1), inner, max_size=4)),
    max_leaves=12)


@given(st.dictionaries(st.text(min_size=1), values, max_size=6))
def test_dump_then_load_gives_the_same_data_and_the_same_bytes(data: dict) -> None:
    text = yamlrules.dump(data)
    loaded, _ = yamlrules.load(text)
    assert loaded == data
    assert yamlrules.dump(loaded) == text
