"""How a command declares its arguments: in its own signature, once, the way typer reads them,
but with metadata that needs no typer (so the fast path can read it too).

    def history(session: Session,
                client: Annotated[str, Arg("CLIENT", "Client name, alias or prefix.")],
                full: Annotated[bool, Opt("--full", help="Add the notes.")] = False) -> Output:

(Plain classes, not dataclasses: they are defined on every command's start-up.) The base
type says what an option takes: ``bool`` is a flag, ``list[str] | None`` may be
repeated, ``int``, ``str``, ``Path`` or a ``Literal`` of choices take one value. :func:`specs`
turns a command function into :class:`Param` entries; ``typerapp`` gives the same to typer,
``fast`` parses with them.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, NamedTuple

#: A repeatable option's values (None when it was not given).
Many = list[str] | None

#: A completer's name in ``completion.COMPLETERS`` (client names, record ids...).
Completion = Literal["clients", "records", "open-steps", "done-steps", "types"]
Kind = Literal["flag", "value", "many", "argument", "arguments"]


class Opt:
    """An option: its names (``--type``, ``-t``), help, and extras typer shows or checks."""

    __slots__ = ("complete", "decls", "help", "metavar", "min")

    def __init__(self, *decls: str, help: str = "", metavar: str | None = None,
                 min: int | None = None, complete: Completion | None = None) -> None:
        self.decls, self.help, self.metavar, self.min = decls, help, metavar, min
        self.complete = complete


class Arg:
    """A positional argument: what to call it in the usage line, and help."""

    __slots__ = ("complete", "help", "metavar")

    def __init__(self, metavar: str, help: str = "", complete: Completion | None = None) -> None:
        self.metavar, self.help, self.complete = metavar, help, complete


class Param(NamedTuple):
    """One parameter of a command, as both parsers need it."""

    name: str
    kind: Kind
    meta: Opt | Arg
    #: The annotation without its metadata (``list[str] | None``), as typer needs it.
    hint: Any
    #: What one value converts to: str, int or Path.
    type: type
    default: Any
    required: bool
    choices: tuple[str, ...] = ()


def specs(command: Callable[..., Any], *, skip: int = 1) -> list[Param]:
    """The parameters of ``command`` after the first ``skip`` (the session), in order."""
    hints = typing.get_type_hints(command, include_extras=True)
    code = command.__code__
    names = code.co_varnames[skip:code.co_argcount + code.co_kwonlyargcount]
    defaults = dict(zip(reversed(code.co_varnames[:code.co_argcount]),
                        reversed(command.__defaults__ or ()), strict=False))
    defaults.update(command.__kwdefaults__ or {})
    return [_param(name, hints[name], defaults.get(name, ...)) for name in names]


def _param(name: str, hint: Any, default: Any) -> Param:
    base, meta = typing.get_args(hint)[:2]
    optional = _without_none(base)
    choices: tuple[str, ...] = ()
    if typing.get_origin(optional) is Literal:
        choices, optional = typing.get_args(optional), str
    many = typing.get_origin(optional) is list
    kind: Kind
    if isinstance(meta, Arg):
        kind = "arguments" if many else "argument"
    else:
        kind = "flag" if optional is bool else "many" if many else "value"
    value_type = typing.get_args(optional)[0] if many else optional
    return Param(name, kind, meta, base, value_type, None if default is ... else default,
                 default is ..., choices)


def _without_none(hint: Any) -> Any:
    """``X | None`` -> X."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        rest = [a for a in typing.get_args(hint) if a is not type(None)]
        return rest[0] if len(rest) == 1 else hint
    return hint


def convert(param: Param, text: str) -> Any:
    """``text`` as the parameter's type; ValueError when it is not one."""
    if param.choices and text not in param.choices:
        raise ValueError(text)
    if param.type is int:
        number = int(text)
        if isinstance(param.meta, Opt) and param.meta.min is not None \
                and number < param.meta.min:
            raise ValueError(text)
        return number
    return Path(text) if param.type is Path else text


#: Declarations several commands share.
JSON = Opt("--json", help="Print the result as JSON (docs/json.md).")
RECORD_ID = Arg("ID", "A record id (any unique prefix, 4+ characters) or the record file's "
                "path.", complete="records")
