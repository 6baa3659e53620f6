"""The application object, global options, and the one place errors become exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from ilog.cli.args import hoist_flags

if TYPE_CHECKING:
    from rich.console import Console

    from ilog.model import Progress
    from ilog.store.layout import Store
    from ilog.views.text import Line


class IlogGroup(TyperGroup):
    """Turns every IlogError into one line on stderr and the error's exit code."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_flags(args))

    def invoke(self, ctx: Any) -> Any:
        from ilog.cli.exits import report

        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except (Exception, KeyboardInterrupt) as exc:
            if state(ctx).debug and not isinstance(exc, KeyboardInterrupt):
                raise
            ctx.exit(report(exc))


app = typer.Typer(
    cls=IlogGroup, no_args_is_help=True, pretty_exceptions_show_locals=False,
    help="Document client interactions as plain Markdown files: calls, meetings, emails, "
         "decisions and next steps.",
)


@dataclass
class State:
    """Global options, available to every command as ``ctx.obj``."""

    store_path: str | None = None
    debug: bool = False
    no_color: bool = False
    no_pager: bool = False
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        if self._store is None:
            from ilog.store.locate import locate

            self._store = locate(self.store_path)
        return self._store

    def out(self) -> Console:
        from ilog.cli.render import console

        return console(no_color=self.no_color)

    def err(self) -> Console:
        from ilog.cli.render import console

        return console(no_color=self.no_color, stderr=True)


def _version(value: bool) -> None:
    if value:
        from ilog import __version__

        typer.echo(f"ilog {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    store: Annotated[Path | None, typer.Option(
        "--store", "-S", help="The store to use (default: $ILOG_STORE, the nearest ilog.toml "
        "above this folder, or your default store).", show_default=False)] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colours (NO_COLOR works "
                                           "too). Global flags may also follow the "
                                           "command.")] = False,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never page long output "
                                           "(PAGER=cat works too).")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Document client interactions as plain Markdown files."""
    ctx.obj = State(store_path=str(store) if store else None, debug=debug, no_color=no_color,
                    no_pager=no_pager)


def state(ctx: typer.Context) -> State:
    return ctx.obj if isinstance(ctx.obj, State) else State()


def run() -> None:
    """Entry point of the console script."""
    app(prog_name="ilog")


JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def show_table(ctx: typer.Context, lines: list[Line]) -> None:
    """Styled lines of a table (see ilog.views.text.Line): plain text when piped, else with their
    styles, cut to the screen's width, through the pager when they do not fit."""
    import sys

    if not sys.stdout.isatty():
        from ilog.views.text import plain

        sys.stdout.write(plain(lines))
        return
    from ilog.cli.output import show
    from ilog.cli.render import cut

    show(state(ctx).out(), cut(lines), pager=not state(ctx).no_pager)


@contextmanager
def progress(ctx: typer.Context, label: str, *, enabled: bool = True) -> Iterator[Progress]:
    """A progress bar on stderr when it is a terminal; else a callback that does nothing
    (and rich is not even imported)."""
    import sys

    if not (enabled and sys.stderr.isatty()):
        yield lambda done, total: None
        return
    from ilog.cli.render import progress_bar

    with progress_bar(state(ctx).err(), label) as advance:
        yield advance
