"""Knowing, cheaply and surely, what changed in the store since the index last caught up.

The **listing** is one line per record file: its path under ``clients/``, size, mtime, ctime
and inode. Any change to a file's content updates its mtime and ctime (the kernel sets ctime;
no program can set it back), adding, deleting or renaming a file changes the set of lines, and
replacing a file changes its inode. So if the listing is byte-for-byte the one saved when the
index last caught up, nothing changed; otherwise the lines that differ name exactly the files
to look at. A file whose stamp changed but whose bytes did not (a ``touch``, a checkout of the
same content) is re-hashed (SHA-256) but not re-indexed.

GNU ``find`` makes the listing in C, and ``prefetch`` starts it the moment the process starts,
so it runs on another core while Python imports typer and Whoosh; without GNU find, Python
makes the same listing.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ilog import fsutil
from ilog.store import CLIENTS, Store

#: path (relative to the store) -> (size, mtime_ns, ctime_ns, inode)
Stamp = tuple[int, int, int, int]
MANIFEST_VERSION = 3
LISTING = "listing"
TABLE = "manifest"
_FIND_FORMAT = "%P\\t%s\\t%T@\\t%C@\\t%i\\n"
#: Every visible file three levels down (CLIENT/YEAR/NAME). Which of them are records is
#: decided when the listing is parsed: a -path test costs find ~20 % more.
_FIND = ["find", ".", "-mindepth", "3", "-maxdepth", "3", "!", "-name", ".*", "-type", "f",
         "-printf", _FIND_FORMAT]
_RECORD = re.compile(r"^[^./][^/]*/[0-9]{4}/[^/]+\.md$")
_pending: dict[Path, subprocess.Popen[bytes]] = {}


@dataclass
class Manifest:
    """What the index holds: the listing it caught up with and each file's stamp and hash.

    Saved as two files in the index's home: ``listing`` (raw bytes, all that the common case
    reads) and ``manifest`` (the per-file table, read only when something changed)."""

    listing: bytes = b""
    files: dict[str, tuple[Stamp, str]] = field(default_factory=dict)


@dataclass
class Changes:
    """Paths (relative to the store, POSIX style) the index must catch up with."""

    listing: bytes = b""
    stamps: dict[str, Stamp] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def prefetch(root: Path) -> None:
    """Start listing ``root``'s records in the background (GNU find), if it can."""
    clients = root / CLIENTS
    if root in _pending or not clients.is_dir() or not shutil.which("find"):
        return
    try:
        _pending[root] = subprocess.Popen(_FIND, cwd=clients, stdout=subprocess.PIPE,
                                          stderr=subprocess.DEVNULL)
    except OSError:
        return


def listing(store: Store) -> bytes:
    """The listing of the store now (from the prefetched find, a new one, or Python)."""
    prefetch(store.root)
    process = _pending.pop(store.root, None)
    if process is not None:
        out, _ = process.communicate()
        if process.returncode == 0:
            return out
    return _python_listing(store)


def _python_listing(store: Store) -> bytes:
    lines = []
    prefix = len(str(store.clients_dir)) + 1
    for folder, name in store.record_files():
        try:
            info = os.stat(os.path.join(folder, name))
        except FileNotFoundError:
            continue
        relative = os.path.join(folder, name)[prefix:].replace(os.sep, "/")
        lines.append(f"{relative}\t{info.st_size}\t{_find_time(info.st_mtime_ns)}\t"
                     f"{_find_time(info.st_ctime_ns)}\t{info.st_ino}\n")
    return "".join(lines).encode("utf-8", "surrogateescape")


def _find_time(ns: int) -> str:
    """A time as GNU find's ``%T@`` prints it: seconds, a dot, nine digits and a zero."""
    return f"{ns // 1_000_000_000}.{ns % 1_000_000_000:09d}0"


def parse_listing(data: bytes) -> dict[str, Stamp]:
    stamps = {}
    for line in data.decode("utf-8", "surrogateescape").splitlines():
        path, size, mtime, ctime, inode = line.rsplit("\t", 4)
        if _RECORD.match(path):
            stamps[f"{CLIENTS}/{path}"] = (int(size), _ns(mtime), _ns(ctime), int(inode))
    return stamps


def _ns(text: str) -> int:
    seconds, _, fraction = text.partition(".")
    return int(seconds) * 1_000_000_000 + int((fraction + "000000000")[:9])


def changes(store: Store, home: Path) -> tuple[Changes, Manifest | None]:
    """What differs between the store now and the manifest saved in ``home`` (None: there is
    no usable manifest, so the index must be rebuilt)."""
    now = listing(store)
    try:
        if now == (home / LISTING).read_bytes():
            return Changes(listing=now), Manifest(listing=now)
    except OSError:
        return Changes(listing=now), None
    manifest = load(home)
    if manifest is None:
        return Changes(listing=now), None
    stamps = parse_listing(now)
    found = Changes(listing=now, stamps=stamps)
    for path, stamp in stamps.items():
        known = manifest.files.get(path)
        if known is None:
            found.added.append(path)
        elif known[0] != stamp:
            found.changed.append(path)
    found.removed = [path for path in manifest.files if path not in stamps]
    return found, manifest


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load(home: Path) -> Manifest | None:
    """The manifest saved in ``home``, or None if it is missing, foreign or damaged.

    ``marshal`` (not pickle: loading it never runs code)."""
    try:
        version, files = marshal.loads((home / TABLE).read_bytes())
        raw_listing = (home / LISTING).read_bytes()
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if version != MANIFEST_VERSION or not isinstance(files, dict):
        return None
    return Manifest(raw_listing, files)


def save(home: Path, manifest: Manifest) -> None:
    """The table first, the listing last: a listing on disk always has its table."""
    fsutil.replace_file(home / TABLE, marshal.dumps((MANIFEST_VERSION, manifest.files)))
    fsutil.replace_file(home / LISTING, manifest.listing)


def forget(home: Path) -> None:
    """Drop the saved listing, so that the next refresh looks at every file again."""
    (home / LISTING).unlink(missing_ok=True)
