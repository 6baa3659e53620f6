"""A thin wrapper over the git command line; it never edits records."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ilog.errors import StoreError


def run(root: Path, *args: str) -> str:
    """``git -C ROOT ARGS...``; its stdout, or StoreError with git's own message."""
    if not shutil.which("git"):
        raise StoreError("git is not installed (or not on PATH)")
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        message = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise StoreError(f"git {args[0]} in {root}: {message}")
    return result.stdout


def staged_files(root: Path) -> list[Path]:
    """Files added, copied, modified or renamed in git's index (what a commit would hold)."""
    out = run(root, "diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z", "--relative")
    return [root / name for name in out.split("\0") if name]


def work_tree(root: Path) -> bool:
    """Whether ``root`` is inside a git work tree with at least one commit."""
    if not shutil.which("git"):
        return False
    result = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "-q", "HEAD"],
                            capture_output=True, text=True, check=False)
    return result.returncode == 0


def head(root: Path) -> str:
    return run(root, "rev-parse", "HEAD").strip()


@dataclass(frozen=True)
class Change:
    """One commit's change to one file: ``status`` is A, M or D; blobs are hex ids."""

    commit: str
    when: int
    status: str
    old: str
    new: str


def history(root: Path, folder: str) -> dict[str, list[Change]]:
    """Path -> every change to it below ``folder`` in every commit of every ref (so a
    teammate's fetched branch counts too), oldest first."""
    out = run(root, "log", "--all", "--reverse", "--no-renames", "--raw", "--no-abbrev",
              "--format=%x00%H %ct", "--", folder)
    found: dict[str, list[Change]] = {}
    commit, when = "", 0
    for line in out.splitlines():
        if line.startswith("\0"):
            commit, stamp = line[1:].split()
            when = int(stamp)
        elif line.startswith(":"):
            meta, _, path = line.partition("\t")
            _, _, old, new, status = meta.split()
            found.setdefault(path, []).append(Change(commit, when, status[0], old, new))
    return found


#: Blobs read by one ``git cat-file`` process (bounds the memory a big history needs).
BLOBS_AT_ONCE = 4000


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
    data = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input=request,
                          capture_output=True, check=True).stdout
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
    return {path: status[0] for status, path in zip(fields[::2], fields[1::2], strict=False)
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
