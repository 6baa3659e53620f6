"""The command line: typer parses, a use case runs, the result is rendered.

``main`` assembles the typer application from the command modules (capture, meeting, find,
records, evidence, export, stores), each a thin layer over one use case. ``args``, ``exits``,
``output`` and ``historyrun`` never import typer or rich at module level, so the fast path of
``__main__`` can use them. Only this package imports typer.
"""
