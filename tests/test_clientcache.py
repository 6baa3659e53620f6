"""The client cache: exact entries, freshness per client and across clients, faults."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

from hypothesis import given

from conftest import DEMO, Cli, git, read_only_copy, team_clones
from ilog.derived import cachedir, clientcache
from ilog.derived.cacheformat import record_entry, record_from_entry
from ilog.derived.listing import LISTING
from ilog.model import Record
from ilog.store.layout import Store
from ilog.store.usersettings import Settings
from strategies import records

EVENT = ("step: f1cj35hdv77r\nrecord: gpezgqkfmsskf2gfr5be\nevent: done\nat: 2026-09-09\n"
         "by: alice@consultancy.example\nrecorded: 2026-11-01T10:00:00+00:00\n")



@given(records())
def test_an_entry_gives_back_the_record_without_its_body(record: Record) -> None:
    again = record_from_entry("clients/x/2026/a.md", record_entry(record))
    assert again == dataclasses.replace(record, body="", path=Path("clients/x/2026/a.md"))


def test_a_shard_holds_every_file_of_the_client(demo: Cli) -> None:
    files = clientcache.client_files(demo.store, "acme-corp")
    assert len(files.records) == 7 and not files.problems
    assert files.client.name == "Acme Corp"
    again = clientcache.load_shard(cachedir.home(demo.store), "acme-corp")
    assert again is not None and "clients/acme-corp/client.yaml" in again.stamps
    assert clientcache.ClientFiles(again).records == files.records


def test_a_busy_lock_still_gives_fresh_data_but_saves_nothing(demo: Cli) -> None:
    store = Store(demo.store.root, settings=Settings(lock_wait=0.2))  # not the 10 s people wait
    home = cachedir.home(store)
    with cachedir.locked(home, wait=0) as got:
        assert got
        files = clientcache.client_files(store, "initech")
    assert len(files.records) == 3
    assert clientcache.load_shard(home, "initech") is None


def test_actions_see_a_completion_pulled_from_a_teammate(tmp_path: Path) -> None:
    alice, bob = team_clones(DEMO, tmp_path)
    alice_cli, bob_cli = Cli(Store(alice)), Cli(Store(bob))
    open_before = {a["id"] for a in json.loads(bob_cli("actions", "--json").stdout)}
    assert "f1cj35hdv77r" in open_before
    alice_cli("done", "f1cj")
    git(alice, "add", "-A")
    git(alice, "commit", "-qm", "done")
    git(alice, "push", "-q", "origin", "main")
    git(bob, "pull", "-q", "--rebase", "origin", "main")
    open_after = {a["id"] for a in json.loads(bob_cli("actions", "--json").stdout)}
    assert open_after == open_before - {"f1cj35hdv77r"}
    clients = json.loads(bob_cli("clients", "--json").stdout)
    acme = next(c for c in clients if c["slug"] == "acme-corp")
    assert acme["open_steps"] == 7


def test_an_event_file_that_cannot_be_read_is_reported(demo: Cli) -> None:
    events = demo.store.root / "clients/acme-corp/steps"
    events.mkdir()
    (events / "20261101T100000000000Z-f1cj35hdv77r-done-abcd.yaml").write_text(
        EVENT.replace("event: done", "event: finished"))
    data = json.loads(demo("history", "acme", "--json", code=36).stdout)
    assert data["briefing"]["open_steps"] == 8
    assert data["problems"][0]["path"].endswith("-abcd.yaml")
    assert data["problems"][0]["message"] == "must be 'done', 'cancelled', 'reopened' or 'changed'"
    assert (data["problems"][0]["field"], data["problems"][0]["line"]) == ("event", 3)


def test_a_removed_client_loses_its_shard(demo: Cli) -> None:
    demo("clients")
    home = cachedir.home(demo.store)
    assert clientcache.load_shard(home, "initech") is not None
    shutil.rmtree(demo.store.root / "clients/initech")
    slugs = [c["slug"] for c in json.loads(demo("clients", "--json").stdout)]
    assert "initech" not in slugs
    assert not (home / "meta/initech.cache").exists()


def test_reindex_makes_the_next_look_check_every_client(demo: Cli) -> None:
    demo("clients")
    listing = cachedir.home(demo.store) / "meta" / LISTING
    assert listing.is_file()
    demo("reindex", "--quiet")
    assert not listing.exists()
    demo("clients")
    assert listing.is_file()


def test_history_of_a_read_only_store() -> None:
    with read_only_copy(DEMO) as (prefix, store, env):
        result = subprocess.run([*prefix, sys.executable, "-m", "ilog", "--store", str(store),
                                 "history", "acme", "--json"],
                                capture_output=True, text=True, env=env, check=False)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["briefing"]["interactions"] == 7
        assert not (store / ".ilog").exists()
        assert list(Path(env["XDG_CACHE_HOME"]).glob("ilog/store-*/meta/acme-corp.cache"))


def test_a_prefix_shared_by_an_open_and_a_done_step_is_ambiguous(demo: Cli) -> None:
    demo("done", "f1cj35hdv77r")
    record = demo.store.root / "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"
    record.write_text(record.read_text().replace("qanpzjzjw5b2", "f1cj35hdv77s"))
    result = demo("reopen", "f1cj", code=28)
    assert "f1cj35hdv77r" in result.output and "f1cj35hdv77s" in result.output
    demo("reopen", "f1cj35hdv77r")


def test_history_sees_a_hand_edit_of_an_event_file(demo: Cli) -> None:
    demo("done", "f1cj", "--note", "first note")
    event = next((demo.store.root / "clients/acme-corp/steps").glob("*.yaml"))
    assert "first note" in demo("history", "acme").stdout
    event.write_text(event.read_text().replace("first note", "second note"))  # in place
    assert "second note" in demo("history", "acme").stdout


def test_check_reads_events_and_profiles_too(demo: Cli) -> None:
    events = demo.store.root / "clients/acme-corp/steps"
    events.mkdir()
    bad_event = events / "20261101T100000000000Z-f1cj35hdv77r-done-abcd.yaml"
    bad_event.write_text(EVENT.replace("recorded: 2026-11-01T10:00:00+00:00", "recorded: soon"))
    (demo.store.root / "clients/initech/client.yaml").write_text("name: [Initech\n")
    result = demo("check", code=32)
    assert (f"{bad_event.relative_to(demo.store.root)}:6: recorded: 'soon' is not an ISO 8601 "
            "date") in result.output
    assert "clients/initech/client.yaml:2: invalid YAML" in result.output
    assert "checked 37 files: 2 problems" in result.output
    folder = demo("check", str(demo.store.root / "clients/acme-corp"), code=32)
    assert "checked 9 files: 1 problem" in folder.output
