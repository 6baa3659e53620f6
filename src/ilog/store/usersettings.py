"""What the user decides, in the environment and in ``$XDG_CONFIG_HOME/ilog/config.toml``:
read once by a front end (the command line: cli/session.py) into a :class:`Settings`, which
travels with the store (``Store.settings``) to every part of the core that needs it. Nothing
else in the core reads the environment, so one process can serve many commands, each with
its own settings, and get the answers each would get alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from ilog.errors import DateError, IlogError
from ilog.fileformat.dates import SLASH_ORDERS
from ilog.store.settings import read_toml

#: How long a command waits for another ilog process that updates the derived data.
LOCK_WAIT_SECONDS = 10.0
#: A store with more records than this and no search index is searched by reading its files
#: while the index is built in the background (ops/scanning.py).
SCAN_ABOVE = 2000
#: How often a process sweeps a folder of the temporary files killed writes left there
#: (store/atomic.py).
SWEEP_EVERY_SECONDS = 60.0
#: Why the default store in the XDG data folder is the one (see ``Settings.default_store``).
DEFAULT_REASON = "default store in the XDG data directory"


@dataclass(frozen=True)
class Settings:
    """The user's choices. The defaults are a machine where nothing is set and there is no
    settings file (a library user's, a test's)."""

    #: ILOG_STORE: the store to use when none is named.
    store: str = ""
    #: ILOG_AUTHOR: who writes records (before the settings file and git).
    author: str = ""
    #: GIT_AUTHOR_EMAIL, GIT_AUTHOR_NAME: git's identity for this process, before its config.
    git_author: tuple[str, str] = ("", "")
    #: USER (USERNAME on Windows): who writes records when nothing else says.
    login: str = ""
    #: The user's home folder (``~`` in the settings file); None: unknown.
    home: Path | None = None
    #: The settings file ($XDG_CONFIG_HOME/ilog/config.toml); None: none.
    config_file: Path | None = None
    #: Where the default store is made ($XDG_DATA_HOME/ilog/store); None: no default store.
    default_store_path: Path | None = None
    #: Where a read-only store's derived data is kept ($XDG_CACHE_HOME/ilog); None: nowhere.
    cache_home: Path | None = None
    #: ILOG_LOCK_WAIT, ILOG_SCAN_ABOVE: see docs/configuration.md.
    lock_wait: float = LOCK_WAIT_SECONDS
    scan_above: int = SCAN_ABOVE
    sweep_every: float = SWEEP_EVERY_SECONDS

    @cached_property
    def _content(self) -> dict[str, Any]:
        return read_toml(self.config_file) if self.config_file else {}

    def config(self) -> dict[str, Any]:
        """The settings file's content ({} without one), read once; FormatError names it."""
        return self._content

    def text(self, key: str) -> str:
        """A text setting of the file ("" when it is not set or not text)."""
        value = self.config().get(key)
        return value if isinstance(value, str) else ""

    def checked_date_order(self) -> str:
        """``date_order`` (one of SLASH_ORDERS); DateError or FormatError naming the file
        when it is wrong."""
        value = self.config().get("date_order", "")
        if value not in SLASH_ORDERS:
            raise DateError(f"{self.config_file}: date_order {value!r}: use \"day-month\" or "
                            "\"month-day\"")
        return str(value)

    @property
    def date_order(self) -> str:
        """How ambiguous slash dates are read: ``date_order``, or "" (refused) when it or the
        file is wrong (the front end warns once: :meth:`checked_date_order`)."""
        try:
            return self.checked_date_order()
        except IlogError:
            return ""

    def default_store(self) -> tuple[Path | None, str]:
        """The user's default store and why: the settings file's ``store``, else the one in
        the XDG data folder (None when there is neither)."""
        configured = self.text("store").strip()
        if configured:
            return Path(at_home(configured, self.home)), "'store' of your user config"
        return self.default_store_path, DEFAULT_REASON


def at_home(text: str, home: Path | None) -> str:
    """A path written with ``~`` (``~`` alone, or ``~/...``) under ``home``."""
    if home is not None and (text == "~" or text.startswith("~/")):
        return str(home) + text[1:]
    return text


def from_environment(environ: Mapping[str, str], home: Path) -> Settings:
    """The settings a process with ``environ`` and the home folder ``home`` has (the front
    end passes ``os.environ`` and ``Path.home()``)."""

    def xdg(variable: str, fallback: str) -> Path:
        value = environ.get(variable, "")
        return Path(value) if os.path.isabs(value) else home / fallback

    return Settings(
        home=home, store=at_home(environ.get("ILOG_STORE", ""), home),
        author=environ.get("ILOG_AUTHOR", ""),
        git_author=(environ.get("GIT_AUTHOR_EMAIL", ""), environ.get("GIT_AUTHOR_NAME", "")),
        login=environ.get("USER") or environ.get("USERNAME") or "",
        config_file=xdg("XDG_CONFIG_HOME", ".config") / "ilog" / "config.toml",
        default_store_path=xdg("XDG_DATA_HOME", ".local/share") / "ilog" / "store",
        cache_home=xdg("XDG_CACHE_HOME", ".cache") / "ilog",
        lock_wait=max(0.0, _number(environ.get("ILOG_LOCK_WAIT"), float, LOCK_WAIT_SECONDS)),
        scan_above=_number(environ.get("ILOG_SCAN_ABOVE"), int, SCAN_ABOVE))


Number = TypeVar("Number", int, float)


def _number(text: str | None, kind: Callable[[str], Number], default: Number) -> Number:
    try:
        return kind(text) if text else default
    except ValueError:
        return default


def identity(settings: Settings, root: Path) -> str:
    """Who writes records in the store at ``root``: ILOG_AUTHOR, the settings file's
    ``author``, git's identity (the environment's, then the config git reads in the store,
    never in the current folder: another repository's), the login name."""
    if settings.author:
        return settings.author
    if settings.text("author"):
        return settings.text("author")
    from ilog.store import gitrepo  # only when nothing else names the author

    for value, key in zip(settings.git_author, ("user.email", "user.name"), strict=True):
        found = value or gitrepo.config_value(key, root)
        if found:
            return found
    return settings.login or "unknown"
