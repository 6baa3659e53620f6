"""ilog sync on real git: a bare remote and clones of a store, as a team shares one."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEMO, Cli, git, team_clones
from ilog.errors import GitError
from ilog.evidence.findings import FindingKind
from ilog.store.layout import Store


@pytest.fixture
def team(tmp_path: Path) -> tuple[Cli, Cli]:
    """Alice's and Bob's clones of the demo store (pushed to a bare remote)."""
    alice, bob = team_clones(DEMO, tmp_path)
    return Cli(Store(alice.resolve())), Cli(Store(bob.resolve()))


def note(cli: Cli, title: str) -> str:
    out = cli("new", "acme-corp", "--no-edit", "-t", "note", "-p", "Jane Doe", "--title",
              title, "--json").stdout
    return str(json.loads(out)["id"])


def synced(cli: Cli, *args: str) -> dict:
    return dict(json.loads(cli("sync", "--json", *args).stdout))


def titles(cli: Cli, word: str) -> set[str]:
    return {h["title"] for h in json.loads(cli("search", word, "--json").stdout)}


def test_two_clones_that_both_recorded_end_with_everything(team: tuple[Cli, Cli]) -> None:
    alice, bob = team
    titles(bob, "zeppelin")  # bob's index exists before anything comes in
    note(alice, "Zeppelin from Alice")
    note(bob, "Zeppelin from Bob")
    bob("done", json.loads(bob("actions", "--json").stdout)[0]["id"])
    sent = synced(alice)
    assert sent["pushed"] and sent["message"] == (
        'ilog: 1 record (acme-corp note "Zeppelin from Alice")')
    got = synced(bob)
    assert got["received_commits"] == 1 and got["pushed"]
    assert got["message"] == 'ilog: 1 record (acme-corp note "Zeppelin from Bob"), 1 step done'
    assert synced(alice)["received_commits"] == 1
    for cli in (alice, bob):
        assert titles(cli, "zeppelin") == {"Zeppelin from Alice", "Zeppelin from Bob"}
        assert git(cli.store.root, "status", "--porcelain") == ""
    assert git(alice.store.root, "rev-parse", "HEAD") == git(bob.store.root, "rev-parse", "HEAD")


def test_files_that_are_not_ilogs_are_left_alone(team: tuple[Cli, Cli]) -> None:
    alice, _ = team
    root = alice.store.root
    (root / "mine.txt").write_text("scratch\n", encoding="utf-8")
    (root / "README.md").write_text("the team's own file\n", encoding="utf-8")
    git(root, "add", "README.md")
    git(root, "commit", "-qm", "a file of the team's")
    (root / "README.md").write_text("changed by hand\n", encoding="utf-8")
    (root / "clients/acme-corp/notes.txt").write_text("mine\n", encoding="utf-8")
    note(alice, "Kept")
    report = synced(alice)
    assert sorted(report["left_alone"]) == ["README.md", "clients/acme-corp/notes.txt",
                                            "mine.txt"]
    assert len(report["sent"]) == 1 and report["sent"][0].startswith("clients/acme-corp/2026/")
    status = git(root, "status", "--porcelain").splitlines()
    assert sorted(status) == [" M README.md", "?? clients/acme-corp/notes.txt", "?? mine.txt"]


def test_a_dry_run_changes_nothing(team: tuple[Cli, Cli]) -> None:
    alice, _ = team
    note(alice, "Not yet")
    before = git(alice.store.root, "status", "--porcelain"), git(alice.store.root, "log")
    report = synced(alice, "--dry-run")
    assert report["dry_run"] and len(report["sent"]) == 1 and not report["commit"]
    assert (git(alice.store.root, "status", "--porcelain"), git(alice.store.root, "log")) == before
    assert "would commit 1 file" in alice("sync", "--dry-run").stdout


def test_no_push_commits_and_pulls_only(team: tuple[Cli, Cli]) -> None:
    alice, bob = team
    note(alice, "Local only")
    report = synced(alice, "--no-push")
    assert report["commit"] and not report["pushed"]
    assert synced(bob)["received_commits"] == 0


def test_a_new_store_gets_its_first_commit_and_an_upstream(tmp_path: Path) -> None:
    origin, root = tmp_path / "origin.git", tmp_path / "store"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    subprocess.run(["git", "clone", "-q", str(origin), str(root)], check=True,
                   capture_output=True)
    cli = Cli(Store(root.resolve()))
    cli("init", str(root))
    report = synced(cli)
    assert report["commit"] and report["pushed"] and report["upstream_set"]
    assert "store settings (" in report["message"]
    assert git(root, "rev-parse", "@{u}") == git(root, "rev-parse", "HEAD")


def test_without_a_remote_it_commits_and_says_so(tmp_path: Path) -> None:
    root = tmp_path / "store"
    cli = Cli(Store(root.resolve()))
    cli("init", str(root))
    result = cli("sync")
    assert "no git remote: committed here only" in result.stderr
    assert git(root, "log", "--format=%s").strip() == "ilog: store settings (.gitattributes, " \
        ".gitignore, clients/.gitkeep, ilog.toml)"


def test_a_rebase_that_stops_is_undone_and_explained(team: tuple[Cli, Cli]) -> None:
    alice, bob = team
    template = "templates/visit.md"  # the same new template, written otherwise in each clone
    for cli, name in ((alice, "Acme A"), (bob, "Acme B")):
        (cli.store.root / "templates").mkdir(exist_ok=True)
        (cli.store.root / template).write_text(f"---\ndescription: A visit to {name}\n---\n",
                                               encoding="utf-8")
    synced(alice)
    head = git(bob.store.root, "rev-parse", "HEAD")
    result = bob("sync", code=GitError.exit_code)
    assert "stopped" in result.stderr and "undone" in result.stderr
    assert "git pull --rebase origin main" in result.stderr and "kept" in result.stderr
    assert not (bob.store.root / ".git" / "rebase-merge").exists()
    assert git(bob.store.root, "rev-parse", "HEAD") != head  # bob's commit is kept ...
    assert "Acme B" in (bob.store.root / template).read_text(encoding="utf-8")  # ... his file


@pytest.mark.parametrize(("setup", "message"), [
    (lambda root: git(root, "checkout", "-q", "--detach"), "HEAD is detached"),
    (lambda root: (root / "mine.txt").write_text("x") and git(root, "add", "mine.txt"),
     "staged changes that are not ilog's (mine.txt)"),
])
def test_what_stops_a_sync_is_named(team: tuple[Cli, Cli], setup, message: str) -> None:
    alice, _ = team
    setup(alice.store.root)
    assert message in alice("sync", code=GitError.exit_code).stderr


def test_a_folder_that_is_no_repository_is_named(cli: Cli) -> None:
    assert "is not a git repository" in cli("sync", code=GitError.exit_code).stderr


def test_a_pulled_erasure_leaves_no_word_in_the_other_index(team: tuple[Cli, Cli]) -> None:
    alice, bob = team
    assert titles(bob, "scanner")  # northwind's words are in bob's index
    alice("erase", "northwind-traders", "--reason", "request 7", "--yes")
    synced(alice)
    synced(bob)
    assert titles(bob, "scanner") == set()
    words = b"".join(p.read_bytes() for p in (bob.store.root / ".ilog/index").rglob("*")
                     if p.is_file())
    assert b"northwind" not in words.lower() and b"scanner" not in words


def test_a_push_refused_because_the_remote_moved_is_tried_again(team: tuple[Cli, Cli],
                                                                 tmp_path: Path) -> None:
    alice, bob = team
    note(bob, "Bob got there first")
    git(bob.store.root, "add", "-A")
    git(bob.store.root, "commit", "-qm", "bob's")
    hook = alice.store.root / ".git/hooks/pre-push"
    marker = tmp_path / "raced"
    hook.write_text("#!/bin/sh\n"  # the first push of alice's: bob pushes just before it lands
                    f"[ -e {marker} ] && exit 0\ntouch {marker}\n"
                    f"env -u GIT_DIR -u GIT_WORK_TREE git -C {bob.store.root} push -q\n")
    hook.chmod(0o755)
    note(alice, "Alice second")
    report = synced(alice)
    assert marker.exists() and report["pushed"] and report["received_commits"] == 1
    assert titles(alice, "second") == {"Alice second"} and titles(alice, "first")
    git(bob.store.root, "pull", "-q", "--rebase")
    assert git(bob.store.root, "rev-parse", "HEAD") == git(alice.store.root, "rev-parse", "HEAD")


def test_the_same_new_client_in_two_clones_merges_into_one(team: tuple[Cli, Cli]) -> None:
    alice, bob = team
    for cli, name in ((alice, "Initrode"), (bob, "INITRODE")):
        cli("new", name, "--new-client", "--no-edit", "-t", "note", "-p", "Peter Gibbons",
            "--title", f"Zanzibar by {name}")
    synced(alice)
    synced(bob)
    synced(alice)
    for cli in (alice, bob):
        profile = (cli.store.root / "clients/initrode/client.yaml").read_text(encoding="utf-8")
        assert "<<<<<<<" not in profile
        assert "name: Initrode" in profile and "- INITRODE" in profile  # bob's name kept
        assert titles(cli, "zanzibar") == {"Zanzibar by Initrode", "Zanzibar by INITRODE"}
        cli("check")


def test_contacts_added_in_two_clones_are_both_kept(team: tuple[Cli, Cli]) -> None:
    alice, bob = team
    profile = "clients/acme-corp/client.yaml"
    for cli, contact in ((alice, "Ann Lee <ann@acme.example>"),
                         (bob, "Bo Kim <bo@acme.example>")):
        path = cli.store.root / profile
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("contacts:\n", f"contacts:\n- {contact}\n"),
                        encoding="utf-8")
    synced(alice)
    synced(bob)
    merged = (bob.store.root / profile).read_text(encoding="utf-8")
    assert "Ann Lee" in merged and "Bo Kim" in merged and "Jane Doe" in merged
    assert git(bob.store.root, "status", "--porcelain") == ""


TEXT = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs")), max_size=12)
PROFILES = st.fixed_dictionaries({}, optional={
    "name": TEXT, "retention": st.sampled_from(["7y", "10y", "never"]),
    "aliases": st.lists(TEXT, max_size=3, unique=True),
    "contacts": st.lists(TEXT, max_size=3, unique=True),
    "tags": st.lists(TEXT, max_size=3, unique=True)})


@settings(max_examples=300, deadline=None)
@given(PROFILES, PROFILES, PROFILES)
def test_a_merged_profile_loses_no_entry_and_reads_back(base: dict, ours: dict,
                                                        theirs: dict) -> None:
    from ilog.fileformat import yamlrules
    from ilog.store.profilemerge import merged
    from ilog.store.profiles import parse_profile

    result = merged(base, ours, theirs)
    for key in ("aliases", "contacts", "tags"):
        assert set(ours.get(key, [])) | set(theirs.get(key, [])) <= set(result.get(key, []))
        assert len(result.get(key, [])) == len(set(result.get(key, [])))
    if "name" in ours and "name" in theirs and ours["name"] != theirs["name"]:
        assert {ours["name"], theirs["name"]} <= {result.get("name"), *result.get("aliases", [])} \
            or base.get("name") in (ours["name"], theirs["name"])
    assert merged(base, ours, ours) == dict(ours)
    parse_profile("x", yamlrules.dump(result).encode("utf-8"), "client.yaml")


def test_verify_warns_when_a_record_was_committed_by_someone_else(team: tuple[Cli, Cli]) -> None:
    alice, _ = team
    note(alice, "Alice's own")
    alice("new", "acme-corp", "--no-edit", "-t", "note", "-p", "Jane", "--title", "For Raj",
          env={"ILOG_AUTHOR": "raj@consultancy.example"})
    synced(alice)
    report = json.loads(alice("verify", "--json").stdout)
    assert report["findings"] == []
    warned = {w["message"].split(" says")[0]: w for w in report["warnings"]}
    ours = [w for w in report["warnings"] if "-for-raj-" in w["path"] or "-alice-s-" in w["path"]]
    assert [w["kind"] for w in ours] == [FindingKind.MISATTRIBUTED]
    assert "raj@consultancy.example" in ours[0]["message"]
    assert "Test Author <author@example.test>" in ours[0]["message"]
    assert warned  # the demo's records were all committed by the one who seeded the remote
    assert "warning:" in alice("verify").stderr


def test_hooks_refuse_a_broken_commit_and_refresh_the_index_after_a_pull(
        team: tuple[Cli, Cli]) -> None:
    alice, bob = team
    assert json.loads(alice("hooks", "install", "--json").stdout)["installed"] == [
        "pre-commit", "post-merge", "post-rewrite"]
    broken = alice.store.root / "clients/acme-corp/2026/2026-11-23-broken-zzzzzzzz.md"
    broken.write_text("---\nid: zzzzzzzz\n---\n", encoding="utf-8")
    git(alice.store.root, "add", str(broken))
    refused = subprocess.run(["git", "-C", str(alice.store.root), "commit", "-qm", "broken"],
                             capture_output=True, text=True, check=False)
    assert refused.returncode != 0 and "2026-11-23-broken-zzzzzzzz.md" in refused.stderr
    git(alice.store.root, "reset", "-q", "HEAD", str(broken))
    broken.unlink()
    titles(alice, "zeppelin")  # the index exists before the pull
    note(bob, "Zeppelin pulled")
    synced(bob)
    saved = alice.store.root / ".ilog/listing.v4"
    before = saved.read_bytes()
    git(alice.store.root, "pull", "-q", "--rebase")  # post-rewrite or post-merge runs
    assert saved.read_bytes() != before  # the hook caught the index up


def test_a_hook_of_someone_elses_is_left_alone(team: tuple[Cli, Cli]) -> None:
    alice, _ = team
    own = alice.store.root / ".git/hooks/pre-commit"
    own.write_text("#!/bin/sh\necho mine\n", encoding="utf-8")
    report = json.loads(alice("hooks", "install", "--json").stdout)
    assert report["left_alone"] == ["pre-commit"] and "pre-commit" not in report["installed"]
    assert own.read_text(encoding="utf-8") == "#!/bin/sh\necho mine\n"
    removed = json.loads(alice("hooks", "uninstall", "--json").stdout)
    assert removed == {"removed": ["post-merge", "post-rewrite"], "left_alone": ["pre-commit"]}
    assert own.exists() and not (alice.store.root / ".git/hooks/post-merge").exists()


BOB = {"GIT_AUTHOR_NAME": "Bob Smith", "GIT_AUTHOR_EMAIL": "bob@consultancy.example",
       "GIT_COMMITTER_NAME": "Bob Smith", "GIT_COMMITTER_EMAIL": "bob@consultancy.example"}


def test_changes_say_who_did_what_from_git(team: tuple[Cli, Cli]) -> None:
    alice, bob = team
    note(alice, "Zeppelin hangar")
    step = json.loads(alice("actions", "--json").stdout)[0]["id"]
    alice("done", step)
    alice("void", "gpezgqkf", "--reason", "recorded twice")
    synced(alice)
    bob("sync", "--json", env=BOB)
    bob("erase", "initech", "--reason", "request 9", "--yes")
    bob("sync", "--json", env=BOB)
    synced(alice)
    found = json.loads(alice("changes", "-n", "100", "--json").stdout)
    said = {(c["author"].split(" <")[0], c["action"], c["about"]) for c in found}
    assert ("Test Author", "recorded", 'note "Zeppelin hangar"') in said
    assert ("Test Author", "completed step", step) in said
    assert any(a == "withdrew" and who == "Test Author" for who, a, _ in said)
    assert any(who == "Bob Smith" and a == "erasure: deleted record" for who, a, _ in said)
    assert found == sorted(found, key=lambda c: c["when"], reverse=True)
    mine = json.loads(alice("changes", "--client", "acme-corp", "--json").stdout)
    assert mine and all(c["client"] == "acme-corp" for c in mine)
    assert len(alice("changes", "-n", "3").stdout.splitlines()) == 3


def test_auto_sync_commits_every_write_and_pushes_in_the_background(
        team: tuple[Cli, Cli]) -> None:
    import time

    alice, bob = team
    with (alice.store.root / "ilog.toml").open("a", encoding="utf-8") as settings:
        settings.write("\n[sync]\nauto = true\n")
    record = note(alice, "Zeppelin at once")
    subject = git(alice.store.root, "log", "-1", "--format=%s").strip()
    assert subject.startswith('ilog: 1 record (acme-corp note "Zeppelin at once")')
    for _ in range(300):  # the background sync pushes it
        git(bob.store.root, "fetch", "-q")
        if record[:8] in git(bob.store.root, "ls-tree", "-r", "--name-only", "origin/main"):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the background sync did not push within 30 s")
    note(bob, "Bob's own, not automatic")  # bob's clone has no [sync] auto yet (not pulled)
    assert "Bob's own" not in git(bob.store.root, "log", "-1", "--format=%s")


def test_a_wrong_auto_setting_is_named(team: tuple[Cli, Cli]) -> None:
    alice, _ = team
    with (alice.store.root / "ilog.toml").open("a", encoding="utf-8") as settings:
        settings.write("\n[sync]\nauto = 'yes'\n")
    assert "sync.auto: must be true or false" in alice("search", "x", code=None).stderr


def test_a_sync_with_nothing_to_do_says_so_and_pushes_nothing(team: tuple[Cli, Cli]) -> None:
    alice, _ = team
    report = synced(alice)
    assert not report["commit"] and not report["pushed"] and report["received_commits"] == 0
    assert "up to date with origin/main" in alice("sync").stderr
