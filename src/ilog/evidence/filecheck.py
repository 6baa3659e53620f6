"""The files beside records, as ``ilog verify`` checks them: every file a record lists (in its
sealed front matter, or in an attach event) is there with the SHA-256 it was listed with,
and nothing else lies in a record's folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from ilog.derived.clientcache import ClientFiles
from ilog.errors import IlogError
from ilog.model import Attachment
from ilog.store import attachments
from ilog.store.layout import ATTACHED, Store, scan

CHANGED, MISSING, EXTRA = "attachment changed", "attachment missing", "extra file"
UNREADABLE = "unreadable attach event"


class FileFinding(NamedTuple):
    """One finding: its kind, the path (relative to the store), what is wrong."""

    kind: str
    path: str
    message: str


def file_findings(store: Store, shard: ClientFiles) -> list[FileFinding]:
    """What is wrong with the files beside one client's records."""
    client_dir = store.client_dir(shard.slug)
    events, problems = attachments.read_attach_events(client_dir / ATTACHED)
    found: list[FileFinding] = [FileFinding(UNREADABLE, f"clients/{shard.slug}/{ATTACHED}",
                                 str(problem)) for problem in problems]
    later = attachments.attached_later(events)
    listed: dict[str, list[Attachment]] = {}
    for record in shard.records.values():
        if record.path is not None:
            folder = record.path.with_suffix("").as_posix()
            listed[folder] = record.attachments + later.pop(record.id, [])
    found += [FileFinding(MISSING, f"clients/{shard.slug}/{ATTACHED}", f"an attach event names record "
               f"{record[:8]}, which the client has no record of") for record in sorted(later)]
    for folder in sorted(set(listed) | _folders(store, client_dir)):
        found += _check_folder(store, folder, listed.get(folder))
    return found


def _folders(store: Store, client_dir: Path) -> set[str]:
    """The folders inside the client's year folders (each a record's files), relative."""
    return {store.relative(Path(entry.path)).as_posix()
            for year in scan(client_dir) if year.name.isdigit() and len(year.name) == 4
            and year.is_dir(follow_symlinks=False)
            for entry in scan(year.path) if entry.name[0] != "." and entry.is_dir(
                follow_symlinks=False)}


def _check_folder(store: Store, folder: str, listed: list[Attachment] | None) -> list[FileFinding]:
    """One record's folder against the files it lists (None: the folder has no record)."""
    path = store.root / folder
    if os.path.islink(path):
        return [FileFinding(CHANGED, folder, "is a link: ilog reads no file through a link, "
                            "so the record's files cannot be checked; replace it with the "
                            "folder itself")]
    present = attachments.files_in(path)
    if listed is None:
        if os.path.lexists(f"{path}.md"):
            return []  # an unreadable record: reported as such, its files not guessed at
        return [FileFinding(EXTRA, f"{folder}/{name}", "lies in a folder of files that belongs to no "
                 "record") for name in present]
    found = []
    for attachment in listed:
        shown = f"{folder}/{attachment.name}"
        try:
            digest = attachments.hash_file(path / attachment.name, shown)
        except IlogError as exc:
            found.append(FileFinding(CHANGED, shown, f"{exc}; it cannot be checked"))
            continue
        if digest is None:
            found.append(FileFinding(MISSING, shown, "the record lists it, but it is gone"))
        elif digest != attachment.sha256:
            found.append(FileFinding(CHANGED, shown, f"its SHA-256 is {digest[:12]}…, not the "
                          f"{attachment.sha256[:12]}… it was listed with: the file was "
                          "changed or replaced"))
    names = {a.name for a in listed}
    found += [FileFinding(EXTRA, f"{folder}/{name}", "lies beside the record but the record does not "
               "list it ('ilog attach ID FILE --reason' adds a document)")
              for name in present if name not in names]
    return found
