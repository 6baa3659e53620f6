"""The bytes of ilog's files: records (Markdown + strict YAML front matter), dates, ids,
client slugs, seals and amendment chains. Pure functions over text and bytes: no file system.

May import: ``ilog.model``, ``ilog.errors`` (and PyYAML, lazily, in ``_libyaml``).
"""
