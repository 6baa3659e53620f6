"""Checking and rewriting a user's search query before Whoosh parses it (no Whoosh here).

Whoosh's parser never fails: an unbalanced quote or an unknown field silently changes what is
searched. So the query is checked first, every problem is reported with its column, field
names are mapped to the index's (``tags:`` -> ``tag:``), dates in plain words become day keys
(``date:>"last month"`` -> ``date:{20261023 TO]``), and client names resolve like everywhere
else in ilog (``client:acme`` -> ``client:acme-corp``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from datetime import datetime

from ilog.derived.searchdoc import day_key
from ilog.errors import DateError, QueryError
from ilog.fileformat import dates

MAX_QUERY = 4096

#: Field names a user may type -> the index field.
FIELDS = {
    "title": "title", "client": "client", "type": "type", "tag": "tag", "tags": "tag",
    "participant": "participant", "participants": "participant", "with": "participant",
    "who": "participant", "author": "author", "owner": "owner", "case": "case",
    "ref": "ref", "refs": "ref", "decision": "decision", "decisions": "decision",
    "step": "step", "steps": "step", "next": "step", "date": "date", "due": "due",
    "status": "status", "id": "id", "body": "text", "text": "text", "note": "note",
    "notes": "note",
}
DATE_FIELDS = {"date", "due"}
#: ``name:`` at the start of a term (a ``-`` before it excludes: see _exclusions).
_FIELD = re.compile(r"(?<![\w.@-])-?([A-Za-z_]+):")
#: The most edits a fuzzy word (``word~N``) may allow, as in Lucene: each one more multiplies
#: Whoosh's work (on the 36 records of the example store ``~6`` took 6 s, ``~9`` 4 GB of
#: memory; the query fuzzer found it).
MAX_EDITS = 2
_FUZZY = re.compile(r'(?<=[^\s"~])~(\d+)')
_RANGE = re.compile(r"^([\[{])(.*?)([\]}])$", re.DOTALL)
_COMPARE = re.compile(r"^(>=|<=|>|<)(.*)$", re.DOTALL)


def rewrite(query: str, *, resolve_client: Callable[[str], str],
            now: datetime | None = None, order: str = "") -> str:
    """The Whoosh query string for ``query``; QueryError says what is wrong and where. Dates
    in words count from ``now``, slash dates are read in ``order`` (dates.SLASH_ORDERS)."""
    if len(query) > MAX_QUERY:
        raise QueryError(f"query is {len(query)} characters long; the limit is {MAX_QUERY}")
    if not query.strip():
        raise QueryError("empty query; try a word, a \"phrase\" or a field such as client:acme")
    _check_balance(query)
    _check_fuzzy(query)
    out, position = [], 0
    for start, end, name, value in _field_spans(query):
        field = FIELDS.get(name)
        if field is None:
            raise QueryError(_unknown_field(name, start))
        out.append(query[position:start])
        if field == "status" and value.lower() == "overdue":  # as 'ilog actions --overdue'
            out.append(f"(status:open AND due:{_date_value('due', '<today', now, order)})")
        else:
            out.append(f"{field}:{_rewrite_value(field, value, resolve_client, now, order)}")
        position = end
    out.append(query[position:])
    return _exclusions("".join(out))


def _exclusions(query: str) -> str:
    """``-word`` (and ``-field:value``, ``-"phrase"``) as NOT, as in every search box."""
    return "".join("NOT " if char == "-" and _starts_term(query, index)
                   and not _inside_quotes(query, index) else char
                   for index, char in enumerate(query))


def _starts_term(query: str, index: int) -> bool:
    """A ``-`` at the start of a term, before something to exclude."""
    before = query[index - 1] if index else " "
    after = query[index + 1] if index + 1 < len(query) else " "
    return (before.isspace() or before == "(") and not after.isspace() and after != "-"


def has_free_text(query: str) -> bool:
    """Whether the query has words outside ``field:value`` (then best matches come first)."""
    rest, position = [], 0
    for start, end, _, _ in _field_spans(query):
        rest.append(query[position:start])
        position = end
    rest.append(query[position:])
    words = re.findall(r'"[^"]*"|[^\s()]+', " ".join(rest))
    return any(word not in ("AND", "OR", "NOT") for word in words)


def _field_spans(query: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, lower-case name, value) of every ``name:value`` outside quotes."""
    position = 0
    for match in _FIELD.finditer(query):
        start = match.start(1)
        if start < position or _inside_quotes(query, start):
            continue
        value, position = _value_at(query, match.end())
        yield start, position, match[1].lower(), value


def _unknown_field(name: str, column: int) -> str:
    close = difflib.get_close_matches(name, list(FIELDS), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return (f"unknown field '{name}:' at column {column + 1}{hint}; fields: "
            f"{', '.join(sorted(set(FIELDS.values()) - {'text'}))}")


def _check_balance(query: str) -> None:
    """Quotes, brackets and parentheses must pair up (outside quotes)."""
    stack: list[tuple[str, int]] = []
    quote_at = None
    pairs = {")": "(", "]": "[[{", "}": "[{"}
    for column, char in enumerate(query):
        if char == '"':
            quote_at = None if quote_at is not None else column
        elif quote_at is None and char in "([{":
            stack.append((char, column))
        elif quote_at is None and char in ")]}":
            if not stack or stack[-1][0] not in pairs[char]:
                raise QueryError(f"unbalanced '{char}' at column {column + 1}")
            stack.pop()
    if quote_at is not None:
        raise QueryError(f"unbalanced quote: the '\"' at column {quote_at + 1} is never closed")
    if stack:
        char, column = stack[-1]
        raise QueryError(f"unbalanced '{char}': the one at column {column + 1} is never closed")


def _check_fuzzy(query: str) -> None:
    """A fuzzy word allows at most MAX_EDITS edits (a phrase's ``"..."~N`` is no fuzzy word)."""
    for match in _FUZZY.finditer(query):
        if not _inside_quotes(query, match.start()) and (len(match[1]) > 1
                                                         or int(match[1]) > MAX_EDITS):
            raise QueryError(f"'{match[0]}' at column {match.start() + 1}: a fuzzy word allows "
                             f"at most ~{MAX_EDITS} (two letters changed); more would match "
                             "nearly every word and take minutes")


def _inside_quotes(query: str, index: int) -> bool:
    return query.count('"', 0, index) % 2 == 1


def _value_at(query: str, start: int) -> tuple[str, int]:
    """The value after ``field:`` starting at ``start``, and where it ends."""
    closing = {"[": "]}", "{": "]}", "(": ")", '"': '"'}
    prefix = re.match(r"[<>]=?", query[start:])
    begin = start + (prefix.end() if prefix else 0)
    if begin < len(query) and query[begin] in closing:
        depth, index = 0, begin
        while index < len(query):
            char = query[index]
            if index > begin and char in closing[query[begin]] and depth == 0:
                return query[start:index + 1], index + 1
            if query[begin] == "(" and char == "(" and index > begin:
                depth += 1
            elif query[begin] == "(" and char == ")" and depth:
                depth -= 1
            index += 1
    end = begin
    while end < len(query) and not query[end].isspace() and query[end] != ")":
        end += 1
    return query[start:end], end


def _rewrite_value(field: str, value: str, resolve_client: Callable[[str], str],
                   now: datetime | None, order: str) -> str:
    if field in DATE_FIELDS:
        return _date_value(field, value, now, order)
    if field == "client" and re.fullmatch(r'"?[^*?()\[\]{}"]+"?', value):
        return resolve_client(value.strip('"'))
    if field in ("tag", "ref", "case", "owner", "type", "status") and not value.startswith("("):
        return value.lower()
    return value


def date_range(since: str, until: str, *, now: datetime | None = None,
               order: str = "") -> str:
    """``[SINCE TO UNTIL]`` in day keys, for --since/--until (DateError names the option)."""
    keys = []
    for option, text in (("--since", since), ("--until", until)):
        try:
            keys.append(day_key(dates.parse_when(text, direction="past", now=now, order=order))
                        if text.strip() else "")
        except DateError as exc:
            raise DateError(f"{option}: {exc}") from None
    if all(keys) and keys[0] > keys[1]:
        raise DateError(f"--since {since} is after --until {until}")
    return f"[{f'{keys[0]} TO {keys[1]}'.strip()}]"


def _date_value(field: str, value: str, now: datetime | None, order: str) -> str:
    """``[2026-06-01 to today]``, ``>"last month"``, ``yesterday`` -> day-key syntax."""
    direction: dates.Direction = "future" if field == "due" else "past"

    def key(text: str) -> str:
        text = text.strip().strip('"').strip()
        if not text:
            return ""
        try:
            return day_key(dates.parse_when(text, direction=direction, now=now, order=order))
        except DateError as exc:
            raise QueryError(f"{field}: {exc}") from None

    ranged = _RANGE.match(value)
    if ranged:
        opening, inner, closing = ranged.groups()
        parts = re.split(r"\s+to\s+|^to\s+|\s+to$", inner.strip(), flags=re.IGNORECASE)
        if len(parts) != 2:
            raise QueryError(f"{field}: write a range as [FROM to TO], e.g. "
                             f"{field}:[2026-06-01 to today]")
        low, high = key(parts[0]), key(parts[1])
        if low and high and low > high:
            raise QueryError(f"{field}: the range {value} starts after it ends")
        return f"{opening}{f'{low} TO {high}'.strip()}{closing}"
    compared = _COMPARE.match(value)
    if compared:
        operator, rest = compared.groups()
        day = key(rest)
        return {">": f"{{{day} TO]", ">=": f"[{day} TO]", "<": f"[TO {day}}}",
                "<=": f"[TO {day}]"}[operator]
    return key(value)

