"""The fuzzers' corpora (tests/fuzz/corpus: seeds and every input the fuzzers kept) replayed
through their targets on every run; with atheris installed, each target is fuzzed for a
moment too. The long runs: tests/fuzz/fuzz.py and docs/reliability.md."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parent / "fuzz"
sys.path.insert(0, str(FUZZ))

from targets import TARGETS  # noqa: E402 - the fuzz folder, put on sys.path above

pytestmark = pytest.mark.slow  # a long grid: -m 'not slow' leaves it out


def corpus(name: str) -> list[Path]:
    return sorted((FUZZ / "corpus" / name).iterdir())


@pytest.mark.parametrize("name", TARGETS)
def test_every_kept_input_is_handled(name: str) -> None:
    inputs = corpus(name)
    assert len(inputs) >= 3  # the seeds at least
    for path in inputs:
        TARGETS[name](path.read_bytes())


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None,
                    reason="atheris is not installed (x86_64 Linux wheels: pip install atheris; "
                           ".ci/run installs it)")
@pytest.mark.parametrize("name", TARGETS)
def test_a_short_fuzz_run_finds_nothing(name: str, tmp_path: Path) -> None:
    work = tmp_path / name
    shutil.copytree(FUZZ / "corpus" / name, work)
    done = subprocess.run([sys.executable, str(FUZZ / "fuzz.py"), name, "-runs=20000",
                           "-max_total_time=15", f"-artifact_prefix={tmp_path}/", str(work)],
                          capture_output=True, text=True, cwd=FUZZ, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
