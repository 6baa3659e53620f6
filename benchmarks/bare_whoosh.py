"""The baseline for `ilog reindex`: a bare Whoosh build of the same documents, parsed first
and not timed, with Whoosh's multi-process, multi-segment writer and compound=False.

    python benchmarks/bare_whoosh.py STORE  # prints seconds

(Whoosh hands a group's documents to its processes only at the end: at 100k this build
runs in one process, as ilog's did before it handed them over between records.)
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from whoosh import index

from ilog.derived.index import schema
from ilog.derived.searchdoc import document
from ilog.fileformat import codec
from ilog.store.layout import Store


def main(root: Path) -> None:
    store = Store(root)
    documents = []
    for folder, name in store.record_files():
        path = os.path.join(folder, name)
        data = Path(path).read_bytes()
        record = codec.parse(data.decode("utf-8"), path=path)
        documents.append(document(record, path))  # the record's, then its steps'

    target = Path(tempfile.mkdtemp(prefix="bare-whoosh-"))
    started = time.perf_counter()
    ix = index.create_in(str(target), schema())
    writer = ix.writer(procs=os.cpu_count() or 1, multisegment=True, limitmb=128,
                       compound=False, subargs={"compound": False})
    for group in documents:
        with writer.group():
            for fields in group:
                writer.add_document(**{k: v for k, v in fields.items() if v not in ("", None)})
    writer.commit()
    print(f"{time.perf_counter() - started:.2f}")
    shutil.rmtree(target)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
