"""Commands about records as evidence: verify, seal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ilog.cli.app import JsonOption, app, progress, state
from ilog.cli.completion import complete_clients


@app.command()
def verify(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(metavar="[CLIENT]", help="Only this client "
                                          "(default: every client).",
                                          autocompletion=complete_clients)] = "",
    as_json: JsonOption = False,
) -> None:
    """Prove records are as they were sealed: every seal recomputed, every amendment's
    original there, and in a git store no sealed record changed or deleted in any commit of
    any ref (exit 38 on any finding)."""
    from ilog.errors import VerifyFailedError
    from ilog.verify import verify as run_verify

    with progress(ctx, "Verifying records") as advance:
        report = run_verify(state(ctx).store(), client, progress=advance)
    if as_json:
        from ilog.jsondata import verify_as_data
        from ilog.output import print_json

        print_json(verify_as_data(report))
    else:
        for finding in report.findings:
            where = f"{finding.path}:{finding.line}" if finding.line else finding.path
            typer.echo(f"{where}: {finding.kind}: {finding.message}")
    history = f" and git history at {report.commit[:10]}" if report.commit else \
        " (not a git store: seals only, no earlier copies to compare with)"
    summary = (f"verified {report.checked} record(s){history}: "
               f"{len(report.findings) or 'no'} finding(s)")
    if report.findings:
        raise VerifyFailedError(summary)
    if not as_json:
        typer.echo(summary, err=True)


@app.command("seal")
def seal_records(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(metavar="[PATH...]", help="Record "
                                                       "files or folders (default: every "
                                                       "record).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Seal records written before seals existed (sealed ones are left as they are)."""
    from ilog.sealing import seal_unsealed

    sealed = seal_unsealed(state(ctx).store(), paths or None)
    if as_json:
        from ilog.output import print_json

        print_json({"sealed": [p.as_posix() for p in sealed]})
        return
    typer.echo(f"sealed {len(sealed)} record(s)", err=True)
