"""What every command gets first: its click context, which carries the global options and the
services built from them (the store, the consoles, progress bars, questions). ``Session`` is
the context class of every ilog command (cli/app.py), so a command declares
``session: Session`` as its first parameter and typer hands it over, as it hands over a
``typer.Context``. No rich here until a terminal needs it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

from ilog.cli.early import environment_settings
from ilog.errors import AbortedError

if TYPE_CHECKING:
    from rich.console import Console

    from ilog.derived.listing import Prefetch
    from ilog.model import Progress
    from ilog.store.layout import Store
    from ilog.store.usersettings import Settings


@dataclass
class GlobalOptions:
    """The global options of one command line, and what they lead to: the user's settings,
    the store (found once), the listing started ahead for it."""

    store_path: str | None = None
    no_color: bool = False
    no_pager: bool = False
    debug: bool = False
    settings: Settings = field(default_factory=environment_settings, repr=False)
    store: Store | None = field(default=None, repr=False)
    listing: Prefetch | None = field(default=None, repr=False)


class Session(typer.Context):
    """A command's context: the global options (kept in ``obj``, which every sub-context
    shares with the root) and what they decide."""

    @property
    def options(self) -> GlobalOptions:
        """The global options, kept by the root context (a sub-context made before they
        were set would hold a stale ``obj``)."""
        root = self.find_root()
        if not isinstance(root.obj, GlobalOptions):
            root.obj = GlobalOptions()
        return root.obj

    @property
    def store_path(self) -> str | None:
        return self.options.store_path

    @property
    def no_pager(self) -> bool:
        return self.options.no_pager

    @property
    def debug(self) -> bool:
        return self.options.debug

    @property
    def settings(self) -> Settings:
        return self.options.settings

    def store(self, *, create: bool = True) -> Store:
        """The store to use (``--store``, ILOG_STORE, the nearest, or the default); the
        first time the default store is made, says where on stderr."""
        options = self.options
        if options.store is None:
            from ilog.store.locate import CREATED, locate  # not at --help's start-up

            store = locate(options.store_path, options.settings, asked_by="--store option",
                           create=create)
            if store.reason == CREATED:
                sys.stderr.write(f"ilog: no store here, so your default store was created at "
                                 f"{store.root} (ilog where; docs/configuration.md)\n")
            if not create:
                return store
            if options.listing is not None and options.listing.root == store.root:
                store.prefetched, options.listing = options.listing, None
            options.store = store
        return options.store

    def list_ahead(self) -> None:
        """Have the store's files listed on other cores for a command that looks at every
        client first (derived/listing.py): the listing the entry point started if it lists
        this store (cli/early.py), else one started now; any doubt: do nothing, it is made
        later."""
        from ilog.derived.listing import Prefetch  # not at --help's start-up
        from ilog.store.locate import existing_root

        root = existing_root(self.store_path, self.settings)
        started = self.options.listing
        if started is not None and started.root == root:
            return
        self.drop_listing()
        if root is not None:
            self.options.listing = Prefetch(root)

    def drop_listing(self) -> None:
        """Stop a listing started ahead: this command does not look at every client first
        (a listing started before it writes would not be "now" when it looks)."""
        options = self.options
        if options.listing is not None:
            options.listing.close()
            options.listing = None

    def end(self) -> None:
        """What the command started and did not use ends with it (no find outlives it)."""
        self.drop_listing()
        store = self.options.store
        if store is not None and store.prefetched is not None:
            store.prefetched.close()

    def out(self) -> Console:
        from ilog.cli.render import console  # rich: only when a console is asked for

        return console(no_color=self.options.no_color)

    def err(self) -> Console:
        from ilog.cli.render import console  # rich: only when a console is asked for

        return console(no_color=self.options.no_color, stderr=True)

    @contextmanager
    def progress(self, label: str, *, enabled: bool = True) -> Iterator[Progress]:
        """A progress bar on stderr when it is a terminal; else a callback that does nothing
        (and rich is not even imported)."""
        if not (enabled and sys.stderr.isatty()):
            yield lambda _done, _total, _stage="": None
            return
        from ilog.cli.render import progress_bar  # rich: only on a terminal

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
