"""``python -m ilog`` and the ``ilog`` console script.

``ilog --version`` alone is answered from a constant before anything else is imported;
everything else goes to the typer application (cli/app.py), after a command that looks at
every client has had its store's listing started (cli/early.py).
"""

from __future__ import annotations

import os
import sys

from ilog import __version__


def run(argv: list[str]) -> int:
    """Run ilog with ``argv`` (the arguments after the program's name); the exit code."""
    if argv == ["--version"]:
        sys.stdout.write(f"ilog {__version__}\n")
        return 0
    undecodable = [a for a in argv if not _is_text(a)]
    if undecodable:
        shown = undecodable[0].encode("utf-8", "surrogateescape")
        sys.stderr.write(f"ilog: the argument {shown!r} is not UTF-8 text; write it in UTF-8 "
                         "(a UTF-8 locale, or iconv)\n")
        return 2
    from ilog.cli.early import listing_ahead  # after --version

    ahead = listing_ahead(argv)  # before typer's import, so that find runs beside it
    from ilog.cli.app import main as run_app  # after the listing starts: it imports typer

    if ahead is None:
        return run_app(argv)
    from ilog.cli.session import GlobalOptions  # imported with cli.app, above

    settings, listing = ahead
    return run_app(argv, GlobalOptions(settings=settings, listing=listing))


def _is_text(argument: str) -> bool:
    """False for an argument the OS gave as bytes that are not UTF-8 (Python keeps them as
    lone surrogates, which no file can hold)."""
    try:
        argument.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def main() -> None:
    if sys.stdout is None:  # started with stdout closed (>&-): write nowhere, not crash
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
