"""Retention, legal holds, purge and erasure: data goes when it must, the trail stays whole."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import DEMO, Cli, git, team_clones
from ilog.errors import (
    AbortedError,
    FormatError,
    StepStateError,
    UnknownClientError,
    UsageError,
)
from ilog.evidence.findings import FindingKind
from ilog.store.keeping import retention
from ilog.store.layout import Store

NORTHWIND = "clients/northwind-traders"


def set_retention(cli: Cli, text: str) -> None:
    with (cli.store.root / "ilog.toml").open("a") as handle:
        handle.write(f'\n[retention]\ndefault = "{text}"\n')


def purge_json(cli: Cli, *args: str) -> dict:
    return json.loads(cli("purge", *args, "--json").stdout)


@pytest.mark.parametrize(("text", "span"), [("7y", "7y"), ("18mo", "18mo"), ("2w", "2w"),
                                            ("90d", "90d"), ("90", "90d"), ("3 months", "3mo"),
                                            ("never", None), ("", None)])
def test_retention_periods(demo: Cli, text: str, span: str | None) -> None:
    set_retention(demo, text)
    found = retention(demo.store, "acme-corp").span
    assert (str(found) if found else None) == span


@pytest.mark.parametrize("text", ["seven years", "7 ys", "99999999999y"])
def test_a_bad_period_names_its_file_and_line(demo: Cli, text: str) -> None:
    set_retention(demo, text)
    result = demo("purge", code=FormatError.exit_code)
    line = demo.store.root.joinpath("ilog.toml").read_text().splitlines().index(
        f'default = "{text}"') + 1
    assert f"ilog.toml:{line}: retention: '{text}'" in result.stderr


def test_m_is_minutes_now_so_an_old_18m_is_reported_never_taken_for_minutes(demo: Cli) -> None:
    """'18m' meant 18 months in retention before m became minutes everywhere: check reports
    the exact line and the fix, and purge refuses, rather than delete after 18 minutes (or
    keep 18 months without saying so)."""
    set_retention(demo, "18m")
    profile = demo.store.root / "clients/globex-ltd/client.yaml"
    profile.write_text(profile.read_text() + "retention: 6m\n")
    found = json.loads(demo("check", "--json", code=32).stdout)["problems"]
    toml_line = demo.store.root.joinpath("ilog.toml").read_text().splitlines().index(
        'default = "18m"') + 1
    yaml_line = profile.read_text().splitlines().index("retention: 6m") + 1
    assert [(p["path"], p["line"], p["field"]) for p in found] == [
        ("clients/globex-ltd/client.yaml", yaml_line, "retention"),
        ("ilog.toml", toml_line, "retention")]
    assert all("write 18mo" in p["message"] or "write 6mo" in p["message"] for p in found)
    assert "for 18 months write 18mo" in demo("purge", "--yes", code=FormatError.exit_code).stderr
    assert list(demo.store.root.glob("tombstones/*/*.yaml")) == []


def test_nothing_goes_without_a_retention_period(demo: Cli) -> None:
    assert purge_json(demo, "--yes") == {"deleted": 0, "expired": [], "held": []}


def test_purge_lists_first_then_deletes_with_tombstones(demo: Cli) -> None:
    set_retention(demo, "6mo")
    before = sorted(p.name for p in demo.store.root.glob("clients/*/20*/*.md"))
    listed = purge_json(demo)
    going = [r["path"] for e in listed["expired"] for r in e["records"]]
    assert listed["deleted"] == 0 and going
    assert sorted(p.name for p in demo.store.root.glob("clients/*/20*/*.md")) == before
    limit = (date.today() - timedelta(days=182)).isoformat()
    assert all(r["date"][:10] < limit for e in listed["expired"] for r in e["records"])
    done = purge_json(demo, "--yes")
    assert done["deleted"] == len(going)
    assert not any((demo.store.root / p).exists() for p in going)
    stones = list(demo.store.root.glob("tombstones/*/*.yaml"))
    assert len(stones) == len(going)
    stone = stones[0].read_text()
    assert "kind: purge" in stone and "seal: sha256:" in stone and "client_sha256:" in stone
    assert "acme" not in stone and "northwind" not in stone  # no names in a tombstone
    demo("verify")


def test_a_client_keeps_its_own_retention(demo: Cli) -> None:
    set_retention(demo, "6mo")
    with (demo.store.root / NORTHWIND / "client.yaml").open("a") as handle:
        handle.write("retention: never\n")
    clients = {e["client"] for e in purge_json(demo)["expired"]}
    assert clients and "northwind-traders" not in clients


def test_a_hold_keeps_a_record_until_released(demo: Cli) -> None:
    set_retention(demo, "6mo")
    demo("hold", "3kgbg59v", "--reason", "dispute DP-1")
    demo("hold", "3kgbg59v", code=StepStateError.exit_code)
    plan = purge_json(demo, "--yes")
    assert [e["hold"] for e in plan["held"]] == ["dispute DP-1"]
    assert list(demo.store.root.glob(f"{NORTHWIND}/20*/*-3kgbg59v.md"))
    demo("release", "3kgbg59v", "--reason", "settled")
    assert purge_json(demo, "--yes")["deleted"] == 1
    assert not list(demo.store.root.glob(f"{NORTHWIND}/20*/*-3kgbg59v.md"))
    assert not list(demo.store.root.glob(f"{NORTHWIND}/holds/*-3kgbg59v*.yaml"))


def test_an_interrupted_purge_finishes_when_run_again(tmp_path: Path) -> None:
    store = tmp_path / "big"
    import shutil

    shutil.copytree(DEMO, store, ignore=shutil.ignore_patterns(".ilog"))
    folder = store / "clients/initech/2020"
    folder.mkdir()
    template = next((store / "clients/initech/2026").glob("*.md")).read_text()
    for n in range(1500):  # enough to be caught in the middle, even on a busy machine
        short = f"o{n:07d}"
        text = template.split("\nseal:")[0].replace("date: 2026", "date: 2020")
        text = text.replace(text.split("\n")[1], f"id: {short}aaaaaaaaaaaa") + "\n---\n"
        (folder / f"2020-01-01-old-{short}.md").write_text(text)
    cli = Cli(Store(store))
    cli("seal")
    set_retention(cli, "1y")
    process = subprocess.Popen([sys.executable, "-m", "ilog", "--store", str(store), "purge",
                                "--yes"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(list(folder.glob("*.md"))) == 1500 and time.monotonic() < deadline:
        time.sleep(0.005)  # until the purge has deleted something
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    left = len(list(folder.glob("*.md")))
    assert 0 < left < 1500, "the purge should have been stopped in the middle"
    report = json.loads(cli("verify", "--json", code=None).stdout)
    assert {f["kind"] for f in report["findings"]} <= {FindingKind.UNFINISHED}
    cli("purge", "--yes")
    assert not list(folder.glob("*.md"))
    assert len(list(store.glob("tombstones/*/*.yaml"))) >= 400
    cli("verify")


def assert_no_trace(folder: Path, *words: bytes) -> None:
    """No file below ``folder`` holds any of ``words`` (in any case)."""
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes().lower()
            assert not [word for word in words if word in data], path


def test_erase_asks_then_removes_every_trace(demo: Cli) -> None:
    demo("search", "scanner")  # an index with the client's words
    demo("done", "dav4")  # a completion event of the client
    drafts = demo.store.root / ".ilog/drafts"
    drafts.mkdir(parents=True, exist_ok=True)
    for name in ("amend-3kgbg59v-11.md", "edit-3kgbg59v-12.md", "new-northwind-traders-13.md",
                 "new-initech-14.md"):
        (drafts / name).write_text("Sofia said the scanner ...")
    result = demo("erase", "northwind", "--yes", code=UsageError.exit_code)
    assert "needs a reason" in result.output
    result = demo("erase", "northwind", "--reason", "request 12", input="n\n",
                  code=AbortedError.exit_code)
    assert "13 records, 0 attachment folders and 2 other files" in result.output
    assert (demo.store.root / NORTHWIND).is_dir()
    out = demo("erase", "northwind", "--reason", "erasure request 7", "--yes").stdout
    assert "Erased 13 records" in out and "git filter-repo --invert-paths" in out
    assert not (demo.store.root / NORTHWIND).exists()
    assert [p.name for p in drafts.iterdir()] == ["new-initech-14.md"]
    (drafts / "new-initech-14.md").unlink()
    assert_no_trace(demo.store.root / ".ilog", b"scanner", b"northwind")
    assert len(list(demo.store.root.glob("tombstones/*/*.yaml"))) == 13
    assert json.loads(demo("search", "scanner", "--json").stdout) == []
    demo("verify")
    result = demo("erase", "northwind", "--reason", "x", "--yes",
                  code=UnknownClientError.exit_code)
    assert "no client 'northwind'" in result.output and "--new-client" not in result.output


def test_an_erasure_committed_in_git_still_verifies(tmp_path: Path) -> None:
    alice, _ = team_clones(DEMO, tmp_path)
    cli = Cli(Store(alice))
    cli("erase", "initech", "--reason", "request 9", "--yes")
    git(alice, "add", "-A")
    git(alice, "commit", "-qm", "erase")
    cli("verify")


def test_an_erasure_stopped_before_the_index_was_compacted_is_finished_by_running_it_again(
        demo: Cli) -> None:
    from ilog.evidence import erasure

    demo("search", "scanner")  # the client's words in the index
    found = erasure.plan(demo.store, "northwind")
    erasure.erase(demo.store, found, "request 7")  # killed here: files gone, index not
    assert not (demo.store.root / NORTHWIND).exists()
    result = demo("erase", "northwind-traders", "--reason", "request 7", "--json")  # no --yes:
    # nothing is left to confirm, only what ilog derived
    assert json.loads(result.stdout)["finished_earlier_erasure"] is True
    assert_no_trace(demo.store.root / ".ilog", b"scanner")
    demo("verify")


def test_an_erasure_that_cannot_delete_says_so() -> None:
    import subprocess
    import sys

    from conftest import DEMO, unprivileged_copy

    with unprivileged_copy(DEMO) as (prefix, root, env):
        (root / NORTHWIND).chmod(0o555)  # the client's folder cannot be emptied
        done = subprocess.run([*prefix, sys.executable, "-m", "ilog", "--store", str(root),
                               "erase", "northwind", "--reason", "r", "--yes"],
                              capture_output=True, text=True, check=False, env=env)
        (root / NORTHWIND).chmod(0o777)
        assert done.returncode == 22 and "Erased" not in done.stdout, done.stdout
        assert "cannot write" in done.stderr or "Permission denied" in done.stderr, done.stderr


def test_verify_after_a_second_purge_is_no_internal_error(demo: Cli) -> None:
    """Issue 24 B4 (reported with a stale client cache; not reproduced on this main, kept as
    a guard): purge, purge again, verify, with the caches warm from every reading command."""
    set_retention(demo, "6mo")
    git(demo.store.root, "init", "-q")
    git(demo.store.root, "add", "-A")
    git(demo.store.root, "commit", "-qm", "start")
    demo("hold", "sea0fjvp", "--reason", "matter 7")
    for command in ("history", "acme"), ("actions",), ("clients",), ("verify",):
        demo(*command)
    assert purge_json(demo, "--yes")["deleted"] == 12  # one is held
    demo("verify")
    git(demo.store.root, "add", "-A")
    git(demo.store.root, "commit", "-qm", "purged")
    assert purge_json(demo, "--yes")["deleted"] == 0
    demo("verify")
    demo("history", "initech")
