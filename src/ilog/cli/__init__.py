"""The typer application: parses arguments, calls the core, renders the result."""

from __future__ import annotations

# The command modules register their commands with the app when imported.
from ilog.cli import (  # noqa: F401
    actions,
    capture,
    evidence,
    export,
    find,
    history,
    inspect,
    setup,
)
from ilog.cli.app import app, run

__all__ = ["app", "run"]
