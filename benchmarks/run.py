"""Time ilog commands as whole processes on synthetic stores; write docs/benchmarks.md.

    python benchmarks/run.py                 # 1k, 10k and 100k records
    python benchmarks/run.py 1000 10000      # chosen sizes

Stores are generated once into benchmarks/stores/ (ignored by git) and reused.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate

ILOG = str(Path(sys.executable).with_name("ilog"))
REPORT = HERE.parent / "docs" / "benchmarks.md"


#: As a user's shell has it: bytecode caches on (some CI images turn them off), no colour.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "ILOG_AUTHOR": "bench", "NO_COLOR": "1"}


def timed_together(commands: dict[str, list[str]], runs: int) -> list[tuple[str, float]]:
    """Median wall time (ms) of each command over ``runs`` rounds, after a warm-up round.

    The commands take turns within each round, so a noisy moment hits all of them alike.
    """
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for number in range(runs + 1):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=True, env=ENV)
            if number:
                samples[name].append((time.perf_counter() - start) * 1000)
    return [(name, statistics.median(values)) for name, values in samples.items()]


def timed(command: list[str], runs: int) -> float:
    return timed_together({"": command}, runs)[0][1]


def store_for(count: int) -> Path:
    root = HERE / "stores" / f"{count // 1000}k"
    if not (root / "ilog.toml").is_file():
        shutil.rmtree(root, ignore_errors=True)
        print(f"generating {count} records in {root} ...", flush=True)
        generate(count, root)
    return root


def fixed_rows() -> list[tuple[str, float]]:
    """Start-up figures that do not depend on the store."""
    return timed_together({
        "python -c pass": [sys.executable, "-c", "pass"],
        "ilog --version": [ILOG, "--version"],
        "minimal typer app --help": [sys.executable, str(HERE / "minimal_typer.py"), "--help"],
        "ilog --help": [ILOG, "--help"],
    }, 15)


def store_rows(root: Path) -> list[tuple[str, float]]:
    client = min(p.name for p in (root / "clients").iterdir() if p.is_dir())
    some = next((root / "clients" / client).rglob("*.md"))
    prefix = some.stem.rsplit("-", 1)[1]
    base = [ILOG, "--store", str(root)]
    new = [*base, "new", client, "--no-edit", "--type", "note", "-p", "Bench Mark",
           "--title", "benchmark"]
    rows = [
        ("find clients -name '*.md' | wc -l",
         timed(["sh", "-c", f"find '{root}/clients' -name '*.md' | wc -l"], 5)),
        ("ilog new --no-edit", timed(new, 5)),
        ("ilog show PREFIX", timed([*base, "show", prefix], 5)),
        ("ilog clients", timed([*base, "clients"], 5)),
        ("ilog check (whole store)", timed([*base, "check"], 1)),
        ("ilog check ONE-FILE", timed([*base, "check", str(some)], 5)),
    ]
    for made in (root / "clients" / client).rglob("*-benchmark-*.md"):
        made.unlink()
    return rows


def _cell(text: str) -> str:
    """Text for a Markdown table cell."""
    return text.replace("|", "\\|")


def main(sizes: list[int]) -> None:
    fixed = fixed_rows()
    per_size = {size: dict(store_rows(store_for(size))) for size in sizes}
    lines = [
        "# Benchmarks", "",
        (f"Measured {date.today()} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, by `python benchmarks/run.py "
        f"{' '.join(map(str, sizes))}`. Whole processes, median wall time in ms (one "
        "warm-up run first, page cache warm). Synthetic stores: ~200 clients, fixed seed "
        "(`benchmarks/generate.py`)."), "",
        "## Start-up", "", "| command | ms |", "| --- | ---: |",
        *[f"| `{_cell(name)}` | {ms:.0f} |" for name, ms in fixed], "",
        "## On a store", "",
        "| command | " + " | ".join(f"{s // 1000}k records" for s in sizes) + " |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " |",
    ]
    for name in per_size[sizes[0]]:
        cells = " | ".join(f"{per_size[s][name]:.0f}" for s in sizes)
        lines.append(f"| `{_cell(name)}` | {cells} |")
    notes = REPORT.read_text().split("<!-- notes -->", 1)[1] if REPORT.is_file() and \
        "<!-- notes -->" in REPORT.read_text() else "\n"
    REPORT.write_text("\n".join(lines) + "\n\n<!-- notes -->" + notes)
    print(REPORT.read_text())


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 100000])
