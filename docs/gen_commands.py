"""Write docs/commands.md from the CLI's own definitions (run: python docs/gen_commands.py).

tests/test_docs.py fails when the checked-in file differs from what this produces.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ilog.cli.app import application

TARGET = Path(__file__).with_name("commands.md")
NOTE = ("Generated from the command definitions by `python docs/gen_commands.py`; "
        "`tests/test_docs.py` checks it is current.")


def render() -> str:
    root = typer.main.get_command(application())
    lines = ["# Command reference", "", NOTE, ""]
    lines += _command(root, "ilog", level=2)
    return "\n".join(lines).rstrip() + "\n"


def _markdown(paragraph: str) -> str:
    """A help paragraph in Markdown: examples (lines of ``ilog ...``) as a code block, the
    rest with Markdown's special characters escaped, followed by a blank line."""
    if all(line.startswith("ilog ") for line in paragraph.splitlines()):
        return f"```sh\n{paragraph}\n```\n"
    return paragraph.replace("*", "\\*").replace("_", "\\_") + "\n"


def _command(command, path: str, level: int) -> list[str]:
    lines = [f"{'#' * level} `{path}`", ""]
    if command.help:
        lines += [_markdown(p) for p in command.help.strip().split("\n\n")]
    ctx = command.make_context(path, [], resilient_parsing=True)
    lines += ["```", " ".join([path, *_usage(command)]), "```", ""]
    rows = [_param_row(p) for p in command.params if not getattr(p, "hidden", False)]
    if rows:
        lines += ["| argument / option | meaning |", "| --- | --- |", *rows, ""]
    names = command.list_commands(ctx) if hasattr(command, "list_commands") else []
    for name in sorted(names):
        lines += _command(command.get_command(ctx, name), f"{path} {name}", level + 1)
    return lines


def _usage(command) -> list[str]:
    """The usage line's pieces after the command's path (made here, not by typer, whose
    versions write a list argument's dots and a required argument's braces differently)."""
    pieces = [command.options_metavar] if command.options_metavar else []
    for param in command.params:
        if param.param_type_name == "argument":
            name = (param.metavar or param.name.upper()) + ("..." if param.nargs == -1 else "")
            pieces.append(name if param.required else f"[{name}]")
    if hasattr(command, "list_commands"):
        pieces.append(command.subcommand_metavar)
    return pieces


def _param_row(param) -> str:
    names = ", ".join(f"`{n}`" for n in [*param.opts, *param.secondary_opts])
    if param.param_type_name == "argument":
        names = f"`{param.name.upper()}`"
    text = (getattr(param, "help", None) or "").replace("|", "\\|").replace("\n", " ")
    if getattr(param, "multiple", False):
        text += " (repeatable)"
    return f"| {names} | {text.strip()} |"


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        sys.exit(0 if TARGET.read_text() == render() else 1)
    TARGET.write_text(render())
