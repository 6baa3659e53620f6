"""The one module that runs git: what sync needs, on real repositories (a bare remote and
clones), and a clear error for each way git can be missing or unready."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DEMO, git, team_clones
from ilog.errors import GitError
from ilog.store import gitrepo


def test_status_add_commit_push_and_pull_with_rebase(tmp_path: Path) -> None:
    alice, bob = team_clones(DEMO, tmp_path)
    (alice / "clients/acme-corp/note.md").write_text("alice\n")
    (alice / "ilog.toml").write_text((alice / "ilog.toml").read_text() + "# changed\n")
    assert {(s.code, s.path) for s in gitrepo.status(alice)} == {
        ("??", "clients/acme-corp/note.md"), (" M", "ilog.toml")}
    assert gitrepo.status(alice, "clients") == [gitrepo.Status("??", "clients/acme-corp/note.md")]
    gitrepo.add(alice, ["clients/acme-corp/note.md", "ilog.toml"])
    first = gitrepo.commit(alice, "ilog: a note\n\nwith a body line")
    assert gitrepo.head(alice) == first and gitrepo.status(alice) == []
    assert git(alice, "log", "-1", "--format=%B").strip() == "ilog: a note\n\nwith a body line"
    assert gitrepo.current_branch(alice) == "main" and gitrepo.upstream(alice) == "origin/main"
    gitrepo.push(alice, "origin", "main")
    (bob / "clients/initech/bob.md").write_text("bob\n")
    gitrepo.add(bob, ["clients/initech/bob.md"])
    gitrepo.commit(bob, "ilog: bob's")
    with pytest.raises(GitError, match="git push"):  # alice pushed first
        gitrepo.push(bob, "origin", "main")
    gitrepo.pull_rebase(bob, "origin", "main")
    gitrepo.push(bob, "origin", "main")
    assert (bob / "clients/acme-corp/note.md").read_text() == "alice\n"


def test_a_rebase_that_stops_is_undone(tmp_path: Path) -> None:
    alice, bob = team_clones(DEMO, tmp_path)
    for clone, text in ((alice, "alice\n"), (bob, "bob\n")):
        (clone / "ilog.toml").write_text(text)
        gitrepo.add(clone, ["ilog.toml"])
        gitrepo.commit(clone, f"{text.strip()}'s settings")
    gitrepo.push(alice, "origin", "main")
    before = gitrepo.head(bob)
    with pytest.raises(GitError, match="it was undone, nothing changed"):
        gitrepo.pull_rebase(bob, "origin", "main")
    assert not gitrepo.rebase_in_progress(bob)
    assert gitrepo.head(bob) == before and (bob / "ilog.toml").read_text() == "bob\n"
    assert [s for s in gitrepo.status(bob) if s.unmerged] == []


def test_a_rename_and_an_unmerged_path_in_status(tmp_path: Path) -> None:
    alice, _ = team_clones(DEMO, tmp_path)
    git(alice, "mv", "ilog.toml", "renamed.toml")
    assert gitrepo.status(alice) == [gitrepo.Status("R ", "renamed.toml")]
    assert gitrepo.Status("UU", "x").unmerged and not gitrepo.Status(" M", "x").unmerged


def test_clear_errors_without_git_a_repository_or_a_commit(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="not a git repository; 'git init'"):
        gitrepo.require_commits(tmp_path)
    gitrepo.init(tmp_path)
    assert gitrepo.is_repository(tmp_path) and not gitrepo.work_tree(tmp_path)
    with pytest.raises(GitError, match="has no commits yet"):
        gitrepo.require_commits(tmp_path)
    assert gitrepo.current_branch(tmp_path) is not None and gitrepo.upstream(tmp_path) is None
    assert gitrepo.remotes(tmp_path) == []
    with pytest.raises(GitError, match=r"git commit in .*: "):
        gitrepo.commit(tmp_path, "nothing staged")


def test_no_git_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no git on it: the real situation
    assert not gitrepo.available() and not gitrepo.is_repository(tmp_path)
    assert gitrepo.config_value("user.email", tmp_path) == ""
    with pytest.raises(GitError, match="git is not installed"):
        gitrepo.head(tmp_path)


def test_a_detached_head_has_no_branch(tmp_path: Path) -> None:
    alice, _ = team_clones(DEMO, tmp_path)
    git(alice, "checkout", "-q", "--detach")
    assert gitrepo.current_branch(alice) is None


def test_every_git_call_goes_through_gitrepo() -> None:
    source = Path(__file__).resolve().parents[1] / "src" / "ilog"
    callers = {p.relative_to(source).as_posix() for p in source.rglob("*.py")
               if '"git"' in p.read_text() or "'git'" in p.read_text()}
    assert callers == {"store/gitrepo.py"}, callers
