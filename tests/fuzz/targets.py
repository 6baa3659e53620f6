"""What the fuzzers try, shared by the atheris harnesses and the corpus replay of the test
suite: each target takes bytes and either returns or raises an IlogError; anything else is a
bug."""

from __future__ import annotations

import contextlib
from pathlib import Path

from ilog.errors import ClientError, IlogError
from ilog.fileformat import codec, slugs
from ilog.store.layout import Store


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


TARGETS = {"codec": record_parser, "slugs": client_names}
