"""What the files of each client say, cached per client beside the search index.

One file per client, ``.ilog/meta/SLUG.cache`` (derived data: never committed, deleted at
will). It holds the stamp (size, mtime, ctime, inode) each file of the client had when it was
read, and what was read from it: a record's front matter (not its body), a completion event,
the profile, or the problems that made the file unreadable. In front, a short summary (the
open next steps of the latest versions, every step's id, how many records, the last
contact) that commands looking at every client read without the rest.

Freshness is per client: stat the client's files (a few ms for 500) and compare the stamps;
the files whose stamp differs are read again. Stamps are taken before files are read and
shards are written under the index lock, so a cached entry is never older than its stamp.
Across all clients, the listing of listing.py (a stat of every file, by GNU find) is
compared with the one saved when the shards last caught up; only clients whose lines differ
are looked at. A missing, damaged or outdated shard is rebuilt from the files.
"""

from __future__ import annotations

import bisect
import marshal
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from ilog.derived import cachedir
from ilog.derived.cacheformat import (
    ClientEntry,
    EventEntry,
    ProblemEntry,
    RecordEntry,
    StepRow,
    client_entry,
    client_from_entry,
    current_entries,
    entry_author,
    entry_chains,
    entry_day,
    entry_fields,
    entry_paths,
    entry_states,
    entry_step_ids,
    event_from_entry,
    problem_from_entry,
    read_entry,
    record_from_entry,
    step_from_row,
    step_rows,
)
from ilog.derived.listing import LISTING, Stamp, changes, forget, listing, save, stamp
from ilog.fileformat import versions
from ilog.fileformat.slugs import is_slug
from ilog.model import (
    Client,
    NextStep,
    OtherVersion,
    Problem,
    Progress,
    Record,
    StepEvent,
    StepState,
    TrackedStep,
)
from ilog.store import atomic
from ilog.store.events import in_order
from ilog.store.layout import EVENT, PROFILE, PROFILE_KIND, RECORD, Store
from ilog.store.profiles import client_slugs

FOLDER = "meta"
SUFFIX = ".cache"
VERSION = 13
_MAGIC = b"ilgc"
#: magic, version, length of the summary that comes first.
_HEAD = struct.Struct("<4sII")
Loaded = TypeVar("Loaded")


@dataclass
class Shard:
    """How one client is stored: per path, its stamp and what was read from it (entries of
    cacheformat.py). Only this module looks inside; others get a :class:`ClientFiles`."""

    slug: str
    stamps: dict[str, Stamp] = field(default_factory=dict)
    records: dict[str, RecordEntry] = field(default_factory=dict)
    events: dict[str, EventEntry] = field(default_factory=dict)
    problems: dict[str, list[ProblemEntry]] = field(default_factory=dict)
    profile: ClientEntry | None = None


class RecordFields(NamedTuple):
    """A record's file, id, unknown fields, and files (name -> SHA-256), from its entry."""

    path: str
    record: str
    extra: dict[str, Any]
    files: dict[str, str]


class ClientFiles:
    """What one client's files say, as the cache read them (record bodies left out). Objects
    are built from the cached entries when first asked for, so a caller pays only for what
    it uses."""

    def __init__(self, shard: Shard) -> None:
        self._shard = shard
        self._tracked: dict[str, list[TrackedStep]] = {}

    @property
    def slug(self) -> str:
        return self._shard.slug

    @cached_property
    def client(self) -> Client:
        profile = self._shard.profile
        return client_from_entry(profile) if profile else Client(self.slug, self.slug)

    @cached_property
    def records(self) -> dict[str, Record]:
        """Every readable record, every version, by id."""
        return {record.id: record for record in
                (record_from_entry(path, entry) for path, entry in self._shard.records.items())}

    def fields(self) -> Iterator[RecordFields]:
        """What mail import and verify read of every record, every version, without
        building the records."""
        return (RecordFields(path, *entry_fields(entry))
                for path, entry in self._shard.records.items())

    @cached_property
    def chains(self) -> versions.Chains:
        """How the records amend each other."""
        return entry_chains(self._shard.records)

    @cached_property
    def paths(self) -> dict[str, str]:
        """Record id -> its file, as the cache keeps it (no Path to parse again)."""
        return entry_paths(self._shard.records)

    def path_of(self, record_id: str) -> str:
        return self.paths[record_id]

    def diverged(self, record_id: str) -> list[OtherVersion]:
        """The other current versions of the record's interaction if it diverged (two
        people amended one version at once)."""
        records = self.records
        return [OtherVersion(head, records[head].author if head in records else "")
                for head in self.chains.diverged(record_id) if head != record_id]

    @property
    def authors(self) -> dict[str, str]:
        """Record file -> the author its front matter names."""
        return {path: entry_author(entry) for path, entry in self._shard.records.items()}

    def current(self, *, withdrawn: bool = False) -> list[Record]:
        """The versions people see: the records no other record amends, except withdrawals
        (which only ``withdrawn`` keeps)."""
        return [r for r in self.records.values() if not self.chains.superseded(r.id)
                and (withdrawn or not versions.voided(r.extra))]

    @cached_property
    def events(self) -> list[StepEvent]:
        """Every step event, oldest first."""
        return in_order(event_from_entry(path, entry)
                        for path, entry in self._shard.events.items())

    @cached_property
    def states(self) -> dict[str, StepState]:
        """Step id -> what its events say of it now (only steps with events)."""
        return entry_states(list(self._shard.events.values()))

    @cached_property
    def trails(self) -> dict[str, tuple[StepEvent, ...]]:
        """Step id -> its events, oldest first."""
        found: dict[str, list[StepEvent]] = {}
        for event in self.events:
            found.setdefault(event.step, []).append(event)
        return {step: tuple(events) for step, events in found.items()}

    def tracked(self, record: Record) -> list[TrackedStep]:
        """The record's next steps as they stand now, each with its trail (made once a
        record: history asks for the briefing's steps and then for each entry's)."""
        if record.id not in self._tracked:
            path = self.paths.get(record.id) or str(record.path)
            self._tracked[record.id] = [
                _tracked(step, self.states.get(step.id), self.trails.get(step.id, ()),
                         self.slug, record, path) for step in record.next_steps]
        return self._tracked[record.id]

    def steps(self) -> list[TrackedStep]:
        """Every next step of the current versions, with its completion."""
        return [tracked for record in self.current() for tracked in self.tracked(record)]

    def steps_among(self, ids: set[str]) -> list[TrackedStep]:
        """The current versions' next steps whose ids are among ``ids`` (only the records
        that hold one are built: ~10 us a record)."""
        return [tracked for path, entry in current_entries(self._shard.records).items()
                if not ids.isdisjoint(entry_step_ids(entry))
                for tracked in self.tracked(record_from_entry(path, entry))
                if tracked.step.id in ids]

    @property
    def problems(self) -> list[Problem]:
        """Why each unreadable file could not be read, by path."""
        return [problem_from_entry(entry) for path in sorted(self._shard.problems)
                for entry in self._shard.problems[path]]

    @property
    def record_files(self) -> list[str]:
        """Every record file of the client, readable or not, sorted."""
        return sorted({*self._shard.records,
                       *(p for p in self._shard.problems if p.endswith(".md"))})


@dataclass
class Summary:
    """What the commands over every client need: the open next steps and two figures."""

    client: Client
    records: int
    last_contact: date | None
    open: list[TrackedStep]
    #: The id of every next step, open or done (to resolve id prefixes).
    step_ids: tuple[str, ...]
    #: The record files people do not see: earlier versions and withdrawals.
    hidden: frozenset[str] = frozenset()


def _tracked(step: NextStep, state: StepState | None, trail: tuple[StepEvent, ...],
             slug: str, record: Record, path: str) -> TrackedStep:
    now, closed = (step, None) if state is None else (state.applied(step), state.closed)
    return TrackedStep(now, slug, record.id, record.title, path, closed, step, trail,
                       record.type, record.date, tuple(record.tags))


def client_files(store: Store, slug: str) -> ClientFiles:
    """One client's files, up to date (no other client is looked at)."""
    return ClientFiles(_client_shard(store, slug))


def every_client(store: Store, *, progress: Progress | None = None) -> Iterator[ClientFiles]:
    """Every client's files, after catching up, one client at a time (slower than the
    summaries: for done steps and the like). Each is loaded as it is reached and can be let
    go before the next: a 100k store's shards held at once took ~300 MB."""
    home = cachedir.home(store)
    with cachedir.locked(home, wait=store.settings.lock_wait) as got_lock:
        if got_lock:
            _catch_up(store, home, progress)
    for slug in client_slugs(store):
        yield ClientFiles(_shard(store, home, slug, writable=False))


def file_problems(store: Store, path: str) -> list[Problem] | None:
    """Why the file at ``path`` (relative to the store) cannot be read; None if it is gone."""
    found = read_entry(store, path)
    return [problem_from_entry(p) for p in found[2]] if found is not None else None


def _client_shard(store: Store, slug: str) -> Shard:
    """One client's shard, up to date with the client's files (no other client is looked at)."""
    home = cachedir.home(store)
    cached = load_shard(home, slug)
    if cached is not None and cached.stamps == _stamps(store, slug):
        return cached
    with cachedir.locked(home, wait=store.settings.lock_wait) as got_lock:
        if not got_lock:  # another process is writing: read for ourselves, save nothing
            return read_shard(store, slug, _stamps(store, slug), cached)
        return _update(store, home, slug)


def summaries(store: Store, *, progress: Progress | None = None) -> list[Summary]:
    """Every client's summary, after catching up with what changed since the last look."""
    return _each(store, _summary, progress)


def catch_up(store: Store) -> bytes:
    """Bring every shard up to date with the store; return the listing of the store that
    proved it (listing.py), for callers that need the file names too."""
    home = cachedir.home(store)
    with cachedir.locked(home, wait=store.settings.lock_wait) as got_lock:
        if got_lock:
            return _catch_up(store, home, None)
    return listing(store)


def summaries_of(store: Store, slugs: list[str]) -> dict[str, Summary]:
    """The summaries of these clients as cached (call catch_up first): no client's files
    are stat'ed one by one."""
    home = cachedir.home(store)
    return {slug: _summary(store, home, slug, writable=False) for slug in slugs}


def _each(store: Store, load: Callable[..., Loaded],
          progress: Progress | None) -> list[Loaded]:
    """``load`` of every client, after catching up. If another process holds the lock for
    long, the shards are read as they are (a missing or damaged one from the files)."""
    home = cachedir.home(store)
    with cachedir.locked(home, wait=store.settings.lock_wait) as got_lock:
        if got_lock:
            _catch_up(store, home, progress)
        return [load(store, home, slug, writable=got_lock) for slug in client_slugs(store)]


def read_shard(store: Store, slug: str, stamps: dict[str, Stamp], old: Shard | None) -> Shard:
    """The shard for ``stamps``: what ``old`` has for an unchanged stamp, the rest read anew."""
    fresh = Shard(slug, dict(stamps))
    for path, now in stamps.items():
        if old is not None and old.stamps.get(path) == now:
            _carry(old, fresh, path)
        else:
            _read_into(store, fresh, path)
    if fresh.profile is None:
        fresh.profile = client_entry(Client(slug=slug, name=slug))
    return fresh


def _read_into(store: Store, shard: Shard, path: str) -> None:
    found = read_entry(store, path)
    if found is None:  # gone since it was listed: the next look sees that
        del shard.stamps[path]
        return
    kind, entry, problems = found
    if problems:
        shard.problems[path] = problems
    if entry is None:
        return
    if kind == RECORD:
        shard.records[path] = entry
    elif kind == EVENT:
        shard.events[path] = entry
    elif kind == PROFILE_KIND:
        shard.profile = entry


def _carry(old: Shard, fresh: Shard, path: str) -> None:
    """Take what ``old`` read from an unchanged file."""
    for table in ("records", "events", "problems"):
        if path in getattr(old, table):
            getattr(fresh, table)[path] = getattr(old, table)[path]
    if path.endswith(f"/{PROFILE}"):
        fresh.profile = old.profile


def _stamps(store: Store, slug: str) -> dict[str, Stamp]:
    """Path -> stamp of every file of the client, now."""
    prefix = len(str(store.root)) + 1
    stamps = {}
    for entry in store.client_files(slug):
        try:
            stamps[entry.path[prefix:]] = stamp(entry.stat(follow_symlinks=False))
        except FileNotFoundError:  # gone since the folder was read
            continue
    return stamps


def _update(store: Store, home: Path, slug: str) -> Shard:
    """Bring one shard up to date and save it (the caller holds the lock)."""
    stamps = _stamps(store, slug)
    cached = load_shard(home, slug)
    if cached is not None and cached.stamps == stamps:
        return cached
    fresh = read_shard(store, slug, stamps, cached)
    if stamps or (store.clients_dir / slug).is_dir():
        save_shard(home, fresh)
    else:
        atomic.remove(_path(home, slug))
    return fresh


def _catch_up(store: Store, home: Path, progress: Progress | None) -> bytes:
    """Update the shards of the clients whose files changed since the saved listing (all of
    them when there is none, or the cache is of another version); return the listing."""
    listing_path = home / FOLDER / LISTING
    found = changes(store, listing_path)
    if found.unknown or not _current(home):
        atomic.remove_tree(home / FOLDER)
        touched = set(client_slugs(store))
    else:
        touched = {path.split("/")[1] for path in found.added + found.changed + found.removed}
    slugs = sorted(s for s in touched if is_slug(s))
    for number, slug in enumerate(slugs, 1):
        _update(store, home, slug)
        if progress is not None:
            progress(number, len(slugs))
    if not found.saved:
        atomic.make_dirs(home / FOLDER, private=True)
        atomic.replace_file(home / FOLDER / "version", str(VERSION).encode(), private=True)
        save(listing_path, found.listing)
    return found.listing


def _current(home: Path) -> bool:
    try:
        return (home / FOLDER / "version").read_text().strip() == str(VERSION)
    except OSError:
        return False


def _summary(store: Store, home: Path, slug: str, *, writable: bool) -> Summary:
    """A client's summary from its file; a damaged one is rebuilt (saved if ``writable``)."""
    loaded = load_summary(home, slug)
    if loaded is not None:
        return loaded
    return _summary_from(_summarize(_shard(store, home, slug, writable=writable)))


def _shard(store: Store, home: Path, slug: str, *, writable: bool) -> Shard:
    loaded = load_shard(home, slug)
    if loaded is not None:
        return loaded
    if writable:
        return _update(store, home, slug)
    return read_shard(store, slug, _stamps(store, slug), None)


def invalidate(store: Store) -> None:
    """Forget what the shards caught up with: the next look over every client checks all."""
    forget(cachedir.home(store) / FOLDER / LISTING)


# -- the file format -----------------------------------------------------------------------

def _path(home: Path, slug: str) -> Path:
    return home / FOLDER / f"{slug}{SUFFIX}"


def save_shard(home: Path, shard: Shard) -> None:
    summary = marshal.dumps(_summarize(shard))
    full = marshal.dumps((shard.slug, shard.stamps, shard.records, shard.events,
                          shard.problems, shard.profile))
    atomic.make_dirs(home / FOLDER, private=True)
    atomic.replace_file(_path(home, shard.slug),
                        _HEAD.pack(_MAGIC, VERSION, len(summary)) + summary + full, private=True)


def load_shard(home: Path, slug: str) -> Shard | None:
    """The cached shard, or None if it is missing, damaged or of another version."""
    try:
        data = _path(home, slug).read_bytes()
        magic, version, size = _HEAD.unpack_from(data)
        if (magic, version) != (_MAGIC, VERSION):
            return None
        name, stamps, records, events, problems, profile = marshal.loads(  # noqa: S302 - ilog's own owner-only data; marshal builds values, never runs code
            memoryview(data)[_HEAD.size + size:])
    except (OSError, EOFError, ValueError, TypeError, struct.error):
        return None
    return Shard(name, stamps, records, events, problems, profile) if name == slug else None


def load_summary(home: Path, slug: str) -> Summary | None:
    """Only the summary at the front of a shard's file (None if unusable)."""
    try:
        with _path(home, slug).open("rb") as handle:
            magic, version, size = _HEAD.unpack(handle.read(_HEAD.size))
            if (magic, version) != (_MAGIC, VERSION):
                return None
            return _summary_from(marshal.loads(handle.read(size)))  # noqa: S302 - ilog's own owner-only data; marshal builds values, never runs code
    except (OSError, EOFError, ValueError, TypeError, struct.error):
        return None


#: What the front of a shard's file holds: (profile, records, every day with a record (ISO,
#: sorted), open steps, every step id). All the days, not the last: the last contact is the
#: latest day that is not in the future *when read*, and a record dated ahead (from a clone, or
#: an older ilog) must not count until its day comes.
_SummaryData = tuple[ClientEntry | None, int, tuple[str, ...], tuple[StepRow, ...],
                     tuple[str, ...], tuple[str, ...]]


def _summarize(shard: Shard) -> _SummaryData:
    """From the entries themselves: a shard is summarised every time it is saved, and
    building every record costs ~10 us each."""
    files = ClientFiles(shard)
    current = current_entries(shard.records)
    states = files.states
    rows = [row for path, entry in current.items() for row in step_rows(path, entry, states)]
    days = tuple(sorted({day for day in map(entry_day, current.values()) if day}))
    closed = {step for step, state in states.items() if state.closed is not None}
    return (shard.profile, len(current), days,
            tuple(row for row in rows if row[0] not in closed), tuple(row[0] for row in rows),
            tuple(sorted(set(shard.records) - set(current))))


def _summary_from(data: _SummaryData) -> Summary:
    profile, count, days, rows, step_ids, hidden = data
    client = client_from_entry(profile) if profile else Client("", "")
    past = days[:bisect.bisect_right(days, date.today().isoformat())]
    return Summary(client, count, date.fromisoformat(past[-1]) if past else None,
                   [step_from_row(client.slug, row) for row in rows], step_ids,
                   frozenset(hidden))
