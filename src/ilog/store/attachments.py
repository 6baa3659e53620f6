"""Files kept beside a record: the documents of an interaction (a signed SOW, an e-mail's
attachments and the message itself), each named with the SHA-256 of its bytes.

    clients/SLUG/2026/2026-11-22-sow-review-1vrrdp2a.md     the record
    clients/SLUG/2026/2026-11-22-sow-review-1vrrdp2a/       its files
    clients/SLUG/attached/20261125T...-RECORDID-attached-k3m9.yaml
                                                            a file added after it was sealed

The files a record was written with are listed in its sealed front matter (``attachments``);
a file added later is an event (store/events.py), so the record stays sealed. A record's
folder is filled under a hidden temporary name and renamed into place before the record is
written, while a journal entry in the derived data names it (see :func:`placing`): a killed
write leaves no record that names missing files, and no folder that stays.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ilog.errors import IlogError, StoreError, UnreadableFileError, UsageError
from ilog.fileformat.seal import is_sha256
from ilog.fileformat.slugs import file_name, is_file_name
from ilog.model import Attachment
from ilog.store import atomic, portable
from ilog.store.events import EventFields, in_order, write_event
from ilog.store.reading import open_file, read_file

#: The kind of an attach event, and the largest file ilog keeps beside a record.
ATTACHED_EVENT = "attached"
MAX_FILE_BYTES = 100 * 1024 * 1024
_CHUNK = 1024 * 1024
#: In the derived data: the folders being put in place (placing), and their lock.
JOURNAL, _LOCK, _LOCK_WAIT = "writes", "writes.lock", 30.0
_FOLDER = re.compile(r"^clients/[a-z0-9-]+/[0-9]{4}/[^/.][^/]*$")


@dataclass(frozen=True)
class Source:
    """A file to keep beside a record: its bytes, or a file to copy (``path``), and the name
    it came with (made safe when it is stored)."""

    name: str
    data: bytes | None = None
    path: Path | None = None


@dataclass
class AttachEvent:
    """That a file was added to a sealed record: which, its SHA-256, why, by whom, when."""

    record: str
    name: str
    sha256: str
    by: str
    recorded: datetime
    reason: str = ""
    path: Path | None = None

    def attachment(self) -> Attachment:
        return Attachment(self.name, self.sha256, self.reason, self.by, self.recorded)


def folder_of(record_file: Path) -> Path:
    """The folder of a record's files: its file's path without ``.md``."""
    return record_file.with_suffix("")


def unique_name(wanted: str, taken: Iterable[str]) -> str:
    """A safe name for ``wanted`` that no name in ``taken`` has (case aside, as on macOS and
    Windows clones): ``report.pdf``, then ``report (2).pdf``..."""
    used = {name.casefold() for name in taken}
    name = file_name(wanted)
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    number = 2
    while name.casefold() in used:
        name = file_name(f"{stem} ({number}){'.' if extension else ''}{extension}")
        number += 1
    return name


def fill(folder: Path, sources: list[Source],
         sweeps: atomic.Sweeps) -> tuple[Path, list[Attachment]]:
    """A hidden temporary folder beside ``folder`` holding ``sources``, each file fsynced
    (put it in place with :func:`placing`), and what it holds."""
    atomic.make_dirs(folder.parent)
    atomic.refuse_links(folder.parent)
    sweeps(folder.parent)
    temp = folder.parent / f".{folder.name}.{os.urandom(4).hex()}{atomic.TEMP_SUFFIX}"
    try:
        temp.mkdir()
        stored: list[Attachment] = []
        for source in sources:
            name = unique_name(source.name, (a.name for a in stored))
            stored.append(Attachment(name, _write(temp / name, source)))
        portable.fsync_folder(temp)
    except OSError as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise StoreError(f"cannot write {folder}: {exc.strerror or exc}") from None
    return temp, stored


@contextmanager
def placing(derived: Path, root: Path, temp: Path, folder: Path) -> Iterator[None]:
    """Rename ``temp`` to ``folder`` while the caller writes the record that lists its files.
    Until the record exists, an entry in ``derived/writes/`` names the folder, under a lock:
    a write killed in between leaves a folder that :func:`finish_writes` removes, never one
    it could mistake for a user's own."""
    journal = derived / JOURNAL
    atomic.make_dirs(journal, private=True)
    with portable.exclusive(derived / _LOCK, wait=_LOCK_WAIT) as held:
        if not held:
            raise StoreError(f"another ilog has held {derived / _LOCK} for {_LOCK_WAIT:.0f} s; "
                             "run the command again")
        entry = journal / os.urandom(8).hex()
        atomic.create_file(entry, folder.relative_to(root).as_posix().encode(), private=True)
        try:
            if folder.exists() or folder.is_symlink():
                raise StoreError(f"{folder} exists already; run the command again")
            try:
                os.rename(temp, folder)
            except OSError as exc:
                raise StoreError(f"cannot write {folder}: {exc.strerror or exc}") from None
            portable.fsync_folder(folder.parent)
            yield
        except BaseException:
            if not temp.exists():  # in place already, but its record was not written
                atomic.remove_tree(folder)
            raise
        finally:
            shutil.rmtree(temp, ignore_errors=True)
            atomic.remove(entry)


def finish_writes(derived: Path, root: Path) -> None:
    """Remove the folders of record writes that were killed before their record existed."""
    journal = derived / JOURNAL
    if not journal.is_dir():
        return
    with portable.exclusive(derived / _LOCK, wait=_LOCK_WAIT) as held:
        for entry in sorted(journal.iterdir()) if held else []:
            named = entry.read_text("utf-8", "replace")
            folder = root / named
            if _FOLDER.match(named) and not os.path.lexists(f"{folder}.md"):
                atomic.remove_tree(folder)
            atomic.remove(entry)


def add_file(folder: Path, source: Source, taken: Iterable[str]) -> Attachment:
    """Add one file to a record's folder (made if missing), under a name no file there or
    in ``taken`` has; never overwrite one."""
    atomic.make_dirs(folder)
    atomic.refuse_links(folder)
    names = [*taken, *(entry.name for entry in os.scandir(folder))]
    name = unique_name(source.name, names)
    temp = folder / f".{name}.{os.urandom(4).hex()}{atomic.TEMP_SUFFIX}"
    try:
        digest = _write(temp, source)
        if not portable.move_new(temp, folder / name):
            raise StoreError(f"{folder / name} exists already; run the command again")
    except OSError as exc:
        raise StoreError(f"cannot write {folder / name}: {exc.strerror or exc}") from None
    finally:
        temp.unlink(missing_ok=True)
    portable.fsync_folder(folder)
    return Attachment(name, digest)


def hash_source(source: Source) -> str:
    """The SHA-256 of a source's bytes (read in chunks, as they are written)."""
    digest = hashlib.sha256()
    for chunk in _chunks(source):
        digest.update(chunk)
    return digest.hexdigest()


def _write(path: Path, source: Source) -> str:
    """Write one source's bytes to the new file ``path`` (fsynced); return their SHA-256."""
    digest = hashlib.sha256()
    with open(path, "xb") as out:
        for chunk in _chunks(source):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def _chunks(source: Source) -> Iterator[bytes]:
    if source.data is not None:
        yield source.data
        return
    assert source.path is not None
    with open(source.path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def check_source(path: Path) -> Source:
    """A file a user asked to attach, if it can be: a regular file within the size limit
    (UsageError naming it and the fix otherwise)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise UsageError(f"cannot attach {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"cannot attach {path}: it is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise UsageError(f"cannot attach {path}: it is {_mib(info.st_size)}, over the "
                        f"{_mib(MAX_FILE_BYTES)} limit (keep it elsewhere and put its "
                        "address in the record's refs)")
    return Source(path.name, path=path)


def distinct(sources: list[Source]) -> list[Source]:
    """``sources``, unless two hold the same bytes (UsageError naming both: a second copy
    would be kept as ``name (2).pdf`` and prove nothing more)."""
    seen: dict[str, Source] = {}
    for source in sources:
        first = seen.setdefault(hash_source(source), source)
        if first is not source:
            raise UsageError(f"{source.path or source.name} holds the same bytes as "
                             f"{first.path or first.name}: attach it once")
    return sources


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MiB" if size >= 1024 * 1024 else f"{size} bytes"


def hash_file(path: Path, shown: str) -> str | None:
    """The SHA-256 of a file beside a record, read as untrusted (reading.open_file: never
    through a link, never anything but a regular file); None if it is gone."""
    try:
        handle = open_file(path, shown)
    except FileNotFoundError:
        return None
    digest = hashlib.sha256()
    with handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def files_in(folder: Path) -> list[str]:
    """The names of what lies in a record's folder (hidden temporary files aside); none if
    the folder is reached through a link (never listed)."""
    if os.path.realpath(folder) != os.path.abspath(folder):
        return []
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if not atomic.is_temp_name(e.name))
    except (FileNotFoundError, NotADirectoryError):
        return []


# -- files added after the record was sealed ---------------------------------------------


def record_attach(folder: Path, event: AttachEvent, sweeps: atomic.Sweeps) -> Path:
    """Write an attach event's file in the client's ``attached/`` folder."""
    fields = {"record": event.record, "event": ATTACHED_EVENT, "name": event.name,
              "sha256": event.sha256, "by": event.by, "recorded": event.recorded,
              "reason": event.reason}
    event.path = write_event(folder, event.record, ATTACHED_EVENT, event.recorded, fields,
                             sweeps)
    return event.path


def read_attach_events(folder: Path) -> tuple[list[AttachEvent], list[IlogError]]:
    """The attach events of one client, oldest first, and why each unreadable one is."""
    events, problems = [], []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            events.append(_parse(path))
        except (OSError, IlogError) as exc:
            problems.append(exc if isinstance(exc, IlogError) else
                            UnreadableFileError(path.name, exc.strerror or str(exc)))
    return in_order(events), problems


def _parse(path: Path) -> AttachEvent:
    shown = f"{path.parent.name}/{path.name}"
    fields = EventFields.read(read_file(path, shown), shown)
    fields.choice("event", (ATTACHED_EVENT,))
    name, digest = fields.text("name"), fields.text("sha256")
    if not is_file_name(name):
        raise fields.error("name", "must be a plain file name (no folder, no leading dot)")
    if not is_sha256(digest):
        raise fields.error("sha256", "must be 64 hex digits")
    return AttachEvent(fields.text("record"), name, digest, fields.optional_text("by"),
                       fields.moment("recorded"), fields.optional_text("reason"), path)


def attached_later(events: list[AttachEvent]) -> dict[str, list[Attachment]]:
    """Record id -> the files added to it after it was sealed, oldest first."""
    found: dict[str, list[Attachment]] = {}
    for event in events:
        found.setdefault(event.record, []).append(event.attachment())
    return found
