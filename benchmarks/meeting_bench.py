"""Before-the-meeting benchmarks (issue 4): history, actions, clients, agenda, export tasks,
the client cache.
Writes the "meeting" section of docs/benchmarks.md.

    python benchmarks/meeting_bench.py 1000 10000 100000
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import store_for
from report import cell, machine, write_section
from timing import ENV, ILOG, timed, timed_together

ROUNDS = 7


def biggest_client(root: Path) -> tuple[str, int]:
    """The client with the most records, and how many it has."""
    counts = {folder.name: sum(1 for _ in folder.glob("[0-9]*/*.md"))
              for folder in (root / "clients").iterdir() if folder.is_dir()}
    client = max(counts, key=lambda name: (counts[name], name))
    return client, counts[client]


def cold_build(root: Path) -> float:
    """Seconds for the first look over every client, with no cache at all."""
    shutil.rmtree(root / ".ilog" / "meta", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([ILOG, "--store", str(root), "clients"], stdout=subprocess.DEVNULL,
                   check=True, env=ENV)
    return time.perf_counter() - started


def facts(root: Path) -> dict[str, int]:
    def count(*args: str) -> int:
        out = subprocess.run([ILOG, "--store", str(root), *args, "--json"],
                             capture_output=True, check=True, env=ENV).stdout
        return len(json.loads(out))

    return {"open steps": count("actions"), "of them tom's": count("actions", "--owner", "tom"),
            "completion events": sum(1 for _ in (root / "clients").glob("*/steps/*.yaml"))}


def rows(root: Path) -> tuple[dict[str, float], dict[str, object]]:
    client, records = biggest_client(root)
    base = [ILOG, "--store", str(root)]
    some_record = next((root / "clients" / client).glob("[0-9]*/*.md"))
    cold = cold_build(root)
    tasks = Path(tempfile.mkdtemp(prefix="ilog-tasks-"))
    first = time.perf_counter()
    subprocess.run([*base, "export", "tasks", "--out", str(tasks)], stdout=subprocess.DEVNULL,
                   check=True, env=ENV)
    first_export = time.perf_counter() - first
    measured = dict(timed_together({
        "ilog history CLIENT > file": [*base, "history", client],
        "ilog history CLIENT --json > file": [*base, "history", client, "--json"],
        "ilog history CLIENT --markdown > file": [*base, "history", client, "--markdown"],
        "ilog history CLIENT after one of its records changed": [
            "sh", "-c", f"touch '{some_record}' && {' '.join(base)} history {client}"],
        "ilog actions > file": [*base, "actions"],
        "ilog actions --json > file": [*base, "actions", "--json"],
        "ilog actions --owner tom": [*base, "actions", "--owner", "tom"],
        "ilog actions --overdue --json": [*base, "actions", "--overdue", "--json"],
        "ilog actions --client CLIENT": [*base, "actions", "--client", client],
        "ilog clients": [*base, "clients"],
        "ilog agenda > file": [*base, "agenda"],
        "ilog export tasks --out DIR, nothing changed since the last": [
            *base, "export", "tasks", "--out", str(tasks)],
    }, ROUNDS))
    measured["sh -c 'touch RECORD' alone (included in the row above)"] = timed(
        ["sh", "-c", f"touch '{some_record}'"], ROUNDS)
    shutil.rmtree(tasks)
    return measured, {"client": client, "records of CLIENT": records,
                      "first look, no cache (s)": round(cold, 1),
                      "first export tasks, every file written (s)": round(first_export, 1),
                      **facts(root)}


def main(sizes: list[int]) -> None:
    results = {size: rows(store_for(size)) for size in sizes}
    names = list(results[sizes[0]][0])
    header = "| measure | " + " | ".join(f"{s // 1000}k records" for s in sizes) + " |"
    lines = [
        (f"Measured {machine()} by `python benchmarks/meeting_bench.py "
         f"{' '.join(map(str, sizes))}`: whole processes, median ms of {ROUNDS} rounds (the "
         "commands of a round take turns; page cache warm, caches up to date unless the row "
         "says otherwise; output to /dev/null). CLIENT is the client with the most records."),
        "", header, "| --- | " + " | ".join("---:" for _ in sizes) + " |",
    ]
    for key in results[sizes[0]][1]:
        values = " | ".join(str(results[s][1][key]) for s in sizes)
        lines.append(f"| {cell(key)} | {values} |")
    for name in names:
        values = " | ".join(f"{results[s][0][name]:.0f}" for s in sizes)
        lines.append(f"| `{cell(name)}` | {values} |")
    write_section("meeting", lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 100000])
