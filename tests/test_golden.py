"""The --json contract, command by command: each output on the example store is compared with
its golden file in tests/golden/ (what changes with the day or the machine is left out; the
records that new, amend and edit print have the shape of show's, in show.json).
A change must be an addition, documented in docs/json.md; regenerate with
ILOG_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import DEMO, runner

GOLDEN = Path(__file__).resolve().parent / "golden"
#: Values that depend on today, the clock or the machine.
VOLATILE = {"days_since", "days_since_last_contact", "state", "overdue", "overdue_steps",
            "seconds", "made", "saved", "at", "by",
            "recorded", "reason"}
COMMANDS = {
    "where": ["where"],
    "templates": ["templates"],
    "templates-show": ["templates", "show", "call"],
    "check": ["check"],
    "verify": ["verify"],
    "history": ["history", "acme"],
    "actions": ["actions", "--all"],
    "search": ["search", "invoice"],
    "search-all": ["search", "--limit", "100"],
    "log": ["log", "-n", "5"],
    "seal": ["seal"],
    "purge": ["purge"],
    "drafts": ["drafts"],
    "reindex": ["reindex"],
    "hold": ["hold", "36xjj334", "--reason", "dispute DP-1"],
    "release": ["release", "pdmx9qr2", "--reason", "not held"],
    "export": ["export", "audit", "initech", "--out", "PACK"],
    "done": ["done", "f1cj", "--note", "sent"],
    "reopen": ["reopen", "f1cj"],
    "erase": ["erase", "initech", "--reason", "request 12", "--yes"],
    "init": ["init", "PACK", "--no-git"],
}


def normalized(value: object, root: str) -> object:
    """``value`` without what changes from run to run."""
    if isinstance(value, dict):
        return {k: normalized(v, root) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [normalized(v, root) for v in value]
    if isinstance(value, str):
        return re.sub(re.escape(root) + r"[^\s\"']*", "STORE", value)
    return value


@pytest.mark.parametrize("name", COMMANDS)
def test_json_output_of_every_command(tmp_path: Path, name: str) -> None:
    root = tmp_path / "store"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
    args = [str(tmp_path / "pack") if a == "PACK" else a for a in COMMANDS[name]]
    result = runner.invoke(["--store", str(root), *args, "--json"])
    assert result.exit_code in (0, 35), result.output
    data = normalized(json.loads(result.stdout or result.stderr), str(tmp_path))
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("ILOG_UPDATE_GOLDEN") == "1":
        golden.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    assert data == json.loads(golden.read_text())


@pytest.mark.parametrize("args", [["void", "gpezgqkf", "--reason", "logged twice"],
                                  ["move", "36xjj334", "globex", "--reason", "wrong client"]])
def test_records_written_by_void_and_move_have_shows_shape(tmp_path: Path,
                                                           args: list[str]) -> None:
    """Their ids are new each time, so the shape is what is compared (as for new and amend)."""
    root = tmp_path / "store"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
    result = runner.invoke(["--store", str(root), *args, "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads((GOLDEN / "show.json").read_text())
    assert set(json.loads(result.stdout)) == set(shown) - {"versions", "diverged"}
