"""Many ilog processes at once: writers, reindexes and searches side by side lose nothing and
break nothing. The suite runs a sample (``ILOG_WRITERS`` x ``ILOG_RECORDS_EACH``, default
8 x 5); the full run of docs/reliability.md:

    ILOG_RECORDS_EACH=100 python -m pytest tests/test_concurrency.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEMO

pytestmark = pytest.mark.slow  # a long grid: -m 'not slow' leaves it out

WRITERS = int(os.environ.get("ILOG_WRITERS", "8"))
EACH = int(os.environ.get("ILOG_RECORDS_EACH", "5"))


def ilog(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "ilog", "--store", str(root), *args]


def copy_of_demo(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
    return root


def in_shell(commands: list[list[str]]) -> subprocess.Popen[str]:
    """One process that runs ``commands`` one after another, saying FAILED for each failure."""
    import shlex

    script = "\n".join(f"{shlex.join(command)} >/dev/null || echo FAILED" for command in commands)
    return subprocess.Popen(["sh", "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_writers_reindexes_and_searches_at_once_lose_nothing(tmp_path: Path) -> None:
    root = copy_of_demo(tmp_path)
    before = len(list(root.glob("clients/*/[0-9]*/*.md")))
    writers = [in_shell([ilog(root, "new", "acme", "--no-edit", "-t", "note", "-p", "x",
                              "--title", f"writer {w} record {n}") for n in range(EACH)])
               for w in range(WRITERS)]
    busy = [in_shell([ilog(root, *args)] * 3)
            for args in (["reindex", "--quiet"], ["search", "writer"], ["actions"])]
    for process in writers + busy:
        out, err = process.communicate(timeout=1200)
        assert "FAILED" not in out, err
    files = sorted(p.relative_to(root).as_posix() for p in root.glob("clients/*/[0-9]*/*.md"))
    assert len(files) == before + WRITERS * EACH
    checked = json.loads(subprocess.run(ilog(root, "check", "--json"), capture_output=True,
                                        text=True, check=True).stdout)
    assert checked["problems"] == []
    listed = subprocess.run(ilog(root, "search", "*", "--paths", "--limit", "100000"),
                            capture_output=True, text=True, check=True).stdout.split()
    assert sorted(listed) == files


def test_the_same_and_different_steps_done_at_once(tmp_path: Path) -> None:
    root = copy_of_demo(tmp_path)
    open_steps = json.loads(subprocess.run(ilog(root, "actions", "--json"),
                                           capture_output=True, text=True,
                                           check=True).stdout)
    different = [step["id"] for step in open_steps[:4]]
    same = [open_steps[4]["id"]] * 4
    processes = [subprocess.Popen(ilog(root, "done", step), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for step in different + same]
    codes = [process.wait(timeout=120) for process in processes]
    assert codes[:4] == [0, 0, 0, 0]  # different steps: every one done
    assert 0 in codes[4:] and set(codes[4:]) <= {0, 35}  # the same step: done, else "already"
    still_open = {step["id"] for step in json.loads(subprocess.run(
        ilog(root, "actions", "--json"), capture_output=True, text=True, check=True).stdout)}
    assert not still_open & {*different, *same}
    checked = subprocess.run(ilog(root, "check"), capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout
