"""The command line: parse, call one use case, show its result.

Each command is a function in a command module (``capture``, ``meeting``, ``find``,
``records``, ``evidence``, ``export``, ``stores``, ``mail``) whose signature declares its
arguments as typer reads them (shared ones in ``params``) and which returns an
``output.Output``; ``registry`` lists them. ``app`` is the typer application, whose root
imports a command's module only when it runs; ``session`` is every command's context;
``exits`` ends every command in one place. ``render`` and ``pager`` are the only modules that
use rich.

May import every other layer. The only package that imports typer or rich.
"""
