"""One process, many commands: the answers are those of one process a command (the core keeps
no state between calls: docs/design.md, "No process-wide state"), and nothing it starts
outlives its command."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEMO, runner

#: Open steps of the demo store that a command may mark done (each once).
STEPS = ["zab5rrb1", "73jnxm23", "myk8m6rf", "dav4kwjd", "f1cj35hd"]
READS = [
    ["history", "acme"], ["history", "acme", "--json"], ["history", "globex", "--full"],
    ["history", "acme", "--since", "05/01/2026"], ["history", "northwind", "--until", "03/09"],
    ["history", "acme", "--since", "01/02", "--json"], ["actions"], ["actions", "--json"],
    ["actions", "--due-within", "2w"], ["clients"], ["clients", "--json"], ["log", "-n", "5"],
    ["search", "invoice"], ["search", "date:>05/01/2026", "--json"], ["search", "audit", "--paths"],
    ["search", "client:acme", "--since", "03/04/2026"], ["verify"], ["verify", "acme", "--json"],
    ["show", "36xjj334"], ["agenda", "--json"], ["check"], ["where"], ["templates"],
]


def _commands(count: int) -> list[list[str]]:
    """``count`` command lines, reads and writes mixed (a fixed seed: the same every run).
    A record is written right after a command that started listing the store but never
    looked (``actions --client``), and searched for right after: an earlier listing taken
    for "now" would miss it."""
    chosen, steps = [], list(STEPS)
    pick = random.Random(23)
    for number in range(count):
        if number % 40 == 20 and steps:
            chosen.append(["done", steps.pop(), "--note", "in one process", "--json"])
        elif number % 25 == 4:
            chosen.append(["actions", "--client", "acme"])
        elif number % 25 == 5:
            chosen.append(["new", "acme", "-t", "note", "--no-edit", "-p", "Jane Doe", "-m",
                           f"memo{number}", "-n", f"Follow up {number} @bob due:04/05/2027",
                           "--date", f"{number % 28 + 1:02d}/11/2026", "--json"])
        elif number % 25 == 6:
            chosen.append(["search", f"memo{number - 1}", "--json"])
        else:
            chosen.append(pick.choice(READS))
    return chosen


def _order_of(number: int) -> str:
    """The user's date_order changes as the commands go: both readings of 05/01 are asked."""
    return ("day-month", "month-day")[number // 50 % 2]


@pytest.fixture
def stores(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the demo store: one for this process, one for a process a command."""
    copies = []
    for name in ("in-process", "processes"):
        root = tmp_path / name
        shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
        copies.append(root)
    return copies[0], copies[1]


def _new_ids(out: str) -> list[str]:
    """The ids a ``new --json`` answer made: the record's and its next steps'."""
    made = json.loads(out)
    return [made["id"], *(step["id"] for step in made.get("next_steps") or [])]


def _fresh_process(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "ilog", *args], capture_output=True,
                          text=True, env=env, check=False)
    return done.returncode, done.stdout


@pytest.mark.slow
def test_200_commands_in_one_process_answer_as_200_processes(
        stores: tuple[Path, Path], isolated_env: Path) -> None:
    inside, outside = stores
    config = isolated_env / "config" / "ilog" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    same: dict[str, str] = {}  # an id made by the processes -> the one made in this process
    for number, args in enumerate(_commands(200)):
        config.write_text(f'date_order = "{_order_of(number)}"\n')
        here = runner.invoke(["--store", str(inside), *args])
        code, there = _fresh_process(["--store", str(outside), *args], dict(os.environ))
        if args[0] == "new" and code == 0:
            same.update(zip(_new_ids(there), _new_ids(here.stdout), strict=True))
        for theirs, ours in same.items():
            there = there.replace(theirs, ours).replace(theirs[:8], ours[:8])
        there = there.replace(str(outside), str(inside))
        ours, theirs = _stable(here.stdout), _stable(there)
        assert (here.exit_code, ours) == (code, theirs), (number, args, _where(ours, theirs))


def _stable(out: str) -> str:
    """What differs between two runs of one command: a moment stamped now, the seal of a
    record whose id differs."""
    return re.sub(r'"(recorded|done_at|amended|seal|at)": "[^"]+"', r'"\1": ""', out)


def _where(ours: str, theirs: str) -> str:
    """Where two answers part."""
    at = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b),
              min(len(ours), len(theirs)))
    return f"here ...{ours[at - 80:at + 80]!r}... there ...{theirs[at - 80:at + 80]!r}..."


def _children() -> list[str]:
    """This process's child processes (from /proc), zombies included."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.append(f"{entry.name} {fields[0]}")
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_no_find_outlives_its_command(stores: tuple[Path, Path]) -> None:
    """Commands that look at every client start listing the store (GNU find) at once; a
    listing not taken (the command failed first) is stopped, and every find is waited for."""
    root = stores[0]
    for args in (["actions"], ["clients", "--json"], ["search", "invoice"], ["log"],
                 ["agenda"], ["clients", "--sort", "size"], ["search", '"unclosed'],
                 ["done", "nothing1"], ["actions", "--client", "nobody"]) * 5:
        runner.invoke(["--store", str(root), *args])
    assert _children() == []
