"""``ilog sync``: commit what ilog wrote, pull with rebase, push, catch the caches up.

Only ilog's own files are ever staged (records, completion events and profiles under
``clients/``, tombstones, ``templates/*.md`` and what ``ilog init`` writes); anything else
in the work tree is left as it is and named. A rebase that stops is undone (gitrepo.py), so
the repository is never left half-way; a push the remote refused because it moved on is
retried after another pull.
"""

from __future__ import annotations

import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ilog.derived import clientcache
from ilog.errors import GitError, IlogError
from ilog.fileformat import codec
from ilog.model import HOLD, RELEASE, StepEventKind
from ilog.ops.search import forget_deleted, refresh
from ilog.store import atomic, gitrepo
from ilog.store.events import kind_of
from ilog.store.layout import (
    ATTACHMENT,
    EVENT,
    OTHER_EVENT,
    PROFILE_KIND,
    RECORD,
    TOMBSTONES,
    Store,
    kind,
)
from ilog.store.locate import GITATTRIBUTES, append_missing
from ilog.store.profilemerge import DRIVER
from ilog.store.reading import read_file

#: How often a push the remote refused (it moved on meanwhile) is tried again.
PUSH_TRIES = 3
_TOMBSTONE = re.compile(rf"^{TOMBSTONES}/[0-9]{{4}}/[^/]+\.yaml$")
_TEMPLATE = re.compile(r"^templates/[^/]+\.md$")
_SETTINGS = ("ilog.toml", ".gitignore", ".gitattributes", "clients/.gitkeep")
#: How many records a commit message names before it says "...".
NAMED = 3


@dataclass
class SyncReport:
    """What a sync did (or, with ``dry_run``, would do)."""

    dry_run: bool = False
    #: The commit made ("" if there was nothing of ilog's to commit).
    commit: str = ""
    message: str = ""
    #: The files of ilog's that went (or would go) into the commit.
    sent: list[str] = field(default_factory=list)
    #: Changed files that are not ilog's: never staged, never touched.
    left_alone: list[str] = field(default_factory=list)
    remote: str = ""
    branch: str = ""
    #: Commits that came in from the remote, and ilog's files they changed.
    received_commits: int = 0
    received: list[str] = field(default_factory=list)
    #: Whether what came in deleted records (an erasure or purge elsewhere).
    received_deletions: bool = False
    pushed: bool = False
    upstream_set: bool = False


def sync(store: Store, *, push: bool = True, dry_run: bool = False,
         exchange: bool = True) -> SyncReport:
    """Commit ilog's changes, pull (rebase) and push (unless not ``exchange``: commit only);
    GitError says what stops it."""
    root = store.root
    changed = _ready(root)
    if not dry_run:
        _register_profile_merges(root)
    prefix = gitrepo.run(root, "rev-parse", "--show-prefix").strip()
    report = SyncReport(dry_run=dry_run, branch=gitrepo.current_branch(root) or "")
    for entry in changed:
        path = entry.path.removeprefix(prefix)
        (report.sent if ours(path) else report.left_alone).append(path)
    report.message = commit_message(store, report.sent)
    report.remote = _remote(root)
    if dry_run:
        return report
    if report.sent:
        gitrepo.add(root, report.sent)
        report.commit = gitrepo.commit(root, report.message)
    if report.remote and exchange:
        _exchange(store, report, push=push)
    if report.received:
        _catch_up(store, deletions=report.received_deletions)
    return report


def _catch_up(store: Store, *, deletions: bool) -> None:
    """Bring the index and caches up to date with what came in; after a pulled erasure or
    purge, rewrite the index so that no erased word stays in its files."""

    if deletions:
        forget_deleted(store, done="the sync pulled deletions", again="ilog reindex")
    else:
        refresh(store)
        clientcache.summaries(store)


def ours(path: str) -> bool:
    """Whether ``path`` (relative to the store, POSIX style) is a file ilog writes."""
    return (kind(path) in (RECORD, EVENT, OTHER_EVENT, ATTACHMENT, PROFILE_KIND)
            or bool(_TOMBSTONE.match(path))
            or bool(_TEMPLATE.match(path)) or path in _SETTINGS)


def commit_message(store: Store, paths: list[str]) -> str:
    """``ilog: 3 records (acme-corp call "Quarterly review", ...), 2 steps done`` for the
    files ``paths`` (relative to the store)."""
    records = [p for p in paths if kind(p) == RECORD and (store.root / p).exists()]
    events = [Path(p).name for p in paths if kind(p) == EVENT]
    parts = []
    if records:
        named = [_record_name(store, p) for p in records[:NAMED]]
        more = ", ..." if len(records) > NAMED else ""
        parts.append(f"{_counted(len(records), 'record')} ({', '.join(named)}{more})")
    for event in StepEventKind:
        number = sum(kind_of(name) == event for name in events)
        if number:
            parts.append(f"{_counted(number, 'step')} {event.verb}")
    others = [Path(p).name for p in paths if kind(p) == OTHER_EVENT]
    files = sum(kind(p) == ATTACHMENT for p in paths)
    for number, noun in ((sum(kind_of(n) == HOLD for n in others), "hold"),
                         (sum(kind_of(n) == RELEASE for n in others), "hold release"),
                         (files, "attached file")):
        if number:
            parts.append(_counted(number, noun))
    profiles = sorted(p.split("/")[1] for p in paths if kind(p) == PROFILE_KIND)
    if profiles:
        parts.append(f"{_counted(len(profiles), 'client profile')} ({', '.join(profiles)})")
    gone = sum(1 for p in paths if _TOMBSTONE.match(p))
    if gone:
        parts.append(f"{_counted(gone, 'record')} deleted (tombstones)")
    settings = [p for p in paths if p in _SETTINGS or _TEMPLATE.match(p)]
    if settings:
        parts.append(f"store settings ({', '.join(settings)})")
    rest = (len(paths) - len(records) - len(events) - len(others) - files - len(profiles)
            - gone - len(settings))
    if rest:
        parts.append(f"{_counted(rest, 'other file')}")
    return "ilog: " + ", ".join(parts) if parts else ""


def _record_name(store: Store, path: str) -> str:
    """``client type "title"`` of a record file (its file name if it cannot be read)."""
    try:
        record = codec.parse(codec.decode_bytes(read_file(store.root / path, path)), path=path)
    except (IlogError, OSError):
        return Path(path).name
    title = "".join(ch if ch.isprintable() else " " for ch in record.title).replace('"', "'")
    return f'{record.client} {record.type} "{title}"' if title else \
        f"{record.client} {record.type}"


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _ready(root: Path) -> list[gitrepo.Status]:
    """What differs from HEAD (git status), if a sync can start: a repository (a new one gets
    its first commit), on a branch, with no rebase or merge under way, nothing unmerged and
    nothing but ilog's files staged; else GitError says what to do."""
    if not gitrepo.is_repository(root):
        raise GitError(f"{root} is not a git repository; 'git init' makes it one (and 'git "
                       "remote add origin URL' shares it), then sync")
    if gitrepo.current_branch(root) is None:
        raise GitError("HEAD is detached (a commit is checked out, not a branch): 'git switch "
                       "BRANCH' (e.g. main) first, then sync")
    if gitrepo.rebase_in_progress(root):
        raise GitError("a rebase is under way in this repository: finish it ('git rebase "
                       "--continue') or undo it ('git rebase --abort'), then sync")
    if gitrepo.succeeds(root, "rev-parse", "-q", "--verify", "MERGE_HEAD"):
        raise GitError("a merge is under way in this repository: finish it ('git commit') or "
                       "undo it ('git merge --abort'), then sync")
    changed = gitrepo.status(root, ".")
    unmerged = [s.path for s in changed if s.unmerged]
    if unmerged:
        raise GitError(f"{unmerged[0]} has unresolved conflicts; resolve them (or 'git "
                       "checkout --theirs/--ours FILE'), 'git add' it, then sync")
    staged = [p.relative_to(root).as_posix() for p in gitrepo.staged_files(root)]
    foreign = [p for p in staged if not ours(p)]
    if foreign:
        raise GitError(f"git's index holds staged changes that are not ilog's ({foreign[0]}"
                       f"{' and more' if len(foreign) > 1 else ''}); commit them yourself or "
                       "unstage them ('git restore --staged FILE'), then sync")
    return changed


def _register_profile_merges(root: Path) -> None:
    """Route client profiles to ilog's merge driver (store/profilemerge.py): the line in
    ``.gitattributes`` (committed with the sync, so every clone has it) and the driver in
    this clone's git config (naming this Python, so it is set again at every sync)."""
    attributes = root / ".gitattributes"
    if attributes.exists():
        append_missing(attributes, GITATTRIBUTES)
    else:
        atomic.create_file(attributes, GITATTRIBUTES.encode("utf-8"))
    gitrepo.set_config(root, f"merge.{DRIVER}.name", "ilog client profiles")
    gitrepo.set_config(root, f"merge.{DRIVER}.driver", f"{shlex.quote(sys.executable)} -m "
                       "ilog.store.profilemerge %O %A %B")


def _remote(root: Path) -> str:
    """The remote to sync with: the branch's upstream's, else origin, else the only one."""
    upstream = gitrepo.upstream(root)
    if upstream and "/" in upstream:
        return upstream.split("/", 1)[0]
    names = gitrepo.remotes(root)
    return "origin" if "origin" in names else names[0] if len(names) == 1 else ""


def _exchange(store: Store, report: SyncReport, *, push: bool) -> None:
    """Pull (rebase) what the remote has, then push; a refused push is tried again after
    another pull."""
    root, remote, branch = store.root, report.remote, report.branch
    for attempt in range(PUSH_TRIES):
        gitrepo.fetch(root, remote)
        if gitrepo.has_ref(root, f"{remote}/{branch}"):
            _receive(store, report)
        if not push:
            return
        first = gitrepo.upstream(root) is None
        if not first and gitrepo.has_ref(root, f"{remote}/{branch}") and not int(
                gitrepo.run(root, "rev-list", "--count", f"{remote}/{branch}..HEAD").strip()):
            return  # nothing to push
        try:
            gitrepo.push(root, remote, branch, set_upstream=first)
        except GitError:
            if attempt + 1 == PUSH_TRIES:
                raise
            continue
        report.upstream_set, report.pushed = first, True
        return


def _receive(store: Store, report: SyncReport) -> None:
    """Rebase on what the remote has; note what came in."""
    root, ref = store.root, f"{report.remote}/{report.branch}"
    incoming = int(gitrepo.run(root, "rev-list", "--count", f"HEAD..{ref}").strip() or 0)
    if not incoming:
        return
    fields = gitrepo.run(root, "diff", "--name-status", "--no-renames", "--relative", "-z",
                         f"HEAD...{ref}").split("\0")
    changed = list(zip(fields[::2], fields[1::2], strict=False))
    try:
        gitrepo.pull_rebase(root, report.remote, report.branch, fetched=True)
    except GitError as exc:
        kept = f"your commit {report.commit[:10]} is kept; " if report.commit else ""
        raise GitError(f"{exc}. {kept}The same file was changed here and in {ref}: merge by "
                       f"hand with 'git pull --rebase {report.remote} {report.branch}', "
                       "resolve the files git names, 'git add' them, 'git rebase "
                       "--continue', then 'ilog sync' (docs/sync.md)") from None
    report.received_commits += incoming
    report.received += [p for _, p in changed if p and ours(p) and p not in report.received]
    report.received_deletions = report.received_deletions or any(
        (state == "D" and kind(path) == RECORD) or bool(_TOMBSTONE.match(path))
        for state, path in changed)
