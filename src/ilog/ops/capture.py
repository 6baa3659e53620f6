"""Capturing interactions: ``new`` (flags, editor, stdin) and ``edit``, validated alike.

Nothing here prints or prompts. The editor is run through ``run_editor`` (a callable taking a
file path), so a program can pass its own; what the user typed is kept in a draft file under
``.ilog/drafts/`` until it is saved, and the draft's path is named whenever ilog gives up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ilog.derived.drafts import EDIT, NEW, new_draft
from ilog.derived.lookup import find_record
from ilog.errors import (
    AbortedError,
    ClientError,
    FormatError,
    IlogError,
    SealedError,
    SimilarClientError,
    UnknownClientError,
    UsageError,
    ValidationError,
)
from ilog.fileformat import codec, dates
from ilog.fileformat.ids import STEP_ID_LENGTH, new_id
from ilog.fileformat.slugs import client_slug, slugify
from ilog.model import (
    KNOWN_KEYS,
    OWN_KEYS,
    Client,
    NextStep,
    Participant,
    Problem,
    Record,
    When,
)
from ilog.store import atomic, attachments
from ilog.store.layout import Store
from ilog.store.profiles import create_client, names_of, resolve_client, similar_clients
from ilog.store.reading import read_file
from ilog.store.templates import Template, get_template, load_templates, skeleton, validate
from ilog.store.usersettings import identity

DEFAULT_TYPE = "call"
#: The first lines of an e-mail message (RFC 5322 headers, or an mbox's envelope line).
_MESSAGE = re.compile(r"^(?:From \S+ |(?:(?:Return-Path|Received|Delivered-To|Message-ID|"
                      r"MIME-Version|From|To|Subject|Date|X-[\w-]+):[^\n]*\n)"
                      r"(?:[ \t][^\n]*\n)*(?:[\w-]+:))", re.IGNORECASE)
EditorRunner = Callable[[Path], None]
_ERROR_MARK = "# ilog: "
_EDITOR_HELP = (
    "Save and quit to record it; an empty or unchanged buffer records nothing.",
    ("Next steps: TEXT @OWNER due:WHEN. Dates: 2026-11-22, 'yesterday 3pm', 'last friday'. "
    "Write 'none' where there were none."),
)


@dataclass
class Interaction:
    """A new interaction as a program describes it: typed values, nothing left to parse.
    Participants may be :class:`Participant` objects or text as people write it
    (``Jane Doe (Acme, CFO) <jane@acme.example>``); an empty list of decisions or next steps
    says there were none, None that nothing was said."""

    client: str  # a client's name, alias or slug
    type: str = ""  # default: the template "call"
    date: When | None = None  # when it happened; default: now
    title: str = ""
    channel: str = ""
    participants: list[Participant | str] = field(default_factory=list)
    decisions: list[str] | None = None
    next_steps: list[NextStep] | None = None
    tags: list[str] = field(default_factory=list)
    case: str = ""
    refs: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    #: Files to keep beside the record, listed with their SHA-256 in its sealed front matter.
    files: list[Path] = field(default_factory=list)


def new_record(store: Store, interaction: Interaction, *, new_client: bool = False,
               distinct: bool = False,
               run_editor: EditorRunner | None = None, stdin: str | None = None,
               now: datetime | None = None, recover: str = "") -> Record:
    """Validate and write a new, sealed record; return it (with its path). ``new_client``
    creates the client if no client has that name (``distinct`` too if its name is close to
    an existing client's: _client_for). ``stdin`` is a whole record in the
    editor's format (the interaction fills its gaps) or just the body; ``run_editor`` opens
    the prefilled template first; ``recover`` says how to carry on from a kept draft (DRAFT
    stands for its path) if the editor gives up."""
    now = now or datetime.now().astimezone().replace(second=0, microsecond=0)
    sources = attachments.distinct([attachments.check_source(p) for p in interaction.files])
    client, exists = _client_for(store, interaction.client, new_client=new_client,
                                 distinct=distinct)
    templates = load_templates(store.root)
    draft, typed = draft_of(interaction), list[Problem]()
    if stdin is not None:
        draft, typed = _merge_stdin(draft, stdin, client, now, store.settings.date_order)
    template = get_template(templates, draft.type or DEFAULT_TYPE)
    draft.type = template.name
    _apply_defaults(draft, template)
    author = identity(store.settings, store.root)
    _complete(draft, client, now, author)

    def accept(text: str) -> Record:
        record, found = codec.parse_draft(text, now=now, order=store.settings.date_order)
        record.id = record.id or draft.id
        template_now = get_template(templates, record.type or draft.type)
        record.type = template_now.name
        _complete(record, client, now, author)
        return validated(store, record, template_now, now, found=found)

    if run_editor is None or typed:
        record = validated(store, draft, template, now, found=typed)
    else:
        header = [f"New {draft.type} with {client.name}. {_EDITOR_HELP[0]}", _EDITOR_HELP[1]]
        buffer = skeleton(template, _editor_meta(draft), draft.body, header)
        record = edit_until_valid(store, buffer, accept, run_editor, (NEW, client.slug),
                                  recover, prefilled=_given(interaction))
    if not exists:
        create_client(store, client.name)
    store.write_new(record, sources)
    return record


def edit_record(store: Store, ref: str, *, run_editor: EditorRunner, recover: str = "") -> Record:
    """Open an unsealed record in the editor, validate, and save it (sealed) if it changed.
    A sealed record is evidence: it is refused, a correction is an amendment (amend.py)."""
    path = find_record(store, ref)
    record = store.read(path)  # never through a link
    original = read_file(path, str(record.path))
    if record.seal:
        raise SealedError(f"{record.short_id} is sealed: a record is evidence and is never "
                          "edited; record the correction as an amendment",
                          short_id=record.short_id)
    templates = load_templates(store.root)

    def accept(text: str) -> Record:
        edited, found = codec.parse_draft(text, order=store.settings.date_order)
        if edited.id != record.id or edited.client != record.client:
            raise FormatError("id and client cannot be changed by editing; "
                              f"put back id: {record.id} and client: {record.client}")
        edited.path = record.path
        return validated(store, edited, get_template(templates, edited.type), found=found)

    edited = edit_until_valid(store, original.decode("utf-8"), accept, run_editor,
                              (EDIT, record.short_id), recover)
    if codec.encode(edited) == codec.encode(record):
        raise AbortedError("no changes; the record is as it was")
    store.rewrite(edited, original)
    return edited


#: How many times the editor is opened again on an invalid record before ilog gives up (an
#: editor that rewrites the file by itself must not loop for ever).
EDITOR_ROUNDS = 20


def edit_until_valid(store: Store, initial: str, accept: Callable[[str], Record],
                     run_editor: EditorRunner, kept_as: tuple[str, str], recover: str, *,
                     prefilled: bool = False) -> Record:
    """Run the editor until ``accept`` takes the text; abort on an empty buffer, and on an
    unchanged one unless it was ``prefilled`` with the user's own input (which is content, as
    in ``git commit -m MSG -e``).

    ``kept_as`` is the draft's (kind, subject) (derived/drafts.py); ``recover`` tells the user
    how to carry on from the kept draft (DRAFT is its path)."""
    draft = new_draft(store, *kept_as)
    atomic.replace_file(draft, initial.encode("utf-8"), private=True)
    shown, first = initial, True
    for _ in range(EDITOR_ROUNDS):
        try:
            run_editor(draft)
        except IlogError as exc:
            raise type(exc)(f"{exc}; your text is kept in {draft}") from None
        text = draft.read_text("utf-8", errors="replace")
        if _is_empty(text) or (first and text == initial and not prefilled):
            atomic.remove(draft)
            raise AbortedError("empty or unchanged buffer: nothing was saved")
        if not first and text == shown:
            hint = f" (to carry on: {recover.replace('DRAFT', str(draft))})" if recover else ""
            raise AbortedError(f"still invalid and unchanged; your text is kept in {draft}"
                               f"{hint}")
        try:
            record = accept(_strip_errors(text))
        except (FormatError, ValidationError) as exc:
            shown, first = _with_errors(text, exc), False
            atomic.replace_file(draft, shown.encode("utf-8"), private=True)
            continue
        atomic.remove(draft)
        return record
    raise AbortedError(f"still invalid after {EDITOR_ROUNDS} rounds in the editor; your text "
                       f"is kept in {draft}")


def _given(interaction: Interaction) -> bool:
    """Whether the user gave any of the record's content (beyond the client and type)."""
    return any((interaction.title, interaction.date, interaction.channel,
                interaction.participants, interaction.decisions is not None,
                interaction.next_steps is not None, interaction.tags, interaction.case,
                interaction.refs, interaction.fields, interaction.body.strip()))


def _client_for(store: Store, name: str, *, new_client: bool,
                distinct: bool) -> tuple[Client, bool]:
    """The client ``name`` means and whether it exists. A client is created only with
    ``new_client``, and one whose name is close to an existing client's (a typo, a
    duplicate, or a prefix that would file into another) only with ``distinct`` too."""
    try:
        client = resolve_client(store, name)
    except UnknownClientError:
        if not new_client:
            raise
    else:
        if not new_client or slugify(name) in names_of(client):
            return client, True
    similar = similar_clients(store, name)
    same = next((c for c in similar if slugify(name) in names_of(c)), None)
    if same is not None:  # another process has just created it
        return same, True
    if similar and not distinct:
        raise SimilarClientError(name, [c.slug for c in similar])
    return Client(slug=client_slug(name), name=name.strip()), False


def draft_of(interaction: Interaction) -> Record:
    """The record an interaction describes, before ilog fills in its id, author and date."""
    own = [key for key in interaction.fields if key in OWN_KEYS]
    if own:
        raise ValidationError([Problem("is one of ilog's own fields, not a free one; give it "
                                       "as the interaction's own attribute", field=key)
                               for key in own])
    record = Record(
        id="", client="", type=interaction.type.strip(), title=interaction.title.strip(),
        date=interaction.date, channel=interaction.channel.strip(),
        participants=_items([str(p) for p in interaction.participants]),
        tags=_items(interaction.tags), case=interaction.case.strip(),
        refs=_items(interaction.refs), decisions=_items(interaction.decisions or []),
        next_steps=[_with_id(step) for step in interaction.next_steps or []],
        body=codec.normalize_body(interaction.body), extra=dict(interaction.fields),
    )
    record.explicit_none = frozenset(key for key in ("decisions", "next_steps")
                                     if getattr(interaction, key) == [])
    return record


def _with_id(step: NextStep) -> NextStep:
    """A step as given, with a new id if it has none."""
    return step if step.id else NextStep(new_id(STEP_ID_LENGTH), step.text, step.owner,
                                         step.due, dict(step.extra))


def _merge_stdin(flags: Record, text: str, client: Client, now: datetime,
                 order: str) -> tuple[Record, list[Problem]]:
    """A whole record on stdin (flags fill its gaps) or just a body (but not an e-mail
    message: its headers would become the notes, and the message itself would be lost);
    with the problems of the fields it gave."""
    if _MESSAGE.match(text):
        raise UsageError("stdin holds an e-mail message: 'ilog import email FILE --client "
                         f"{client.slug}' records it, with the message kept beside the record")
    if not text.lstrip("\ufeff").startswith("---"):
        flags.body = codec.normalize_body(text)
        return flags, []
    record, found = codec.parse_draft(text, now=now, order=order)
    if record.client and record.client != client.slug:
        raise ClientError(f"the record on stdin is for client '{record.client}', "
                          f"not '{client.slug}'; name the same client on both")
    for key in ("type", "title", "date", "channel", "participants", "tags", "case", "refs",
                "decisions", "next_steps", "body"):
        if not getattr(record, key) and key not in record.explicit_none:
            setattr(record, key, getattr(flags, key))
    record.extra = {**flags.extra, **record.extra}
    record.explicit_none = record.explicit_none | flags.explicit_none
    return record, found


def _complete(record: Record, client: Client, now: datetime, author: str) -> None:
    """Fill what ilog knows itself: id, client, author, date; email participants."""
    record.client = client.slug
    record.id = record.id or new_id()
    record.author = record.author or author
    if record.date is None:
        record.date = now
    if record.type == "email" and not record.participants:
        found = [record.extra.get("sender"), *(_listed(record.extra.get("recipients")))]
        record.participants = [p for p in found if isinstance(p, str) and p]


def _apply_defaults(record: Record, template: Template) -> None:
    """Template defaults for the fields the user left out (e.g. channel: phone for a call)."""
    for key, spec in template.fields.items():
        if spec.default is None or record.has(key):
            continue
        if key in KNOWN_KEYS:
            setattr(record, key, spec.default)
        else:
            record.extra[key] = spec.default


def validated(store: Store, record: Record, template: Template,
              now: datetime | None = None, *, found: list[Problem] | None = None) -> Record:
    """``record`` if it may be written: its template's rules, and a date that is not in the
    future (an interaction is something that happened); ValidationError lists every
    problem, ``found`` (those reading the text found: codec.parse_draft) first."""
    required = store.config.required.get(template.name, [])
    named = {problem.field for problem in found or []}
    problems = [*(found or []), *(p for p in validate(
        record, template, required, steps_require=store.config.steps_require.get(
            template.name, [])) if p.field not in named)]
    now = now or datetime.now().astimezone()
    if record.date is not None and "date" not in named and dates.is_future(record.date, now):
        problems.append(Problem(f"{codec.iso(record.date)} is in the future; an interaction is "
                                "something that happened: give the date it took place",
                                line=record.lines.get("date"), field="date"))
    if problems:
        raise ValidationError(problems)
    return record


def _editor_meta(draft: Record) -> dict[str, object]:
    meta = codec.to_meta(draft)
    for key in ("id", "client", "author"):
        meta.pop(key, None)
    if draft.next_steps:
        meta["next_steps"] = [_step_shorthand(s) for s in draft.next_steps]
    return meta


def _step_shorthand(step: NextStep) -> str:
    parts = [step.text, f"@{step.owner}" if step.owner else "",
             f"due:{step.due.isoformat()}" if step.due else ""]
    return " ".join(p for p in parts if p)


def _items(values: list[str]) -> list[str]:
    return [v.strip() for v in values if v.strip()]


def _listed(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def _is_empty(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines()]
    return all(not line or line == "---" or line.startswith("#") for line in lines)


def _strip_errors(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.startswith(_ERROR_MARK))


def _with_errors(text: str, error: IlogError) -> str:
    problems = error.problems if isinstance(error, ValidationError) else \
        [error.problem] if isinstance(error, FormatError) else [Problem(str(error))]
    shift = len(problems) + 1
    notes = [f"{_ERROR_MARK}fix these problems, then save and quit:"]
    notes += [f"{_ERROR_MARK}{p.message_with_field()}" +
              (f" (line {p.line + shift})" if p.line else "") for p in problems]
    lines = _strip_errors(text).split("\n")
    at = 1 if lines and lines[0].strip() == "---" else 0
    return "\n".join(lines[:at] + notes + lines[at:])
