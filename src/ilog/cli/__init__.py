"""The command line: parse, call one use case, show its result.

Each command is a function in a command module (``capture``, ``meeting``, ``find``,
``records``, ``evidence``, ``export``, ``stores``, ``mail``) whose signature declares its
arguments as typer reads them (shared ones in ``params``) and which returns an
``output.Output``; ``registry`` lists them. ``app`` is the typer application, whose root
imports a command's module only when it runs; ``early`` is what the entry point does before
typer is imported (the user's settings, the store's listing started ahead); ``session`` is
every command's context;
``exits`` ends every command in one place. ``render`` and ``pager`` are the only modules that
use rich. A command module imports the core inside each command's body, so that the command
that runs loads only what it needs and ``--help`` (which lists every command by its
docstring) loads none of it; everywhere else, an import inside a function says why.

May import every other layer. The only package that imports typer or rich.
"""
