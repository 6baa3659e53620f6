"""Step fields in a parsed query describe one next step, as ``ilog actions`` sees it.

Each next step is its own index document, right after its record's (searchdoc.py). A query
such as ``owner:bob status:open due:<today`` must find a record one of whose steps is Bob's,
open and overdue, not a record with one step of Bob's and another overdue. So the step clauses
that a conjunction joins are gathered into one Whoosh ``NestedParent`` query (a step matching
all of them, answered by its record); a step clause under OR or NOT stands alone ("a step that
...", "no step that ..."). ``status:none`` (no next steps at all) is the record's own field.
Only index.py imports this module (it needs Whoosh); the parent query is engine.StepParent.
"""

from __future__ import annotations

from typing import Any

from ilog.derived.engine import StepParent  # first: it imports Whoosh lean

from whoosh import query as wq  # isort: skip

from ilog.derived.searchdoc import RECORD_DOC, STEP_DOC

#: Fields only step documents hold.
STEP_FIELDS = frozenset({"owner", "due", "step", "step_id", "note"})
RECORDS = wq.Term("kind", RECORD_DOC)


def records_matching(parsed: Any) -> Any:
    """The query of record documents that ``parsed`` (a user's query, parsed) means."""
    if _is_step_clause(parsed):
        return _some_step(parsed)
    return wq.And([RECORDS, _rewrite(parsed)])


def asks_about_steps(q: Any) -> bool:
    """Whether the query (as records_matching made it) has a step clause: Whoosh cannot
    estimate how many records those match (it counts their steps)."""
    return isinstance(q, StepParent) or any(asks_about_steps(c) for c in q.children())


def _rewrite(q: Any) -> Any:
    if isinstance(q, wq.And):
        steps = [c for c in q.subqueries if _is_step_clause(c)]
        rest = [_rewrite(c) for c in q.subqueries if not _is_step_clause(c)]
        if any(not isinstance(c, wq.Not) for c in steps):
            rest.append(_some_step(wq.And(steps)))
        else:  # only exclusions: no step may match any of them
            rest += [wq.Not(_some_step(c.query)) for c in steps]
        return wq.And(rest)
    if isinstance(q, wq.Not):
        return wq.Not(_some_step(q.query) if _is_step_clause(q.query) else _rewrite(q.query))
    if _is_step_clause(q):
        return _some_step(q)
    if isinstance(q, wq.CompoundQuery):
        return q.__class__([_rewrite(c) for c in q.subqueries], boost=q.boost)
    return q


def _some_step(clause: Any) -> Any:
    """Records with a next step that matches ``clause``."""
    if isinstance(clause, wq.Not):  # a lone "-owner:bob": no step of Bob's
        return wq.And([RECORDS, wq.Not(_some_step(clause.query))])
    return StepParent(RECORDS, wq.And([wq.Term("kind", STEP_DOC), clause]))


def _is_step_clause(q: Any) -> bool:
    """Whether every field ``q`` looks at belongs to next steps."""
    if isinstance(q, wq.Not):
        return _is_step_clause(q.query)
    if isinstance(q, wq.CompoundQuery):
        return bool(q.subqueries) and all(_is_step_clause(c) for c in q.subqueries)
    field = getattr(q, "fieldname", None)
    if field == "status":
        return getattr(q, "text", None) != "none"
    return field in STEP_FIELDS
