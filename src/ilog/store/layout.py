"""The store on disk: finding it, creating it, and reading and writing record files.

Layout: ``ROOT/ilog.toml``, ``ROOT/clients/SLUG/client.yaml``,
``ROOT/clients/SLUG/YYYY/DATE-TITLE-SHORTID.md`` and the derived ``ROOT/.ilog/`` (never
committed). Only ``.md`` files directly inside a four-digit year folder are records.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol

from ilog.errors import AmbiguousError, ClientError, NotFoundError, StoreError
from ilog.fileformat import codec, seal
from ilog.fileformat.slugs import is_slug, slugify
from ilog.model import SHORT_ID_LENGTH, Record
from ilog.store import atomic, attachments
from ilog.store.reading import read_file
from ilog.store.settings import StoreConfig, load_store_config
from ilog.store.usersettings import Settings

CLIENTS = "clients"
#: A client's profile, and the folder of its next-step completion events (see completions.py).
PROFILE = "client.yaml"
EVENTS = "steps"
DERIVED = ".ilog"
#: Where a deleted record leaves its proof (tombstones.py).
TOMBSTONES = "tombstones"
_YEAR = re.compile(r"^\d{4}$")
#: What a path under ``clients/`` is (see :func:`kind`).
RECORD, EVENT, EVENTS_FOLDER, PROFILE_KIND = "record", "event", "events", "profile"
#: Event files that are not about next steps (legal holds, documents attached later), and
#: files kept beside a record (clients/SLUG/YEAR/RECORD-NAME/FILE).
OTHER_EVENT, ATTACHMENT = "other event", "attachment"
#: The folders of those events (evidence/holds.py, store/attachments.py).
HOLDS, ATTACHED = "holds", "attached"
KIND_PATTERNS = ((RECORD, re.compile(r"^\./[^./][^/]*/[0-9]{4}/[^/]+\.md$")),
          (EVENT, re.compile(rf"^\./[^./][^/]*/{EVENTS}/[^/]+\.yaml$")),
          (OTHER_EVENT, re.compile(rf"^\./[^./][^/]*/(?:{HOLDS}|{ATTACHED})/[^/.][^/]*\.yaml$")),
          (ATTACHMENT, re.compile(r"^\./[^./][^/]*/[0-9]{4}/[^/.][^/]*/[^/.][^/]*$")),
          (EVENTS_FOLDER, re.compile(rf"^\./[^./][^/]*/{EVENTS}$")),
          (PROFILE_KIND, re.compile(rf"^\./[^./][^/]*/{re.escape(PROFILE)}$")))


class Listing(Protocol):
    """A listing of a store's files started ahead, when the command began (derived/listing.py
    makes it; the front end starts it)."""

    def take(self) -> bytes | None:
        """The listing, once (None: there is none, or it failed)."""

    def close(self) -> None:
        """End what was started and not taken."""


@dataclass
class Store:
    """A store rooted at ``root``; ``reason`` says how it was found, ``settings`` what its
    user decided (usersettings.py). A store object lives as long as one command (or one
    request of a long-lived front end): what it remembers (``sweeps``, ``prefetched``) is
    never the process's."""

    root: Path
    reason: str = ""
    settings: Settings = field(default_factory=Settings, repr=False)
    #: The listing the front end started for this command's first freshness check.
    prefetched: Listing | None = field(default=None, repr=False, compare=False)
    sweeps: atomic.Sweeps = field(init=False, repr=False, compare=False)

    @property
    def clients_dir(self) -> Path:
        return self.root / CLIENTS

    @property
    def derived_dir(self) -> Path:
        return self.root / DERIVED

    @cached_property
    def config(self) -> StoreConfig:
        return load_store_config(self.root)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.sweeps = atomic.Sweeps(self.settings.sweep_every)

    def client_dir(self, slug: str) -> Path:
        """A client's folder. ``slug`` may come from a file someone else wrote: it becomes a
        path only if it is a client folder's name (fileformat/slugs.py), so never ``..``,
        a separator or an absolute path."""
        if not is_slug(slug):
            raise ClientError(f"{slug!r} is not a client's folder name (lower-case letters, "
                              "digits and single hyphens)")
        return self.clients_dir / slug

    def file_of(self, record: Record) -> Path:
        """The file a record was read from or written to."""
        if record.path is None:
            raise ValueError(f"record {record.id} has not been written")
        return self.root / record.path

    def relative(self, path: Path) -> Path:
        """``path`` relative to the store root (unchanged if it lies outside)."""
        if not path.is_absolute() or ".." in path.parts:
            path = path.resolve()
        try:
            return path.relative_to(self.root)
        except ValueError:
            return path

    # -- records -------------------------------------------------------------------------

    def record_files(self, client: str | None = None) -> Iterator[tuple[str, str]]:
        """(folder, file name) of every record, sorted by client, year and name (so by
        date); plain strings, because building 100,000 Path objects costs half a second."""
        for client_dir in _subdirs(str(self.clients_dir), [client] if client else None):
            for year_dir in _subdirs(client_dir):
                if not _YEAR.match(os.path.basename(year_dir)):
                    continue
                names = sorted(e.name for e in _files(year_dir, ".md"))
                for name in names:
                    yield year_dir, name

    def client_files(self, slug: str, *,
                     events_folder: bool = False) -> Iterator[os.DirEntry[str]]:
        """Every file ilog reads in a client's folder: its profile, its records (YEAR/*.md)
        and its completion events (steps/*.yaml), or with ``events_folder`` the events'
        folder itself instead of the files in it; hidden files never."""
        for entry in scan(str(self.clients_dir / slug)):
            if entry.name == PROFILE and _is_file_or_link(entry):
                yield entry
            elif entry.name[0] != "." and entry.is_dir(follow_symlinks=False):
                if _YEAR.match(entry.name):
                    yield from _files(entry.path, ".md")
                elif entry.name == EVENTS:
                    yield from [entry] if events_folder else _files(entry.path, ".yaml")

    def record_paths(self, client: str | None = None) -> Iterator[Path]:
        """Every record file, in the order of :meth:`record_files`."""
        for folder, name in self.record_files(client):
            yield Path(folder, name)

    def read(self, path: Path) -> Record:
        """Read one record file (FormatError / ValidationError when it is broken; a link is
        never read: FormatError)."""
        shown = str(self.relative(path))
        try:
            data = read_file(path, shown)
        except FileNotFoundError:
            raise NotFoundError(f"{shown}: no such record file") from None
        except OSError as exc:
            raise StoreError(f"cannot read {shown}: {exc.strerror}") from None
        record = codec.parse(codec.decode_bytes(data, shown), path=shown)
        record.path = self.relative(path)
        record.seal_state = seal.check(data).state
        return record

    def write_new(self, record: Record, files: Sequence[attachments.Source] = ()) -> Path:
        """Create the record's file, sealed (never overwriting one); return its path.
        ``files`` are kept beside it (store/attachments.py), listed with their SHA-256 in
        its front matter: its folder is complete before the record is written."""
        folder = self.client_dir(record.client) / f"{record.date:%Y}"
        atomic.make_dirs(folder)
        path = folder / record_file_name(record)
        if not files:
            return self._create(record, path, codec.encode(record).encode("utf-8"))
        codec.check_body(record)  # a record that cannot be written fails before its files
        attachments.finish_writes(self.derived_dir, self.root)
        temp, record.attachments = attachments.fill(attachments.folder_of(path), list(files),
                                                    self.sweeps)
        data = codec.encode(record).encode("utf-8")
        with attachments.placing(self.derived_dir, self.root, temp,
                                 attachments.folder_of(path)):
            return self._create(record, path, data)

    def _create(self, record: Record, path: Path, data: bytes) -> Path:
        data, record.seal = seal.add(data)
        if not atomic.create_file(path, data, sweeps=self.sweeps):
            raise StoreError(f"{self.relative(path)} exists already; run the command again")
        record.path = self.relative(path)
        return path

    def rewrite(self, record: Record, original: bytes) -> None:
        """Replace an unsealed record's file with the record, sealed; refuse if the file is
        no longer ``original`` on disk."""
        assert not record.seal
        data, record.seal = seal.add(codec.encode(record).encode("utf-8"))
        atomic.replace_file(self.file_of(record), data, expected=original, sweeps=self.sweeps)

    def find(self, ref: str) -> Path:
        """The record file that ``ref`` (a path, or a unique id prefix) names."""
        if ref.endswith(".md"):
            return self._record_path(Path(ref))
        prefix = ref.strip().lower()
        if len(prefix) < 4 or not re.match(r"^[0-9a-z_-]+$", prefix):
            raise NotFoundError(f"'{ref}' is not a record path or an id prefix of at least "
                                "4 characters; see 'ilog history CLIENT' for ids")
        matches = [Path(folder, name) for folder, name in self.record_files()
                   if short_id_of(name).startswith(prefix[:8])]
        if len(prefix) > SHORT_ID_LENGTH:
            matches = [p for p in matches if self.read(p).id.startswith(prefix)]
        if not matches:
            raise NotFoundError(f"no record with id '{ref}'")
        if len(matches) > 1:
            names = ", ".join(str(self.relative(p)) for p in matches[:5])
            raise AmbiguousError(f"id '{ref}' matches {len(matches)} records ({names}); "
                                 "type more characters of the id")
        return matches[0]


    def _record_path(self, given: Path) -> Path:
        """A record file named by its path (relative to here or to the store): it must be a
        record of this store, reached without a link."""
        for candidate in (given, self.root / given):
            if candidate.is_file() or candidate.is_symlink():
                absolute = Path(os.path.abspath(candidate))
                relative = self.relative(absolute)
                if relative.is_absolute() or kind(relative.as_posix()) != RECORD:
                    raise NotFoundError(f"{given} is not a record of the store at {self.root} "
                                        "(records are clients/CLIENT/YEAR/*.md)")
                return absolute
        raise NotFoundError(f"{given}: no such record file")


def _is_file_or_link(entry: os.DirEntry[str]) -> bool:
    """Anything but a folder: a file, or a link, FIFO or device (which is then reported,
    never read or followed)."""
    return not entry.is_dir(follow_symlinks=False)


def record_file_name(record: Record) -> str:
    """``2026-11-22-quarterly-review-k3m9x2qa.md``: sortable, readable, unique."""
    title = slugify(record.title, max_length=48) or slugify(record.type) or "record"
    return f"{record.date:%Y-%m-%d}-{title}-{record.short_id}.md"


def short_id_of(name: str) -> str:
    """The short id at the end of a record file name."""
    return name[:-3].rsplit("-", 1)[-1]


def scan(folder: str | Path) -> list[os.DirEntry[str]]:
    """The entries of a folder of the store ([] if there is none); StoreError if it cannot
    be read, naming it: a store with a folder its user cannot read is not one to work on."""
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise StoreError(f"cannot read the folder {folder}: {exc.strerror}; check its "
                         "permissions") from None


def _files(folder: str, suffix: str) -> list[os.DirEntry[str]]:
    """Visible files of ``folder`` whose names end in ``suffix``."""
    return [e for e in scan(folder) if e.name.endswith(suffix) and e.name[0] != "."
            and _is_file_or_link(e)]


def _subdirs(folder: str, only: list[str] | None = None) -> list[str]:
    """Sub-folders of ``folder`` (not hidden ones), sorted, as path strings."""
    names = sorted(e.name for e in scan(folder) if e.is_dir(follow_symlinks=False)
                   and e.name[0] != "." and (only is None or e.name in only))
    return [os.path.join(folder, name) for name in names]


def kind(path: str) -> str | None:
    """RECORD, EVENT, OTHER_EVENT, ATTACHMENT, EVENTS_FOLDER or PROFILE_KIND for a path
    under the store
    (``clients/...``), or None for anything else."""
    listed = f"./{path[len(CLIENTS) + 1:]}"
    return next((name for name, pattern in KIND_PATTERNS if pattern.match(listed)), None)
