"""``python -m ilog`` and the ``ilog`` console script.

``--version`` is answered from a constant before anything heavy is imported.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from ilog import __version__

        sys.stdout.write(f"ilog {__version__}\n")
        return
    from ilog.cli import run

    run()


if __name__ == "__main__":
    main()
