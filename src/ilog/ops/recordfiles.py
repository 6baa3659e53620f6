"""The files beside a record: those its sealed front matter lists and those added later (attach
events), and the files a new version of a record carries over (an amendment, a withdrawal or
a move keeps the documents of the version it replaces)."""

from __future__ import annotations

from ilog.errors import VerifyFailedError
from ilog.model import Attachment, Record
from ilog.store import attachments
from ilog.store.layout import ATTACHED, Store


def later_files(store: Store, client: str) -> dict[str, list[Attachment]]:
    """Record id -> the files added to it after it was sealed (unreadable events aside:
    ``verify`` reports them)."""
    events, _ = attachments.read_attach_events(store.client_dir(client) / ATTACHED)
    return attachments.attached_later(events)


def files_of(store: Store, record: Record) -> list[Attachment]:
    """Every file the record has: those its front matter lists, then those added later."""
    return record.attachments + later_files(store, record.client).get(record.id, [])


def carried(store: Store, record: Record) -> list[attachments.Source]:
    """The files a new version of ``record`` keeps: each checked against its SHA-256 first,
    so that a changed file never becomes part of a newly sealed version."""
    folder = attachments.folder_of(store.file_of(record))
    sources = []
    for attachment in files_of(store, record):
        path = folder / attachment.name
        shown = str(store.relative(path))
        if attachments.hash_file(path, shown) != attachment.sha256:
            raise VerifyFailedError(f"{shown} is missing or no longer matches its SHA-256, so "
                                    "it cannot be carried into a new version; 'ilog verify' "
                                    "says more")
        sources.append(attachments.Source(attachment.name, path=path))
    return sources
