"""The one place where user input becomes a path component.

A slug is lower-case ASCII letters, digits and single hyphens, 1-64 characters, never a
Windows device name. Names that differ only by case, accents or Unicode normalization map to
the same slug, so they can never become twin clients.
"""

from __future__ import annotations

import re
import unicodedata

from ilog.errors import ClientError

MAX_SLUG = 64
_RESERVED = {"con", "prn", "aux", "nul", "clock$"} | {f"{p}{n}" for p in ("com", "lpt")
                                                     for n in range(10)}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str, *, max_length: int = MAX_SLUG) -> str:
    """``"Müller & Söhne GmbH"`` -> ``"muller-sohne-gmbh"``, ``"Łódź"`` -> ``"lodz"``,
    ``"Αθήνα"`` -> ``"athina"`` (anyascii transliterates every script); may return ``""``."""
    if text.isascii():
        ascii_text = text
    else:
        from anyascii import anyascii  # only for names beyond ASCII

        ascii_text = anyascii(unicodedata.normalize("NFKC", text))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def client_slug(name: str) -> str:
    """The slug for a new client called ``name``, or :class:`ClientError` saying why not."""
    if "\x00" in name or "/" in name or "\\" in name:
        raise ClientError(f"client name {name!r} may not contain '/', '\\' or NUL; "
                          "use the client's plain name, e.g. 'Acme Corp'")
    slug = slugify(name)
    if not slug:
        raise ClientError(f"client name {name!r} has no letters or digits; "
                          "use the client's plain name, e.g. 'Acme Corp'")
    if slug in _RESERVED:
        raise ClientError(f"client name {name!r} is a reserved device name on Windows; "
                          f"add a word, e.g. '{name} Ltd'")
    return slug


def is_slug(text: str) -> bool:
    """Whether ``text`` is a valid client folder name."""
    return len(text) <= MAX_SLUG and bool(_SLUG.match(text)) and text not in _RESERVED


#: The longest attachment file name ilog makes, in UTF-8 bytes (file systems allow 255).
MAX_FILE_NAME = 160
_NOT_IN_FILE_NAMES = re.compile('[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069'
                                '\ud800-\udfff/\\\\:*?"<>|]')


def file_name(text: str) -> str:
    """A name for a file kept in the store, made from one that came from elsewhere (a file
    a user attaches, an e-mail attachment's filename): the last path part only, NFC, no
    control characters or characters Windows refuses, no leading dot (never a hidden or
    temporary file), no Windows device name, at most MAX_FILE_NAME bytes with its extension
    kept; ``"attachment"`` if nothing is left."""
    name = unicodedata.normalize("NFC", text.replace("\\", "/").rsplit("/", 1)[-1])
    name = " ".join(_NOT_IN_FILE_NAMES.sub("_", name).split()).strip(". ")
    stem, dot, extension = name.rpartition(".")
    if not dot or not 0 < len(extension) <= 16:
        stem, extension = name, ""
    if stem.lower() in _RESERVED:
        stem = f"_{stem}"
    suffix = f".{extension}" if extension else ""
    while len((stem + suffix).encode("utf-8")) > MAX_FILE_NAME:
        stem = stem[:-1]
    return (stem.rstrip(". ") + suffix) if stem.rstrip(". ") else f"attachment{suffix}"


def is_file_name(text: str) -> bool:
    """Whether ``text`` (read from a file someone else wrote) may name a file beside a record:
    it is what :func:`file_name` makes of itself, so never a path, ``..`` or a hidden file."""
    return bool(text) and file_name(text) == text
