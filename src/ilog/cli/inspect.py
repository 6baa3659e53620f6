"""Commands that read records: show, check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ilog.cli.app import JsonOption, app, progress, state
from ilog.cli.completion import complete_records

IdArgument = Annotated[str, typer.Argument(metavar="ID", help="A record id (any unique prefix, 4+ "
                                           "characters) or the record file's path.",
                                           autocompletion=complete_records)]


@app.command()
def show(
    ctx: typer.Context,
    ref: IdArgument,
    raw: Annotated[bool, typer.Option("--raw", help="Print the file exactly as stored.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Print one record."""
    from ilog import service

    record, text = service.show(state(ctx).store(), ref)
    if raw:
        typer.echo(text, nl=False)
    elif as_json:
        from ilog import jsondata
        from ilog.output import print_json

        print_json(jsondata.record_as_data(record))
    else:
        from ilog.render import record_plain, record_view

        out = state(ctx).out()
        if out.is_terminal:
            out.print(record_view(record))
        else:
            typer.echo(record_plain(record), nl=False)


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
    from ilog import service
    from ilog.errors import CheckFailedError
    with progress(ctx, "Checking records") as advance:
        report = service.check(state(ctx).store(), paths or None, staged=staged,
                               progress=advance)
    if as_json:
        from ilog import jsondata
        from ilog.output import print_json

        print_json({"checked": report.checked,
                    "problems": [jsondata.problem_as_data(p) for p in report.problems]})
    else:
        for problem in report.problems:
            typer.echo(str(problem))
    summary = f"checked {report.checked} file(s): {len(report.problems) or 'no'} problem(s)"
    if report.problems:
        raise CheckFailedError(summary)
    if not as_json:
        typer.echo(summary, err=True)
