"""The command to run before a meeting: history."""

from __future__ import annotations

import sys
from datetime import date, datetime
from typing import Annotated

import typer

from ilog.cli.app import JsonOption, app, state
from ilog.cli.completion import complete_clients, complete_types

Many = list[str] | None


@app.command()
def history(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(metavar="CLIENT", help="Client name, alias or "
                                          "unique prefix.", autocompletion=complete_clients)],
    full: Annotated[bool, typer.Option("--full", help="Add each record's notes "
                                       "(body).")] = False,
    since: Annotated[str, typer.Option("--since", help="Only interactions on or after this "
                                       "day: ISO 8601 or words ('last month').")] = "",
    until: Annotated[str, typer.Option("--until", help="Only interactions on or before this "
                                       "day.")] = "",
    type_: Annotated[Many, typer.Option("--type", "-t", help="Only this record type; repeat "
                                        "for several.", autocompletion=complete_types)] = None,
    case: Annotated[str, typer.Option("--case", help="Only this case or matter.")] = "",
    tag: Annotated[Many, typer.Option("--tag", help="Only records with this tag; repeat to "
                                      "require several.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-l", min=1, help="Only the newest "
                                              "N that match.")] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Oldest first (after "
                                          "--limit, as in git log).")] = False,
    as_json: JsonOption = False,
    as_markdown: Annotated[bool, typer.Option("--markdown", help="A Markdown briefing to "
                                              "paste into an agenda or an e-mail.")] = False,
) -> None:
    """What happened with a client and what is still open: a briefing (contacts, last
    contact, open next steps, recent decisions), then every interaction, newest first."""
    from ilog.errors import IlogError, UnreadableFilesError
    from ilog.history import HistoryFilter
    from ilog.history import history as client_history

    if as_json and as_markdown:
        raise IlogError("--json and --markdown: choose one")
    first, last = _day(since, "--since"), _day(until, "--until")
    if first and last and first > last:
        raise IlogError(f"--since {first} is after --until {last}: nothing can match")
    wanted = HistoryFilter(since=first, until=last, types=type_ or [], case=case,
                           tags=tag or [], limit=limit, reverse=reverse, full=full)
    found = client_history(state(ctx).store(), client, wanted)
    _render(ctx, found, full=full, as_json=as_json, as_markdown=as_markdown)
    if found.problems:
        files = sorted({p.path or "" for p in found.problems})
        raise UnreadableFilesError(f"{len(files)} file(s) of {found.briefing.client.slug} "
                                   f"could not be read and are left out ({', '.join(files[:3])}"
                                   f"{', ...' if len(files) > 3 else ''}); 'ilog check' says why")


def _render(ctx: typer.Context, found, *, full: bool, as_json: bool,
            as_markdown: bool) -> None:
    if as_json:
        from ilog.cli.output import print_json
        from ilog.jsondata import history_as_data

        print_json(history_as_data(found, full=full))
        return
    if as_markdown:
        from ilog.historyview import markdown

        sys.stdout.write(markdown(found, full=full))
        return
    from ilog.historyview import history_lines, plain

    briefing, rest = history_lines(found, full=full)
    if not sys.stdout.isatty():
        sys.stdout.write(plain(briefing + rest))
        return
    from ilog.cli.output import show
    from ilog.render import history_view

    show(state(ctx).out(), history_view(briefing, rest), pager=not state(ctx).no_pager)


def _day(text: str, option: str) -> date | None:
    """A day from ``--since``/``--until`` (None when not given)."""
    if not text:
        return None
    from ilog.dates import parse_when
    from ilog.errors import DateError

    try:
        value = parse_when(text, direction="past")
    except DateError as exc:
        raise DateError(f"{option}: {exc}") from None
    return value.date() if isinstance(value, datetime) else value
