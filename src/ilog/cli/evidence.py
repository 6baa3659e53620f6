"""Commands about records as evidence: verify, seal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ilog.cli.app import JsonOption, app, progress, state
from ilog.cli.completion import complete_clients
from ilog.cli.records import IdArgument


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
    from ilog.evidence.verify import verify as run_verify

    with progress(ctx, "Verifying records") as advance:
        report = run_verify(state(ctx).store(), client, progress=advance)
    if as_json:
        from ilog.cli.output import print_json
        from ilog.views.jsonshapes import verify_as_data

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
    from ilog.evidence.unsealed import seal_unsealed

    sealed = seal_unsealed(state(ctx).store(), paths or None)
    if as_json:
        from ilog.cli.output import print_json

        print_json({"sealed": [p.as_posix() for p in sealed]})
        return
    typer.echo(f"sealed {len(sealed)} record(s)", err=True)


@app.command()
def purge(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="Delete them (without it, only list "
                                      "what would go).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Delete records past their retention period (listing them first: a dry run unless
    --yes); each leaves a tombstone, holds keep theirs."""
    from ilog.evidence import retention as purging
    from ilog.ops.search import forget_deleted

    store = state(ctx).store()
    found = purging.plan(store)
    gone = 0
    if yes and found.expired:
        with progress(ctx, "Purging records") as advance:
            gone = purging.purge(store, found.expired, progress=advance)
        forget_deleted(store)
    if as_json:
        from ilog.cli.output import print_json
        from ilog.views.jsonshapes import purge_as_data

        print_json(purge_as_data(found, deleted=gone))
        return
    for item in found.expired + found.held:
        note = f"kept: {item.hold}" if item.hold else ("deleted" if yes else "would go")
        for record in item.records:
            typer.echo(f"{record.path}  retention {item.retention} ended {item.ended}  {note}")
    verb = "deleted" if yes else "would delete (run with --yes to delete)"
    typer.echo(f"{verb} {sum(len(i.records) for i in found.expired)} record(s); "
               f"{len(found.held)} kept by a legal hold", err=True)


@app.command()
def hold(
    ctx: typer.Context,
    ref: IdArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why (a matter, a request).")] = "",
) -> None:
    """Place a legal hold on a record: purge never deletes it until it is released."""
    _hold(ctx, ref, reason, place=True)


@app.command()
def release(
    ctx: typer.Context,
    ref: IdArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why it may go now.")] = "",
) -> None:
    """Release a record's legal hold."""
    _hold(ctx, ref, reason, place=False)


def _hold(ctx: typer.Context, ref: str, reason: str, *, place: bool) -> None:
    from ilog.evidence.holds import set_hold

    record = set_hold(state(ctx).store(), ref, reason, place=place)
    typer.echo(f"{'Held' if place else 'Released'} {record.short_id} {record.path}")


@app.command()
def erase(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(metavar="CLIENT", help="The client to forget.",
                                          autocompletion=complete_clients)],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the tombstones: no "
                                        "names).")] = "",
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask (for scripts).")] = False,
) -> None:
    """Erase a client: every file of it, its index entries and caches; a tombstone per
    record keeps the audit trail whole. Prints how to remove it from git history too."""
    import sys

    from ilog.errors import AbortedError
    from ilog.evidence import erasure as erasing
    from ilog.ops.search import forget_deleted

    store = state(ctx).store()
    found = erasing.plan(store, client)
    what = (f"{len(found.records)} record(s), {found.attachments} attachment folder(s) and "
            f"{len(found.other_files)} other file(s) (events, holds, the profile) of "
            f"clients/{found.client}/")
    if not yes:
        if not sys.stdin.isatty():
            raise AbortedError(f"this would erase {what}; add --yes to do it")
        typer.confirm(f"Erase {what}? This cannot be undone", abort=True, err=True)
    count = erasing.erase(store, found, reason)
    forget_deleted(store)
    typer.echo(f"Erased {count} record(s) of {found.client}; tombstones are in tombstones/.")
    typer.echo("The data is still in git history and in other clones. To remove it from "
               "history:")
    for number, step in enumerate(erasing.history_steps(found.client), 1):
        typer.echo(f"  {number}. {step}")
