"""Random interleavings of three clones recording, completing, withdrawing, amending one
record (forking it), creating the same clients and syncing (a hypothesis state machine on
real git): however they interleave, once everyone has synced every clone holds the same
complete store, with no conflict, and check and verify find nothing wrong. docs/sync.md says
how many were run."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from conftest import DEMO, Cli, git
from ilog.store.layout import Store

pytestmark = pytest.mark.slow  # a long grid: -m 'not slow' leaves it out

CLONES = 3
CLIENTS = ["Initrode", "INITRODE", "Umbrella Ltd", "acme-corp"]


class ThreeClones(RuleBasedStateMachine):
    """A bare remote and three clones of the demo store."""

    @initialize()
    def clone(self) -> None:
        self.where = Path(tempfile.mkdtemp(prefix="ilog-sync-machine-"))
        origin, seed = self.where / "origin.git", self.where / "seed"
        shutil.copytree(DEMO, seed, ignore=shutil.ignore_patterns(".ilog"))
        git(self.where, "init", "-q", "--bare", "-b", "main", str(origin))
        git(seed, "init", "-q", "-b", "main")
        git(seed, "add", "-A")
        git(seed, "commit", "-qm", "seed")
        git(seed, "push", "-q", str(origin), "main")
        self.clones = []
        for number in range(CLONES):
            git(self.where, "clone", "-q", str(origin), f"clone{number}")
            self.clones.append(Cli(Store((self.where / f"clone{number}").resolve())))
        self.recorded: set[str] = set()
        self.mine: list[list[str]] = [[] for _ in range(CLONES)]
        self.counter = 0

    @rule(who=st.integers(0, CLONES - 1), client=st.sampled_from(CLIENTS))
    def record(self, who: int, client: str) -> None:
        self.counter += 1
        out = self.clones[who]("new", client, "--new-client", "--no-edit", "-t", "note", "-p",
                               "Jane Doe", "--title", f"Zeppelin {self.counter}",
                               "--json").stdout
        record = json.loads(out)["id"]
        self.recorded.add(record)
        self.mine[who].append(record)

    @rule(who=st.integers(0, CLONES - 1), which=st.integers(0, 5))
    def complete(self, who: int, which: int) -> None:
        steps = json.loads(self.clones[who]("actions", "--json").stdout)
        if steps:
            self.clones[who]("done", steps[which % len(steps)]["id"])

    @rule(who=st.integers(0, CLONES - 1))
    def withdraw(self, who: int) -> None:
        if self.mine[who]:
            record = self.mine[who].pop()
            self.clones[who]("void", record[:8], "--reason", "a test")
            self.recorded.discard(record)

    @rule(who=st.integers(0, CLONES - 1))
    def amend(self, who: int) -> None:
        """Amend the quarterly review (two clones doing so before they sync fork it)."""
        self.counter += 1
        clone = self.clones[who]
        text = clone("show", "36xjj334", "--raw").stdout
        title = next(line for line in text.splitlines() if line.startswith("title: "))
        clone("amend", "36xjj334", "--reason", f"edit {self.counter}", "--stdin",
              input=text.replace(title, f"title: Quarterly review {self.counter}"))

    @rule(who=st.integers(0, CLONES - 1))
    def sync(self, who: int) -> None:
        self.clones[who]("sync", "--json")

    def teardown(self) -> None:
        if not hasattr(self, "clones"):
            return
        try:
            for _ in range(2):
                for clone in self.clones:
                    clone("sync", "--json")
            heads = {git(c.store.root, "rev-parse", "HEAD") for c in self.clones}
            assert len(heads) == 1
            answers = []
            for clone in self.clones:
                assert git(clone.store.root, "status", "--porcelain") == ""
                for path in (clone.store.root / "clients").rglob("*"):
                    assert not path.is_file() or b"<<<<<<<" not in path.read_bytes(), path
                clone("check")
                assert json.loads(clone("verify", "--json").stdout)["findings"] == []
                shown = {e["id"] for e in json.loads(clone("log", "-n", "10000",
                                                           "--json").stdout)}
                assert self.recorded <= shown
                answers.append(sorted(h["id"] for h in json.loads(
                    clone("search", "zeppelin", "--json", "--limit", "1000").stdout)))
            assert answers[0] == answers[1] == answers[2]
            assert set(answers[0]) == self.recorded
            for clone in self.clones:  # however often it was amended, and forked, it is one
                records = json.loads(clone("history", "acme-corp", "--json").stdout)["records"]
                assert len([r for r in records if r["title"].startswith("Quarterly")]) == 1
                sow = [s for s in json.loads(clone("actions", "--all", "--json").stdout)
                       if s["text"] == "Send the revised SOW"]
                assert len(sow) == 1
        finally:
            shutil.rmtree(self.where, ignore_errors=True)


#: ILOG_SYNC_EXAMPLES runs more (docs/sync.md says how many were run, with what result).
ThreeClones.TestCase.settings = settings(
    max_examples=int(os.environ.get("ILOG_SYNC_EXAMPLES", "15")), stateful_step_count=12,
    deadline=None)
test_three_clones_end_the_same = ThreeClones.TestCase
