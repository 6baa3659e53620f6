"""Marshal shards or SQLite for the client cache? The same entries, read and written both ways.

    python benchmarks/cache_format_bench.py benchmarks/stores/100k

Reads the store's client cache (run any ilog command over every client first, e.g. ``ilog
clients``), copies its entries into an SQLite database with one row per file and one per
client summary (the shape a SQLite cache would have), then times, in fresh processes, what
commands do: load every summary (actions, clients), load the biggest client's entries
(history), and store one changed file of it (the update after a change). Prints a Markdown
table of medians in ms.
"""

from __future__ import annotations

import marshal
import sqlite3
import statistics
import subprocess
import sys
from pathlib import Path

from ilog.derived import cachedir, clientcache
from ilog.store.layout import Store

RUNS = 9
DB = "cache.sqlite"
SCHEMA = """
CREATE TABLE files (client TEXT, path TEXT PRIMARY KEY, stamp BLOB, entry BLOB);
CREATE INDEX files_client ON files (client);
CREATE TABLE summaries (client TEXT PRIMARY KEY, data BLOB);
"""
TASKS = {
    "marshal": {
        "import": "import marshal, struct",
        "all summaries": "[clientcache.load_summary(home, s) for s in slugs]",
        "one client": "clientcache.load_shard(home, big)",
        "store one change": "clientcache.save_shard(home, clientcache.load_shard(home, big))",
    },
    "sqlite": {
        "import": "import sqlite3",
        "all summaries": ("import marshal, sqlite3\n"
                          "db = sqlite3.connect(str(home / 'cache.sqlite'))\n"
                          "[marshal.loads(d) for (d,) in db.execute("
                          "'SELECT data FROM summaries')]"),
        "one client": ("import marshal, sqlite3\n"
                       "db = sqlite3.connect(str(home / 'cache.sqlite'))\n"
                       "[(p, marshal.loads(s), marshal.loads(e)) for p, s, e in db.execute("
                       "'SELECT path, stamp, entry FROM files WHERE client = ?', (big,))]"),
        "store one change": ("import marshal, sqlite3\n"
                             "db = sqlite3.connect(str(home / 'cache.sqlite'))\n"
                             "with db:\n"
                             "    (p, s, e), = db.execute('SELECT path, stamp, entry FROM files "
                             "WHERE client = ? LIMIT 1', (big,))\n"
                             "    db.execute('REPLACE INTO files VALUES (?, ?, ?, ?)', "
                             "(big, p, s, e))\n"
                             "    (d,), = db.execute('SELECT data FROM summaries WHERE client = ?',"
                             " (big,))\n"
                             "    db.execute('REPLACE INTO summaries VALUES (?, ?)', (big, d))"),
    },
}


def build_database(store: Store) -> tuple[Path, list[str], str]:
    home = cachedir.home(store)
    slugs = sorted(p.name[:-len(clientcache.SUFFIX)]
                   for p in (home / clientcache.FOLDER).glob(f"*{clientcache.SUFFIX}"))
    shards = {slug: clientcache.load_shard(home, slug) for slug in slugs}
    big = max(slugs, key=lambda s: len(shards[s].stamps))  # type: ignore[union-attr]
    (home / DB).unlink(missing_ok=True)
    db = sqlite3.connect(str(home / DB))
    db.executescript(SCHEMA)
    with db:
        for slug, shard in shards.items():
            assert shard is not None
            for path, stamp in shard.stamps.items():
                entry = shard.records.get(path) or shard.events.get(path) or shard.profile
                db.execute("INSERT INTO files VALUES (?, ?, ?, ?)",
                           (slug, path, marshal.dumps(stamp), marshal.dumps(entry)))
            db.execute("INSERT INTO summaries VALUES (?, ?)",
                       (slug, marshal.dumps(clientcache._summarize(shard))))
    db.close()
    return home, slugs, big


def timed(home: Path, slugs: list[str], big: str, code: str) -> float:
    setup = ("import time\nfrom pathlib import Path\n"
             "from ilog.derived import clientcache\n"
             f"home = Path({str(home)!r}); slugs = {slugs!r}; big = {big!r}\n")
    program = setup + "start = time.perf_counter()\n" + code + \
        "\nprint((time.perf_counter() - start) * 1000)"
    samples = [float(subprocess.run([sys.executable, "-c", program], capture_output=True,
                                    text=True, check=True).stdout) for _ in range(RUNS)]
    return statistics.median(samples)


def main(root: Path) -> None:
    home, slugs, big = build_database(Store(root))
    print(f"| task ({len(slugs)} clients; biggest: {big}) | marshal shards | SQLite |")
    print("| --- | ---: | ---: |")
    for task in TASKS["marshal"]:
        cells = [timed(home, slugs, big, TASKS[kind][task]) for kind in ("marshal", "sqlite")]
        print(f"| {task} | {cells[0]:.1f} | {cells[1]:.1f} |")
    sizes = (sum(p.stat().st_size for p in (home / clientcache.FOLDER).glob("*.cache")),
             (home / DB).stat().st_size)
    print(f"| size on disk (MB) | {sizes[0] / 1e6:.0f} | {sizes[1] / 1e6:.0f} |")
    (home / DB).unlink()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
