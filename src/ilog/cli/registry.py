"""Every command and the global options, in one place and in the order ``ilog --help`` shows
them. A command is a typer-free function in a command module (see params.py for how it
declares its arguments); both the fast path (fast.py) and the typer application
(typerapp.py) are made from this table and those functions.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NamedTuple

from ilog.cli.params import Opt, specs
from ilog.cli.session import Session

CAPTURE, MEETING, FIND, EVIDENCE, STORE = ("Capture", "Before the meeting", "Find",
                                           "Evidence", "The store")


class Command(NamedTuple):
    """A command's words (``("export", "audit")``), its function and its help group."""

    words: tuple[str, ...]
    target: str  # "module:function"
    panel: str
    #: It looks at every client first: start listing the store's files at once.
    prefetch: bool = False
    #: It writes the store's files ([sync] auto commits after it).
    writes: bool = False

    def function(self) -> Callable[..., Any]:
        module, _, name = self.target.partition(":")
        function: Callable[..., Any] = getattr(importlib.import_module(module), name)
        return function


def _command(words: str, target: str, panel: str, *, prefetch: bool = False,
             writes: bool = False) -> Command:
    return Command(tuple(words.split()), f"ilog.cli.{target}", panel, prefetch, writes)


COMMANDS = (
    _command("new", "capture:new", CAPTURE, writes=True),
    _command("amend", "capture:amend", CAPTURE, writes=True),
    _command("edit", "capture:edit", CAPTURE, writes=True),
    _command("void", "capture:void", CAPTURE, writes=True),
    _command("move", "capture:move", CAPTURE, writes=True),
    _command("attach", "capture:attach", CAPTURE, writes=True),
    _command("drafts", "capture:drafts", CAPTURE),
    _command("history", "meeting:history", MEETING),
    _command("actions", "meeting:actions", MEETING, prefetch=True),
    _command("done", "meeting:done", MEETING, prefetch=True, writes=True),
    _command("reopen", "meeting:reopen", MEETING, prefetch=True, writes=True),
    _command("step", "meeting:step", MEETING, prefetch=True, writes=True),
    _command("import tasks", "export:import_tasks", MEETING, prefetch=True, writes=True),
    _command("import email", "mail:import_email", CAPTURE, writes=True),
    _command("client domains", "mail:client_domains", CAPTURE, writes=True),
    _command("agenda", "meeting:agenda", MEETING, prefetch=True),
    _command("clients", "stores:clients", MEETING, prefetch=True),
    _command("search", "find:search", FIND, prefetch=True),
    _command("show", "records:show", FIND),
    _command("log", "records:log", FIND, prefetch=True),
    _command("verify", "evidence:verify", EVIDENCE),
    _command("seal", "evidence:seal", EVIDENCE, writes=True),
    _command("hold", "evidence:hold", EVIDENCE, writes=True),
    _command("release", "evidence:release", EVIDENCE, writes=True),
    _command("purge", "evidence:purge", EVIDENCE, writes=True),
    _command("erase", "evidence:erase", EVIDENCE, writes=True),
    _command("export audit", "export:audit", EVIDENCE),
    _command("export tasks", "export:tasks", EVIDENCE, prefetch=True),
    _command("changes", "evidence:changes", EVIDENCE),
    _command("init", "stores:init", STORE),
    _command("where", "stores:where", STORE),
    _command("check", "records:check", STORE),
    _command("sync", "stores:sync", STORE),
    _command("hooks install", "stores:hooks_install", STORE),
    _command("hooks uninstall", "stores:hooks_uninstall", STORE),
    _command("reindex", "find:reindex", STORE),
    _command("templates", "stores:templates", STORE),
    _command("templates show", "stores:template", STORE),
)
#: Help of the command groups (words that are not a command by themselves).
GROUPS = {"export": "Export what the store holds: an audit pack for a client, next steps as "
                    "iCalendar tasks.",
          "import": "Take in what happened elsewhere: e-mails, tasks done or moved in a task "
                    "app.",
          "client": "A client's profile: its mail domains.",
          "templates": "List the record types and their templates.",
          "hooks": "Git hooks that check commits and refresh the index after a pull."}


def writes(function: Callable[..., Any]) -> bool:
    """Whether ``function`` is a command that writes the store's files."""
    target = f"{function.__module__}:{function.__name__}"
    return any(c.writes for c in COMMANDS if c.target == target)


def find(words: list[str]) -> Command | None:
    """The command ``words`` start with (the longest match)."""
    for length in (2, 1):
        wanted = tuple(words[:length])
        found = next((c for c in COMMANDS if c.words == wanted), None)
        if found is not None and len(wanted) == length:
            return found
    return None


def anywhere_flags() -> set[str]:
    """The global flags that may also follow the command (``ilog history acme --no-color``):
    every global option that is a flag."""
    return {name for param in specs(global_options, skip=0) if param.kind == "flag"
            and isinstance(param.meta, Opt) for name in param.meta.decls}


def global_options(
    store: Annotated[Path | None, Opt(
        "--store", "-S", help="The store to use (default: $ILOG_STORE, the nearest ilog.toml "
        "above this folder, or your default store).")] = None,
    no_color: Annotated[bool, Opt("--no-color", help="No colours (NO_COLOR works too). "
                                  "Global flags may also follow the command.")] = False,
    no_pager: Annotated[bool, Opt("--no-pager", help="Never page long output (PAGER=cat "
                                  "works too).")] = False,
    debug: Annotated[bool, Opt("--debug", help="Show tracebacks.")] = False,
) -> Session:
    """Document client interactions as plain Markdown files: calls, meetings, emails,
    decisions and next steps."""
    return Session(store_path=str(store) if store else None, no_color=no_color,
                   no_pager=no_pager, debug=debug)
