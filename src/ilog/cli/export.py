"""Export and import: audit packs, and next steps as iCalendar tasks both ways."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from ilog.cli.completion import complete_clients
from ilog.cli.output import Output, Screen
from ilog.cli.params import JSON, MINE, ONLY_CLIENT, at_home
from ilog.cli.session import Session
from ilog.views.text import counted

if TYPE_CHECKING:
    from ilog.store.usersettings import Settings


def audit(
    session: Session,
    client: Annotated[str, typer.Argument(
        metavar="CLIENT", help="The client.", autocompletion=complete_clients, show_default=False)],
    out: Annotated[Path, typer.Option(
        "--out", "-o", callback=at_home, help="A new (or empty) folder for the pack.")],
    report_format: Annotated[Literal["html", "md", "json", "csv"], typer.Option(
        "--format", "-f", help="The report: html (for people; prints well), md, json or "
        "csv.")] = "html",
    since: Annotated[str, typer.Option(
        "--since", help="Only interactions on or after this day.")] = "",
    until: Annotated[str, typer.Option(
        "--until", help="Only interactions on or before this day.")] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Everything about a client in a period, with every version, the completion history, a
    manifest of SHA-256 hashes and seals, the git commit, and how to check it all.

    Examples:

    ilog export audit acme --out ~/acme-audit
    ilog export audit acme --since 2026-01-01 -f md --out ~/acme-2026
    """
    from ilog.cli.values import day_range
    from ilog.evidence import auditpack
    from ilog.exchange.auditformats import RENDERERS

    first, last = day_range(since, until, session.settings.date_order)
    store = session.store()
    pack = auditpack.collect(store, client, since=first, until=last)
    report = auditpack.write(store, pack, out, report_format, RENDERERS[report_format](pack))
    return Output(
        lambda: {"client": pack.client.slug, "interactions": len(pack.interactions),
                 "folder": str(out), "report": report.name, "commit": pack.commit,
                 "files": len(pack.files)},
        lambda screen: screen.say(
            f"Wrote {counted(len(pack.interactions), 'interaction')} of {pack.client.slug} to "
            f"{out}: {report.name}, files/, manifest.json, SHA256SUMS, README.md"),
        done=f"the pack was written to {out}")


def tasks(
    session: Session,
    out: Annotated[Path, typer.Option(
        "--out", "-o", callback=at_home, help="A folder (a vdir: one .ics file a task, for "
        "todoman, vdirsyncer and CalDAV) or a FILE.ics (to import or subscribe to).")],
    owner: Annotated[str, typer.Option("--owner", help="Only steps owned by this name.")] = "",
    mine: Annotated[bool, MINE] = False,
    client: Annotated[str, ONLY_CLIENT] = "",
    include_done: Annotated[bool, typer.Option(
        "--all", help="Done and dropped steps too (else their tasks are removed).")] = False,
    remind: Annotated[str, typer.Option(
        "--remind", help="An alarm this long before the due date: 30m, 2h, 1d, 1w or none "
        "(default: user config 'remind', else 1d).")] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Next steps as iCalendar tasks (VTODO) for your task app or calendar.

    Run it again to update: tasks keep their UID, changed ones get a higher SEQUENCE, tasks of
    steps no longer exported are removed; tasks you changed in the app since are kept until
    'ilog import tasks' takes the change.

    Examples:

    ilog export tasks --mine --out ~/.local/share/tasks/ilog
    ilog export tasks --client acme --all --out acme.ics
    """
    from ilog.exchange.tasks import export_tasks
    from ilog.ops.actions import ActionFilter, my_owner_name

    store = session.store()
    wanted = ActionFilter(owner=my_owner_name(store) if mine else owner, client=client,
                          include_done=include_done)
    done = export_tasks(store, wanted, out,
                        remind=_reminder(remind, session.settings))

    def text(screen: Screen) -> None:
        screen.say(f"{counted(len(done.written), 'task')} written, {done.unchanged} unchanged, "
                   f"{len(done.removed)} removed: {done.target}")
        for name, why in done.kept:
            screen.note(f"kept {name}: {why}")
        if not (done.written or done.unchanged or done.kept):
            screen.note("no next step matches (--owner, --mine and --client choose them; "
                        "--all adds done and dropped ones)")

    return Output(lambda: {"target": str(done.target), "written": done.written,
                           "unchanged": done.unchanged, "removed": done.removed,
                           "kept": [{"file": n, "why": w} for n, w in done.kept]},
                  text, done=f"the tasks were written to {done.target}")


def _reminder(given: str, settings: Settings) -> timedelta | None:
    """--remind, else the user config's ``remind`` (a wrong one named with its file), else 1d."""
    from ilog.errors import UsageError
    from ilog.exchange.tasks import reminder

    if given:
        return reminder(given)
    configured = settings.config().get("remind", "1d")
    try:
        return reminder(str(configured))
    except UsageError as exc:
        raise UsageError(f"{settings.config_file}: remind: {exc}") from None


def import_tasks(
    session: Session,
    folder: Annotated[Path, typer.Argument(
        metavar="DIR", help="A folder of tasks (a vdir) 'ilog export tasks' wrote.",
        callback=at_home, show_default=False)],
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Take back what was done, dropped, reopened or rescheduled in your task app.

    Each change becomes an event by you (as 'ilog done' or 'ilog step' would write it);
    tasks ilog did not write are listed and left alone; running it twice changes nothing.

    Examples:

    ilog import tasks ~/.local/share/tasks/ilog
    """
    from ilog.exchange.tasks import import_tasks as take

    done = take(session.store(), folder)

    def text(screen: Screen) -> None:
        for step, change in done.changes:
            screen.say(f"{step[:8]} {change}")
        screen.say(f"{counted(len(done.changes), 'change')} taken, {done.unchanged} "
                   f"unchanged, {counted(len(done.foreign), 'task')} not ilog's, "
                   f"{len(done.skipped)} skipped")
        for name, summary in done.foreign:
            screen.note(f"not ilog's: {name} {summary!r}")
        for name, why in done.skipped:
            screen.note(f"skipped {name}: {why}")

    return Output(lambda: {"changes": [{"step": s, "change": c} for s, c in done.changes],
                           "unchanged": done.unchanged,
                           "foreign": [{"file": n, "summary": s} for n, s in done.foreign],
                           "skipped": [{"file": n, "why": w} for n, w in done.skipped]},
                  text, done=f"{counted(len(done.changes), 'change')} taken from {folder}")
