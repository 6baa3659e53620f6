"""Crash injection: ``kill -9`` at a seeded random moment of a command that writes, then the
store must be whole: no torn record (every file reads), nothing git would stage but the
store's own files (no temp file), the next command heals the index, ``check`` finds no
format damage, ``verify`` passes once an interrupted purge or erasure is run again.

The test suite kills each command a few times (``ILOG_CRASH_KILLS``, default 3); the full run
of docs/reliability.md sets it higher:

    ILOG_CRASH_KILLS=1000 python -m pytest tests/test_crashes.py -m crash -p no:randomly
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DEMO, git
from ilog.evidence.findings import FindingKind

KILLS = int(os.environ.get("ILOG_CRASH_KILLS", "3"))
pytestmark = [pytest.mark.crash, pytest.mark.slow]

COMMANDS = {
    "new": ["new", "acme", "--no-edit", "-t", "note", "-p", "Crash Test", "--title", "crash",
            "-m", "body " * 200],
    "amend": ["amend", "36xjj334", "--reason", "crash test", "--stdin"],
    "done": ["done", "f1cj", "--note", "crash"],
    "void": ["void", "gpezgqkf", "--reason", "crash test"],
    "reindex": ["reindex", "--quiet"],
    "purge": ["purge", "--yes"],
    "erase": ["erase", "northwind", "--reason", "crash test", "--yes"],
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store in git, with a retention that makes the purge delete something."""
    root = tmp_path_factory.mktemp("crash") / "store"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
    with (root / "ilog.toml").open("a") as handle:
        handle.write('\n[retention]\ndefault = "6mo"\n')
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    return root


def ilog(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ilog", "--store", str(root), *args],
                          input=stdin, capture_output=True, text=True, check=False)


def stdin_for(name: str, root: Path) -> str | None:
    if name != "amend":
        return None
    record = root / "clients/acme-corp/2026/2026-11-22-quarterly-review-36xjj334.md"
    return record.read_text().replace("Renew for 12 months", "Renew for 13 months")


def duration(root: Path, name: str) -> float:
    """How long the command takes when nothing stops it (on a copy)."""
    copy = root.parent / f"timing-{name}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy)
    started = time.monotonic()
    ilog(copy, *COMMANDS[name], stdin=stdin_for(name, copy))
    elapsed = time.monotonic() - started
    shutil.rmtree(copy)
    return elapsed


def kill_at(root: Path, name: str, delay: float) -> None:
    process = subprocess.Popen([sys.executable, "-m", "ilog", "--store", str(root),
                                *COMMANDS[name]], stdin=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    text = stdin_for(name, root)
    if text is not None:
        assert process.stdin is not None
        process.stdin.write(text)
    if process.stdin is not None:
        process.stdin.close()
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()


def assert_whole(root: Path, name: str) -> None:
    """What must hold after any kill."""
    staged = git(root, "status", "--porcelain", "--untracked-files=all")
    assert ".tmp" not in staged, staged
    checked = json.loads(ilog(root, "check", "--json").stdout)
    torn = [p for p in checked["problems"] if "front matter" in p["message"]
            or "YAML" in p["message"] or "UTF-8" in p["message"]]
    assert torn == [], torn
    if name in ("purge", "erase"):  # an interrupted deletion finishes when run again
        again = ilog(root, *COMMANDS[name])
        assert again.returncode in (0, 26), again.stderr  # 26: the client is gone already
    search = ilog(root, "search", "*", "--all-versions", "--paths", "--limit", "1000")
    assert search.returncode == 0, search.stderr
    files = sorted(p.relative_to(root).as_posix()
                   for p in root.glob("clients/*/[0-9]*/*.md"))
    assert sorted(search.stdout.split()) == files  # the index healed
    verified = ilog(root, "verify", "--json")
    findings = json.loads(verified.stdout)["findings"] if verified.stdout else []
    assert [f for f in findings if f["kind"] not in (FindingKind.NOT_SEALED,)] == [], findings


@pytest.mark.parametrize("name", COMMANDS)
def test_a_killed_command_leaves_the_store_whole(pristine: Path, tmp_path: Path,
                                                 name: str) -> None:
    chance = random.Random(f"ilog-crash-{name}")  # seeded: a failure can be replayed
    longest = max(0.05, duration(pristine, name))
    for _ in range(KILLS):
        root = tmp_path / "store"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(pristine, root)
        ilog(root, "search", "x")  # an index and caches to damage
        kill_at(root, name, chance.uniform(0.0, longest))
        assert_whole(root, name)


def test_a_killed_sync_loses_nothing(tmp_path: Path) -> None:
    """kill -9 during 'ilog sync' (commit, pull, push): the new record is never lost, and
    once what git itself left (a lock, a rebase) is cleared as the message says, the next
    sync delivers it."""
    chance = random.Random("ilog-crash-sync")
    for attempt in range(KILLS):
        where = tmp_path / f"attempt{attempt}"
        origin, root, other = where / "origin.git", where / "mine", where / "theirs"
        shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "start")
        git(root, "push", "-q", "--set-upstream", str(origin), "main")
        git(root, "remote", "add", "origin", str(origin))
        git(root, "fetch", "-q", "origin")
        git(root, "branch", "-q", "--set-upstream-to=origin/main")
        subprocess.run(["git", "clone", "-q", str(origin), str(other)], check=True)
        ilog(other, *COMMANDS["new"][:-4], "--title", "theirs")
        ilog(other, "sync")  # the remote moved on: the sync must pull before it pushes
        created = json.loads(ilog(root, *COMMANDS["new"][:-4], "--title", "mine",
                                  "--json").stdout)
        started = time.monotonic()
        ilog(root.parent / "nowhere", "--version")  # warm the interpreter's caches
        process = subprocess.Popen([sys.executable, "-m", "ilog", "--store", str(root),
                                    "sync"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.0, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert time.monotonic() - started < 60
        (root / ".git/index.lock").unlink(missing_ok=True)  # as git's message says
        if (root / ".git/rebase-merge").exists() or (root / ".git/rebase-apply").exists():
            git(root, "rebase", "--abort")
        again = ilog(root, "sync")
        assert again.returncode == 0, again.stderr
        pushed = git(root, "ls-tree", "-r", "--name-only", "origin/main")
        assert created["path"] in pushed and "-theirs-" in pushed
