"""Search use cases: keep the index up to date with the files, query it, rebuild it.

Before every query the index catches up with whatever changed since the last run (see
freshness.py). A missing index, one of another schema version, or a damaged one is rebuilt;
a stale lock cannot exist, because the lock is an ``flock`` that dies with its process.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ilog import codec, freshness, metacache, query
from ilog.clients import resolve_client
from ilog.config import xdg_dir
from ilog.errors import FormatError, IlogError, QueryError, SearchIndexError, ValidationError
from ilog.model import Problem, Record
from ilog.searchdoc import document
from ilog.store import Store

if TYPE_CHECKING:
    from ilog.index import Hit, SearchIndex

LOCK_WAIT_SECONDS = 10.0
#: More new or changed files than this are indexed faster by a (multi-process) rebuild.
REBUILD_ABOVE = 5000
Progress = Callable[[int, int], None]


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


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    refresh: Refresh


def index_home(store: Store) -> Path:
    """``STORE/.ilog/``, or a per-store folder in the user's cache if the store is read-only."""
    derived = store.derived_dir
    with contextlib.suppress(OSError):
        derived.mkdir(exist_ok=True)
    if os.access(derived, os.W_OK):
        return derived
    key = hashlib.sha256(str(store.root).encode()).hexdigest()[:16]
    home = xdg_dir("XDG_CACHE_HOME", ".cache") / "ilog" / f"store-{key}"
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SearchIndexError(f"{store.root} is read-only and {home} cannot be created "
                               f"({exc.strerror}); nowhere to keep a search index") from None
    return home


def search(store: Store, text: str, *, limit: int = 20, sort: str = "auto",
           client: str = "", since: str = "", until: str = "",
           progress: Progress | None = None, now: datetime | None = None) -> SearchResult:
    """Bring the index up to date, then run the query (narrowed by client and dates)."""
    whoosh_query = query.rewrite(text, resolve_client=lambda n: resolve_client(store, n).slug,
                                 now=now)
    if client:
        whoosh_query = f"({whoosh_query}) AND client:{resolve_client(store, client).slug}"
    if since or until:
        days = query.date_range("date", since, until, now=now)
        whoosh_query = f"({whoosh_query}) AND date:{days}"
    by_date = sort == "date" or (sort == "auto" and not query.has_free_text(text))
    if text.strip() == "*":
        by_date = sort != "relevance"
    refreshed = refresh(store, progress=progress)
    try:
        hits, total = _query(store, refreshed, whoosh_query, limit, by_date)
    except QueryError:
        raise
    except Exception:  # noqa: BLE001 - the index broke under us: rebuild once, ask again
        refreshed = reindex(store, progress=progress)
        hits, total = _query(store, refreshed, whoosh_query, limit, by_date)
    return SearchResult(hits, total, refreshed)


def _query(store: Store, refreshed: Refresh, whoosh_query: str, limit: int,
           by_date: bool) -> tuple[list[Hit], int]:
    from ilog.index import SearchIndex

    return SearchIndex(refreshed.folder / "index").search(
        whoosh_query, limit=limit, by_date=by_date, text_of=lambda p: _text_of(store, p))


def refresh(store: Store, *, progress: Progress | None = None) -> Refresh:
    """Make the index match the files (rebuilding it when it must)."""
    from ilog.index import SearchIndex

    home = index_home(store)
    result = Refresh(folder=home)
    ix = SearchIndex(home / "index")
    with _locked(home) as got_lock:
        if not got_lock:
            result.warning = ("another ilog process is updating the index; these results may "
                              "miss the latest changes")
            return result
        found = freshness.changes(store, home)
        if found is None or not ix.usable() or not metacache.present(home):
            result.rebuilt = "the index was missing, outdated or damaged"
            _rebuild(store, ix, home, result, progress)
            return result
        if len(found.added) + len(found.changed) > REBUILD_ABOVE:
            result.rebuilt = "most records changed"
            _rebuild(store, ix, home, result, progress)
            return result
        if found:
            try:
                _catch_up(store, ix, home, found, result)
            except metacache.DamagedCacheError:
                result.rebuilt = "the metadata cache was damaged"
                _rebuild(store, ix, home, result, progress)
                return result
        if not found.saved:
            freshness.save(home, found.listing)
    return result


def reindex(store: Store, *, progress: Progress | None = None) -> Refresh:
    """Rebuild the index from scratch."""
    from ilog.index import SearchIndex

    home = index_home(store)
    result = Refresh(folder=home, rebuilt="asked for")
    with _locked(home, wait=3600.0) as got_lock:
        if not got_lock:
            raise SearchIndexError("another ilog process holds the index lock; try again")
        _rebuild(store, SearchIndex(home / "index"), home, result, progress)
    return result


def _catch_up(store: Store, ix: SearchIndex, home: Path, found: freshness.Changes,
              result: Refresh) -> None:
    """Re-index what was added or changed (unless its bytes are as indexed); drop the rest."""
    touched = found.added + found.changed + found.removed
    shards = {c: metacache.load_shard(home, c) for c in {metacache.client_of(p) for p in touched}}
    for path in found.removed:
        shards[metacache.client_of(path)].pop(path, None)
    documents, gone = [], list(found.removed)
    indexed = ix.hashes(found.changed)
    for path in found.added + found.changed:
        data = _read(store, path)
        if data is None:
            gone.append(path)
            continue
        sha = freshness.digest(data)
        if indexed.get(path) == sha:
            continue
        record = _parse(store, path, data, result)
        shard = shards[metacache.client_of(path)]
        if record is None:
            gone.append(path)
            shard.pop(path, None)
            continue
        documents.append(_document(record, path, sha))
        shard[path] = metacache.entry(record)
    if documents or gone:
        ix.update(documents, gone)
    for client, entries in shards.items():
        metacache.save_shard(home, client, entries)
    result.added, result.changed, result.removed = (len(found.added), len(found.changed),
                                                    len(found.removed))


def _rebuild(store: Store, ix: SearchIndex, home: Path, result: Refresh,
             progress: Progress | None) -> None:
    raw = freshness.listing(store)
    paths = list(freshness.parse_listing(raw))
    shards: dict[str, dict[str, metacache.Entry]] = {}

    def documents() -> Iterator[dict[str, object]]:
        for number, path in enumerate(paths, 1):
            data = _read(store, path)
            record = _parse(store, path, data, result) if data is not None else None
            if record is not None:
                result.added += 1
                shards.setdefault(metacache.client_of(path), {})[path] = \
                    metacache.entry(record)
                yield _document(record, path, freshness.digest(data))
            if progress is not None and (number % 250 == 0 or number == len(paths)):
                progress(number, len(paths))

    freshness.forget(home)
    ix.build(documents(), procs=min(os.cpu_count() or 1, 4) if len(paths) > 5000 else 1)
    metacache.replace_all(home, shards)
    freshness.save(home, raw)


def _read(store: Store, path: str) -> bytes | None:
    try:
        return (store.root / path).read_bytes()
    except OSError:
        return None


def _parse(store: Store, path: str, data: bytes, result: Refresh) -> Record | None:
    """The record, or None (and a problem noted) if the file is broken."""
    try:
        return codec.parse(codec.decode_bytes(data, path), path=path)
    except FormatError as exc:
        result.problems.append(exc.problem)
    except ValidationError as exc:
        result.problems.extend(exc.problems)
    return None


def _document(record: Record, path: str, sha: str) -> dict[str, object]:
    return {**document(record, path), "shown_date": codec.iso(record.date) or "", "sha": sha}


def _text_of(store: Store, path: str) -> str:
    """The searchable text of a record, for highlighting ("" if it cannot be read)."""
    data = _read(store, path)
    if data is None:
        return ""
    try:
        return str(document(codec.parse(codec.decode_bytes(data), path=path), path)["text"])
    except IlogError:
        return ""


@contextlib.contextmanager
def _locked(home: Path, *, wait: float = LOCK_WAIT_SECONDS) -> Iterator[bool]:
    """Hold ``home/index.lock`` (an flock: released by the kernel if the process dies)."""
    handle = (home / "index.lock").open("a")
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.05)
        yield True
    finally:
        handle.close()


def hit_as_data(hit: Hit) -> dict[str, object]:
    """A search hit as JSON-ready data (see docs/json.md)."""
    return {"id": hit.id, "short_id": hit.id[:8], "client": hit.client, "date": hit.date,
            "type": hit.type, "title": hit.title, "path": hit.path, "score": hit.score,
            "snippet": hit.snippet}
