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


def main() -> None:
    if sys.stdout is None:  # started with stdout closed (>&-): write nowhere, not crash
        import os

        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
