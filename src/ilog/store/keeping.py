"""How long records are kept: the store's ``[retention] default`` (ilog.toml) and a client's
own ``retention:`` (client.yaml), read with the one duration grammar
(fileformat/durations.py) in days, weeks, months or years. A setting that does not read so,
``18m`` among them (18 minutes now; it meant 18 months when ``m`` was months in retention),
is never taken for something else: ``ilog check`` reports it with its line and the fix, and
a purge refuses to run until it is fixed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from ilog.errors import DateError, FormatError, IlogError
from ilog.fileformat import codec, durations, yamlrules
from ilog.fileformat.durations import Duration
from ilog.model import Problem
from ilog.store.layout import PROFILE, Store
from ilog.store.profiles import client_slugs, load_client
from ilog.store.reading import read_file
from ilog.store.settings import STORE_FILE

#: What a setting may say to keep records for ever.
FOR_EVER = ("", "never", "forever")


@dataclass(frozen=True)
class Retention:
    """A retention setting: what it says, where it is written, and the span (None: kept for
    ever)."""

    text: str
    path: str
    span: Duration | None


def retention(store: Store, slug: str) -> Retention:
    """The client's retention (its own, else the store's); FormatError, naming the file,
    the line and the fix, when it does not read as a span of days or more."""
    return _own(store, slug) or _store_default(store)


def retention_problems(store: Store) -> list[Problem]:
    """Every retention setting of the store that does not read (for ``ilog check``, which
    reports a profile that does not read at all by itself)."""
    readers: list[Callable[[], Retention | None]] = [partial(_store_default, store)]
    readers += [partial(_own, store, slug) for slug in client_slugs(store)]
    found = []
    for read in readers:
        try:
            read()
        except IlogError as exc:  # a profile that does not read is check's own finding
            problem = _problem(exc)
            if problem.field == "retention":
                found.append(problem)
    return found


def _store_default(store: Store) -> Retention:
    return _read(store.config.retention, STORE_FILE, lambda: _toml_line(store))


def _own(store: Store, slug: str) -> Retention | None:
    """The client's own retention (None: its profile sets none)."""
    own = load_client(store, slug).extra.get("retention")
    if own is None:
        return None
    path = f"clients/{slug}/{PROFILE}"
    return _read(str(own), path, lambda: _yaml_line(store, path))


def _problem(exc: IlogError) -> Problem:
    return exc.problem if isinstance(exc, FormatError) else Problem(str(exc))


def _read(text: str, path: str, line: Callable[[], int | None]) -> Retention:
    if text.strip().lower() in FOR_EVER:
        return Retention(text, path, None)
    try:
        return Retention(text, path, durations.parse_duration(text, durations.CALENDAR,
                                                              "retention"))
    except DateError as exc:
        raise FormatError(f"{exc}; or never", path=path, line=line(),
                          field="retention") from None


def _toml_line(store: Store) -> int | None:
    """The line of ``default`` in the ``[retention]`` table of ilog.toml."""
    try:
        lines = read_file(store.root / STORE_FILE, STORE_FILE).decode("utf-8").splitlines()
    except (OSError, IlogError, UnicodeDecodeError):
        return None
    table = ""
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if text.startswith("["):
            table = text.strip("[] ")
        elif table == "retention" and text.split("=")[0].strip() == "default":
            return number
    return None


def _yaml_line(store: Store, path: str) -> int | None:
    """The line of ``retention`` in a profile."""
    try:
        _, lines = yamlrules.load(codec.decode_bytes(read_file(store.root / path, path), path))
    except (OSError, IlogError):
        return None
    return lines.get("retention")
