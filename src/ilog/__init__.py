"""ilog: document client interactions as plain Markdown files with YAML front matter.

The public Python API lives in :mod:`ilog.service` (use cases) and :mod:`ilog.model` (data).
"""

__version__ = "0.1.0"
