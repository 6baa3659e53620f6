"""Undoing a mistake without breaking the evidence: withdrawing a record (``ilog void``) and
filing it under another client (``ilog move``).

A withdrawal is the last version of a record (versions.py): a sealed copy of the latest
version that says ``voided: true`` and why (``amend_reason``); the interaction then leaves
history, actions, search and the counts, and stays in ``verify`` and the audit pack. A move
is a withdrawal that names where the record went (``moved_to: CLIENT/ID``) plus a sealed copy
under the right client that names where it came from (``moved_from``). The copy keeps the
steps' ids, and what happened to them so far stays true (their events are recorded again under
the new client, with who did what and when, in the same order).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from ilog.derived.clientcache import client_files
from ilog.derived.lookup import find_record
from ilog.errors import ClientError, IlogError, WithdrawnError
from ilog.fileformat import versions
from ilog.fileformat.ids import new_id
from ilog.model import Record
from ilog.ops.amend import latest_version, other_heads
from ilog.ops.recordfiles import carried
from ilog.store import atomic
from ilog.store.layout import Store
from ilog.store.profiles import resolve_client
from ilog.store.stepevents import record_event
from ilog.store.usersettings import identity


def void_record(store: Store, ref: str, reason: str, *,
                now: datetime | None = None) -> tuple[Record, Record]:
    """(the version withdrawn, the withdrawal)."""
    current = _withdrawable(store, ref, reason)
    withdrawal = _withdrawal(current, reason, _now(now), moved_to="",
                             others=other_heads(store, current),
                             author=identity(store.settings, store.root))
    store.write_new(withdrawal, carried(store, current))
    return current, withdrawal


def move_record(store: Store, ref: str, client: str, reason: str, *,
                now: datetime | None = None) -> tuple[Record, Record, Record]:
    """(the version moved, its withdrawal, the record under ``client``)."""
    current = _withdrawable(store, ref, reason)
    target = resolve_client(store, client).slug
    if target == current.client:
        raise ClientError(f"record {current.short_id} is filed under {target} already")
    moment = _now(now)
    files = carried(store, current)
    moved = dataclasses.replace(
        current, id=new_id(), client=target, seal="", seal_state=None, path=None, attachments=[],
        author=identity(store.settings, store.root),
        extra={**_own_fields_dropped(current),
               versions.MOVED_FROM: f"{current.client}/{current.id}"})
    written = [store.write_new(moved, files)]  # first: a stop before the withdrawal leaves two
    try:  # copies, never none; a failure takes the copy back
        written += _carry_events(store, current, moved)
        withdrawal = _withdrawal(current, reason, moment, moved_to=f"{target}/{moved.id}",
                                 others=other_heads(store, current),
                             author=identity(store.settings, store.root))
        store.write_new(withdrawal, files)
    except BaseException:
        for path in written:
            atomic.remove(path)
            if path.suffix == ".md":  # and its files
                atomic.remove_tree(path.with_suffix(""))
        raise
    return current, withdrawal, moved


def _withdrawable(store: Store, ref: str, reason: str) -> Record:
    """The latest version of the record ``ref`` names, if it may be withdrawn."""
    if not reason.strip():
        raise IlogError("a withdrawal needs a reason: why the record should not count")
    current = latest_version(store, store.read(find_record(store, ref)))
    if versions.voided(current.extra):
        where = versions.moved_to(current.extra)
        raise WithdrawnError(f"record {current.short_id} was withdrawn already"
                             + (f" (moved to {where})" if where else "") + ": "
                             + str(current.extra.get(versions.REASON, "")))
    return current


def _withdrawal(current: Record, reason: str, now: datetime, *, moved_to: str,
                others: list[str], author: str) -> Record:
    extra = {**{k: v for k, v in current.extra.items() if k not in versions.FIELDS},
             versions.AMENDS: current.id,
             versions.REASON: reason.strip(), versions.AMENDED: now, versions.VOIDED: True}
    if moved_to:
        extra[versions.MOVED_TO] = moved_to
    if others:  # a diverged interaction is withdrawn whole
        extra[versions.RECONCILES] = others
    return dataclasses.replace(current, id=new_id(), seal="", seal_state=None, path=None,
                               author=author, extra=extra, attachments=[])


def _own_fields_dropped(record: Record) -> dict[str, object]:
    return {k: v for k, v in record.extra.items()
            if k not in (*versions.FIELDS, versions.MOVED_FROM)}


def _carry_events(store: Store, record: Record, moved: Record) -> list[Path]:
    """What happened to the record's steps happened under the new client too: each event
    again (same times, so the same order), naming the new record."""
    steps = {step.id for step in record.next_steps}
    return [record_event(store, moved.client, dataclasses.replace(event, record=moved.id))
            for event in client_files(store, record.client).events if event.step in steps]


def _now(now: datetime | None) -> datetime:
    return now or datetime.now().astimezone().replace(microsecond=0)
