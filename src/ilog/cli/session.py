"""What every command gets first: the global options and the services built from them (the
store, the consoles, progress bars, questions). No typer here, and rich only when a terminal
needs it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ilog.errors import AbortedError

if TYPE_CHECKING:
    from rich.console import Console

    from ilog.model import Progress
    from ilog.store.layout import Store


@dataclass
class Session:
    """The global options (see ``registry.GLOBAL_OPTIONS``) and what they decide."""

    store_path: str | None = None
    no_color: bool = False
    no_pager: bool = False
    debug: bool = False
    _store: Store | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        _read_date_order()

    def store(self, *, create: bool = True) -> Store:
        """The store to use (``--store``, ILOG_STORE, the nearest, or the default); the
        first time the default store is made, says where on stderr."""
        if self._store is None:
            from ilog.store.locate import CREATED, locate

            store = locate(self.store_path, asked_by="--store option", create=create)
            if store.reason == CREATED:
                sys.stderr.write(f"ilog: no store here, so your default store was created at "
                                 f"{store.root} (ilog where; docs/configuration.md)\n")
            if not create:
                return store
            self._store = store
        return self._store

    def out(self) -> Console:
        from ilog.cli.render import console

        return console(no_color=self.no_color)

    def err(self) -> Console:
        from ilog.cli.render import console

        return console(no_color=self.no_color, stderr=True)

    @contextmanager
    def progress(self, label: str, *, enabled: bool = True) -> Iterator[Progress]:
        """A progress bar on stderr when it is a terminal; else a callback that does nothing
        (and rich is not even imported)."""
        if not (enabled and sys.stderr.isatty()):
            yield lambda done, total, stage="": None
            return
        from ilog.cli.render import progress_bar

        with progress_bar(self.err(), label) as advance:
            yield advance

    def interactive(self) -> bool:
        """Whether a person is there to answer a question."""
        return sys.stdin.isatty() and sys.stderr.isatty()

    def confirm(self, question: str) -> None:
        """Ask a yes/no question on stderr; AbortedError unless the answer is yes."""
        sys.stderr.write(f"{question} [y/N]: ")
        sys.stderr.flush()
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            raise AbortedError("nothing was done")


def _read_date_order() -> None:
    """Dates with slashes are read as the user's ``date_order`` setting says (dates.py); a
    wrong setting is a warning (it runs before any command can report an error)."""
    from ilog.errors import IlogError
    from ilog.fileformat import dates
    from ilog.store.settings import user_config, user_config_path

    try:
        order = user_config().get("date_order", "")
        dates.set_slash_order(order if isinstance(order, str) else repr(order))
    except IlogError as exc:  # a DateError, or a config file that is no TOML
        sys.stderr.write(f"ilog: warning: {user_config_path()}: {exc}; dates such as 05/01 "
                         "are refused until it is fixed\n")
