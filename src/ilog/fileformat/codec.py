"""Markdown + YAML front matter <-> :class:`Record`, in ilog's canonical form.

A record file is ``---``, the YAML front matter, ``---``, a blank line and the Markdown body.
Reading accepts a UTF-8 BOM and CRLF line ends; writing always produces the canonical form, so
read -> write -> read gives the same record and a second write the same bytes. Keys ilog does
not know are kept, in their order, after the known ones.

``draft=True`` reads what a person typed in the editor or piped in: ids may be missing, dates
may be plain words and next steps may use the ``TEXT @OWNER due:WHEN`` shorthand.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from ilog.errors import DateError, FormatError, ValidationError
from ilog.fileformat import dates, ids, seal, slugs, yamlrules
from ilog.model import (
    ATTACHMENTS,
    KNOWN_KEYS,
    NONE_MARK,
    Attachment,
    NextStep,
    Problem,
    Record,
    When,
)

_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$", re.MULTILINE)
#: The first line of a merge conflict git left in a file.
_CONFLICT = re.compile(r"^<{7}(?: |$)", re.MULTILINE)
_OWNER = re.compile(r"(?:^|\s)@([\w.+-]+)")
_DUE = re.compile(r"(?:^|\s)due:\s*(.+?)\s*(?=\s@[\w.+-]|$)")
_LIST_KEYS = ("participants", "tags", "refs", "decisions")


def decode_bytes(data: bytes, path: str | None = None) -> str:
    """UTF-8 (with or without BOM) to text with ``\\n`` line ends."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(f"not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8",
                          path=path, line=line) from None
    trouble = _not_text(text)
    if trouble is not None:
        raise FormatError(trouble[0], path=path, line=trouble[1])
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _not_text(text: str) -> tuple[str, int] | None:
    """Why ``text`` cannot be a file ilog reads (a NUL, which makes git and editors take it
    for binary; an unresolved merge conflict), and the line; None if it can."""
    if "\0" in text:
        binary = "holds a NUL character, so git and editors take it for a binary file; remove it"
        return binary, text[:text.index("\0")].count("\n") + 1
    conflict = _CONFLICT.search(text)
    if conflict and ">>>>>>>" in text[conflict.end():]:
        unresolved = ("unresolved merge conflict: keep the right lines and remove the <<<<<<< "
                      "======= >>>>>>> markers, then 'git add' the file")
        return unresolved, text[:conflict.start()].count("\n") + 1
    return None


def split(text: str, path: str | None = None) -> tuple[str, str, int]:
    """Return (front matter YAML, body, line offset of the YAML) of a record's text."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---") or not _FENCE.match(text.split("\n", 1)[0]):
        raise FormatError("no front matter: a record starts with a line '---', then YAML, "
                          "then '---'", path=path, line=1)
    start = text.index("\n") + 1 if "\n" in text else len(text)
    closing = _FENCE.search(text, start)
    if closing is None:
        raise FormatError("front matter is not closed: add a line '---' after the YAML",
                          path=path, line=text.count("\n") + 1)
    body = text[closing.end():].removeprefix("\n")
    return text[start:closing.start()], body.removeprefix("\n"), 1


def parse(text: str, *, path: str | None = None, draft: bool = False,
          now: datetime | None = None, order: str = "") -> Record:
    """Read a record; raise FormatError (unreadable) or ValidationError (bad fields). A
    ``draft`` (what a person typed) may say dates in words, read relative to ``now`` with
    slash dates in ``order`` (dates.SLASH_ORDERS)."""
    record, problems = _read(text, path, draft, now, order)
    if problems:
        raise ValidationError(problems, path=path)
    return record


def parse_draft(text: str, *, now: datetime | None = None,
                order: str = "") -> tuple[Record, list[Problem]]:
    """What a person typed (parse's ``draft``), with every problem of its fields rather than
    a ValidationError: a template's rules can then be checked too, and all problems told at
    once. FormatError if it does not read at all."""
    return _read(text, None, True, now, order)


def _read(text: str, path: str | None, draft: bool, now: datetime | None,
          order: str) -> tuple[Record, list[Problem]]:
    yaml_text, body, offset = split(text, path)
    try:
        meta, lines = yamlrules.load(yaml_text, line_offset=offset)
    except FormatError as exc:
        raise exc.at(path) if path else exc from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FormatError("front matter must be a mapping of 'key: value' lines",
                          path=path, line=offset + 1)
    reader = _FieldReader(meta, lines, path, draft, now, order)
    return reader.record(normalize_body(body)), reader.problems


def normalize_body(body: str) -> str:
    """The body as ilog writes it: no leading/trailing blank lines, one final newline."""
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return body + "\n" if body.strip() else ""


class _FieldReader:
    """Takes known keys out of the front matter, converting and collecting problems."""

    def __init__(self, meta: dict[str, Any], lines: dict[str, int], path: str | None,
                 draft: bool, now: datetime | None, order: str) -> None:
        self.meta, self.lines, self.path = dict(meta), lines, path
        self.draft, self.now, self.order = draft, now, order
        self.problems: list[Problem] = []
        self.nones: set[str] = set()

    def problem(self, key: str, message: str, *, unreadable_date: bool = False) -> None:
        self.problems.append(Problem(message, self.path, self.lines.get(key), key,
                                     unreadable_date))

    def record(self, body: str) -> Record:
        record = Record(
            id=self.record_id(), client=self.client(), type=self.text("type"),
            date=self.when("date", "past"), title=self.text("title"),
            channel=self.text("channel"), participants=self.texts("participants"),
            author=self.text("author"), tags=self.texts("tags"), case=self.text("case"),
            refs=self.texts("refs"), decisions=self.texts("decisions"),
            next_steps=self.steps(), body=body, attachments=self.attachments(),
        )
        record.seal = self.text("seal")
        record.extra = self.meta
        record.lines = self.lines
        record.explicit_none = frozenset(self.nones)
        return record

    def client(self) -> str:
        value = self.text("client")
        if value and not slugs.is_slug(value):
            self.problem("client", f"{value!r} is not a client's folder name (lower-case "
                         "letters, digits and single hyphens)")
            return ""
        return value

    def record_id(self) -> str:
        value = self.text("id")
        if not value and self.draft:
            return ids.new_id()
        if not ids.is_valid_id(value):
            self.problem("id", "missing or malformed id (8-64 lower-case letters, digits, "
                         "'-' or '_'); records made with 'ilog new' get one")
        return value

    def text(self, key: str) -> str:
        value = self.meta.pop(key, None)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str):
            self.problem(key, "must be a single line of text")
            return ""
        return value.strip()

    def texts(self, key: str) -> list[str]:
        value = self.meta.pop(key, None)
        if value is None:
            return []
        if isinstance(value, str):
            if value.strip().lower() == NONE_MARK:
                self.nones.add(key)
                return []
            return [value.strip()] if value.strip() else []
        if not isinstance(value, list):
            self.problem(key, "must be a list of text items ('- item' lines)")
            return []
        if self.draft:
            value = [v for v in value if v is not None]
        if not all(isinstance(v, str) for v in value):
            self.problem(key, "must be a list of text items ('- item' lines)")
            return []
        items = [v.strip() for v in value if v.strip()]
        if [i.lower() for i in items] == [NONE_MARK]:
            self.nones.add(key)
            return []
        return items

    def when(self, key: str, direction: dates.Direction, value: Any = ...) -> When | None:
        if value is ...:
            value = self.meta.pop(key, None)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.problem(key, "must be a date such as 2026-11-22 or 2026-11-22T14:30:00+01:00",
                         unreadable_date=True)
            return None
        try:
            if self.draft:
                return dates.parse_when(value, direction=direction, now=self.now,
                                        order=self.order)
            return dates.parse_iso_strict(value)
        except DateError as exc:
            self.problem(key, str(exc), unreadable_date=True)
            return None

    def steps(self) -> list[NextStep]:
        value = self.meta.pop("next_steps", None)
        if value is None:
            return []
        if isinstance(value, str) and value.strip().lower() == NONE_MARK:
            self.nones.add("next_steps")
            return []
        if isinstance(value, str) and self.draft:
            value = [value]
        if isinstance(value, list) and self.draft:
            value = [v for v in value if v is not None and v != ""]
        if not isinstance(value, list):
            self.problem("next_steps", "must be a list of steps (text, owner, due)")
            return []
        if [str(v).strip().lower() for v in value] == [NONE_MARK]:
            self.nones.add("next_steps")
            return []
        steps = [self.step(item, number) for number, item in enumerate(value, 1)]
        return [s for s in steps if s is not None]

    def attachments(self) -> list[Attachment]:
        """The sealed list of files kept beside the record: each a file name (never a path:
        slugs.is_file_name) and the SHA-256 of its bytes, each name once."""
        value = self.meta.pop(ATTACHMENTS, None)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(ATTACHMENTS, "must be a list of files ('- name: FILE' and "
                         "'sha256: HEX' lines)")
            return []
        found: list[Attachment] = []
        for number, item in enumerate(value, 1):
            name = item.get("name") if isinstance(item, dict) else None
            digest = item.get("sha256") if isinstance(item, dict) else None
            if not isinstance(name, str) or not slugs.is_file_name(name):
                self.problem(ATTACHMENTS, f"file {number}: 'name' must be a plain file name "
                             "(no folder, no leading dot, no control characters)")
            elif not isinstance(digest, str) or not seal.is_sha256(digest):
                self.problem(ATTACHMENTS, f"file {number}: 'sha256' must be 64 hex digits")
            elif any(a.name.casefold() == name.casefold() for a in found):
                self.problem(ATTACHMENTS, f"file {number}: {name} is listed twice")
            else:
                found.append(Attachment(name, digest))
        return found

    def step(self, item: Any, number: int) -> NextStep | None:
        if isinstance(item, str) and self.draft:
            try:
                return parse_step(item, now=self.now, order=self.order)
            except DateError as exc:
                self.problem("next_steps", f"step {number}: {exc}")
                return None
        if not isinstance(item, dict):
            self.problem("next_steps", f"step {number} must have 'text', 'owner' and 'due' "
                         "keys" + (" and an 'id'" if not self.draft else ""))
            return None
        item = dict(item)
        step_id = item.pop("id", None) or (ids.new_id(ids.STEP_ID_LENGTH) if self.draft else "")
        if not isinstance(step_id, str) or not ids.is_valid_id(step_id):
            self.problem("next_steps", f"step {number} has a missing or malformed id")
        text, owner = item.pop("text", None), item.pop("owner", None) or ""
        if not isinstance(text, str) or not text.strip() or not isinstance(owner, str):
            self.problem("next_steps", f"step {number} needs 'text' (and 'owner' as text)")
            text = text if isinstance(text, str) else ""
        due = self.when("next_steps", "future", item.pop("due", None))
        return NextStep(id=str(step_id), text=text.strip(), owner=str(owner).strip().lstrip("@"),
                        due=due, extra=item)


def parse_step(text: str, *, now: datetime | None = None, order: str = "") -> NextStep:
    """``"Send the SOW @bob due:friday"`` -> NextStep(text, owner='bob', due=<friday>)."""
    owner_match = _OWNER.search(text)
    rest = _OWNER.sub(" ", text, count=1) if owner_match else text
    due_match = _DUE.search(rest)
    due = None
    if due_match:
        due = dates.parse_when(due_match[1], direction="future", now=now, order=order)
        rest = rest[: due_match.start()] + " " + rest[due_match.end():]
    return NextStep(id=ids.new_id(ids.STEP_ID_LENGTH), text=" ".join(rest.split()),
                    owner=owner_match[1] if owner_match else "", due=due)


def encode(record: Record) -> str:
    """The canonical file text of ``record`` (FormatError if its notes hold a NUL or a merge
    conflict, which would make the file one that no reader takes: decode_bytes)."""
    check_body(record)
    front = yamlrules.dump(to_meta(record))
    return f"---\n{front}---\n" + (f"\n{record.body}" if record.body else "")


def check_body(record: Record) -> None:
    """FormatError if the record's notes cannot be written (see :func:`encode`)."""
    trouble = _not_text(record.body)
    if trouble is not None:
        raise FormatError(f"line {trouble[1]} of the notes: {trouble[0]}", field="body")


def to_meta(record: Record) -> dict[str, Any]:
    """Front-matter mapping in canonical key order; empty optional fields are left out."""
    meta: dict[str, Any] = {}
    for key in KNOWN_KEYS:
        value = record.value(key)
        if key in record.explicit_none:
            meta[key] = NONE_MARK
        elif key == "next_steps":
            if value:
                meta[key] = [_step_meta(step) for step in value]
        elif key in ("id", "client", "type", "date") or value not in ("", [], None):
            meta[key] = value
    for key, value in record.extra.items():
        meta.setdefault(key, value)
    if record.attachments:
        meta[ATTACHMENTS] = [{"name": a.name, "sha256": a.sha256} for a in record.attachments]
    return meta


def _step_meta(step: NextStep) -> dict[str, Any]:
    meta: dict[str, Any] = {"id": step.id, "text": step.text}
    if step.owner:
        meta["owner"] = step.owner
    if step.due is not None:
        meta["due"] = step.due
    return {**meta, **{k: v for k, v in step.extra.items() if k not in meta}}


def iso(value: date | datetime | None) -> str | None:
    """ISO 8601 text of a date or datetime (None stays None)."""
    return value.isoformat() if value is not None else None
