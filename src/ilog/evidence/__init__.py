"""Records as evidence: sealing old records, verify, legal holds, retention (purge), erasure,
and the audit pack's contents.

May import: ``ilog.derived``, ``ilog.store``, ``ilog.fileformat``, ``ilog.model``,
``ilog.errors``; not ``ilog.ops`` (a sibling layer).
"""
