"""Declarations several commands share, as typer reads them (``Annotated[bool, JSON]``)."""

from __future__ import annotations

import typer

from ilog.cli.completion import complete_records

#: A repeatable option's values (None when it was not given).
Many = list[str] | None

JSON = typer.Option("--json", help="Print the result as JSON (docs/json.md).")
RECORD_ID = typer.Argument(
    metavar="ID", help="A record id (any unique prefix, 4+ characters) or the record file's "
    "path.", autocompletion=complete_records, show_default=False)
MINE = typer.Option("--mine", help="Only my steps (user config 'owner', else your identity "
                    "before any @).")
