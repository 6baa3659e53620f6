"""Erasure: a client's right to be forgotten. Every file of the client goes (records and
their attachments, completion events, holds, the profile, anything else in its folder), and
so does everything ilog derived from them (index entries, compacted away; the client's cache;
drafts). Each record leaves a tombstone without personal data, so ``ilog verify`` still
passes. Git history and other clones keep their copies: docs/evidence.md says how to remove
the data from history and what cannot be guaranteed.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ilog.derived import clientcache, drafts
from ilog.errors import IlogError, UnknownClientError
from ilog.evidence.deletion import Deletion, delete_record, events_by_record
from ilog.fileformat import versions
from ilog.fileformat.slugs import slugify
from ilog.model import Record
from ilog.store import atomic, tombstones
from ilog.store.layout import Store
from ilog.store.profiles import resolve_slug
from ilog.store.usersettings import identity


@dataclass
class ErasePlan:
    """What erasing a client deletes."""

    client: str
    records: list[Record] = field(default_factory=list)
    attachments: int = 0
    other_files: list[Path] = field(default_factory=list)  # events, holds, profile, the rest
    #: Records filed under other clients by mistake and then moved to this one (``ilog
    #: move``): every version of each, and its withdrawal, hold this client's data too.
    moved_here: list[Record] = field(default_factory=list)
    #: The client's files are gone already (an erasure stopped after deleting them): what
    #: is left to do is the derived data (the index compacted, caches, drafts).
    finishing: bool = False


def plan(store: Store, name: str) -> ErasePlan:
    """What erasing the client ``name`` deletes; for a client whose erasure was stopped
    after its files went, a plan that finishes it."""
    try:
        slug = resolve_slug(store, name)
    except UnknownClientError:
        slug = slugify(name)
        if slug and tombstones.erased(store, slug):
            return ErasePlan(slug, finishing=True)
        raise
    files = clientcache.client_files(store, slug)
    records = sorted(files.records.values(), key=lambda r: str(r.path))
    folder = store.client_dir(slug)
    record_files = {store.root / p for p in files.record_files}
    attachments = {f.with_suffix("") for f in record_files if f.with_suffix("").is_dir()}
    others = [p for p in sorted(folder.rglob("*")) if p.is_file() and p not in record_files
              and not any(a in p.parents for a in attachments)]
    return ErasePlan(slug, records, len(attachments), others, _moved_here(store, slug))


def _moved_here(store: Store, slug: str) -> list[Record]:
    """Every version, in other clients, of records that were moved to ``slug``."""
    found = []
    for files in clientcache.every_client(store):
        if files.slug == slug:
            continue
        for record in files.records.values():
            if versions.moved_to(record.extra).startswith(f"{slug}/"):
                found += [files.records[i] for i in files.chains.versions(record.id)
                          if i in files.records]
    return sorted(found, key=lambda r: str(r.path))


def erase(store: Store, found: ErasePlan, reason: str, *,
          now: datetime | None = None) -> int:
    """Delete everything ``plan`` found, leaving a tombstone per record; return how many
    records went. Running it again after an interruption finishes the job."""
    if not reason.strip():
        raise IlogError("an erasure needs a reason, e.g. \"erasure request of 2026-11-23\" "
                        "(no names: the reason stays in the tombstones)")
    deletion = Deletion(tombstones.ERASURE, reason.strip(), identity(store.settings, store.root),
                        now or datetime.now().astimezone().replace(microsecond=0))
    events = events_by_record(store, found.client)
    for record in found.records:
        delete_record(store, record, events.get(record.id, []), deletion)
    for record in found.moved_here:
        elsewhere = events_by_record(store, record.client)
        delete_record(store, record, elsewhere.get(record.id, []), deletion)
    if not found.finishing:
        atomic.remove_tree(store.client_dir(found.client))
    for draft in drafts.of_client(store, found.client, [r.short_id for r in found.records]):
        atomic.remove(draft.path)
    return len(found.records) + len(found.moved_here)


def history_steps(found: ErasePlan) -> list[str]:
    """What removes the erased files from git history too (docs/evidence.md explains)."""
    paths = [f"clients/{found.client}/", *(str(r.path) for r in found.moved_here)]
    given = " ".join(f"--path {shlex.quote(p)}" for p in paths)
    return [
        (f"git add -A {' '.join(shlex.quote(p) for p in paths)} tombstones && git commit -m "
         "'Erase a client'"),
        (f"git filter-repo --invert-paths {given}   "
         "(pip install git-filter-repo; it rewrites every commit)"),
        "git push --force --all && git push --force --tags",
        "every teammate: delete the old clone and clone again (old clones keep the data)",
    ]
