"""Search benchmarks (issue 3): rebuild, index size, queries, refresh, next to ripgrep and
git grep over the same files. Writes the "search" section of docs/benchmarks.md.

    python benchmarks/search_bench.py 1000 10000 100000
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from generate import ensure_git, store_for
from report import REPORT, cell, machine, write_section
from timing import ENV, ILOG, have, peak_memory_mb, timed, timed_together

HERE = Path(__file__).resolve().parent
WORD = "audit"
TWO = "audit backup"
THREE = "audit backup licence"


def rebuild_rows(root: Path) -> dict[str, str]:
    shutil.rmtree(root / ".ilog", ignore_errors=True)
    started = time.perf_counter()
    memory = peak_memory_mb([ILOG, "--store", str(root), "reindex", "--quiet"])
    rebuild = time.perf_counter() - started
    bare = float(subprocess.run([sys.executable, str(HERE / "bare_whoosh.py"), str(root)],
                                capture_output=True, text=True, check=True, env=ENV).stdout)
    size = sum(p.stat().st_size for p in (root / ".ilog" / "index").iterdir()) / 2**20
    return {
        "`ilog reindex` (s)": f"{rebuild:.1f}",
        "bare Whoosh build, same documents (s)": f"{bare:.1f}",
        "reindex / bare build": f"{rebuild / bare:.2f}x",
        "reindex peak memory (MB)": f"{memory:.0f}" if memory else "n/a",
        "index size on disk (MB)": f"{size:.0f}",
    }


def query_rows(root: Path) -> dict[str, str]:
    base = [ILOG, "--store", str(root), "search", "--limit", "20"]
    client = min(p.name for p in (root / "clients").iterdir() if p.is_dir())
    commands = {
        f"`ilog search {WORD}`": [*base, WORD],
        f"`rg -l -i -w {WORD}`": ["rg", "-l", "-i", "-w", WORD, str(root / "clients")],
        f"`git grep -l -i -w {WORD}`": ["git", "-C", str(root), "grep", "-l", "-i", "-w",
                                        WORD],
        f"`ilog search {TWO}`": [*base, TWO],
        f"`ilog search {THREE}`": [*base, THREE],
        f'`ilog search "{TWO}"` (phrase)': [*base, f'"{TWO}"'],
        "`ilog search client:X type:call date:[2025-01-01 to today]`":
            [*base, f"client:{client} type:call date:[2025-01-01 to today]"],
    }
    if not have("rg"):
        commands = {k: v for k, v in commands.items() if not k.startswith("`rg")}
    measured = dict(timed_together(commands, 5))
    rows = {name: f"{ms:.0f}" for name, ms in measured.items()}
    grep = next((ms for name, ms in measured.items() if name.startswith("`rg")), None)
    if grep:
        rows[f"ilog search {WORD} / rg"] = f"{measured[f'`ilog search {WORD}`'] / grep:.2f}x"
    rows["search after one record changed"] = f"{refresh_after_change(root, base):.0f}"
    return rows


def refresh_after_change(root: Path, base: list[str]) -> float:
    """Median ms of a search right after one record file was edited in place."""
    victim = next((root / "clients").rglob("*.md"))
    original = victim.read_bytes()
    samples = []
    try:
        for number in range(5):
            victim.write_bytes(original + f"\nedited {number}\n".encode())
            started = time.perf_counter()
            subprocess.run([*base, WORD], stdout=subprocess.DEVNULL, check=True, env=ENV)
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        victim.write_bytes(original)
    return sorted(samples)[len(samples) // 2]


def main(sizes: list[int]) -> None:
    columns: dict[int, dict[str, str]] = {}
    for size in sizes:
        root = store_for(size)
        ensure_git(root)
        print(f"{size}: rebuilding ...", flush=True)
        columns[size] = rebuild_rows(root)
        print(f"{size}: searching ...", flush=True)
        columns[size].update(query_rows(root))
        timed([ILOG, "--store", str(root), "search", WORD], 1)
    names = list(columns[sizes[0]])
    lines = [
        (f"Measured {machine()} by `python benchmarks/search_bench.py "
         f"{' '.join(map(str, sizes))}`: whole processes, median ms of 5 rounds (the "
         "commands of a round take turns, page cache warm, index up to date) unless the row "
         "says otherwise. `rg` and `git grep` list the matching files of the same store."), "",
        "| measure | " + " | ".join(f"{s // 1000}k records" for s in sizes) + " |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " |",
        *[f"| {cell(name)} | " + " | ".join(columns[s].get(name, "") for s in sizes) + " |"
          for name in names],
    ]
    write_section("search", lines)
    print(REPORT.read_text())


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 100000])
