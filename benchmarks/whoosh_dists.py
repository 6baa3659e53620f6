"""The Whoosh distributions side by side: each in a virtual environment of its own (ilog
installed in it, then its Whoosh in place of whoosh-reloaded), each on its own copy of one
synthetic store: the index build (``ilog reindex``), the index's size, and the searches of
entry_bench.py, timed in rounds in which every distribution takes its turn.

    python benchmarks/whoosh_dists.py benchmarks/stores/10k \\
        reloaded=.venv/bin/python whoosh3=/tmp/dist-whoosh3/bin/python ...

Prints a Markdown table (docs/design.md, "Which Whoosh").
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from entry_bench import biggest_client
from timing import ENV, timed_together

QUERIES = ["audit", "audit backup", '"audit backup"', "refund~", "owner:bob status:open due:<today",
           "date:>2026-01-01", "audit -backup"]


def copy_of(store: Path, into: Path) -> Path:
    """A copy of ``store`` without its derived data (the files hard-linked)."""
    root = into / store.name
    root.mkdir(parents=True)
    subprocess.run(["cp", "-al", str(store / "clients"), str(root / "clients")], check=True)
    shutil.copy(store / "ilog.toml", root / "ilog.toml")
    return root


def build(python: str, root: Path) -> tuple[float, float]:
    """Seconds to build the index, and its size in MB."""
    started = time.perf_counter()
    subprocess.run([python, "-m", "ilog", "--store", str(root), "reindex", "--quiet"],
                   check=True, env=ENV, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in (root / ".ilog" / "index").rglob("*") if p.is_file())
    return seconds, size / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("dists", nargs="+", metavar="NAME=PYTHON")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    dists = dict(text.split("=", 1) for text in args.dists)
    work = Path(tempfile.mkdtemp(prefix="ilog-dists-"))
    roots = {name: copy_of(args.store.resolve(), work / name) for name in dists}
    built = {name: build(python, roots[name]) for name, python in dists.items()}
    client = biggest_client(roots[next(iter(dists))])
    commands = {f"{name}|{query}": [python, "-m", "ilog", "--store", str(roots[name]),
                                    "search", query, "--limit", "20"]
                for query in [*QUERIES, f"client:{client} type:call"]
                for name, python in dists.items()}
    medians = {name: f"{ms:.0f}" for name, ms in
               timed_together(commands, args.runs, failures_left_out=True)}
    print("| | " + " | ".join(dists) + " |")
    print("| --- |" + " ---: |" * len(dists))
    print("| `ilog reindex` (s) | " + " | ".join(f"{built[n][0]:.1f}" for n in dists) + " |")
    print("| index size (MB) | " + " | ".join(f"{built[n][1]:.0f}" for n in dists) + " |")
    for query in [*QUERIES, f"client:{client} type:call"]:
        shown = query.replace("|", "\\|")
        print(f"| `search {shown}` (ms) | " + " | ".join(
            medians.get(f"{n}|{query}", "fails") for n in dists) + " |")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
