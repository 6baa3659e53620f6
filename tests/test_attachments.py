"""Sealed attachments (issue 15, item 5): files kept beside a record with their SHA-256, in its
sealed front matter (``new --attach``) or in an attach event (``attach``); shown, checked by
verify, carried into new versions, copied into the audit pack, removed with the record."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Cli, git
from ilog.evidence.findings import FindingKind
from ilog.fileformat import codec
from ilog.fileformat.slugs import file_name, is_file_name
from ilog.store import attachments

QUARTERLY = "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"


@pytest.fixture
def sow(tmp_path: Path) -> Path:
    path = tmp_path / "signed SOW.pdf"
    path.write_bytes(b"%PDF-1.4 the signed statement of work\n")
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def new_with(demo: Cli, *files: Path) -> dict:
    args = [arg for f in files for arg in ("--attach", str(f))]
    out = demo("new", "acme", "-t", "note", "--no-edit", "-p", "Jane", "-m", "the SOW",
               *args, "--json").stdout
    return json.loads(out)


def test_new_attach_keeps_the_files_beside_the_record_sealed_with_their_hashes(
        demo: Cli, sow: Path, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("minutes\n")
    record = new_with(demo, sow, other)
    folder = demo.store.root / record["path"][:-3]
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "signed SOW.pdf"]
    assert record["attachments"] == [{"name": "signed SOW.pdf", "sha256": sha(sow)},
                                     {"name": "notes.txt", "sha256": sha(other)}]
    text = (demo.store.root / record["path"]).read_text()
    assert f"- name: signed SOW.pdf\n  sha256: {sha(sow)}" in text
    assert text.index("attachments:") < text.index("seal:")  # covered by the seal
    demo("verify")


def test_verify_reports_a_changed_a_missing_and_an_extra_file(demo: Cli, sow: Path,
                                                              tmp_path: Path) -> None:
    other = tmp_path / "b.txt"
    other.write_text("b\n")
    record = new_with(demo, sow, other)
    folder = demo.store.root / record["path"][:-3]
    (folder / "signed SOW.pdf").write_bytes(b"%PDF-1.4 an altered statement of work\n")
    (folder / "b.txt").unlink()
    (folder / "planted.exe").write_bytes(b"MZ")
    result = demo("verify", "--json", code=38)
    found = {(f["kind"], Path(f["path"]).name) for f in json.loads(result.stdout)["findings"]}
    assert found == {(FindingKind.ATTACHMENT_CHANGED, "signed SOW.pdf"),
                     (FindingKind.ATTACHMENT_MISSING, "b.txt"),
                     (FindingKind.EXTRA_FILE, "planted.exe")}


def test_a_folder_of_files_without_its_record_is_reported(demo: Cli) -> None:
    orphan = demo.store.root / "clients/acme-corp/2026/2026-11-01-gone-zzzzzzzz"
    orphan.mkdir()
    (orphan / "x.pdf").write_bytes(b"x")
    result = demo("verify", code=38)
    assert "x.pdf: extra file: lies in a folder of files that belongs to no record" in \
        result.stdout


def test_attach_adds_a_document_as_an_event_and_the_record_stays_sealed(
        demo: Cli, sow: Path) -> None:
    before = (demo.store.root / QUARTERLY).read_bytes()
    out = demo("attach", "36xjj334", str(sow), "--reason", "the SOW as signed", "--json")
    added = json.loads(out.stdout)["attachment"]
    assert added["name"] == "signed SOW.pdf" and added["sha256"] == sha(sow)
    assert added["reason"] == "the SOW as signed" and added["by"] == "author@example.test"
    assert (demo.store.root / QUARTERLY).read_bytes() == before
    events = list((demo.store.root / "clients/acme-corp/attached").glob("*.yaml"))
    assert len(events) == 1 and sha(sow) in events[0].read_text()
    shown = demo("show", "36xjj334").stdout
    assert "signed SOW.pdf · sha256" in shown and "the SOW as signed" in shown
    assert re.search(r"files +signed SOW\.pdf", demo("history", "acme").stdout)
    demo("verify")
    (demo.store.root / QUARTERLY[:-3] / "signed SOW.pdf").write_bytes(b"swapped")
    assert FindingKind.ATTACHMENT_CHANGED in demo("verify", code=38).stdout


def test_attach_refuses_what_it_cannot_keep(demo: Cli, tmp_path: Path, sow: Path) -> None:
    assert "needs a reason" in demo("attach", "36xjj334", str(sow), code=2).stderr
    missing = demo("attach", "36xjj334", str(tmp_path / "nope.pdf"), "--reason", "x", code=2)
    assert "nope.pdf" in missing.stderr
    assert "not a regular file" in demo("attach", "36xjj334", str(tmp_path), "--reason", "x",
                                        code=2).stderr


def test_two_files_of_one_name_are_both_kept(demo: Cli, sow: Path, tmp_path: Path) -> None:
    again = tmp_path / "elsewhere"
    again.mkdir()
    (again / "signed SOW.pdf").write_bytes(b"another")
    demo("attach", "36xjj334", str(sow), "--reason", "one")
    demo("attach", "36xjj334", str(again / "signed SOW.pdf"), "--reason", "two")
    folder = demo.store.root / QUARTERLY[:-3]
    assert sorted(p.name for p in folder.iterdir()) == ["signed SOW (2).pdf", "signed SOW.pdf"]
    demo("verify")


def test_amend_void_and_move_carry_the_files_into_the_new_version(demo: Cli,
                                                                   sow: Path) -> None:
    demo("attach", "36xjj334", str(sow), "--reason", "signed")
    original = (demo.store.root / QUARTERLY).read_text()
    amended = original.replace("Quarterly review", "Quarterly review (amended)")
    demo("amend", "36xjj334", "--reason", "title", "--stdin", input=amended)
    latest = json.loads(demo("show", "36xjj334", "--json").stdout)
    assert [a["name"] for a in latest["attachments"]] == ["signed SOW.pdf"]
    assert "reason" not in latest["attachments"][0]  # now in the sealed front matter
    moved = json.loads(demo("move", latest["id"], "globex", "--reason", "wrong client",
                            "--json").stdout)
    folder = demo.store.root / moved["path"][:-3]
    assert (folder / "signed SOW.pdf").read_bytes() == sow.read_bytes()
    demo("verify")


def test_a_changed_file_is_never_carried_into_a_new_version(demo: Cli, sow: Path) -> None:
    demo("attach", "36xjj334", str(sow), "--reason", "signed")
    (demo.store.root / QUARTERLY[:-3] / "signed SOW.pdf").write_bytes(b"swapped")
    out = demo("void", "36xjj334", "--reason", "twice", code=38)
    assert "no longer matches its SHA-256" in out.stderr


def test_purge_and_erase_remove_the_files_and_the_attach_events(demo: Cli, sow: Path) -> None:
    demo("attach", "36xjj334", str(sow), "--reason", "signed")
    demo("erase", "acme-corp", "--reason", "GDPR request", "--yes")
    assert not (demo.store.root / "clients/acme-corp").exists()


def test_the_audit_pack_holds_the_files_with_their_hashes(demo: Cli, sow: Path,
                                                          tmp_path: Path) -> None:
    demo("attach", "36xjj334", str(sow), "--reason", "signed")
    pack = tmp_path / "pack"
    demo("export", "audit", "acme", "--out", str(pack))
    copies = list((pack / "files").rglob("signed SOW.pdf"))
    assert len(copies) == 1 and copies[0].read_bytes() == sow.read_bytes()
    manifest = json.loads((pack / "manifest.json").read_text())
    listed = [f for f in manifest["files"] if f["path"].endswith("signed SOW.pdf")]
    assert listed and listed[0]["sha256"] == sha(sow)
    event = [f for f in manifest["files"] if "/attached/" in f["path"]]
    assert len(event) == 1
    report = (pack / "audit.html").read_text()
    assert f"signed SOW.pdf (sha256 {sha(sow)}), added" in report and ": signed" in report


def test_sync_commits_the_files_and_the_events(demo: Cli, sow: Path) -> None:
    root = demo.store.root
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    demo("attach", "36xjj334", str(sow), "--reason", "signed")
    demo("hold", "36xjj334", "--reason", "dispute")
    demo("sync")
    assert git(root, "status", "--porcelain") == ""
    message = git(root, "log", "-1", "--format=%s")
    assert "1 attached file" in message and "1 hold" in message


def test_a_hostile_name_in_the_front_matter_is_never_a_path(write_record, store) -> None:
    path = write_record("""\
        ---
        id: abcd1234efgh5678jkmn
        client: acme
        type: note
        date: 2026-11-22
        participants: [Jane]
        attachments:
        - name: ../../../etc/passwd
          sha256: 0000000000000000000000000000000000000000000000000000000000000000
        ---
        """)
    with pytest.raises(Exception) as error:
        store.read(path)
    assert "plain file name" in str(error.value)


@given(st.text(max_size=300))
def test_a_safe_name_is_always_one_file_in_its_folder(text: str) -> None:
    name = file_name(text)
    assert is_file_name(name)
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert name not in ("", ".", "..") and len(name.encode("utf-8")) <= 160
    assert name.encode("utf-8")  # never a lone surrogate


@given(st.lists(st.tuples(st.from_regex(r"[a-z][a-z0-9 ._-]{0,20}", fullmatch=True),
                          st.binary(max_size=64)), max_size=5))
def test_the_attachment_list_reads_back_as_it_was_written(files) -> None:
    from ilog.model import Attachment, Record

    listed, taken = [], []
    for name, data in files:
        safe = attachments.unique_name(name, taken)
        taken.append(safe)
        listed.append(Attachment(safe, hashlib.sha256(data).hexdigest()))
    record = Record(id="abcd1234efgh5678jkmn", client="acme", type="note", date=None,
                    attachments=listed)
    assert codec.parse(codec.encode(record)).attachments == listed


def test_a_record_folder_that_is_a_link_is_never_read_through(demo: Cli, sow: Path,
                                                              tmp_path: Path) -> None:
    demo("attach", "36xjj334", str(sow), "--reason", "signed")
    folder = demo.store.root / QUARTERLY[:-3]
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "signed SOW.pdf").write_bytes(sow.read_bytes())
    (outside / "secret.txt").write_text("not the store's")
    for name in list(folder.iterdir()):
        name.unlink()
    folder.rmdir()
    folder.symlink_to(outside)
    findings = json.loads(demo("verify", "--json", code=38).stdout)["findings"]
    assert [(f["kind"], f["path"]) for f in findings] == [
        (FindingKind.ATTACHMENT_CHANGED, demo.store.relative(folder).as_posix())]  # the link
    assert "secret.txt" not in json.dumps(findings)
    assert "inside a link" in demo("void", "36xjj334", "--reason", "twice", code=23).stderr


def test_the_same_bytes_are_attached_once(demo: Cli, sow: Path, tmp_path: Path) -> None:
    """Issue 24 F11: attaching the same bytes again kept 'signed SOW (2).pdf' silently; it
    says which file holds them already (by SHA-256) and adds nothing, and 'new --attach'
    refuses one file given twice."""
    demo("attach", "36xjj334", str(sow), "--reason", "as signed")
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(sow.read_bytes())
    again = demo("attach", "36xjj334", str(copy), "--reason", "again", code=35)
    assert "attached to record 36xjj334 already, as signed SOW.pdf" in again.stderr
    assert sha(sow)[:12] in again.stderr
    events = list((demo.store.root / "clients/acme-corp/attached").glob("*.yaml"))
    assert len(events) == 1
    assert [p.name for p in (demo.store.root / QUARTERLY[:-3]).iterdir()] == ["signed SOW.pdf"]
    twice = demo("new", "acme", "-t", "note", "--no-edit", "-p", "Jane", "-m", "x",
                 "--attach", str(sow), "--attach", str(copy), code=2)
    assert "holds the same bytes as" in twice.stderr
