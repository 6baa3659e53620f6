"""Where one `ilog search` spends its time: the steps it takes, timed in one fresh process
(the same calls `ilog search QUERY` makes, in the same order).

    python benchmarks/search_breakdown.py benchmarks/stores/100k audit
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

started = time.perf_counter()
steps: list[tuple[str, float]] = []


def step(label: str) -> None:
    steps.append((label, time.perf_counter()))


def main(root: Path, words: str) -> None:
    from ilog.cli import app, registry  # noqa: F401 - timed on purpose
    step("import the command line")
    from ilog.derived import listing

    ahead = listing.Prefetch(root)
    step("start the listing (find)")
    from ilog.derived import index  # noqa: F401 - timed on purpose
    step("import whoosh and the index")
    from ilog.derived import query
    from ilog.ops import search
    from ilog.store.layout import Store
    step("import the search use case")
    store = Store(root, prefetched=ahead)
    refreshed = search.refresh(store)
    step(f"wait for the listing, compare it (rebuilt: {refreshed.rebuilt or 'no'})")
    by_date = not query.has_free_text(words)
    hits, total, _ = search._query(store, refreshed, query.rewrite(words, resolve_client=str),
                                   20, by_date, False)
    step(f"query and {len(hits)} snippets ({total} matches)")
    previous = started
    for label, moment in steps:
        print(f"{(moment - previous) * 1000:7.1f} ms  {label}")
        previous = moment
    print(f"{(previous - started) * 1000:7.1f} ms  in all, after the interpreter started")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), " ".join(sys.argv[2:]))
