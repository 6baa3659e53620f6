"""Atomic writes, temp files, and the core/CLI split."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ilog import fsutil
from ilog.errors import ConflictError
from ilog.store import Store

SRC = Path(__file__).resolve().parents[1] / "src" / "ilog"


def test_create_never_clobbers(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    assert fsutil.create_file(target, b"first")
    assert not fsutil.create_file(target, b"second")
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_replace_refuses_when_the_file_changed_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"theirs")
    with pytest.raises(ConflictError, match="changed on disk"):
        fsutil.replace_file(target, b"mine", expected=b"what I read")
    assert target.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_temp_files_are_never_records_and_stale_ones_are_swept(store: Store,
                                                              write_record) -> None:
    from conftest import VALID_CALL

    path = write_record(VALID_CALL)
    stale = path.parent / f".{path.name}.dead.tmp"
    fresh = path.parent / ".other.md.live.tmp"
    for temp in (stale, fresh):
        temp.write_text("half a rec")
    old = time.time() - 2 * fsutil.STALE_TEMP_SECONDS
    os.utime(stale, (old, old))
    assert list(store.record_paths()) == [path]
    assert fsutil.sweep_temp_files(path.parent) == 1
    assert not stale.exists() and fresh.exists()


def core_modules() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "cli" not in p.parts and p.name != "render.py"]


@pytest.mark.parametrize("module", core_modules(), ids=lambda p: p.name)
def test_the_core_never_imports_typer_or_rich(module: Path) -> None:
    tree = ast.parse(module.read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"typer", "rich", "click"}


def test_new_and_version_do_not_import_heavy_modules() -> None:
    code = ("import sys; from ilog import capture, service; "
            "print(sorted(m for m in ('whoosh', 'typer', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_a_command_does_not_import_pydantic(tmp_path: Path) -> None:
    """typer 0.29 validates every argument through pydantic (~150 ms a command here); the
    pin in pyproject.toml keeps it out (docs/design.md, "typer below 0.29")."""
    code = ("import sys; from ilog.cli import app\n"
            "try:\n    app(['--store', sys.argv[1], 'where'], prog_name='ilog')\n"
            "except SystemExit:\n    pass\n"
            "print('pydantic' in sys.modules)")
    from ilog.store import init_store

    init_store(tmp_path, git=False)
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "False"
