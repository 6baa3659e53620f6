"""Where one `ilog search` spends its time: the steps of a search, timed in one fresh process.

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
    from ilog.derived import listing

    listing.prefetch(root)
    step("start the listing (find)")
    import typer  # noqa: F401 - timed on purpose

    from ilog.cli import main  # noqa: F401
    step("import typer and the CLI")
    from ilog.derived import query
    from ilog.derived.index import SearchIndex
    from ilog.ops import search
    from ilog.store.layout import Store
    step("import whoosh and the search modules")
    store = Store(root)
    now = listing.listing(store)
    step("wait for the listing")
    same = now == (store.derived_dir / listing.LISTING).read_bytes()
    step(f"compare with the saved listing (same: {same})")
    index = SearchIndex(store.derived_dir / "index")
    index.usable()
    step("open the index")
    _, total = index.search(query.rewrite(words, resolve_client=str), limit=20,
                            by_date=False, text_of=lambda p: search._text_of(store, p))
    step(f"query and 20 snippets ({total} matches)")
    previous = started
    for label, moment in steps:
        print(f"{(moment - previous) * 1000:7.1f} ms  {label}")
        previous = moment
    print(f"{(previous - started) * 1000:7.1f} ms  in all, after the interpreter started")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), " ".join(sys.argv[2:]))
