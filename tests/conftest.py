"""Shared fixtures: every test runs with its own HOME, XDG dirs, git identity and store."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ilog.__main__ import run
from ilog.store.layout import Store
from ilog.store.locate import init_store

#: The bundled example store (copy it before changing anything: see the demo fixture).
DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo-store"

#: A fixed "now" for tests that resolve plain-word dates: Monday 2026-11-23 10:00 +01:00.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=1)))

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.test",
    "GIT_COMMITTER_NAME": "Test Author", "GIT_COMMITTER_EMAIL": "author@example.test",
}


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test sees the real HOME, XDG dirs, git config, editor or store."""
    home = tmp_path_factory.mktemp("home")
    for key, value in {
        "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache"),
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "NO_COLOR": "1", "COLUMNS": "100", **IDENTITY,
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("ILOG_STORE", "ILOG_AUTHOR", "VISUAL", "EDITOR", "PAGER"):
        monkeypatch.delenv(key, raising=False)
    return home


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A fresh store (without git; the git tests make their own)."""
    root = tmp_path / "store"
    init_store(root, git=False)
    return Store(root.resolve(), "test")


class Runner(CliRunner):
    """typer's CliRunner (captured stdout and stderr, stdin, environment), running ilog's own
    entry point (``ilog.__main__.run``), as the console script does."""

    def invoke(self, args: list[str], input: str | None = None,  # type: ignore[override]
               env: dict[str, str] | None = None, **_: object) -> Result:
        exception: BaseException | None = None
        with self.isolation(input=input, env=env) as (stdout, stderr, output):
            try:
                code = run(list(args))
            except Exception as error:  # noqa: BLE001 - reported in the result, as typer's
                code, exception = 1, error
            sys.stdout.flush()
            sys.stderr.flush()
            captured = stdout.getvalue(), stderr.getvalue(), output.getvalue()
        if code and exception is None:
            exception = SystemExit(code)
        return Result(runner=self, stdout_bytes=captured[0], stderr_bytes=captured[1],
                      output_bytes=captured[2], return_value=None, exit_code=code,
                      exception=exception, exc_info=None)


runner = Runner()


class Cli:
    """Runs ilog through its entry point (see Runner) against one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.runner = runner

    def __call__(self, *args: str, input: str | None = None, code: int | None = 0,
                 env: dict[str, str] | None = None) -> Result:
        result = self.runner.invoke(["--store", str(self.store.root), *args],
                                    input=input, env=env)
        if code is not None:
            assert result.exit_code == code, (result.exit_code, result.output, result.exception)
        return result


@pytest.fixture
def cli(store: Store) -> Cli:
    return Cli(store)


@pytest.fixture
def demo(tmp_path: Path) -> Cli:
    """A private copy of the example store (without its derived data)."""
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".ilog"))
    return Cli(Store(root))


@pytest.fixture
def write_record(store: Store) -> Callable[..., Path]:
    """Write a raw record file (any text, valid or not) into the store."""

    def write(text: str, *, client: str = "acme", name: str = "2026-11-22-call-abcd1234.md",
              year: str = "2026", dedent: bool = True) -> Path:
        folder = store.root / "clients" / client / year
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_text(textwrap.dedent(text) if dedent else text, encoding="utf-8")
        return path

    return write


VALID_CALL = """\
    ---
    id: abcd1234efgh5678jkmn
    client: acme
    type: call
    date: 2026-11-22T14:30:00+01:00
    title: Quarterly review
    participants:
    - Jane Doe (Acme, CFO) <jane@acme.example>
    - Bob Smith (us)
    decisions:
    - Renew for 12 months
    next_steps:
    - id: step0001aaaa
      text: Send the revised SOW
      owner: bob
      due: 2026-11-29
    ---

    Notes.
    """


def editor_command(script: Path) -> str:
    """An $EDITOR value that runs a Python script on the file."""
    return f"{sys.executable} {script}"


def unprivileged() -> list[str]:
    """A command prefix that runs a program as an unprivileged user (root ignores file
    permissions), or skips the test when that is not possible here."""
    import os
    import shutil
    import subprocess

    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv")
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import ilog, whoosh"],
                           capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("an unprivileged user cannot run this Python environment")
    return prefix


@contextlib.contextmanager
def unprivileged_copy(source: Path, *, read_only: bool = False,
                      ) -> Iterator[tuple[list[str], Path, dict[str, str]]]:
    """A copy of the store ``source`` that an unprivileged user can reach (in a folder of its
    own, not under pytest's owner-only tmp folder), writable by that user unless
    ``read_only``: yields (command prefix to run as that user, the store's root, the
    environment to use)."""
    prefix = unprivileged()
    top = Path(tempfile.mkdtemp(prefix="ilog-user-"))
    try:
        shutil.copytree(source, top / "store", ignore=shutil.ignore_patterns(".ilog"))
        for path in [top / "store", *(top / "store").rglob("*")]:
            if path.is_dir():
                path.chmod(0o555 if read_only else 0o777)
            else:
                path.chmod(0o666)
        top.chmod(0o777)
        env = {**os.environ, "HOME": str(top), "XDG_CACHE_HOME": str(top / "cache"),
               "XDG_CONFIG_HOME": str(top / "config"), "ILOG_AUTHOR": "x"}
        yield prefix, top / "store", env
    finally:
        for folder in top.rglob("*"):
            if folder.is_dir() and not folder.is_symlink():
                folder.chmod(0o755)
        shutil.rmtree(top, ignore_errors=True)


def read_only_copy(source: Path) -> contextlib.AbstractContextManager[
        tuple[list[str], Path, dict[str, str]]]:
    """A copy of ``source`` an unprivileged user can read but not write (unprivileged_copy)."""
    return unprivileged_copy(source, read_only=True)


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` (with the test's isolated identity); its stdout."""
    return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True,
                          check=True).stdout


def team_clones(source: Path, where: Path) -> tuple[Path, Path]:
    """A bare remote seeded with a copy of the store ``source`` and two clones of it (alice's
    and bob's), as a team shares a store."""
    origin, seed = where / "origin.git", where / "seed"
    shutil.copytree(source, seed, ignore=shutil.ignore_patterns(".ilog"))
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "seed")
    git(seed, "push", "-q", str(origin), "main")
    clones = where / "alice", where / "bob"
    for clone in clones:
        subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    return clones
