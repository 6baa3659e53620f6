"""Seals and amendments: records are evidence; a correction never changes the original."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEMO, Cli, editor_command, git, team_clones
from ilog.errors import (
    AbortedError,
    FormatError,
    IlogError,
    SealedError,
    UsageError,
    VerifyFailedError,
)
from ilog.evidence.findings import FindingKind
from ilog.evidence.verify import verify
from ilog.fileformat import seal
from ilog.model import SealState
from ilog.ops.amend import amend_record
from ilog.store.layout import Store

QUARTERLY = "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"
SEALED = (DEMO / QUARTERLY).read_bytes()


def check_as_documented(data: bytes) -> bool:
    """The check of docs/evidence.md, written from the doc, not from seal.py."""
    head_end = data.index(b"\n---", 3)
    lines = list(re.finditer(rb"^seal:.*\n", data[:head_end + 1], re.MULTILINE))
    if len(lines) != 1 or not re.fullmatch(rb"seal: sha256:[0-9a-f]{64}\n", lines[0][0]):
        return False
    rest = data[:lines[0].start()] + data[lines[0].end():]
    return hashlib.sha256(rest).hexdigest().encode() == lines[0][0][13:77]


def test_records_are_sealed_when_written(demo: Cli) -> None:
    out = demo("new", "acme", "--no-edit", "-p", "Jane", "-d", "none", "-n", "none").stdout
    path = demo.store.root / out.split()[-1]
    data = path.read_bytes()
    assert seal.check(data).state == SealState.SEALED and check_as_documented(data)
    assert data.split(b"\n---\n")[0].splitlines()[-1].startswith(b"seal: sha256:")
    assert json.loads(demo("show", out.split()[1], "--json").stdout)["seal"].startswith("sha256:")


@settings(max_examples=300)
@given(st.data())
def test_any_single_byte_changed_breaks_the_seal(data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(SEALED) - 1))
    new_byte = data.draw(st.integers(0, 255).filter(lambda b: b != SEALED[position]))
    tampered = SEALED[:position] + bytes([new_byte]) + SEALED[position + 1:]
    assert seal.check(tampered).state != SealState.SEALED
    assert not check_as_documented(tampered) if tampered.count(b"\n---") else True


FIXTURES = sorted(DEMO.glob("clients/*/20*/*.md"))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name[-11:-3] for p in FIXTURES])
def test_every_single_byte_change_of_every_fixture_record_breaks_its_seal(path: Path) -> None:
    """Every byte of every sealed record of the example store changed to the next value, or,
    with ILOG_TAMPER_ALL=1, to each of the 255 others (4.5 million files: docs/reliability.md).
    verify checks each file's seal the same way."""
    data = path.read_bytes()
    assert seal.check(data).state == SealState.SEALED
    every_value = os.environ.get("ILOG_TAMPER_ALL") == "1"
    for position, old in enumerate(data):
        for new in range(256) if every_value else [(old + 1) % 256]:
            if new != old:
                tampered = data[:position] + bytes([new]) + data[position + 1:]
                assert seal.check(tampered).state != SealState.SEALED, (position, new)


def test_a_forged_or_doubled_seal_is_malformed() -> None:
    assert seal.check(SEALED.replace(b"seal: sha256:", b"seal: md5:")).state == SealState.MALFORMED
    doubled = SEALED.replace(b"seal: ", b"seal: sha256:" + b"0" * 64 + b"\nseal: ", 1)
    assert seal.check(doubled).state == SealState.MALFORMED
    assert seal.check(b"\xef\xbb\xbf" + SEALED).state == SealState.BROKEN


def amend_with(cli: Cli, tmp_path: Path, ref: str, old: str, new: str, *args: str,
               code: int = 0, env: dict[str, str] | None = None):
    script = tmp_path / "amend.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      f"p.write_text(p.read_text().replace({old!r}, {new!r}))\n")
    return cli("amend", ref, *args, env={"EDITOR": editor_command(script), **(env or {})},
               code=code)


def test_amend_writes_a_new_sealed_record_and_never_touches_the_original(
        demo: Cli, tmp_path: Path) -> None:
    original = (demo.store.root / QUARTERLY).read_bytes()
    out = amend_with(demo, tmp_path, "36xjj334", "at the current rate", "plus 3 %",
                     "--reason", "the rate rises 3 %").stdout
    assert out.startswith("Amended 36xjj334 with ")
    amendment = demo.store.root / out.split()[-1]
    assert (demo.store.root / QUARTERLY).read_bytes() == original
    text = amendment.read_text()
    assert "Renew for 12 months plus 3 %" in text and "amends: 36xjj334rr634h1vdhjj" in text
    assert "amend_reason: the rate rises 3 %" in text and "\namended: 20" in text
    assert "id: qanpzjzjw5b2" in text  # the step keeps its id, so its state carries over
    assert seal.check(amendment.read_bytes()).state == SealState.SEALED
    demo("edit", out.split()[4], code=SealedError.exit_code)


def test_the_latest_version_is_what_people_see(demo: Cli, tmp_path: Path) -> None:
    demo("done", "qanp")
    amend_with(demo, tmp_path, "36xjj334", "current rate", "new rate", "--reason", "rate")
    second = amend_with(demo, tmp_path, "36xjj334", "new rate", "newer rate", "--reason",
                        "again").stdout.split()[3]
    data = json.loads(demo("history", "acme", "--json").stdout)
    assert data["briefing"]["interactions"] == 7
    latest = data["records"][0]
    assert latest["short_id"] == second and len(latest["versions"]) == 3
    assert latest["next_steps"][0]["state"] == "done"  # done before the amendments
    assert "version 3 of 3, corrects" in demo("history", "acme").stdout
    assert [a["id"] for a in json.loads(demo("actions", "--all", "--json").stdout)
            ].count("qanpzjzjw5b2") == 1
    shown = json.loads(demo("show", "36xjj334", "--json").stdout)
    assert shown["short_id"] == second and shown["versions"][0] == "36xjj334rr634h1vdhjj"
    plain = demo("show", "36xjj334").stdout
    assert plain.startswith("Version 3 of 3, corrects") and "you asked for 36xjj334" in plain
    every = demo("show", second, "--versions").stdout
    assert every.count("Version ") == 3 and "-- Renew for 12 months at the current rate" \
        in every and "+- Renew for 12 months at the newer rate" in every
    diffs = json.loads(demo("show", second, "--versions", "--json").stdout)["diffs"]
    assert len(diffs) == 2 and "-- Renew for 12 months at the current rate" in diffs[0]


def fork(demo: Cli, tmp_path: Path) -> None:
    """Two amendments of the quarterly review's one version, as two clones make them at once
    (Bob's and Alice's): the first is parked while the second is made, then put back."""
    folder = demo.store.root / "clients/acme-corp/2026"
    amend_with(demo, tmp_path, "36xjj334", "Quarterly review", "fork one", "--reason", "one",
               env={"ILOG_AUTHOR": "bob@consultancy.example"})
    first = next(folder.glob("*-fork-one-*.md"))
    first.rename(tmp_path / first.name)
    amend_with(demo, tmp_path, "36xjj334", "Quarterly review", "fork two", "--reason", "two",
               env={"ILOG_AUTHOR": "alice@consultancy.example"})
    (tmp_path / first.name).rename(first)


def test_a_diverged_interaction_counts_once_and_says_so(demo: Cli, tmp_path: Path) -> None:
    fork(demo, tmp_path)
    history = json.loads(demo("history", "acme", "--json").stdout)
    titles = [r["title"] for r in history["records"]]
    assert len([t for t in titles if t.startswith("fork")]) == 1  # one interaction
    assert "Quarterly review" not in titles
    current = next(r for r in history["records"] if r["title"].startswith("fork"))
    assert len(current["diverged"]) == 1 and current["diverged"][0]["author"].endswith(
        "@consultancy.example")
    assert "diverged" in demo("history", "acme").stdout
    sow = [s for s in json.loads(demo("actions", "--json").stdout)
           if s["text"] == "Send the revised SOW"]
    assert len(sow) == 1  # the step counts once
    demo("done", sow[0]["id"])  # and its id names one step
    warnings = json.loads(demo("verify", "--json").stdout)["warnings"]
    assert [w["kind"] for w in warnings] == [FindingKind.DIVERGED]
    acme = next(c for c in json.loads(demo("clients", "--json").stdout)
                if c["slug"] == "acme-corp")
    assert acme["interactions"] == history["briefing"]["interactions"] == 7
    pack = json.loads(demo("export", "audit", "acme", "--out", str(tmp_path / "pack"),
                           "--json").stdout)
    assert pack["interactions"] == 7
    assert "reconciles" in demo("show", current["short_id"]).stdout


def test_an_amendment_reconciles_a_diverged_interaction(demo: Cli, tmp_path: Path) -> None:
    fork(demo, tmp_path)
    current = next(r for r in json.loads(demo("history", "acme", "--json").stdout)["records"]
                   if r["title"].startswith("fork"))
    amend_with(demo, tmp_path, current["short_id"], current["title"], "Quarterly review, one",
               "--reason", "reconcile both")
    after = [r for r in json.loads(demo("history", "acme", "--json").stdout)["records"]
             if "Quarterly" in r["title"] or r["title"].startswith("fork")]
    assert [r["title"] for r in after] == ["Quarterly review, one"] and not after[0]["diverged"]
    assert json.loads(demo("verify", "--json").stdout)["warnings"] == []
    titles = {h["title"] for h in json.loads(demo("search", "quarterly", "--json").stdout)}
    assert titles == {"Quarterly review, one"}


def test_amend_needs_a_reason_and_a_change(demo: Cli, tmp_path: Path) -> None:
    result = amend_with(demo, tmp_path, "36xjj334", "x", "y", code=UsageError.exit_code)
    assert "an amendment needs a reason" in result.output
    with pytest.raises(IlogError, match="needs a reason"):  # the core says so too
        amend_record(demo.store, "36xjj334", " ", run_editor=None, text="x")
    amend_with(demo, tmp_path, "36xjj334", "nothing", "nothing", "--reason", "r",
               code=AbortedError.exit_code)
    result = demo("amend", "36xjj334", "--reason", "move it", "--stdin",
                  input=(demo.store.root / QUARTERLY).read_text().replace(
                      "client: acme-corp", "client: initech"), code=FormatError.exit_code)
    assert "an amendment stays with its client" in result.output


# -- verify --------------------------------------------------------------------------------

def verify_json(cli: Cli, *args: str, code: int = 0) -> dict:
    return json.loads(cli("verify", *args, "--json", code=code).stdout)


def kinds(report: dict) -> list[tuple[str, str]]:
    return [(f["kind"], Path(f["path"]).name[-11:-3]) for f in report["findings"]]


def reseal(path: Path, old: str, new: str) -> None:
    """Tamper with a record and compute its seal anew, as someone covering it up would."""
    path.write_bytes(seal.add(seal.without(path.read_bytes()).replace(old.encode(),
                                                                       new.encode()))[0])


def test_verify_a_sound_store(demo: Cli) -> None:
    report = verify_json(demo)
    assert (report["checked"], report["findings"], report["commit"]) == (31, [], None)
    assert "verified 31 records (not a git store" in demo("verify").stderr


def test_verify_names_a_naive_edit_and_exits_38(demo: Cli) -> None:
    record = demo.store.root / QUARTERLY
    record.write_text(record.read_text().replace("current rate", "half the rate"))
    report = verify_json(demo, code=VerifyFailedError.exit_code)
    assert kinds(report) == [(FindingKind.BROKEN, "36xjj334")]
    assert (report["findings"][0]["field"], report["findings"][0]["commit"]) == (None, None)
    assert ": 1 finding\n" in demo("verify", "acme", code=38).stderr
    assert verify_json(demo, "initech")["findings"] == []


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_verify_reports_any_single_byte_changed(tmp_path_factory, data: st.DataObject) -> None:
    root = tmp_path_factory.mktemp("flip") / "store"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
    files = sorted(root.glob("clients/*/20*/*.md"))
    target = data.draw(st.sampled_from(files))
    original = target.read_bytes()
    position = data.draw(st.integers(0, len(original) - 1))
    new_byte = data.draw(st.integers(0, 255).filter(lambda b: b != original[position]))
    target.write_bytes(original[:position] + bytes([new_byte]) + original[position + 1:])
    report = verify(Store(root))
    assert [f.path for f in report.findings] == [target.relative_to(root).as_posix()]


def test_git_history_catches_a_resealed_change(tmp_path: Path) -> None:
    alice, _ = team_clones(DEMO, tmp_path)
    record = alice / QUARTERLY
    reseal(record, "current rate", "half the rate")
    before_commit = verify_json(Cli(Store(alice)), code=38)
    assert kinds(before_commit) == [(FindingKind.UNCOMMITTED, "36xjj334")]
    assert before_commit["findings"][0]["field"] == "decisions"
    git(alice, "commit", "-qam", "quietly")
    report = verify_json(Cli(Store(alice)), code=38)
    assert kinds(report) == [(FindingKind.CHANGED, "36xjj334")]
    assert report["findings"][0]["field"] == "decisions" and report["findings"][0]["commit"]


def test_a_rewritten_history_is_caught_by_any_earlier_copy(tmp_path: Path) -> None:
    alice, bob = team_clones(DEMO, tmp_path)
    reseal(bob / QUARTERLY, "current rate", "half the rate")
    git(bob, "commit", "-q", "--amend", "-a", "--no-edit")  # history rewritten: one commit
    report = verify_json(Cli(Store(bob)), code=38)  # origin/main still holds the original
    assert kinds(report) == [(FindingKind.CHANGED, "36xjj334")]
    git(bob, "update-ref", "-d", "refs/remotes/origin/main")
    assert verify_json(Cli(Store(bob)))["findings"] == []  # no copy left: the documented limit
    git(alice, "fetch", "-q", str(bob), "main:refs/remotes/bob/main")
    report = verify_json(Cli(Store(alice)), code=38)
    assert kinds(report) == [(FindingKind.CHANGED, "36xjj334")]


def test_deletions_need_a_tombstone(tmp_path: Path) -> None:
    alice, _ = team_clones(DEMO, tmp_path)
    printer = "clients/initech/2026/2026-08-19-printer-on-floor-3-jams-h935vf29.md"
    (alice / printer).unlink()
    assert kinds(verify_json(Cli(Store(alice)), code=38)) == \
        [(FindingKind.DELETED, "h935vf29")]
    git(alice, "commit", "-qam", "gone")
    report = verify_json(Cli(Store(alice)), code=38)
    assert kinds(report) == [(FindingKind.DELETED, "h935vf29")] and report["findings"][0]["commit"]


def test_amendments_must_lead_back_to_their_original(demo: Cli, tmp_path: Path) -> None:
    out = amend_with(demo, tmp_path, "36xjj334", "current rate", "new rate", "--reason", "r")
    amendment = demo.store.root / out.stdout.split()[-1]
    assert verify_json(demo)["findings"] == []
    (demo.store.root / QUARTERLY).unlink()
    report = verify_json(demo, code=38)
    assert kinds(report) == [(FindingKind.MISSING, amendment.name[-11:-3]),
                             (FindingKind.VANISHED, "36xjj334")]  # the last verify saw it
    assert report["findings"][0]["field"] == "amends"


def test_an_amendment_loop_is_named(demo: Cli) -> None:
    folder = demo.store.root / "clients/acme-corp/2026"
    for me, other in (("aaaaaaaa", "bbbbbbbb"), ("bbbbbbbb", "aaaaaaaa")):
        text = (demo.store.root / QUARTERLY).read_text().replace(
            "36xjj334rr634h1vdhjj", f"{me}rr634h1vdhjj").replace(
            "\nseal:", f"\namends: {other}rr634h1vdhjj\nseal:")
        data = seal.add(seal.without(text.encode()))[0]
        (folder / f"2026-11-22-loop-{me}.md").write_bytes(data)
    assert sorted(kinds(verify_json(demo, code=38))) == [(FindingKind.LOOP, "aaaaaaaa"),
                                                         (FindingKind.LOOP, "bbbbbbbb")]


def test_records_from_before_seals_are_sealed_once(write_record, cli: Cli) -> None:
    from conftest import VALID_CALL

    path = write_record(VALID_CALL)
    assert kinds(verify_json(cli, code=38)) == [(FindingKind.NOT_SEALED, "abcd1234")]
    assert json.loads(cli("seal", "--json").stdout)["sealed"] == [
        path.relative_to(cli.store.root).as_posix()]
    assert json.loads(cli("seal", "--json").stdout)["sealed"] == []
    assert verify_json(cli)["findings"] == []


def test_verify_in_worker_processes_finds_the_same(demo: Cli, monkeypatch) -> None:
    from ilog.store import parallel

    for path in list(demo.store.root.glob("clients/*/20*/*.md"))[::5]:
        path.write_bytes(path.read_bytes().replace(b"\n---\n", b"\n---\n\n", 1))
    serial = demo("verify", "--json", code=38).stdout
    monkeypatch.setattr(parallel, "THRESHOLD", 2)
    assert demo("verify", "--json", code=38).stdout == serial
    assert len(json.loads(serial)["findings"]) == 7


@pytest.mark.parametrize("forgery", ["empty", "made up", "another record's"])
def test_a_forged_tombstone_is_never_accepted(tmp_path: Path, forgery: str) -> None:
    """Deleting a record and adding any file named after its id under tombstones/ once
    passed verify; a tombstone must now give the SHA-256 of the file that was deleted."""
    alice, _ = team_clones(DEMO, tmp_path)
    cli = Cli(Store(alice))
    printer = "clients/initech/2026/2026-08-19-printer-on-floor-3-jams-h935vf29.md"
    record_id = re.search(r"^id: (\S+)$", (alice / printer).read_text(), re.MULTILINE)[1]
    (alice / printer).unlink()
    folder = alice / "tombstones" / "2026"
    folder.mkdir(parents=True)
    forged = folder / f"{record_id}.yaml"
    if forgery == "empty":
        forged.write_text("")
    elif forgery == "made up":
        forged.write_text(f"record: {record_id}\nsha256: {'0' * 64}\nkind: purge\n")
    else:  # a genuine tombstone of another record, renamed
        cli("erase", "globex", "--reason", "request 3", "--yes")
        genuine = next(p for p in folder.glob("*.yaml") if p != forged)
        forged.write_text(genuine.read_text().replace(genuine.stem, record_id))
    git(alice, "add", "-A")
    git(alice, "commit", "-qm", "tidy up")
    report = verify_json(cli, code=38)
    assert (FindingKind.FORGED, "h935vf29") in kinds(report)


def test_git_replace_cannot_hide_a_change(tmp_path: Path) -> None:
    """A commit that changed a sealed record, swapped with git replace for one that did not."""
    alice, _ = team_clones(DEMO, tmp_path)
    quarterly = alice / QUARTERLY
    honest = git(alice, "rev-parse", "HEAD").strip()
    reseal(quarterly, "Renew for 12 months", "Renew for 1 month")  # a cover-up: sealed anew
    git(alice, "commit", "-qam", "quiet change")
    tampered = git(alice, "rev-parse", "HEAD").strip()
    git(alice, "replace", tampered, honest)  # git log now shows the honest commit instead
    report = verify_json(Cli(Store(alice)), code=38)
    found = {f["kind"] for f in report["findings"]}
    assert FindingKind.REPLACED in found and FindingKind.CHANGED in found


def test_a_reset_behind_the_remote_is_noticed(tmp_path: Path) -> None:
    """git has no commit that deletes the record: it was never deleted, HEAD went back."""
    alice, _ = team_clones(DEMO, tmp_path)
    cli = Cli(Store(alice))
    cli("new", "acme", "--no-edit", "-t", "note", "-p", "x", "--title", "promise")
    git(alice, "add", "-A")
    git(alice, "commit", "-qm", "a promise")
    git(alice, "push", "-q", "origin", "main")
    verify_json(cli)  # seen
    git(alice, "reset", "-q", "--hard", "HEAD~1")
    report = verify_json(cli, code=38)
    assert [k for k, _ in kinds(report)] == [FindingKind.VANISHED]


def test_a_pulled_force_push_that_drops_a_record_is_noticed(tmp_path: Path) -> None:
    alice, bob = team_clones(DEMO, tmp_path)
    Cli(Store(alice))("new", "acme", "--no-edit", "-t", "note", "-p", "x", "--title", "x")
    git(alice, "add", "-A")
    git(alice, "commit", "-qm", "a note")
    git(alice, "push", "-q", "origin", "main")
    git(bob, "pull", "-q", "--rebase", "origin", "main")
    bobs = Cli(Store(bob))
    verify_json(bobs)  # bob has seen alice's note
    git(alice, "reset", "-q", "--hard", "HEAD~1")
    git(alice, "push", "-q", "--force", "origin", "main")
    git(bob, "fetch", "-q", "origin")
    git(bob, "reset", "-q", "--hard", "origin/main")  # what a pull of a rewritten branch does
    git(bob, "reflog", "expire", "--expire=now", "--all")
    git(bob, "gc", "-q", "--prune=now")  # and the old commits are gone from bob's clone too
    assert [k for k, _ in kinds(verify_json(bobs, code=38))] == [FindingKind.VANISHED]


def test_a_record_changed_after_sealing_is_marked_everywhere(demo: Cli) -> None:
    """A hand edit of a sealed record: check fails on it (and so the pre-commit hook), and
    every view says so; the seal's state is kept in the client cache by the file's stamp."""
    demo("history", "acme")  # a cache made before the edit
    path = demo.store.root / QUARTERLY
    path.write_text(path.read_text().replace("12 months", "24 months"))
    result = demo("check", code=32)
    assert f"{QUARTERLY}:22: seal: does not match the record" in result.output
    note = "seal broken: this file was changed after it was sealed"
    assert note in demo("show", "36xjj334").output
    assert note in demo("history", "acme").output
    assert note in demo("history", "acme", "--markdown").output
    assert note in demo("search", "renew").output
    assert json.loads(demo("show", "36xjj334", "--json").stdout)["seal_state"] == "broken"
    hits = json.loads(demo("search", "renew", "--json").stdout)
    assert {h["short_id"]: h["seal_state"] for h in hits}["36xjj334"] == "broken"
    assert note not in demo("history", "globex").output


def test_two_withdrawals_at_once_withdraw_the_interaction_once(demo: Cli,
                                                               tmp_path: Path) -> None:
    folder = demo.store.root / "clients/acme-corp/2026"
    before = set(folder.iterdir())
    demo("void", "36xjj334", "--reason", "one")
    first = next(iter(set(folder.iterdir()) - before))
    first.rename(tmp_path / first.name)  # as if made in another clone at the same time
    demo("void", "36xjj334", "--reason", "two")
    (tmp_path / first.name).rename(first)
    titles = [r["title"] for r in json.loads(demo("history", "acme", "--json").stdout)["records"]]
    assert "Quarterly review" not in titles
    withdrawn = json.loads(demo("history", "acme", "--withdrawn", "--json").stdout)["records"]
    assert len([r for r in withdrawn if r["title"] == "Quarterly review"]) == 1
    assert [w["kind"] for w in json.loads(demo("verify", "--json").stdout)["warnings"]] == [
        FindingKind.DIVERGED]


def test_verify_right_after_init_says_there_are_no_commits_yet(tmp_path: Path) -> None:
    """Issue 24 F12: it said "not a git store" of the git store init had just made."""
    cli = Cli(Store(tmp_path / "new"))
    cli("init")
    said = cli("verify").stderr
    assert "no commits yet" in said and "not a git store" not in said


def test_the_advice_for_a_staged_edit_of_a_sealed_record_restores_index_and_file(
        tmp_path: Path) -> None:
    """Issue 24 F12: the pre-commit hook advised 'git checkout FILE', which takes the
    index's copy: the staged bad version stayed. The advised command must restore both."""
    store = tmp_path / "s"
    shutil.copytree(DEMO, store)
    git(store, "init", "-q")
    git(store, "add", "-A")
    git(store, "commit", "-qm", "start")
    path = store / QUARTERLY
    original = path.read_bytes()
    path.write_text(path.read_text().replace("12 months", "24 months"))
    git(store, "add", QUARTERLY)
    refused = subprocess.run([sys.executable, "-m", "ilog", "--store", str(store), "check",
                              "--staged"], capture_output=True, text=True, check=False)
    advised = re.search(r"\((git restore [^)]*)\)", refused.stderr + refused.stdout)
    assert refused.returncode == 32 and advised, refused
    subprocess.run(shlex.split(advised[1]), cwd=store, check=True)
    assert path.read_bytes() == original
    assert git(store, "status", "--porcelain").strip() == ""
