"""Commands about records as evidence: verify, seal, hold, release, purge, erase, changes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ilog.cli.completion import complete_clients
from ilog.cli.output import Output, Screen
from ilog.cli.params import JSON, ONLY_CLIENT, RECORD_ID, at_home
from ilog.cli.session import Session
from ilog.views.text import counted

#: How many warnings verify prints (a store imported in one commit would warn of every record).
SHOWN_WARNINGS = 10


def verify(
    session: Session,
    client: Annotated[str, typer.Argument(
        metavar="CLIENT", help="Only this client (default: every client).",
        autocompletion=complete_clients, show_default=False)] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Prove records are as they were sealed: every seal recomputed, every amendment's
    original there, and in a git store no sealed record changed or deleted in any commit of
    any ref (exit 38 on any finding).

    Examples:

    ilog verify
    ilog verify acme --json
    """
    from ilog.errors import VerifyFailedError
    from ilog.evidence.verify import verify as run_verify

    with session.progress("Verifying records") as advance:
        report = run_verify(session.store(), client, progress=advance)
    if report.commit:
        history = f" and git history at {report.commit[:10]}"
    elif report.repository:
        history = (" (no commits yet: seals only; once records are committed, or synced, "
                   "verify compares them with their earlier copies)")
    else:
        history = " (not a git store: seals only, no earlier copies to compare with)"
    summary = (f"verified {counted(report.checked, 'record')}{history}: "
               f"{counted(len(report.findings), 'finding', none='no')}")

    def data() -> object:
        from ilog.views.jsonshapes import verify_as_data

        return verify_as_data(report)

    def text(screen: Screen) -> None:
        for finding in report.findings:
            where = f"{finding.path}:{finding.line}" if finding.line else finding.path
            screen.say(f"{where}: {finding.kind}: {finding.message}")
        for warning in report.warnings[:SHOWN_WARNINGS]:
            screen.note(f"warning: {warning.path}: {warning.kind}: {warning.message}")
        if len(report.warnings) > SHOWN_WARNINGS:
            screen.note(f"warning: {counted(len(report.warnings) - SHOWN_WARNINGS, 'more record')}"
                        " committed by someone other than its author (--json lists them)")
        if not report.findings:
            screen.note(summary)

    return Output(data, text, then=VerifyFailedError(summary) if report.findings else None)


def seal(
    session: Session,
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="PATH", help="Record files or folders (default: every record).",
        callback=at_home, show_default=False)] = None,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Seal records written before seals existed (sealed ones are left as they are).

    Examples:

    ilog seal
    ilog seal clients/acme-corp/2025
    """
    from ilog.evidence.unsealed import seal_unsealed

    sealed = seal_unsealed(session.store(), paths or None)
    return Output(lambda: {"sealed": [p.as_posix() for p in sealed]},
                  lambda screen: screen.note(f"sealed {counted(len(sealed), 'record')}"))


def hold(
    session: Session,
    ref: Annotated[str, RECORD_ID],
    reason: Annotated[str, typer.Option("--reason", help="Why (a matter, a request).")] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Place a legal hold on a record: purge never deletes it until it is released.

    Examples:

    ilog hold 36xjj334 --reason 'dispute DP-1'
    """
    return _hold(session, ref, reason, place=True)


def release(
    session: Session,
    ref: Annotated[str, RECORD_ID],
    reason: Annotated[str, typer.Option("--reason", help="Why it may go now.")] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Release a record's legal hold.

    Examples:

    ilog release 36xjj334 --reason 'dispute DP-1 settled'
    """
    return _hold(session, ref, reason, place=False)


def _hold(session: Session, ref: str, reason: str, *, place: bool) -> Output:
    from ilog.evidence.holds import set_hold

    record = set_hold(session.store(), ref, reason, place=place)
    verb = "Held" if place else "Released"
    return Output(lambda: {"record": record.id, "path": str(record.path), "held": place,
                           "reason": reason.strip() or None},
                  lambda screen: screen.say(f"{verb} {record.short_id} {record.path}"),
                  done=f"{record.short_id} was {verb.lower()}")


def purge(
    session: Session,
    yes: Annotated[bool, typer.Option(
        "--yes", help="Delete them (without it, only list what would go).")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Delete records past their retention period (listing them first: a dry run unless
    --yes); each leaves a tombstone, holds keep theirs.

    Examples:

    ilog purge
    ilog purge --yes
    """
    from ilog.evidence import retention
    from ilog.ops.search import forget_deleted

    store = session.store()
    found = retention.plan(store)
    gone = 0
    if yes:  # an earlier purge may have stopped before the index forgot what it deleted
        with session.progress("Purging records") as advance:
            gone = retention.purge(store, found.expired, progress=advance)
        forget_deleted(store, done=f"{counted(gone, 'record')} purged", again="ilog purge --yes")

    def data() -> object:
        from ilog.views.jsonshapes import purge_as_data

        return purge_as_data(found, deleted=gone)

    def text(screen: Screen) -> None:
        for item in found.expired + found.held:
            note = f"kept: {item.hold}" if item.hold else ("deleted" if yes else "would go")
            for record in item.records:
                screen.say(f"{record.path}  retention {item.retention} ended {item.ended}  "
                           f"{note}")
        verb = "deleted" if yes else "would delete (run with --yes to delete)"
        screen.note(f"{verb} {counted(sum(len(i.records) for i in found.expired), 'record')}; "
                    f"{len(found.held)} kept by a legal hold")

    return Output(data, text)


def erase(
    session: Session,
    client: Annotated[str, typer.Argument(
        metavar="CLIENT", help="The client to forget.", autocompletion=complete_clients,
        show_default=False)],
    reason: Annotated[str, typer.Option(
        "--reason", help="Why (kept in the tombstones: no names).")] = "",
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask (for scripts).")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Erase a client: every file of it, its index entries and caches; a tombstone per
    record keeps the audit trail whole. Prints how to remove it from git history too.

    Examples:

    ilog erase northwind --reason 'erasure request of 2026-11-23'
    ilog erase northwind --reason 'erasure request of 2026-11-23' --yes
    """
    import shlex

    from ilog.errors import AbortedError, UsageError
    from ilog.evidence import erasure
    from ilog.ops.search import forget_deleted

    if not reason.strip():
        raise UsageError("an erasure needs a reason: --reason \"erasure request of "
                         "2026-11-23\" (no names: the reason stays in the tombstones)")
    store = session.store()
    found = erasure.plan(store, client)
    what = (f"{counted(len(found.records), 'record')}, "
            f"{counted(found.attachments, 'attachment folder')} and "
            f"{counted(len(found.other_files), 'other file')} (events, holds, the profile) of "
            f"clients/{found.client}/")
    if found.moved_here:
        what += (f", and {counted(len(found.moved_here), 'record')} filed under other clients "
                 f"and moved here ({', '.join(str(r.path) for r in found.moved_here[:3])}"
                 f"{', ...' if len(found.moved_here) > 3 else ''})")
    if not (yes or found.finishing):  # finishing removes only what ilog derived
        if not session.interactive():
            raise AbortedError(f"this would erase {what}; add --yes to do it")
        session.confirm(f"Erase {what}? This cannot be undone")
    count = erasure.erase(store, found, reason)
    forget_deleted(store, done=f"the files of {found.client} were erased",
                   again=f"ilog erase {found.client} --reason {shlex.quote(reason)}")
    steps = erasure.history_steps(found)

    def text(screen: Screen) -> None:
        if found.finishing:
            screen.say(f"Finished the erasure of {found.client}: its files were gone, its "
                       "index entries, caches and drafts are gone now.")
        else:
            screen.say(f"Erased {counted(count, 'record')} of {found.client}; tombstones are in "
                       "tombstones/.")
        screen.say("The data is still in git history and in other clones. To remove it "
                   "from history:")
        screen.say("\n".join(f"  {number}. {step}" for number, step in enumerate(steps, 1)))

    return Output(lambda: {"client": found.client, "erased": count,
                           "finished_earlier_erasure": found.finishing,
                           "history_steps": steps}, text,
                  done=f"{counted(count, 'record')} of {found.client} erased")


def changes(
    session: Session,
    number: Annotated[int, typer.Option(
        "-n", "--number", min=1, help="How many (default 20).")] = 20,
    client: Annotated[str, ONLY_CLIENT] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Who recorded, completed, amended, withdrew or deleted what, and when: the store's
    changes in git's history of this branch, newest first.

    Examples:

    ilog changes
    ilog changes -n 50 --client acme --json
    """
    from ilog.ops.changes import changes as store_changes
    from ilog.store.profiles import resolve_slug

    store = session.store()
    found = store_changes(store, limit=number,
                          client=resolve_slug(store, client) if client else "")

    def data() -> object:
        return [{"commit": c.commit, "when": c.when.isoformat(), "author": c.author,
                 "action": c.action, "path": c.path, "client": c.client or None,
                 "about": c.about or None} for c in found]

    def text(screen: Screen) -> None:
        if not found:
            screen.note("no changes in git's history")
        for c in found:
            parts = [f"{c.when.astimezone():%Y-%m-%d %H:%M}", c.author, c.action, c.client,
                     c.about, c.commit[:8]]
            screen.say("  ".join(part for part in parts if part))

    return Output(data, text)
