"""What is rebuilt from the files and may be deleted at any time: the file listing that tells
what changed, the per-client cache, the Whoosh search index and its query language.

May import: ``ilog.store``, ``ilog.fileformat``, ``ilog.model``, ``ilog.errors``. Only the
search index imports Whoosh (``index``, ``stepquery``, ``plan``, ``scan``), each through
``engine`` first: the one module that subclasses or patches it.
"""
