"""Timing whole processes: medians of rounds in which compared commands take turns."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ILOG = str(Path(sys.executable).with_name("ilog"))


#: As a user's shell has it: bytecode caches on (some CI images turn them off), no colour.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "ILOG_AUTHOR": "bench", "NO_COLOR": "1"}


def timed_together(commands: dict[str, list[str]], runs: int, *,
                   failures_left_out: bool = False) -> list[tuple[str, float]]:
    """Median wall time (ms) of each command over ``runs`` rounds, after a warm-up round.

    The commands take turns within each round, so a noisy moment hits all of them alike. A
    command that fails stops the run, or with ``failures_left_out`` is left out of it (and
    of the answer).
    """
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for number in range(runs + 1):
        for name, command in commands.items():
            if name not in samples:
                continue
            start = time.perf_counter()
            done = subprocess.run(command, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, check=not failures_left_out,
                                  env=ENV)
            if done.returncode:
                del samples[name]
            elif number:
                samples[name].append((time.perf_counter() - start) * 1000)
    return [(name, statistics.median(values)) for name, values in samples.items()]


def timed(command: list[str], runs: int) -> float:
    return timed_together({"": command}, runs)[0][1]



def peak_memory_mb(command: list[str]) -> float | None:
    """Peak resident memory of ``command`` (GNU time), or None without it."""
    if not Path("/usr/bin/time").exists():
        return None
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True,
                            text=True, env=ENV, check=True)
    return int(result.stderr.strip().splitlines()[-1]) / 1024


def have(program: str) -> bool:
    return shutil.which(program) is not None
