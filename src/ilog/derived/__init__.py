"""What is rebuilt from the files and may be deleted at any time: the file listing that tells
what changed, the per-client cache, the Whoosh search index and its query language.

May import: ``ilog.store``, ``ilog.fileformat``, ``ilog.model``, ``ilog.errors``. Only
``derived.index`` imports Whoosh.
"""
