"""One way in: every command is typer's, declared in its own signature, and the root imports a
command's module only when that command runs (click's lazy group)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
import typer

from conftest import DEMO, runner
from ilog.cli import registry
from ilog.cli.app import application, global_options
from ilog.cli.params import at_home
from ilog.errors import NotFoundError, UsageError


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("entry") / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
    return root


def click_command(words: tuple[str, ...]) -> typer.core.TyperCommand:
    command = typer.main.get_command(application())
    for word in words:
        command = command.get_command(None, word)  # type: ignore[attr-defined]
        assert command is not None, words
    return command  # type: ignore[return-value]


@pytest.mark.parametrize("command", registry.COMMANDS, ids=lambda c: " ".join(c.words))
def test_every_command_is_typers_with_its_help_and_panel(command: registry.Command) -> None:
    found = click_command(command.words)
    assert found.help and found.help.split()[0] in (command.function().__doc__ or "")
    assert found.rich_help_panel == command.panel


@pytest.mark.parametrize("function", [c.function for c in registry.COMMANDS]
                         + [lambda: global_options], ids=lambda f: f().__name__)
def test_every_path_a_command_takes_has_its_home_expanded(function: Any) -> None:
    """Each option or argument typed Path (or a list of them) has params.at_home."""
    hints = typing.get_type_hints(function(), include_extras=True)
    for name, hint in hints.items():
        if typing.get_origin(hint) is typing.Annotated and "Path" in str(hint.__origin__):
            declared = hint.__metadata__[0]
            assert declared.callback is at_home, name


def test_help_lists_every_command_in_its_panel() -> None:
    result = runner.invoke(["--help"])
    assert result.exit_code == 0
    for word in registry.first_words():
        assert f"│ {word} " in result.stdout, word
    for panel in {c.panel for c in registry.COMMANDS}:
        assert f"─ {panel} ─" in result.stdout


@pytest.mark.parametrize(("args", "loaded"), [
    (["history", "acme", "--json"], {"ilog.cli.meeting"}),
    (["show", "36xjj334"], {"ilog.cli.records"}),
    (["templates", "show", "call"], {"ilog.cli.stores"}),
    (["export", "tasks", "--help"], {"ilog.cli.export"}),
])
def test_a_command_imports_its_own_module_only(store: Path, args: list[str],
                                               loaded: set[str]) -> None:
    modules = ("capture", "meeting", "find", "records", "evidence", "export", "stores", "mail")
    code = ("import sys\nfrom ilog.__main__ import run\nrun(sys.argv[1:])\n"
            f"print(sorted(m for m in sys.modules if m in {[f'ilog.cli.{m}' for m in modules]}))")
    done = subprocess.run([sys.executable, "-c", code, "--store", str(store), *args],
                          capture_output=True, text=True, check=True)
    assert set(json.loads(done.stdout.splitlines()[-1].replace("'", '"'))) == loaded


@pytest.mark.parametrize("args", [
    ["history", "acme", "--no-color", "--full"],
    ["history", "acme", "--no-pager", "--json", "--debug"],
    ["--no-color", "history", "acme"],
])
def test_global_flags_may_follow_the_command(store: Path, args: list[str]) -> None:
    assert runner.invoke(["--store", str(store), *args]).exit_code == 0


def test_nothing_after_a_double_dash_is_a_global_flag(store: Path) -> None:
    """``--`` ends the options: ``--debug`` after it is a client's name."""
    result = runner.invoke(["--store", str(store), "history", "--", "--debug"])
    assert result.exit_code == 26 and "--debug" in result.stderr


@pytest.mark.parametrize("args", [
    ["clients", "--sort", "size"], ["history", "acme", "--json", "--markdown"],
    ["search", "x", "--sort", "best"], ["actions", "--due-within", "soon"],
    ["history", "acme", "--limit", "0"], ["history", "acme", "--limit", "many"],
    ["history", "acme", "--colour"], ["history", "acme", "extra"], ["history"],
    ["history", "acme", "--since"], ["export", "audit", "acme"], ["nothing"],
])
def test_usage_errors_exit_2(store: Path, args: list[str]) -> None:
    assert runner.invoke(["--store", str(store), *args]).exit_code == UsageError.exit_code == 2


def test_a_mistyped_command_is_answered_with_the_nearest(store: Path) -> None:
    result = runner.invoke(["--store", str(store), "histroy", "acme"])
    assert result.exit_code == 2 and "history" in result.stderr


@pytest.mark.parametrize("args", [["history", "acme-corp", "--full"], ["show", "36xjj334"],
                                  ["actions"], ["search", "invoice"], ["history", "acme",
                                                                         "--json"]])
def test_a_closed_pipe_ends_any_command_quietly(store: Path, args: list[str]) -> None:
    """As ``ilog ... | head`` does: the reader is gone before ilog writes."""
    process = subprocess.Popen([sys.executable, "-m", "ilog", "--store", str(store), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    error = process.stderr.read()
    assert process.wait() == 141 and error == b""


def test_errors_under_json_are_one_json_line_on_stderr(store: Path) -> None:
    result = runner.invoke(["--store", str(store), "show", "zzzzzzzz", "--json"])
    assert result.exit_code == NotFoundError.exit_code and result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error == {"code": 27, "type": "NotFoundError", "message": error["message"]}
    assert "zzzzzzzz" in error["message"]
    plain = runner.invoke(["--store", str(store), "show", "zzzzzzzz"])
    assert plain.stderr == f"ilog: {error['message']}\n"


@pytest.mark.parametrize("args", [["-h"], ["--help"], ["history", "-h"], ["export", "audit", "-h"],
                                  ["templates", "show", "--help"]])
def test_help_with_h_or_help(args: list[str]) -> None:
    result = runner.invoke(args)
    assert result.exit_code == 0 and "Usage: ilog" in result.output


def test_version_from_the_constant_and_from_typer() -> None:
    from ilog import __version__

    assert runner.invoke(["--version"]).stdout == f"ilog {__version__}\n"
    assert runner.invoke(["--no-color", "--version"]).stdout == f"ilog {__version__}\n"


def test_no_private_typer_module_is_imported() -> None:
    """typer's own modules whose names start with _ are its internals, free to change."""
    for path in Path(__file__).resolve().parents[1].joinpath("src", "ilog").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "typer._" not in text and "from typer import _" not in text, path


@pytest.mark.parametrize(("argv", "listed"), [
    (["search", "x", "--store", "{store}"], True),
    (["--no-color", "-S", "{store}", "clients"], True),
    (["-S{store}", "import", "tasks", "file.ics"], True),
    (["--store={store}", "export", "tasks"], True),
    (["--store", "{store}", "new", "acme"], False),
    (["--store", "{store}", "export", "audit", "acme"], False),
    (["--store", "{store}", "--", "clients"], False),
    (["--store", "{store}/clients", "clients"], False),  # no store there: nothing to list
])
def test_the_listing_starts_from_a_glance_at_the_words(store: Path, argv: list[str],
                                                       listed: bool) -> None:
    from ilog.cli.early import listing_ahead

    ahead = listing_ahead([word.format(store=store) for word in argv])
    assert (ahead is not None) == listed
    if ahead is not None:
        settings, started = ahead
        started.close()
        assert started.root == store and settings.home.is_dir()


def test_the_listing_is_started_before_typer_is_imported(store: Path) -> None:
    """find lists the store on another core while typer is imported (~100 ms at 100k)."""
    code = ("import sys\n"
            "from ilog.derived import listing\n"
            "started = listing.Prefetch.__init__\n"
            "def noted(self, root):\n"
            "    print('typer' in sys.modules, flush=True)\n"
            "    started(self, root)\n"
            "listing.Prefetch.__init__ = noted\n"
            "from ilog.__main__ import run\n"
            "sys.exit(run(sys.argv[1:]))\n")
    done = subprocess.run([sys.executable, "-c", code, "--store", str(store), "clients",
                           "--json"], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n", 1)[0] == "False"
    assert json.loads(done.stdout.split("\n", 1)[1])


def test_a_deleted_current_folder_is_one_clear_error(store: Path, tmp_path: Path) -> None:
    """ilog run in a folder someone deleted: said so, and --store still works."""
    gone = tmp_path / "gone"
    gone.mkdir()
    base = [sys.executable, "-m", "ilog"]
    code = ("import os, subprocess, sys\n"
            "os.chdir(sys.argv[1]); os.rmdir(sys.argv[1])\n"
            "done = subprocess.run(sys.argv[2:], capture_output=True, text=True)\n"
            "print(done.returncode, done.stderr.strip())\n")

    def in_gone_folder(*args: str) -> str:
        return subprocess.run([sys.executable, "-c", code, str(gone), *base, *args],
                              capture_output=True, text=True, check=True).stdout.strip()

    assert in_gone_folder("clients") == (
        "21 ilog: the current folder no longer exists (it was deleted or moved); go to "
        "another folder, or name the store with --store")
    gone.mkdir()
    assert in_gone_folder("--store", str(store), "clients", "--json") == "0"


def test_the_author_is_git_s_identity_in_the_store_not_in_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ILOG_AUTHOR or GIT_AUTHOR_EMAIL, git's config is read where the store is: the
    current folder may be another repository with another identity."""
    from ilog.store.locate import init_store

    for key in ("GIT_AUTHOR_EMAIL", "GIT_AUTHOR_NAME"):
        monkeypatch.delenv(key)
    root, elsewhere = tmp_path / "store", tmp_path / "elsewhere"
    init_store(root, git=True)
    elsewhere.mkdir()
    subprocess.run(["git", "init", "-q", str(elsewhere)], check=True)
    for folder, email in ((root, "store@example.test"), (elsewhere, "other@example.test")):
        subprocess.run(["git", "-C", str(folder), "config", "user.email", email], check=True)
    monkeypatch.chdir(elsewhere)
    written = runner.invoke(["--store", str(root), "new", "acme", "--new-client", "--no-edit",
                             "-p", "x", "-t", "note", "--json"])
    record = json.loads(written.stdout)["id"]
    voided = runner.invoke(["--store", str(root), "void", record, "--reason", "twice"])
    assert voided.exit_code == 0, voided.output
    authors = {line for path in root.glob("clients/*/*/*.md")
               for line in path.read_text().splitlines() if line.startswith("author:")}
    assert authors == {"author: store@example.test"}


def test_a_path_the_shell_left_with_its_tilde_is_under_home(isolated_env: Path,
                                                           tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """``--out=~/pack`` and a quoted ``"~/x"`` reach ilog with the tilde: it is the home
    folder there too, for every path ilog is given (never a folder named ``~``)."""
    shutil.copytree(DEMO, isolated_env / "demo", ignore=shutil.ignore_patterns(".ilog"))
    (isolated_env / "note.txt").write_text("a note\n")
    monkeypatch.chdir(tmp_path)
    for args in (["--store=~/demo", "export", "audit", "acme", "--out=~/pack"],
                 ["-S", "~/demo", "export", "tasks", "--out", "~/tasks"],
                 ["-S", "~/demo", "new", "acme", "--no-edit", "-p", "x", "-t", "note",
                  "--attach=~/note.txt"],
                 ["-S", "~/demo", "check", "~/demo/clients/acme-corp"]):
        result = runner.invoke(args)
        assert result.exit_code == 0, (args, result.output)
    monkeypatch.setenv("ILOG_STORE", "~/demo")
    assert runner.invoke(["clients", "--json"]).exit_code == 0
    assert not (tmp_path / "~").exists()
    assert (isolated_env / "pack").is_dir() and list((isolated_env / "tasks").glob("*.ics"))
