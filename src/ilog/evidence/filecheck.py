"""The files beside records, as ``ilog verify`` checks them: every file a record lists (in its
sealed front matter, or in an attach event) is there with the SHA-256 it was listed with,
and nothing else lies in a record's folder."""

from __future__ import annotations

import os
from pathlib import Path

from ilog.derived.clientcache import ClientFiles
from ilog.errors import IlogError
from ilog.evidence.findings import Finding, FindingKind
from ilog.store import attachments
from ilog.store.layout import ATTACHED, Store, scan

CHANGED, MISSING = FindingKind.ATTACHMENT_CHANGED, FindingKind.ATTACHMENT_MISSING
EXTRA, UNREADABLE = FindingKind.EXTRA_FILE, FindingKind.UNREADABLE_ATTACH_EVENT


def file_findings(store: Store, shard: ClientFiles) -> list[Finding]:
    """What is wrong with the files beside one client's records. Only the folders that
    exist and the records that list files are looked at: a store of records without files
    costs one listing of each year folder."""
    client_dir = store.client_dir(shard.slug)
    events, problems = attachments.read_attach_events(client_dir / ATTACHED)
    found = [Finding(UNREADABLE, f"clients/{shard.slug}/{ATTACHED}", str(problem))
             for problem in problems]
    later = attachments.attached_later(events)
    present = _folders(store, client_dir)
    listed: dict[str, dict[str, str]] = {}
    for found_record in shard.fields():
        wanted = {**found_record.files,
                  **{a.name: a.sha256 for a in later.pop(found_record.record, [])}}
        if wanted or found_record.path[:-3] in present:
            listed[found_record.path[:-3]] = wanted
    found += [Finding(MISSING, f"clients/{shard.slug}/{ATTACHED}", "an attach event names "
                          f"record {record[:8]}, which the client has no record of")
              for record in sorted(later)]
    for folder in sorted(set(listed) | present):
        found += _check_folder(store, folder, listed.get(folder), folder in present)
    return found


def _folders(store: Store, client_dir: Path) -> set[str]:
    """What lies in the client's year folders but files (folders of records' files, and
    links), relative to the store."""
    return {store.relative(Path(entry.path)).as_posix()
            for year in scan(client_dir) if year.name.isdigit() and len(year.name) == 4
            and year.is_dir(follow_symlinks=False)
            for entry in scan(year.path) if entry.name[0] != "." and (
                entry.is_dir(follow_symlinks=False) or entry.is_symlink())}


def _check_folder(store: Store, folder: str, listed: dict[str, str] | None,
                  present: bool) -> list[Finding]:
    """One record's folder against the files it lists (name -> SHA-256; None: the folder
    has no record)."""
    path = store.root / folder
    if os.path.islink(path):
        return [Finding(CHANGED, folder, "is a link: ilog reads no file through a link, "
                            "so the record's files cannot be checked; replace it with the "
                            "folder itself")]
    if listed is None:
        if os.path.lexists(f"{path}.md"):
            return []  # an unreadable record: reported as such, its files not guessed at
        return [Finding(EXTRA, f"{folder}/{name}", "lies in a folder of files that "
                            "belongs to no record") for name in attachments.files_in(path)]
    found = []
    for name, sha256 in listed.items():
        shown = f"{folder}/{name}"
        try:
            digest = attachments.hash_file(path / name, shown) if present else None
        except IlogError as exc:
            found.append(Finding(CHANGED, shown, f"{exc}; it cannot be checked"))
            continue
        if digest is None:
            found.append(Finding(MISSING, shown, "the record lists it, but it is gone"))
        elif digest != sha256:
            found.append(Finding(CHANGED, shown, f"its SHA-256 is {digest[:12]}…, not the "
                                     f"{sha256[:12]}… it was listed with: the file was "
                                     "changed or replaced"))
    found += [Finding(EXTRA, f"{folder}/{name}", "lies beside the record but the record "
                          "does not list it ('ilog attach ID FILE --reason' adds a document)")
              for name in (attachments.files_in(path) if present else []) if name not in listed]
    return found
