"""The Whoosh search index: schema, build, update, query. It never reads record files; the
service hands it documents (see searchdoc.py) and the text to highlight.

Only the search commands import this module (Whoosh costs ~70 ms to import, imported lean:
engine.import_whoosh).
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
from typing import Any, NamedTuple, TypeVar

from ilog.derived.engine import Folder, MarkFormatter  # first: it imports Whoosh lean

from whoosh import analysis, fields, highlight, qparser  # isort: skip
from whoosh import query as wq  # isort: skip
from whoosh.support.charset import accent_map  # isort: skip

from ilog.derived.plan import planned
from ilog.derived.searchdoc import RECORD_DOC
from ilog.derived.stepquery import asks_about_steps, records_matching
from ilog.errors import QueryError, SearchIndexError
from ilog.fileformat import versions
from ilog.model import TAMPERED, Progress, SealState

#: Bump when the schema or the documents change: an index of another version is rebuilt.
SCHEMA_VERSION = 11
VERSION_FILE = "ilog-schema-version"
FREE_TEXT = "text"


class IndexedSteps(NamedTuple):
    """A record's next steps as the index holds them: their ids, and their states' text
    (searchdoc.states_text)."""

    ids: list[str]
    states: str


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
    seal_state: SealState | None = None
    #: Which version of its interaction this record is (1-based), of how many.
    version: int = 1
    versions: int = 1
    #: The records that amend this one (none unless it is an earlier version).
    superseded_by: tuple[str, ...] = ()
    #: The record this one amends ("" for an original).
    amends: str = ""
    #: The record is a withdrawal (``ilog void``), or an earlier version of a withdrawn one.
    withdrawn: bool = False
    #: What to call an untitled record: the first line of its notes ("" if titled).
    first_line: str = ""

    @property
    def tampered(self) -> bool:
        return self.seal_state in TAMPERED


def schema(language: str = "en") -> Any:
    """What the index holds. Words are stemmed in the store's ``language`` (English: Porter's
    stemmer; others: Snowball's, with that language's stop words), then folded to plain
    letters (accents dropped: ``lodz`` finds Łódź, ``muller`` Müller); queries go through the
    same analysers (Whoosh keeps them in the index)."""
    fold = analysis.CharsetFilter(accent_map)
    stem = (analysis.StemmingAnalyzer() if language == "en"
            else analysis.LanguageAnalyzer(language)) | fold
    words = analysis.SimpleAnalyzer() | fold
    return fields.Schema(
        path=fields.ID(stored=True), kind=fields.ID, id=fields.ID(stored=True),
        client=fields.ID(stored=True), type=fields.ID(stored=True),
        date=fields.NUMERIC(int, bits=32, sortable=True),
        when=fields.NUMERIC(int, bits=64, sortable=True),
        shown_date=fields.STORED, sha=fields.STORED,
        title=fields.TEXT(analyzer=stem, stored=True), participant=fields.TEXT(analyzer=words),
        author=fields.TEXT(analyzer=words), owner=fields.KEYWORD(lowercase=True),
        due=fields.NUMERIC(int, bits=32, sortable=True),
        tag=fields.KEYWORD(lowercase=True, commas=True),
        case=fields.ID, ref=fields.KEYWORD(lowercase=True, commas=True),
        decision=fields.TEXT(analyzer=stem), step=fields.TEXT(analyzer=stem),
        step_id=fields.KEYWORD, status=fields.ID, note=fields.TEXT(analyzer=stem),
        amends=fields.ID(stored=True), reconciles=fields.KEYWORD, voided=fields.ID,
        steps=fields.STORED,
        done_notes=fields.STORED,
        states=fields.STORED,
        text=fields.TEXT(analyzer=stem),
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


@contextlib.contextmanager
def _abandoned_on_failure(ix: Any, writer: Any) -> Iterator[None]:
    """A write of ``writer`` (of ``ix``, opened on an engine.Folder): if adding or committing
    fails, its files are closed and its lock released (engine.Folder.abandon)."""
    try:
        yield
    except BaseException:
        ix.storage.abandon(writer)
        raise


class SearchIndex:
    """The index folder and what can be done with it."""

    def __init__(self, folder: Path, language: str = "en") -> None:
        self.folder = folder
        self.language = language

    def _version(self) -> str:
        """What the version file says of an index built now (schema version, language)."""
        return f"{SCHEMA_VERSION} {self.language}"

    def usable(self) -> bool:
        """An index of this schema version and language is there and opens."""
        try:
            version = (self.folder / VERSION_FILE).read_text().strip()
        except OSError:
            return False
        if version != self._version():
            return False
        try:
            self._open().close()
        except Exception:  # noqa: BLE001 - any damage means: rebuild
            return False
        return True

    def built(self) -> bool:
        """An index of this schema version and language was built (cheaper than usable:
        nothing is opened)."""
        try:
            return (self.folder / VERSION_FILE).read_text().strip() == self._version()
        except OSError:
            return False

    def _open(self) -> Any:
        return Folder(str(self.folder)).open_index()

    @_writes
    def build(self, records: Iterable[list[dict[str, object]]], *, procs: int = 1,
              progress: Progress | None = None) -> None:
        """A new index of ``records`` (each a record's document, then its steps'), built
        aside and then swapped in whole. Folders a
        killed build left behind (with the words of records, perhaps erased ones since) go
        first: builds hold the index lock, so no other is running."""
        for left in self.folder.parent.glob(f"{self.folder.name}.new-*"):
            shutil.rmtree(left, ignore_errors=True)
        fresh = self.folder.with_name(f"{self.folder.name}.new-{os.getpid()}")
        fresh.mkdir(parents=True)
        ix = Folder(str(fresh)).create_index(schema(self.language))
        options: dict[str, Any] = {"limitmb": 128}
        if procs > 1:
            options.update(procs=procs, multisegment=True, subargs={"compound": False})
        writer = ix.writer(compound=False, **options)
        try:
            with _abandoned_on_failure(ix, writer):
                for documents in records:
                    _add(writer, documents)
                if progress is not None:
                    progress(0, 0, "Writing the index")
                writer.commit()
            (fresh / VERSION_FILE).write_text(self._version())
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
    def update(self, records: list[list[dict[str, object]]], removed: list[str]) -> None:
        """Replace the documents of these records' paths and delete those of ``removed``."""
        ix = self._open()
        writer = ix.writer(compound=False)
        with _abandoned_on_failure(ix, writer):
            for path in [*removed, *(str(documents[0]["path"]) for documents in records)]:
                writer.delete_by_term("path", path)
            for documents in records:
                _add(writer, documents)
            writer.commit()
        ix.close()

    def search(self, query_text: str, *, limit: int, by_date: bool,
               text_of: Callable[[str], str],
               all_versions: bool = False) -> tuple[list[Hit], int, bool]:
        """The best (or newest) ``limit`` hits, how many there are in all, and whether that
        count is exact (Whoosh may only estimate it). Each interaction answers with its
        latest version, unless ``all_versions``; withdrawn ones only then."""

        ix = self._open()
        query = parsed(query_text, ix.schema)
        with ix.searcher() as searcher:
            chains = interaction_versions(searcher)
            options: dict[str, Any] = {"limit": limit}
            hidden = chains.hidden(all_versions=all_versions)
            if hidden:
                options["mask"] = wq.Or([wq.Term("id", i) for i in sorted(hidden)])
            if by_date:
                options.update(sortedby="when", reverse=True)
            results = searcher.search(planned(query, searcher.reader()), **options)
            results.formatter = MarkFormatter()
            results.fragmenter = highlight.ContextFragmenter(maxchars=160, surround=50)
            hits = [chains.mark(_hit(hit, text_of, scored=not by_date)) for hit in results]
            exact = (results.has_exact_length() or len(hits) < limit
                     or asks_about_steps(query))  # then counting is the only good answer
            total = len(hits) if len(hits) < limit else \
                len(results) if exact else results.estimated_length()
        ix.close()
        return hits, total, exact

    @_writes
    def compact(self) -> None:
        """Rewrite the index into one segment: Whoosh keeps deleted documents' words on disk
        until their segment is merged, and erased data must leave no trace."""
        ix = self._open()
        writer = ix.writer(compound=False)
        with _abandoned_on_failure(ix, writer):
            writer.commit(optimize=True)
        ix.close()

    def hashes(self, paths: list[str]) -> dict[str, str]:
        """The SHA-256 stored for each of ``paths`` that is in the index."""
        if not paths:
            return {}
        ix = self._open()
        with ix.searcher() as searcher:
            found = {path: searcher.document(path=path, kind=RECORD_DOC) for path in paths}
        ix.close()
        return {path: fields.get("sha", "") for path, fields in found.items() if fields}

    def step_states(self, client: str) -> dict[str, IndexedSteps]:
        """Path -> the steps of each of the client's records with steps, as indexed."""
        ix = self._open()
        wanted = wq.And([wq.Term("kind", RECORD_DOC), wq.Term("client", client),
                         wq.Term("status", "steps")])
        with ix.searcher() as searcher:
            found = {}
            for docnum in searcher.docs_for_query(wanted):
                stored = searcher.stored_fields(docnum)
                found[stored["path"]] = IndexedSteps(stored.get("steps", "").split(),
                                                     stored.get("states", ""))
        ix.close()
        return found

    def paths(self) -> Iterator[str]:
        """Every path in the index (for checks and tests)."""
        ix = self._open()
        with ix.searcher() as searcher:
            yield from (fields["path"] for fields in searcher.all_stored_fields()
                        if "id" in fields)
        ix.close()


def _add(writer: Any, documents: list[dict[str, object]]) -> None:
    """A record's document and its steps', kept together (nested queries need that)."""
    with writer.group():
        for document in documents:
            writer.add_document(**{k: v for k, v in document.items() if v not in ("", None)})
    # Whoosh's multi-process writer hands a batch to its processes only from add_document
    # outside a group; with every record a group it never would: all documents piled up here
    # (680 MB at 100k) and went to one process at the end (485 s against 179 s).
    waiting = getattr(writer, "docbuffer", None)
    if waiting is not None and len(waiting) >= writer.batchsize:
        writer._enqueue()


def parsed(query_text: str, index_schema: Any) -> Any:
    """The Whoosh query of record documents that ``query_text`` (as query.py rewrote it)
    means (QueryError if Whoosh cannot read it)."""
    parser = qparser.QueryParser(FREE_TEXT, index_schema)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    try:
        return records_matching(parser.parse(query_text))
    except Exception as exc:  # noqa: BLE001 - whoosh raises assorted errors
        raise QueryError(f"cannot read the query: {exc}") from None


def snippet(marked: str) -> str:
    """A snippet as Whoosh's highlighter made it (fragments joined by "..."), each fragment's
    white space folded and the fragments joined by " … "."""
    return " … ".join(" ".join(part.split()) for part in marked.split("...")) if marked else ""


def _hit(hit: Any, text_of: Callable[[str], str], *, scored: bool) -> Hit:
    stored = hit.fields()
    marked = ""
    with contextlib.suppress(Exception):  # a snippet is a nicety; never fail a search on it
        text = f'{text_of(stored["path"])}\n{stored.get("done_notes", "")}'
        marked = hit.highlights(FREE_TEXT, text=text, top=2)
    return Hit(path=stored["path"], id=stored["id"], client=stored["client"],
               type=stored["type"], date=stored.get("shown_date", ""),
               title=stored.get("title", ""),
               score=round(float(hit.score), 3) if scored and hit.score else None,
               snippet=snippet(marked))


@dataclass
class InteractionVersions:
    """The versions of every amended interaction in the index, client by client (read from
    the ``amends`` field: only amendments and the records they name are looked at)."""

    chains: dict[str, versions.Chains]
    #: Client of each record looked at.
    client_of: dict[str, str]
    voided: set[str]

    def hidden(self, *, all_versions: bool) -> set[str]:
        """Ids no search shows by default: earlier versions and withdrawals (and with
        ``all_versions``, none)."""
        if all_versions:
            return set()
        return self.voided | {record for record, client in self.client_of.items()
                              if self.chains[client].superseded(record)}

    def mark(self, hit: Hit) -> Hit:
        """``hit`` with its version, what supersedes it and whether it was withdrawn."""
        chain = self.chains.get(self.client_of.get(hit.id, ""))
        if chain is None:
            return hit
        every = chain.versions(hit.id)
        hit.version, hit.versions = every.index(hit.id) + 1, len(every)
        hit.superseded_by = tuple(chain.amended_by.get(hit.id, []))
        hit.amends = chain.amends.get(hit.id, "")
        hit.withdrawn = any(head in self.voided for head in chain.latest(hit.id))
        return hit


def interaction_versions(searcher: Any) -> InteractionVersions:
    """How the records in the index amend each other (see InteractionVersions)."""
    pairs: dict[str, dict[str, str]] = {}
    client_of: dict[str, str] = {}

    def note(docnum: int, amends: str) -> None:
        stored = searcher.stored_fields(docnum)
        client_of[stored["id"]] = stored["client"]
        known = pairs.setdefault(stored["client"], {})
        known[stored["id"]] = amends or known.get(stored["id"], "")

    reconciled: dict[str, dict[str, list[str]]] = {}
    for field in ("amends", "reconciles"):
        for target in list(searcher.lexicon(field)):
            text = target.decode("utf-8") if isinstance(target, bytes) else str(target)
            for docnum in searcher.docs_for_query(wq.Term(field, text)):
                if field == "amends":
                    note(docnum, text)
                else:
                    stored = searcher.stored_fields(docnum)
                    reconciled.setdefault(stored["client"], {}).setdefault(
                        stored["id"], []).append(text)
            originals = wq.Prefix("id", text) if len(text) >= versions.MIN_PREFIX else \
                wq.Term("id", text)
            for docnum in searcher.docs_for_query(originals):
                note(docnum, "")
    voided = {searcher.stored_fields(docnum)["id"]
              for docnum in searcher.docs_for_query(wq.Term("voided", "yes"))}
    return InteractionVersions(
        {client: versions.chains(found.items(), reconciled.get(client, {}).items())
         for client, found in pairs.items()}, client_of, voided)
