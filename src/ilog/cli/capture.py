"""Commands that write records: new, edit."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ilog.cli.app import JsonOption, app, state
from ilog.cli.completion import complete_clients, complete_types
from ilog.cli.records import IdArgument

if TYPE_CHECKING:
    from ilog.model import Record
    from ilog.ops.capture import EditorRunner

Many = list[str] | None


@app.command()
def new(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(metavar="CLIENT",
                                          help="Client name, alias or unique prefix.",
                                          autocompletion=complete_clients)],
    type_: Annotated[str, typer.Option("--type", "-t", help="Record type: call, meeting, "
                                       "email, support, approval, note, or a store's own "
                                       "(default: call).",
                                       autocompletion=complete_types)] = "",
    title: Annotated[str, typer.Option("--title", "-T", help="A short title.")] = "",
    date: Annotated[str, typer.Option("--date", "-D", help="When it happened: ISO 8601 or "
                                      "words ('yesterday 3pm'). Default: now.")] = "",
    participant: Annotated[Many, typer.Option("--participant", "-p", help="'Name (Org, "
                                              "Role) <email>'; repeat for each.")] = None,
    decision: Annotated[Many, typer.Option("--decision", "-d", help="A decision; repeat "
                                           "for each, or 'none'.")] = None,
    next_step: Annotated[Many, typer.Option("--next", "-n", help="'TEXT @OWNER due:WHEN'; "
                                            "repeat for each, or 'none'.")] = None,
    tag: Annotated[Many, typer.Option("--tag", help="A tag; repeat for each.")] = None,
    channel: Annotated[str, typer.Option("--channel", help="phone, video, email...")] = "",
    case: Annotated[str, typer.Option("--case", help="The case or matter it belongs "
                                      "to.")] = "",
    ref: Annotated[Many, typer.Option("--ref", help="An invoice, contract or ticket "
                                      "number; repeat for each.")] = None,
    field: Annotated[Many, typer.Option("--set", help="Any other field: KEY=VALUE (repeat "
                                        "a key for a list).")] = None,
    body: Annotated[str, typer.Option("--body", "-m", help="The notes (Markdown).")] = "",
    new_client: Annotated[bool, typer.Option("--new-client", help="Create the client if it "
                                             "does not exist.")] = False,
    no_edit: Annotated[bool, typer.Option("--no-edit", help="Do not open the editor: the "
                                          "flags must say everything.")] = False,
    from_stdin: Annotated[bool, typer.Option("--stdin", help="Read a whole record, or just "
                                             "its body, from standard input.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Record an interaction: from flags, in your editor, or from stdin."""
    from ilog.errors import UnknownClientError
    from ilog.ops.capture import NewRequest, new_record

    request = NewRequest(
        client=client, type=type_, title=title, date=date, channel=channel,
        participants=participant or [], decisions=decision or [],
        next_steps=next_step or [], tags=tag or [], case=case, refs=ref or [],
        fields=_fields(field or []), body=body, new_client=new_client,
        stdin=sys.stdin.read() if from_stdin else None,
    )
    store = state(ctx).store()
    runner = None if no_edit or from_stdin else _editor_runner()
    try:
        record = new_record(store, request, run_editor=runner)
    except UnknownClientError:
        if new_client or not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise
        typer.confirm(f"No client '{client}' yet. Create it?", abort=True, err=True)
        request.new_client = True
        record = new_record(store, request, run_editor=runner)
    _report(ctx, record, as_json, "Recorded")


@app.command()
def edit(ctx: typer.Context, ref: IdArgument, as_json: JsonOption = False) -> None:
    """Edit a record in your editor (validated like a new one)."""
    from ilog.ops.capture import edit_record

    record = edit_record(state(ctx).store(), ref, run_editor=_editor_runner())
    _report(ctx, record, as_json, "Saved")


@app.command()
def amend(
    ctx: typer.Context,
    ref: IdArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why the record is corrected "
                                        "(required).")] = "",
    from_stdin: Annotated[bool, typer.Option("--stdin", help="Read the corrected record from "
                                             "standard input instead of the editor.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Correct a sealed record: a new record that names the one it amends and why; the
    original never changes. The editor opens on the latest version."""
    from ilog.ops.amend import amend_record

    original, amendment = amend_record(
        state(ctx).store(), ref, reason, run_editor=None if from_stdin else _editor_runner(),
        text=sys.stdin.read() if from_stdin else None)
    if as_json:
        _report(ctx, amendment, as_json, "Amended")
        return
    typer.echo(f"Amended {original.short_id} with {amendment.short_id} {amendment.path}")


def _fields(pairs: list[str]) -> dict[str, list[str]]:
    from ilog.errors import FormatError

    result: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise FormatError(f"--set {pair!r}: write it as KEY=VALUE, e.g. --set priority=high")
        result.setdefault(key.strip(), []).append(value.strip())
    return result


def _editor_runner() -> EditorRunner:
    from ilog.ops.editor import run_editor

    return run_editor


def _report(ctx: typer.Context, record: Record, as_json: bool, verb: str) -> None:
    if as_json:
        from ilog.cli.output import print_json
        from ilog.views.jsonshapes import record_as_data

        print_json(record_as_data(record))
        return
    typer.echo(f"{verb} {record.short_id} {record.path}")
