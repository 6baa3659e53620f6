"""Commands about next steps: done, reopen."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from ilog.cli.app import JsonOption, app, progress, show_table, state
from ilog.cli.completion import complete_clients, complete_done_steps, complete_open_steps

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
    from ilog import actions, jsondata

    record, found, event = actions.mark(state(ctx).store(), step, done=done, note=note,
                                        when=when)
    if as_json:
        from ilog.output import print_json

        print_json({**jsondata.event_as_data(event), "text": found.text, "owner": found.owner or None,
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
    from ilog import actions
    from ilog.actionsview import action_lines

    store = state(ctx).store()
    wanted = actions.ActionFilter(owner=actions.my_owner_name(store) if mine else owner,
                                  client=client, overdue=overdue,
                                  due_within=days(due_within, "--due-within")
                                  if due_within else None,
                                  include_done=include_done)
    with progress(ctx, "Reading clients") as advance:
        found = actions.list_actions(store, wanted, progress=advance)
    if as_json:
        from ilog import jsondata
        from ilog.output import print_json

        print_json([jsondata.action_as_data(a) for a in found])
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
