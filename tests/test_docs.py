"""The docs stay true: README commands, CI, the command reference, the demo store."""

from __future__ import annotations

import json
import re
import runpy
from pathlib import Path

from conftest import runner

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text())[:2]


def test_readme_starts_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    install_and_run, install_and_test = readme_commands()
    assert text.index(install_and_run) < text.index(install_and_test) < text.index("## ")
    assert "examples/demo-store" in install_and_run
    assert install_and_test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command() -> None:
    assert readme_commands()[1] in (ROOT / ".ci/run").read_text()


def test_command_reference_is_current() -> None:
    generator = runpy.run_path(str(ROOT / "docs/gen_commands.py"))
    current = (ROOT / "docs/commands.md").read_text()
    assert current == generator["render"](), "run: python docs/gen_commands.py"


def test_every_doc_linked_from_the_readme_exists() -> None:
    for link in re.findall(r"\]\((docs/[^)]+)\)", (ROOT / "README.md").read_text()):
        assert (ROOT / link).is_file(), link


def test_the_demo_store_is_valid_and_lists_its_clients(demo) -> None:
    store = str(demo.store.root)
    assert runner.invoke(["--store", store, "check"]).exit_code == 0
    listing = runner.invoke(["--store", store, "clients"]).output
    for name in ("Acme Corp", "Globex Ltd", "Initech", "Northwind Traders", "Müller"):
        assert name in listing


def test_json_output_matches_the_golden_files(demo) -> None:
    """The --json contract: a change here must be an addition, documented in docs/json.md."""
    store = str(demo.store.root)
    out = runner.invoke(["--store", store, "show", "36xjj334", "--json"]).stdout
    assert out == (ROOT / "tests/golden/show.json").read_text()
    listed = json.loads(runner.invoke(["--store", store, "clients", "--json"]).stdout)
    for client in listed:
        assert client.pop("overdue_steps") <= client["open_steps"]  # depends on today
    assert listed == json.loads((ROOT / "tests/golden/clients.json").read_text())


def test_show_prints_plain_text_when_piped(demo) -> None:
    out = runner.invoke(["--store", str(demo.store.root), "show", "36xjj334"]).stdout
    assert out.startswith("Quarterly review\n2026-11-22 15:00 · call · acme-corp · 36xjj334\n")
    assert "- [qanpzjzj] Send the revised SOW @bob due 2026-11-27" in out
    assert "│" not in out


def test_every_package_is_installed() -> None:
    """A regular install copies only the packages pyproject.toml lists."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(p.parent.relative_to(ROOT / "src").parts)
             for p in (ROOT / "src" / "ilog").rglob("__init__.py")}
    assert found <= listed, found - listed
