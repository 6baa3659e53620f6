"""``ilog verify``: is every record what it was when it was sealed?

- Every seal is recomputed (seal.py); a record that changed names the fields that changed
  when an earlier copy (git) tells which.
- Every amendment's original exists (or has a tombstone), and no chain of amendments loops.
- In a git store, git's own history is the tamper-evident log: no sealed record may have had
  two contents in any commit of any ref (fetched branches of teammates and remotes count), nor
  have been deleted without a tombstone, nor differ in the work tree from its last commit.
  Event files (a step done, dropped or moved, a hold, a document attached) are never changed
  once written either: one with two contents in history, or changed since its last commit,
  is a finding too.
- Every file beside a record is there with the SHA-256 the record (or its attach event)
  lists, and nothing else is (evidence/filecheck.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ilog.derived import clientcache
from ilog.derived.clientcache import ClientFiles, client_files
from ilog.errors import FormatError, IlogError
from ilog.evidence import seen
from ilog.evidence.filecheck import file_findings
from ilog.evidence.findings import Finding
from ilog.evidence.findings import FindingKind as Kind
from ilog.fileformat import codec, seal, versions
from ilog.model import Progress, SealState
from ilog.store import gitrepo, tombstones
from ilog.store.layout import CLIENTS, EVENT, OTHER_EVENT, RECORD, Store, kind, short_id_of
from ilog.store.parallel import map_chunks
from ilog.store.profiles import client_slugs, resolve_slug
from ilog.store.reading import read_file


class SealedCopy(NamedTuple):
    """A version of a record as a commit holds it, sealed."""

    commit: str
    data: bytes


@dataclass
class Report:
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    #: What deserves a look but proves nothing wrong (a record's author is not the person
    #: who committed it: someone may have recorded for a colleague).
    warnings: list[Finding] = field(default_factory=list)
    #: The commit git history was read at (None: not a git store, history not used).
    commit: str | None = None
    #: Whether the store is in a git repository (one with no commit yet has no history).
    repository: bool = False


def verify(store: Store, client: str = "", *, progress: Progress | None = None) -> Report:
    """Everything ``ilog verify`` checks, for one client or the whole store. Writes only
    derived data: the client cache's shards (under the derived data's lock) and, after a
    whole-store check, what this clone has seen (seen.py, replaced atomically)."""
    slugs = [resolve_slug(store, client)] if client else client_slugs(store)
    folder = f"{CLIENTS}/{slugs[0]}/" if client else f"{CLIENTS}/"
    report = Report()
    history = _History(store, folder) if gitrepo.work_tree(store.root) else None
    report.commit = history.commit if history else None
    report.repository = history is not None or gitrepo.is_repository(store.root)
    buried = tombstones.record_ids(store)
    shards = [client_files(store, slugs[0])] if client else clientcache.every_client(store)
    short_buried = {record[:8] for record in buried}
    paths: list[str] = []
    here: dict[str, str] = {}  # path -> record id, of every record file
    authors: dict[str, str] = {}  # path -> its record's author (in a git store)
    for shard in shards:  # one client at a time: only these are kept
        _client(shard, buried, short_buried, report)
        report.findings += file_findings(store, shard)
        paths += shard.record_files
        here.update((path, record) for record, path in shard.paths.items())
        if history is not None:
            authors.update(shard.authors)
    paths.sort()
    report.findings[:0] = [_seal_finding(path, check, history) for path, check in
                           map_chunks(_SealJob(str(store.root)), paths, progress=progress)]
    if history is not None:
        report.findings += history.findings(store, buried)
        report.warnings += history.misattributed(authors)
    if not client:
        report.findings += _vanished(store, here, buried, history)
    return report


def _vanished(store: Store, now: dict[str, str], buried: set[str],
              history: _History | None) -> list[Finding]:
    """Records seen at the last whole check that are gone with no trace (evidence/seen.py);
    what is ``now`` (path -> record id) is remembered for the next one."""
    deleted = {path for path, changes in (history.changes.items() if history else ())
               if any(c.status == "D" for c in changes)}
    gone = seen.vanished(store, now, buried | deleted)
    seen.remember(store, {**now, **gone})  # a finding stays until it is explained
    return [Finding(Kind.VANISHED, path, f"record {record[:8]} was here when verify last checked "
                    "the store and is gone, with no tombstone and no commit that deletes it "
                    "(a 'git reset --hard' or a pulled force-push?)")
            for path, record in sorted(gone.items())]


def _client(shard: ClientFiles, buried: set[str], short_buried: set[str], report: Report) -> None:
    """What one client's records and amendments say (the seals are checked apart)."""
    record_files = shard.record_files
    report.checked += len(record_files)
    for path in record_files:
        if short_id_of(Path(path).name) in short_buried:
            report.findings.append(Finding(Kind.UNFINISHED, path, "a tombstone says this record "
                                           "was deleted; run the purge or erasure again to "
                                           "finish it"))
    chain = shard.chains
    for record_id, target in sorted(chain.missing.items()):
        if not any(b.startswith(target) for b in buried):
            report.findings.append(Finding(
                Kind.MISSING, shard.path_of(record_id), f"amends '{target}', which no record or "
                "tombstone of the client has", field=versions.AMENDS))
    for head in sorted({chain.diverged(i)[-1] for i in chain.outvoted}):
        others = ", ".join(f"{other[:8]} by {author or 'someone'}"
                           for other, author in shard.diverged(head))
        report.warnings.append(Finding(Kind.DIVERGED, shard.path_of(head), f"the interaction has "
                                       f"diverged: also {others} (amended at the same time); "
                                       f"'ilog amend {head[:8]}' reconciles them",
                                       field=versions.AMENDS))
    for record_id in sorted(chain.loops):
        report.findings.append(Finding(Kind.LOOP, shard.path_of(record_id), "its chain of "
                                       "amends comes back to itself", field=versions.AMENDS))


@dataclass
class _SealJob:
    """Checks the seals of a list of record files; picklable, so workers can run it."""

    root: str

    def __call__(self, paths: list[str]) -> list[tuple[str, seal.SealCheck | None]]:
        """(path, seal) of each record whose seal is not whole; None: it is a link."""
        found: list[tuple[str, seal.SealCheck | None]] = []
        for path in paths:
            try:
                check = seal.check(read_file(Path(self.root, path), path))
            except FormatError:
                found.append((path, None))
                continue
            if check.state != SealState.SEALED:
                found.append((path, check))
        return found


def _seal_finding(path: str, found: seal.SealCheck | None, history: _History | None) -> Finding:
    if found is None:
        return Finding(Kind.LINKED, path, "is a link: ilog reads no record through a link, so it "
                       "cannot be verified; replace it with the file itself")
    if found.state == SealState.NOT_SEALED:
        return Finding(Kind.NOT_SEALED, path, "has no seal; 'ilog seal' seals records written "
                       "before seals existed")
    if found.state == SealState.MALFORMED:
        return Finding(Kind.MALFORMED, path, "the seal line is not 'seal: sha256:' and 64 hex "
                       "digits (or there are several)", seal.KEY, found.line)
    earlier = history.sealed_copy(path, found.claimed) if history else None
    if history is None or earlier is None:
        return Finding(Kind.BROKEN, path, f"its bytes no longer match its seal {found.claimed[:15]}"
                       "…; no earlier copy says which field changed (keep the store in git)",
                       line=found.line)
    fields = changed_fields(earlier.data, read_file(history.root / path, path))
    return Finding(Kind.BROKEN, path, f"{', '.join(fields)} (compared with the sealed copy in "
                   f"commit {earlier.commit[:10]})", fields[0], commit=earlier.commit)


def changed_fields(before: bytes, after: bytes) -> list[str]:
    """The front-matter keys (and ``body``) whose values differ between two record files."""
    try:
        old, new = (codec.parse(codec.decode_bytes(seal.without(d))) for d in (before, after))
    except IlogError:
        return ["front matter (it no longer reads as a record)"]
    old_meta, new_meta = codec.to_meta(old), codec.to_meta(new)
    keys = [k for k in dict.fromkeys([*old_meta, *new_meta]) if old_meta.get(k) != new_meta.get(k)]
    keys += ["body"] if old.body != new.body else []
    return keys or ["bytes that read the same (spaces, quoting or line ends)"]


class _History:
    """What git's history says of the records below ``folder``."""

    def __init__(self, store: Store, folder: str) -> None:
        self.root = store.root
        self.commit = gitrepo.head(store.root)
        changes = gitrepo.history(store.root, folder,
                                  lambda p: kind(p) in (RECORD, EVENT, OTHER_EVENT))
        self.changes = {path: c for path, c in changes.items() if kind(path) == RECORD}
        self.events = {path: c for path, c in changes.items() if kind(path) != RECORD}
        self.folder = folder

    def sealed_copy(self, path: str, claimed: str) -> SealedCopy | None:
        """A committed version of ``path`` whose seal is ``claimed``."""
        added = [c for c in self.changes.get(path, []) if c.status in "AM"]
        contents = gitrepo.blobs(self.root, list(dict.fromkeys(c.new for c in added)))
        for change in added:
            data = contents[change.new]
            if (seal.check(data).state == SealState.SEALED
                    and seal.digest(seal.without(data)) == claimed):
                return SealedCopy(change.commit, data)
        return None

    def misattributed(self, authors: dict[str, str]) -> list[Finding]:
        """Records whose author is not the git author of the commit that added them."""
        found = []
        for path, author in sorted(authors.items()):
            added = next((c for c in self.changes.get(path, []) if c.status == "A"), None)
            if added is not None and author and not same_person(author, added.author):
                found.append(Finding(Kind.MISATTRIBUTED, path, f"says its author is {author}, but "
                                     f"{added.author} committed it in {added.commit[:10]}",
                                     "author", commit=added.commit))
        return found

    def findings(self, store: Store, buried: set[str]) -> list[Finding]:
        short_buried = {b[:8] for b in buried}
        return (self._replaced() + self._changed() + self._deleted(store)
                + self._uncommitted(store, short_buried) + self._events_changed())

    def _events_changed(self) -> list[Finding]:
        """Event files given another content after they were written: in a commit (two
        contents in history; no blob needs reading) or in the work tree."""
        found = []
        for path, changes in sorted(self.events.items()):
            written = [c for c in changes if c.status in "AM"]
            later = next((c for c in written if c.new != written[0].new), None)
            if later is not None:
                found.append(Finding(Kind.EVENT_CHANGED, path, f"changed in commit "
                                     f"{later.commit[:10]} after it was written; events are "
                                     "never changed (a correction is a new event)",
                                     commit=later.commit))
        found += [Finding(Kind.EVENT_CHANGED, path, f"differs from commit {self.commit[:10]}; "
                          f"events are never changed ('{gitrepo.restore_hint(path)}' brings "
                          "it back)")
                  for path, status in sorted(gitrepo.uncommitted(self.root, self.folder).items())
                  if kind(path) in (EVENT, OTHER_EVENT) and status == "M"]
        return found

    def _replaced(self) -> list[Finding]:
        """``git replace`` makes git show other objects in place of commits or files: a way
        to make history look other than it is. verify reads history without them, and says
        they are there."""
        return [Finding(Kind.REPLACED, f"refs/replace/{name}", f"git shows object {name[:10]} as "
                        "another one; history was read without it ('git replace -d "
                        f"{name[:10]}' removes it)") for name in gitrepo.replaced(self.root)]

    def _deleted(self, store: Store) -> list[Finding]:
        """Every record deleted in history needs a tombstone that proves it: one that reads
        as a tombstone, names the record and gives the SHA-256 of the file as it was last
        committed. A file merely named after the id proves nothing."""
        gone = {path: deleted for path, changes in self.changes.items()
                if (deleted := next((c for c in reversed(changes) if c.status == "D"), None))
                and not (store.root / path).exists()}
        contents = gitrepo.blobs(self.root, list(dict.fromkeys(c.old for c in gone.values())))
        proofs = tombstones.proofs(store)
        found = []
        for path, deleted in sorted(gone.items()):
            data = contents[deleted.old]
            proof = proofs.get(_record_id(data, path))
            if proof is None:
                found.append(Finding(Kind.DELETED, path, f"deleted in commit {deleted.commit[:10]} "
                                     "with no tombstone", commit=deleted.commit))
            elif proof != hashlib.sha256(data).hexdigest():
                found.append(Finding(Kind.FORGED, path, f"deleted in commit {deleted.commit[:10]}; "
                                     "its tombstone does not give the SHA-256 of the file "
                                     "that was deleted (an empty, made-up or copied tombstone)",
                                     commit=deleted.commit))
        return found

    def _changed(self) -> list[Finding]:
        """A finding for each commit that gave a sealed record another content. Only paths
        with more than one content in history are read (a few thousand blobs at a time)."""
        several = {path: [c for c in changes if c.status in "AM"]
                   for path, changes in self.changes.items()
                   if len({c.new for c in changes if c.status in "AM"}) > 1}
        found: list[Finding] = []
        paths = sorted(several)
        for start in range(0, len(paths), gitrepo.BLOBS_AT_ONCE // 2):
            chunk = paths[start:start + gitrepo.BLOBS_AT_ONCE // 2]
            contents = gitrepo.blobs(self.root, list(dict.fromkeys(
                c.new for path in chunk for c in several[path])))
            for path in chunk:
                found += _changes_after_sealing(path, several[path], contents)
        return found

    def _uncommitted(self, store: Store, short_buried: set[str]) -> list[Finding]:
        """Records that differ from HEAD in the work tree: deleted with no tombstone, or
        changed although HEAD's version was sealed and the file's seal still checks (it was
        computed anew: a broken seal is reported by the seal check already)."""
        changed = {p: s for p, s in gitrepo.uncommitted(self.root, self.folder).items()
                   if kind(p) == RECORD}
        resealed = [p for p, s in changed.items() if s == "M" and not (store.root / p).is_symlink()
                    and seal.check(read_file(store.root / p, p)).state == SealState.SEALED]
        head = gitrepo.committed_blobs(self.root, self.folder) if resealed else {}
        committed = {path: head[path] for path in resealed if path in head}
        contents = gitrepo.blobs(self.root, list(committed.values()))
        found = []
        for path, blob in committed.items():
            if seal.check(contents[blob]).state != SealState.SEALED:
                continue  # HEAD's version was not sealed yet: sealing it is no tampering
            fields = changed_fields(contents[blob], read_file(store.root / path, path))
            found.append(Finding(Kind.UNCOMMITTED, path, f"differs from commit {self.commit[:10]}, "
                                 f"where it was sealed already: {', '.join(fields)} changed "
                                 "and the seal was computed anew", fields[0]))
        found += [Finding(Kind.DELETED, path, "deleted in the work tree with no tombstone "
                          f"('{gitrepo.restore_hint(path)}' brings it back)")
                  for path, status in sorted(changed.items()) if status == "D"
                  and short_id_of(Path(path).name) not in short_buried]
        return found


def same_person(author: str, committer: str) -> bool:
    """Whether a record's ``author`` (an address, a name, or "Name <address>") names the git
    author ``committer`` ("Name <address>"); case does not matter."""
    name, _, email = committer.partition(" <")
    known = {name.strip().casefold(), email.rstrip(">").strip().casefold()} - {""}
    said = author.casefold().strip()
    mentioned = {said, *(part.strip(" <>") for part in said.split("<"))}
    return bool(known & mentioned)


def _record_id(data: bytes, path: str) -> str:
    """The id in a record file's front matter (else the short id of its name)."""
    match = re.search(rb"^id: *([0-9a-z_-]+) *$", data, re.MULTILINE)
    return match[1].decode() if match else short_id_of(Path(path).name)


def _changes_after_sealing(path: str, added: list[gitrepo.Change],
                           contents: dict[str, bytes]) -> list[Finding]:
    """A finding for each change of ``path`` after its first sealed content."""
    sealed, found = None, []
    for change in added:
        if sealed is None:
            if seal.check(contents[change.new]).state == SealState.SEALED:
                sealed = change.new
        elif change.new != sealed:
            fields = changed_fields(contents[sealed], contents[change.new])
            found.append(Finding(Kind.CHANGED, path, f"commit {change.commit[:10]} changed it "
                                 f"after it was sealed: {', '.join(fields)}", fields[0],
                                 commit=change.commit))
    return found
