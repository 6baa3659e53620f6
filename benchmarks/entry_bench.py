"""The fixed costs people wait for: start-up, ``history --json``, ``search``, ``actions`` and
``clients`` on one store, as whole processes (``python -m ilog``), for one version of the code
or to compare several side by side.

    python benchmarks/entry_bench.py benchmarks/stores/100k
    python benchmarks/entry_bench.py OLD/src=benchmarks/stores/100k-old src=benchmarks/stores/100k

Each argument is a store, or ``[PYTHON@]SRC=STORE``: the ``src`` folder of a checkout and the
store it runs on, run by the interpreter of another virtual environment if given (one with
another typer: ``/tmp/typer29/bin/python@src=benchmarks/stores/100k``). Give each version its
own copy of the store (``cp -al`` of ``clients/`` and a copy of ``.ilog/``): versions whose
caches differ would rebuild each other's on every run. Prints a Markdown table of median ms
over ``--runs`` rounds in which every command of every version takes its turn (a warm-up
round first), so a noisy moment hits all of them alike.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from timing import timed_together

HERE = Path(__file__).resolve().parent


def biggest_client(root: Path) -> str:
    sizes = {p.name: sum(1 for _ in p.glob("*/*.md")) for p in (root / "clients").iterdir()
             if p.is_dir()}
    return max(sizes, key=lambda name: (sizes[name], name))


def commands(src: Path, root: Path, python: str = sys.executable) -> dict[str, list[str]]:
    ilog = ["env", f"PYTHONPATH={src}", python, "-m", "ilog"]
    store = [*ilog, "--store", str(root)]
    client = biggest_client(root)
    return {
        "python -c pass": ["env", f"PYTHONPATH={src}", python, "-c", "pass"],
        "python -c 'import typer'": ["env", f"PYTHONPATH={src}", python, "-c", "import typer"],
        "minimal typer app --help": [python, str(HERE / "minimal_typer.py"), "--help"],
        "ilog --version": [*ilog, "--version"],
        "ilog --help": [*ilog, "--help"],
        "ilog history CLIENT --json": [*store, "history", client, "--json"],
        "ilog history CLIENT (piped)": [*store, "history", client],
        "ilog search audit": [*store, "search", "audit"],
        "ilog search audit backup": [*store, "search", "audit backup"],
        'ilog search "audit backup"': [*store, "search", '"audit backup"'],
        "ilog search refund~": [*store, "search", "refund~"],
        "ilog search owner:tom due:<today": [*store, "search", "owner:tom due:<today"],
        "ilog search owner:bob status:open due:<today": [*store, "search",
                                                         "owner:bob status:open due:<today"],
        "ilog search date:>2026-01-01": [*store, "search", "date:>2026-01-01"],
        "ilog search client:CLIENT type:call date:[2025-01-01 to today]": [
            *store, "search", f"client:{client} type:call date:[2025-01-01 to today]"],
        "ilog actions --json": [*store, "actions", "--json"],
        "ilog clients": [*store, "clients"],
    }


def references(number: int, store: Path) -> dict[str, list[str]]:
    """The reference tools on ``store``: rg listing the files with the word, Whoosh alone."""
    return {f"{number} `rg -l -i -w audit clients`": ["rg", "-l", "-i", "-w", "audit",
                                                      str(store / "clients")],
            f"{number} `bare Whoosh query audit`": [sys.executable,
                                                    str(HERE / "bare_query.py"), str(store),
                                                    "audit"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="+", metavar="[[PYTHON@]SRC=]STORE")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--only", default="", help="only the commands whose name holds this")
    parser.add_argument("--references", action="store_true",
                        help="also time rg and a bare Whoosh query on each store")
    args = parser.parse_args()
    versions = []
    for text in args.versions:
        where, _, store = text.rpartition("=")
        python, _, src = where.rpartition("@")
        versions.append((Path(src or HERE.parent / "src").resolve(), Path(store).resolve(),
                         python or sys.executable))
    everything = {f"{number} {name}": command
                  for number, (src, store, python) in enumerate(versions)
                  for name, command in commands(src, store, python).items() if args.only in name}
    if args.references:
        for number, (_, store, _) in enumerate(versions):
            everything.update(references(number, store))
    medians = dict(timed_together(everything, args.runs))
    print("| command | " + " | ".join(
        f"{os.path.relpath(src)}{'' if python == sys.executable else f' ({python})'} ms"
        for src, _, python in versions) + " |")
    print("| --- |" + " ---: |" * len(versions))
    names = [n for n in commands(*versions[0]) if args.only in n]
    names += [n.split(" ", 1)[1] for n in everything if n.startswith("0 ") and "`" in n]
    for name in names:
        cells = [f"{medians[str(number) + ' ' + name]:.0f}" for number in range(len(versions))]
        shown = name if name.startswith("`") else f"`{name}`"
        print(f"| {shown} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
