"""The baseline for `ilog search WORD`: Whoosh alone (imported as it comes), the store's
index opened, one word parsed and the best 20 documents read, as a whole process.

    python benchmarks/bare_query.py STORE WORD
"""

from __future__ import annotations

import sys

from whoosh import index, qparser


def main(folder: str, word: str) -> None:
    ix = index.open_dir(folder)
    with ix.searcher() as searcher:
        query = qparser.QueryParser("text", ix.schema).parse(word)
        for hit in searcher.search(query, limit=20):
            hit.fields()


if __name__ == "__main__":
    main(f"{sys.argv[1]}/.ilog/index", sys.argv[2])
