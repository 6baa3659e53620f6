"""The first search of a fresh clone: answered by reading the files while the index is
built in the background (derived/scan.py evaluates the query; this module reads the store).

Only what can match is read closely: each record file is tested on its raw text (with the
raw text of its steps' completion events, whose notes are searchable) before it is parsed,
and a record's completion events are found by the step ids in their file names (as ilog
names them: store/events.py), so a client's other events are never parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ilog.derived import cachedir, listing
from ilog.derived.index import Hit, InteractionVersions, SearchIndex
from ilog.derived.scan import Scan, UnsupportedQuery, fold
from ilog.derived.searchdoc import document, first_line, plain, searchable_text, sort_key
from ilog.errors import FormatError, IlogError, UnreadableFileError
from ilog.fileformat import codec, seal, versions
from ilog.model import Record, StepState
from ilog.store.events import in_order, subject_of
from ilog.store.layout import EVENTS, RECORD, Store, kind, scan
from ilog.store.parallel import map_chunks
from ilog.store.reading import read_file
from ilog.store.stepevents import parse_event, step_states

#: The ids in a record file: its own and its next steps'.
_IDS = re.compile(r"^[ \t-]*id:[ \t]*['\"]?([0-9a-z]+)", re.MULTILINE)


def scan_while_building(store: Store, whoosh_query: str, limit: int,
                        all_versions: bool) -> tuple[list[Hit], int] | None:
    """With no index and many records (``settings.scan_above``), answer by reading the
    files: the hits (newest first) and how many there are, while the front end starts
    building the index in the background (ops/search.build_command). None when the index is
    there, the store is small or the query cannot be answered so (the usual path then
    builds the index and waits)."""
    home = cachedir.home(store)
    if SearchIndex(home / "index", store.config.language).built():
        return None
    paths = [path for path in listing.parse_listing(listing.listing(store))
             if kind(path) == RECORD]
    if len(paths) <= store.settings.scan_above:
        return None
    try:
        return _Reader(store, Scan(whoosh_query, store.config.language)).hits(
            paths, limit, all_versions)
    except UnsupportedQuery:
        return None


def building(store: Store) -> bool:
    """Whether a process holds the derived data's lock (a build is under way)."""
    with cachedir.locked(cachedir.home(store), wait=0) as free:
        return not free


@dataclass
class _Found:
    """What a scan keeps of a record it parsed: enough to know its versions, and whether
    it matched."""

    record: Record
    path: str
    amends: str
    reconciles: list[str]
    voided: bool
    matched: bool


class _Reader:
    """Reads the store for one scan; a chunk of record files at a time, in one process per
    CPU (store/parallel.py), so it must be picklable: it starts with no state."""

    def __init__(self, store: Store, query: Scan) -> None:
        self.store = store
        self.query = query
        self.real_folders: set[str] = set()
        self._events: dict[str, dict[str, list[Path]]] = {}

    def hits(self, paths: list[str], limit: int,
             all_versions: bool) -> tuple[list[Hit], int]:
        """The records of ``paths`` that match, newest first (and how many there are)."""
        found = map_chunks(self, paths)
        amending: dict[str, dict[str, str]] = {}
        for one in found:
            chain = amending.setdefault(one.record.client, {})
            chain[one.record.id] = one.amends or chain.get(one.record.id, "")
        chains = InteractionVersions(
            {client: versions.chains(pairs.items(), [
                (one.record.id, one.reconciles) for one in found
                if one.record.client == client and one.reconciles])
             for client, pairs in amending.items()},
            {one.record.id: one.record.client for one in found},
            {one.record.id for one in found if one.voided})
        hidden = chains.hidden(all_versions=all_versions)
        shown = sorted((one for one in found if one.matched and one.record.id not in hidden),
                       key=lambda one: sort_key(one.record.date), reverse=True)
        return [chains.mark(self._hit(one.record, one.path)) for one in shown[:limit]], len(shown)

    def __call__(self, paths: list[str]) -> list[_Found]:
        """The records among ``paths`` that match, or that amend or withdraw others."""
        found = []
        for path in paths:
            data = self._read(self.store.root / path, path)
            text = data.decode("utf-8", "replace") if data is not None else ""
            client = path.split("/")[1]
            events = [e for i in _IDS.findall(text) for e in self._events_of(client).get(i, [])]
            versioned = "\namends:" in text or "\nvoided:" in text
            notes = " ".join(self._text_of(event) for event in events)
            if data is None or not (versioned or self.query.may_match(fold(f"{text} {notes}"))):
                continue
            record = self._record(path, data)
            if record is None:
                continue
            states = self._states(events) if self.query.asks_about_steps else {}
            documents = document(record, path, states)
            matched = self.query.matches(documents)
            if matched or versioned:
                found.append(_Found(record, path, str(documents[0]["amends"]),
                                    versions.reconciles_of(record.extra),
                                    bool(documents[0]["voided"]), matched))
        return found

    def _hit(self, record: Record, path: str) -> Hit:
        return Hit(path=path, id=record.id, client=record.client, type=record.type.lower(),
                   date=codec.iso(record.date) or "", title=record.title, score=None,
                   snippet=self.query.snippet(plain(searchable_text(record))),
                   seal_state=record.seal_state,
                   first_line="" if record.title else first_line(record.body))

    def _read(self, path: Path, shown: str) -> bytes | None:
        try:
            return read_file(path, shown, real_folders=self.real_folders)
        except (OSError, FormatError, UnreadableFileError):
            return None

    def _record(self, path: str, data: bytes) -> Record | None:
        try:
            record = codec.parse(codec.decode_bytes(data, path), path=path)
        except IlogError:
            return None
        record.seal_state = seal.check(data).state
        return record

    def _events_of(self, client: str) -> dict[str, list[Path]]:
        """Step id -> the client's event files about it (by their names)."""
        if client not in self._events:
            found: dict[str, list[Path]] = {}
            for entry in scan(self.store.client_dir(client) / EVENTS):
                if entry.name.endswith(".yaml") and entry.name[0] != ".":
                    found.setdefault(subject_of(entry.name), []).append(Path(entry.path))
            self._events[client] = found
        return self._events[client]

    def _text_of(self, event: Path) -> str:
        data = self._read(event, event.name)
        return data.decode("utf-8", "replace") if data is not None else ""

    def _states(self, events: list[Path]) -> dict[str, StepState]:
        parsed = []
        for path in events:
            data = self._read(path, path.name)
            try:
                parsed.append(parse_event(data, path)) if data is not None else None
            except IlogError:
                continue
        return step_states(in_order(parsed))
