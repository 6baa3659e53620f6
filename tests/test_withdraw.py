"""Undoing a mistake without breaking the evidence: `ilog void`, `ilog move`, and ids typed
in the wrong place (issue 11, items 7 and 9)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli
from ilog.errors import NotFoundError, UsageError, WithdrawnError
from ilog.fileformat import seal
from ilog.model import SealState

QUARTERLY_ID = "36xjj334rr634h1vdhjj"


def data(cli: Cli, *args: str) -> object:
    return json.loads(cli(*args, "--json").stdout)


def test_void_withdraws_from_every_view_and_keeps_the_evidence(demo: Cli,
                                                               tmp_path: Path) -> None:
    before = data(demo, "history", "acme")["briefing"]["interactions"]
    clients = {c["slug"]: c for c in data(demo, "clients")}
    withdrawal = data(demo, "void", "36xjj334", "--reason", "logged twice")
    written = demo.store.root / withdrawal["path"]
    assert seal.check(written.read_bytes()).state == SealState.SEALED
    text = written.read_text()
    assert f"amends: {QUARTERLY_ID}" in text and "voided: true" in text
    assert "amend_reason: logged twice" in text
    assert (demo.store.root / "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"
            ).exists()  # the original stays, as evidence
    history = data(demo, "history", "acme")
    assert history["briefing"]["interactions"] == before - 1
    assert "Quarterly review" not in [r["title"] for r in history["records"]]
    assert "qanpzjzjw5b2" not in [a["id"] for a in data(demo, "actions", "--all")]
    assert QUARTERLY_ID not in [h["id"] for h in data(demo, "search", "renew")]
    after = {c["slug"]: c for c in data(demo, "clients")}
    assert after["acme-corp"]["interactions"] == clients["acme-corp"]["interactions"] - 1
    shown = demo("history", "acme", "--withdrawn").stdout
    assert "withdrawn (version 2 of 2): logged twice" in shown
    every = {h["id"]: h for h in data(demo, "search", "renew", "--all-versions")}
    assert every[QUARTERLY_ID]["withdrawn"] is True
    demo("check")
    demo("verify")
    pack = tmp_path / "pack"
    demo("export", "audit", "acme", "--out", str(pack), "--format", "md")
    report = (pack / "audit.md").read_text()
    assert "Quarterly review (withdrawn)" in report and "logged twice" in report


def test_a_withdrawn_record_is_not_amended_or_withdrawn_again(demo: Cli) -> None:
    demo("void", "36xjj334", "--reason", "logged twice")
    again = demo("void", "36xjj334", "--reason", "again", code=WithdrawnError.exit_code)
    assert "was withdrawn already" in again.output
    amended = demo("amend", "36xjj334", "--reason", "x", "--stdin", input="---\n---\n",
                   code=WithdrawnError.exit_code)
    assert "withdrawn" in amended.output
    assert "needs a reason" in demo("void", "gpez", code=UsageError.exit_code).output


def test_move_files_the_record_under_the_right_client(demo: Cli) -> None:
    demo("done", "qanp", "--note", "sent")
    moved = data(demo, "move", "36xjj334", "globex", "--reason", "wrong client")
    assert moved["client"] == "globex-ltd" and moved["path"].startswith("clients/globex-ltd/")
    text = (demo.store.root / moved["path"]).read_text()
    assert f"moved_from: acme-corp/{QUARTERLY_ID}" in text
    assert "Quarterly review" not in [r["title"] for r in data(demo, "history", "acme")["records"]]
    globex = data(demo, "history", "globex")["records"]
    assert [r["id"] for r in globex if r["title"] == "Quarterly review"] == [moved["id"]]
    step = next(a for a in data(demo, "actions", "--all") if a["id"] == "qanpzjzjw5b2")
    assert step["done"] and step["client"] == "globex-ltd" and step["done_note"] == "sent"
    assert [h["client"] for h in data(demo, "search", "renew", "client:globex")] == \
        ["globex-ltd"]
    withdrawn = demo("history", "acme", "--withdrawn").stdout
    assert f"moved to globex-ltd/{moved['id']}" in withdrawn
    demo("check")
    demo("verify")
    same = demo("move", moved["id"][:8], "globex", "--reason", "x", code=26)
    assert "filed under globex-ltd already" in same.output


def test_erasing_a_client_takes_what_was_moved_to_it_from_elsewhere(demo: Cli) -> None:
    moved = data(demo, "move", "36xjj334", "initech", "--reason", "wrong client")
    erased = data(demo, "erase", "initech", "--reason", "request 12", "--yes")
    acme = demo.store.root / "clients/acme-corp/2026"
    assert not list(acme.glob("*-quarterly-review-*.md"))  # the original and its withdrawal
    assert erased["erased"] >= 3 and not (demo.store.root / moved["path"]).exists()
    assert "Quarterly review" not in demo("search", "--all-versions", "renew").stdout
    demo("verify")


def test_a_step_id_where_a_record_id_belongs_points_to_the_record(demo: Cli) -> None:
    wrong = demo("amend", "qanpzjzj", "--reason", "x", code=NotFoundError.exit_code).output
    assert "is next step qanpzjzj" in wrong and "of record 36xjj334" in wrong
    assert "use 36xjj334" in demo("show", "qanp", code=NotFoundError.exit_code).output


def test_ids_a_letter_off_get_a_did_you_mean(demo: Cli) -> None:
    record = demo("show", "36xjj335", code=NotFoundError.exit_code).output
    assert "did you mean 36xjj334?" in record
    step = demo("done", "qanpzjzk", code=NotFoundError.exit_code).output
    assert "did you mean qanpzjzj?" in step
    named = demo("done", "36xjj334", code=NotFoundError.exit_code).output
    assert "is a record, not a next step: its steps are qanpzjzj" in named
