"""Running a command without typer: importing typer and building its application cost more
than many commands themselves (``ilog history CLIENT --json`` is ~0.1 s in all). This parser
reads the same declarations typer does (registry.py, the commands' signatures: params.py) and
understands their plain forms: ``--name VALUE``, ``--name=VALUE``, ``-n VALUE``, flags,
repeated options, arguments, global flags before or after the command. Anything else
(``--help``, clustered short flags, ``--``, a value that is not of its type, an unknown or
missing argument) is left to typer, which explains it or shows the help.
"""

from __future__ import annotations

from typing import Any

from ilog.cli import registry
from ilog.cli.params import Opt, Param, convert, specs

Values = dict[str, Any]


def main(argv: list[str]) -> int | None:
    """Run the command ``argv`` names; its exit code, or None to leave it to typer."""
    parsed = parse(argv)
    if parsed is None:
        return None
    command, options, arguments = parsed
    session = registry.global_options(**options)
    if command.prefetch:
        _start_listing(session.store_path)
    from ilog.cli.exits import execute

    return execute(session, command.function(), arguments)


def parse(argv: list[str]) -> tuple[registry.Command, Values, Values] | None:
    """(the command, the global options, the command's arguments), or None."""
    global_params = specs(registry.global_options, skip=0)
    global_names = _by_name(global_params)
    options: Values = {}
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        if not _take_option(rest, global_names, options):
            return None
    command = registry.find(rest)
    if command is None:
        return None
    del rest[:len(command.words)]
    params = specs(command.function())
    names = _by_name(params)
    anywhere = {name: global_names[name] for name in registry.anywhere_flags()}
    arguments: Values = {}
    positional: list[str] = []
    while rest:
        if rest[0] in ("-h", "--help", "--"):
            return None
        if rest[0] == "-" or not rest[0].startswith("-"):
            positional.append(rest.pop(0))
        elif not (_take_option(rest, names, arguments)
                  or _take_option(rest, anywhere, options)):
            return None
    missing = any(p.required and p.name not in arguments for p in params if p.kind == "value")
    if missing or not _take_arguments(params, positional, arguments):
        return None
    return command, _with_defaults(global_params, options), _with_defaults(params, arguments)


def _by_name(params: list[Param]) -> dict[str, Param]:
    return {name: p for p in params if isinstance(p.meta, Opt) for name in p.meta.decls}


def _take_option(rest: list[str], known: dict[str, Param], values: Values) -> bool:
    """Take the option at the front of ``rest`` (and its value) if it is a known one in a
    plain form; False (taking nothing) if not."""
    name, has_value, value = rest[0].partition("=")
    param = known.get(name)
    if param is None or (param.kind == "flag" and has_value):
        return False
    if param.kind == "flag":
        values[param.name] = True
        del rest[0]
        return True
    if not has_value:
        if len(rest) < 2 or rest[1].startswith("-"):
            return False
        value = rest[1]
    try:
        converted = convert(param, value)
    except ValueError:
        return False
    if param.kind == "many":
        values.setdefault(param.name, []).append(converted)
    else:
        values[param.name] = converted
    del rest[:1 if has_value else 2]
    return True


def _take_arguments(params: list[Param], positional: list[str], values: Values) -> bool:
    """Give the positional words to the arguments, in order; False if they do not fit."""
    for param in (p for p in params if p.kind in ("argument", "arguments")):
        if param.kind == "arguments":
            taken, positional = positional, []
        elif positional:
            taken, positional = positional[:1], positional[1:]
        else:
            taken = []
        if not taken:
            if param.required:
                return False
            continue
        try:
            converted = [convert(param, word) for word in taken]
        except ValueError:
            return False
        values[param.name] = converted if param.kind == "arguments" else converted[0]
    return not positional


def _with_defaults(params: list[Param], values: Values) -> Values:
    return {p.name: values.get(p.name, p.default) for p in params}


def _start_listing(explicit: str | None) -> None:
    """Let the store's file listing (for the caches' freshness check) run on another core
    while the command's modules are imported. Any doubt: do nothing; it is made later."""
    try:
        from ilog.derived.listing import prefetch
        from ilog.store.locate import existing_root

        root = existing_root(explicit)
        if root is not None:
            prefetch(root)
    except Exception:  # noqa: BLE001, S110 - an optimisation must never break the command
        pass
