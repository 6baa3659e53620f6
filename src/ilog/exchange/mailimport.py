"""``ilog import email``: each message of the given files and mailboxes becomes a sealed
``email`` record of the client it belongs to, with the message itself kept beside the record
byte for byte (``message.eml``) and its attachments as files, all listed with their SHA-256.

- **Which client**: the one named, or the one whose ``domains:`` (or known contacts'
  addresses) match the message's addresses; a message that matches no client, or several, is
  listed and left alone, never guessed.
- **Once**: a message is known by its Message-ID (or, without one, by the SHA-256 of its
  bytes); importing it again changes nothing and says so, also when it was filed under
  another client.
- **Never half**: one message at a time, each record written whole (store/attachments.py),
  so an interrupted import leaves complete records only and the next run carries on; one
  import at a time writes to a store (a lock in the derived data).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ilog.derived import cachedir, clientcache
from ilog.errors import IlogError, StoreError
from ilog.exchange.mailboxes import Box, Found, open_boxes
from ilog.exchange.mailparse import Mail, MailError, Person, parse_mail
from ilog.fileformat import codec, threads
from ilog.fileformat.ids import new_id
from ilog.fileformat.maildomains import ascii_domain
from ilog.model import Client, Participant, Progress, Record
from ilog.ops.capture import validated
from ilog.store import portable
from ilog.store.attachments import MAX_FILE_BYTES, Source
from ilog.store.layout import Store
from ilog.store.profiles import load_clients, resolve_client
from ilog.store.templates import Template, get_template, load_templates
from ilog.store.usersettings import identity

#: The name of the evidence copy beside every imported record.
MESSAGE_FILE = "message.eml"
EMAIL = "email"
#: Front-matter field saying where the date came from when it is not the Date header.
DATE_SOURCE = "date_source"


@dataclass
class Imported:
    label: str  # where the message was (file, mbox#N)
    subject: str
    client: str
    record: str  # the new record's id ("" in a dry run)
    path: str  # its file ("" in a dry run)
    notes: list[str] = field(default_factory=list)


@dataclass
class Left:
    """A message not imported: why, and where it is (``record``: the record that holds it
    already, for a duplicate)."""

    label: str
    reason: str
    subject: str = ""
    sender: str = ""
    client: str = ""
    record: str = ""


@dataclass
class MailImport:
    imported: list[Imported] = field(default_factory=list)
    duplicates: list[Left] = field(default_factory=list)
    unmatched: list[Left] = field(default_factory=list)  # no client, or several
    skipped: list[Left] = field(default_factory=list)  # could not be imported
    dry_run: bool = False


class ClientMatcher:
    """Which clients a message's addresses belong to: a known contact's address, or a
    domain in a client's ``domains:`` (a subdomain counts: mail.acme.example is acme's;
    internationalized domains compare in their ASCII form, as profiles keep them)."""

    def __init__(self, clients: Iterable[Client]) -> None:
        self.addresses: dict[str, set[str]] = {}
        self.domains: dict[str, set[str]] = {}
        for client in clients:
            for contact in client.contacts:
                address = Participant.parse(contact).email.casefold()
                if address:
                    self.addresses.setdefault(address, set()).add(client.slug)
            for domain in filter(None, map(ascii_domain, client.domains)):
                self.domains.setdefault(domain, set()).add(client.slug)

    def clients(self, people: Iterable[Person]) -> list[str]:
        found: set[str] = set()
        for person in people:
            address = person.address.casefold()
            if not address:
                continue
            if address in self.addresses:
                found |= self.addresses[address]
                continue
            domain = address.rpartition("@")[2]
            parts = (ascii_domain(domain) or domain).split(".")
            for start in range(len(parts) - 1):
                found |= self.domains.get(".".join(parts[start:]), set())
        return sorted(found)


def message_key(message_id: str, raw_sha256: str) -> str:
    """What makes a message the same message: its Message-ID, else its bytes' SHA-256."""
    return message_id or f"sha256:{raw_sha256}"


@dataclass(frozen=True)
class Held:
    """A message in the store: the client and record that hold it, its subject and sender."""

    client: str
    record: str
    subject: str
    sender: str



def known_messages(store: Store) -> dict[str, list[Held]]:
    """Message key -> the records that hold a message of that key (every version of every
    record: a withdrawn one counts, so it is not imported again)."""
    known: dict[str, list[Held]] = {}
    for shard in clientcache.every_client(store):
        for found in shard.fields():
            message_id = found.extra.get(threads.MESSAGE_ID)
            message_id = message_id if isinstance(message_id, str) else ""
            if message_id or MESSAGE_FILE in found.files:
                key = message_key(message_id, found.files.get(MESSAGE_FILE, ""))
                known.setdefault(key, []).append(Held(shard.slug, found.record,
                                                      str(found.extra.get("subject", "")),
                                                      str(found.extra.get("sender", ""))))
    return known


def same_message(key: str, held: list[Held], subject: str, sender: str) -> Held | None:
    """The record that holds this message already, if one does: the same bytes, or the same
    Message-ID with the same subject and sender (a message received twice differs only in
    its Received headers; GitHub and some list servers give different messages one id)."""
    if key.startswith("sha256:"):
        return held[0] if held else None
    return next((h for h in held if (h.subject, h.sender) == (subject, sender)), None)


def import_mail(store: Store, paths: list[Path], *, client: str = "", dry_run: bool = False,
                progress: Progress | None = None, now: datetime | None = None) -> MailImport:
    """Import every message of ``paths`` (see the module's docstring). One import writes
    to a store at a time, so two at once never both take a message for new."""
    boxes = open_boxes(paths)
    if dry_run:
        return _import(store, boxes, client, True, progress, now)
    lock = cachedir.home(store) / "import.lock"
    with portable.exclusive(lock, wait=store.settings.lock_wait) as held:
        if not held:
            raise StoreError("another 'ilog import email' is writing to this store; run this "
                             "one again when it is done (it imports only what is new)")
        return _import(store, boxes, client, False, progress, now)


def _import(store: Store, boxes: list[Box], client: str, dry_run: bool,
            progress: Progress | None, now: datetime | None) -> MailImport:
    run = _Run(store, MailImport(dry_run=dry_run), known_messages(store),
               resolve_client(store, client).slug if client else "",
               None if client else ClientMatcher(load_clients(store)),
               get_template(load_templates(store.root), EMAIL),
               identity(store.settings, store.root), now)
    total, done = sum(box.count for box in boxes), 0
    for box in boxes:
        for found in box.messages():
            run.one(found)
            done += 1
            if progress is not None:
                progress(done, total)
    return run.report


@dataclass
class _Run:
    """One import: where it writes, what it found so far, and how it picks the client."""

    store: Store
    report: MailImport
    known: dict[str, list[Held]]
    chosen: str
    matcher: ClientMatcher | None
    template: Template
    author: str
    now: datetime | None

    def one(self, found: Found) -> None:
        """Import one message, or say why not (never raising: one bad message never stops
        an import)."""
        report = self.report
        if found.raw is None:
            report.skipped.append(Left(found.label, found.problem))
            return
        try:
            mail = parse_mail(found.raw, fallback_date=_arrived(found))
        except MailError as exc:
            report.skipped.append(Left(found.label, str(exc)))
            return
        sender = str(mail.sender[0]) if mail.sender else ""
        key = message_key(mail.message_id, hashlib.sha256(found.raw).hexdigest())
        others = self.known.get(key, [])
        holding = same_message(key, others, mail.subject, sender)
        if holding is not None:
            where = holding.client
            elsewhere = f" under {where}" if self.chosen and where != self.chosen else ""
            report.duplicates.append(Left(found.label, f"imported already{elsewhere} (record "
                                          f"{holding.record[:8]})", mail.subject, sender, where,
                                          holding.record))
            return
        clients = [self.chosen] if self.chosen else \
            self.matcher.clients(mail.people) if self.matcher else []
        if len(clients) != 1:
            reason = (f"matches several clients ({', '.join(clients)}): name one with --client"
                      if clients else "no client's domains or contacts match its addresses: "
                      "name one with --client, or add its domain ('ilog client domains')")
            report.unmatched.append(Left(found.label, reason, mail.subject, sender))
            return
        if mail.date is None:
            report.skipped.append(Left(found.label, "no date: neither its Date nor its "
                                       "Received headers nor the mailbox say when it was sent",
                                       mail.subject, sender))
            return
        if others:
            mail.notes.append(f"another message has the same Message-ID (record "
                              f"{others[0].record[:8]}): both are kept")
        try:
            record = validated(self.store, email_record(mail, clients[0], self.author),
                               self.template, self.now)
            files = _files(mail)
            if not report.dry_run:
                self.store.write_new(record, files)
        except IlogError as exc:
            report.skipped.append(Left(found.label, str(exc), mail.subject, sender))
            return
        self.known.setdefault(key, []).append(Held(clients[0], record.id, mail.subject, sender))
        report.imported.append(Imported(found.label, mail.subject, clients[0],
                                        "" if report.dry_run else record.id,
                                        "" if report.dry_run else str(record.path), mail.notes))


def _arrived(found: Found) -> datetime | None:
    try:
        return found.arrived()
    except (OSError, ValueError, KeyError, OverflowError):
        return None


def email_record(mail: Mail, client: str, author: str) -> Record:
    """The ``email`` record of a message (its files are added when it is written)."""
    sender = [str(p) for p in mail.sender[:1]] or ["(no sender named)"]
    to = [str(p) for p in mail.to] or [str(p) for p in mail.cc] or ["(undisclosed recipients)"]
    extra: dict[str, object] = {"sender": sender[0], "recipients": to, "subject": mail.subject}
    if mail.cc and mail.to:
        extra["cc"] = [str(p) for p in mail.cc]
    extra.update({key: value for key, value in ((threads.MESSAGE_ID, mail.message_id),
                                               (threads.IN_REPLY_TO, mail.in_reply_to),
                                               (threads.REFERENCES, mail.references)) if value})
    if mail.date_source:
        extra[DATE_SOURCE] = mail.date_source
    return Record(id=new_id(), client=client, type=EMAIL, date=mail.date, title=mail.subject,
                  channel=EMAIL, participants=[str(p) for p in mail.people] or sender,
                  author=author,
                  body=codec.normalize_body(mail.body), extra=extra)


def _files(mail: Mail) -> list[Source]:
    """The evidence copy first, then each attachment within the size limit (a larger one
    stays inside the message file, and the import says so)."""
    files = [Source(MESSAGE_FILE, data=mail.raw)]
    for part in mail.parts:
        if len(part.data) > MAX_FILE_BYTES:
            mail.notes.append(f"attachment {part.name} is over the size limit: it is kept "
                              f"inside {MESSAGE_FILE} only")
        else:
            files.append(Source(part.name, data=part.data))
    return files
