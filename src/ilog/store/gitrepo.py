"""Every call ilog makes to git, through its command line (the real git, as a team's other
tools use it). It never edits a record. Failures are :class:`GitError` with a message that
says what is wrong: git missing, no repository, no commits yet, or git's own last line.

Besides what verify and the audit pack read (history, blobs, HEAD), it offers what a sync
needs: status, add, commit, pull with rebase (and abort), push, branches and remotes.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ilog.errors import GitError

#: Blobs read by one ``git cat-file`` process (bounds the memory a big history needs).
BLOBS_AT_ONCE = 4000


def restore_hint(path: str) -> str:
    """The command that puts back the last commit's copy of ``path`` in both the work tree
    and the index (``git checkout FILE`` takes the index's: a staged bad copy stays)."""
    return f"git restore --source=HEAD --staged --worktree -- {shlex.quote(path)}"


def available() -> bool:
    return shutil.which("git") is not None


def _git(root: Path, *args: str, input: bytes | None = None,
         check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """``git -C ROOT ARGS...`` (the one place ilog starts git); GitError when it fails."""
    if not available():
        raise GitError("git is not installed (or not on PATH); install git to use it with "
                       "ilog")
    result = subprocess.run(["git", "--no-replace-objects", "-C", str(root), *args],
                            input=input, capture_output=True, check=False)
    if check and result.returncode != 0:
        message = (result.stderr.decode("utf-8", "replace").strip().splitlines()
                   or ["failed"])[-1]
        raise GitError(f"git {args[0]} in {root}: {message}")
    return result


def lines(root: Path, *args: str) -> Iterator[str]:
    """git's stdout a line at a time, as git writes it (for output too big to hold whole);
    GitError if it fails."""
    if not available():
        raise GitError("git is not installed (or not on PATH); install git to use it with "
                       "ilog")
    with tempfile.TemporaryFile() as errors, subprocess.Popen(
            ["git", "--no-replace-objects", "-C", str(root), *args], stdout=subprocess.PIPE,
            stderr=errors, encoding="utf-8", errors="surrogateescape") as process:
        assert process.stdout is not None
        yield from (line.rstrip("\n") for line in process.stdout)
        if process.wait() != 0:
            errors.seek(0)
            message = (errors.read().decode("utf-8", "replace").strip().splitlines()
                       or ["failed"])[-1]
            raise GitError(f"git {args[0]} in {root}: {message}")


def run(root: Path, *args: str) -> str:
    """git's stdout as text (GitError if it fails)."""
    return _git(root, *args).stdout.decode("utf-8", "surrogateescape")


def succeeds(root: Path, *args: str) -> bool:
    """Whether git exits 0 (False without git)."""
    return available() and _git(root, *args, check=False).returncode == 0


# -- the repository -------------------------------------------------------------------------

def is_repository(root: Path) -> bool:
    """Whether ``root`` is inside a git work tree."""
    return run_quietly(root, "rev-parse", "--is-inside-work-tree") == "true"


def work_tree(root: Path) -> bool:
    """Whether ``root`` is inside a git work tree with at least one commit."""
    return succeeds(root, "rev-parse", "--verify", "-q", "HEAD")


def require_commits(root: Path) -> None:
    """GitError unless ``root`` is a repository with at least one commit."""
    if not is_repository(root):
        raise GitError(f"{root} is not a git repository; 'git init' makes it one")
    if not work_tree(root):
        raise GitError(f"the git repository at {root} has no commits yet; commit once "
                       "(git add -A && git commit -m start), then try again")


def init(root: Path) -> None:
    run(root, "init", "--quiet")


def set_config(root: Path, key: str, value: str) -> None:
    """Set ``key`` in the repository's own config (``.git/config``: never the user's)."""
    _git(root, "config", "--local", key, value)


def config_value(key: str, root: Path) -> str:
    """``git config --get KEY`` as git reads it in ``root`` ("" if unset or without git)."""
    return run_quietly(root, "config", "--get", key)


def run_quietly(root: Path, *args: str) -> str:
    """git's stdout, stripped; "" if git is missing or fails."""
    if not available():
        return ""
    result = _git(root, *args, check=False)
    return result.stdout.decode("utf-8", "replace").strip() if result.returncode == 0 else ""


def head(root: Path) -> str:
    return run(root, "rev-parse", "HEAD").strip()


def current_branch(root: Path) -> str | None:
    """The branch checked out; None on a detached HEAD."""
    return run_quietly(root, "symbolic-ref", "--quiet", "--short", "HEAD") or None


def upstream(root: Path) -> str | None:
    """The branch's upstream (``origin/main``); None if it has none."""
    return run_quietly(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}") or None


def remotes(root: Path) -> list[str]:
    return run_quietly(root, "remote").split()


def replaced(root: Path) -> list[str]:
    """Objects swapped for others with ``git replace`` (ilog reads history without them:
    every git call passes --no-replace-objects)."""
    out = run_quietly(root, "for-each-ref", "--format=%(refname:strip=2)", "refs/replace/")
    return out.split()


# -- the work tree and the index -------------------------------------------------------------

@dataclass(frozen=True)
class Status:
    """One path of ``git status``: its two-letter code (``??`` untracked, `` M`` changed in
    the work tree, ``UU`` unmerged...) and its path relative to the repository."""

    code: str
    path: str

    @property
    def unmerged(self) -> bool:
        return "U" in self.code or self.code in ("AA", "DD")


def status(root: Path, *paths: str) -> list[Status]:
    """What differs from HEAD (below ``paths``, if given), untracked files included."""
    out = run(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--",
              *paths)
    entries, fields = [], out.split("\0")
    position = 0
    while position < len(fields) and fields[position]:
        code, path = fields[position][:2], fields[position][3:]
        entries.append(Status(code, path))
        position += 2 if code[0] in "RC" else 1  # a rename is followed by its old path
    return entries


def staged_files(root: Path) -> list[Path]:
    """Files added, copied, modified or renamed in git's index (what a commit would hold)."""
    out = run(root, "diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z", "--relative")
    return [root / name for name in out.split("\0") if name]


def add(root: Path, paths: list[str]) -> None:
    """Stage ``paths`` (new, changed or deleted), each the file it names: a name with glob
    characters or pathspec magic in someone's clone stages nothing else."""
    if paths:
        _git(root, "--literal-pathspecs", "add", "--all", "--", *paths)


def commit(root: Path, message: str) -> str:
    """Commit what is staged; the new commit's id."""
    _git(root, "commit", "--quiet", "--file=-", input=message.encode("utf-8"))
    return head(root)


def rebase_in_progress(root: Path) -> bool:
    git_dir = Path(run(root, "rev-parse", "--absolute-git-dir").strip())
    return (git_dir / "rebase-merge").is_dir() or (git_dir / "rebase-apply").is_dir()


def fetch(root: Path, remote: str) -> None:
    _git(root, "fetch", "--quiet", remote)


def has_ref(root: Path, ref: str) -> bool:
    """Whether ``ref`` (``origin/main``) names a commit."""
    return succeeds(root, "rev-parse", "-q", "--verify", f"{ref}^{{commit}}")


def pull_rebase(root: Path, remote: str, branch: str, *, fetched: bool = False) -> None:
    """Fetch ``remote`` (unless ``fetched``) and replay local commits on ``remote/branch``.
    If the rebase stops (a conflict), it is aborted, the repository is as before, and
    GitError says so."""
    if not fetched:
        fetch(root, remote)
    result = _git(root, "rebase", "--quiet", f"{remote}/{branch}", check=False)
    if result.returncode != 0:
        if rebase_in_progress(root):
            abort_rebase(root)
        message = (result.stderr.decode("utf-8", "replace").strip().splitlines()
                   or ["failed"])[-1]
        raise GitError(f"git rebase onto {remote}/{branch} in {root} stopped ({message}); "
                       "it was undone, nothing changed")


def abort_rebase(root: Path) -> None:
    _git(root, "rebase", "--abort")


def push(root: Path, remote: str, branch: str, *, set_upstream: bool = False) -> None:
    """Push ``branch``; GitError if the remote refused (it moved on: pull first)."""
    _git(root, "push", "--quiet", *(["--set-upstream"] if set_upstream else []), remote,
         f"{branch}:{branch}")


# -- history (verify, audit packs) -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Change:
    """One commit's change to one file: ``status`` is A, M or D; blobs are hex ids."""

    commit: str
    when: int
    status: str
    old: str
    new: str
    #: The commit's author: "Name <email>".
    author: str = ""


def history(root: Path, folder: str,
            keep: Callable[[str], bool] = lambda _path: True) -> dict[str, list[Change]]:
    """Path -> every change to it below ``folder`` in every commit of every ref (so a
    teammate's fetched branch counts too), oldest first; only the paths ``keep`` keeps
    (git's output is read a line at a time: at 100k records, a list of its lines and the
    changes of every file took 280 MB)."""
    found: dict[str, list[Change]] = {}
    commit_id, when, author = "", 0, ""
    for line in lines(root, "log", "--all", "--reverse", "--no-renames", "--raw",
                      "--no-abbrev", "--format=%x00%H %ct %an <%ae>", "--", folder):
        if line.startswith("\0"):
            commit_id, stamp, author = line[1:].split(" ", 2)
            when = int(stamp)
        elif line.startswith(":"):
            meta, _, path = line.partition("\t")
            if keep(path):
                _, _, old, new, state = meta.split()
                found.setdefault(path, []).append(Change(commit_id, when, state[0], old, new,
                                                         author))
    return found


def blobs(root: Path, ids: list[str]) -> dict[str, bytes]:
    """The content of each blob (git cat-file --batch, a few thousand blobs a process)."""
    found: dict[str, bytes] = {}
    for start in range(0, len(ids), BLOBS_AT_ONCE):
        found.update(_blobs(root, ids[start:start + BLOBS_AT_ONCE]))
    return found


def _blobs(root: Path, ids: list[str]) -> dict[str, bytes]:
    if not ids:
        return {}
    request = "".join(f"{blob}\n" for blob in ids).encode()
    data = _git(root, "cat-file", "--batch", input=request).stdout
    found, position = {}, 0
    for blob in ids:
        header_end = data.index(b"\n", position)
        size = int(data[position:header_end].split()[2])
        found[blob] = data[header_end + 1:header_end + 1 + size]
        position = header_end + 1 + size + 1
    return found


def uncommitted(root: Path, folder: str) -> dict[str, str]:
    """Tracked files below ``folder`` that differ from HEAD in the work tree: path -> M or D."""
    out = run(root, "diff", "--no-renames", "--name-status", "-z", "HEAD", "--", folder)
    fields = out.split("\0")
    return {path: state[0] for state, path in zip(fields[::2], fields[1::2], strict=False)
            if path}


def committed_blobs(root: Path, folder: str) -> dict[str, str]:
    """Path -> the id of its blob in HEAD, for every file below ``folder``."""
    out = run(root, "ls-tree", "-r", "-z", "HEAD", "--", folder)
    found = {}
    for entry in out.split("\0"):
        if entry:
            meta, _, path = entry.partition("\t")
            found[path] = meta.split()[2]
    return found
