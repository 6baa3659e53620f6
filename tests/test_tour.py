"""The README's five-minute tour, run line by line as written on a fresh store (ids printed as
examples, 1vrr and fvnd, are replaced by the ones this run made)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EDITOR = """\
import pathlib, sys
path = pathlib.Path(sys.argv[1])
text = path.read_text()
if "participants:  # (required)" in text:
    text = text.replace("participants:  # (required)\\n-", "participants:\\n- Jane Doe")
    text = text.replace("decisions:  # (required)\\n-", "decisions: none")
    text = text.replace("next_steps:  # (required)\\n-", "next_steps: none")
else:
    text = text.replace("12 months", "13 months")
path.write_text(text)
"""


def tour() -> list[str]:
    """The tour's command lines (continuations joined, comments dropped)."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## A five-minute tour", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines, current = [], ""
    for line in block.splitlines():
        current += line.rstrip("\\").rstrip() + " " if line.endswith("\\") else line
        if not line.endswith("\\"):
            command = re.sub(r"\s+#\s.*$", "", current).strip()
            if command and not command.startswith("#"):
                lines.append(command)
            current = ""
    return lines


@pytest.mark.skipif(shutil.which("git") is None, reason="the tour's store is a git repository")
def test_the_readme_tour_works_as_written(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "editor.py").write_text(EDITOR)
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache"),
           "EDITOR": f"{sys.executable} {tmp_path / 'editor.py'}", "NO_COLOR": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("ILOG_STORE", None)
    (home / "Mail").mkdir()  # what the tour imports and attaches
    shutil.copyfile(ROOT / "examples" / "mail" / "acme.mbox", home / "Mail" / "acme.mbox")
    (home / "signed-sow.pdf").write_bytes(b"%PDF-1.4 signed\n")
    cwd, ids = home, {}
    commands = tour()
    assert len(commands) >= 25
    for command in commands:
        for example, real in ids.items():
            command = command.replace(example, real)
        if command.startswith("cd "):
            cwd = Path(command[3:].replace("~", str(home)))
            continue
        done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                              text=True, check=False, timeout=60)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        if "Recorded" in done.stdout and "1vrr" not in ids:
            ids["1vrr"] = done.stdout.split()[1][:4]
            steps = subprocess.run(["bash", "-c", "ilog actions --json"], cwd=cwd, env=env,
                                   capture_output=True, text=True, check=True).stdout
            ids["fvnd"] = json.loads(steps)[0]["id"][:4]
    assert not (home / "clients" / "agenda.md").exists()  # outputs go outside the store
