"""Commands that read records: show, check."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ilog.cli.app import JsonOption, app, progress, state
from ilog.cli.completion import complete_records

if TYPE_CHECKING:
    from rich.console import Console

    from ilog.model import Record
    from ilog.ops.show import Shown

IdArgument = Annotated[str, typer.Argument(metavar="ID", help="A record id (any unique prefix, 4+ "
                                           "characters) or the record file's path.",
                                           autocompletion=complete_records)]


@app.command()
def show(
    ctx: typer.Context,
    ref: IdArgument,
    raw: Annotated[bool, typer.Option("--raw", help="Print the file exactly as stored.")] = False,
    every: Annotated[bool, typer.Option("--versions", help="Every version of an amended "
                                        "record, oldest first, with what changed.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Print a record: its latest version, marked when it was amended."""
    from ilog.ops.show import show as show_record
    from ilog.ops.show import version_diffs

    shown = show_record(state(ctx).store(), ref)
    if raw:
        typer.echo(shown.text, nl=False)
        return
    store = state(ctx).store()
    diffs = version_diffs(store, shown.versions) if every else []
    if as_json:
        _show_json(shown, diffs, every=every)
        return
    out = state(ctx).out()
    for number, version in enumerate(shown.versions if every else [shown.latest]):
        _print_record(out, version, _version_note(shown, version, every=every))
        if every and number < len(diffs):
            typer.echo(diffs[number])


def _version_note(shown: Shown, version: Record, *, every: bool) -> str:
    """What to say above a record that has other versions ("" if it has none)."""
    from ilog.views.history import version_text

    note = version_text(version, [v.id for v in shown.versions])
    if not note:
        return ""
    note = note[0].upper() + note[1:]
    if not every:
        asked = "" if shown.asked.id == version.id else \
            f"; you asked for {shown.asked.short_id}, version " \
            f"{shown.versions.index(shown.asked) + 1}"
        note += f"{asked}. 'ilog show {shown.asked.short_id} --versions' shows every version"
    return note


def _print_record(out: Console, record: Record, note: str) -> None:
    from ilog.cli.render import notice, record_plain, record_view

    if out.is_terminal:
        if note:
            out.print(notice(note))
        out.print(record_view(record))
    else:
        typer.echo((f"{note}\n" if note else "") + record_plain(record), nl=False)


def _show_json(shown: Shown, diffs: list[str], *, every: bool) -> None:
    from ilog.cli.output import print_json
    from ilog.views.jsonshapes import record_as_data

    if every:
        print_json({"versions": [record_as_data(v) for v in shown.versions], "diffs": diffs})
    else:
        print_json({**record_as_data(shown.latest),
                    "versions": [v.id for v in shown.versions]})


@app.command()
def check(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(metavar="PATH...",
        help="Record files or folders to check (default: the whole store).")] = None,
    staged: Annotated[bool, typer.Option("--staged", help="Check the records staged in git "
                                         "(for a pre-commit hook).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Validate records against the format and their templates, and completion events and
    client profiles against theirs (exit 32 on problems)."""
    from ilog.errors import CheckFailedError
    from ilog.ops.check import check as check_store
    with progress(ctx, "Checking records") as advance:
        report = check_store(state(ctx).store(), paths or None, staged=staged,
                               progress=advance)
    if as_json:
        from ilog.cli.output import print_json
        from ilog.views import jsonshapes

        print_json({"checked": report.checked,
                    "problems": [jsonshapes.problem_as_data(p) for p in report.problems]})
    else:
        for problem in report.problems:
            typer.echo(str(problem))
    summary = f"checked {report.checked} file(s): {len(report.problems) or 'no'} problem(s)"
    if report.problems:
        raise CheckFailedError(summary)
    if not as_json:
        typer.echo(summary, err=True)
