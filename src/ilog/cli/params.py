"""Declarations several commands share, as typer reads them (``Annotated[bool, JSON]``)."""

from __future__ import annotations

from pathlib import Path

import typer

from ilog.cli.completion import (
    complete_clients,
    complete_done_steps,
    complete_open_steps,
    complete_records,
    complete_types,
)

#: A repeatable option's values (None when it was not given).
Many = list[str] | None


def at_home(value: Path | list[Path] | None) -> Path | list[Path] | None:
    """A path as the user meant it: a ``~`` the shell left (``--out=~/pack``, a quoted
    ``"~/x"``) is the home folder. The ``callback`` of every option and argument that takes
    a path (tests/test_entry.py checks that each has it)."""
    if isinstance(value, list):
        return [path.expanduser() for path in value]
    return value.expanduser() if value is not None else None


JSON = typer.Option("--json", help="Print the result as JSON (docs/json.md).")
RECORD_ID = typer.Argument(
    metavar="ID", help="A record id (any unique prefix, 4+ characters) or the record file's "
    "path.", autocompletion=complete_records, show_default=False)
CLIENT = typer.Argument(metavar="CLIENT", help="Client name, alias or unique prefix.",
                        autocompletion=complete_clients, show_default=False)
ONLY_CLIENT = typer.Option("--client", "-c", help="Only this client.",
                           autocompletion=complete_clients)
ONLY_TYPES = typer.Option("--type", "-t", help="Only this record type; repeat for several.",
                          autocompletion=complete_types)
ONLY_OWNER = typer.Option("--owner", "-o", help="Only steps owned by this name.")
MINE = typer.Option("--mine", help="Only my steps (user config 'owner', else your identity "
                    "before any @).")
_STEP_HELP = "A next step's id (any unique prefix, 4+ characters)."
OPEN_STEP = typer.Argument(metavar="ACTION_ID", help=_STEP_HELP,
                           autocompletion=complete_open_steps, show_default=False)
DONE_STEP = typer.Argument(metavar="ACTION_ID", help=_STEP_HELP,
                           autocompletion=complete_done_steps, show_default=False)
