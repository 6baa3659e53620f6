"""The command line: one typer application, whose commands are imported when they run.

The root is click's documented lazy group: it knows every command's words from
cli/registry.py and imports a command's module only when that command runs or its help is
shown, so ``ilog history CLIENT`` imports one command module, not eight. Every command is
typer's, declared in its own signature; :class:`Command` runs it and shows what it returns
(cli/exits.py). Global flags may also follow the command (``ilog history acme --no-color``).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from ilog import __version__
from ilog.cli import registry
from ilog.cli.exits import finish, report
from ilog.cli.params import at_home
from ilog.cli.session import GlobalOptions, Session
from ilog.errors import IlogError

if TYPE_CHECKING:
    from ilog.store.usersettings import Settings


class Command(TyperCommand):
    """An ilog command: its output shown once, its errors one line and an exit code."""

    context_class = Session

    def invoke(self, ctx: Any) -> Any:
        declared = registry.named(ctx.command_path)
        if declared is not None and declared.prefetch:
            ctx.list_ahead()
        else:
            ctx.drop_listing()
        return finish(ctx, super().invoke)


class Group(TyperGroup):
    """A group of commands (``ilog export ...``)."""

    context_class = Session


class CommandGroup(Group):
    """A group that is a command by itself too (``ilog templates``, ``ilog templates show``)."""

    def invoke(self, ctx: Any) -> Any:
        return finish(ctx, super().invoke)


class Root(Group):
    """``ilog``: a command's module is imported when it is asked for; global flags may follow
    the command; an error outside a command (the global options, a completer) still ends as
    one line and its exit code."""

    #: Whether the help is being written: it lists each command by its name, panel and
    #: help, so no command's parameters need to be made (38 of them: ~15 ms of ``--help``).
    listing = False

    def list_commands(self, _ctx: Any) -> list[str]:
        return registry.first_words()

    def get_command(self, _ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in registry.first_words():
            return None
        if self.listing:
            return _listed(cmd_name)
        if cmd_name not in self.commands:
            self.commands[cmd_name] = _load(cmd_name)
        return self.commands[cmd_name]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as error:  # click's "No such command": name the nearest
            import difflib  # only for a mistyped command

            nearest = difflib.get_close_matches(args[0], registry.first_words()) if args else []
            if nearest and "Did you mean" not in error.message:
                error.message = f"{error.message.rstrip('.')}. Did you mean {nearest[0]!r}?"
            raise

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_flags(args, self.params))

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except (Exception, KeyboardInterrupt) as exc:
            if isinstance(ctx, Session) and ctx.debug and not isinstance(exc, KeyboardInterrupt):
                raise
            raise typer.Exit(report(exc)) from None


def hoist_flags(args: list[str], params: list[Any]) -> list[str]:
    """The global flags among ``args`` moved to the front (none after a ``--``), so that they
    may follow the command: every global option that is a flag and not eager (--version)."""
    anywhere = {name for param in params if getattr(param, "is_flag", False)
                and not param.is_eager for name in param.opts}
    end = args.index("--") if "--" in args else len(args)
    flags = [a for a in args[:end] if a in anywhere]
    return flags + [a for a in args[:end] if a not in anywhere] + args[end:]


def _load(word: str) -> Any:
    """The click command (or group) a command line's first word names."""
    own = registry.find((word,))
    if word not in registry.GROUPS:
        assert own is not None
        return _single(own)
    members = registry.under(word)
    commands = [_single(command) for command in members]
    if own is None:
        return Group(name=word, commands=commands, help=registry.GROUPS[word],
                     no_args_is_help=True, rich_help_panel=members[0].panel)
    itself = _single(own)
    return CommandGroup(name=word, commands=commands, help=itself.help, params=itself.params,
                        callback=itself.callback, invoke_without_command=True,
                        rich_help_panel=itself.rich_help_panel)


def _listed(word: str) -> Any:
    """The command (or group) a first word names, as the root's help lists it."""
    own = registry.find((word,))
    panel = own.panel if own else registry.under(word)[0].panel
    text = _help(own.function()) if own else registry.GROUPS[word]
    return TyperCommand(word, help=text, rich_help_panel=panel)


def _single(command: registry.Command) -> Any:
    """The click command typer makes of ``command``'s function."""
    app = typer.Typer(add_completion=False)
    function = command.function()
    app.command(command.words[-1], cls=Command, help=_help(function),
                rich_help_panel=command.panel)(function)
    return typer.main.get_command(app)


def _help(function: Callable[..., Any]) -> str:
    """A docstring as help: its paragraphs, each on one line (the terminal wraps them)."""
    paragraphs = inspect.cleandoc(function.__doc__ or "").split("\n\n")
    return "\n\n".join(p if _is_example(p) else " ".join(p.split()) for p in paragraphs)


def _is_example(paragraph: str) -> bool:
    """Lines of commands (``ilog ...``) keep their line breaks."""
    return all(line.strip().startswith("ilog ") for line in paragraph.splitlines())


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"ilog {__version__}")
        raise typer.Exit()


def global_options(
    session: Session,
    store: Annotated[Path | None, typer.Option(
        "--store", "-S", callback=at_home, help="The store to use (default: $ILOG_STORE, the "
        "nearest ilog.toml above this folder, or your default store).")] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colours (NO_COLOR works "
                                           "too). Global flags may also follow the "
                                           "command.")] = False,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never page long output "
                                           "(PAGER=cat works too).")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    _version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                           expose_value=False,
                                           help="Print the version and exit.")] = False,
) -> None:
    """Document client interactions as plain Markdown files: calls, meetings, emails,
    decisions and next steps."""
    options = session.options
    options.store_path = str(store) if store else None
    options.no_color, options.no_pager, options.debug = no_color, no_pager, debug
    _warn_of_date_order(session.settings)


def _warn_of_date_order(settings: Settings) -> None:
    """A wrong ``date_order`` (or a settings file that is no TOML) is a warning: dates such
    as 05/01 are refused, everything else works."""
    try:
        settings.checked_date_order()
    except IlogError as exc:
        sys.stderr.write(f"ilog: warning: {exc}; dates such as 05/01 are refused until it is "
                         "fixed\n")


def application() -> typer.Typer:
    """The whole application (commands load when they are asked for)."""
    app = typer.Typer(cls=Root, no_args_is_help=True, pretty_exceptions_show_locals=False,
                      help=_help(global_options),
                      context_settings={"help_option_names": ["-h", "--help"]})
    app.callback()(global_options)
    return app


def main(argv: list[str], early: GlobalOptions | None = None) -> int:
    """Run ilog with ``argv``; the exit code. ``early``: the settings read and the listing
    started before typer was imported (cli/early.py); the listing ends here if no command
    took it (a usage error)."""
    try:
        application()(args=argv, prog_name="ilog", obj=early)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
    finally:
        if early is not None and early.listing is not None:
            early.listing.close()
    return 0
