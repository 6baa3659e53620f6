"""``ilog attach``: a document added to a sealed record, as an event (the record stays
sealed)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ilog.derived.lookup import find_record
from ilog.errors import AlreadyAttachedError, UsageError, WithdrawnError
from ilog.fileformat import versions
from ilog.model import Attachment, Record
from ilog.ops.amend import latest_version
from ilog.ops.recordfiles import files_of
from ilog.store import attachments
from ilog.store.layout import ATTACHED, Store
from ilog.store.usersettings import identity


def attach_file(store: Store, ref: str, path: Path, reason: str, *,
                now: datetime | None = None) -> tuple[Record, Attachment]:
    """Keep ``path`` beside the current version of the record ``ref`` names; the record
    stays sealed, an event names the file, its SHA-256, who added it, when and why."""
    if not reason.strip():
        raise UsageError("a document added to a sealed record needs a reason (--reason): "
                        "what it is and why it belongs to the record")
    source = attachments.check_source(path)
    record = latest_version(store, store.read(find_record(store, ref)))
    if versions.voided(record.extra):
        raise WithdrawnError(f"record {record.short_id} was withdrawn; a withdrawn record "
                             "takes no documents")
    listed = files_of(store, record)
    digest = attachments.hash_source(source)
    same = next((a for a in listed if a.sha256 == digest), None)
    if same is not None:
        raise AlreadyAttachedError(f"{path.name} is attached to record {record.short_id} "
                                   f"already, as {same.name} (the same bytes: SHA-256 "
                                   f"{digest[:12]}…); nothing was added")
    added = attachments.add_file(attachments.folder_of(store.file_of(record)), source,
                                 (a.name for a in listed))
    event = attachments.AttachEvent(record.id, added.name, added.sha256,
                                    identity(store.settings, store.root),
                                    now or datetime.now().astimezone(), reason.strip())
    attachments.record_attach(store.client_dir(record.client) / ATTACHED, event, store.sweeps)
    return record, event.attachment()


