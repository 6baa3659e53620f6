"""Running the user's editor on a file, the way git does."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from ilog.errors import EditorError

_FALLBACKS = ("editor", "nano", "vi")


def editor_command() -> list[str]:
    """``$VISUAL``, then ``$EDITOR``, then a sane fallback when on a terminal."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            return shlex.split(value)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise EditorError("no editor: set $EDITOR, or use --no-edit or --stdin")
    for name in _FALLBACKS:
        if shutil.which(name):
            return [name]
    raise EditorError("no editor found: set $EDITOR (e.g. export EDITOR=nano)")


def run_editor(path: Path) -> None:
    """Open ``path`` in the editor and wait; raise EditorError if it fails."""
    command = [*editor_command(), str(path)]
    try:
        result = subprocess.run(command, check=False)
    except OSError as exc:
        raise EditorError(f"cannot start the editor '{command[0]}': {exc.strerror}; "
                          "check $VISUAL / $EDITOR") from None
    if result.returncode != 0:
        raise EditorError(f"the editor '{command[0]}' exited with status {result.returncode}")
