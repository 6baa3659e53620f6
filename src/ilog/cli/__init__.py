"""The command line: parse, call one use case, show its result.

Each command is a typer-free function in a command module (``capture``, ``meeting``,
``find``, ``records``, ``evidence``, ``export``, ``stores``) whose signature declares its
arguments (``params``) and which returns an ``output.Output``; ``registry`` lists them with
the global options. ``fast`` runs them without typer; ``typerapp`` builds the typer
application from the same declarations for help, completion and usage errors; ``exits`` ends
every command in one place. ``render`` and ``pager`` are the only modules that use rich.

May import every other layer. The only package that imports typer or rich.
"""
