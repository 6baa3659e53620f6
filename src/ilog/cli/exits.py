"""How a failed command ends: one line on stderr and an exit code (both entry points, typer's
and the fast path of historyrun.py, end here)."""

from __future__ import annotations

import sys

from ilog.errors import IlogError

INTERNAL_ERROR = 1
INTERRUPTED = 130


def report(exc: BaseException) -> int:
    """Write the one-line message for ``exc`` on stderr; return the exit code."""
    if isinstance(exc, IlogError):
        sys.stderr.write(f"ilog: {exc}\n")
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        sys.stderr.write("ilog: interrupted\n")
        return INTERRUPTED
    sys.stderr.write(f"ilog: internal error: {type(exc).__name__}: {exc} (run with --debug "
                     "for details, and please report it)\n")
    return INTERNAL_ERROR
