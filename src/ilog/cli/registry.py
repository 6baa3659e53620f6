"""Every command, in one place and in the order ``ilog --help`` shows them. A command is a
function in a command module, declared the way typer reads it (``session: Session`` first,
then its arguments and options as ``Annotated[..., typer.Option(...)]``); cli/app.py imports
its module only when the command runs or its help is shown.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, NamedTuple

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


def find(words: tuple[str, ...]) -> Command | None:
    """The command named by exactly these words."""
    return next((c for c in COMMANDS if c.words == words), None)


def named(command_path: str) -> Command | None:
    """The command a click command path names (``ilog export tasks``)."""
    return find(tuple(command_path.split()[1:]))


def first_words() -> list[str]:
    """The words a command line may start with, in the order of ``ilog --help``."""
    return list(dict.fromkeys(c.words[0] for c in COMMANDS))


def under(word: str) -> list[Command]:
    """The commands of the group ``word`` (``export`` -> export audit, export tasks)."""
    return [c for c in COMMANDS if len(c.words) == 2 and c.words[0] == word]
