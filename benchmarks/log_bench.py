"""``ilog log -n 10`` (the newest interactions across every client) against ``jrnl -n 10``,
and ``ilog search WORD`` against ``jrnl -contains WORD`` for a rare and a common word, on the
same interactions, as whole processes (issue 12).

    python benchmarks/log_bench.py benchmarks/stores/10k [JRNL]

JRNL is a jrnl executable (default: ``jrnl`` on PATH; ``python3 -m venv /tmp/jrnlenv &&
/tmp/jrnlenv/bin/pip install jrnl`` makes one). The store's records are written once as a
jrnl journal (``[date] title`` and the body) beside the store, with a jrnl config of its own.
Prints a Markdown table of median ms and the ratio.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from timing import timed_together

from ilog.fileformat import codec

#: A rare word of the synthetic stores (in 1 % of the records) and a common one (25 %).
WORDS = ("kanerstomi", "audit")


def journal_for(root: Path, folder: Path) -> Path:
    """A jrnl journal of every record of the store, and the config that names it."""
    journal, config = folder / "journal.txt", folder / "jrnl.yaml"
    if not journal.exists():
        entries = []
        for path in sorted(root.glob("clients/*/[0-9]*/*.md")):
            record = codec.parse(path.read_text(encoding="utf-8"), path=str(path))
            when = record.date.strftime("%Y-%m-%d %H:%M") if record.date else "2000-01-01 00:00"
            title = (record.title or record.type).replace("\n", " ")
            entries.append(f"[{when}] {title} @{record.client}\n{record.body.strip()}\n\n")
        folder.mkdir(parents=True, exist_ok=True)
        journal.write_text("".join(entries), encoding="utf-8")
    config.write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        f"indent_character: '|'\njournals: {{default: {{journal: {journal}}}}}\n"
        "linewrap: 79\ntagsymbols: '@'\ntemplate: false\ntimeformat: '%Y-%m-%d %H:%M'\n"
        "version: v4.6\n", encoding="utf-8")
    return config


def main() -> None:
    root = Path(sys.argv[1]).resolve()
    jrnl = sys.argv[2] if len(sys.argv) > 2 else shutil.which("jrnl") or "jrnl"
    config = journal_for(root, root.parent / f"{root.name}-jrnl")
    src = Path(__file__).resolve().parent.parent / "src"
    commands = {
        "ilog log -n 10": ["env", f"PYTHONPATH={src}", sys.executable, "-m", "ilog",
                           "--store", str(root), "log", "-n", "10"],
        "jrnl -n 10": [jrnl, "--config-file", str(config), "-n", "10"],
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    for word in WORDS:
        commands[f"ilog search {word}"] = [*commands["ilog log -n 10"][:-3], "search", word]
        commands[f"jrnl -contains {word}"] = [jrnl, "--config-file", str(config),
                                              "-contains", word]
    medians = dict(timed_together(commands, runs=int(os.environ.get("RUNS", "7"))))
    print("| command | median ms |\n| --- | ---: |")
    for name, ms in medians.items():
        print(f"| `{name}` | {ms:.0f} |")
    print(f"\nilog log / jrnl: {medians['ilog log -n 10'] / medians['jrnl -n 10']:.2f}x")
    for word in WORDS:
        ratio = medians[f"ilog search {word}"] / medians[f"jrnl -contains {word}"]
        print(f"ilog search {word} / jrnl -contains {word}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
