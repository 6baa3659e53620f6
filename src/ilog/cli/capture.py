"""Commands that write records: new, amend, edit."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

from ilog.cli.output import Output, Screen
from ilog.cli.params import JSON, RECORD_ID, Arg, Opt
from ilog.cli.session import Session

if TYPE_CHECKING:
    from ilog.model import Record
    from ilog.ops.capture import EditorRunner

Many = list[str] | None


def new(
    session: Session,
    client: Annotated[str, Arg("CLIENT", "Client name, alias or unique prefix.",
                               complete="clients")],
    type_: Annotated[str, Opt("--type", "-t", help="Record type: call, meeting, email, "
                              "support, approval, note, or a store's own (default: call).",
                              complete="types")] = "",
    title: Annotated[str, Opt("--title", "-T", help="A short title.")] = "",
    date: Annotated[str, Opt("--date", "-D", help="When it happened: ISO 8601 or words "
                             "('yesterday 3pm'). Default: now.")] = "",
    participant: Annotated[Many, Opt("--participant", "-p", help="'Name (Org, Role) "
                                     "<email>'; repeat for each.")] = None,
    decision: Annotated[Many, Opt("--decision", "-d", help="A decision; repeat for each, or "
                                  "'none'.")] = None,
    next_step: Annotated[Many, Opt("--next", "-n", help="'TEXT @OWNER due:WHEN'; repeat for "
                                   "each, or 'none'.")] = None,
    tag: Annotated[Many, Opt("--tag", help="A tag; repeat for each.")] = None,
    channel: Annotated[str, Opt("--channel", help="phone, video, email...")] = "",
    case: Annotated[str, Opt("--case", help="The case or matter it belongs to.")] = "",
    ref: Annotated[Many, Opt("--ref", help="An invoice, contract or ticket number; repeat "
                             "for each.")] = None,
    field: Annotated[Many, Opt("--set", help="Any other field: KEY=VALUE (repeat a key for a "
                               "list).")] = None,
    body: Annotated[str, Opt("--body", "-m", help="The notes (Markdown).")] = "",
    new_client: Annotated[bool, Opt("--new-client", help="Create the client if it does not "
                                    "exist.")] = False,
    no_edit: Annotated[bool, Opt("--no-edit", help="Do not open the editor: the flags must "
                                 "say everything.")] = False,
    from_stdin: Annotated[bool, Opt("--stdin", help="Read a whole record, or just its body, "
                                    "from standard input.")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Record an interaction: from flags, in your editor, or from stdin."""
    from ilog.errors import UnknownClientError
    from ilog.ops.capture import NewRequest, new_record

    request = NewRequest(
        client=client, type=type_, title=title, date=date, channel=channel,
        participants=participant or [], decisions=decision or [],
        next_steps=next_step or [], tags=tag or [], case=case, refs=ref or [],
        fields=_fields(field or []), body=body, new_client=new_client,
        stdin=sys.stdin.read() if from_stdin else None,
    )
    store = session.store()
    runner = None if no_edit or from_stdin else _editor_runner()
    recover = f"ilog new {client!r} --stdin < DRAFT"
    try:
        record = new_record(store, request, run_editor=runner, recover=recover)
    except UnknownClientError as exc:
        if new_client or not session.interactive():
            raise UnknownClientError(exc.unknown, "add --new-client to create it") from None
        session.confirm(f"No client '{client}' yet. Create it?")
        request.new_client = True
        record = new_record(store, request, run_editor=runner, recover=recover)
    return _written(record, "Recorded")


def edit(session: Session, ref: Annotated[str, RECORD_ID],
         as_json: Annotated[bool, JSON] = False) -> Output:
    """Edit an unsealed record in your editor (validated like a new one); a sealed record is
    corrected with 'ilog amend'."""
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
    reason: Annotated[str, Opt("--reason", help="Why the record is corrected "
                               "(required).")] = "",
    from_stdin: Annotated[bool, Opt("--stdin", help="Read the corrected record from standard "
                                    "input instead of the editor.")] = False,
    as_json: Annotated[bool, JSON] = False,
) -> Output:
    """Correct a sealed record: a new record that names the one it amends and why; the
    original never changes. The editor opens on the latest version."""
    from ilog.errors import UsageError
    from ilog.ops.amend import amend_record

    if not reason.strip():
        raise UsageError("an amendment needs a reason: --reason \"what was wrong\"")
    original, amendment = amend_record(
        session.store(), ref, reason, run_editor=None if from_stdin else _editor_runner(),
        text=sys.stdin.read() if from_stdin else None,
        recover=f"ilog amend {ref} --reason {reason!r} --stdin < DRAFT")
    return _written(amendment, f"Amended {original.short_id} with")


def _fields(pairs: list[str]) -> dict[str, list[str]]:
    from ilog.errors import UsageError

    result: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set {pair!r}: write it as KEY=VALUE, e.g. --set priority=high")
        result.setdefault(key.strip(), []).append(value.strip())
    return result


def _editor_runner() -> EditorRunner:
    from ilog.cli.editor import run_editor

    return run_editor


def _written(record: Record, verb: str) -> Output:
    def data() -> object:
        from ilog.views.jsonshapes import record_as_data

        return record_as_data(record)

    def text(screen: Screen) -> None:
        screen.say(f"{verb} {record.short_id} {record.path}")

    return Output(data, text)
