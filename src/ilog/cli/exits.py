"""How every command ends, in one place: its output shown once (output.emit), an error as
one line on stderr with its exit code, a closed pipe (``ilog ... | head``) quietly, as git
does.

Errors under ``--json`` (docs/json.md): stdout gets nothing but a command's JSON document,
and the error is one JSON line on stderr, ``{"error": {"code": 27, "type": "NotFoundError",
"message": "..."}}``; the exit code is the same as without ``--json``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from ilog.cli import registry
from ilog.cli.output import Output, emit
from ilog.errors import IlogError, StoreError
from ilog.views.text import visible

if TYPE_CHECKING:
    from ilog.cli.session import Session

INTERNAL_ERROR = 1
#: What a process killed by SIGPIPE exits with (128 + 13), as git does when its reader quits.
BROKEN_PIPE = 141
INTERRUPTED = 130


def finish(session: Session, run: Callable[[Session], Any]) -> Any:
    """Run one command (``run``: typer's invocation of its function) and show the Output it
    returns; a failure ends as one line on stderr and ``typer.Exit`` with its code. What is
    not an Output passes through (a group whose subcommand has finished already)."""
    as_json = bool(session.params.get("as_json"))
    try:
        return _run(session, run, as_json)
    finally:
        session.end()


def _run(session: Session, run: Callable[[Session], Any], as_json: bool) -> Any:
    try:
        output = run(session)
        if not isinstance(output, Output):
            return output
        try:
            emit(session, output, as_json=as_json)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            done = f"; {output.done}" if output.done else ""
            raise StoreError(f"cannot write the output: {exc.strerror or exc}{done}") from None
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise
    except BrokenPipeError:
        raise typer.Exit(quiet_broken_pipe()) from None
    except (Exception, KeyboardInterrupt) as exc:
        if session.debug and not isinstance(exc, KeyboardInterrupt):
            raise
        raise typer.Exit(report(exc, as_json=as_json)) from None
    _sync_automatically(session)
    return None


def _sync_automatically(session: Session) -> None:
    """With ``[sync] auto = true`` in the store's settings: after a command that wrote the
    store, commit what it wrote at once and sync in the background (docs/sync.md). A failure
    is a warning: the command itself succeeded."""
    command = registry.named(session.command_path)
    if command is None or not command.writes:
        return
    try:
        store = session.store(create=False)
        if not store.config.sync_auto:
            return
        from ilog.ops.sync import sync  # only after a write, with [sync] auto

        if sync(store, exchange=False).remote:  # committed now; the rest in the background
            from ilog.cli import background  # it imports subprocess

            background.sync(store.root)
    except IlogError as exc:
        sys.stderr.write(f"ilog: warning: [sync] auto could not commit: {visible(str(exc))}\n")


def quiet_broken_pipe() -> int:
    """The reader of stdout went away: say nothing, and keep Python from complaining when
    it flushes stdout on exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return BROKEN_PIPE


def report(exc: BaseException, *, as_json: bool = False) -> int:
    """Write the one-line message for ``exc`` on stderr; return the exit code."""
    if isinstance(exc, IlogError):
        code, message = exc.exit_code, str(exc)
    elif isinstance(exc, KeyboardInterrupt):
        code, message = INTERRUPTED, "interrupted"
    else:
        code, message = INTERNAL_ERROR, (f"internal error: {type(exc).__name__}: {exc} (run "
                                         "with --debug for details, and please report it)")
    if as_json:
        error = {"code": code, "type": type(exc).__name__, "message": message}
        import json  # only for an error under --json

        sys.stderr.write(json.dumps({"error": error}, ensure_ascii=False) + "\n")
    else:
        sys.stderr.write(f"ilog: {visible(message)}\n")
    return code
