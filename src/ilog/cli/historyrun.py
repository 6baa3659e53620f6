"""Running ``ilog history``: shared by the typer command and a typer-free fast path.

``ilog history`` is the command people run before every meeting and scripts run with
``--json``; typer and its imports cost ~80 ms of every run, more than the rest of the command.
So the entry point hands argument lists that only use history's own options and the global
ones, in their plain forms, to :func:`fast_main`; anything else (``--help``, clustered short
flags, an unknown option) goes to typer. Both end in :func:`run`. tests/test_history_cli.py
checks that the option table here and the typer command's parameters are the same, and that
both paths print the same for the same arguments.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ilog.cli.args import ANYWHERE_FLAGS
from ilog.errors import DateError, IlogError, UnreadableFilesError

if TYPE_CHECKING:
    from ilog.ops.history import History


@dataclass
class HistoryArgs:
    """What the user asked ``ilog history`` for."""

    client: str
    full: bool = False
    since: str = ""
    until: str = ""
    type_: list[str] = field(default_factory=list)
    case: str = ""
    tag: list[str] = field(default_factory=list)
    limit: int | None = None
    reverse: bool = False
    as_json: bool = False
    as_markdown: bool = False
    no_color: bool = False
    no_pager: bool = False


def run(store_path: str | None, args: HistoryArgs) -> None:
    """Find the history, print it, and fail (after printing) if files could not be read."""
    from ilog.ops.history import HistoryFilter, history
    from ilog.store.locate import locate

    if args.as_json and args.as_markdown:
        raise IlogError("--json and --markdown: choose one")
    first, last = day_from(args.since, "--since"), day_from(args.until, "--until")
    if first and last and first > last:
        raise IlogError(f"--since {first} is after --until {last}: nothing can match")
    wanted = HistoryFilter(since=first, until=last, types=args.type_, case=args.case,
                           tags=args.tag, limit=args.limit, reverse=args.reverse,
                           full=args.full)
    found = history(locate(store_path), args.client, wanted)
    _render(found, args)
    if found.problems:
        files = sorted({p.path or "" for p in found.problems})
        listed = ", ".join(files[:3]) + (", ..." if len(files) > 3 else "")
        raise UnreadableFilesError(f"{len(files)} file(s) of {found.briefing.client.slug} "
                                   f"could not be read and are left out ({listed}); "
                                   "'ilog check' says why")


def _render(found: History, args: HistoryArgs) -> None:
    if args.as_json:
        from ilog.cli.output import print_json
        from ilog.views.jsonshapes import history_as_data

        print_json(history_as_data(found, full=args.full))
        return
    if args.as_markdown:
        from ilog.views.history import markdown

        sys.stdout.write(markdown(found, full=args.full))
        return
    from ilog.views.history import history_lines
    from ilog.views.text import plain

    briefing, rest = history_lines(found, full=args.full)
    if not sys.stdout.isatty():
        sys.stdout.write(plain(briefing + rest))
        return
    from ilog.cli.output import show
    from ilog.cli.render import console, history_view

    out = console(no_color=args.no_color)
    show(out, history_view(briefing, rest, out), pager=not args.no_pager)


def day_from(text: str, option: str) -> date | None:
    """A day from ``--since``/``--until`` (None when not given)."""
    if not text:
        return None
    from ilog.fileformat.dates import day_of, parse_when

    try:
        value = parse_when(text, direction="past")
    except DateError as exc:
        raise DateError(f"{option}: {exc}") from None
    return day_of(value)


# -- the fast path -----------------------------------------------------------------------------

#: Every option of ``ilog history`` (and the global ones): name -> (field, kind), where kind
#: is "flag", "value" (the last one given wins, as in click) or "list" (repeatable).
OPTIONS = {
    "--full": ("full", "flag"), "--since": ("since", "value"), "--until": ("until", "value"),
    "--type": ("type_", "list"), "-t": ("type_", "list"), "--case": ("case", "value"),
    "--tag": ("tag", "list"), "--limit": ("limit", "value"), "-l": ("limit", "value"),
    "--reverse": ("reverse", "flag"), "-r": ("reverse", "flag"),
    "--json": ("as_json", "flag"), "--markdown": ("as_markdown", "flag"),
}
GLOBAL_OPTIONS = {
    "--store": ("store", "value"), "-S": ("store", "value"),
    "--no-color": ("no_color", "flag"), "--no-pager": ("no_pager", "flag"),
    "--debug": ("debug", "flag"),
}


def parse(argv: list[str]) -> tuple[dict[str, Any], HistoryArgs] | None:
    """(global options, history's arguments) of ``argv``, or None if it is not a plain
    ``ilog [global options] history CLIENT [options]`` that this parser knows all of."""
    globals_: dict[str, Any] = {}
    values: dict[str, Any] = {}
    client, command, tokens = None, None, list(argv)
    while tokens:
        token = tokens.pop(0)
        if token.startswith("-") and len(token) > 1:
            if not _option(token, tokens, globals_, values, after_command=command is not None):
                return None
        elif command is None:
            if token != "history":
                return None
            command = token
        elif client is None:
            client = token
        else:
            return None
    limit = values.get("limit")
    if client is None or (limit is not None and not (str(limit).isdigit() and int(str(limit)))):
        return None  # typer explains what is missing or wrong
    if limit is not None:
        values["limit"] = int(str(limit))
    return globals_, HistoryArgs(client=client, no_color=bool(globals_.get("no_color")),
                                 no_pager=bool(globals_.get("no_pager")), **values)


def _option(token: str, rest: list[str], globals_: dict[str, Any],
            values: dict[str, Any], *, after_command: bool) -> bool:
    """Take one option (and its value from ``rest``); False if it is not one we know."""
    name, has_value, value = token.partition("=")
    if name in GLOBAL_OPTIONS and (not after_command or name in ANYWHERE_FLAGS):
        key, kind = GLOBAL_OPTIONS[name]
        target = globals_
    elif name in OPTIONS and after_command:
        key, kind = OPTIONS[name]
        target = values
    else:
        return False
    if kind == "flag":
        target[key] = True
        return not has_value
    if not has_value:
        if not rest:
            return False
        value = rest.pop(0)
    if kind == "list":
        target.setdefault(key, []).append(value)
    else:
        target[key] = value
    return True


def fast_main(argv: list[str]) -> int | None:
    """Run ``ilog history`` without typer; the exit code, or None to leave it to typer."""
    parsed = parse(argv)
    if parsed is None:
        return None
    options, args = parsed
    store = options.get("store")
    try:
        run(str(store) if store else None, args)
    except BrokenPipeError:
        return 0
    except (Exception, KeyboardInterrupt) as exc:
        if options.get("debug") and not isinstance(exc, KeyboardInterrupt):
            raise
        from ilog.cli.exits import report

        return report(exc)
    return 0
