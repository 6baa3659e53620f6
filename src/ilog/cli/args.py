"""The command line's global flags, known without typer (the typer app and the fast path of
historyrun.py both use them)."""

from __future__ import annotations

#: Global flags that may also be given after the command (``ilog history acme --no-color``).
ANYWHERE_FLAGS = ("--no-color", "--no-pager", "--debug")


def hoist_flags(args: list[str]) -> list[str]:
    """The global flags among ``args`` moved to the front (none after a ``--``)."""
    end = args.index("--") if "--" in args else len(args)
    flags = [a for a in args[:end] if a in ANYWHERE_FLAGS]
    return flags + [a for a in args[:end] if a not in ANYWHERE_FLAGS] + args[end:]
