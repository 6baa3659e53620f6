"""ilog step (issue 14, item 1): rescheduling, reassigning, noting and dropping a next step,
each an event beside the sealed record, seen by every view and merged by git."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import DEMO, Cli, git, team_clones
from ilog.derived.cacheformat import entry_states, event_entry
from ilog.errors import DateError, StepStateError, UsageError
from ilog.evidence.findings import FindingKind
from ilog.model import StepEvent, StepEventKind
from ilog.store.events import in_order
from ilog.store.layout import Store
from ilog.store.stepevents import step_states

QUARTERLY = "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"
SOW = "qanpzjzjw5b2"  # "Send the revised SOW", bob, due 2026-11-27


def action(cli: Cli, step: str, *args: str) -> dict:
    found = [a for a in json.loads(cli("actions", *args, "--json").stdout) if a["id"] == step]
    assert len(found) <= 1
    return found[0] if found else {}


def trail(cli: Cli, step: str) -> list[dict]:
    return list(json.loads(cli("step", step, "--json").stdout)["trail"])


def test_a_reschedule_and_a_new_owner_leave_the_record_untouched(demo: Cli) -> None:
    before = (demo.store.root / QUARTERLY).read_bytes()
    out = demo("step", "qanp", "--due", "2026-12-14", "--note", "the client asked").stdout
    assert "moved from Fri 2026-11-27 to Mon 2026-12-14" in out and "the client asked" in out
    out = demo("step", "qanp", "--owner", "@carol").stdout
    assert "given to carol (was bob)" in out
    now = action(demo, SOW)
    assert (now["due"], now["owner"]) == ("2026-12-14", "carol")
    assert (now["promised_due"], now["promised_owner"]) == ("2026-11-27", "bob")
    assert action(demo, SOW, "--owner", "carol") and not action(demo, SOW, "--owner", "bob")
    assert (demo.store.root / QUARTERLY).read_bytes() == before
    assert demo("verify").exit_code == 0 and demo("check").exit_code == 0
    events = [(e["event"], e["due"], e["owner"], e["note"]) for e in trail(demo, "qanp")]
    assert events == [(StepEventKind.CHANGED, "2026-12-14", None, "the client asked"),
                      (StepEventKind.CHANGED, None, "carol", None)]


def test_the_trail_shows_in_history_and_show(demo: Cli) -> None:
    demo("step", "qanp", "--due", "2026-12-14")
    demo("step", "qanp", "--owner", "carol")
    demo("done", "qanp", "--note", "sent")
    text = demo("history", "acme-corp").stdout
    line = next(line for line in text.splitlines() if "Send the revised SOW" in line)
    assert "carol, due 2026-12-14" in line and "done " in line and "sent" in line
    assert "moved from Fri 2026-11-27 to Mon 2026-12-14 by author@example.test" in text
    assert "given to carol (was bob)" in text
    markdown = demo("history", "acme-corp", "--markdown").stdout
    assert "    - " in markdown and "moved from Fri 2026-11-27" in markdown
    shown = demo("show", "36xjj334").stdout
    assert "now carol's" in shown and "now due Mon 2026-12-14" in shown
    step = json.loads(demo("history", "acme-corp", "--json").stdout)["records"][0]
    state = next(s for s in step["next_steps"] if s["id"] == SOW)
    assert state["state"] == "done" and len(state["trail"]) == 3
    said = demo("step", "qanp").stdout
    assert "promised: owner bob, due Fri 2026-11-27" in said and said.count("\n") == 6


def test_a_dropped_step_is_closed_but_not_done(demo: Cli) -> None:
    result = demo("step", "qanp", "--cancel", code=UsageError.exit_code)
    assert "--reason" in result.output
    demo("step", "qanp", "--cancel", "--reason", "the client withdrew the request")
    assert not action(demo, SOW)
    closed = action(demo, SOW, "--all")
    assert closed["cancelled"] and not closed["done"]
    assert closed["cancel_reason"] == "the client withdrew the request"
    assert "✗ Send the revised SOW" in demo("actions", "--all").stdout
    assert "was dropped already" in demo("done", "qanp", code=StepStateError.exit_code).output
    assert "reopen" in demo("step", "qanp", "--due", "friday",
                            code=StepStateError.exit_code).output
    hits = json.loads(demo("search", "status:cancelled", "--json").stdout)
    assert [h["short_id"] for h in hits] == ["36xjj334"]
    assert json.loads(demo("search", "withdrew", "--json").stdout)
    assert "[-]" in demo("history", "acme-corp").stdout
    demo("reopen", "qanp")
    assert action(demo, SOW)["due"] == "2026-11-27"
    assert not json.loads(demo("search", "status:cancelled", "--json").stdout)


def test_what_a_change_must_be(demo: Cli) -> None:
    assert "give --due" in demo("step", "qanp", "--note", "  ",
                                code=UsageError.exit_code).output
    result = demo("step", "qanp", "--due", "2026-11-27", code=StepStateError.exit_code)
    assert "already owned by bob and due 2026-11-27" in result.output
    result = demo("step", "qanp", "--due", "2026-01-05", code=DateError.exit_code)
    assert "before 2026-11-22T15:00:00+01:00" in result.output
    demo("step", "qanp", "--due", "someday", code=DateError.exit_code)
    result = demo("step", "qanp", "--cancel", "--reason", "x", "--owner", "bob",
                  code=UsageError.exit_code)
    assert "--cancel with --reason only" in result.output
    result = demo("step", "qanp", "--reason", "no longer needed", code=UsageError.exit_code)
    assert "give it with --cancel" in result.output
    demo("step", "qanp", "--cancel", "--note", "a", "--reason", "b", code=UsageError.exit_code)
    assert not trail(demo, "qanp")
    demo("step", "qanp", "--note", "called Jane, she is on leave")  # a note alone is a change
    assert [e["event"] for e in trail(demo, "qanp")] == [StepEventKind.CHANGED]


def test_search_the_agenda_and_the_audit_pack_see_the_new_plan(demo: Cli,
                                                               tmp_path: Path) -> None:
    demo("step", "qanp", "--due", "2026-12-14", "--owner", "carol")
    hits = json.loads(demo("search", "owner:carol due:>2026-12-10", "--json").stdout)
    assert [h["short_id"] for h in hits] == ["36xjj334"]
    assert not json.loads(demo("search", "owner:bob due:2026-11-27", "--json").stdout)
    agenda = json.loads(demo("agenda", "--days", "60", "--json").stdout)
    assert agenda["today"] and all(s["id"] != SOW for s in agenda["overdue"])
    demo("export", "audit", "acme-corp", "--out", str(tmp_path / "pack"), "--format", "md")
    report = next((tmp_path / "pack").glob("*.md")).read_text()
    assert "moved from Fri 2026-11-27 to Mon 2026-12-14" in report
    assert "given to carol (was bob)" in report


def test_a_move_carries_the_steps_trail(demo: Cli) -> None:
    demo("step", "qanp", "--due", "2026-12-14", "--note", "asked")
    demo("step", "qanp", "--cancel", "--reason", "moved on")
    demo("move", "36xjj334", "globex", "--reason", "filed under the wrong client")
    events = trail(demo, "qanp")
    assert [e["event"] for e in events] == [StepEventKind.CHANGED, StepEventKind.CANCELLED]
    assert json.loads(demo("step", "qanp", "--json").stdout)["client"] == "globex-ltd"


def test_two_clones_rescheduling_and_completing_one_step_merge(tmp_path: Path) -> None:
    """Both clones change the same step; git merges the event files without a conflict and
    both end with the same state: the latest recorded change of each kind wins."""
    alice_root, bob_root = team_clones(DEMO, tmp_path)
    alice, bob = Cli(Store(alice_root.resolve())), Cli(Store(bob_root.resolve()))
    alice("step", "qanp", "--due", "2026-12-10", "--note", "alice moved it")
    bob("step", "qanp", "--due", "2026-12-18", "--owner", "dave")  # recorded after alice's
    bob("done", "qanp")
    for person in (alice, bob, alice):
        person("sync")
    seen = [json.loads(p("step", "qanp", "--json").stdout) for p in (alice, bob)]
    assert seen[0] == seen[1]
    assert (seen[0]["due"], seen[0]["owner"], seen[0]["state"]) == ("2026-12-18", "dave", "done")
    assert len(seen[0]["trail"]) == 3
    assert "ilog: 1 step done, 1 step changed" in git(bob.store.root, "log", "--format=%s")
    actions = {c["action"] for c in json.loads(alice("changes", "--json").stdout)}
    assert {"changed step", "completed step"} <= actions


MOMENT = datetime(2026, 11, 23, 10, tzinfo=UTC)
events = st.lists(st.tuples(
    st.sampled_from(["aaaaaaaaaaaa", "bbbbbbbbbbbb"]),
    st.sampled_from(list(StepEventKind)),
    st.integers(0, 5),  # minutes after MOMENT it was recorded: ties happen
    st.sampled_from(["", "carol", "dave"]),
    st.one_of(st.none(), st.dates(date(2026, 11, 23), date(2027, 1, 1))),
    st.sampled_from(["", "why"])), max_size=12)


@given(events, st.randoms())
def test_every_reader_computes_the_same_state_in_any_order(found: list, rng: random.Random) -> None:
    """The cache's fold (tuples) and the files' fold (objects) agree, whatever order the files
    are listed in."""
    made = []
    for number, (step, kind, minutes, owner, due, note) in enumerate(found):
        recorded = MOMENT + timedelta(minutes=minutes)
        made.append(StepEvent(step, "r" * 20, kind, recorded, "x", recorded, note=note,
                              due=due, owner=owner,
                              path=Path(f"steps/{recorded:%Y%m%dT%H%M%S%fZ}-{step}-{number:04x}")))
    shuffled = made[:]
    rng.shuffle(shuffled)
    from_files = step_states(in_order(shuffled))
    assert from_files == step_states(in_order(made))
    assert entry_states([event_entry(e) for e in shuffled]) == from_files
    for step, state in from_files.items():
        mine = [e for e in in_order(made) if e.step == step]
        owners = [e.owner for e in mine if e.owner]
        assert state.owner == (owners[-1] if owners else "")
        closing = [e for e in mine if e.event != StepEventKind.CHANGED]
        reopened = not closing or closing[-1].event == StepEventKind.REOPENED
        assert (state.closed is None) == reopened


def test_verify_reports_an_event_changed_after_it_was_written(tmp_path: Path) -> None:
    from ilog.errors import VerifyFailedError

    root, _ = team_clones(DEMO, tmp_path)
    cli = Cli(Store(root.resolve()))
    cli("step", "qanp", "--due", "2026-12-14", "--note", "the client asked")
    cli("sync", "--no-push")
    [event] = (cli.store.root / "clients/acme-corp/steps").glob(f"*-{SOW}-changed-*.yaml")
    event.write_text(event.read_text().replace("2026-12-14", "2027-06-30"))
    found = json.loads(cli("verify", "--json", code=VerifyFailedError.exit_code).stdout)
    [finding] = [f for f in found["findings"] if f["kind"] == FindingKind.EVENT_CHANGED]
    assert finding["commit"] is None  # changed in the work tree
    git(cli.store.root, "commit", "-qam", "quietly move the deadline")
    found = json.loads(cli("verify", "--json", code=VerifyFailedError.exit_code).stdout)
    [finding] = [f for f in found["findings"] if f["kind"] == FindingKind.EVENT_CHANGED]
    assert finding["commit"]  # changed in a commit, which is named
