"""The audit pack: everything about one client in a period, in a folder anyone can check.

    DIR/README.md        how to check the pack
    DIR/audit.FORMAT     the report: every interaction with all its versions, next steps with
                         their completion history (html, md, json or csv)
    DIR/files/...        byte-exact copies of the client's files the report is made from
    DIR/manifest.json    every file of the pack with its SHA-256 (and seal, for records), the
                         git commit the pack was made from
    DIR/SHA256SUMS       the same hashes for ``sha256sum -c SHA256SUMS``
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ilog.derived import clientcache
from ilog.errors import IlogError, StoreError
from ilog.fileformat import codec, seal, versions
from ilog.fileformat.dates import day_of
from ilog.model import Client, Record, SealState, StepEvent
from ilog.store import atomic, attachments, gitrepo
from ilog.store.layout import ATTACHED, Store
from ilog.store.profiles import load_client, resolve_slug
from ilog.store.reading import read_file

FORMATS = ("html", "md", "json", "csv")


@dataclass
class Version:
    record: Record
    seal_state: SealState
    sha256: str


@dataclass
class Interaction:
    """One interaction: its versions (oldest first) and its steps' completion history."""

    versions: list[Version]
    events: dict[str, list[StepEvent]]  # step id -> events, oldest first

    @property
    def latest(self) -> Record:
        return self.versions[-1].record


@dataclass
class Pack:
    client: Client
    since: date | None
    until: date | None
    made: datetime
    commit: str | None  # None: not a git store
    uncommitted: bool  # the client's files differ from that commit
    interactions: list[Interaction] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # store-relative paths of the copies


def collect(store: Store, name: str, *, since: date | None = None, until: date | None = None,
            now: datetime | None = None) -> Pack:
    """Everything the pack holds, read from the client's files. Writes only derived data:
    the client's cache shard, as history does."""
    slug = resolve_slug(store, name)
    files = clientcache.client_files(store, slug)
    in_git = gitrepo.work_tree(store.root)
    pack = Pack(load_client(store, slug), since, until,
                now or datetime.now().astimezone().replace(microsecond=0),
                gitrepo.head(store.root) if in_git else None,
                in_git and bool(gitrepo.uncommitted(store.root, f"clients/{slug}/")))
    records, chain = files.records, files.chains
    events: dict[str, list[StepEvent]] = {}
    for event in files.events:
        events.setdefault(event.step, []).append(event)
    for ids in sorted(versions.groups(chain, records), key=lambda g: (str(records[g[0]].date),
                                                                    g[0])):
        members = sorted((records[i] for i in ids if i in records),
                         key=lambda r: not chain.superseded(r.id))  # the current one last
        when = members[-1].date
        if not _in_period(day_of(when) if when is not None else None, since, until):
            continue
        steps = {s.id for m in members for s in m.next_steps}
        pack.interactions.append(Interaction([_version(store, m) for m in members],
                                             {s: events.get(s, []) for s in sorted(steps)}))
    used = {e.path for i in pack.interactions for s in i.events.values() for e in s}
    pack.files = sorted([str(v.record.path) for i in pack.interactions for v in i.versions]
                        + [p.as_posix() for p in used if p is not None]
                        + _documents(store, slug, [v.record for i in pack.interactions
                                                   for v in i.versions])
                        + ([f"clients/{slug}/client.yaml"]
                           if (store.client_dir(slug) / "client.yaml").is_file() else []))
    return pack


def _documents(store: Store, slug: str, records: list[Record]) -> list[str]:
    """The files beside ``records`` and the events that added some later (store-relative):
    regular files only, never what a link points to. Each record's ``attachments`` then
    lists the later ones too, for the report."""
    events, _ = attachments.read_attach_events(store.client_dir(slug) / ATTACHED)
    later = attachments.attached_later(events)
    found = [store.relative(e.path).as_posix() for e in events
             if e.path is not None and e.record in {r.id for r in records}]
    for record in records:
        record.attachments = record.attachments + later.get(record.id, [])
        folder = store.file_of(record).with_suffix("")
        if os.path.realpath(folder) != os.path.abspath(folder):
            continue
        for attachment in record.attachments:
            path = folder / attachment.name
            if path.is_file() and not path.is_symlink():
                found.append(store.relative(path).as_posix())
    return found


def _in_period(day: date | None, since: date | None, until: date | None) -> bool:
    """Whether ``day`` is in the period (a record without a date is in an open period only)."""
    if day is None:
        return since is None and until is None
    return (since is None or day >= since) and (until is None or day <= until)


def _version(store: Store, record: Record) -> Version:
    """The record with its body, its seal's state and its file's SHA-256 (one read)."""
    data = read_file(store.file_of(record), str(record.path))
    record.body = codec.normalize_body(codec.split(codec.decode_bytes(data))[1])
    return Version(record, seal.check(data).state, hashlib.sha256(data).hexdigest())


def write(store: Store, pack: Pack, out: Path, report_format: str, report: str | bytes) -> Path:
    """Write the pack into ``out`` (new, or an empty folder); return the report's path. The
    pack is made in a hidden folder beside it and renamed into place when whole."""
    if report_format not in FORMATS:
        raise IlogError(f"no report format {report_format!r}; use one of {', '.join(FORMATS)}")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise IlogError(f"{out} is not an empty folder; name a new one")
    atomic.make_dirs(out.parent)
    building = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        atomic.make_dirs(building, private=True)
        _fill(store, pack, building, report_format, report)
        _owner_only(building)
        if out.exists():
            out.rmdir()
        building.rename(out)
    except OSError as exc:
        raise StoreError(f"cannot write the audit pack {out}: {exc.strerror or exc}; "
                         "nothing was left behind, run the command again") from None
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return out / f"audit.{report_format}"


def _owner_only(folder: Path) -> None:
    """A pack holds personal data: every folder of it 0700, every file 0600, whatever the
    umask (its reader is given it on purpose, not by the file system)."""
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    folder.chmod(0o700)


def _fill(store: Store, pack: Pack, folder: Path, report_format: str,
          report: str | bytes) -> None:
    for relative in pack.files:
        target = folder / "files" / relative
        atomic.make_dirs(target.parent)
        shutil.copyfile(store.root / relative, target)
    report_path = folder / f"audit.{report_format}"
    report_path.write_bytes(report.encode("utf-8") if isinstance(report, str) else report)
    (folder / "README.md").write_text(readme(pack, report_path.name), encoding="utf-8")
    _manifest(pack, folder)


def _manifest(pack: Pack, out: Path) -> None:
    entries = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        relative = path.relative_to(out).as_posix()
        entry: dict[str, str | None] = {"path": relative,
                                        "sha256": hashlib.sha256(data).hexdigest()}
        if relative.endswith(".md") and relative.startswith("files/clients/"):
            check = seal.check(data)
            entry.update(seal=check.claimed or None, seal_state=check.state)
        entries.append(entry)
    manifest = {"client": pack.client.slug, "made": pack.made.isoformat(),
                "commit": pack.commit, "uncommitted_changes": pack.uncommitted,
                "since": pack.since.isoformat() if pack.since else None,
                "until": pack.until.isoformat() if pack.until else None, "files": entries}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    (out / "SHA256SUMS").write_text("".join(f"{e['sha256']}  {e['path']}\n" for e in entries),
                                    encoding="utf-8")


def readme(pack: Pack, report: str) -> str:
    where = f"git commit {pack.commit}" if pack.commit else "a store that is not a git repository"
    if pack.uncommitted:
        where += " (the client's files had changes not committed yet)"
    period = f"{pack.since or 'the first record'} to {pack.until or 'the last'}"
    return f"""# Audit pack: {pack.client.name}

Made {pack.made.isoformat()} by ilog from {where}; records from {period}.

- `{report}`: every interaction with all its versions (amendments say what they correct and
  why) and the completion history of its next steps.
- `files/`: byte-exact copies of the record files, completion events and profile the report
  is made from, and of the documents kept beside the records (each record lists its files
  with their SHA-256 in its sealed front matter, or in an event in `attached/`).
- `manifest.json`: every file of this pack with its SHA-256, and for each record its seal;
  `SHA256SUMS`: the same hashes.

## How to check this pack

1. The files are as they were exported: `sha256sum -c SHA256SUMS` (every line must say OK).
   `SHA256SUMS` is the pack's own list: compare its hash with one kept elsewhere (sent by
   e-mail, stored with the case) to know the list itself was not changed.
2. Each record is as it was sealed: in `files/clients/...`, a record's front matter ends with
   `seal: sha256:HEX`. Remove that one line from the file's bytes; the SHA-256 of the rest
   must be HEX. In Python:

       import hashlib, re
       data = open(path, "rb").read()
       line = re.search(rb"^seal: sha256:([0-9a-f]{{64}})\\n", data, re.M)
       rest = data[:line.start()] + data[line.end():]
       assert hashlib.sha256(rest).hexdigest() == line[1].decode()

3. Nobody changed a record after it was sealed: `ilog verify` in the store (and in any
   clone) compares every record with git history, where `{pack.commit or 'no commit'}` is
   the commit this pack was made from.
"""
