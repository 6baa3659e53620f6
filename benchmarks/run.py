"""Time ilog commands as whole processes on synthetic stores; write docs/benchmarks.md.

    python benchmarks/run.py                 # 1k, 10k and 100k records
    python benchmarks/run.py 1000 10000      # chosen sizes

Stores are generated once into benchmarks/stores/ (ignored by git) and reused.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generate import store_for
from report import REPORT, cell, machine, write_section
from timing import ILOG, timed, timed_together

HERE = Path(__file__).resolve().parent


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


def main(sizes: list[int]) -> None:
    fixed = fixed_rows()
    per_size = {size: dict(store_rows(store_for(size))) for size in sizes}
    lines = [
        (f"Measured {machine()} by `python benchmarks/run.py {' '.join(map(str, sizes))}`. "
         "Whole processes, median wall time in ms (one warm-up round first, page cache warm, "
         "bytecode caches on; commands compared with each other take turns). Synthetic "
         "stores: ~200 clients, fixed seed, Zipf-distributed vocabulary "
         "(`benchmarks/generate.py`)."), "",
        "### Start-up", "", "| command | ms |", "| --- | ---: |",
        *[f"| `{cell(name)}` | {ms:.0f} |" for name, ms in fixed], "",
        "### Records", "",
        "| command | " + " | ".join(f"{s // 1000}k records" for s in sizes) + " |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " |",
    ]
    for name in per_size[sizes[0]]:
        cells = " | ".join(f"{per_size[s][name]:.0f}" for s in sizes)
        lines.append(f"| `{cell(name)}` | {cells} |")
    write_section("capture", lines)
    print(REPORT.read_text())


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 100000])
