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


def timed(command: list[str], runs: int) -> float:
    """Median wall time in milliseconds of ``runs`` runs (after one warm-up run)."""
    env = {**os.environ, "ILOG_AUTHOR": "bench", "NO_COLOR": "1"}
    samples = []
    for number in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True, env=env)
        if number:
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def store_for(count: int) -> Path:
    root = HERE / "stores" / f"{count // 1000}k"
    if not (root / "ilog.toml").is_file():
        shutil.rmtree(root, ignore_errors=True)
        print(f"generating {count} records in {root} ...", flush=True)
        generate(count, root)
    return root


def fixed_rows() -> list[tuple[str, float]]:
    """Start-up figures that do not depend on the store."""
    return [
        ("python -c pass", timed([sys.executable, "-c", "pass"], 9)),
        ("ilog --version", timed([ILOG, "--version"], 9)),
        ("minimal typer app --help", timed([sys.executable, str(HERE / "minimal_typer.py"),
                                            "--help"], 9)),
        ("ilog --help", timed([ILOG, "--help"], 9)),
    ]


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
