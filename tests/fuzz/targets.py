"""What the fuzzers try, shared by the atheris harnesses and the corpus replay of the test
suite: each target takes bytes and either returns or raises an IlogError; anything else is a
bug."""

from __future__ import annotations

import contextlib
import functools
import tempfile
from pathlib import Path

from ilog.derived import query
from ilog.derived.index import SearchIndex
from ilog.derived.searchdoc import document
from ilog.errors import ClientError, IlogError
from ilog.exchange.mailimport import email_record
from ilog.exchange.mailparse import MailError, parse_mail
from ilog.exchange.vtodo import parse_state, read_tasks
from ilog.fileformat import codec, slugs
from ilog.store.layout import Store
from ilog.store.profiles import parse_profile
from ilog.store.settings import load_store_config
from ilog.store.stepevents import parse_event


def record_parser(data: bytes) -> None:
    """Bytes of a record file: read strictly and as a draft (what a person typed); a file
    that reads strictly must write and read back the same. (A draft may still lack what the
    template requires: the template's validation, not the reader, refuses it.)"""
    try:
        text = codec.decode_bytes(data)
    except IlogError:
        return
    with contextlib.suppress(IlogError):
        codec.parse(text, draft=True)
    try:
        record = codec.parse(text)
    except IlogError:
        return
    again = codec.parse(codec.encode(record))
    assert codec.encode(again) == codec.encode(record)


def client_names(data: bytes) -> None:
    """A name typed or read from a file never becomes a path outside clients/."""
    name = data.decode("utf-8", "surrogateescape")  # as Python gives a file name of bytes
    store = Store(Path("/nonexistent-store"))
    try:
        slug = slugs.client_slug(name)
    except ClientError:
        slug = None
    if slug is not None:
        assert slugs.is_slug(slug) and slugs.slugify(slug) == slug
    try:
        folder = store.client_dir(name)
    except ClientError:
        return
    assert folder.parent == store.clients_dir and folder.name == name


def event_files(data: bytes) -> None:
    """Bytes of a completion event or a hold file (one reader for both: EventFields)."""
    with contextlib.suppress(IlogError):
        event = parse_event(data, Path("clients/acme/steps/x.yaml"))
        assert event.step and event.record


def profiles(data: bytes) -> None:
    """Bytes of a client's profile (client.yaml)."""
    with contextlib.suppress(IlogError):
        client = parse_profile("acme", data, "clients/acme/client.yaml")
        assert client.slug == "acme" and isinstance(client.name, str)


def store_settings(data: bytes) -> None:
    """Bytes of a store's ilog.toml."""
    root = _scratch() / "settings"
    root.mkdir(exist_ok=True)
    (root / "ilog.toml").write_bytes(data)
    with contextlib.suppress(IlogError):
        load_store_config(root)


def queries(data: bytes) -> None:
    """A search as typed, through ilog's rewriting and Whoosh's parser and searcher, on a
    small index: a hit list or an IlogError (QueryError, DateError), nothing else."""
    text = data.decode("utf-8", "replace")
    try:
        rewritten = query.rewrite(text, resolve_client=lambda name: slugs.slugify(name) or "x")
    except IlogError:
        return
    with contextlib.suppress(IlogError):
        _small_index().search(rewritten, limit=5, by_date=False, text_of=lambda _: "text")


@functools.cache
def _scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="ilog-fuzz-"))


@functools.cache
def _small_index() -> SearchIndex:
    """An index of the demo store's records (built once per process)."""
    demo = Store(Path(__file__).resolve().parents[2] / "examples" / "demo-store")
    index = SearchIndex(_scratch() / "index")
    index.build(document(demo.read(path), str(demo.relative(path)))
                for path in demo.record_paths())
    return index


def tasks(data: bytes) -> None:
    """Bytes of an .ics file in a folder ``ilog import tasks`` reads (any app wrote it)."""
    with contextlib.suppress(IlogError):
        for task in read_tasks(data, "x.ics"):
            assert isinstance(task.summary, str) and isinstance(task.sequence, int)
            assert not task.step or task.uid == f"{task.step}@ilog"
            parse_state(task.exported)


def mail(data: bytes) -> None:
    """Bytes of a message ``ilog import email`` reads (anyone may have sent it): it is read,
    or refused with a reason, and what is read makes a record ilog can write."""
    try:
        message = parse_mail(data)
    except MailError:
        return
    record = email_record(message, "acme", "fuzz")
    text = codec.encode(record)
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)
    for part in message.parts:
        assert slugs.is_file_name(slugs.file_name(part.name))


TARGETS = {"codec": record_parser, "slugs": client_names, "events": event_files,
           "profiles": profiles, "settings": store_settings, "queries": queries,
           "tasks": tasks, "mail": mail}
