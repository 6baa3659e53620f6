"""The whole typer application: importing the command modules registers their commands."""

from __future__ import annotations

from ilog.cli import capture, evidence, export, find, meeting, records, stores  # noqa: F401
from ilog.cli.app import app, run

__all__ = ["app", "run"]
