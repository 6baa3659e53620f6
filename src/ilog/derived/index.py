"""The Whoosh search index: schema, build, update, query. It never reads record files; the
service hands it documents (see searchdoc.py) and the text to highlight.

Only the search commands import this module (Whoosh costs ~140 ms to import).
Every segment is written with ``compound=False``: a compound segment is copied whole into the
memory of every process that opens it (500 MB and 455 ms for a query on 100k records, against
31 MB and 248 ms without).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from whoosh import analysis, fields, highlight, index, qparser

from ilog.errors import QueryError, SearchIndexError
from ilog.model import TAMPERED

#: Bump when the schema or the documents change: an index of another version is rebuilt.
SCHEMA_VERSION = 7
VERSION_FILE = "ilog-schema-version"
FREE_TEXT = "text"


@dataclass
class Hit:
    """One search result, as stored in the index."""

    path: str
    id: str
    client: str
    type: str
    date: str
    title: str
    score: float | None
    snippet: str = ""
    #: The state of the file's seal when the hit was shown (seal.py); "" if unknown.
    seal_state: str = ""

    @property
    def tampered(self) -> bool:
        return self.seal_state in TAMPERED


def schema() -> Any:
    """What the index holds. Words are folded to plain letters (accents dropped: ``lodz``
    finds Łódź, ``muller`` Müller) before stemming; queries go through the same analysers."""
    from whoosh.support.charset import accent_map

    fold = analysis.CharsetFilter(accent_map)
    stem = analysis.StemmingAnalyzer() | fold
    words = analysis.SimpleAnalyzer() | fold
    return fields.Schema(
        path=fields.ID(stored=True, unique=True), id=fields.ID(stored=True),
        client=fields.ID(stored=True), type=fields.ID(stored=True),
        date=fields.NUMERIC(int, bits=32), when=fields.NUMERIC(int, bits=64, sortable=True),
        shown_date=fields.STORED, sha=fields.STORED,
        title=fields.TEXT(analyzer=stem, stored=True), participant=fields.TEXT(analyzer=words),
        author=fields.TEXT(analyzer=words), owner=fields.KEYWORD(lowercase=True),
        due=fields.NUMERIC(int, bits=32), tag=fields.KEYWORD(lowercase=True, commas=True),
        case=fields.ID, ref=fields.KEYWORD(lowercase=True, commas=True),
        decision=fields.TEXT(analyzer=stem), step=fields.TEXT(analyzer=stem),
        step_id=fields.KEYWORD, status=fields.ID, text=fields.TEXT(analyzer=stem),
    )


Writer = TypeVar("Writer", bound=Callable[..., None])


def _writes(method: Writer) -> Writer:
    """A method that writes the index: a full disk, a file size limit or a permission is one
    clear error."""
    @functools.wraps(method)
    def writing(self: SearchIndex, *args: Any, **kwargs: Any) -> None:
        try:
            method(self, *args, **kwargs)
        except OSError as exc:
            raise SearchIndexError(f"cannot write the search index in {self.folder}: "
                                   f"{exc.strerror or exc}; free some space (or check the "
                                   "folder's permissions) and run the command again: the "
                                   "index heals itself") from None

    return writing  # type: ignore[return-value]


class SearchIndex:
    """The index folder and what can be done with it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def usable(self) -> bool:
        """An index of this schema version is there and opens."""
        try:
            version = (self.folder / VERSION_FILE).read_text().strip()
        except OSError:
            return False
        if version != str(SCHEMA_VERSION):
            return False
        try:
            self._open().close()
        except Exception:  # noqa: BLE001 - any damage means: rebuild
            return False
        return True

    def _open(self) -> Any:
        return index.open_dir(str(self.folder))

    @_writes
    def build(self, documents: Iterable[dict[str, object]], *, procs: int = 1) -> None:
        """A new index of ``documents``, built aside and then swapped in whole. Folders a
        killed build left behind (with the words of records, perhaps erased ones since) go
        first: builds hold the index lock, so no other is running."""
        for left in self.folder.parent.glob(f"{self.folder.name}.new-*"):
            shutil.rmtree(left, ignore_errors=True)
        fresh = self.folder.with_name(f"{self.folder.name}.new-{os.getpid()}")
        fresh.mkdir(parents=True)
        ix = index.create_in(str(fresh), schema())
        options: dict[str, Any] = {"limitmb": 128}
        if procs > 1:
            options.update(procs=procs, multisegment=True, subargs={"compound": False})
        writer = ix.writer(compound=False, **options)
        try:
            try:
                for document in documents:
                    writer.add_document(**_stored(document))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            (fresh / VERSION_FILE).write_text(str(SCHEMA_VERSION))
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)  # no half index, no words left behind
            raise
        self._swap_in(fresh)

    def _swap_in(self, fresh: Path) -> None:
        old = self.folder.with_name(f"{self.folder.name}.old-{os.getpid()}")
        if self.folder.exists():
            os.replace(self.folder, old)
        os.replace(fresh, self.folder)
        shutil.rmtree(old, ignore_errors=True)

    @_writes
    def update(self, documents: list[dict[str, object]], removed: list[str]) -> None:
        """Replace the documents of these paths and delete those of ``removed``."""
        ix = self._open()
        writer = ix.writer(compound=False)
        try:
            for path in removed:
                writer.delete_by_term("path", path)
            for document in documents:
                writer.update_document(**_stored(document))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        ix.close()

    def search(self, query_text: str, *, limit: int, by_date: bool,
               text_of: Callable[[str], str]) -> tuple[list[Hit], int, bool]:
        """The best (or newest) ``limit`` hits, how many there are in all, and whether that
        count is exact (Whoosh may only estimate it)."""
        ix = self._open()
        parser = qparser.QueryParser(FREE_TEXT, ix.schema)
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.add_plugin(qparser.GtLtPlugin())
        try:
            query = parser.parse(query_text)
        except Exception as exc:  # noqa: BLE001 - whoosh raises assorted errors
            raise QueryError(f"cannot read the query: {exc}") from None
        with ix.searcher() as searcher:
            options: dict[str, Any] = {"limit": limit}
            if by_date:
                options.update(sortedby="when", reverse=True)
            results = searcher.search(query, **options)
            results.formatter = _MarkFormatter()
            results.fragmenter = highlight.ContextFragmenter(maxchars=160, surround=50)
            hits = [_hit(hit, text_of, scored=not by_date) for hit in results]
            exact = results.has_exact_length()
            total = len(results) if exact else results.estimated_length()
        ix.close()
        return hits, total, exact

    @_writes
    def compact(self) -> None:
        """Rewrite the index into one segment: Whoosh keeps deleted documents' words on disk
        until their segment is merged, and erased data must leave no trace."""
        ix = self._open()
        ix.writer(compound=False).commit(optimize=True)
        ix.close()

    def hashes(self, paths: list[str]) -> dict[str, str]:
        """The SHA-256 stored for each of ``paths`` that is in the index."""
        if not paths:
            return {}
        ix = self._open()
        with ix.searcher() as searcher:
            found = {path: searcher.document(path=path) for path in paths}
        ix.close()
        return {path: fields.get("sha", "") for path, fields in found.items() if fields}

    def paths(self) -> Iterator[str]:
        """Every path in the index (for checks and tests)."""
        ix = self._open()
        with ix.searcher() as searcher:
            yield from (fields["path"] for fields in searcher.all_stored_fields())
        ix.close()


def _stored(document: dict[str, object]) -> dict[str, object]:
    return {**document, "shown_date": document.get("shown_date", ""),
            "sha": document.get("sha", "")}


def _hit(hit: Any, text_of: Callable[[str], str], *, scored: bool) -> Hit:
    stored = hit.fields()
    snippet = ""
    with contextlib.suppress(Exception):  # a snippet is a nicety; never fail a search on it
        snippet = hit.highlights(FREE_TEXT, text=text_of(stored["path"]), top=2)
    return Hit(path=stored["path"], id=stored["id"], client=stored["client"],
               type=stored["type"], date=stored.get("shown_date", ""), title=stored["title"],
               score=round(float(hit.score), 3) if scored and hit.score else None, snippet=" … ".join(
                   " ".join(part.split()) for part in snippet.split("...")) if snippet else "")


class _MarkFormatter(highlight.Formatter):
    """Marks matched words as **word** (Markdown bold), readable in JSON and on a terminal."""

    between = "..."

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"**{highlight.get_text(text, token, replace)}**"
