"""``python -m ilog`` and the ``ilog`` console script.

``--version`` is answered from a constant before anything heavy is imported, and
``history`` is run without typer when its arguments are plain (see cli/historyrun.py).
"""

from __future__ import annotations

import sys

#: Commands that bring the search index up to date first, so want the store's file listing.
INDEXED_COMMANDS = {"search", "actions", "done", "reopen", "clients"}


def main() -> None:
    args = sys.argv[1:]
    if args == ["--version"]:
        from ilog import __version__

        sys.stdout.write(f"ilog {__version__}\n")
        return
    command, store = _command_and_store(args)
    if command == "history":
        from ilog.cli.historyrun import fast_main

        code = fast_main(args)
        if code is not None:
            sys.exit(code)
    if command in INDEXED_COMMANDS:
        _start_listing(store)
    from ilog.cli.main import run

    run()


def _command_and_store(args: list[str]) -> tuple[str | None, str | None]:
    """The command word and the --store value, as far as they can be told before parsing."""
    store, skip = None, False
    for number, arg in enumerate(args):
        if skip:
            skip = False
        elif arg in ("--store", "-S"):
            store, skip = (args[number + 1] if number + 1 < len(args) else None), True
        elif arg.startswith("--store="):
            store = arg.split("=", 1)[1]
        elif not arg.startswith("-"):
            return arg, store
    return None, store


def _start_listing(explicit: str | None) -> None:
    """Let the store's file listing (for the index's freshness check) run on another core
    while typer and Whoosh are imported. Any doubt: do nothing; the search does it later."""
    try:
        from ilog.derived.listing import prefetch
        from ilog.store.locate import existing_root

        root = existing_root(explicit)
        if root is not None:
            prefetch(root)
    except Exception:  # noqa: BLE001, S110 - an optimisation must never break the command
        pass


if __name__ == "__main__":
    main()
