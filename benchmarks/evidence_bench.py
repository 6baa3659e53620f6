"""Evidence benchmarks (issue 5): verify, seal, the audit pack. Writes the "evidence"
section of docs/benchmarks.md.

    python benchmarks/evidence_bench.py 1000 10000 100000
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from generate import ensure_git, store_for
from report import cell, machine, write_section
from timing import ILOG, timed

ROUNDS = 3


def rows(root: Path) -> dict[str, float]:
    ensure_git(root)
    base = [ILOG, "--store", str(root)]
    client = min(p.name for p in (root / "clients").iterdir() if p.is_dir())
    out = Path(tempfile.mkdtemp(prefix="bench-pack-"))
    measured = {
        "ilog verify (every record, git history of every ref)": timed([*base, "verify"], ROUNDS),
        "ilog verify CLIENT": timed([*base, "verify", client], ROUNDS),
        "ilog seal (every record sealed already)": timed([*base, "seal"], ROUNDS),
        "ilog export audit CLIENT --format html": timed(
            ["sh", "-c", (f"rm -rf '{out}/p' && {' '.join(base)} export audit {client} "
             f"--out '{out}/p'")], ROUNDS),
    }
    shutil.rmtree(out, ignore_errors=True)
    return measured


def main(sizes: list[int]) -> None:
    results = {size: rows(store_for(size)) for size in sizes}
    names = list(results[sizes[0]])
    lines = [
        (f"Measured {machine()} by `python benchmarks/evidence_bench.py "
         f"{' '.join(map(str, sizes))}`: whole processes, median ms of {ROUNDS} runs (page "
         "cache warm, caches up to date; the store committed to git once). CLIENT has about "
         "1/200 of the records."),
        "", "| command | " + " | ".join(f"{s // 1000}k records" for s in sizes) + " |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " |",
    ]
    lines.extend(f"| `{cell(name)}` | " + " | ".join(f"{results[s][name]:.0f}" for s in sizes)
                 + " |" for name in names)
    write_section("evidence", lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 100000])
