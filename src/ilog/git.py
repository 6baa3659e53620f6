"""A thin wrapper over the git command line; it never edits records."""

from __future__ import annotations

import shutil
import subprocess
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
