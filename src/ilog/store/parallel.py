"""Work over many files, spread over one process per CPU when there is enough of it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TypeVar

from ilog.model import Progress
from ilog.store import portable

Item = TypeVar("Item")
Found = TypeVar("Found")

#: Below this many items, one process beats starting workers.
THRESHOLD = 4000


def map_chunks(job: Callable[[list[Item]], list[Found]], items: list[Item], *,
               progress: Progress | None = None) -> list[Found]:
    """``job`` of every chunk of ``items``, concatenated in order; worker processes (forked,
    so ``job`` need not be picklable beyond its arguments) when there are many items;
    ``progress(done, total)`` after each chunk."""
    workers = os.cpu_count() or 1
    size = max(500, -(-len(items) // (workers * 8)))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    context = portable.fork_context()
    if len(items) < THRESHOLD or workers < 2 or context is None:
        return _collect(map(job, chunks), chunks, progress)
    from concurrent.futures import ProcessPoolExecutor  # ~10 ms: only for large stores

    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return _collect(pool.map(job, chunks), chunks, progress)


def _collect(results: Iterable[list[Found]], chunks: list[list[Item]],
             progress: Progress | None) -> list[Found]:
    """Results of every chunk, in order, reporting progress as chunks finish."""
    found: list[Found] = []
    done, total = 0, sum(len(c) for c in chunks)
    for chunk, part in zip(chunks, results, strict=True):
        found += part
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    return found
