"""Commands about next steps: done, reopen."""

from __future__ import annotations

from typing import Annotated

import typer

from ilog.cli.app import JsonOption, app, state

StepArgument = Annotated[str, typer.Argument(metavar="ACTION_ID", help="A next step's id "
                                             "(any unique prefix, 4+ characters).")]
NoteOption = Annotated[str, typer.Option("--note", "-m", help="A short note: how, where, "
                                         "a reference.")]


@app.command()
def done(
    ctx: typer.Context,
    step: StepArgument,
    note: NoteOption = "",
    when: Annotated[str, typer.Option("--date", "-D", help="When it was done (default: "
                                      "now); ISO 8601 or words.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Mark a next step done (the record it belongs to is not changed)."""
    _mark(ctx, step, done=True, note=note, when=when, as_json=as_json)


@app.command()
def reopen(ctx: typer.Context, step: StepArgument, note: NoteOption = "",
           as_json: JsonOption = False) -> None:
    """Mark a done next step open again."""
    _mark(ctx, step, done=False, note=note, when="", as_json=as_json)


def _mark(ctx: typer.Context, step: str, *, done: bool, note: str, when: str,
          as_json: bool) -> None:
    from ilog import actions, steps

    record, found, event = actions.mark(state(ctx).store(), step, done=done, note=note,
                                        when=when)
    if as_json:
        from ilog.render import print_json

        print_json({**steps.as_data(event), "text": found.text, "owner": found.owner or None,
                    "client": record.client})
        return
    verb = "Done" if done else "Reopened"
    typer.echo(f"{verb} {found.id[:8]} {found.text!r} ({record.client}, record "
               f"{record.short_id})")
