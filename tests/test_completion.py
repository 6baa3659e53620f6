"""Shell completion (typer's): through a real bash with the script ilog prints and installs
for the shell it runs in, and the zsh and fish protocols (their scripts call ilog with these
variables)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Cli

BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(not shutil.which("bash") or not (BIN / "ilog").exists(),
                                reason="needs bash and the ilog console script")



def env() -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def bash_complete(line: str, script: str) -> list[str]:
    """What bash offers for the last word of ``line`` (empty if it ends in a space), with
    the completion ``script`` loaded."""
    words = "COMP_WORDS=(" + line + (' ""' if line.endswith(" ") else "") + ")"
    program = "\n".join([script, words, "COMP_CWORD=$((${#COMP_WORDS[@]}-1))",
                          "_ilog_completion ilog", "printf '%s\\n' \"${COMPREPLY[@]}\""])
    out = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True,
                         env=env(), check=True).stdout
    return [word for word in out.splitlines() if word]


@pytest.fixture(scope="module")
def bash_script() -> str:
    """What ``ilog --show-completion`` prints in bash (typer finds the shell it runs in)."""
    return subprocess.run(["bash", "--norc", "-c", "ilog --show-completion"],
                          capture_output=True, text=True, env=env(), check=True).stdout


@pytest.mark.parametrize(("words", "expected"), [
    ("history ac", ["acme-corp"]),
    ("history m", ["muller-sohne-gmbh"]),
    ("show 36", ["36xjj334"]),
    ("edit gpe", ["gpezgqkf"]),
    ("done f1", ["f1cj35hdv77r"]),
    ("new acme --type ap", ["approval"]),
    ("history acme -t su", ["support"]),
    ("actions --client glo", ["globex-ltd"]),
    ("search invoice --client ini", ["initech"]),
])
def test_bash_completes_from_the_store(demo: Cli, bash_script: str, words: str,
                                       expected: list[str]) -> None:
    assert bash_complete(f"ilog --store {demo.store.root} {words}", bash_script) == expected


def test_reopen_offers_only_done_steps(demo: Cli, bash_script: str) -> None:
    line = f"ilog --store {demo.store.root} reopen "
    assert bash_complete(line, bash_script) == []
    demo("done", "f1cj")
    assert bash_complete(line, bash_script) == ["f1cj35hdv77r"]
    assert "f1cj35hdv77r" not in bash_complete(f"ilog --store {demo.store.root} done f",
                                               bash_script)


def test_record_ids_newest_first(demo: Cli, bash_script: str) -> None:
    offered = bash_complete(f"ilog --store {demo.store.root} show ", bash_script)
    assert offered[0] == "36xjj334" and len(offered) == 31


def test_zsh_and_fish_get_descriptions(demo: Cli) -> None:
    line = f"ilog --store {demo.store.root} done f1"
    zsh = subprocess.run(["ilog"], capture_output=True, text=True, check=True, env={
        **env(), "_ILOG_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line}).stdout
    assert '"f1cj35hdv77r":"Issue credit note for 3 hours (acme-corp, due 2026-09-10)"' in zsh
    fish = subprocess.run(["ilog"], capture_output=True, text=True, check=True, env={
        **env(), "_ILOG_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": line,
        "_TYPER_COMPLETE_FISH_ACTION": "get-args"}).stdout
    assert fish.startswith("f1cj35hdv77r\tIssue credit note for 3 hours")


def test_completion_never_creates_a_store(tmp_path: Path, isolated_env: Path,
                                          bash_script: str, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert bash_complete("ilog history a", bash_script) == []
    assert not (isolated_env / "data" / "ilog").exists()


def test_install_completion_for_bash(demo: Cli, isolated_env: Path) -> None:
    result = subprocess.run(["bash", "--norc", "-c", "ilog --install-completion"],
                            capture_output=True, text=True, env=env(), check=False)
    assert result.returncode == 0, result.stderr
    assert "completion installed" in result.stdout
    installed = isolated_env / ".bash_completions" / "ilog.sh"
    assert installed.is_file() and str(installed) in (isolated_env / ".bashrc").read_text()
    line = f"ilog --store {demo.store.root} history ac"
    assert bash_complete(line, f"source {isolated_env / '.bashrc'}") == ["acme-corp"]


@pytest.mark.parametrize(("shell", "mark"), [
    ("bash", "_ILOG_COMPLETE=complete_bash"), ("zsh", "#compdef ilog"),
    ("fish", "_ILOG_COMPLETE=complete_fish"), ("powershell", "complete_powershell")])
def test_the_script_of_any_shell_named(shell: str, mark: str) -> None:
    """For a shell other than the one at hand (dotfiles, a container image): click's
    protocol, ``_ILOG_COMPLETE=source_SHELL ilog`` (docs/configuration.md)."""
    result = subprocess.run(["ilog"], capture_output=True, text=True, check=True,
                            env={**env(), "_ILOG_COMPLETE": f"source_{shell}"},
                            stdin=subprocess.DEVNULL, start_new_session=True)
    assert mark in result.stdout
