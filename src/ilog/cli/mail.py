"""E-mail: ``import email`` and the client's mail domains (``client domains``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ilog.cli.completion import complete_clients
from ilog.cli.output import Output, Screen
from ilog.cli.params import CLIENT, JSON, Many, at_home
from ilog.cli.session import Session
from ilog.views.text import counted


def import_email(
    session: Session,
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH", help="Message files (.eml), mbox files, Maildir folders, or folders "
        "holding those.", callback=at_home, show_default=False)],
    client: Annotated[str, typer.Option(
        "--client", "-c", help="File every message under this client (default: the client whose "
        "domains or contacts match).", autocompletion=complete_clients)] = "",
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Say what would be imported; write nothing.")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Record e-mails: each message becomes a sealed email record of its client, with the
    message kept beside it byte for byte and its attachments as files, all with their
    SHA-256. Running it again imports only what is new.

    Examples:

    ilog client domains acme --add acme.example
    ilog import email ~/Mail/acme.mbox
    ilog import email ~/Maildir/INBOX --dry-run
    ilog import email signed-sow.eml --client acme
    """
    from ilog.exchange.mailimport import import_mail

    with session.progress("Importing messages") as advance:
        done = import_mail(session.store(), paths, client=client, dry_run=dry_run,
                           progress=advance)
    verb = "would be imported" if dry_run else "imported"

    def data() -> object:
        from dataclasses import asdict

        return {"dry_run": dry_run, "imported": [asdict(i) for i in done.imported],
                "duplicates": [asdict(d) for d in done.duplicates],
                "unmatched": [asdict(u) for u in done.unmatched],
                "skipped": [asdict(s) for s in done.skipped]}

    def text(screen: Screen) -> None:
        for item in done.imported:
            where = f"{item.record[:8]} {item.path}" if item.path else item.label
            screen.say(f"{item.client}  {where}  {item.subject}")
        for left in done.unmatched:
            screen.note(f"not imported: {left.label} {left.subject!r} from "
                        f"{left.sender or 'nobody named'}: {left.reason}")
        for left in done.skipped:
            about = f" {left.subject!r}" if left.subject else ""
            screen.note(f"skipped {left.label}{about}: {left.reason}")
        for left in done.duplicates:
            screen.note(f"already there: {left.label} {left.subject!r}: {left.reason}")
        screen.note(f"{counted(len(done.imported), 'message')} {verb}, "
                    f"{len(done.duplicates)} imported already, {len(done.unmatched)} with no "
                    f"single client, {len(done.skipped)} skipped")

    return Output(data, text, done=f"{counted(len(done.imported), 'message')} {verb}")


def client_domains(
    session: Session,
    client: Annotated[str, CLIENT],
    add: Annotated[Many, typer.Option(
        "--add", help="A mail domain of the client's people (acme.example); repeat for "
        "each.")] = None,
    remove: Annotated[Many, typer.Option(
        "--remove", help="A domain to take off; repeat for each.")] = None,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """List or change a client's mail domains: 'ilog import email' files a message under
    the client whose domains (or contacts' addresses) match its addresses.

    Examples:

    ilog client domains acme --add acme.example --add acme-group.example
    ilog client domains acme
    """
    from ilog.ops.clients import change_domains

    found = change_domains(session.store(), client, add or [], remove or [])

    def text(screen: Screen) -> None:
        screen.say("\n".join(found.domains) if found.domains else
                   f"{found.slug} has no mail domains ('--add DOMAIN' gives it one)")

    return Output(lambda: {"client": found.slug, "domains": found.domains}, text,
                  done=f"{found.slug}: {', '.join(found.domains) or 'no mail domains'}")
