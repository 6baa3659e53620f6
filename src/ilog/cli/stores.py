"""Commands about the store itself: init, where, clients, templates, sync, hooks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from ilog.cli.completion import complete_types
from ilog.cli.output import Output, Screen
from ilog.cli.params import JSON, at_home
from ilog.cli.session import Session


def init(
    session: Session,
    path: Annotated[Path | None, typer.Argument(
        metavar="PATH", help="Folder of the new store (default: --store's, else this folder).",
        callback=at_home, show_default=False)] = None,
    no_git: Annotated[bool, typer.Option("--no-git", help="Do not run 'git init'.")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Create a store (harmless if it exists: no file is ever overwritten).

    Examples:

    ilog init ~/clients
    ilog init . --no-git
    """
    from ilog.store.locate import init_store

    path = path or Path(session.store_path or ".")
    created = init_store(path, git=not no_git)
    root = path.resolve()

    def text(screen: Screen) -> None:
        screen.say(f"Initialised ilog store in {root} ({', '.join(created)})" if created
                   else f"{root} is already an ilog store; nothing changed")

    return Output(lambda: {"store": str(root), "created": created}, text)


def where(session: Session, as_json: Annotated[bool, JSON] = False) -> Output:
    """Print which store is in use, and why (never creating one).

    Examples:

    ilog where
    ilog --store ~/clients where
    """
    store = session.store(create=False)
    return Output(lambda: {"store": str(store.root), "reason": store.reason},
                  lambda screen: screen.say(f"{store.root}  ({store.reason})"))


def clients(
    session: Session,
    sort: Annotated[Literal["last", "name", "open"], typer.Option(
        "--sort", help="last (most recent contact first), name, or open (most open next steps "
        "first).")] = "last",
    cold: Annotated[str, typer.Option(
        "--cold", help="Only clients not contacted for longer than this, e.g. 90d, 12w or "
        "3mo.")] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """List clients: interactions, last contact, open and overdue next steps.

    Examples:

    ilog clients
    ilog clients --cold 90d
    ilog clients --sort open --json
    """
    from ilog.cli.values import days
    from ilog.ops.clients import client_summaries

    with session.progress("Reading clients") as advance:
        summaries = client_summaries(session.store(), sort=sort, progress=advance,
                                     cold_days=days(cold, "--cold"))

    def data() -> object:
        from ilog.views.jsonshapes import client_summary_as_data

        return [client_summary_as_data(s) for s in summaries]

    def text(screen: Screen) -> None:
        if not summaries and cold:
            screen.note(f"No client has gone without contact for longer than {cold}.")
            return
        if not summaries:
            screen.note("No clients yet: record one with 'ilog new CLIENT --new-client'")
            return
        from ilog.cli.render import clients_table

        screen.session.out().print(clients_table(summaries))

    return Output(data, text)


def templates(session: Session, as_json: Annotated[bool, JSON] = False) -> Output | None:
    """List record types: what each requires and where its template comes from.

    Examples:

    ilog templates
    """
    if session.invoked_subcommand:  # ilog templates show TYPE
        return None
    from ilog.store.templates import load_templates

    found = load_templates(_store_root(session))

    def data() -> object:
        from ilog.views.jsonshapes import template_as_data

        return [template_as_data(t) for t in found.values()]

    def text(screen: Screen) -> None:
        from ilog.cli.render import templates_table

        screen.session.out().print(templates_table(found))

    return Output(data, text)


def template(
    session: Session,
    name: Annotated[str, typer.Argument(
        metavar="TYPE", help="A record type, e.g. call.", autocompletion=complete_types,
        show_default=False)],
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Print one template as it is on disk.

    Examples:

    ilog templates show call
    """
    from ilog.store.templates import get_template, load_templates

    found = get_template(load_templates(_store_root(session)), name)

    def data() -> object:
        from ilog.views.jsonshapes import template_as_data

        return template_as_data(found)

    return Output(data, lambda screen: screen.write(found.text))


def _store_root(session: Session) -> Path | None:
    """The store's root if there is one; templates still list without."""
    from ilog.errors import StoreError

    try:
        return session.store().root
    except StoreError:
        return None


def sync(
    session: Session,
    no_push: Annotated[bool, typer.Option(
        "--no-push", help="Commit and pull, but push nothing.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Say what would be committed; change nothing.")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Share the store through git: commit what ilog wrote (one commit that says what it
    holds), pull with rebase, push, and bring the index up to date with what came in. Other
    files are never committed.

    Examples:

    ilog sync
    ilog sync --dry-run
    ilog sync --no-push --json
    """
    from ilog.ops.sync import sync as run_sync
    from ilog.views.text import counted

    report = run_sync(session.store(), push=not no_push, dry_run=dry_run)

    def data() -> object:
        return {"dry_run": report.dry_run, "commit": report.commit or None,
                "message": report.message or None, "sent": report.sent,
                "left_alone": report.left_alone, "remote": report.remote or None,
                "branch": report.branch, "received_commits": report.received_commits,
                "received": report.received, "pushed": report.pushed,
                "upstream_set": report.upstream_set}

    def text(screen: Screen) -> None:
        would = "would commit" if report.dry_run else "committed"
        if report.sent:
            screen.say(f"{would} {counted(len(report.sent), 'file')}: {report.message}")
        else:
            screen.note("nothing of ilog's to commit")
        if report.left_alone:
            screen.note(f"left alone (not ilog's): {', '.join(report.left_alone[:5])}"
                        + (" ..." if len(report.left_alone) > 5 else ""))
        if not report.remote:
            screen.note("no git remote: committed here only ('git remote add origin URL' "
                        "to share)")
        elif report.dry_run:
            screen.note(f"would pull from and push to {report.remote}/{report.branch}")
        else:
            if report.received_commits:
                screen.say(f"received {counted(report.received_commits, 'commit')} from "
                           f"{report.remote}: {counted(len(report.received), 'file')} of "
                           "ilog's")
            if report.pushed:
                upstream = " (upstream set)" if report.upstream_set else ""
                screen.say(f"pushed to {report.remote}/{report.branch}{upstream}")
            elif not (report.sent or report.received_commits):
                screen.note(f"up to date with {report.remote}/{report.branch}")

    return Output(data, text)


def hooks_install(session: Session, as_json: Annotated[bool, JSON] = False) -> Output:
    """Install git hooks in this clone: pre-commit runs 'ilog check --staged', post-merge
    and post-rewrite bring the search index up to date after a pull. Hooks that are not
    ilog's are left alone.

    Examples:

    ilog hooks install
    """
    from ilog.ops.hooks import install

    report = install(session.store())

    def text(screen: Screen) -> None:
        if report.installed:
            screen.say(f"installed: {', '.join(report.installed)}")
        for name in report.left_alone:
            screen.note(f"left alone: .git/hooks/{name} is not ilog's (add the line "
                        "'ilog check --staged' to it yourself)")

    return Output(lambda: {"installed": report.installed, "left_alone": report.left_alone},
                  text)


def hooks_uninstall(session: Session, as_json: Annotated[bool, JSON] = False) -> Output:
    """Remove the git hooks 'ilog hooks install' wrote (others' hooks are left alone).

    Examples:

    ilog hooks uninstall
    """
    from ilog.ops.hooks import uninstall

    report = uninstall(session.store())

    def text(screen: Screen) -> None:
        screen.say(f"removed: {', '.join(report.installed)}" if report.installed
                   else "no hook of ilog's to remove")

    return Output(lambda: {"removed": report.installed, "left_alone": report.left_alone},
                  text)
