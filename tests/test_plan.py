"""derived/plan.py rewrites queries so that Whoosh does less work: the rewritten query must
match exactly the documents the original matches, whatever the ranges, their open or
exclusive ends, documents without the field, and the clauses beside them."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import qparser

from conftest import DEMO
from ilog.derived.index import FREE_TEXT, SearchIndex
from ilog.derived.plan import planned
from ilog.derived.searchdoc import document
from ilog.derived.stepquery import records_matching
from ilog.store.layout import Store


@functools.cache
def demo_index() -> SearchIndex:
    """The demo store's records and steps, indexed once for this module."""
    demo = Store(DEMO)
    index = SearchIndex(Path(tempfile.mkdtemp(prefix="ilog-plan-")) / "index")
    index.build(document(demo.read(path), str(demo.relative(path)))
                for path in demo.record_paths())
    return index


def matches(query_text: str) -> Iterator[tuple[set[int], set[int]]]:
    """The documents Whoosh's own query matches, and those the planned query matches."""
    ix = demo_index()._open()
    parser = qparser.QueryParser(FREE_TEXT, ix.schema)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    with ix.searcher() as searcher:
        original: Any = records_matching(parser.parse(query_text))
        rewritten = planned(records_matching(parser.parse(query_text)), searcher.reader())
        yield (set(searcher.docs_for_query(original)),
               {hit.docnum for hit in searcher.search(rewritten, limit=None)})
    ix.close()


@functools.cache
def demo_days() -> list[int]:
    """The demo's record dates and due dates, and the days either side: where ranges start
    and end matters most."""
    demo = Store(DEMO)
    days = set()
    for path in demo.record_paths():
        for doc in document(demo.read(path), str(demo.relative(path))):
            days |= {int(doc[f]) + d for f in ("date", "due") if doc.get(f) for d in (-1, 0, 1)}
    return sorted(days)


DAYS = st.deferred(lambda: st.sampled_from(demo_days()))
BESIDE = ["", "owner:bob", "status:open", "owner:alice status:done", "invoice", "type:call",
          "client:acme-corp", "scanner OR pilot", "-owner:tom"]


@st.composite
def ranges(draw: st.DrawFn) -> str:
    field = draw(st.sampled_from(["date", "due"]))
    start, end = sorted([draw(DAYS), draw(DAYS)])
    opening, closing = draw(st.sampled_from("[{")), draw(st.sampled_from("]}"))
    low = "" if draw(st.booleans()) else str(start)
    high = "" if draw(st.booleans()) and low else str(end)
    return f"{field}:{opening}{low} TO {high}{closing}"


@settings(max_examples=150, deadline=None)
@given(ranges(), st.lists(ranges(), max_size=1), st.sampled_from(BESIDE))
def test_planned_ranges_match_what_whoosh_matches(first: str, more: list[str],
                                                  beside: str) -> None:
    for original, rewritten in matches(" ".join([first, *more, beside])):
        assert rewritten == original


def test_planned_patterns_match_what_whoosh_matches() -> None:
    for text in ["scannr~", "invoi*", "in?oice", "owner:b*", "scannr~ date:[20260101 TO]",
                 "owner:raz~ due:[TO 20261130}", "pilot~2 -owner:tom"]:
        for original, rewritten in matches(text):
            assert rewritten == original, text


# -- the scan that answers while the index is built (derived/scan.py) ----------------------

@functools.cache
def demo_records() -> list[tuple[str, list[dict[str, Any]], str]]:
    """(id, documents, folded text of the file) of every demo record (no completions)."""
    from ilog.derived.scan import fold

    demo = Store(DEMO)
    found = []
    for path in demo.record_paths():
        docs = document(demo.read(path), str(demo.relative(path)))
        found.append((str(docs[0]["id"]), docs, fold(path.read_text(encoding="utf-8"))))
    return found


def index_ids(query_text: str) -> set[str]:
    from ilog.derived.index import parsed

    ix = demo_index()._open()
    with ix.searcher() as searcher:
        found = {searcher.stored_fields(n)["id"]
                 for n in searcher.docs_for_query(parsed(query_text, ix.schema))}
    ix.close()
    return found


WORDS = ["invoice", "scanner", "pilot", "renew", "credit", "budget", "quote", "sent",
         "disputed", "overflow", "zebra", "checklist", "daily", "priority", "discovery",
         "nightly", "quarterly"]  # stems that end otherwise than the word: daili, prioriti
CLAUSES = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(WORDS).map(lambda w: f"{w[:4]}*"),
    st.sampled_from(WORDS).map(lambda w: f"{w[:-1]}x~"),
    st.sampled_from(["owner:bob", "owner:alice", "status:open", "status:done", "status:none",
                     "type:call", "type:email", "client:acme-corp", "tag:billing",
                     "title:pilot", "decision:renew", "participant:jane", "step:send"]),
    ranges(),
    st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)).map(lambda p: f'"{p[0]} {p[1]}"'))


@st.composite
def queries(draw: st.DrawFn, depth: int = 2) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(CLAUSES)
    left, right = draw(queries(depth - 1)), draw(queries(depth - 1))
    joint = draw(st.sampled_from([" ", " OR ", " AND NOT ", " -"]))
    return f"({left}{joint}{right})" if joint != " -" else f"{left} -{right.lstrip('(')}" \
        if not right.startswith("(") else f"{left} NOT {right}"


@settings(max_examples=150, deadline=None)
@given(queries())
def test_the_scan_matches_what_the_index_matches(query_text: str) -> None:
    from ilog.derived.scan import Scan

    scan = Scan(query_text, "en")
    scanned = {record for record, docs, _ in demo_records() if scan.matches(docs)}
    assert scanned == index_ids(query_text), query_text
    for record, _, text in demo_records():  # the quick test never drops a match
        assert record not in scanned or scan.may_match(text), (query_text, record)


@settings(max_examples=100, deadline=None)
@given(ranges(), st.sampled_from(BESIDE))
def test_the_scan_matches_ranges_as_the_index_does(a_range: str, beside: str) -> None:
    test_the_scan_matches_what_the_index_matches.hypothesis.inner_test(f"{a_range} {beside}")
