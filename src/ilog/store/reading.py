"""Reading a file of the store as untrusted input: never through a link, never anything but
a regular file (docs/format.md, "Links"; docs/reliability.md)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from ilog.errors import FormatError, UnreadableFileError


def read_file(path: Path, shown: str, *, real_folders: set[str] | None = None) -> bytes:
    """The bytes of a file of the store (see :func:`open_file`).
    ``real_folders``: folders found to be no links (or inside none) by this caller before,
    which it reads many files of (each check costs a ``lstat`` of every folder up to /)."""
    with open_file(path, shown, real_folders=real_folders) as handle:
        return handle.read()


def open_file(path: Path, shown: str, *, real_folders: set[str] | None = None) -> BinaryIO:
    """A file of the store, open for reading: never through a link, and never anything but
    a regular file, so a FIFO or a device someone put in a clone cannot make ilog wait
    forever or read without end. FileNotFoundError if it is gone; FormatError or
    UnreadableFileError (which name it) if it cannot be read."""
    folder = str(path.parent)
    if real_folders is None or folder not in real_folders:
        if os.path.realpath(folder) != os.path.abspath(folder):
            raise FormatError("is inside a link; ilog reads no file through a link: replace "
                              "it with the folder itself", path=shown)
        if real_folders is not None:
            real_folders.add(folder)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FormatError("is a link; ilog reads no file through a link: replace it with "
                              "the file itself", path=shown) from None
        if isinstance(exc, FileNotFoundError):
            raise
        raise UnreadableFileError(shown, exc.strerror or str(exc)) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise FormatError("is not a regular file (a folder, FIFO or device); remove it or "
                          "put the file itself there", path=shown)
    return os.fdopen(fd, "rb")
