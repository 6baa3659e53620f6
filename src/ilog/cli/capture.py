"""Commands that write records: new, amend, edit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ilog.cli.completion import complete_clients, complete_types
from ilog.cli.output import Output, Screen
from ilog.cli.params import CLIENT, JSON, RECORD_ID, Many, at_home
from ilog.cli.session import Session

if TYPE_CHECKING:
    from datetime import datetime

    from ilog.derived.drafts import Draft
    from ilog.model import NextStep, Record, When
    from ilog.ops.capture import EditorRunner

_BY_ILOG = "ilog sets it itself"
#: ilog's own fields, which --set may not forge, and what to use instead.
OWN_FIELDS = {
    "type": "use --type", "title": "use --title", "date": "use --date",
    "channel": "use --channel", "participants": "use -p/--participant for each",
    "tags": "use --tag", "case": "use --case", "refs": "use --ref",
    "decisions": "use -d/--decision", "next_steps": "use -n/--next",
    "id": _BY_ILOG, "client": "name the client as the first argument", "author": _BY_ILOG,
    "seal": _BY_ILOG, "amends": "use 'ilog amend'", "amend_reason": "use 'ilog amend'",
    "amended": "use 'ilog amend'", "voided": "use 'ilog void'", "moved_to": "use 'ilog move'",
    "moved_from": "use 'ilog move'", "attachments": "use --attach FILE for each",
}


def new(
    session: Session,
    client: Annotated[str, CLIENT],
    type_: Annotated[str, typer.Option(
        "--type", "-t", help="Record type: call, meeting, email, support, approval, note, or a "
        "store's own (default: call).", autocompletion=complete_types)] = "",
    title: Annotated[str, typer.Option("--title", "-T", help="A short title.")] = "",
    date: Annotated[str, typer.Option(
        "--date", "-D", help="When it happened (not in the future): ISO 8601 or words ('yesterday "
        "3pm'). Default: now.")] = "",
    participant: Annotated[Many, typer.Option(
        "--participant", "-p", help="'Name (Org, Role) <email>'; repeat for each.")] = None,
    decision: Annotated[Many, typer.Option(
        "--decision", "-d", help="A decision; repeat for each, or 'none'.")] = None,
    next_step: Annotated[Many, typer.Option(
        "--next", "-n", help="'TEXT @OWNER due:WHEN'; repeat for each, or 'none'.")] = None,
    tag: Annotated[Many, typer.Option("--tag", help="A tag; repeat for each.")] = None,
    channel: Annotated[str, typer.Option("--channel", help="phone, video, email...")] = "",
    case: Annotated[str, typer.Option("--case", help="The case or matter it belongs to.")] = "",
    ref: Annotated[Many, typer.Option(
        "--ref", help="An invoice, contract or ticket number; repeat for each.")] = None,
    field: Annotated[Many, typer.Option(
        "--set", help="Any other field: KEY=VALUE (repeat a key for a list).")] = None,
    body: Annotated[str, typer.Option("--body", "-m", help="The notes (Markdown).")] = "",
    attach: Annotated[list[Path] | None, typer.Option(
        "--attach", "-a", callback=at_home, help="A file to keep beside the record, sealed with "
        "its SHA-256; repeat for each.")] = None,
    new_client: Annotated[bool, typer.Option(
        "--new-client", help="Create the client if it does not exist.")] = False,
    distinct: Annotated[bool, typer.Option(
        "--distinct", help="With --new-client: create it even if its name is close to an existing "
        "client's.")] = False,
    no_edit: Annotated[bool, typer.Option(
        "--no-edit", help="Do not open the editor: the flags must say everything.")] = False,
    from_stdin: Annotated[bool, typer.Option(
        "--stdin", help="Read a whole record, or just its body, from standard input.")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Record an interaction: from flags, in your editor, or from stdin.

    Examples:

    ilog new acme -p 'Jane Doe (Acme, CFO)' -d 'Renew' -n 'Send the SOW @bob due:friday'
    ilog new globex --new-client -t meeting --date 'yesterday 3pm'
    ilog new acme -t note --no-edit -p Jane -m 'Called about the invoice'
    ilog new acme -t approval --attach signed-sow.pdf
    """
    from datetime import datetime

    from ilog.errors import ClientError, SimilarClientError, UnknownClientError
    from ilog.fileformat.slugs import slugify
    from ilog.ops.capture import Interaction, new_record
    from ilog.store.profiles import load_client, names_of
    from ilog.views.text import visible

    now = datetime.now().astimezone().replace(second=0, microsecond=0)
    order = session.settings.date_order
    interaction = Interaction(
        client=client, type=type_, title=title, date=_moment(date, now, order), channel=channel,
        participants=list(participant or []), decisions=_listed(decision),
        next_steps=_steps(next_step, now, order), tags=tag or [], case=case, refs=ref or [],
        fields=_fields(field or []), body=body, files=list(attach or []))
    runner = None if no_edit or from_stdin else _editor_runner()
    text = sys.stdin.read() if from_stdin else None

    def write(create: bool) -> Record:
        return new_record(session.store(), interaction, new_client=create, distinct=distinct,
                          run_editor=runner, stdin=text, now=now,
                          recover=f"ilog new {client!r} --stdin < DRAFT")

    try:
        record = write(new_client)
    except UnknownClientError as exc:
        if new_client or not session.interactive():
            raise UnknownClientError(exc.unknown, "add --new-client to create it") from None
        session.confirm(f"No client '{client}' yet. Create it?")
        record = write(True)
    except SimilarClientError as exc:
        raise ClientError(f"{exc} (add --distinct)") from None
    typed = slugify(client)
    if typed != record.client and typed not in names_of(load_client(session.store(),
                                                                    record.client)):
        sys.stderr.write(f"ilog: '{visible(client)}' taken as {record.client} (the only client "
                         "whose name starts so)\n")
    return _written(record, "Recorded")


def drafts(session: Session, as_json: Annotated[bool, JSON] = False) -> Output:
    """List the drafts ilog kept when an editor session saved nothing, newest first, each
    with the command that records it.

    Examples:

    ilog drafts
    ilog drafts --json
    """
    import shlex

    from ilog.derived.drafts import AMEND, NEW
    from ilog.derived.drafts import drafts as kept
    from ilog.fileformat.codec import iso

    found = kept(session.store())

    def resume(draft: Draft) -> str:
        path = shlex.quote(str(draft.path))
        if draft.kind == NEW:
            return f"ilog new {draft.subject} --stdin < {path}"
        if draft.kind == AMEND:
            return f"ilog amend {draft.subject} --reason REASON --stdin < {path}"
        return f"ilog edit {draft.subject}, then paste your text from {path}"

    def data() -> object:
        return [{"path": str(d.path), "kind": d.kind, "subject": d.subject,
                 "saved": iso(d.saved), "first_line": d.first_line or None,
                 "resume": resume(d)} for d in found]

    def text(screen: Screen) -> None:
        if not found:
            screen.note("No drafts: every editor session so far saved its record.")
        for draft in found:
            screen.say(f"{draft.saved:%Y-%m-%d %H:%M}  {draft.kind} "
                       f"{draft.subject}  {draft.first_line}\n  {resume(draft)}")

    return Output(data, text)


def edit(session: Session, ref: Annotated[str, RECORD_ID],
         as_json: Annotated[bool, JSON] = False) -> Output:
    """Edit an unsealed record in your editor (validated like a new one); a sealed record is
    corrected with 'ilog amend'.

    Examples:

    ilog edit k3m9
    """
    from ilog.errors import SealedError
    from ilog.ops.capture import edit_record

    try:
        record = edit_record(session.store(), ref, run_editor=_editor_runner(),
                             recover=f"ilog edit {ref}, then paste your text from DRAFT")
    except SealedError as exc:
        raise SealedError(f"{exc}: ilog amend {exc.short_id or ref} --reason \"...\"",
                          short_id=exc.short_id) from None
    return _written(record, "Saved")


def amend(
    session: Session,
    ref: Annotated[str, RECORD_ID],
    reason: Annotated[str, typer.Option(
        "--reason", help="Why the record is corrected (required).")] = "",
    from_stdin: Annotated[bool, typer.Option(
        "--stdin", help="Read the corrected record from standard input instead of the "
        "editor.")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Correct a sealed record: a new record that names the one it amends and why; the
    original never changes. The editor opens on the latest version.

    Examples:

    ilog amend 36xjj334 --reason 'wrong renewal term'
    ilog amend 36xjj334 --reason 'typo in a name' --stdin < corrected.md
    """
    from ilog.errors import UsageError
    from ilog.ops.amend import amend_record

    if not reason.strip():
        raise UsageError("an amendment needs a reason: --reason \"what was wrong\"")
    original, amendment = amend_record(
        session.store(), ref, reason, run_editor=None if from_stdin else _editor_runner(),
        text=sys.stdin.read() if from_stdin else None,
        recover=f"ilog amend {ref} --reason {reason!r} --stdin < DRAFT")
    return _written(amendment, f"Amended {original.short_id} with")


def void(
    session: Session,
    ref: Annotated[str, RECORD_ID],
    reason: Annotated[str, typer.Option(
        "--reason", help="Why the record should not count (required).")] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Withdraw a mistaken record: a sealed withdrawal, kept as evidence (verify, the audit
    pack), that takes the interaction out of history, actions, search and the counts.

    Examples:

    ilog void 36xjj334 --reason 'logged twice'
    ilog history acme --withdrawn
    """
    from ilog.ops.withdraw import void_record

    _need_reason(reason, "a withdrawal")
    withdrawn, withdrawal = void_record(session.store(), ref, reason)
    return _written(withdrawal, f"Withdrew {withdrawn.short_id} with")


def move(
    session: Session,
    ref: Annotated[str, RECORD_ID],
    client: Annotated[str, typer.Argument(
        metavar="CLIENT", help="The client the record belongs to.", autocompletion=complete_clients,
        show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="Why it moves (required).")] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """File a record under the right client: it is withdrawn where it was (naming where it
    went) and recorded again, sealed, under CLIENT (naming where it came from); done steps
    stay done.

    Examples:

    ilog move 36xjj334 globex --reason 'filed under the wrong client'
    """
    from ilog.ops.withdraw import move_record

    _need_reason(reason, "a move")
    moved_from, _, moved = move_record(session.store(), ref, client, reason)
    return _written(moved, f"Moved {moved_from.short_id} ({moved_from.client}) to {moved.client}:")


def attach(
    session: Session,
    ref: Annotated[str, RECORD_ID],
    file: Annotated[Path, typer.Argument(
        metavar="FILE", help="The document to keep beside the record.", callback=at_home,
        show_default=False)],
    reason: Annotated[str, typer.Option(
        "--reason", help="What it is and why it belongs to the record (required).")] = "",
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Add a document to a record: kept beside it with its SHA-256, who added it, when and
    why. The record stays sealed; 'ilog verify' checks the file from then on.

    Examples:

    ilog attach 36xjj334 signed-sow.pdf --reason 'the SOW as signed by Jane'
    """
    from ilog.ops.attach import attach_file

    _need_reason(reason, "a document added to a sealed record")
    record, added = attach_file(session.store(), ref, file, reason)

    def data() -> object:
        from ilog.views.jsonshapes import attachment_as_data

        return {"record": record.id, "path": str(record.path),
                "attachment": attachment_as_data(added)}

    def text(screen: Screen) -> None:
        screen.say(f"Attached {added.name} to {record.short_id} (sha256 {added.sha256[:12]}…)")

    return Output(data, text, done=f"{added.name} was attached to {record.short_id}")


def _need_reason(reason: str, what: str) -> None:
    from ilog.errors import UsageError

    if not reason.strip():
        raise UsageError(f"{what} needs a reason: --reason \"why\" (it is sealed with it)")


def _moment(text: str, now: datetime, order: str) -> When | None:
    """``--date``: ISO 8601 or plain words, towards the past (None: now)."""
    from ilog.errors import DateError
    from ilog.fileformat.dates import parse_when

    try:
        return parse_when(text, now=now, order=order) if text.strip() else None
    except DateError as exc:
        raise DateError(f"--date: {exc}") from None


def _listed(values: Many) -> list[str] | None:
    """A repeatable option's values; ``none`` alone says there were none ([])."""
    from ilog.model import NONE_MARK

    if not values:
        return None
    return [] if [v.strip().lower() for v in values] == [NONE_MARK] else values


def _steps(values: Many, now: datetime, order: str) -> list[NextStep] | None:
    """``--next 'TEXT @OWNER due:WHEN'`` values as next steps."""
    from ilog.errors import DateError
    from ilog.fileformat.codec import parse_step

    texts = _listed(values)
    try:
        return None if texts is None else [parse_step(text, now=now, order=order)
                                           for text in texts]
    except DateError as exc:
        raise DateError(f"--next: {exc}") from None


def _fields(pairs: list[str]) -> dict[str, object]:
    """``--set KEY=VALUE`` values (a key given twice makes a list)."""
    from ilog.errors import UsageError

    result: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set {pair!r}: write it as KEY=VALUE, e.g. --set priority=high")
        if key.strip() in OWN_FIELDS:
            raise UsageError(f"--set {key.strip()}=...: {OWN_FIELDS[key.strip()]}")
        result.setdefault(key.strip(), []).append(value.strip())
    return {key: values[0] if len(values) == 1 else values for key, values in result.items()}


def _editor_runner() -> EditorRunner:
    from ilog.cli.editor import run_editor

    return run_editor


def _written(record: Record, verb: str) -> Output:
    def data() -> object:
        from ilog.views.jsonshapes import record_as_data

        return record_as_data(record)

    def text(screen: Screen) -> None:
        screen.say(f"{verb} {record.short_id} {record.path}")

    return Output(data, text, done=f"{record.short_id} was written to {record.path}")
