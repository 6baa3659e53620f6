"""Knowing, cheaply and surely, what changed in the store since the index last caught up.

The **listing** is one line per record file: its path under ``clients/``, size, mtime, ctime
and inode. Any change to a file's content updates its mtime and ctime (the kernel sets ctime;
no program can set it back), adding, deleting or renaming a file changes the set of lines, and
replacing a file changes its inode. So if the listing is byte-for-byte the one saved when the
index last caught up, nothing changed; otherwise the lines that differ name exactly the files
to look at. The index stores each file's SHA-256, so a file whose stamp changed but whose
bytes did not (a ``touch``, a checkout of the same content) is re-hashed, not re-indexed.

The listing covers every file ilog reads under ``clients/``: records, completion events
(``SLUG/steps/*.yaml``) and profiles (``SLUG/client.yaml``). Each consumer (the search index,
the client cache) keeps the listing it last caught up with, so each knows what it missed.

GNU ``find`` makes the listing in C; a front end starts it (:class:`Prefetch`) as soon as it
knows the command will look at every client, so it runs on other cores while Python imports
the rest; without GNU find, Python makes the same listing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ilog.store import atomic, portable
from ilog.store.layout import CLIENTS, EVENTS, KIND_PATTERNS, Store

if TYPE_CHECKING:
    from subprocess import Popen

#: (size, mtime_ns, ctime_ns, inode)
Stamp = tuple[int, int, int, int]
#: A saved listing's file name; a new name whenever the listing's format changes (so a listing
#: of another format is never compared: what depends on it is rebuilt instead).
LISTING = "listing.v4"
_FIND_FORMAT = "%p\\t%s\\t%T@\\t%C@\\t%i\\n"
#: Every visible file one or two levels below each client folder given (client.yaml,
#: YEAR/NAME), and each client's folder of completion events as a whole: event files are only
#: ever created, never changed (format.md), so what can happen to them (one added, removed or
#: renamed) changes the folder's stamp, and find need not read the folder at all. What each
#: line is, is decided when the listing is parsed: a -path test costs find ~20 % more.
_FIND_TESTS = ["-mindepth", "1", "-maxdepth", "2", "!", "-name", ".*",
               "(", "-type", "d", "-name", EVENTS, "-prune", "-printf", _FIND_FORMAT, ")",
               "-o", "(", "!", "-type", "d", "-printf", _FIND_FORMAT, ")"]
#: Finds run side by side, each on a share of the client folders: stat is the cost.
MAX_FINDS = 4


@dataclass
class Changes:
    """Paths (relative to the store, POSIX style) that changed since a saved listing."""

    listing: bytes = b""
    #: The saved listing is this one, byte for byte: nothing to write back.
    saved: bool = False
    #: No usable listing was saved: what depends on it must be rebuilt.
    unknown: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


class Prefetch:
    """A listing of a store started ahead: GNU find on the client folders, a share each on
    up to MAX_FINDS cores, running while the command's modules are imported. The front end
    starts it for a command that looks at every client and hands it to that command's store
    (``Store.prefetched``); the first look takes it (never a later one: it would not be
    "now" any more), and the front end closes what was not taken, so no find outlives the
    command. Without GNU find it is empty, and the listing is made when it is needed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._finds: list[tuple[Popen[bytes], IO[bytes]]] = []
        find = portable.gnu_find()
        try:
            with os.scandir(root / CLIENTS) as entries:
                folders = sorted(f"./{e.name}" for e in entries
                                 if e.is_dir() and e.name[0] != ".")
        except OSError:
            return
        if find is None or not folders:
            return
        count = max(1, min(MAX_FINDS, os.cpu_count() or 1, len(folders)))
        try:
            for share in (folders[i::count] for i in range(count)):
                self._finds.append(portable.start_find(find, root / CLIENTS,
                                                       [*share, *_FIND_TESTS]))
        except OSError:
            self.close()

    def take(self) -> bytes | None:
        """The listing (None: there is none, or a find failed); once."""
        finds, self._finds = self._finds, []
        outputs, failed = [], not finds
        for process, output in finds:
            with output:
                failed = process.wait() != 0 or failed
                output.seek(0)
                outputs.append(output.read())
        return None if failed else _whole_lines(b"".join(outputs))

    def close(self) -> None:
        """Stop and wait for what was not taken."""
        finds, self._finds = self._finds, []
        for process, output in finds:
            process.kill()
            process.wait()
            output.close()


def listing(store: Store) -> bytes:
    """The listing of the store now: the one its front end started when the command began,
    at the first look, else one made now (by find on several cores, or by Python)."""
    ahead, store.prefetched = store.prefetched, None
    made = ahead.take() if ahead is not None else None
    if made is None:
        made = Prefetch(store.root).take()
    return made if made is not None else _whole_lines(_python_listing(store))


def _whole_lines(raw: bytes) -> bytes:
    """The listing without the pieces of a file name that holds a line break (someone
    else's clone may have one): no such file is a file ilog reads, and a piece without its
    four fields would read as a damaged listing. One count decides, cheaply, whether to look."""
    if raw.count(b"\t") == 4 * raw.count(b"\n"):
        return raw
    return b"".join(line + b"\n" for line in raw.split(b"\n") if line.count(b"\t") >= 4)


def _python_listing(store: Store) -> bytes:
    lines = []
    try:
        with os.scandir(store.clients_dir) as entries:
            slugs = sorted(e.name for e in entries if e.name[0] != "." and e.is_dir())
    except FileNotFoundError:
        slugs = []
    for slug in slugs:
        for entry in store.client_files(slug, events_folder=True):
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            relative = entry.path[len(str(store.clients_dir)) + 1:].replace(os.sep, "/")
            lines.append(f"./{relative}\t{info.st_size}\t{_find_time(info.st_mtime_ns)}\t"
                         f"{_find_time(info.st_ctime_ns)}\t{info.st_ino}\n")
    return "".join(lines).encode("utf-8", "surrogateescape")


def _find_time(ns: int) -> str:
    """A time as GNU find's ``%T@`` prints it: seconds, a dot, nine digits and a zero."""
    return f"{ns // 1_000_000_000}.{ns % 1_000_000_000:09d}0"


def parse_listing(data: bytes) -> dict[str, Stamp]:
    """Path -> stamp of every file of the listing that ilog reads (ValueError if garbled)."""
    return _parse_lines(data.splitlines())


def stamp(info: os.stat_result) -> Stamp:
    """What the listing says of a file: (size, mtime_ns, ctime_ns, inode)."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _parse_lines(lines: Iterable[bytes]) -> dict[str, Stamp]:
    stamps = {}
    for line in lines:
        path, size, mtime, ctime, inode = line.decode("utf-8", "surrogateescape").rsplit("\t", 4)
        if any(pattern.match(path) for _, pattern in KIND_PATTERNS):
            stamps[f"{CLIENTS}/{path[2:]}"] = (int(size), _ns(mtime), _ns(ctime), int(inode))
    return stamps


def _ns(text: str) -> int:
    seconds, _, fraction = text.partition(".")
    return int(seconds) * 1_000_000_000 + int((fraction + "000000000")[:9])


def changes(store: Store, saved_path: Path) -> Changes:
    """What changed since the listing saved at ``saved_path`` (``unknown`` if none is saved or
    it cannot be read). Only the lines that differ are parsed."""
    now = listing(store)
    try:
        saved = saved_path.read_bytes()
    except OSError:
        return Changes(listing=now, unknown=True)
    if now == saved:
        return Changes(listing=now, saved=True)
    old, new = set(saved.splitlines()), set(now.splitlines())
    try:
        before, after = _parse_lines(old - new), _parse_lines(new - old)
    except ValueError:
        return Changes(listing=now, unknown=True)
    return Changes(listing=now, added=[p for p in after if p not in before],
                   changed=[p for p in after if p in before],
                   removed=[p for p in before if p not in after])


def save(saved_path: Path, raw_listing: bytes) -> None:
    """Remember the listing that what depends on it now matches."""
    atomic.make_dirs(saved_path.parent, private=True)
    atomic.replace_file(saved_path, raw_listing, private=True)


def forget(saved_path: Path) -> None:
    """Drop a saved listing, so that the next catch-up rebuilds."""
    atomic.remove(saved_path)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
