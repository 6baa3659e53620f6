"""derived/engine.py, ilog's seam with Whoosh: one test for each class's contract (what ilog
counts on when it subclasses or patches Whoosh), on a small real index, so that a Whoosh
release or another distribution of it shows at once what no longer holds."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from ilog.derived.engine import Flat, MarkFormatter, StepParent, Where

from whoosh import fields, highlight, index, matching  # isort: skip
from whoosh import query as wq  # isort: skip

#: Three records, each followed by its steps (a record and its steps are one Whoosh group).
RECORDS = [
    ("r1", "audit backup", 20260101, [("bob", 20260110), ("alice", 20260120)]),
    ("r2", "audit invoice", 20260201, [("bob", 20260215)]),
    ("r3", "backup", 20260301, [("carol", 20260305), ("bob", 20260401), ("bob", 20260402)]),
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    schema = fields.Schema(id=fields.ID(stored=True), kind=fields.ID, text=fields.TEXT,
                           owner=fields.ID, date=fields.NUMERIC(sortable=True),
                           due=fields.NUMERIC(sortable=True))
    ix = index.create_in(str(tmp_path_factory.mktemp("engine")), schema)
    writer = ix.writer()
    for record, text, date, steps in RECORDS:
        with writer.group():
            writer.add_document(id=record, kind="record", text=text, date=date)
            for number, (owner, due) in enumerate(steps):
                writer.add_document(id=f"{record}-{number}", kind="step", owner=owner, due=due)
    writer.commit()
    with ix.searcher() as found:
        yield found
    ix.close()


def ids(searcher: Any, query: Any) -> set[str]:
    return {searcher.stored_fields(n)["id"] for n in searcher.docs_for_query(query)}


RECORD = wq.Term("kind", "record")


def step(*clauses: Any) -> Any:
    return StepParent(RECORD, wq.And([wq.Term("kind", "step"), *clauses]))


# -- StepParent: a record one of whose steps matches every clause -----------------------------

def test_step_parent_answers_with_the_record_whose_one_step_matches(searcher: Any) -> None:
    bobs_late = step(wq.Term("owner", "bob"), wq.NumericRange("due", 20260301, None))
    assert ids(searcher, bobs_late) == {"r3"}
    assert ids(searcher, wq.NestedParent(RECORD, wq.And([
        wq.Term("kind", "step"), wq.Term("owner", "bob"),
        wq.NumericRange("due", 20260301, None)]))) == {"r3"}  # as Whoosh's own says


def test_step_parent_can_be_skipped_beside_a_word(searcher: Any) -> None:
    """Whoosh 2.7.5's own matcher raised ReadTooFar here (an AND skips it)."""
    assert ids(searcher, wq.And([wq.Term("text", "backup"), step(wq.Term("owner", "bob"))])) \
        == {"r1", "r3"}
    assert ids(searcher, wq.And([step(wq.Term("owner", "alice")),
                                 wq.Term("text", "audit")])) == {"r1"}


def test_step_parent_says_its_best_score_to_an_or(searcher: Any) -> None:
    either = wq.Or([wq.Term("text", "invoice"), step(wq.Term("owner", "carol"))])
    assert {hit["id"] for hit in searcher.search(either, limit=None)} == {"r2", "r3"}


def test_step_parents_matcher_skips_whole_records(searcher: Any) -> None:
    matcher = step(wq.Term("owner", "bob")).matcher(searcher)
    first = matcher.id()
    matcher.skip_to(first + 1)
    assert searcher.stored_fields(matcher.id())["id"] != searcher.stored_fields(first)["id"]
    matcher.skip_to(searcher.doc_count_all())
    assert not matcher.is_active()
    assert matcher.max_quality() == float("inf")


def test_a_step_parent_with_no_child_match_is_a_null_matcher(searcher: Any) -> None:
    assert isinstance(step(wq.Term("owner", "nobody")).matcher(searcher),
                      matching.NullMatcherClass)


# -- Where: the documents of a query whose column values lie within bounds ---------------------

@pytest.mark.parametrize(("low", "high"), [(20260101, 20260201), (20260102, 20260301),
                                           (0, 20251231), (20260301, 20260301)])
def test_where_matches_what_an_and_with_the_range_matches(searcher: Any, low: int,
                                                          high: int) -> None:
    words = wq.Term("text", "audit") if low % 2 else wq.Or([wq.Term("text", "audit"),
                                                             wq.Term("text", "backup")])
    ranged = wq.And([words, wq.NumericRange("date", low, high)])
    assert ids(searcher, Where(words, [("date", low, high)])) == ids(searcher, ranged)


def test_where_is_a_value_and_its_rewrap_and_skip_keep_the_bounds(searcher: Any) -> None:
    bounds = [("date", 20260101, 20260201)]
    words = wq.Term("text", "audit")
    assert Where(words, bounds) == Where(wq.Term("text", "audit"), list(bounds))
    assert hash(Where(words, bounds)) == hash(Where(words, list(bounds)))
    assert Where(words, bounds) != Where(words, [("date", 0, 1)])
    assert Where(words, bounds).apply(lambda q: q).bounds == bounds
    later = Where(wq.Term("text", "backup"), [("date", 20260201, 20260401)])
    assert [searcher.stored_fields(n)["id"] for n in later.matcher(searcher).all_ids()] == ["r3"]
    matcher = later.matcher(searcher)
    matcher.skip_to(searcher.doc_count_all())
    assert not matcher.is_active() and not matcher.supports_block_quality()


# -- Flat: a range, every match scored alike ------------------------------------------------

def test_flat_matches_as_a_constant_score_does_and_scores_the_boost(searcher: Any) -> None:
    due = wq.NumericRange("due", 20260110, 20260401)
    flat = Flat(due, 2.5)
    assert ids(searcher, flat) == ids(searcher, wq.ConstantScoreQuery(due))
    scores = {hit.score for hit in searcher.search(flat, limit=None)}
    assert scores == {2.5}


def test_flat_over_nothing_is_a_null_matcher(searcher: Any) -> None:
    assert isinstance(Flat(wq.NumericRange("due", 0, 1)).matcher(searcher),
                      matching.NullMatcherClass)


# -- MarkFormatter: matched words as Markdown bold ------------------------------------------

def test_mark_formatter_marks_the_matched_words() -> None:
    text = "The audit of the backup ran long. " * 20 + "Then the audit ended."
    analyzer = fields.TEXT().analyzer
    marked = highlight.highlight(text, {"audit"}, analyzer,
                                 highlight.ContextFragmenter(maxchars=60, surround=10),
                                 MarkFormatter(), top=2)
    assert "**audit**" in marked and "..." in marked and "**The**" not in marked


# -- import_whoosh: Whoosh without what it would import and ilog never uses ------------------

def test_whoosh_is_imported_without_what_it_does_not_need() -> None:
    """Stand-ins for urllib.request and the cached_property package are offered while Whoosh
    imports and removed after: any later import gets the real modules."""
    code = ("import sys, ilog.derived.engine\n"
            "lean = not {'urllib.request', 'asyncio'} & set(sys.modules)\n"
            "import urllib.request, whoosh.reading\n"
            "print(lean, urllib.request.__file__ is not None,\n"
            "      whoosh.reading.SegmentReader.deleted_docs_set.__class__.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "True", "cached_property"]



def test_a_folder_abandons_a_write_that_failed_half_way(tmp_path: Any) -> None:
    """A commit that fails on a file size limit leaves Whoosh's files open and its lock
    held: Folder.abandon closes them (no failed flush reported at exit) and releases the lock
    (the same process writes again)."""
    code = (
        "import resource, sys\n"
        "from ilog.derived.engine import Folder\n"
        "from whoosh import fields\n"
        "folder = Folder(sys.argv[1])\n"
        "ix = folder.create_index(fields.Schema(text=fields.TEXT))\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))\n"
        "writer = ix.writer()\n"
        "writer.add_document(text=' '.join(f'w{n}' for n in range(20_000)))\n"
        "try:\n"
        "    writer.commit()\n"
        "except OSError as failed:\n"
        "    print(failed.strerror)\n"
        "    folder.abandon(writer)\n"
        "writer = ix.writer()\n"
        "writer.add_document(text='small')\n"
        "writer.commit()\n"
        "print(ix.doc_count())\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                          text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["File too large", "1"]
    assert done.stderr == ""
