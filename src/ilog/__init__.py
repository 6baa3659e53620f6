"""ilog: document client interactions as plain Markdown files with YAML front matter.

The packages, from the bottom up (docs/design.md draws them; pyproject.toml's import-linter
contracts enforce the order): ``model`` and ``errors``; ``fileformat`` (the bytes of a file);
``store`` (the folder on disk); ``derived`` (caches and the search index); ``ops`` (use cases)
and ``evidence`` (seals, verify, retention, erasure, audit packs); ``views`` (text and JSON
shapes); ``exchange`` (other formats); ``cli`` (typer). Programs use ``ops`` and ``evidence``
with the dataclasses of ``model``.
"""

__version__ = "0.2.0"
