"""Processes that outlive the command that starts them: the sync after a write with
``[sync] auto`` and the index build of a fresh clone's first search. Only the front end
starts them (the core says when one is wanted), each in a session of its own with nothing to
read and nowhere to write, so a closed terminal never stops it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def start(command: list[str]) -> None:
    """Start ``command`` detached; a failure to start it is no error of the command."""
    try:
        subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        sys.stderr.write(f"ilog: warning: could not start {command[0]}: {exc.strerror}\n")


def sync(root: Path) -> None:
    """``ilog --store ROOT sync`` in the background."""
    start([sys.executable, "-m", "ilog", "--store", str(root), "sync"])
