"""How a parsed query is run: rewritten, once per search, into queries Whoosh answers with less
work. Only index.py imports this module (it needs Whoosh); the queries it makes are engine.py's.

- A fuzzy, prefix or wildcard word is replaced by the index's words it stands for, found once:
  Whoosh would find them again for the matcher, for the count's estimate and, for the
  snippets, once per hit (at 100k records, ``refund~`` took 3.4 s, 2.7 of them expanding).
- A date range beside other clauses (``owner:bob due:<today``, ``audit date:>2026-01-01``)
  is checked against each candidate's value in the field's column instead of being matched
  as the union of its trie terms: the other clauses say which documents to look at.
- A range alone is matched through its terms, each match scored alike (Whoosh's constant
  score would first read every matching id).
"""

from __future__ import annotations

from typing import Any

from ilog.derived.engine import Flat, Where  # first: it imports Whoosh lean

from whoosh import query as wq  # isort: skip

PATTERNS = (wq.FuzzyTerm, wq.Prefix, wq.Wildcard)


def planned(query: Any, reader: Any) -> Any:
    """``query`` rewritten for ``reader``'s index (same matches, same order of scores)."""
    if isinstance(query, wq.NestedParent):
        return query.__class__(query.parents, planned(query.child, reader))
    if isinstance(query, PATTERNS):
        return _words_of(query, reader)
    if isinstance(query, wq.NumericRange) and query.constantscore:
        query.constantscore = False
        return Flat(query, query.boost)
    if isinstance(query, wq.And):
        ranges = [part for part in query.subqueries if _in_column(part, reader)]
        others = [planned(part, reader) for part in query.subqueries if part not in ranges]
        if ranges and any(not _broad(part) for part in others):
            return Where(others[0] if len(others) == 1 else wq.And(others, boost=query.boost),
                          [_bounds(part, reader) for part in ranges])
    return query.apply(lambda part: planned(part, reader))


def _broad(query: Any) -> bool:
    """Whether ``query`` only says which kind of document (every record, every step): a
    range beside it is faster matched through its own terms."""
    return isinstance(query, wq.Term) and query.fieldname == "kind"


def _words_of(query: Any, reader: Any) -> Any:
    """The words a fuzzy, prefix or wildcard term stands for, as Whoosh's matcher would
    join them: one term query each, scores constant for a prefix or wildcard."""
    if isinstance(query, wq.FuzzyTerm):  # 'word~/9': Whoosh fails on a prefix beyond the word
        query.prefixlength = min(query.prefixlength, len(query.text))
    words = sorted({text for _, text in query.expanded_terms(reader)})
    if not words or query.fieldname not in reader.schema:
        return wq.NullQuery
    field = reader.schema[query.fieldname]
    terms = [wq.Term(query.fieldname, text if isinstance(text, str) else field.from_bytes(text))
             for text in words]  # fuzzy terms come as text, the others as bytes
    either = terms[0] if len(terms) == 1 else wq.Or(terms)
    return wq.ConstantScoreQuery(either, query.boost) if query.constantscore else either


def _in_column(query: Any, reader: Any) -> bool:
    """Whether ``query`` is a numeric range over a field whose values are in a column."""
    return (isinstance(query, wq.NumericRange) and query.fieldname in reader.schema
            and reader.schema[query.fieldname].column_type is not None)


def _bounds(query: Any, reader: Any) -> tuple[str, int, int]:
    """(field, lowest, highest) of a numeric range, both included. A document without the
    field holds the column's default (the type's largest value), which no range includes."""
    missing = reader.schema[query.fieldname].default
    low = -missing if query.start is None else query.start + int(bool(query.startexcl))
    high = missing - 1 if query.end is None else query.end - int(bool(query.endexcl))
    return query.fieldname, low, min(high, missing - 1)
