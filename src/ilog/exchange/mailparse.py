"""One e-mail message read as ilog records it: who wrote to whom, when, about what, the text,
the thread it belongs to and its attachments. The standard library's ``email`` package does
all of the MIME work (``email.policy.default``: RFC 2047 and RFC 6532 headers, RFC 2231 file
names); this module only decides what to keep and what to do when a message is broken.

Nothing here trusts the message: every header may be missing, malformed or hostile. What a
message lacks is filled from elsewhere (its date from Received, then the mailbox) and noted in
``Mail.notes``; :class:`MailError` says why a message cannot be recorded at all.
"""

from __future__ import annotations

import codecs
import email
import email.header
import email.utils
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage, Message
from typing import Any

#: How deep multipart parts may nest before the rest is left out (a loop or a bomb); how
#: many attachments, addresses a header and characters a subject a record takes (the rest
#: stays in the message file: a record's front matter is at most 256 KiB, format.md).
MAX_DEPTH, MAX_PARTS, MAX_PEOPLE, MAX_SUBJECT = 32, 200, 100, 500
#: The oldest date taken from a message (older ones are broken: 1900-01-01, 0001-01-01).
EARLIEST = datetime(1901, 1, 1, tzinfo=UTC)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CONFLICT = re.compile(r"^([<>=]{7})", re.MULTILINE)
_UNDECODED = re.compile("[\udc80-\udcff]")
_QUOTED_NAME = re.compile(r'\b(?:file)?name\s*=\s*"([^"]+)"', re.IGNORECASE)
_UNQUOTED_NAME = re.compile(r"\b(?:file)?name\s*=\s*([^\s\";][^;]*?)\s*(?:;|$)", re.IGNORECASE)


class MailError(Exception):
    """Why a message cannot be recorded (it is skipped with this reason)."""


@dataclass(frozen=True)
class Person:
    """A name (maybe empty) and an address from a From, To or Cc header."""

    name: str
    address: str

    def __str__(self) -> str:
        """In the participant notation: ``Jane Doe <jane@acme.example>``."""
        if not self.address:
            return self.name
        return f"{self.name} <{self.address}>" if self.name else self.address


@dataclass(frozen=True)
class Part:
    """An attachment: the file name it came with, its content type and bytes."""

    name: str
    content_type: str
    data: bytes


@dataclass
class Mail:
    """What ilog keeps of one message."""

    raw: bytes
    subject: str = ""
    date: datetime | None = None
    sender: list[Person] = field(default_factory=list)
    to: list[Person] = field(default_factory=list)
    cc: list[Person] = field(default_factory=list)
    reply_to: list[Person] = field(default_factory=list)
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    #: Where ``date`` came from when not from the Date header (RECEIVED or MAILBOX).
    date_source: str = ""
    body: str = ""
    parts: list[Part] = field(default_factory=list)
    #: What was wrong with the message and how ilog dealt with it.
    notes: list[str] = field(default_factory=list)

    @property
    def people(self) -> list[Person]:
        """Everyone in From, To, Cc and Reply-To, each address once, in that order."""
        seen: set[str] = set()
        found = []
        for person in (*self.sender, *self.to, *self.cc, *self.reply_to):
            key = person.address.casefold() or person.name
            if key and key not in seen:
                seen.add(key)
                found.append(person)
        return found


def parse_mail(raw: bytes, *, fallback_date: datetime | None = None,
               now: datetime | None = None) -> Mail:
    """Read one message (``fallback_date``: when the mailbox says it arrived)."""
    if not raw.strip():
        raise MailError("empty message")
    try:
        message = email.message_from_bytes(raw, policy=policy.default)
    except Exception as exc:  # noqa: BLE001 - meant never to raise; a bug must not stop an import
        raise MailError(f"the message cannot be parsed ({type(exc).__name__})") from None
    if not message.keys():
        raise MailError("no headers: this is not an e-mail message")
    mail = Mail(raw)
    mail.subject = _capped(one_line(_header(message, "subject")), mail.notes) or "(no subject)"
    mail.sender = _people(message, "from", mail.notes) or \
        _people(message, "sender", mail.notes)
    mail.to, mail.cc = _people(message, "to", mail.notes), _people(message, "cc", mail.notes)
    mail.reply_to = _people(message, "reply-to", mail.notes)
    mail.message_id = next(iter(_message_ids(_header(message, "message-id"))), "")
    mail.in_reply_to = next(iter(_message_ids(_header(message, "in-reply-to"))), "")
    mail.references = _message_ids(_header(message, "references"))
    mail.date, mail.date_source = _date(message, mail.notes, fallback_date,
                                        now or datetime.now(UTC))
    if not mail.sender:
        mail.notes.append("no readable From header")
    if isinstance(message, EmailMessage):
        _contents(message, mail)
    if message.defects:
        kinds = sorted({type(d).__name__ for d in message.defects})
        mail.notes.append(f"MIME defects: {', '.join(kinds)}")
    return mail


def one_line(text: str) -> str:
    """Header text on one line, without control characters."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _header(message: Message, name: str) -> str:
    """A header's (first) decoded text; "" if it is missing."""
    values = _all(message, name)
    return values[0] if values else ""


def _decode_raw(text: str) -> str:
    """Encoded words (RFC 2047) decoded, each in its charset, or, if that is unknown, as
    UTF-8 or else Windows-1252 (a name is better read than replaced by U+FFFD)."""
    try:
        parts = email.header.decode_header(text)
        return str(email.header.make_header([
            (data, charset) if isinstance(data, str) or _known(charset)
            else (_readable(data), "utf-8") for data, charset in parts]))
    except Exception:  # noqa: BLE001 - a broken encoded word
        return text


def _known(charset: str | None) -> bool:
    try:
        codecs.lookup(charset or "ascii")
    except LookupError:
        return False
    return True


def _readable(data: bytes) -> str:
    """Bytes in an unknown charset: UTF-8 if they are, else Windows-1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _capped(subject: str, notes: list[str]) -> str:
    if len(subject) <= MAX_SUBJECT:
        return subject
    notes.append(f"the subject is cut at {MAX_SUBJECT} characters")
    return subject[:MAX_SUBJECT].rstrip() + "…"


def _people(message: Message, name: str, notes: list[str]) -> list[Person]:
    """The addresses of an address header (groups flattened), names cleaned; at most
    MAX_PEOPLE (``notes`` says when there were more)."""
    found: list[Person] = []
    for text in _all(message, name):
        for display, address in email.utils.getaddresses([text]):
            address = one_line(address).strip("<>")
            display = one_line(_decode_raw(display)) if "=?" in display else one_line(display)
            display = re.sub(r"[<>()\[\]]", "", display).strip(" '\"")
            if address and "@" not in address:
                display, address = display or address, ""
            if address or display:
                found.append(Person("" if display == address else display, address))
    if len(found) > MAX_PEOPLE:
        notes.append(f"{name.title()} names {len(found)} people: the first {MAX_PEOPLE} are "
                     "recorded")
        found = found[:MAX_PEOPLE]
    return found


def _all(message: Message, name: str) -> list[str]:
    """Every value of a header; values the policy cannot parse, and values in 8-bit bytes
    that are not UTF-8 (which it would show as U+FFFD), are read raw and repaired."""
    raw = [str(v) for k, v in message.raw_items() if k.lower() == name]
    if any(_UNDECODED.search(v) for v in raw):
        return [_decode_raw(repaired(v)) for v in raw]
    try:
        parsed = [str(v) for v in message.get_all(name, failobj=[])]
    except Exception:  # noqa: BLE001 - a malformed header
        return [_decode_raw(v) for v in raw]
    if any("\ufffd" in v for v in parsed) and not any("\ufffd" in v for v in raw):
        return [_decode_raw(v) for v in raw]  # an encoded word in an unknown charset
    return parsed


def repaired(text: str) -> str:
    """Header text whose raw 8-bit bytes were not UTF-8 (kept as surrogates by the email
    package): read as UTF-8 if they are, else as Windows-1252 (the commonest such mailer
    charset, and a superset of Latin-1's printable characters)."""
    if not _UNDECODED.search(text):
        return text
    data = text.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _message_ids(text: str) -> list[str]:
    """The ``<id@host>`` tokens of a Message-ID, In-Reply-To or References header; a bare
    id without brackets (seen in the wild) counts too."""
    text = one_line(text)
    found = re.findall(r"<[^<>\s]+>", text)
    if not found and text and " " not in text:
        found = [f"<{text.strip('<>')}>"]
    return list(dict.fromkeys(found))[:200]


RECEIVED, MAILBOX = "the Received header", "the mailbox (when the message was stored)"


def _date(message: Message, notes: list[str], fallback: datetime | None,
          now: datetime) -> tuple[datetime | None, str]:
    """(when the message was sent, where that came from: "" for its Date header, with its
    offset; else RECEIVED, the last Received header's date; else MAILBOX, ``fallback``). A
    date before EARLIEST or in the future counts as no date."""
    latest = now + timedelta(minutes=10)
    header = next((one_line(str(value)) for name, value in message.raw_items()
                   if name.lower() == "date"), "")  # as written: the policy rewrites 0001
    found = _when(header, latest)
    if found is not None:
        return found, ""
    notes.append("no Date header" if not header else f"unreadable Date header {header!r}")
    for received in reversed(_all(message, "received")):
        found = _when(received.rpartition(";")[2], latest)
        if found is not None:
            notes.append(f"date taken from {RECEIVED}")
            return found, RECEIVED
    if fallback is not None and EARLIEST <= fallback <= latest:
        notes.append(f"date taken from {MAILBOX}")
        return fallback, MAILBOX
    return None, ""


#: The year of an RFC 5322 date (``Mon, 02 Feb 2026 10:00``), as written.
_YEAR = re.compile(r"\b\d{1,2}\s+[A-Za-z]{3,}\s+(\d+)\b")


def _when(text: str, latest: datetime) -> datetime | None:
    text = one_line(text)
    try:
        found = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    written = _YEAR.search(text)
    if written and len(written[1]) >= 4 and int(written[1]) != found.year:
        return None  # Python reads 0001 as 2001 (the rule for two-digit years): no such date
    if found.tzinfo is None:  # "-0000": the time is UTC, its zone unknown (RFC 5322)
        found = found.replace(tzinfo=UTC)
    return found if EARLIEST <= found <= latest else None


def _contents(message: EmailMessage, mail: Mail) -> None:
    """The text body (plain, else HTML made text) and every attachment."""
    body = _body_part(message)
    if body is not None:
        text = _text_of(body, mail.notes)
        html = body.get_content_type() == "text/html"
        mail.body = _clean_text(html_text(text) if html else text)
    _walk(message, body, mail, 0)


def _body_part(message: EmailMessage) -> EmailMessage | None:
    try:
        found = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001 - a structure it cannot follow (broken parts)
        return None
    return found if isinstance(found, EmailMessage) else None


def _text_of(part: Message, notes: list[str]) -> str:
    """A text part's content; an unknown or wrong charset is read as well as it goes."""
    try:
        content = part.get_content() if isinstance(part, EmailMessage) else None
        if isinstance(content, str):
            return content
    except Exception:  # noqa: BLE001 - LookupError (unknown charset), broken encodings
        notes.append(f"text in an unknown charset {part.get_content_charset()!r}, read as "
                     "UTF-8, or else Windows-1252")
    payload = part.get_payload(decode=True)
    return _readable(payload) if isinstance(payload, bytes) else ""


def html_text(html: str) -> str:
    """Readable text of an HTML body (inscriptis lays out lists and tables as text)."""
    from inscriptis import get_text  # only for HTML-only messages

    try:
        return str(get_text(html))
    except Exception:  # noqa: BLE001 - lxml refuses some broken documents
        return re.sub(r"<[^>]*>", " ", html)


def _clean_text(text: str) -> str:
    """Text a record file can hold: LF line ends, no control characters, and no line that
    looks like a git conflict marker (which would make the file unreadable)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or not _CONTROL.match(ch))
    return _CONFLICT.sub(r"\\\1", text)


def _walk(part: Message, body: Message | None, mail: Mail, depth: int, *,
          alternative: bool = False) -> None:
    """Collect the attachments below ``part``: every leaf but the body, its alternatives
    (the other parts of a multipart/alternative) and unnamed inline text."""
    if depth > MAX_DEPTH:
        mail.notes.append(f"parts nested deeper than {MAX_DEPTH} levels were left out")
        return
    kind = part.get_content_type()
    if part.is_multipart() and kind != "message/rfc822":
        payload = part.get_payload()
        for sub in payload if isinstance(payload, list) else []:
            if isinstance(sub, Message):
                _walk(sub, body, mail, depth + 1, alternative=kind == "multipart/alternative")
        return
    name = _file_name(part)
    if part is body or (alternative and not name):
        return
    if not name and kind in ("text/plain", "text/html") and \
            part.get_content_disposition() != "attachment" and "content-id" not in part:
        return  # text that only continues the body (a signature, a footer)
    data = _payload(part)
    if data is None:
        return
    if len(mail.parts) < MAX_PARTS:
        mail.parts.append(Part(name or _made_name(kind, len(mail.parts) + 1), kind, data))
    elif (note := f"more than {MAX_PARTS} attachments: the others are kept inside the "
                  "message file only") not in mail.notes:
        mail.notes.append(note)


def _file_name(part: Message) -> str:
    """The file name a part came with: RFC 2231 and RFC 2047 as the email package reads
    them; a name it cannot read (unquoted, with spaces or encoded words, as some mailers
    write) is taken from the raw parameter."""
    try:
        name = part.get_filename() or ""
    except Exception:  # noqa: BLE001 - a broken RFC 2231 parameter
        name = ""
    raw = [v for header in ("content-disposition", "content-type")
           for k, v in part.raw_items() if k.lower() == header]
    fixed = [one_line(repaired(v)) for v in raw]
    quoted = next(filter(None, (_QUOTED_NAME.search(v) for v in fixed)), None)
    unquoted = next(filter(None, (_UNQUOTED_NAME.search(v) for v in fixed)), None)
    if quoted and any(_UNDECODED.search(v) for v in raw):
        name = quoted[1]
    elif unquoted and (not name or (unquoted[1].startswith(name) and unquoted[1] != name)):
        name = unquoted[1]
    return one_line(_decode_raw(name)) if name else ""


def _payload(part: Message) -> bytes | None:
    if part.get_content_type() == "message/rfc822":
        inner: Any = part.get_payload()
        try:
            return bytes(inner[0].as_bytes()) if isinstance(inner, list) and inner else None
        except Exception:  # noqa: BLE001 - an attached message that cannot be written back
            return None
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else None


def _made_name(kind: str, number: int) -> str:
    extension = ".eml" if kind == "message/rfc822" else mimetypes.guess_extension(kind) or ".bin"
    return f"part-{number}{extension}"
