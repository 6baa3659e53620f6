"""The fixed costs people wait for: start-up, ``history --json``, ``search`` and ``actions``
on one store, as whole processes (``python -m ilog``), to compare two versions of the code.

    python benchmarks/entry_bench.py benchmarks/stores/100k            # this checkout
    python benchmarks/entry_bench.py benchmarks/stores/100k OTHER/src  # another checkout's src

Prints one Markdown table row a command: the median ms of ``--runs`` rounds (the commands take
turns within a round; a warm-up round first). Run the two versions one after the other: their
client caches differ in version, so interleaving them would rebuild the cache every time.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from timing import ENV, timed_together


def biggest_client(root: Path) -> str:
    sizes = {p.name: sum(1 for _ in p.glob("*/*.md")) for p in (root / "clients").iterdir()
             if p.is_dir()}
    return max(sizes, key=lambda name: (sizes[name], name))


def commands(root: Path) -> dict[str, list[str]]:
    ilog = [sys.executable, "-m", "ilog"]
    store = [*ilog, "--store", str(root)]
    client = biggest_client(root)
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "ilog --version": [*ilog, "--version"],
        "ilog --help": [*ilog, "--help"],
        f"ilog history {client} --json": [*store, "history", client, "--json"],
        f"ilog history {client} (piped)": [*store, "history", client],
        "ilog search audit": [*store, "search", "audit"],
        "ilog actions --json": [*store, "actions", "--json"],
        "ilog clients": [*store, "clients"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("src", type=Path, nargs="?", help="another checkout's src folder")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    if args.src is not None:
        ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(args.src.resolve()),
                                                          ENV.get("PYTHONPATH")]))
    for name, ms in timed_together(commands(args.store.resolve()), args.runs):
        print(f"| `{name}` | {ms:.0f} |")


if __name__ == "__main__":
    main()
