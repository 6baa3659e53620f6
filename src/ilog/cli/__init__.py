"""The typer application: parses arguments, calls the core, renders the result."""

from __future__ import annotations

from ilog.cli import actions, capture, evidence, find, history, inspect, setup  # noqa: F401  (they register their commands)
from ilog.cli.app import app, run

__all__ = ["app", "run"]
