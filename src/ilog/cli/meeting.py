"""Before the meeting: history, actions, done, reopen."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from ilog.cli.app import JsonOption, app, progress, show_table, state
from ilog.cli.completion import (
    complete_clients,
    complete_done_steps,
    complete_open_steps,
    complete_types,
)

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
    from ilog.cli.historyrun import HistoryArgs, run

    run(state(ctx).store_path, HistoryArgs(
        client=client, full=full, since=since, until=until, type_=type_ or [], case=case,
        tag=tag or [], limit=limit, reverse=reverse, as_json=as_json, as_markdown=as_markdown,
        no_color=state(ctx).no_color, no_pager=state(ctx).no_pager))


_STEP_HELP = "A next step's id (any unique prefix, 4+ characters)."
OpenStepArgument = Annotated[str, typer.Argument(metavar="ACTION_ID", help=_STEP_HELP,
                                                 autocompletion=complete_open_steps)]
DoneStepArgument = Annotated[str, typer.Argument(metavar="ACTION_ID", help=_STEP_HELP,
                                                 autocompletion=complete_done_steps)]
NoteOption = Annotated[str, typer.Option("--note", "-m", help="A short note: how, where, "
                                         "a reference.")]


@app.command()
def done(
    ctx: typer.Context,
    step: OpenStepArgument,
    note: NoteOption = "",
    when: Annotated[str, typer.Option("--date", "-D", help="When it was done (default: "
                                      "now); ISO 8601 or words.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Mark a next step done (the record it belongs to is not changed)."""
    _mark(ctx, step, done=True, note=note, when=when, as_json=as_json)


@app.command()
def reopen(ctx: typer.Context, step: DoneStepArgument, note: NoteOption = "",
           as_json: JsonOption = False) -> None:
    """Mark a done next step open again."""
    _mark(ctx, step, done=False, note=note, when="", as_json=as_json)


def _mark(ctx: typer.Context, step: str, *, done: bool, note: str, when: str,
          as_json: bool) -> None:
    from ilog.ops import actions
    from ilog.views import jsonshapes

    record, found, event = actions.mark(state(ctx).store(), step, done=done, note=note,
                                        when=when)
    if as_json:
        from ilog.cli.output import print_json

        print_json({**jsonshapes.event_as_data(event), "text": found.text, "owner": found.owner or None,
                    "client": record.client})
        return
    verb = "Done" if done else "Reopened"
    typer.echo(f"{verb} {found.id[:8]} {found.text!r} ({record.client}, record "
               f"{record.short_id})")


@app.command("actions")
def list_actions(
    ctx: typer.Context,
    owner: Annotated[str, typer.Option("--owner", "-o", help="Only steps owned by this "
                                       "name.")] = "",
    mine: Annotated[bool, typer.Option("--mine", help="Only my steps (user config 'owner', "
                                       "else your identity before any @).")] = False,
    client: Annotated[str, typer.Option("--client", "-c", help="Only this client.",
                                        autocompletion=complete_clients)] = "",
    overdue: Annotated[bool, typer.Option("--overdue", help="Only steps past their due "
                                          "date.")] = False,
    due_within: Annotated[str, typer.Option("--due-within", help="Only steps due within, "
                                            "e.g. 7d or 2w.")] = "",
    include_done: Annotated[bool, typer.Option("--all", help="Include done steps.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List next steps across all clients, soonest due first (open ones unless --all)."""
    from ilog.ops import actions
    from ilog.views.actions import action_lines

    store = state(ctx).store()
    wanted = actions.ActionFilter(owner=actions.my_owner_name(store) if mine else owner,
                                  client=client, overdue=overdue,
                                  due_within=days(due_within, "--due-within")
                                  if due_within else None,
                                  include_done=include_done)
    with progress(ctx, "Reading clients") as advance:
        found = actions.list_actions(store, wanted, progress=advance)
    if as_json:
        from ilog.cli.output import print_json
        from ilog.views import jsonshapes

        print_json([jsonshapes.action_as_data(a) for a in found])
        return
    show_table(ctx, action_lines(found, date.today()))


def days(text: str, option: str) -> int:
    """``7d`` / ``2w`` / ``7`` -> days."""
    from ilog.errors import DateError

    value = text.strip().lower()
    units = {"d": 1, "w": 7}
    number, unit = (value[:-1], value[-1]) if value[-1:] in units else (value, "d")
    if not number.isdigit():
        raise DateError(f"{option} {text!r}: write a number of days or weeks, e.g. 7d, 2w")
    return int(number) * units[unit]
