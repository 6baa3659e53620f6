"""The store on disk: finding and creating it, its layout of paths, atomic writes, settings,
client profiles, templates, event files (completions), tombstones, git and the platform's
processes. Reads and writes the files that are the truth; knows nothing of caches or indexes.

May import: ``ilog.fileformat``, ``ilog.model``, ``ilog.errors``.
"""
