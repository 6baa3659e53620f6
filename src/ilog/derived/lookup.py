"""Finding a record, or a next step, by what a user typed; when nothing matches, saying what
was probably meant: the record that holds a step id typed where a record id belongs, the
steps of a record id typed where a step id belongs, and the nearest ids."""

from __future__ import annotations

import difflib
from pathlib import Path

from ilog.derived import clientcache
from ilog.errors import NotFoundError
from ilog.store.layout import Store, short_id_of


def find_record(store: Store, ref: str) -> Path:
    """The record file ``ref`` names (Store.find), with a hint when there is none."""
    try:
        return store.find(ref)
    except NotFoundError as exc:
        raise NotFoundError(f"{exc}{record_hint(store, ref)}") from None


def record_hint(store: Store, ref: str) -> str:
    """``; 'qanp' is next step ... of record 36xjj334`` or ``(did you mean ...?)``."""
    wanted = ref.strip().lower()
    if len(wanted) >= 4:
        for summary in clientcache.summaries(store):
            if any(step.startswith(wanted) for step in summary.step_ids):
                steps = clientcache.client_files(store, summary.client.slug).steps()
                found = next((t for t in steps if t.step.id.startswith(wanted)), None)
                if found is not None:
                    return (f"; '{ref}' is next step {found.step.id[:8]} "
                            f"({found.step.text!r}) of record {found.record[:8]} "
                            f"({found.title or 'untitled'}, {found.client}): use "
                            f"{found.record[:8]}")
    ids = sorted({short_id_of(name) for _, name in store.record_files()})
    return _nearest(wanted[:8], ids)


def step_hint(store: Store, ref: str) -> str:
    """What a step id that matches nothing probably meant: a record's steps, or near ids."""
    wanted = ref.strip().lower()
    summaries = clientcache.summaries(store)
    for summary in summaries:
        files = clientcache.client_files(store, summary.client.slug) \
            if any(r.startswith(wanted) for r in _record_ids(store, summary.client.slug)) \
            else None
        if files is not None:
            steps = [t for t in files.steps() if t.record.startswith(wanted)]
            listed = ", ".join(f"{t.step.id[:8]} {t.step.text!r}" for t in steps[:5])
            return (f"; '{ref}' is a record, not a next step: its steps are {listed}"
                    if steps else f"; '{ref}' is a record with no next steps")
    return _nearest(wanted, sorted({s[:8] for summary in summaries for s in summary.step_ids}))


def _record_ids(store: Store, slug: str) -> list[str]:
    return [short_id_of(name) for _, name in store.record_files(slug)]


def _nearest(wanted: str, ids: list[str]) -> str:
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""
