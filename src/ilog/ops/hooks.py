"""``ilog hooks install``: git hooks that keep a clone in step without ``ilog sync``.

- ``pre-commit`` runs ``ilog check --staged``: a commit with a broken record, event or
  profile is refused, naming the problem.
- ``post-merge`` and ``post-rewrite`` (after ``git pull``, with or without rebase) bring the
  search index up to date with what came in.

Each hook names the Python that runs ilog and the store, and carries a marker line; a hook
of someone else's (no marker) is never overwritten: it is reported and left alone.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ilog.errors import GitError
from ilog.ops.search import build_command
from ilog.store import atomic, gitrepo
from ilog.store.layout import Store

MARKER = "# installed by 'ilog hooks install'"
#: The hooks ilog installs: pre-commit, then the two that run after a pull.
HOOKS = ("pre-commit", "post-merge", "post-rewrite")


@dataclass
class HooksReport:
    installed: list[str] = field(default_factory=list)
    #: Hooks that were there already and are not ilog's.
    left_alone: list[str] = field(default_factory=list)


def install(store: Store) -> HooksReport:
    """Write ilog's hooks into the repository's hooks folder (``core.hooksPath`` if set)."""
    folder = _hooks_folder(store)
    atomic.make_dirs(folder)
    ilog = f"{shlex.quote(sys.executable)} -m ilog --store {shlex.quote(str(store.root))}"
    refresh = shlex.join(build_command(store.root))
    scripts = (f"exec {ilog} check --staged", f"{refresh} || true", f"{refresh} || true")
    report = HooksReport()
    for name, command in zip(HOOKS, scripts, strict=True):
        path = folder / name
        if path.exists() and MARKER not in path.read_text(encoding="utf-8", errors="replace"):
            report.left_alone.append(name)
            continue
        atomic.replace_file(path, f"#!/bin/sh\n{MARKER}\n{command}\n".encode())
        path.chmod(0o755)
        report.installed.append(name)
    return report


def uninstall(store: Store) -> HooksReport:
    """Remove the hooks ilog installed (``installed`` then lists what was removed); others'
    hooks are left alone."""
    folder, report = _hooks_folder(store), HooksReport()
    for name in HOOKS:
        path = folder / name
        if not path.is_file() or path.is_symlink():
            continue
        if MARKER in path.read_text(encoding="utf-8", errors="replace"):
            atomic.remove(path)
            report.installed.append(name)
        else:
            report.left_alone.append(name)
    return report


def _hooks_folder(store: Store) -> Path:
    if not gitrepo.is_repository(store.root):
        raise GitError(f"{store.root} is not a git repository; 'git init' makes it one")
    folder = Path(gitrepo.run(store.root, "rev-parse", "--git-path", "hooks").strip())
    return folder if folder.is_absolute() else store.root / folder
