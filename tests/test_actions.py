"""`ilog done` / `ilog reopen`: completion without touching the record, merging in git."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from conftest import DEMO, Cli, git, runner, team_clones
from ilog.errors import AmbiguousError, NotFoundError, StepStateError, UsageError
from ilog.model import StepEvent, StepEventKind
from ilog.store import stepevents
from ilog.store.events import in_order
from ilog.store.layout import Store
from ilog.store.profiles import client_slugs

QUARTERLY = "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"



def all_events(store: Store) -> list[StepEvent]:
    """Every completion event, read straight from the files (not through the cache)."""
    return [event for client in client_slugs(store)
            for event in stepevents.read_events(store, client)]


def state_of(store: Store, step: str) -> str:
    event = {e.step: e for e in in_order(all_events(store))}.get(step)
    return StepEventKind.DONE if event and event.event == StepEventKind.DONE else "open"


def test_done_and_reopen_leave_the_record_untouched(demo: Cli) -> None:
    record = demo.store.root / QUARTERLY
    before = record.read_bytes()
    out = demo("done", "qanp", "--note", "sent by email", "--date", "yesterday 4pm").stdout
    assert out.startswith("Done qanpzjzj 'Send the revised SOW' (acme-corp, record 36xjj334)")
    assert state_of(demo.store, "qanpzjzjw5b2") == StepEventKind.DONE
    event = all_events(demo.store)[-1]
    assert (event.note, event.by, event.at.hour) == ("sent by email", "author@example.test", 16)
    demo("reopen", "qanpzjzj")
    assert state_of(demo.store, "qanpzjzjw5b2") == "open"
    assert record.read_bytes() == before
    assert demo("check").exit_code == 0


def test_done_twice_or_reopen_while_open_is_refused(demo: Cli) -> None:
    demo("reopen", "qanp", code=StepStateError.exit_code)
    demo("done", "qanp")
    result = demo("done", "qanp", code=StepStateError.exit_code)
    assert "was done already (author@example.test" in result.output


def test_json_output(demo: Cli) -> None:
    data = json.loads(demo("done", "qanp", "--json").stdout)
    assert data["step"] == "qanpzjzjw5b2" and data["event"] == "done"
    assert data["record"] == "36xjj334rr634h1vdhjj" and data["client"] == "acme-corp"
    assert data["text"] == "Send the revised SOW" and data["owner"] == "bob"


def test_unknown_short_and_ambiguous_ids(demo: Cli) -> None:
    assert "no next step with id 'zzzz'" in demo("done", "zzzz",
                                                 code=NotFoundError.exit_code).output
    assert "at least 4" in demo("done", "qa", code=NotFoundError.exit_code).output
    extra = demo.store.root / "clients/acme-corp/2026/2026-11-23-copy-36xjj335.md"
    extra.write_text((demo.store.root / QUARTERLY).read_text()
                     .replace("36xjj334rr634h1vdhjj", "36xjj335rr634h1vdhjj")
                     .replace("qanpzjzjw5b2", "qanpzjzjw5b3"))
    result = demo("done", "qanp", code=AmbiguousError.exit_code)
    assert "matches 2 next steps" in result.output and "qanpzjzjw5b3" in result.output
    demo("done", "qanpzjzjw5b3")


def test_two_people_completing_steps_of_one_record_merge_without_conflict(
        tmp_path: Path) -> None:
    alice, bob = team_clones(DEMO, tmp_path)
    # The invoice dispute call has two next steps: each person completes one.
    for person, step in ((alice, "f1cj"), (bob, "vdj1")):
        result = runner.invoke(["--store", str(person), "done", step])
        assert result.exit_code == 0, result.output
        git(person, "add", "-A")
        git(person, "commit", "-qm", f"done {step}")
    git(alice, "push", "-q", "origin", "main")
    git(bob, "pull", "-q", "--rebase", "origin", "main")
    git(bob, "push", "-q", "origin", "main")
    git(alice, "pull", "-q", "--rebase", "origin", "main")
    for person in (alice, bob):
        done = {e.step[:4] for e in all_events(Store(person)) if e.event == StepEventKind.DONE}
        assert done == {"f1cj", "vdj1"}


def actions_json(cli: Cli, *args: str) -> list[dict]:
    return json.loads(cli("actions", *args, "--json").stdout)


def test_actions_lists_open_steps_soonest_first(demo: Cli) -> None:
    found = actions_json(demo)
    dues = [a["due"] for a in found if a["due"]]
    assert dues == sorted(dues) and len(found) == 29  # every step of the demo store
    assert set(found[0]) >= {"id", "text", "owner", "due", "done", "client", "record"}
    assert all(a["done"] is False for a in found)


def test_actions_filters(demo: Cli) -> None:
    bob = actions_json(demo, "--owner", "bob")
    assert bob and all(a["owner"] == "bob" for a in bob)
    acme = actions_json(demo, "--client", "acme")
    assert {a["client"] for a in acme} == {"acme-corp"}
    overdue = actions_json(demo, "--overdue")
    assert overdue and all(a["due"] < date.today().isoformat() for a in overdue)
    soon = actions_json(demo, "--due-within", "2w")
    limit = (date.today() + timedelta(14)).isoformat()
    assert all(a["due"] and a["due"] <= limit for a in soon)


def test_done_steps_leave_the_list_and_come_back_with_all(demo: Cli) -> None:
    before = len(actions_json(demo))
    demo("done", "qanp")
    assert len(actions_json(demo)) == before - 1
    everything = actions_json(demo, "--all")
    done = [a for a in everything if a["done"]]
    assert [a["short_id"] for a in done] == ["qanpzjzj"] and done[0]["done_by"]
    demo("reopen", "qanp")
    assert len(actions_json(demo)) == before


def test_mine_uses_the_configured_owner(demo: Cli, isolated_env: Path) -> None:
    config = isolated_env / "config" / "ilog"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('owner = "alice"\n')
    mine = actions_json(demo, "--mine")
    assert mine and {a["owner"] for a in mine} == {"alice"}


def test_actions_readable_output_and_bad_due_within(demo: Cli) -> None:
    out = demo("actions", "--client", "initech").stdout
    assert "Prototype checklist" in out and "initech" in out
    demo("actions", "--due-within", "soon", code=UsageError.exit_code)


def test_actions_follow_the_files_and_survive_a_damaged_cache(demo: Cli) -> None:
    before = len(actions_json(demo))
    demo("new", "acme", "--no-edit", "-p", "Jane", "-d", "Go", "-n", "Brand new step @zed")
    assert [a["text"] for a in actions_json(demo, "--owner", "zed")] == ["Brand new step"]
    (demo.store.root / QUARTERLY).unlink()
    assert len(actions_json(demo)) == before  # one added, the quarterly review's one gone
    shard = demo.store.root / ".ilog/meta/acme-corp.marshal"
    shard.write_bytes(b"garbage")
    demo("new", "acme", "--no-edit", "-p", "Jane", "-d", "Go", "-n", "Another @zed")
    assert len(actions_json(demo, "--owner", "zed")) == 2


def test_a_damaged_shard_is_rebuilt_even_when_nothing_changed(demo: Cli) -> None:
    before = actions_json(demo)
    (demo.store.root / ".ilog/meta/acme-corp.marshal").write_bytes(b"garbage")
    assert actions_json(demo) == before
    (demo.store.root / ".ilog/meta/version").write_text("0")
    assert actions_json(demo) == before


def test_clients_sorted_and_cold(demo: Cli) -> None:
    def slugs(*args: str) -> list[str]:
        return [c["slug"] for c in json.loads(demo("clients", *args, "--json").stdout)]

    assert slugs() == ["acme-corp", "northwind-traders", "initech", "globex-ltd",
                       "muller-sohne-gmbh"]
    assert slugs("--sort", "name") == ["acme-corp", "globex-ltd", "initech",
                                       "muller-sohne-gmbh", "northwind-traders"]
    assert slugs("--sort", "open")[0] == "northwind-traders"
    cutoff = (date.today() - date(2026, 10, 5)).days
    assert slugs("--cold", f"{cutoff - 1}d") == ["muller-sohne-gmbh"]
    demo("clients", "--sort", "size", code=UsageError.exit_code)
    demo("done", "qanp")
    acme = json.loads(demo("clients", "--json").stdout)[0]
    assert acme["slug"] == "acme-corp" and acme["open_steps"] == 7


def test_a_long_step_wraps_under_its_own_column_on_a_terminal() -> None:
    from datetime import date

    from ilog.model import NextStep, TrackedStep
    from ilog.views.actions import action_lines
    from ilog.views.text import plain

    long = "Send the revised statement of work, with the new rates and the signed annex, " \
           "to the client's procurement team"
    found = [TrackedStep(NextStep("abcd1234efgh", long, "bob", date(2026, 12, 4)),
                         "acme-corp", "erg2re24aaaa", "Call", "x.md")]
    lines = plain(action_lines(found, date(2026, 11, 30), screen=80)).splitlines()
    start = lines[1].index("Send")
    assert all(len(line) <= 80 for line in lines) and len(lines) > 2
    assert all(line[:start].strip() == "" for line in lines[2:])
    assert " ".join(line.strip() for line in lines[2:]) in long
    piped = plain(action_lines(found, date(2026, 11, 30))).splitlines()
    assert len(piped) == 2 and piped[1].endswith("procurement team")
