"""The fast path of `ilog history` (no typer) is the typer command, only faster: the same
options, the same output, the same exit codes; what it does not know, it leaves to typer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from conftest import DEMO
from ilog.cli.historyrun import GLOBAL_OPTIONS, OPTIONS, fast_main, parse
from ilog.cli.main import app

DISPUTE = "clients/acme-corp/2026/2026-09-03-invoice-dispute-call-gpezgqkf.md"


def kinds(command) -> dict[str, str]:
    """Option name -> flag / value / list, as click sees the command's options."""
    found = {}
    for param in command.params:
        if param.param_type_name == "option":
            kind = "flag" if param.is_flag else "list" if param.multiple else "value"
            found.update(dict.fromkeys([*param.opts, *param.secondary_opts], kind))
    return found


def test_the_fast_parser_knows_exactly_the_typer_options() -> None:
    root = typer.main.get_command(app)
    history = root.commands["history"]
    assert {name: kind for name, (_, kind) in OPTIONS.items()} == kinds(history)
    global_options = {k: v for k, v in kinds(root).items()
                      if k not in ("--version", "--install-completion", "--show-completion")}
    assert {name: kind for name, (_, kind) in GLOBAL_OPTIONS.items()} == global_options


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fast") / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
    broken = root / "clients/globex-ltd/2026/2026-01-14-discovery-workshop-a5k8kpa1.md"
    broken.write_text(broken.read_text().replace("type: meeting", "type: [meeting"))
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
    ["history", "acme", "--json", "--markdown"],
    ["history", "acme", "--since", "the day after"],
    ["history", "acme", "--since", "today", "--until", "2026-01-01"],
])
def test_both_paths_print_the_same(store: Path, args: list[str], capsys) -> None:
    argv = ["--store", str(store), *args]
    typed = CliRunner().invoke(app, argv)
    code = fast_main(argv)
    fast = capsys.readouterr()
    assert code is not None, "the fast path should take these arguments"
    assert (code, fast.out, fast.err) == (typed.exit_code, typed.stdout, typed.stderr)


@pytest.mark.parametrize("args", [
    ["history", "acme", "--help"],
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
    ["show", "acme"],
    ["--version"],
])
def test_what_the_fast_path_does_not_know_goes_to_typer(args: list[str]) -> None:
    assert parse(args) is None
