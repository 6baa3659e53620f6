"""One way in: every command is declared once (its signature, cli/params.py) and run by the
fast path (no typer) or by typer, with the same options, the same output and the same exit
codes; what the fast path does not understand, it leaves to typer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from conftest import DEMO
from ilog.cli import registry
from ilog.cli.fast import main as fast_main
from ilog.cli.fast import parse
from ilog.cli.params import Opt, specs
from ilog.cli.typerapp import build

APP = build()


def click_command(words: tuple[str, ...]) -> typer.core.TyperCommand:
    command = typer.main.get_command(APP)
    for word in words:
        command = command.commands[word]  # type: ignore[attr-defined]
    return command  # type: ignore[return-value]


def click_kinds(command: typer.core.TyperCommand) -> dict[str, str]:
    """Option name -> flag / value / many, and argument name -> argument(s), as click sees them."""
    found = {}
    for param in command.params:
        if param.param_type_name == "option":
            kind = "flag" if param.is_flag else "many" if param.multiple else "value"
            found.update(dict.fromkeys([*param.opts, *param.secondary_opts], kind))
        else:
            found[param.name] = "arguments" if param.nargs == -1 else "argument"
    return found


def declared_kinds(function: object, *, skip: int = 1) -> dict[str, str]:
    found = {}
    for param in specs(function, skip=skip):  # type: ignore[arg-type]
        if isinstance(param.meta, Opt):
            found.update(dict.fromkeys(param.meta.decls, param.kind))
        else:
            found[param.name] = param.kind
    return found


@pytest.mark.parametrize("command", registry.COMMANDS, ids=lambda c: " ".join(c.words))
def test_typer_sees_every_command_as_declared(command: registry.Command) -> None:
    assert click_kinds(click_command(command.words)) == declared_kinds(command.function())


def test_typer_sees_the_global_options_as_declared() -> None:
    typer_side = {k: v for k, v in click_kinds(click_command(())).items()
                  if k not in ("--version", "--install-completion", "--show-completion")}
    assert typer_side == declared_kinds(registry.global_options, skip=0)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fast") / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
    broken = root / "clients/globex-ltd/2026/2026-01-14-discovery-workshop-a5k8kpa1.md"
    broken.write_text(broken.read_text().replace("type: meeting", "type: [meeting"))
    CliRunner().invoke(APP, ["--store", str(root), "search", "x"])  # the index, made once
    return root


@pytest.mark.parametrize("args", [
    ["history", "acme"],
    ["history", "acme", "--json"],
    ["history", "acme", "--markdown", "--full"],
    ["history", "Acme Corp", "--full", "--no-color"],
    ["--no-pager", "history", "acme", "-t", "call", "--type=email"],
    ["history", "--tag", "billing", "acme", "--tag=dispute"],
    ["history", "acme", "--since", "2026-06-01", "--until=2026-10-01", "-r"],
    ["history", "northwind", "--limit", "3", "--reverse", "--json"],
    ["history", "acme", "-l", "2", "--limit=1"],
    ["history", "acme", "--case", "acme-2026-01"],
    ["history", "globex"],  # a broken record: exit 36
    ["history", "globex", "--json"],
    ["history", "acne"],  # unknown client: exit 26
    ["history", "acme", "--json", "--markdown"],  # usage: exit 2
    ["history", "acme", "--since", "the day after"],
    ["history", "acme", "--since", "today", "--until", "2026-01-01"],
    ["actions", "--json"],
    ["actions", "--owner", "bob", "--overdue"],
    ["actions", "--due-within", "soon"],
    ["clients", "--sort", "open"],
    ["clients", "--json", "--cold", "30d"],
    ["show", "36xjj334"],
    ["show", "36xjj334", "--json"],
    ["show", "36xjj334", "--raw"],
    ["show", "nothing1"],
    ["templates"],
    ["templates", "--json"],
    ["templates", "show", "call"],
    ["where", "--json"],
    ["verify", "acme", "--json"],
    ["check", "--json"],
    ["search", "invoice", "--paths"],
    ["search", "invoice", "dispute", "--json", "--limit", "1"],
    ["search", "invoice", "--paths", "--json"],
])
def test_both_paths_print_the_same(store: Path, args: list[str], capsys) -> None:
    argv = ["--store", str(store), *args]
    typed = CliRunner().invoke(APP, argv)
    code = fast_main(argv)
    fast = capsys.readouterr()
    assert code is not None, "the fast path should take these arguments"
    assert (code, fast.out, fast.err) == (typed.exit_code, typed.stdout, typed.stderr)


@pytest.mark.parametrize("args", [
    ["history", "acme", "--help"],
    ["history", "acme", "-h"],
    ["history", "acme", "-rl2"],
    ["history", "acme", "--limit", "0"],
    ["history", "acme", "--limit", "many"],
    ["history", "acme", "--colour"],
    ["history", "acme", "extra"],
    ["history"],
    ["history", "acme", "--store", "x"],
    ["history", "acme", "--full=yes"],
    ["history", "acme", "--since"],
    ["history", "--", "acme"],
    ["clients", "--sort", "size"],
    ["export", "audit", "acme"],  # --out is required
    ["export"],
    ["nothing"],
    ["--version"],
])
def test_what_the_fast_path_does_not_know_goes_to_typer(args: list[str]) -> None:
    assert parse(args) is None


def test_usage_errors_exit_2_on_both_paths(store: Path) -> None:
    from conftest import runner

    for args in (["clients", "--sort", "size"], ["history", "acme", "--json", "--markdown"],
                 ["search", "x", "--sort", "best"], ["actions", "--due-within", "soon"],
                 ["history", "acme", "--limit", "0"]):
        assert runner.invoke(["--store", str(store), *args]).exit_code == 2, args


@pytest.mark.parametrize("args", [["history", "acme-corp", "--full"], ["show", "36xjj334"],
                                  ["actions"], ["search", "invoice"], ["history", "acme",
                                                                         "--json"]])
def test_a_closed_pipe_ends_any_command_quietly(store: Path, args: list[str]) -> None:
    """As ``ilog ... | head`` does: the reader is gone before ilog writes."""
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "ilog", "--store", str(store), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    error = process.stderr.read()
    assert process.wait() == 141 and error == b""


def test_errors_under_json_are_one_json_line_on_stderr(store: Path) -> None:
    import json

    from conftest import runner
    from ilog.errors import NotFoundError

    result = runner.invoke(["--store", str(store), "show", "zzzzzzzz", "--json"])
    assert result.exit_code == NotFoundError.exit_code and result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error == {"code": 27, "type": "NotFoundError", "message": error["message"]}
    assert "zzzzzzzz" in error["message"]
    plain = runner.invoke(["--store", str(store), "show", "zzzzzzzz"])
    assert plain.stderr == f"ilog: {error['message']}\n"


@pytest.mark.parametrize("args", [["-h"], ["--help"], ["history", "-h"], ["export", "audit", "-h"]])
def test_help_with_h_or_help(args: list[str]) -> None:
    from conftest import runner

    result = runner.invoke(args)
    assert result.exit_code == 0 and "Usage: ilog" in result.output
