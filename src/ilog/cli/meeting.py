"""Before the meeting: history, actions, done, reopen, step, agenda."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from ilog.cli.output import Output, Screen
from ilog.cli.params import (
    CLIENT,
    DONE_STEP,
    JSON,
    MINE,
    ONLY_CLIENT,
    ONLY_OWNER,
    ONLY_TYPES,
    OPEN_STEP,
    Many,
)
from ilog.cli.session import Session
from ilog.views.text import counted

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from ilog.ops.steps import Changed

NOTE = typer.Option("--note", "-m", help="A short note: how, where, a reference.")


def history(
    session: Session,
    client: Annotated[str, CLIENT],
    full: Annotated[bool, typer.Option("--full", help="Add each record's notes (body).")] = False,
    since: Annotated[str, typer.Option(
        "--since", help="Only interactions on or after this day: ISO 8601 or words ('last "
        "month').")] = "",
    until: Annotated[str, typer.Option(
        "--until", help="Only interactions on or before this day.")] = "",
    type_: Annotated[Many, ONLY_TYPES] = None,
    case: Annotated[str, typer.Option("--case", help="Only this case or matter.")] = "",
    tag: Annotated[Many, typer.Option(
        "--tag", help="Only records with this tag; repeat to require several.")] = None,
    limit: Annotated[int | None, typer.Option(
        "--limit", "-l", min=1, help="Only the newest N that match.")] = None,
    reverse: Annotated[bool, typer.Option(
        "--reverse", "-r", help="Oldest first (after --limit, as in git log).")] = False,
    withdrawn: Annotated[bool, typer.Option(
        "--withdrawn", help="Withdrawn interactions too (ilog void, ilog move), marked.")] = False,
    as_json: Annotated[bool, JSON] = False,
    as_markdown: Annotated[bool, typer.Option(
        "--markdown", help="A Markdown briefing to paste into an agenda or an e-mail.")] = False,
) -> Output:
    """What happened with a client and what is still open: a briefing (contacts, last
    contact, open next steps, recent decisions), then every interaction, newest first.

    Examples:

    ilog history acme
    ilog history acme --since 'last month' --full
    ilog history acme --markdown > briefing.md
    """
    from ilog.cli.values import day_range, one_of
    from ilog.errors import UnreadableFilesError
    from ilog.ops.history import HistoryFilter
    from ilog.ops.history import history as find_history

    one_of({"--json": as_json, "--markdown": as_markdown})
    first, last = day_range(since, until, session.settings.date_order)
    wanted = HistoryFilter(since=first, until=last, types=type_ or [], case=case,
                           tags=tag or [], limit=limit, reverse=reverse, full=full,
                           withdrawn=withdrawn)
    found = find_history(session.store(), client, wanted)
    files = sorted({p.path or "" for p in found.problems})
    unreadable = UnreadableFilesError(
        f"{counted(len(files), 'file')} of {found.briefing.client.slug} could not be read, left "
        f"out ({', '.join(files[:3])}{', ...' if len(files) > 3 else ''}); 'ilog check' says "
        "why") if files else None

    def data() -> object:
        from ilog.views.jsonshapes import history_as_data

        return history_as_data(found, full=full)

    def text(screen: Screen) -> None:
        if as_markdown:
            from ilog.views.history import markdown

            screen.say(markdown(found, full=full))
            return
        from ilog.views.history import history_lines
        from ilog.views.text import plain

        briefing, rest = history_lines(found, full=full)

        def view(out: Console) -> RenderableType:
            from ilog.cli.render import history_view

            return history_view(briefing, rest, out)

        screen.rich(view, plain(briefing + rest))

    return Output(data, text, then=unreadable)


def actions(
    session: Session,
    owner: Annotated[str, ONLY_OWNER] = "",
    mine: Annotated[bool, MINE] = False,
    client: Annotated[str, ONLY_CLIENT] = "",
    overdue: Annotated[bool, typer.Option(
        "--overdue", help="Only steps past their due date.")] = False,
    due_within: Annotated[str, typer.Option(
        "--due-within", help="Only steps due within, e.g. 7d, 2w or 'next friday'.")] = "",
    include_done: Annotated[bool, typer.Option("--all", help="Include done steps.")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """List next steps across all clients, soonest due first (open ones unless --all).

    Examples:

    ilog actions --mine --overdue
    ilog actions --client acme --due-within 2w
    """
    from ilog.cli.values import days
    from ilog.ops import actions as steps

    store = session.store()
    wanted = steps.ActionFilter(owner=steps.my_owner_name(store) if mine else owner,
                                client=client, overdue=overdue,
                                due_within=days(due_within, "--due-within", until_day=True,
                                                order=session.settings.date_order),
                                include_done=include_done)
    with session.progress("Reading clients") as advance:
        found = steps.list_actions(store, wanted, progress=advance)

    def data() -> object:
        from ilog.views.jsonshapes import action_as_data

        return [action_as_data(a) for a in found]

    def text(screen: Screen) -> None:
        from ilog.views.actions import action_lines

        screen.lines(action_lines(found, date.today(), screen=screen.width))

    return Output(data, text)


def done(
    session: Session,
    step: Annotated[str, OPEN_STEP],
    note: Annotated[str, NOTE] = "",
    when: Annotated[str, typer.Option(
        "--date", "-D", help="When it was done (default: now), between the record's date and now; "
        "ISO 8601 or words.")] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Mark a next step done (the record it belongs to is not changed).

    Examples:

    ilog done f1cj --note 'sent by mail'
    ilog done f1cj --date 'yesterday 4pm'
    """
    return _mark(session, step, done=True, note=note, when=when)


def reopen(
    session: Session,
    step: Annotated[str, DONE_STEP],
    note: Annotated[str, NOTE] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Mark a done or dropped next step open again.

    Examples:

    ilog reopen f1cj --note 'the client never got it'
    """
    return _mark(session, step, done=False, note=note, when="")


def _mark(session: Session, step: str, *, done: bool, note: str, when: str) -> Output:
    from ilog.ops.steps import mark

    changed = mark(session.store(), step, done=done, note=note, when=when)
    found = changed.step.step

    def text(screen: Screen) -> None:
        screen.say(f"{'Done' if done else 'Reopened'} {found.id[:8]} {found.text!r} "
                   f"({changed.record.client}, record {changed.record.short_id})")

    return Output(lambda: _changed_data(changed), text,
                  done=f"next step {found.id[:8]} was marked {'done' if done else 'open'}")


def step(
    session: Session,
    step: Annotated[str, OPEN_STEP],
    due: Annotated[str, typer.Option(
        "--due", "-d", help="Move it to this day: ISO 8601 or words ('next friday', 'in 2 "
        "weeks').")] = "",
    owner: Annotated[str, typer.Option("--owner", "-o", help="Give it to this person.")] = "",
    note: Annotated[str, NOTE] = "",
    cancel: Annotated[bool, typer.Option(
        "--cancel", help="Drop it: it will not be done (not the same as done); needs "
        "--reason.")] = False,
    reason: Annotated[str, typer.Option(
        "--reason", "-r", help="Why it is dropped (with --cancel).")] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Reschedule, reassign, note or drop a next step, or show its trail (no option).

    The record is not changed: each change is an event beside it, attributed and kept.

    Examples:

    ilog step f1cj
    ilog step f1cj --due 'next monday' --note 'client asked for more time'
    ilog step f1cj --owner bob
    ilog step f1cj --cancel --reason 'the client withdrew the request'
    """
    if not (due or owner or note or cancel or reason):
        return _trail(session, step)
    from ilog.errors import UsageError
    from ilog.ops.steps import Change, change

    if reason and not cancel:
        raise UsageError("--reason says why a step is dropped: give it with --cancel (a note "
                         "is --note)")
    if cancel and note and reason:
        raise UsageError("give why the step is dropped once: --reason TEXT")

    changed = change(session.store(), step, Change(due, owner, reason or note, cancel))
    found, event = changed.step.step, changed.event

    def text(screen: Screen) -> None:
        from ilog.views.trail import event_text

        screen.say(f"{found.id[:8]} {found.text!r} ({changed.record.client}): "
                   + event_text(event, found.owner, found.due))

    verb = "dropped" if cancel else "changed"
    return Output(lambda: _changed_data(changed), text,
                  done=f"next step {found.id[:8]} was {verb}")


def _trail(session: Session, prefix: str) -> Output:
    """A step as it stands now, and what happened to it."""
    from ilog.ops.actions import find_step

    record, tracked = find_step(session.store(), prefix)
    today = date.today()

    def data() -> object:
        from ilog.views.jsonshapes import tracked_as_data

        return {**tracked_as_data(tracked, today), "client": record.client,
                "record": record.id, "record_title": record.title or None}

    def text(screen: Screen) -> None:
        from ilog.views.trail import step_report

        screen.say("\n".join(step_report(tracked, record, today)))

    return Output(data, text)


def _changed_data(changed: Changed) -> object:
    from ilog.fileformat.codec import iso
    from ilog.views.jsonshapes import event_as_data

    found, event = changed.step.step, changed.event
    return {**event_as_data(event), "text": found.text,
            "owner": event.owner or found.owner or None,
            "due": iso(event.due if event.due is not None else found.due),
            "client": changed.record.client}


def agenda(
    session: Session,
    owner: Annotated[str, ONLY_OWNER] = "",
    mine: Annotated[bool, MINE] = False,
    days: Annotated[int | None, typer.Option(
        "--days", min=1, help="How many days ahead (default: to the end of next week).")] = None,
    markdown: Annotated[bool, typer.Option(
        "--markdown", help="Markdown, to paste into an e-mail.")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """The week ahead: open next steps that are overdue, then those due each day of this week
    and the next, client by client.

    Examples:

    ilog agenda --mine
    ilog agenda --days 30 --markdown > agenda.md
    """
    from ilog.ops import actions as steps
    from ilog.ops.agenda import agenda as week_ahead

    store = session.store()
    found = week_ahead(store, owner=steps.my_owner_name(store) if mine else owner,
                       days=days)

    def data() -> object:
        from ilog.views.jsonshapes import agenda_as_data

        return agenda_as_data(found)

    def text(screen: Screen) -> None:
        if markdown:
            from ilog.views.agenda import agenda_markdown

            screen.say(agenda_markdown(found))
            return
        from ilog.views.agenda import agenda_lines

        screen.lines(agenda_lines(found))

    return Output(data, text)
