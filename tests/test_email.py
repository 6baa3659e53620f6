"""ilog import email (issue 15): real-world messages, mbox and Maildir, client matching,
re-import, an import killed half-way, messy mail, and the evidence copy under verify."""

from __future__ import annotations

import json
import mailbox
import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Cli
from ilog.evidence.findings import FindingKind
from ilog.exchange import mailimport
from ilog.exchange.mailparse import MailError, parse_mail
from ilog.fileformat import codec
from ilog.fileformat.slugs import file_name

MAIL = Path(__file__).parent / "data" / "mail"
IMAP = MAIL / "imap_tools"

#: Where ilog reads a message otherwise than imap_tools' parser, and why ilog's reading is
#: the one kept (file -> {field: why}).
DIFFERENT = {
    "plain_emails/raw_email_bad_time.eml": {
        "date": "year 3609: ilog takes Received",
        "attachments": "boundary the standard library cannot split"},
    "plain_emails/raw_email_with_bad_date.eml": {"date": "unreadable: ilog takes Received"},
    "plain_emails/raw_email_incorrect_header.eml": {"date": "none: ilog takes Received"},
    "plain_emails/mix_caps_content_type.eml": {"from": "unquoted name with spaces"},
    "plain_emails/raw_email_with_at_display_name.eml": {"to": "an '@' in an unquoted name"},
    "attachment_emails/attachment_message_rfc822.eml": {
        "attachments": "an attached message is kept whole, its own attachments inside it"},
    "mime_emails/raw_email_with_binary_encoded.eml": {
        "attachments": "boundary the standard library cannot split"},
    "mime_emails/raw_email_with_illegal_boundary.eml": {
        "attachments": "boundary the standard library cannot split"},
    "text_with_content_id.eml": {"attachments": "its only text part is the body"},
    "rfc2822/example14.eml": {
        "subject": "RFC 2047 keeps the space between text and an encoded word"},
}


@pytest.fixture
def acme(demo: Cli) -> Cli:
    demo("client", "domains", "acme", "--add", "acme.example")
    demo("client", "domains", "globex", "--add", "globex.example")
    return demo


def message(subject: str, sender: str = "Jane Doe <jane@acme.example>",
            to: str = "Bob Smith <bob@consultancy.example>", *, when: datetime | None = None,
            message_id: str | None = None, reply_to: str = "", body: str = "Hello.\n",
            attach: tuple[str, bytes] | None = None, html: str = "") -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = subject, sender, to
    mail["Date"] = format_datetime(when or datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
    if message_id is not None:
        mail["Message-ID"] = message_id
    if reply_to:
        mail["In-Reply-To"] = mail["References"] = reply_to
    if html:
        mail.set_content(html, subtype="html")
    else:
        mail.set_content(body)
    if attach:
        mail.add_attachment(attach[1], maintype="application", subtype="pdf",
                            filename=attach[0])
    return mail


def mbox_of(path: Path, messages: list[EmailMessage]) -> Path:
    box = mailbox.mbox(str(path))
    for item in messages:
        box.add(item)
    box.flush()
    box.close()
    return path


def imported(cli: Cli, *args: str, code: int = 0) -> dict:
    return json.loads(cli("import", "email", *args, "--json", code=code).stdout)


def read(cli: Cli, path: str):
    return cli.store.read(cli.store.root / path)


# -- the real-world messages --------------------------------------------------------------


def test_every_real_message_is_imported_as_the_independent_parser_read_it(demo: Cli) -> None:
    """Each message reads as imap_tools read it (but where DIFFERENT says why not), and is
    imported (its evidence copy byte for byte), or is a duplicate of one that is (same
    Message-ID, subject and sender), or is skipped with a reason."""
    done = imported(demo, str(IMAP / "eml"), "--client", "acme")

    def name(item: dict) -> str:  # some of them are mbox files of one message: NAME#1
        return Path(re.sub(r"#\d+$", "", item["label"])).relative_to(IMAP / "eml").as_posix()

    skipped = {name(s): s["reason"] for s in done["skipped"]}
    assert skipped == {"rfc2822/example13.eml": "no headers: this is not an e-mail message"}
    assert not done["unmatched"]
    by_file = {name(i): i for i in done["imported"]}
    duplicates = {name(d): d for d in done["duplicates"]}
    assert len(by_file) + len(duplicates) + len(skipped) == 78
    for file in [*by_file, *duplicates]:
        raw = (IMAP / "eml" / file).read_bytes()
        if raw.startswith(b"From "):  # an mbox of one: its From line and the blank line
            raw = raw.partition(b"\n")[2].rstrip(b"\n") + b"\n"  # after it frame it
        mail = parse_mail(raw)
        record = mailimport.email_record(mail, "acme-corp", "me")
        expected = json.loads((IMAP / "expected" / file).with_suffix(".json").read_text())
        differs = DIFFERENT.get(file, {})
        if "subject" not in differs:
            assert record.title == (" ".join(expected["subject"].split()) or "(no subject)")
        if "from" not in differs and expected["from_"]:
            assert expected["from_"].lower() in record.extra["sender"].lower(), file
        if "to" not in differs:
            to = " ".join(record.extra["recipients"]).lower()
            assert all(a.lower() in to for a in expected["to"]), file
        if "date" not in differs and not expected["date"].startswith("1900"):
            assert codec.iso(record.date)[:19] == expected["date"][:19], file
        if "attachments" not in differs:
            assert len(mail.parts) == len(expected["attachments"]), file
            assert sorted(file_name(p.name) for p in mail.parts if not p.name.startswith(
                "part-")) == sorted(e["filename"] for e in expected["attachments"]
                                    if e["filename"]), file
        if file in duplicates:
            holder = read(demo, next(p for p in demo.store.root.rglob("*.md")
                                     if duplicates[file]["record"][:8] in p.name)
                          .relative_to(demo.store.root).as_posix())
            assert holder.extra["message_id"] == mail.message_id, file
            continue
        stored = read(demo, by_file[file]["path"])
        assert stored.seal and stored.title == record.title
        assert stored.date == record.date or stored.extra["date_source"].startswith("the mailbox")
        copy = demo.store.root / by_file[file]["path"][:-3] / "message.eml"
        assert copy.read_bytes().rstrip(b"\n") == raw.rstrip(b"\n"), file
    demo("verify")


def test_the_apache_mailboxes_import_by_domain_once(demo: Cli) -> None:
    demo("new", "Apache", "--new-client", "-t", "note", "--no-edit", "-p", "x", "-m", "y")
    demo("client", "domains", "apache", "--add", "apache.org")
    first = imported(demo, str(MAIL / "ponymail"), str(MAIL / "ponymail-legacy"))
    assert len(first["imported"]) > 100 and all(i["client"] == "apache"
                                                for i in first["imported"])
    reasons = {Path(s["label"]).name: s["reason"] for s in first["skipped"]}
    assert reasons == {"NoList.mbox#1": "empty message"}
    assert "rfc2822-A5.eml" in [Path(u["label"]).name for u in first["unmatched"]]
    assert all(u["reason"].startswith("no client's domains") for u in first["unmatched"])
    again = imported(demo, str(MAIL / "ponymail"), str(MAIL / "ponymail-legacy"))
    assert again["imported"] == []
    assert len(again["duplicates"]) == len(first["imported"]) + len(first["duplicates"])
    demo("verify")


def test_two_messages_that_share_a_message_id_are_both_kept(demo: Cli) -> None:
    """GitHub gives every notification of a pull request one Message-ID."""
    pair = [str(MAIL / "ponymail" / f"dev.activemq.apache.org-{n}.eml") for n in (51149, 52937)]
    done = imported(demo, *pair, "--client", "acme")
    assert len(done["imported"]) == 2
    assert "same Message-ID" in done["imported"][1]["notes"][-1]


# -- mailboxes built here ------------------------------------------------------------------


def test_an_mbox_is_filed_by_domain_and_threads_show_in_history(acme: Cli,
                                                                 tmp_path: Path) -> None:
    box = mbox_of(tmp_path / "in.mbox", [
        message("SOW draft", message_id="<1@acme.example>",
                attach=("SOW v2.pdf", b"%PDF v2")),
        message("Re: SOW draft", "Bob Smith <bob@consultancy.example>",
                "Jane Doe <jane@acme.example>", message_id="<2@consultancy.example>",
                reply_to="<1@acme.example>", when=datetime(2026, 11, 21, 8, 0, tzinfo=UTC)),
        message("Invoice", "Ann <ann@billing.globex.example>", message_id="<3@globex.example>"),
        message("Both", "Ann <ann@globex.example>", "Jane <jane@acme.example>",
                message_id="<4@globex.example>"),
        message("Nobody", "X <x@elsewhere.example>", "Y <y@elsewhere.example>",
                message_id="<5@elsewhere.example>"),
    ])
    done = imported(acme, str(box))
    assert [(i["subject"], i["client"]) for i in done["imported"]] == [
        ("SOW draft", "acme-corp"), ("Re: SOW draft", "acme-corp"), ("Invoice", "globex-ltd")]
    reasons = {u["subject"]: u["reason"] for u in done["unmatched"]}
    assert reasons["Both"].startswith("matches several clients (acme-corp, globex-ltd)")
    assert reasons["Nobody"].startswith("no client's domains or contacts match")
    first = read(acme, done["imported"][0]["path"])
    assert first.participants == ["Jane Doe <jane@acme.example>",
                                  "Bob Smith <bob@consultancy.example>"]
    assert first.extra["message_id"] == "<1@acme.example>"
    assert [a.name for a in first.attachments] == ["message.eml", "SOW v2.pdf"]
    assert first.body == "Hello.\n"
    history = acme("history", "acme", "--json").stdout
    threads = [r["thread"] for r in json.loads(history)["records"]
               if r["title"].endswith("SOW draft")]
    assert threads == [{"message_id": "<1@acme.example>", "number": 2, "count": 2},
                       {"message_id": "<1@acme.example>", "number": 1, "count": 2}]
    assert "thread     message 2 of 2" in acme("history", "acme").stdout


def test_a_maildir_and_a_folder_of_files_import_alike(acme: Cli, tmp_path: Path) -> None:
    box = mailbox.Maildir(str(tmp_path / "Maildir"))
    box.add(message("From the maildir", message_id="<m1@acme.example>"))
    box.add(message("Second", message_id="<m2@acme.example>"))
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "one.eml").write_bytes(bytes(message("Saved", message_id="<s1@acme.example>")))
    (folder / "README").write_text("not a message")
    done = imported(acme, str(tmp_path / "Maildir"), str(folder))
    assert sorted(i["subject"] for i in done["imported"]) == ["From the maildir", "Saved",
                                                             "Second"]
    assert not done["skipped"]


def test_re_import_is_a_no_op_that_says_so_also_under_another_client(acme: Cli,
                                                                      tmp_path: Path) -> None:
    box = mbox_of(tmp_path / "in.mbox", [message("Once", message_id="<once@acme.example>"),
                                         message("No id")])
    assert len(imported(acme, str(box))["imported"]) == 2
    again = acme("import", "email", str(box))
    assert "0 messages imported, 2 imported already" in again.stderr
    elsewhere = imported(acme, str(box), "--client", "globex")
    assert len(elsewhere["duplicates"]) == 2
    assert all(d["reason"].startswith("imported already under acme-corp (record ")
               for d in elsewhere["duplicates"])


def test_dry_run_writes_nothing(acme: Cli, tmp_path: Path) -> None:
    box = mbox_of(tmp_path / "in.mbox", [message("Maybe", message_id="<m@acme.example>")])
    before = sorted(p for p in acme.store.root.rglob("*") if ".ilog" not in p.parts)
    done = imported(acme, str(box), "--dry-run")
    assert done["dry_run"] and done["imported"][0]["client"] == "acme-corp"
    assert done["imported"][0]["path"] == ""
    assert sorted(p for p in acme.store.root.rglob("*") if ".ilog" not in p.parts) == before


def test_an_html_only_message_becomes_readable_text(acme: Cli, tmp_path: Path) -> None:
    html = ("<html><body><p>Dear Bob,</p><ul><li>renew</li><li>12 months</li></ul>"
            "<table><tr><td>rate</td><td>120</td></tr></table><script>x()</script>"
            "</body></html>")
    path = tmp_path / "h.eml"
    path.write_bytes(bytes(message("Terms", message_id="<h@acme.example>", html=html)))
    record = read(acme, imported(acme, str(path))["imported"][0]["path"])
    assert "Dear Bob," in record.body and "* renew" in record.body and "rate" in record.body
    assert "<" not in record.body and "x()" not in record.body


# -- messy mail -----------------------------------------------------------------------------


def test_messy_messages_are_imported_as_well_as_they_can_be_or_skipped_with_a_reason(
        acme: Cli, tmp_path: Path) -> None:
    future = message("From the future", message_id="<f@acme.example>",
                     when=datetime.now(UTC) + timedelta(days=400))
    del future["Date"]
    future["Date"] = "Tue, 30 Jun 3609 15:33:50 +0600"
    future["Received"] = "from mx by mx; Mon, 16 Nov 2026 10:00:00 +0000"
    undated = b"From: Jane <jane@acme.example>\r\nSubject: undated\r\n\r\nhi\r\n"
    charset = (b"From: =?x-unknown?Q?J=E9r=F4me?= <jerome@acme.example>\r\n"
               b"Subject: =?x-unknown?Q?caf=E9?=\r\nDate: Mon, 16 Nov 2026 10:00:00 +0100\r\n"
               b"Content-Type: text/plain; charset=x-unknown\r\n\r\ncaf\xe9 cr\xe8me\r\n")
    latin = (b"From: \"M\xe5ns Nilsson\" <mans@acme.example>\r\nSubject: hej\r\n"
             b"Date: Mon, 16 Nov 2026 10:00:00 +0100\r\n\r\nhej\r\n")
    deep = (b"From: Jane <jane@acme.example>\r\nSubject: deep\r\n"
            b"Date: Mon, 16 Nov 2026 10:00:00 +0100\r\n")
    deep += b"".join(f"Content-Type: multipart/mixed; boundary=b{n}\r\n\r\n--b{n}\r\n".encode()
                     for n in range(60))
    deep += b"Content-Type: text/plain\r\n\r\nbottom\r\n"
    control = (b"From: Jane <jane@acme.example>\r\nSubject: \x1b[31mred\x1b[0m \xe2\x80\xae"
               b"gpj.exe\r\nDate: Mon, 16 Nov 2026 10:00:00 +0100\r\n\r\n<<<<<<< x\r\n"
               b"\x00nul\r\n>>>>>>> y\r\n")
    files = {"future.eml": bytes(future), "undated.eml": undated, "charset.eml": charset,
             "latin.eml": latin, "deep.eml": deep, "control.eml": control,
             "empty.eml": b"", "binary.eml": os.urandom(2048)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        ahead = (datetime.now(UTC) + timedelta(days=30)).timestamp()
        os.utime(tmp_path / name, (ahead, ahead))  # no date to fall back on
    done = imported(acme, *(str(tmp_path / n) for n in files), "--client", "acme")
    subjects = {i["subject"]: i for i in done["imported"]}
    skipped = {Path(s["label"]).name: s["reason"] for s in done["skipped"]}
    assert set(skipped) == {"undated.eml", "empty.eml", "binary.eml"}, skipped
    assert skipped["undated.eml"].startswith("no date")
    record = read(acme, subjects["From the future"]["path"])
    assert codec.iso(record.date) == "2026-11-16T10:00:00+00:00"
    assert record.extra["date_source"] == "the Received header"
    assert read(acme, subjects["café"]["path"]).extra["sender"] == \
        "Jérôme <jerome@acme.example>"
    assert read(acme, subjects["hej"]["path"]).extra["sender"] == \
        "Måns Nilsson <mans@acme.example>"
    assert "nested deeper" in " ".join(subjects["deep"]["notes"])
    red = next(i for i in done["imported"] if "red" in i["subject"])
    shown = read(acme, red["path"])
    assert "\x1b" not in shown.title and "\u202e" not in shown.title
    assert "\\<<<<<<< x" in shown.body and "\x00" not in shown.body
    acme("verify")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000) | st.builds(
    lambda head, body: head + b"\r\n\r\n" + body,
    st.lists(st.sampled_from([
        b"From: =?utf-8?B?SsOpcsO0bWU=?= <j@x.example>", b"To: undisclosed-recipients:;",
        b"Date: 31 Feb 2026 25:61:00 +9999", b"Content-Type: multipart/mixed; boundary=",
        b"Content-Type: text/plain; charset=\"utf-7\"", b"Subject: =?bogus?Q?=FF?=",
        b"Message-ID: <<>>", b"Content-Transfer-Encoding: base64", b"References: <a> <a> b",
        b"Content-Disposition: attachment; filename*=utf-8''%FF%2F..%2F",
        b"Received: x; Mon, 16 Nov 2026 10:00:00 +0100"]), max_size=8).map(b"\r\n".join),
    st.binary(max_size=500)))
def test_no_message_makes_the_parser_fail_otherwise_than_by_saying_why(raw: bytes) -> None:
    try:
        mail = parse_mail(raw)
    except MailError:
        return
    for text in (mail.subject, mail.body, *(str(p) for p in mail.people)):
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    for part in mail.parts:
        assert isinstance(part.data, bytes)


# -- the evidence copy, and an interrupted import --------------------------------------


def test_a_changed_evidence_copy_or_attachment_is_caught_by_verify(acme: Cli,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "a.eml"
    path.write_bytes(bytes(message("Signed", message_id="<s@acme.example>",
                                   attach=("signed.pdf", b"%PDF signed"))))
    record = imported(acme, str(path))["imported"][0]["path"]
    folder = acme.store.root / record[:-3]
    (folder / "signed.pdf").write_bytes(b"%PDF forged")
    (folder / "message.eml").write_bytes(b"From: someone else\r\n\r\n")
    findings = json.loads(acme("verify", "--json", code=38).stdout)["findings"]
    assert {(f["kind"], Path(f["path"]).name) for f in findings} == {
        (FindingKind.ATTACHMENT_CHANGED, "signed.pdf"),
        (FindingKind.ATTACHMENT_CHANGED, "message.eml")}


def test_an_import_killed_half_way_leaves_whole_records_and_resumes(acme: Cli,
                                                                    tmp_path: Path) -> None:
    total = 400
    box = mbox_of(tmp_path / "big.mbox", [
        message(f"Message {n}", message_id=f"<{n}@acme.example>",
                attach=(f"doc-{n}.pdf", os.urandom(2000))) for n in range(total)])
    records = acme.store.root / "clients" / "acme-corp"
    def count() -> int:
        return sum(1 for p in records.glob("*/*.md") if "Message" in p.read_text())

    before = count()
    process = subprocess.Popen([sys.executable, "-m", "ilog", "--store", str(acme.store.root),
                                "import", "email", str(box)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while count() - before < 30 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    halfway = count() - before
    assert 0 < halfway < total
    for record in records.glob("*/*.md"):  # every record written is whole, with its files
        if "Message" in record.read_text():
            assert (record.with_suffix("") / "message.eml").is_file()
    done = imported(acme, str(box))
    assert len(done["imported"]) == total - halfway
    assert len(done["duplicates"]) == halfway
    assert count() - before == total
    acme("verify")


# -- client domains --------------------------------------------------------------------


def test_client_domains_are_listed_added_and_removed(demo: Cli) -> None:
    out = demo("client", "domains", "acme", "--add", "@Acme.Example", "--add", "bücher.example",
               "--json").stdout
    assert json.loads(out) == {"client": "acme-corp",
                               "domains": ["acme.example", "xn--bcher-kva.example"]}
    profile = (demo.store.root / "clients/acme-corp/client.yaml").read_text()
    assert "domains:\n- acme.example\n" in profile and "contacts:" in profile
    assert demo("client", "domains", "acme").stdout == "acme.example\nxn--bcher-kva.example\n"
    demo("client", "domains", "acme", "--remove", "xn--bcher-kva.example")
    assert demo("client", "domains", "acme").stdout == "acme.example\n"
    bad = demo("client", "domains", "acme", "--add", "not a domain", code=2)
    assert "'not a domain' is not a mail domain" in bad.stderr
    assert "has no mail domain" in demo("client", "domains", "acme", "--remove", "x.example",
                                        code=2).stderr


def test_a_known_contacts_address_matches_without_a_domain(demo: Cli, tmp_path: Path) -> None:
    path = tmp_path / "c.eml"
    path.write_bytes(bytes(message("From Jane", message_id="<c@acme.example>")))
    assert imported(demo, str(path))["imported"][0]["client"] == "acme-corp"


def test_the_core_imports_without_the_cli(acme: Cli, tmp_path: Path) -> None:
    box = mbox_of(tmp_path / "x.mbox", [message("Core", message_id="<core@acme.example>")])
    seen: list[tuple[int, int]] = []
    done = mailimport.import_mail(acme.store, [box],
                                  progress=lambda d, t, _stage="": seen.append((d, t)))
    assert [i.subject for i in done.imported] == ["Core"] and seen == [(1, 1)]


def test_a_message_too_big_for_a_record_is_cut_to_what_a_record_holds(acme: Cli,
                                                                      tmp_path: Path) -> None:
    """5,000 recipients, a 5,000-character subject and 300 attachments: the record keeps the
    first 100, 500 and 200 (its front matter stays readable), the message file keeps all."""
    to = ", ".join(f"P{n} <p{n}@acme.example>" for n in range(5000))
    parts = "".join(f"--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: "
                    f"attachment; filename=f{n}.bin\r\n\r\nx\r\n" for n in range(300))
    raw = (f"From: a@acme.example\r\nTo: {to}\r\nSubject: {'s' * 5000}\r\nDate: Mon, 16 Nov "
           f"2026 10:00:00 +0100\r\nMessage-ID: <big@acme.example>\r\nContent-Type: "
           f"multipart/mixed; boundary=b\r\n\r\n{parts}--b--\r\n").encode()
    (tmp_path / "big.eml").write_bytes(raw)
    done = imported(acme, str(tmp_path / "big.eml"))["imported"][0]
    record = read(acme, done["path"])
    assert len(record.extra["recipients"]) == 100 and len(record.title) == 501
    assert len(record.attachments) == 201  # the message itself, and 200 of its files
    assert len(done["notes"]) == 3
    folder = acme.store.root / done["path"][:-3]
    assert (folder / "message.eml").read_bytes() == raw


def test_a_message_piped_into_new_is_pointed_to_import(demo: Cli) -> None:
    """``ilog new acme --type email --stdin < mail.eml`` would make the headers the notes and
    lose the message: it says what records it instead; notes that merely start like a header
    are still notes."""
    raw = (IMAP / "eml" / "simple.eml").read_text()
    out = demo("new", "acme", "-t", "email", "--stdin", input=raw, code=2)
    assert "ilog import email FILE --client acme-corp" in out.stderr
    demo("new", "acme", "-t", "note", "-p", "Jane", "--stdin",
         input="Subject: the invoice\nJane called about it.\n")


def test_two_imports_of_one_mailbox_at_once_import_each_message_once(acme: Cli,
                                                                      tmp_path: Path) -> None:
    total = 60
    box = mbox_of(tmp_path / "shared.mbox", [
        message(f"Twice {n}", message_id=f"<t{n}@acme.example>") for n in range(total)])
    command = [sys.executable, "-m", "ilog", "--store", str(acme.store.root), "import", "email",
               str(box), "--json"]
    env = {**os.environ, "ILOG_LOCK_WAIT": "120"}
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            for _ in range(2)]
    results = [json.loads(run.communicate(timeout=300)[0]) for run in runs]
    assert sorted(len(r["imported"]) for r in results) == [0, total]
    assert all(len(r["duplicates"]) == total - len(r["imported"]) for r in results)
    records = [p for p in (acme.store.root / "clients/acme-corp").glob("*/*.md")
               if "Twice" in p.read_text()]
    assert len(records) == total


def test_an_unreadable_message_in_a_folder_is_skipped_and_a_named_one_refused(
        acme: Cli) -> None:
    """One file the user cannot read never stops an import of a folder; named on its own,
    it is a usage error that names it (never a traceback)."""
    from conftest import unprivileged_copy

    with unprivileged_copy(acme.store.root) as (prefix, root, env):
        mail = root.parent / "mail"
        mail.mkdir()
        (mail / "a.eml").write_bytes(bytes(message("Readable", message_id="<r@acme.example>")))
        (mail / "b.eml").write_bytes(bytes(message("Secret", message_id="<s@acme.example>")))
        (mail / "b.eml").chmod(0)
        mail.chmod(0o755)
        (mail / "a.eml").chmod(0o644)
        run = [*prefix, sys.executable, "-m", "ilog", "--store", str(root), "import", "email"]
        done = subprocess.run([*run, str(mail), "--json"], capture_output=True, text=True,
                              env=env, check=False)
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert [i["subject"] for i in result["imported"]] == ["Readable"]
        assert [(Path(s["label"]).name, s["reason"]) for s in result["skipped"]] == [
            ("b.eml", "cannot be read: Permission denied")]
        alone = subprocess.run([*run, str(mail / "b.eml")], capture_output=True, text=True,
                               env=env, check=False)
        assert alone.returncode == 2 and "b.eml' is not readable" in alone.stderr
        assert "Traceback" not in alone.stderr


def test_an_internationalized_domain_matches_in_either_form(demo: Cli, tmp_path: Path) -> None:
    demo("client", "domains", "acme", "--add", "bücher.example")
    path = tmp_path / "idn.eml"
    path.write_bytes(bytes(message("Umlaut", "Jürgen <jurgen@Bücher.Example>",
                                   message_id="<idn@xn--bcher-kva.example>")))
    assert imported(demo, str(path))["imported"][0]["client"] == "acme-corp"


@pytest.mark.parametrize(("written", "year"), [("0001", None), ("0099", None), ("1999", 1999),
                                              ("99", 1999), ("26", 2026), ("2026", 2026)])
def test_a_four_digit_year_is_read_as_written(written: str, year: int | None) -> None:
    """Python's parser applies RFC 5322's two-digit-year rule to ``0001`` too (2001): a year
    written with four digits means that year, so 0001 is no date here (Received is taken)."""
    raw = (f"From: jane@acme.example\nDate: Mon, 02 Feb {written} 10:00:00 +0000\n"
           "Received: from mx by mx; Mon, 16 Nov 2026 10:00:00 +0000\nSubject: x\n\nbody\n")
    mail = parse_mail(raw.encode(), now=datetime(2026, 12, 1, tzinfo=UTC))
    assert mail.date is not None
    assert mail.date.year == (year or 2026) and (year is not None or mail.date.month == 11)


def test_check_refuses_domains_that_are_no_domains_and_names_one_two_clients_share(
        demo: Cli) -> None:
    """Issue 24 D5: ``domains: ['*', '', '.']`` passed check, and two profiles could claim
    one domain unseen (mail from it then always asks for --client)."""
    globex = demo.store.root / "clients/globex-ltd/client.yaml"
    globex.write_text(globex.read_text() + "domains: ['*', '', '.']\n")
    found = json.loads(demo("check", "--json", code=32).stdout)["problems"]
    assert [(p["path"], p["field"]) for p in found] == [("clients/globex-ltd/client.yaml",
                                                           "domains")]
    assert "'*' is not a mail domain" in found[0]["message"]
    globex.write_text(globex.read_text().replace("['*', '', '.']", "[Acme.Example]"))
    demo("client", "domains", "acme", "--add", "acme.example")
    found = json.loads(demo("check", "--json", code=32).stdout)["problems"]
    assert len(found) == 1 and found[0]["path"] == "clients/globex-ltd/client.yaml"
    assert found[0]["message"].startswith(
        "domain acme.example is also in clients/acme-corp/client.yaml")
    demo("client", "domains", "globex", "--remove", "acme.example")
    demo("check")
