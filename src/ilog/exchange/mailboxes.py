"""Where messages to import come from: message files (``.eml``), mbox files, Maildir folders
and folders of those, read with the standard library's ``mailbox``. Each message is read on its
own, at most MAX_MESSAGE_BYTES of it, so memory does not grow with the mailbox."""

from __future__ import annotations

import mailbox
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Protocol

from ilog.errors import UsageError
from ilog.store.attachments import MAX_FILE_BYTES

#: The largest message imported (its evidence copy is a file beside the record).
MAX_MESSAGE_BYTES = MAX_FILE_BYTES


@dataclass
class Found:
    """One message of a mailbox: where it is (for messages to the user), its bytes (None if
    it cannot be imported: ``problem`` says why) and when the mailbox says it arrived."""

    label: str
    raw: bytes | None
    arrived: Callable[[], datetime | None]
    problem: str = ""


@dataclass
class Box:
    """A source of messages: how many, and the messages one at a time."""

    label: str
    count: int
    messages: Callable[[], Iterator[Found]]


def open_boxes(paths: list[Path]) -> list[Box]:
    """The messages of each path; UsageError for a path that cannot be read."""
    return [box for path in paths for box in _boxes(path, named=True)]


def _boxes(path: Path, *, named: bool) -> list[Box]:
    """A Maildir folder; a folder's files and folders (hidden ones aside), sorted; an mbox
    file (it starts with a ``From sender date`` line, or in a folder is named ``*.mbox``);
    any other file named on the command line (or ending in ``.eml`` in a folder) is one
    message. A path named that cannot be read is a UsageError; a file in a folder that
    cannot be read is one message skipped, with the reason."""
    try:
        info = path.stat() if named else path.lstat()
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        if all((path / sub).is_dir() for sub in ("cur", "new")):
            return [_maildir(path)]
        return [box for entry in sorted(path.iterdir()) if not entry.name.startswith(".")
                for box in _boxes(entry, named=False)]
    if not stat.S_ISREG(info.st_mode):
        if named:
            raise UsageError(f"{path} is not a file or a folder")
        return []  # a link or a device inside a folder: not followed
    try:
        with open(path, "rb") as handle:
            start = handle.read(6)
        if (start.startswith(b"From ") and start[5:] not in (b" ", b":", b"")) or \
                (not named and path.suffix.lower() == ".mbox"):
            return [_mbox(path)]
    except OSError as exc:
        if named:
            raise UsageError(f"{path}: {exc.strerror or exc}") from None
        unreadable = Found(str(path), None, lambda: None, f"cannot be read: {exc.strerror or exc}")
        return [Box(str(path), 1, lambda: iter([unreadable]))]
    if not named and path.suffix.lower() != ".eml":
        return []  # in a folder, only message files: not its README or LICENSE
    return [Box(str(path), 1, lambda: iter([_eml(path)]))]


def _eml(path: Path) -> Found:
    """A single message file."""
    def arrived() -> datetime | None:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)

    try:
        return Found(str(path), _bounded(open(path, "rb")), arrived)
    except _TooLarge as exc:
        return Found(str(path), None, arrived, str(exc))
    except OSError as exc:
        return Found(str(path), None, arrived, f"cannot be read: {exc.strerror or exc}")


def _mbox(path: Path) -> Box:
    box = mailbox.mbox(str(path), create=False)
    keys = list(box.iterkeys())

    def messages() -> Iterator[Found]:
        for number, key in enumerate(keys, 1):
            label = f"{path}#{number}"
            try:
                raw = _bounded(box.get_file(key, from_=True))
            except _TooLarge as exc:
                yield Found(label, None, lambda: None, str(exc))
                continue
            envelope, _, message = raw.partition(b"\n")
            yield Found(label, message, partial(_envelope_date, envelope))
        box.close()

    return Box(str(path), len(keys), messages)


def _maildir(path: Path) -> Box:
    box = mailbox.Maildir(str(path), factory=None, create=False)
    keys = sorted(box.iterkeys(), key=str)

    def messages() -> Iterator[Found]:
        for key in keys:
            label = f"{path}/{key}"

            def arrived(key: str = key) -> datetime | None:
                message = box.get_message(key)
                return datetime.fromtimestamp(message.get_date(), UTC)

            try:
                yield Found(label, _bounded(box.get_file(key)), arrived)
            except _TooLarge as exc:
                yield Found(label, None, arrived, str(exc))
            except (OSError, KeyError) as exc:
                yield Found(label, None, arrived, f"cannot be read: {exc}")

    return Box(str(path), len(keys), messages)


class _TooLarge(Exception):
    pass


class _Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...

    def close(self) -> None: ...


def _bounded(handle: _Readable) -> bytes:
    """At most MAX_MESSAGE_BYTES of an open message file (closed after)."""
    try:
        data = handle.read(MAX_MESSAGE_BYTES + 1)
    finally:
        handle.close()
    if len(data) > MAX_MESSAGE_BYTES:
        raise _TooLarge(f"over the {MAX_MESSAGE_BYTES // 1024 // 1024} MiB limit for a message")
    return data


def _envelope_date(line: bytes) -> datetime | None:
    """The date of an mbox ``From sender Mon Nov 30 14:02:21 2026`` line (taken as UTC)."""
    words = line.decode("ascii", "replace").split()
    for start in range(2, max(len(words) - 4, 2) + 1):
        try:
            moment = datetime.strptime(" ".join(words[start:start + 5]), "%a %b %d %H:%M:%S %Y")
        except ValueError:
            continue
        return moment.replace(tzinfo=UTC)
    return None
