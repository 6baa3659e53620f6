"""Atomic writes, temp files, and the core/CLI split."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ilog.errors import ConflictError
from ilog.store import atomic
from ilog.store.layout import Store

SRC = Path(__file__).resolve().parents[1] / "src" / "ilog"


def test_create_never_clobbers(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    assert atomic.create_file(target, b"first")
    assert not atomic.create_file(target, b"second")
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_replace_refuses_when_the_file_changed_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"theirs")
    with pytest.raises(ConflictError, match="changed on disk"):
        atomic.replace_file(target, b"mine", expected=b"what I read")
    assert target.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_temp_files_are_never_records_and_stale_ones_are_swept(store: Store,
                                                              write_record) -> None:
    """A temporary file whose writer has ended goes at once, any old one after an hour; a
    live write's file (locked) and a file ilog would not name so stay."""
    from conftest import VALID_CALL

    path = write_record(VALID_CALL)
    stale = path.parent / f".{path.name}.0000dead.tmp"
    killed = path.parent / ".other.md.0000beef.tmp"
    foreign = path.parent / ".an-editors-own.tmp"
    for temp in (stale, killed, foreign):
        temp.write_text("half a rec")
    old = time.time() - 2 * atomic.STALE_TEMP_SECONDS
    os.utime(stale, (old, old))
    with atomic._temp_copy(path.parent / "live.md", b"being written", private=False) as live:
        assert list(store.record_paths()) == [path]
        assert atomic.sweep_temp_files(path.parent) == 2
        assert not stale.exists() and not killed.exists() and live.exists() and foreign.exists()


#: What each way in may import of the heavy modules (the rest are imported inside the
#: functions that need them; docs/design.md, "Lazy imports").
HEAVY = ("typer", "rich", "whoosh", "yaml", "filelock", "markdown_it", "jinja2",
         "urllib.request", "asyncio")  # what Whoosh imports and ilog does not use
ENTRIES = {
    ("--version",): set(),  # from a constant, before anything is imported
    ("history", "acme-corp", "--json"): {"typer"},
    ("history", "acme-corp"): {"typer"},  # piped: plain text, no rich
    ("where",): {"typer"},
    ("actions",): {"typer"},  # the lock is flock itself (filelock only on Windows)
    ("search", "invoice", "--paths"): {"typer", "whoosh", "yaml"},  # yaml: the snippets
    ("show", "36xjj334"): {"typer", "yaml"},
    ("--help",): {"typer", "rich", "markdown_it"},  # typer's own help
}


@pytest.mark.parametrize("args", ENTRIES, ids=" ".join)
def test_each_way_in_imports_only_what_it_needs(args: tuple[str, ...], tmp_path: Path) -> None:
    import shutil

    from conftest import DEMO

    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    for _ in (1, 2):  # the second run finds the caches made by the first
        code = ("import runpy, sys\nsys.argv = ['ilog', *sys.argv[1:]]\n"
                "try:\n    runpy.run_module('ilog', run_name='__main__')\n"
                "except SystemExit:\n    pass\n"
                f"sys.stderr.write(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
        store = [] if args[0].startswith("--") else ["--store", str(root)]
        done = subprocess.run([sys.executable, "-c", code, *store, *args],
                              capture_output=True, text=True, check=True)
    lines = done.stderr.splitlines()
    imported = set(lines[-1].split()) if lines else set()
    assert imported == ENTRIES[args]


def typer_version() -> str:
    from importlib.metadata import version

    return version("typer")


@pytest.mark.skipif(tuple(int(n) for n in typer_version().split(".")[:2]) >= (0, 29),
                    reason="typer 0.29 validates every argument through pydantic: its cost")
def test_a_command_does_not_import_pydantic(tmp_path: Path) -> None:
    """Up to typer 0.28, nothing of ilog's needs pydantic (docs/design.md, "typer")."""
    code = ("import sys; from ilog.__main__ import run\n"
            "run(['--store', sys.argv[1], 'where'])\n"
            "print('pydantic' in sys.modules)")
    from ilog.store.locate import init_store

    init_store(tmp_path, git=False)
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "False"


def test_the_derived_data_lock_is_owner_only_and_says_when_it_is_busy(tmp_path: Path) -> None:
    from ilog.derived.cachedir import locked

    holder = subprocess.Popen([sys.executable, "-c", (
        "import pathlib, sys, time\nfrom ilog.derived.cachedir import locked\n"
        "with locked(pathlib.Path(sys.argv[1]), wait=10) as got:\n"
        "    print(got, flush=True)\n    time.sleep(30)\n"), str(tmp_path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        assert (tmp_path / "index.lock").stat().st_mode & 0o777 == 0o600
        with locked(tmp_path, wait=0.2) as got:
            assert got is False
    finally:
        holder.kill()
        holder.wait()
    with locked(tmp_path, wait=5) as got:
        assert got is True


def test_creating_works_without_hard_links_and_still_never_clobbers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """FAT and some network shares have no hard links (this machine's kernel has no FAT to
    mount, so the refusal is injected where os.link gives it)."""
    import errno

    def no_links(_source: object, _target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "a.md"
    assert atomic.create_file(target, b"first")
    assert not atomic.create_file(target, b"second")
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_a_killed_writes_temporary_folder_is_swept_too(tmp_path: Path) -> None:
    """A record's files are written into a hidden temporary folder first
    (store/attachments.py): one a killed process left is removed like a temporary file."""
    stale = tmp_path / ".2026-11-22-call-abcd1234.0a1b2c3d.tmp"
    stale.mkdir()
    (stale / "signed.pdf").write_bytes(b"half")
    fresh = tmp_path / ".2026-11-23-call-efgh5678.4e5f6a7b.tmp"
    fresh.mkdir()
    old = time.time() - 7200
    os.utime(stale, (old, old))
    assert atomic.sweep_temp_files(tmp_path) == 1
    assert not stale.exists() and fresh.exists()
