"""What skips work (the search index, the client cache, check's clean files, log's listing)
must see every way a store's files change under it: a git pull, an editor's in-place save that
keeps size and mtime, a checkout of an older commit, a deleted file. Each test warms every
cache first, changes the files behind ilog's back, and asks every view again."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import DEMO, Cli, git, team_clones
from ilog.store.layout import Store

QUARTERLY = "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"
QUARTERLY_ID = "36xjj334rr634h1vdhjj"


def views(cli: Cli, word: str) -> dict[str, object]:
    """What each cached view says: search hits for ``word``, acme-corp's history, the log,
    the open steps, and what check found."""
    checked = json.loads(cli("check", "--json", code=None).stdout)
    return {
        "search": {hit["id"] for hit in json.loads(cli("search", word, "--json").stdout)},
        "history": {r["id"] for r in json.loads(cli("history", "acme-corp", "--json").stdout)
                    ["records"]},
        "log": {r["id"] for r in json.loads(cli("log", "-n", "1000", "--json").stdout)},
        "actions": {s["id"] for s in json.loads(cli("actions", "--json").stdout)},
        "checked": checked["checked"],
        "problems": {p["path"] for p in checked["problems"]},
    }


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Cli, Cli]:
    """Alice's and Bob's clones of the demo store, shared through a bare remote."""
    alice, bob = team_clones(DEMO, tmp_path)
    return Cli(Store(alice.resolve())), Cli(Store(bob.resolve()))


def new_record(cli: Cli, title: str) -> str:
    """Record an interaction for acme-corp with one next step; its id."""
    out = cli("new", "acme-corp", "--no-edit", "-t", "note", "-p", "Jane Doe",
              "--title", title, "--date", "2026-11-25 10:00", "--json").stdout
    return str(json.loads(out)["id"])


def test_a_git_pull_is_seen_by_every_view(clones: tuple[Cli, Cli]) -> None:
    alice, bob = clones
    before = views(alice, "zeppelin")
    record = new_record(bob, "Zeppelin hangar lease")
    git(bob.store.root, "add", "-A")
    git(bob.store.root, "commit", "-qm", "a record")
    git(bob.store.root, "push", "-q")
    git(alice.store.root, "pull", "-q", "--ff-only")
    after = views(alice, "zeppelin")
    assert after["search"] == {record}
    assert after["history"] == before["history"] | {record}  # type: ignore[operator]
    assert after["log"] == before["log"] | {record}  # type: ignore[operator]
    assert after["checked"] == before["checked"] + 1  # type: ignore[operator]
    assert after["problems"] == set()


def test_an_in_place_save_with_the_same_size_and_mtime_is_seen(clones: tuple[Cli, Cli]) -> None:
    alice, _ = clones
    views(alice, "quarterly")
    path = alice.store.root / QUARTERLY
    stat = path.stat()
    with path.open("r+b") as file:  # written in place: same inode, size and mtime
        data = file.read()
        file.seek(0)
        file.write(data.replace(b"Quarterly review", b"Zanzibary review"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_ino == stat.st_ino and path.stat().st_size == stat.st_size
    after = views(alice, "zanzibary")
    assert after["search"] == {QUARTERLY_ID}
    assert views(alice, "quarterly")["search"] == set()
    assert after["problems"] == {QUARTERLY}  # the seal no longer matches
    shown = alice("history", "acme-corp").stdout
    assert "Zanzibary review" in shown


def test_a_checkout_of_an_older_commit_is_seen(clones: tuple[Cli, Cli]) -> None:
    alice, _ = clones
    root = alice.store.root
    before = views(alice, "zeppelin")
    step = next(iter(before["actions"]))  # type: ignore[call-overload]
    record = new_record(alice, "Zeppelin hangar lease")
    alice("done", step)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "a record and a step done")
    newer = views(alice, "zeppelin")
    assert newer["search"] == {record} and step not in newer["actions"]  # type: ignore[operator]
    git(root, "checkout", "-q", "HEAD~1")
    assert views(alice, "zeppelin") == before


def test_an_older_version_of_a_file_checked_out_is_seen(clones: tuple[Cli, Cli]) -> None:
    alice, _ = clones
    root = alice.store.root
    path = root / QUARTERLY
    path.write_bytes(path.read_bytes().replace(b"Quarterly review", b"Zanzibary review"))
    git(root, "commit", "-qam", "tampered")
    assert views(alice, "zanzibary")["problems"] == {QUARTERLY}
    git(root, "checkout", "-q", "HEAD~1", "--", QUARTERLY)
    after = views(alice, "zanzibary")
    assert after["search"] == set() and after["problems"] == set()
    assert views(alice, "quarterly")["search"] == {QUARTERLY_ID}


def test_a_deleted_file_is_seen(clones: tuple[Cli, Cli]) -> None:
    alice, _ = clones
    before = views(alice, "quarterly")
    (alice.store.root / QUARTERLY).unlink()
    after = views(alice, "quarterly")
    assert after["search"] == set()
    assert after["history"] == before["history"] - {QUARTERLY_ID}  # type: ignore[operator]
    assert after["log"] == before["log"] - {QUARTERLY_ID}  # type: ignore[operator]
    assert after["checked"] == before["checked"] - 1  # type: ignore[operator]


def test_check_reports_a_problem_every_time_and_rechecks_when_templates_change(
        clones: tuple[Cli, Cli]) -> None:
    alice, _ = clones
    root = alice.store.root
    broken = root / "clients/acme-corp/2026/2026-11-23-broken-zzzzzzzz.md"
    broken.write_text("---\nid: zzzzzzzz\n---\n", encoding="utf-8")
    for _ in range(2):  # a file with problems is never remembered as clean
        assert views(alice, "x")["problems"] == {broken.relative_to(root).as_posix()}
    broken.unlink()
    assert views(alice, "x")["problems"] == set()
    (root / "templates").mkdir()
    (root / "templates" / "note.md").write_text(
        "---\ndescription: A note\nrequired: [case]\n---\n\n## Notes\n", encoding="utf-8")
    notes = subprocess.run(["grep", "-rl", "^type: note", "clients"], cwd=root,
                           capture_output=True, text=True, check=True).stdout.split()
    assert views(alice, "x")["problems"] >= set(notes)  # type: ignore[operator]


# -- a fresh clone's first search ----------------------------------------------------------

def search_answer(cli: Cli, query: str, *extra: str, env: dict[str, str] | None = None
                  ) -> tuple[set[str], int, str]:
    """(ids of the hits, how many match, what was said on stderr) of a search."""
    result = cli("search", query, "--json", "--limit", "1000", *extra, env=env)
    hits = json.loads(result.stdout)
    return {h["id"] for h in hits}, len(hits), result.stderr


def wait_for_the_background_build(cli: Cli) -> None:
    """Until the index the scan started building is there (and its lock free)."""
    import time

    from ilog.derived import cachedir
    from ilog.derived.index import SearchIndex

    home = cachedir.home(cli.store)
    for _ in range(600):
        if SearchIndex(home / "index").built():
            with cachedir.locked(home, wait=30) as free:
                assert free
                return
        time.sleep(0.1)
    raise AssertionError("the background build did not finish in a minute")


SCANNED = ["invoice", "scanner pilot", '"credit note"', "owner:bob", "status:open",
           "owner:alice status:open due:<2026-06-01", "date:>2026-06-01", "decision:renew",
           "type:call -client:acme-corp", "disput*", "scannr~", "tag:billing OR tag:risk",
           "status:none", "participant:hank@globex.example", "*", "note:sent", "zebra",
           "owner:carol", "owner:carol due:>2026-12-10", "status:cancelled", "note:withdrew"]


def test_a_fresh_clone_answers_from_the_files_while_the_index_is_built(
        demo: Cli, tmp_path: Path) -> None:
    import shutil

    step = json.loads(demo("actions", "--json").stdout)[0]["id"]
    demo("done", step, "--note", "sent the zebra contract")  # notes are searchable
    demo("step", "qanp", "--owner", "carol", "--due", "2026-12-14")  # step events count
    demo("step", "jgx5", "--cancel", "--reason", "the client withdrew it")
    demo("void", "gpezgqkf", "--reason", "recorded twice")  # a withdrawn interaction
    built = Cli(Store(tmp_path / "built"))
    shutil.copytree(demo.store.root, built.store.root)
    expected = {query: search_answer(built, query)[:2] for query in SCANNED}
    assert expected["owner:carol due:>2026-12-10"][1] == expected["status:cancelled"][1] == 1
    shutil.rmtree(demo.store.root / ".ilog", ignore_errors=True)  # as a fresh clone has none
    scanning = {"ILOG_SCAN_ABOVE": "0"}
    from ilog.derived import cachedir

    home = cachedir.home(demo.store)
    with cachedir.locked(home, wait=5) as held:  # as while a build runs: none is started
        assert held
        for query in SCANNED:
            ids, count, said = search_answer(demo, query, env=scanning)
            assert (ids, count) == expected[query], query
            assert "being built in the background" in said
        every = search_answer(demo, "invoice", "--all-versions", env=scanning)[:2]
        assert every == search_answer(built, "invoice", "--all-versions")[:2]
        assert every[1] == expected["invoice"][1] + 2  # the call and its withdrawal
    try:  # the lock is free: this search starts the build
        assert "being built" in search_answer(demo, "invoice", env=scanning)[2]
    finally:
        wait_for_the_background_build(demo)
    ids, count, said = search_answer(demo, "invoice", env=scanning)
    assert (ids, count) == expected["invoice"] and not said
