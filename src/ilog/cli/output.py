"""The one output layer: a command returns an :class:`Output`; :func:`emit` prints it as JSON
(``--json``) or for people, once, for every command. Data goes to stdout, notes and errors to
stderr. Text for people is plain when piped (no colour, lines kept whole for grep) and styled
on a terminal, through the pager when it is long.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ilog.views.text import plain, visible

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from ilog.cli.session import Session
    from ilog.errors import IlogError
    from ilog.views.text import Line


class Screen:
    """Where a command's text goes, and in which form."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.terminal = sys.stdout.isatty()

    @property
    def width(self) -> int | None:
        """The terminal's width in columns; None when the output is piped (no wrapping)."""
        return self.session.out().width if self.terminal else None

    def say(self, text: str) -> None:
        """Lines of plain text on stdout (a final line end added if missing)."""
        self.write(text if text.endswith("\n") else text + "\n")

    def write(self, text: str, *, exact: bool = False) -> None:
        """Text on stdout, with what a terminal would obey shown instead (views.text.visible);
        ``exact``: as it is, unless stdout is a terminal (``show --raw`` into a file)."""
        sys.stdout.write(text if exact and not self.terminal else visible(text))

    def note(self, text: str) -> None:
        """A line for the person, not the data: on stderr."""
        sys.stderr.write(visible(text if text.endswith("\n") else text + "\n"))

    def lines(self, lines: list[Line]) -> None:
        """Styled lines (views.text.Line): plain text when piped; on a terminal with their
        styles, each cut to the screen's width, through the pager when they do not fit."""
        if not self.terminal:
            if lines:
                self.say(plain(lines))
            return
        from ilog.cli.render import cut  # rich: only on a terminal

        self.rich(lambda _out: cut(lines), "")

    def rich(self, build: Callable[[Console], RenderableType], plain: str | None) -> None:
        """A rich renderable on a terminal (paged when long); ``plain`` when piped (None:
        the renderable, printed without styles)."""
        if plain is not None and not self.terminal:
            self.write(plain)
            return
        from ilog.cli.pager import show  # rich: only on a terminal

        out = self.session.out()
        show(out, build(out), pager=not self.session.no_pager)


@dataclass
class Output:
    """What a command has to show: its JSON document and how people see it."""

    data: Callable[[], object]
    text: Callable[[Screen], None]
    #: Raised once the output is shown: findings of check or verify, unreadable files.
    then: IlogError | None = None
    #: What the command changed, said if its output cannot be written (a full disk).
    done: str = ""


def emit(session: Session, output: Output, *, as_json: bool) -> None:
    """Show ``output`` in the form asked for, then raise what it says went wrong."""
    if as_json:
        print_json(output.data())
    else:
        output.text(Screen(session))
    if output.then is not None:
        raise output.then


def print_json(data: Any) -> None:
    """Data as JSON on stdout (dates in ISO 8601): indented for a person at a terminal,
    one line for programs (the C encoder: ~5x faster on large outputs)."""
    import json  # only for --json

    indent = 2 if sys.stdout.isatty() else None
    text = json.dumps(data, ensure_ascii=False, indent=indent, default=_json_default)
    sys.stdout.write(_JSON_ESCAPED.sub(lambda m: f"\\u{ord(m[0]):04x}", text))
    sys.stdout.write("\n")


#: Characters json.dumps leaves raw that reorder or break text on a terminal: escaped the
#: JSON way (\u202e), which every reader decodes to the same string. (A pattern, not
#: str.translate: translating a 1 MB document through a table took 80 ms, the search 1 ms.)
_JSON_ESCAPED = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                           "\u2066-\u2069]")


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)
