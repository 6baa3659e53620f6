"""``python -m ilog`` and the ``ilog`` console script.

``--version`` is answered from a constant before anything else is imported. Every command is
then run by the fast path (cli/fast.py), which needs no typer; what it does not understand
(help, completion, wrong usage) goes to the typer application (cli/typerapp.py), made from
the same declarations.
"""

from __future__ import annotations

import sys


def run(argv: list[str]) -> int:
    """Run ilog with ``argv`` (the arguments after the program's name); the exit code."""
    if argv == ["--version"]:
        from ilog import __version__

        sys.stdout.write(f"ilog {__version__}\n")
        return 0
    undecodable = [a for a in argv if not _is_text(a)]
    if undecodable:
        shown = undecodable[0].encode("utf-8", "surrogateescape")
        sys.stderr.write(f"ilog: the argument {shown!r} is not UTF-8 text; write it in UTF-8 "
                         "(a UTF-8 locale, or iconv)\n")
        return 2
    from ilog.cli.fast import main as fast_main

    code = fast_main(argv)
    if code is not None:
        return code
    from ilog.cli.typerapp import build

    try:
        build()(args=argv, prog_name="ilog")
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
    return 0


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
        import os

        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
