"""Commands that read records: show, log, check."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ilog.cli.output import Output, Screen
from ilog.cli.params import JSON, ONLY_CLIENT, ONLY_TYPES, RECORD_ID, Many, at_home
from ilog.cli.session import Session
from ilog.views.text import counted

if TYPE_CHECKING:
    from ilog.model import Record, TrackedStep
    from ilog.ops.show import Shown


def show(
    session: Session,
    ref: Annotated[str, RECORD_ID],
    raw: Annotated[bool, typer.Option("--raw", help="Print the file exactly as stored.")] = False,
    every: Annotated[bool, typer.Option(
        "--versions", help="Every version of an amended record, oldest first, with what "
        "changed.")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Print a record: its latest version, marked when it was amended.

    Examples:

    ilog show 36xjj334
    ilog show 36xj --versions
    ilog show 36xjj334 --raw > copy.md
    """
    from ilog.cli.values import one_of
    from ilog.ops.show import show as show_record
    from ilog.ops.show import version_diffs

    one_of({"--raw": raw, "--json": as_json})
    store = session.store()
    shown = show_record(store, ref)
    diffs = version_diffs(store, shown.versions) if every else []

    def data() -> object:
        from datetime import date

        from ilog.views.jsonshapes import record_as_data, tracked_as_data

        def with_steps(version: Record) -> dict[str, object]:
            steps = shown.steps.get(version.id)
            return {**record_as_data(version), **({"next_steps": [
                tracked_as_data(s, date.today()) for s in steps]} if steps else {})}

        if every:
            return {"versions": [with_steps(v) for v in shown.versions], "diffs": diffs}
        return {**with_steps(shown.latest), "versions": [v.id for v in shown.versions],
                "diverged": [other._asdict() for other in shown.diverged]}

    def text(screen: Screen) -> None:
        if raw:
            screen.write(shown.text, exact=True)
            return
        for number, version in enumerate(shown.versions if every else [shown.latest]):
            _print_record(screen, version, _version_note(shown, version, every=every),
                          shown.steps.get(version.id, []))
            if every and number < len(diffs):
                screen.say(diffs[number])

    return Output(data, text)


def _version_note(shown: Shown, version: Record, *, every: bool) -> str:
    """What to say above a record that has other versions ("" if it has none)."""
    from ilog.views.history import diverged_text, version_text

    note = version_text(version, [v.id for v in shown.versions])
    if shown.diverged and version.id == shown.latest.id:
        note = f"{note}; diverged: {diverged_text(version, shown.diverged)}".lstrip("; ")
    if not note:
        return ""
    note = note[0].upper() + note[1:]
    if not every:
        asked = "" if shown.asked.id == version.id else \
            f"; you asked for {shown.asked.short_id}, version " \
            f"{shown.versions.index(shown.asked) + 1}"
        note += f"{asked}. 'ilog show {shown.asked.short_id} --versions' shows every version"
    return note


def _print_record(screen: Screen, record: Record, note: str,
                  steps: list[TrackedStep]) -> None:
    from ilog.model import TAMPERED_NOTE
    from ilog.views.record import record_plain

    if record.tampered:
        note = f"{TAMPERED_NOTE}\n{note}".rstrip("\n")
    if not screen.terminal:
        screen.say((f"{note}\n" if note else "") + record_plain(record, steps))
        return
    from ilog.cli.render import notice, record_view

    out = screen.session.out()
    if note:
        out.print(notice(note))
    out.print(record_view(record, steps))


def check(
    session: Session,
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="PATH", help="Record files or folders to check (default: the whole store).",
        callback=at_home, show_default=False)] = None,
    staged: Annotated[bool, typer.Option(
        "--staged", help="Check the records staged in git (for a pre-commit hook).")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Validate records against the format and their templates, and completion events and
    client profiles against theirs (exit 32 on problems). Files found clean before are read
    again only once they change.

    Examples:

    ilog check
    ilog check clients/acme-corp
    ilog check --staged
    """
    from ilog.errors import CheckFailedError
    from ilog.ops.check import check as check_store

    with session.progress("Checking records") as advance:
        report = check_store(session.store(), paths or None, staged=staged, progress=advance)
    summary = (f"checked {counted(report.checked, 'file')}: "
               f"{counted(len(report.problems), 'problem', none='no')}")

    def data() -> object:
        from ilog.views.jsonshapes import problem_as_data

        return {"checked": report.checked,
                "problems": [problem_as_data(p) for p in report.problems]}

    def text(screen: Screen) -> None:
        for problem in report.problems:
            screen.say(str(problem))
        if not report.problems:
            screen.note(summary)

    return Output(data, text, then=CheckFailedError(summary) if report.problems else None)


def log(
    session: Session,
    number: Annotated[int, typer.Option(
        "-n", "--number", min=1, help="How many (default 20).")] = 20,
    client: Annotated[str, ONLY_CLIENT] = "",
    type_: Annotated[Many, ONLY_TYPES] = None,
    owner: Annotated[str, typer.Option(
        "--owner", "-o", help="Only records with a next step of this owner.")] = "",
    since: Annotated[str, typer.Option("--since", help="Only on or after this day.")] = "",
    until: Annotated[str, typer.Option("--until", help="Only on or before this day.")] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """The newest interactions across every client, newest first, one a line (the latest
    version of each; withdrawn ones left out).

    Examples:

    ilog log
    ilog log -n 50 --type call --since 'last month'
    ilog log --owner bob --json
    """
    from datetime import date

    from ilog.cli.values import day_range
    from ilog.ops.log import LogFilter
    from ilog.ops.log import log as newest

    first, last = day_range(since, until, session.settings.date_order)
    wanted = LogFilter(client=client, types=type_ or [], owner=owner, since=first, until=last,
                       limit=number)
    entries = newest(session.store(), wanted, with_steps=as_json)
    today = date.today()

    def data() -> object:
        from ilog.views.jsonshapes import log_entry_as_data

        return [log_entry_as_data(entry, today) for entry in entries]

    def text(screen: Screen) -> None:
        from ilog.views.history import log_line

        if not entries:
            screen.note("no interactions match")
            return
        screen.lines([log_line(entry) for entry in entries])

    return Output(data, text)
