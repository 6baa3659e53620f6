"""Answering a query by reading the files, while the index is being built (a fresh clone's
first search would otherwise wait a minute at 10k records, ten at 100k).

The query is parsed and rewritten exactly as for the index (index.parsed), then evaluated
against each record's documents (searchdoc.document), analysed by the same schema: the same
records match. What differs: the hits come newest first (there are no index statistics to
score relevance by). A cheap test on the file's lower-cased text first skips the records
that cannot match (``Scan.may_match``), so only those are parsed and analysed.
Only ops/search.py uses this module; it imports Whoosh (like index.py).
"""

from __future__ import annotations

import fnmatch
from typing import Any

from ilog.derived.engine import MarkFormatter  # first: it imports Whoosh lean

from whoosh import fields, highlight  # isort: skip
from whoosh import query as wq  # isort: skip
from whoosh.support.charset import accent_map  # isort: skip
from whoosh.support.levenshtein import distance  # isort: skip

from ilog.derived.index import FREE_TEXT, parsed, schema, snippet

Document = dict[str, object]
#: Fields whose words are not in the record file (completion state, derived values).
_NOT_IN_FILE = frozenset({"kind", "status", "note", "voided", "date", "due", "when"})


class UnsupportedQuery(Exception):
    """A query the scan cannot evaluate (the caller then waits for the index)."""


class Scan:
    """One query, evaluated record by record."""

    def __init__(self, query_text: str, language: str) -> None:
        self.schema = schema(language)
        self.query = parsed(query_text, self.schema)
        self._needs = _needs(self.query, self.schema)
        #: Whether the records' step events can change the answer (the free text holds
        #: their notes; status and note describe them; they move owners and due dates).
        self.asks_about_steps = bool(_fields(self.query)
                                     & {FREE_TEXT, "status", "note", "owner", "due"})

    def may_match(self, folded: str) -> bool:
        """Whether a record whose file (and completion notes) read ``folded`` (lower case,
        accents folded: see ``fold``) could match; False only when it cannot."""
        return _holds(self._needs, folded)

    def matches(self, documents: list[Document]) -> bool:
        """Whether the record of ``documents`` (its own, then its steps') matches."""
        return _Record(self.schema, documents).matches(self.query)

    def snippet(self, text: str) -> str:
        """The free words of the query marked in ``text``, as the index's snippets are."""
        words = {w for field, w in self.query.all_terms() if field == FREE_TEXT}
        if not words:
            return ""
        marked = highlight.highlight(
            text, frozenset(str(w) for w in words), self.schema[FREE_TEXT].analyzer,
            highlight.ContextFragmenter(maxchars=160, surround=50), MarkFormatter(), top=2)
        return snippet(marked)


def fold(text: str) -> str:
    """``text`` as ``may_match`` wants it: lower case, accents folded as the index folds them."""
    return text.lower().translate(accent_map)


class _Record:
    """A record's documents and, made as they are needed, their words field by field."""

    def __init__(self, index_schema: Any, documents: list[Document]) -> None:
        self.schema = index_schema
        self.documents = documents
        self._words: dict[tuple[int, str], list[Any]] = {}

    def matches(self, query: Any, doc: int = 0) -> bool:
        if isinstance(query, wq.NestedParent):
            return any(self.matches(query.child, n) for n in range(1, len(self.documents)))
        if isinstance(query, wq.And):
            return all(self.matches(part, doc) for part in query.subqueries)
        if isinstance(query, (wq.Or, wq.DisjunctionMax)):
            return any(self.matches(part, doc) for part in query.subqueries)
        if isinstance(query, wq.Not):
            return not self.matches(query.query, doc)
        if isinstance(query, wq.AndNot):
            return self.matches(query.a, doc) and not self.matches(query.b, doc)
        if isinstance(query, (wq.AndMaybe, wq.Require)):
            return self.matches(query.a, doc)
        if isinstance(query, wq.WrappingQuery):
            return self.matches(query.child, doc)
        if isinstance(query, wq.Every):
            return True
        if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
            return False
        return self._leaf(query, doc)

    def _leaf(self, query: Any, doc: int) -> bool:
        words = self.words(doc, query.fieldname)
        if isinstance(query, wq.NumericRange):
            return bool(words) and _within(words[0], query)
        if isinstance(query, wq.Term):
            text = query.text
            if isinstance(self.schema[query.fieldname], fields.NUMERIC):
                text = self.schema[query.fieldname].from_bytes(text)
            return text in words
        if isinstance(query, wq.Phrase):
            return _phrase(words, query.words, query.slop)
        if isinstance(query, wq.FuzzyTerm):
            prefix = query.text[:query.prefixlength]
            return any(w.startswith(prefix) and distance(w, query.text) <= query.maxdist
                       for w in words)
        if isinstance(query, wq.Prefix):
            return any(w.startswith(query.text) for w in words)
        if isinstance(query, wq.Wildcard):
            return any(fnmatch.fnmatchcase(w, query.text) for w in words)
        raise UnsupportedQuery(type(query).__name__)

    def words(self, doc: int, field: str) -> list[Any]:
        """The words of a document's field as the index holds them (a number's value)."""
        key = (doc, field)
        if key not in self._words:
            value = self.documents[doc].get(field)
            if value in (None, "") or field not in self.schema:
                self._words[key] = []
            elif isinstance(self.schema[field], fields.NUMERIC):
                self._words[key] = [value]
            else:
                analyzer = self.schema[field].analyzer
                self._words[key] = [t.text for t in analyzer(str(value), mode="index")]
        return self._words[key]


def _within(value: int, query: Any) -> bool:
    if query.start is not None and (value < query.start
                                    or (query.startexcl and value == query.start)):
        return False
    return query.end is None or not (value > query.end or (query.endexcl and value == query.end))


def _phrase(words: list[str], wanted: list[str], slop: int) -> bool:
    """``wanted`` in order, each within ``slop`` words of the one before."""
    starts = [i for i, w in enumerate(words) if w == wanted[0]] if wanted else []
    for start in starts:
        at = start
        for word in wanted[1:]:
            at = next((i for i in range(at + 1, min(at + slop + 1, len(words)))
                       if words[i] == word), -1)
            if at < 0:
                break
        else:
            return True
    return False


def _fields(query: Any) -> set[str]:
    """Every field ``query`` looks at."""
    own = {query.fieldname} if getattr(query, "fieldname", None) else set()
    return own.union(*(_fields(part) for part in query.children()))


#: What a file's text must hold to match, as a tree (picklable, for worker processes):
#: ("all", [needs]), ("any", [needs]) or ("words", [pieces of text]).
Need = tuple[str, list[Any]]
NOTHING: Need = ("any", [])  # no text will do
ANYTHING: Need = ("words", [])  # every text will do


def _holds(need: Need, text: str) -> bool:
    how, parts = need
    if how == "all":
        return all(_holds(part, text) for part in parts)
    if how == "any":
        return any(_holds(part, text) for part in parts)
    return all(piece in text for piece in parts)


def _needs(query: Any, index_schema: Any) -> Need:
    """What every record matching ``query`` holds in its file's folded text (often what
    many that do not hold too, never less than one that does: only a word's beginning)."""
    if isinstance(query, wq.NestedParent):
        return _needs(query.child, index_schema)
    if isinstance(query, wq.And):
        return ("all", [_needs(part, index_schema) for part in query.subqueries])
    if isinstance(query, (wq.Or, wq.DisjunctionMax)):
        return ("any", [_needs(part, index_schema) for part in query.subqueries])
    if isinstance(query, (wq.AndNot, wq.AndMaybe, wq.Require)):
        return _needs(query.a, index_schema)
    if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
        return NOTHING
    return ("words", _words_needed(query, index_schema))


def _words_needed(query: Any, index_schema: Any) -> list[str]:
    """Pieces of text a file must hold to match a leaf query ([] if nothing can be said).
    A stemmed word may end otherwise in the file (``happi`` for happy): its last two letters
    are not asked for."""
    field = getattr(query, "fieldname", None)
    if field is None or field in _NOT_IN_FILE or field not in index_schema:
        return []
    stemmed = isinstance(index_schema[field], fields.TEXT)
    if isinstance(query, wq.Term) and isinstance(query.text, str):
        return [fold(query.text[:max(1, len(query.text) - 2)] if stemmed else query.text)]
    if isinstance(query, wq.Phrase):
        return [fold(w[:max(1, len(w) - 2)]) for w in query.words if isinstance(w, str)]
    if isinstance(query, wq.Prefix):
        return [fold(query.text[:max(1, len(query.text) - 2)] if stemmed else query.text)]
    return []
