"""ilog's seam with Whoosh: everything that subclasses or patches it, in one place, so that a
Whoosh release or a switch between its distributions touches this module (and its tests,
tests/test_engine.py, one for each class's contract). The rest of ilog uses Whoosh's public
query, index and highlight API only.

- :func:`import_whoosh` imports Whoosh without two modules it would import and ilog never
  uses (~70 ms of every search).
- :class:`MarkFormatter` marks matched words in snippets.
- :class:`StepParent` is Whoosh's ``NestedParent`` (a record whose next step matches) with a
  matcher that can be skipped and asked its best score (stepquery.py).
- :class:`Where` and :class:`Flat` answer date ranges with less work (plan.py).
- :class:`Folder` is a folder's storage that can close what a failed write left open.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import types
from typing import Any


def import_whoosh() -> None:
    """Import Whoosh without two modules it imports and ilog never uses: ``urllib.request``
    (whoosh.compat, for a download helper) and ``asyncio`` (through the cached_property
    package, for async properties), ~70 of the ~120 ms every search spent importing Whoosh
    (docs/design.md). Stand-ins are offered for the import only and removed after it: a later
    ``import urllib.request`` gets the real module, and so does a call of the stand-in."""
    def urlretrieve(*args: Any, **kwargs: Any) -> Any:
        from urllib.request import urlretrieve as real  # the real one, if ever called

        return real(*args, **kwargs)  # noqa: S310 - Whoosh's own helper, never called by ilog

    request, lean = types.ModuleType("urllib.request"), types.ModuleType("cached_property")
    request.urlretrieve = urlretrieve  # type: ignore[attr-defined]
    lean.cached_property = functools.cached_property  # type: ignore[attr-defined]
    offered = [name for name, module in (("urllib.request", request), ("cached_property", lean))
               if sys.modules.setdefault(name, module) is module]
    try:
        import whoosh.reading  # noqa: F401 - the module that imports both
    finally:
        for name in offered:
            del sys.modules[name]


import_whoosh()


import_whoosh()

from whoosh import highlight, matching  # noqa: E402 - imported lean, above
from whoosh import query as wq  # noqa: E402
from whoosh.filedb.filestore import FileStorage  # noqa: E402
from whoosh.searching import SearchContext  # noqa: E402


class MarkFormatter(highlight.Formatter):
    """Marks matched words as **word** (Markdown bold), readable in JSON and on a terminal."""

    between = "..."

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"**{highlight.get_text(text, token, replace)}**"


class Folder(FileStorage):
    """An index folder that remembers the files its writers open. A commit that fails half
    way (a full disk, a file size limit) leaves them open, and cancelling the writer fails on
    the first of them: :meth:`abandon` closes them all and releases the writer's lock, so a
    long-lived process can write again and the interpreter has no failed flush to report as
    it exits."""

    def __init__(self, folder: str, written: list[Any] | None = None) -> None:
        super().__init__(folder)
        self._written = [] if written is None else written

    def create_file(self, name: str, **kwargs: Any) -> Any:
        opened = super().create_file(name, **kwargs)
        self._written.append(opened)
        return opened

    def temp_storage(self, name: str | None = None) -> Any:
        return Folder(super().temp_storage(name).folder, self._written)

    def abandon(self, writer: Any) -> None:
        """Close every file the writer opened and release its lock, whatever state the
        failure left them in (the first failure is the one to report)."""
        for opened in self._written:
            with contextlib.suppress(OSError, ValueError):
                opened.file.close()  # closes the descriptor even when its flush fails
        if not writer.is_closed and writer.writelock is not None:  # whoosh3 releases it
            with contextlib.suppress(OSError):
                writer.writelock.release()
        writer.is_closed = True


class StepParent(wq.NestedParent):
    """Whoosh's NestedParent with a matcher that can be skipped (see ParentMatcher)."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        parents = searcher._filter_to_comb(self.parents)
        child = self.child.matcher(searcher, context)
        if not parents or not child.is_active():
            return matching.NullMatcher()
        return ParentMatcher(parents, child, self.per_parent_limit, searcher.doc_count_all(),
                              self.score_fn)


class ParentMatcher(wq.NestedParent.NestedParentMatcher):
    """Whoosh 2.7.5's matcher fails when an AND (a step clause beside a word) skips it: it
    skips its children even when they are used up (ReadTooFar), and it can stop on a parent
    before the one asked for, and it cannot say how well it may score, which an OR asks. This
    one skips whole records and never lets a step clause be pruned."""

    _nextdoc: int | None

    def max_quality(self) -> float:
        return float("inf")

    def _gather(self) -> None:
        if self.child.is_active():
            super()._gather()
        else:
            self._nextdoc = None

    def skip_to(self, docnum: int) -> None:
        if self._nextdoc is None or self._nextdoc >= docnum:
            return
        if self.child.is_active() and self.child.id() < docnum:
            self.child.skip_to(docnum)
        self._gather()
        while self._nextdoc is not None and self._nextdoc < docnum:
            self.next()


class Where(wq.WrappingQuery):
    """The documents of ``child`` whose column values lie within every one of ``bounds``."""

    def __init__(self, child: Any, bounds: list[tuple[str, int, int]]) -> None:
        super().__init__(child)
        self.bounds = bounds

    def _rewrap(self, child: Any) -> Any:
        return Where(child, self.bounds)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Where) and self.child == other.child
                and self.bounds == other.bounds)

    def __hash__(self) -> int:
        return hash(self.child) ^ hash(tuple(self.bounds))

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        inner = self.child.matcher(searcher, context)
        reader = searcher.reader()
        checks = [(reader.column_reader(name), low, high) for name, low, high in self.bounds]
        return WhereMatcher(inner, checks)


class WhereMatcher(matching.WrappingMatcher):
    """Moves its child on past every document whose column values are out of bounds."""

    def __init__(self, child: Any, checks: list[tuple[Any, int, int]], boost: float = 1.0):
        super().__init__(child, boost)
        self.checks = checks
        self._settle()

    def _settle(self) -> None:
        child = self.child
        while child.is_active() and not all(low <= column[child.id()] <= high
                                            for column, low, high in self.checks):
            child.next()

    def _replacement(self, newchild: Any) -> Any:
        return WhereMatcher(newchild, self.checks, self.boost)

    def copy(self) -> Any:
        return WhereMatcher(self.child.copy(), self.checks, self.boost)

    def supports_block_quality(self) -> bool:
        return False

    def all_ids(self) -> Any:
        while self.is_active():
            yield self.id()
            self.next()

    def next(self) -> None:
        self.child.next()
        self._settle()

    def skip_to(self, docnum: int) -> None:
        self.child.skip_to(docnum)
        self._settle()


class Flat(wq.WrappingQuery):
    """A range scored alike for every document it matches, as Whoosh's constant score would,
    without reading every matching id first."""

    def __init__(self, child: Any, score: float = 1.0) -> None:
        super().__init__(child)
        self.score = score

    def _rewrap(self, child: Any) -> Any:
        return Flat(child, self.score)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        context = (context or SearchContext()).set(weighting=None)
        inner = self.child.matcher(searcher, context)
        if isinstance(inner, matching.NullMatcherClass):
            return inner
        return FlatMatcher(inner, self.score)


class FlatMatcher(matching.WrappingMatcher):
    """Every match scores the same (the boost); nothing to prune by quality."""

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return float(self.boost)

    def block_quality(self) -> float:
        return float(self.boost)

    def weight(self) -> float:
        return float(self.boost)

    def score(self) -> float:
        return float(self.boost)
