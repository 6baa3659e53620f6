"""The typer application, made from the same table and declarations as the fast path
(registry.py, params.py): typer adds what a person needs when the fast path steps aside, the
help, shell completion and the messages for wrong usage (exit 2)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, Literal

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from ilog.cli import registry
from ilog.cli.completion import COMPLETERS
from ilog.cli.exits import execute, report
from ilog.cli.params import Arg, Param, specs
from ilog.cli.session import Session


class IlogGroup(TyperGroup):
    """Global flags may follow the command; an error outside a command (in a completer or
    the global options) still ends as one line and its exit code."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_flags(args))

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except (Exception, KeyboardInterrupt) as exc:
            if _session(ctx).debug and not isinstance(exc, KeyboardInterrupt):
                raise
            ctx.exit(report(exc))


def build() -> typer.Typer:
    """The whole application: every command of the registry, in its group and panel."""
    from typer._completion_classes import completion_init

    completion_init()  # typer's shell completion protocol, without its shell-guessing options
    app = typer.Typer(cls=IlogGroup, no_args_is_help=True, pretty_exceptions_show_locals=False,
                      help=_help(registry.global_options), add_completion=False,
                      context_settings={"help_option_names": ["-h", "--help"]})
    app.callback()(_global_callback())
    groups = {word: _group(word, text) for word, text in registry.GROUPS.items()}
    for command in registry.COMMANDS:
        if len(command.words) == 1 and command.words[0] in groups:
            continue  # the group's own callback (see _group)
        parent = groups[command.words[0]] if len(command.words) == 2 else app
        function = command.function()
        parent.command(command.words[-1], help=_help(function),
                       rich_help_panel=command.panel)(_typer_function(function))
    for word, group in groups.items():
        panel = next(c.panel for c in registry.COMMANDS if c.words[0] == word)
        app.add_typer(group, name=word, rich_help_panel=panel)
    return app


def _group(word: str, text: str) -> typer.Typer:
    """A group of commands; one that is also a command by itself runs that without a
    subcommand (``ilog templates``, ``ilog templates show TYPE``)."""
    own = next((c for c in registry.COMMANDS if c.words == (word,)), None)
    if own is None:
        return typer.Typer(help=text, no_args_is_help=True)
    group = typer.Typer(help=_help(own.function()), invoke_without_command=True)
    group.callback()(_typer_function(own.function(), group=True))
    return group


def hoist_flags(args: list[str]) -> list[str]:
    """The global flags among ``args`` moved to the front (none after a ``--``), so that they
    may follow the command (``ilog history acme --no-color``)."""
    anywhere = registry.anywhere_flags()
    end = args.index("--") if "--" in args else len(args)
    flags = [a for a in args[:end] if a in anywhere]
    return flags + [a for a in args[:end] if a not in anywhere] + args[end:]


def _help(function: Callable[..., Any]) -> str:
    """A docstring as help: its paragraphs, each on one line (the terminal wraps them)."""
    paragraphs = inspect.cleandoc(function.__doc__ or "").split("\n\n")
    return "\n\n".join(p if _is_example(p) else " ".join(p.split()) for p in paragraphs)


def _is_example(paragraph: str) -> bool:
    """Lines of commands (``ilog ...``) keep their line breaks."""
    return all(line.strip().startswith("ilog ") for line in paragraph.splitlines())


def _session(ctx: Any) -> Session:
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, Session) else Session()


def _global_callback() -> Callable[..., None]:
    def callback(ctx: typer.Context, version: bool = False, show_completion: Any = None,
                 install_completion: Any = None, **options: Any) -> None:
        ctx.obj = registry.global_options(**options)

    def eager(name: str, hint: Any, action: Callable[[Any], None], help: str,
              metavar: str | None = None) -> inspect.Parameter:
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                 annotation=Annotated[hint, typer.Option(
                                     f"--{name.replace('_', '-')}", callback=action,
                                     is_eager=True, help=help, metavar=metavar)])

    actions = [
        eager("version", bool | None, _version, "Print the version and exit."),
        eager("show_completion", Shell | None, _show_completion, "Print the completion "
              "script for SHELL (bash, zsh, fish or powershell), to install it by hand.",
              "SHELL"),
        eager("install_completion", Shell | None, _install_completion, "Install completion "
              "for SHELL in its start-up file.", "SHELL"),
    ]
    return _with_signature(callback, specs(registry.global_options, skip=0), actions)


Shell = Literal["bash", "zsh", "fish", "powershell", "pwsh"]


def _version(value: bool | None) -> None:
    if value:
        from ilog import __version__

        typer.echo(f"ilog {__version__}")
        raise typer.Exit()


def _show_completion(shell: str | None) -> None:
    """The script for the shell named (never guessed from the parent process)."""
    if shell:
        from typer._completion_shared import get_completion_script

        typer.echo(get_completion_script(prog_name="ilog", complete_var="_ILOG_COMPLETE",
                                         shell=shell))
        raise typer.Exit()


def _install_completion(shell: str | None) -> None:
    if shell:
        from typer._completion_shared import install

        installed, path = install(shell=shell, prog_name="ilog", complete_var="_ILOG_COMPLETE")
        typer.echo(f"{installed} completion installed in {path}")
        typer.echo("Completion will take effect once you restart the terminal")
        raise typer.Exit()


def _typer_function(function: Callable[..., Any], *, group: bool = False) -> Callable[..., None]:
    """A typer command that parses ``function``'s declared arguments, then runs it."""
    def command(ctx: typer.Context, **arguments: Any) -> None:
        if group and ctx.invoked_subcommand:
            return
        code = execute(_session(ctx), function, arguments)
        if code:
            raise typer.Exit(code)

    return _with_signature(command, specs(function))


def _with_signature(function: Callable[..., None], params: list[Param],
                    extra: list[inspect.Parameter] | None = None) -> Callable[..., None]:
    """``function`` (``ctx, **kwargs``) with the signature typer reads: the context, then
    each parameter with typer's own declaration of it."""
    parameters = [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                    annotation=typer.Context)]
    parameters += [inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY,
                                     default=inspect.Parameter.empty if p.required else p.default,
                                     annotation=Annotated[p.hint, _typer_info(p)])
                   for p in params]
    parameters += extra or []
    function.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    function.__annotations__ = {p.name: p.annotation for p in parameters}
    return function


def _typer_info(param: Param) -> Any:
    meta = param.meta
    complete = COMPLETERS[meta.complete] if meta.complete else None
    if isinstance(meta, Arg):
        return typer.Argument(metavar=meta.metavar, help=meta.help, autocompletion=complete,
                              show_default=False)
    return typer.Option(*meta.decls, help=meta.help, metavar=meta.metavar, min=meta.min,
                        autocompletion=complete,
                        show_default=param.default not in (None, "", False, []))

