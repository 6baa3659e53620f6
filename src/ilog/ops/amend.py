"""Amending a record: the correction is a new, sealed record that names the one it amends and
why; the original file never changes (see versions.py).

The editor opens on the latest version's content (an amendment of an amended record continues
its chain). Next steps keep their ids, so what was done stays done; a step added in the
editor gets a new id.
"""

from __future__ import annotations

from datetime import datetime

from ilog.derived.clientcache import client_files
from ilog.derived.drafts import AMEND
from ilog.derived.lookup import find_record
from ilog.errors import AbortedError, FormatError, IlogError, WithdrawnError
from ilog.fileformat import codec, versions, yamlrules
from ilog.fileformat.ids import new_id
from ilog.model import ATTACHMENTS, Record
from ilog.ops.capture import EditorRunner, edit_until_valid, validated
from ilog.ops.recordfiles import carried
from ilog.store.layout import Store
from ilog.store.templates import get_template, load_templates
from ilog.store.usersettings import identity


def amend_record(store: Store, ref: str, reason: str, *, run_editor: EditorRunner | None,
                 text: str | None = None, now: datetime | None = None,
                 recover: str = "") -> tuple[Record, Record]:
    """(the version amended, the amendment): from the editor, or from ``text`` (a whole
    record, as on stdin) when ``run_editor`` is None. ``recover``: see capture.new_record."""
    if not reason.strip():
        raise IlogError("an amendment needs a reason: what was wrong")
    now = now or datetime.now().astimezone().replace(microsecond=0)
    current = latest_version(store, store.read(find_record(store, ref)))
    others = other_heads(store, current)
    if versions.voided(current.extra):
        raise WithdrawnError(f"record {current.short_id} was withdrawn "
                             f"({current.extra.get(versions.REASON, '')}); a withdrawn record "
                             "is not amended ('ilog history CLIENT --withdrawn' shows it)")
    templates = load_templates(store.root)

    def accept(edited_text: str) -> Record:
        edited, found = codec.parse_draft(edited_text, now=now,
                                          order=store.settings.date_order)
        amendment = _amendment(edited, current, reason.strip(), now, others,
                               identity(store.settings, store.root))
        return validated(store, amendment, get_template(templates, amendment.type),
                         found=found)

    initial = _buffer(current)
    if run_editor is None:
        if text is None or text.strip() == initial.strip():
            raise AbortedError("nothing changed: the record stays as it was")
        amendment = accept(text)
    else:
        amendment = edit_until_valid(store, initial, accept, run_editor,
                                     (AMEND, current.short_id), recover)
    store.write_new(amendment, carried(store, current))
    return current, amendment


def latest_version(store: Store, record: Record) -> Record:
    """The current version of ``record`` (itself if it was never amended; if two people
    amended it at once, the version it counts as: versions.py)."""
    return chain_of(store, record)[-1]


def other_heads(store: Store, current: Record) -> list[str]:
    """The other current versions of ``current``'s interaction, if it has diverged: a new
    version based on ``current`` reconciles them (versions.py)."""
    chain = client_files(store, current.client).chains
    return [head for head in chain.diverged(current.id) if head != current.id]


def chain_of(store: Store, record: Record) -> list[Record]:
    """Every version of ``record``, read from their files, oldest first; the current version
    comes last (after the other heads of a diverged interaction)."""
    files = client_files(store, record.client)
    records, chain = files.records, files.chains
    heads = set(chain.latest(record.id))
    ordered = [records[i] for i in chain.versions(record.id) if i in records]
    ordered.sort(key=lambda r: (r.id in heads, not chain.superseded(r.id),
                                str(r.extra.get(versions.AMENDED, "")), r.id))
    return [store.read(store.file_of(r)) if r.id != record.id else record for r in ordered] \
        or [record]


def _buffer(current: Record) -> str:
    """The editor's text: the latest version's content without its id, author, seal and
    amendment fields (ilog sets those), next steps with their ids (their states carry over)."""
    meta = codec.to_meta(current)
    for key in ("id", "author", ATTACHMENTS, *versions.FIELDS):
        meta.pop(key, None)
    header = (f"# Amending {current.short_id} ({current.title or current.type}). Correct what "
              "was wrong; the original stays as it was.\n# Save and quit to record the "
              "amendment; an unchanged buffer records nothing.\n")
    body = f"\n{current.body}" if current.body else ""
    return f"---\n{header}{yamlrules.dump(meta)}---\n{body}"


def _amendment(edited: Record, current: Record, reason: str, now: datetime,
               others: list[str], author: str) -> Record:
    if edited.client and edited.client != current.client:
        raise FormatError(f"an amendment stays with its client: put back client: "
                          f"{current.client}")
    edited.id, edited.client, edited.seal = new_id(), current.client, ""
    edited.attachments = []  # the files of the version amended are carried over
    edited.author = author
    edited.date = edited.date or current.date
    edited.extra = {k: v for k, v in edited.extra.items() if k not in versions.FIELDS}
    edited.extra.update({versions.AMENDS: current.id, versions.REASON: reason,
                         versions.AMENDED: now})
    if others:  # the interaction had diverged: this version reconciles it
        edited.extra[versions.RECONCILES] = others
    return edited
