"""Search use cases: keep the index up to date with the files, query it, rebuild it.

Before every query the index catches up with whatever changed since the last run (see
listing.py). A missing index, one of another schema version, or a damaged one is rebuilt;
a stale lock cannot exist, because the lock is an ``flock`` that dies with its process.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ilog.derived import cachedir, clientcache, listing, query
from ilog.derived.searchdoc import document, first_line, plain, searchable_text, states_text
from ilog.errors import (
    FormatError,
    IlogError,
    QueryError,
    SearchIndexError,
    UnreadableFileError,
    ValidationError,
)
from ilog.fileformat import codec, seal
from ilog.model import Problem, Progress, Record, StepState
from ilog.store.layout import EVENTS_FOLDER, RECORD, Store, kind
from ilog.store.profiles import resolve_client
from ilog.store.reading import read_file
from ilog.store.stepevents import read_events, step_states
from ilog.store.usersettings import Settings

if TYPE_CHECKING:
    from ilog.derived.index import Hit, SearchIndex

#: More new or changed files than this are indexed faster by a (multi-process) rebuild.
REBUILD_ABOVE = 5000


@dataclass
class Refresh:
    """What bringing the index up to date did."""

    folder: Path
    rebuilt: str = ""  # why it was rebuilt, or "" if it was not
    added: int = 0
    changed: int = 0
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)
    warning: str = ""
    #: The listing of the store the index now matches (b"" if not known).
    listing: bytes = b""


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    refresh: Refresh
    #: Whether ``total`` is exact (else Whoosh's estimate).
    exact: bool = True
    #: The index should be built in a process of its own (build_command): the answer came
    #: from reading the files, and no other process is building it.
    build_index: bool = False


def search(store: Store, text: str, *, limit: int = 20, sort: str = "auto",
           client: str = "", since: str = "", until: str = "", all_versions: bool = False,
           progress: Progress | None = None, now: datetime | None = None) -> SearchResult:
    """Bring the index up to date, then run the query (narrowed by client and dates); an
    empty query, like ``*``, lists every record. Each interaction answers with its latest
    version unless ``all_versions`` (which also shows withdrawn ones). Writes only derived
    data: the index and its saved listing, under the derived data's lock (a busy lock: the
    index answers as it is, with a warning)."""
    text = text if text.strip() else "*"
    order = store.settings.date_order
    whoosh_query = query.rewrite(text, resolve_client=lambda n: resolve_client(store, n).slug,
                                 now=now, order=order)
    if client:
        whoosh_query = f"({whoosh_query}) AND client:{resolve_client(store, client).slug}"
    if since or until:
        days = query.date_range(since, until, now=now, order=order)
        whoosh_query = f"({whoosh_query}) AND date:{days}"
    by_date = sort == "date" or (sort == "auto" and not query.has_free_text(text))
    if text.strip() == "*":
        by_date = sort != "relevance"
    from ilog.ops.scanning import (  # Whoosh: only when the index is used
        building,
        scan_while_building,
    )

    scanned = scan_while_building(store, whoosh_query, limit, all_versions)
    if scanned is not None:
        hits, total = scanned
        warning = ("the search index is being built in the background; until it is ready, "
                   "answers come from reading the files, newest first")
        return SearchResult(hits, total, Refresh(cachedir.home(store), warning=warning),
                            build_index=not building(store))
    early = _answer_early(store, whoosh_query, limit, by_date, all_versions)
    refreshed = refresh(store, progress=progress)
    if early is not None and (refreshed.warning or refreshed.listing == early[0]):
        hits, total, exact = early[1]  # nothing changed since it was answered
        return SearchResult(hits, total, refreshed, exact)
    try:
        hits, total, exact = _query(store, refreshed, whoosh_query, limit, by_date,
                                    all_versions)
    except QueryError:
        raise
    except Exception:  # noqa: BLE001 - the index broke under us: rebuild once, ask again
        refreshed = reindex(store, progress=progress)
        hits, total, exact = _query(store, refreshed, whoosh_query, limit, by_date,
                                    all_versions)
    return SearchResult(hits, total, refreshed, exact)


def _answer_early(store: Store, whoosh_query: str, limit: int, by_date: bool,
                  all_versions: bool) -> tuple[bytes, tuple[list[Hit], int, bool]] | None:
    """The saved listing and the index's answer, asked while find is still listing the store
    (another core's work): if the listing then equals the one saved, no file changed since
    the index last caught up, and this is the answer. The saved listing is read before the
    index is opened, so the index is at least as new as it; and as every change to a file
    moves its ctime on, a listing that equals it again means no file changed since.
    None when there is no usable index or saved listing (the usual path then decides)."""
    home = cachedir.home(store)
    try:
        saved = (home / listing.LISTING).read_bytes()
        return saved, _query(store, Refresh(folder=home), whoosh_query, limit, by_date,
                             all_versions)
    except QueryError:
        raise
    except Exception:  # noqa: BLE001 - no index yet, another version, damage: wait for refresh
        return None


def _query(store: Store, refreshed: Refresh, whoosh_query: str, limit: int,
           by_date: bool, all_versions: bool) -> tuple[list[Hit], int, bool]:
    """The hits, with a snippet each and the state of each one's seal (each file read once)."""
    from ilog.derived.index import SearchIndex  # Whoosh: only when the index is used

    files = functools.cache(lambda path: _read(store, path))
    records = functools.cache(lambda path: _record_in(files(path), path))

    def text_of(path: str) -> str:
        record = records(path)
        return plain(searchable_text(record)) if record is not None else ""

    hits, total, exact = SearchIndex(refreshed.folder / "index", store.config.language).search(
        whoosh_query, limit=limit, by_date=by_date, all_versions=all_versions, text_of=text_of)
    for hit in hits:
        data, record = files(hit.path), records(hit.path)
        hit.seal_state = seal.check(data).state if data is not None else None
        hit.first_line = first_line(record.body) if record is not None and not hit.title else ""
    return hits, total, exact


def refresh(store: Store, *, progress: Progress | None = None) -> Refresh:
    """Make the index match the record files (rebuilding it when it must)."""
    from ilog.derived.index import SearchIndex  # Whoosh: only when the index is used

    home = cachedir.home(store)
    result = Refresh(folder=home)
    ix = SearchIndex(home / "index", store.config.language)
    with cachedir.locked(home, wait=store.settings.lock_wait) as got_lock:
        if not got_lock:
            result.warning = ("another ilog process is updating the index; these results may "
                              "miss the latest changes")
            return result
        found = listing.changes(store, home / listing.LISTING)
        added, changed, removed = (_records(paths) for paths in
                                   (found.added, found.changed, found.removed))
        events = {path.split("/")[1] for path in found.added + found.changed + found.removed
                  if kind(path) == EVENTS_FOLDER}
        if found.unknown or not ix.usable():
            result.rebuilt = "the index was missing, outdated or damaged"
        elif len(added) + len(changed) > REBUILD_ABOVE:
            result.rebuilt = "most records changed"
        if result.rebuilt:
            _rebuild(store, ix, found.listing, result, progress)
            return result
        states = StepStates(store)
        steps_changed = _steps_changed(ix, events, states)
        if added or changed or removed or steps_changed:
            _catch_up(store, ix, added + changed, removed, result, states, steps_changed)
            result.added, result.changed, result.removed = len(added), len(changed), len(removed)
        if not found.saved:
            listing.save(home / listing.LISTING, found.listing)
        result.listing = found.listing
    return result


def build_command(root: Path) -> list[str]:
    """The command that brings the index of the store at ``root`` up to date, as a process
    of its own: the background build a fresh clone's first search asks for (the front end
    starts it: cli/find.py), git's post-merge hook (ops/hooks.py). It is a small entry point
    of its own, which reads the environment as every front end does."""
    code = ("import os, sys; from pathlib import Path; from ilog.ops.search import build_index; "
            "from ilog.store.usersettings import from_environment; "
            "build_index(sys.argv[1], from_environment(os.environ, Path.home()))")
    return [sys.executable, "-c", code, str(root)]


def build_index(root: str, settings: Settings) -> None:
    """Bring the index of the store at ``root`` up to date (see :func:`build_command`)."""
    refresh(Store(Path(root), settings=settings))


def reindex(store: Store, *, progress: Progress | None = None) -> Refresh:
    """Rebuild the index from scratch (the client cache is checked afresh too)."""
    from ilog.derived.index import SearchIndex  # Whoosh: only when the index is used

    home = cachedir.home(store)
    result = Refresh(folder=home, rebuilt="asked for")
    with cachedir.locked(home, wait=3600.0) as got_lock:
        if not got_lock:
            raise SearchIndexError("another ilog process holds the index lock; try again")
        _rebuild(store, SearchIndex(home / "index", store.config.language),
                 listing.listing(store), result, progress)
    clientcache.invalidate(store)
    return result


def forget_deleted(store: Store, *, done: str, again: str) -> None:
    """After records were deleted on purpose: drop them from the index and rewrite it so no
    trace of them is left in its files; refresh the client cache too. If that fails, the
    error says what was ``done`` already and that running ``again`` finishes the job."""
    from ilog.derived.index import SearchIndex  # Whoosh: only when the index is used

    try:
        refreshed = refresh(store)
        with cachedir.locked(refreshed.folder, wait=3600.0) as got_lock:
            index = SearchIndex(refreshed.folder / "index", store.config.language)
            if got_lock and index.usable():
                index.compact()
        clientcache.summaries(store)
    except IlogError as exc:
        told = (f"{done}, but ilog's index and caches may still hold their words: {exc}; "
                f"once that is fixed, run '{again}' to finish")
        exc.args = (told,)
        raise


def _records(paths: list[str]) -> list[str]:
    return [path for path in paths if kind(path) == RECORD]


class StepStates:
    """What each client's step events say, read from its event files once per run."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._states: dict[str, dict[str, StepState]] = {}

    def of(self, client: str) -> dict[str, StepState]:
        if client not in self._states:
            try:
                events = read_events(self.store, client)
            except IlogError:
                events = []
            self._states[client] = step_states(events)
        return self._states[client]


def _steps_changed(ix: SearchIndex, clients: set[str], states: StepStates) -> set[str]:
    """The records of ``clients`` (whose step events changed) whose steps' states are
    not what the index holds."""
    return {path for client in sorted(clients)
            for path, indexed in ix.step_states(client).items()
            if states_text(indexed.ids, states.of(client)) != indexed.states}


def _catch_up(store: Store, ix: SearchIndex, touched: list[str], removed: list[str],
              result: Refresh, states: StepStates, steps_changed: set[str]) -> None:
    """Re-index the touched records (unless their bytes are as indexed) and those whose steps
    changed state; drop the removed."""
    documents, gone = [], list(removed)
    touched = [*touched, *sorted(steps_changed - set(touched))]
    indexed = ix.hashes(touched)
    for path in touched:
        data = _read(store, path)
        sha = listing.digest(data) if data is not None else ""
        if data is not None and indexed.get(path) == sha and path not in steps_changed:
            continue
        record = _parse(path, data, result) if data is not None else None
        if record is None:
            gone.append(path)
        else:
            documents.append(_documents(record, path, sha, states))
    if documents or gone:
        ix.update(documents, gone)


def _rebuild(store: Store, ix: SearchIndex, raw: bytes, result: Refresh,
             progress: Progress | None) -> None:
    """A new index of every record in the listing ``raw``, which is then saved."""
    paths = _records(list(listing.parse_listing(raw)))
    states = StepStates(store)

    def documents() -> Iterator[list[dict[str, object]]]:
        for number, path in enumerate(paths, 1):
            data = _read(store, path)
            record = _parse(path, data, result) if data is not None else None
            if record is not None and data is not None:
                result.added += 1
                yield _documents(record, path, listing.digest(data), states)
            if progress is not None and (number % 250 == 0 or number == len(paths)):
                progress(number, len(paths))

    home = ix.folder.parent
    listing.forget(home / listing.LISTING)
    ix.build(documents(), procs=min(os.cpu_count() or 1, 4) if len(paths) > 5000 else 1,
             progress=progress)
    listing.save(home / listing.LISTING, raw)


def _read(store: Store, path: str) -> bytes | None:
    """The file's bytes; None if it is gone, unreadable or a link (check reports those)."""
    try:
        return read_file(store.root / path, path)
    except (OSError, FormatError, UnreadableFileError):
        return None


def _parse(path: str, data: bytes, result: Refresh) -> Record | None:
    """The record, or None (and a problem noted) if the file is broken."""
    try:
        return codec.parse(codec.decode_bytes(data, path), path=path)
    except FormatError as exc:
        result.problems.append(exc.problem)
    except ValidationError as exc:
        result.problems.extend(exc.problems)
    return None


def _documents(record: Record, path: str, sha: str,
               states: StepStates) -> list[dict[str, object]]:
    """The record's index documents (its own first, with the date shown and the file's hash)."""
    first, *steps = document(record, path, states.of(record.client))
    return [{**first, "shown_date": codec.iso(record.date) or "", "sha": sha}, *steps]


def _record_in(data: bytes | None, path: str) -> Record | None:
    """The record in a file's bytes, for its snippet and heading (None if it cannot be read:
    a snippet is a nicety)."""
    if data is None:
        return None
    try:
        return codec.parse(codec.decode_bytes(data), path=path)
    except IlogError:
        return None
